"""The search vocabulary: domain dictionary, synonym/jargon table and stop words.

The shipped files in ``learn/search/data/`` are the defaults; rows of
``VocabularyEntry`` (edited by admins) add, replace or disable entries. The
effective vocabulary has a fingerprint; an index records the vocabulary it was
built with and is rebuilt when the fingerprint changes, and queries against
an index always use that index's own vocabulary.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import select

from learn.extensions import db
from learn.search.models import VocabularyEntry
from learn.search.segment import Segmenter, normalize, segmenter_for

DATA_DIR = Path(__file__).parent / "data"
WORD = "word"
SYNONYM = "synonym"
_LIST_SPLIT = re.compile(r"[,，、;；]")


@dataclass(frozen=True)
class SynonymRule:
    """``head = a = b`` (two_way: all equivalent) or ``head => a, b`` (one way)."""

    head: str
    terms: tuple[str, ...]
    two_way: bool = False

    def pairs(self):
        """(term, expansion) pairs this rule contributes."""
        if self.two_way:
            group = (self.head, *self.terms)
            for term in group:
                for other in group:
                    if other != term:
                        yield term, other
        else:
            for other in self.terms:
                yield self.head, other

    def as_line(self) -> str:
        if self.two_way:
            return " = ".join((self.head, *self.terms))
        return f"{self.head} => {', '.join(self.terms)}"


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...] = ()
    rules: tuple[SynonymRule, ...] = ()
    stopwords: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def expansions(self) -> dict[str, tuple[str, ...]]:
        """Normalised term → what a search for it also looks for."""
        out: dict[str, list[str]] = {}
        for rule in self.rules:
            for term, other in rule.pairs():
                targets = out.setdefault(normalize(term), [])
                if other not in targets:
                    targets.append(other)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def dictionary(self) -> tuple[str, ...]:
        """Words the segmenter keeps whole: the dictionary plus every synonym term."""
        words = set(self.words)
        for rule in self.rules:
            words.add(rule.head)
            words.update(rule.terms)
        return tuple(sorted(words))

    @cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    @property
    def segmenter(self) -> Segmenter:
        return segmenter_for(self.dictionary)

    def to_json(self) -> str:
        return json.dumps(
            {
                "words": sorted(self.words),
                "synonyms": [[r.head, list(r.terms), r.two_way] for r in self.rules],
                "stopwords": sorted(self.stopwords),
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "Vocabulary":
        data = json.loads(text)
        return cls(
            words=tuple(data["words"]),
            rules=tuple(SynonymRule(h, tuple(t), bool(w)) for h, t, w in data["synonyms"]),
            stopwords=frozenset(data["stopwords"]),
        )


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def parse_synonym_line(line: str) -> SynonymRule | None:
    """Parse ``a = b = c`` or ``a => b, c``; None when the line has no expansion."""
    if "=>" in line:
        head, _, rest = line.partition("=>")
        terms = [t.strip() for t in _LIST_SPLIT.split(rest)]
        two_way = False
    else:
        head, *terms = (t.strip() for t in line.split("="))
        two_way = True
    terms = tuple(t for t in terms if t and t != head.strip())
    if not head.strip() or not terms:
        return None
    return SynonymRule(head.strip(), terms, two_way)


def split_terms(text: str) -> tuple[str, ...]:
    """Split an admin's list of terms (、，, or ;) into clean terms."""
    return tuple(t.strip() for t in _LIST_SPLIT.split(text or "") if t.strip())


def shipped_words() -> list[str]:
    return _lines("dictionary.txt")


def shipped_rules() -> list[SynonymRule]:
    return [r for r in map(parse_synonym_line, _lines("synonyms.txt")) if r is not None]


def shipped_stopwords() -> frozenset[str]:
    return frozenset(w for line in _lines("stopwords.txt") for w in line.split())


def shipped_vocabulary() -> Vocabulary:
    return Vocabulary(tuple(shipped_words()), tuple(shipped_rules()), shipped_stopwords())


def current_vocabulary() -> Vocabulary:
    """The shipped vocabulary with the admins' edits applied."""
    words = {w: True for w in shipped_words()}
    rules = {r.head: r for r in shipped_rules()}
    for row in db.session.scalars(select(VocabularyEntry).order_by(VocabularyEntry.id)):
        if row.kind == WORD:
            if row.disabled:
                words.pop(row.term, None)
            else:
                words[row.term] = True
        elif row.kind == SYNONYM:
            terms = split_terms(row.expansions)
            if row.disabled or not terms:
                rules.pop(row.term, None)
            else:
                rules[row.term] = SynonymRule(row.term, terms, row.two_way)
    return Vocabulary(tuple(words), tuple(rules.values()), shipped_stopwords())
