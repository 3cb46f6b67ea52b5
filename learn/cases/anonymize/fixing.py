"""Propose and apply anonymizing replacements, and show them as a diff.

One original gets one replacement everywhere in a case (title, outcome, tags
and body together): a name becomes surname + 某, or 某某 (then 某甲, 某乙 …)
when that form is already taken by another person; numbers are masked; named
villages, communities and companies become 某村/某社区/某…公司, or A村/B村 when
a case names several. The editor sees the list, may edit any replacement, and
only then is it applied.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from learn.cases.anonymize.findings import RULES, Finding
from learn.cases.anonymize.lexicon import COMPOUND_SURNAMES, SURNAMES
from learn.cases.anonymize.names import surname_of
from learn.cases.anonymize.scan import find_problems_in_fields

MASK = "*"
_NAME_SUFFIXES = ("某", "某某", "某甲", "某乙", "某丙", "某丁", "某戊", "某己", "某庚", "某辛")
_ANONYMIZED_RE = re.compile(
    "(?:"
    + "|".join(sorted(COMPOUND_SURNAMES))
    + "|["
    + "".join(sorted(SURNAMES))
    + "])某+[甲乙丙丁戊己庚辛]?"
)
_PLACE_KINDS = ("village", "community", "company")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Replacement:
    """Replace every occurrence of ``original`` (a ``kind`` finding) with ``replacement``."""

    kind: str
    original: str
    replacement: str
    count: int = 1

    @property
    def rule(self) -> str:
        return RULES[self.kind]


def _mask_keep(text: str, keep_start: int, keep_end: int) -> str:
    digits = [i for i, ch in enumerate(text) if ch.isalnum()]
    keep = set(digits[:keep_start]) | (set(digits[-keep_end:]) if keep_end else set())
    return "".join(ch if (i in keep or not ch.isalnum()) else MASK for i, ch in enumerate(text))


def _masked(finding: Finding) -> str:
    text = finding.text
    if finding.kind == "id_number":
        return _mask_keep(text, 0, 0)
    if finding.kind == "mobile":
        return (
            _mask_keep(text, 3, 0) if not text.startswith(("+", "86")) else _mask_keep(text, 5, 0)
        )
    if finding.kind == "landline":
        area = re.match(r"[（(]?0\d{2,3}", text)
        return _mask_keep(text, len(area.group(0).strip("（(")) if area else 0, 0)
    if finding.kind in ("bank_card", "account"):
        return _mask_keep(text, 0, 4)
    if finding.kind == "plate":
        return text[:2] + re.sub(r"[A-Z0-9]", MASK, text[2:])
    if finding.kind == "email":
        return "***@***"
    if finding.kind == "address":
        return re.sub(r"\d+", "某", text)
    raise ValueError(finding.kind)


def _name_replacements(names: list[str], taken: set[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name in names:
        surname = surname_of(name)
        for ending in _NAME_SUFFIXES:
            candidate = surname + ending
            if candidate not in taken:
                break
        else:
            candidate = surname + "某" + str(len(taken))
        taken.add(candidate)
        chosen[name] = candidate
    return chosen


def _place_replacements(found: list[Finding]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for kind in _PLACE_KINDS:
        distinct: dict[str, Finding] = {}
        for finding in found:
            if finding.kind == kind:
                distinct.setdefault(finding.text, finding)
        for n, finding in enumerate(distinct.values()):
            mark = "某" if len(distinct) == 1 else _LETTERS[n % len(_LETTERS)]
            chosen[finding.text] = mark + (finding.suffix or RULES[kind][:1])
    return chosen


def propose_fix(fields: Mapping[str, str]) -> list[Replacement]:
    """One replacement per distinct finding across all ``fields``, in order of appearance."""
    by_field = find_problems_in_fields(fields)
    ordered: list[Finding] = [f for found in by_field.values() for f in found]
    counts: dict[str, int] = {}
    first: dict[str, Finding] = {}
    for finding in ordered:
        counts[finding.text] = counts.get(finding.text, 0) + 1
        first.setdefault(finding.text, finding)
    taken = {m.group(0) for text in fields.values() for m in _ANONYMIZED_RE.finditer(text or "")}
    names = _name_replacements([t for t, f in first.items() if f.kind == "name"], taken)
    places = _place_replacements(list(first.values()))
    replacements = []
    for text, finding in first.items():
        if finding.kind == "name":
            new = names[text]
        elif finding.kind in _PLACE_KINDS:
            new = places[text]
        else:
            new = _masked(finding)
        replacements.append(Replacement(finding.kind, text, new, counts[text]))
    return replacements


def apply_fix(fields: Mapping[str, str], replacements: list[Replacement]) -> dict[str, str]:
    """Replace each finding whose text has a replacement; other text is left as it is."""
    wanted = {r.original: r.replacement for r in replacements}
    fixed = {}
    by_field = find_problems_in_fields(fields)
    for name, text in fields.items():
        text = text or ""
        pieces = []
        pos = 0
        for finding in by_field[name]:
            if finding.text in wanted:
                pieces.append(text[pos : finding.start])
                pieces.append(wanted[finding.text])
                pos = finding.end
        pieces.append(text[pos:])
        fixed[name] = "".join(pieces)
    return fixed


@dataclass(frozen=True)
class DiffLine:
    """A changed line: its number and the segments ('=', '-', '+') that make it up."""

    number: int
    segments: tuple[tuple[str, str], ...]


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """Character-level differences, line by line (a fix never adds or removes lines)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if len(old_lines) != len(new_lines):
        old_lines, new_lines = [old], [new]
    changed = []
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
        if a == b:
            continue
        segments = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                segments.append(("=", a[i1:i2]))
                continue
            if i2 > i1:
                segments.append(("-", a[i1:i2]))
            if j2 > j1:
                segments.append(("+", b[j1:j2]))
        changed.append(DiffLine(number, tuple(segments)))
    return changed
