"""From a parsed query to a backend-neutral plan: segmented words, synonyms, groups.

Every backend compiles a ``QueryPlan`` into its own query language, so the
meaning of a search (what is required, what is excluded, what was expanded)
is decided once, here, with the same segmenter the index used.

- Words separated by spaces are each required (AND).
- A run of Chinese without spaces is cut into words; up to two words are all
  required, longer runs need two thirds of them (a sentence rarely repeats
  every word of the case it is about), and the run as a whole phrase ranks
  higher.
- A word is matched as itself, by its synonyms (lower weight) and, when it is
  a long compound, by its parts anywhere (收受礼金 → 收受 … 礼金).
- A quoted phrase must occur as written and is never expanded.
- A question needs half of its content words (single characters and question
  words left out); ranking does the rest.
"""

from dataclasses import dataclass
from math import ceil

from learn.search.query import ParsedQuery, Term
from learn.search.segment import is_cjk, normalize
from learn.search.vocabulary import Vocabulary

SYNONYM_WEIGHT = 0.6
PARTS_WEIGHT = 0.5
PHRASE_BOOST = 2.0


@dataclass(frozen=True)
class Unit:
    """One thing to find: a word, a sequence of words (phrase), or words anywhere (loose)."""

    words: tuple[str, ...]
    text: str  # normalised surface form, for substring (bigram) matching and highlights
    weight: float = 1.0
    loose: bool = False


@dataclass(frozen=True)
class Concept:
    """A unit the person asked for plus its alternatives; any of them is a match."""

    units: tuple[Unit, ...]
    label: str


@dataclass(frozen=True)
class Requirement:
    """Alternatives (from OR), each a set of concepts that must all match."""

    options: tuple[tuple[Concept, ...], ...]
    label: str
    query_text: str  # how to type it again (for "drop this word" suggestions)


@dataclass(frozen=True)
class Group:
    """Requirements of which at least ``minimum`` must match."""

    requirements: tuple[Requirement, ...]
    minimum: int


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[Group, ...] = ()
    excluded: tuple[Unit, ...] = ()
    boosts: tuple[Unit, ...] = ()
    expanded_terms: tuple[str, ...] = ()
    highlight_terms: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    exclusion_text: str = ""  # the exclusions as typed (-礼金 -"公款吃喝")

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(r for g in self.groups for r in g.requirements)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded

    def query_without(self, index: int | None) -> str:
        """The query as typed, minus requirement ``index`` (None: minus the exclusions)."""
        parts, i = [], 0
        for group in self.groups:
            kept = []
            for requirement in group.requirements:
                if i != index:
                    kept.append(requirement.query_text)
                i += 1
            if kept:
                parts.append(("" if len(group.requirements) > 1 else " ").join(kept))
        if index is not None:
            parts.append(self.exclusion_text)
        return " ".join(p for p in parts if p)


def minimum_for(count: int, question: bool) -> int:
    """How many of ``count`` words from one run (or a question) must match."""
    if question:
        return max(1, ceil(count / 2))
    return count if count <= 2 else ceil(count * 2 / 3)


