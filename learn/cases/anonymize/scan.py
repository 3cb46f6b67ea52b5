"""Run every detector over a text, or over all the fields of one case, and report what
could identify a person."""

import re
from collections.abc import Mapping
from functools import lru_cache

from learn.cases.anonymize.findings import Finding, without_overlaps
from learn.cases.anonymize.identifiers import structured_findings
from learn.cases.anonymize.names import name_findings
from learn.cases.anonymize.places import place_findings
from learn.cases.anonymize.tokens import segment


def _detect(text: str) -> list[Finding]:
    structured = without_overlaps(structured_findings(text))
    tokens = segment(text)
    words = [
        f
        for f in (*place_findings(text, tokens), *name_findings(text, tokens))
        if not any(f.overlaps(s) for s in structured)
    ]
    return without_overlaps([*structured, *words])


def _propagate(text: str, found: list[Finding], known: dict[str, Finding]) -> list[Finding]:
    """Flag every other occurrence of a name or place found anywhere in the case.

    Context decides whether 李建国 is a name the first time; once it is, each
    mention must go, even one with no context around it (a title, a tag).
    """
    extra = []
    for word, example in known.items():
        for match in re.finditer(re.escape(word), text):
            if text.startswith("某", match.end()):
                continue
            candidate = Finding(match.start(), match.end(), example.kind, word, example.suffix)
            if not any(candidate.overlaps(f) for f in found):
                extra.append(candidate)
    return without_overlaps([*found, *extra])


def find_problems(text: str) -> list[Finding]:
    """Every finding in ``text``, in order, without overlaps (structured ones win)."""
    if not text:
        return []
    found = _detect(text)
    known = {f.text: f for f in found if not f.structured}
    return _propagate(text, found, known)


def find_problems_in_fields(fields: Mapping[str, str]) -> dict[str, list[Finding]]:
    """Findings per field of one case; a name found in one field is flagged in all of them."""
    cached = _fields_findings(tuple((name, text or "") for name, text in fields.items()))
    return {name: list(findings) for name, findings in cached}


# A case is checked on import, on publish and again at flush: the same text
# gives the same findings, so recent answers are kept (findings are immutable).
@lru_cache(maxsize=256)
def _fields_findings(fields: tuple[tuple[str, str], ...]) -> tuple[tuple[str, tuple], ...]:
    found = {name: _detect(text) if text else [] for name, text in fields}
    known = {f.text: f for items in found.values() for f in items if not f.structured}
    return tuple(
        (name, tuple(_propagate(text, found[name], known)) if text else ()) for name, text in fields
    )