class _Builder:
    def __init__(self, vocabulary: Vocabulary, expand: bool, question: bool = False):
        self.vocabulary = vocabulary
        self.question = question
        self.segmenter = vocabulary.segmenter
        self.expand = expand
        self.expanded: list[str] = []
        self.highlights: list[str] = []

    def unit(self, text: str, weight: float = 1.0) -> Unit | None:
        words = tuple(self.segmenter.words(text))
        if not words:
            return None
        return Unit(words, normalize(" ".join(text.split())), weight)

    def concept(self, text: str, label: str, *, word: bool = False, expand: bool = True):
        own = Unit((normalize(text),), normalize(text)) if word else self.unit(text)
        if own is None:
            return None
        units = [own]
        self._highlight(own.text)
        if word and (parts := self.segmenter.parts(text)):
            units.append(Unit(parts, own.text, PARTS_WEIGHT, loose=True))
            # Single characters of a compound (门 of 门难进脸难看) would mark half the text.
            for part in parts:
                if len(part) > 1:
                    self._highlight(part)
        expansions = self.vocabulary.expansions.get(normalize(text), ())
        for other in expansions if self.expand and expand else ():
            unit = self.unit(other, SYNONYM_WEIGHT)
            if unit is not None and unit.text != own.text:
                units.append(unit)
                self._highlight(unit.text)
                if other not in self.expanded:
                    self.expanded.append(other)
        return Concept(tuple(units), label)

    def content_words(self, term: Term, keep_stopwords: bool) -> list[str]:
        words = self.segmenter.words(term.text)
        if keep_stopwords:
            return words
        content = [w for w in words if w not in self.vocabulary.stopwords]
        if self.question:
            # 地 and 包 in “把集体的地低价包给亲戚” say little on their own.
            longer = [w for w in content if len(w) > 1 or not is_cjk(w)]
            content = longer or content
        return content

    def _highlight(self, text: str) -> None:
        if text not in self.highlights:
            self.highlights.append(text)

    def term_requirements(self, term: Term, keep_stopwords: bool, boosts: list[Unit]):
        """The requirements one term makes (one per content word of a plain term)."""
        if term.phrase:
            concept = self.concept(term.text, term.display, expand=False)
            return [_single(concept)] if concept else []
        if self.expand and normalize(term.text) in self.vocabulary.expansions:
            concept = self.concept(term.text, term.text)
            return [_single(concept)] if concept else []
        words = self.content_words(term, keep_stopwords)
        all_words = self.segmenter.words(term.text)
        if len(all_words) > 1 and len(words) > 1:
            boosts.append(Unit(tuple(all_words), normalize(term.text), PHRASE_BOOST))
            words = self._split_compounds(words, boosts)
        concepts = (self.concept(w, w, word=True) for w in dict.fromkeys(words))
        return [_single(c) for c in concepts if c]

    def _split_compounds(self, words: list[str], boosts: list[Unit]) -> list[str]:
        """In a sentence, count a compound's parts as words of their own.

        扶贫资金被截留挪用 then needs three of 扶贫 · 资金 · 截留 · 挪用 rather
        than both compounds verbatim; a compound found whole still ranks higher.
        Words with synonyms stay whole so that their expansions apply.
        """
        out = []
        for word in words:
            parts = () if word in self.vocabulary.expansions else self.segmenter.parts(word)
            parts = [p for p in parts if len(p) > 1 and p not in self.vocabulary.stopwords]
            if len(parts) > 1:
                boosts.append(Unit((word,), word, PHRASE_BOOST / 2))
                out.extend(parts)
            else:
                out.append(word)
        return out


def _single(concept: Concept) -> Requirement:
    return Requirement(((concept,),), concept.label, _typed(concept.label))


def _typed(display: str) -> str:
    """A label (“短语” for phrases) back in the syntax a person types."""
    if display.startswith("“") and display.endswith("”"):
        return f'"{display[1:-1]}"'
    return display


def build_plan(parsed: ParsedQuery, vocabulary: Vocabulary, expand: bool = True) -> QueryPlan:
    """Segment, expand and group ``parsed`` with the index's ``vocabulary``."""
    b = _Builder(vocabulary, expand, parsed.question)
    plain = [t for c in parsed.clauses for t in c.terms if not t.phrase]
    keep_stopwords = not any(b.content_words(t, False) for t in plain)
    groups: list[Group] = []
    boosts: list[Unit] = []
    for clause in parsed.clauses:
        if len(clause.terms) == 1:
            requirements = b.term_requirements(clause.terms[0], keep_stopwords, boosts)
            if requirements:
                count = len(requirements)
                groups.append(Group(tuple(requirements), minimum_for(count, parsed.question)))
            continue
        options = []
        for term in clause.terms:
            requirements = b.term_requirements(term, keep_stopwords, boosts)
            concepts = [c for r in requirements for c in r.options[0]]
            if concepts:
                options.append(tuple(concepts))
        if options:
            label = " OR ".join(t.display for t in clause.terms)
            typed = " OR ".join(_typed(t.display) for t in clause.terms)
            groups.append(Group((Requirement(tuple(options), label, typed),), 1))
    if parsed.question and len(groups) > 1:
        merged = tuple(r for g in groups for r in g.requirements)
        groups = [Group(merged, minimum_for(len(merged), True))]
    excluded = tuple(u for u in (b.unit(t.text) for t in parsed.excluded) if u is not None)
    notices = list(parsed.notices)
    if not groups and not excluded and parsed.clauses:
        notices.append("没有识别到可检索的词语，已显示全部案例。")
    return QueryPlan(
        groups=tuple(groups),
        excluded=excluded,
        boosts=tuple(boosts),
        expanded_terms=tuple(b.expanded),
        highlight_terms=tuple(b.highlights),
        notices=tuple(notices),
        exclusion_text=" ".join(f"-{_typed(t.display)}" for t in parsed.excluded),
    )
