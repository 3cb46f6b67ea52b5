"""The embedded Whoosh backend: one index directory under ``DATA_DIR/search/whoosh``.

Text is segmented by our own ``Segmenter`` before Whoosh sees it; the Whoosh
fields only split on spaces, so a token's position is its word ordinal and
phrase queries work (jieba's stock ChineseAnalyzer stores character offsets
as positions, which breaks them). A low-boost ``bigram`` field of character
pairs gives recall when a word was cut differently in the query and the text;
a phrase over it is an exact substring match.

Layout: ``CURRENT`` names the live index directory (``idx-<time>-<random>``),
which also holds ``vocabulary.json``, the vocabulary it was built with. A
rebuild writes a new directory and replaces ``CURRENT`` with ``os.replace``,
so readers switch atomically and searches keep working during a rebuild. The
previous directory is kept until the next rebuild for searches still open on it.
"""

import logging
import os
import pickle
import secrets
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from math import comb
from pathlib import Path

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from learn.search.backends.base import (
    FACETS,
    Access,
    Filters,
    Hit,
    IndexStatus,
    IndexUnavailable,
    ResultPage,
    SearchBackend,
)
from learn.search.documents import IndexDocument
from learn.search.highlight import highlight_title, snippets
from learn.search.plan import Group, QueryPlan, Requirement, Unit
from learn.search.segment import bigram_tokens
from learn.search.vocabulary import Vocabulary

log = logging.getLogger(__name__)

FIELD_BOOSTS = {"title": 3.0, "keywords": 2.0, "text": 1.0}
BIGRAM_BOOST = 0.3
MAX_COMBINATIONS = 70
MULTI_VALUED = ("categories", "domains")
VOCABULARY_FILE = "vocabulary.json"
CURRENT_FILE = "CURRENT"
_ERRORS = (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError, whoosh_index.IndexError)


class _Or(Q.Or):
    """An OR read lazily, so that the filter can skip its postings.

    Whoosh's default for small indexes preloads every posting of every clause
    (and checks every phrase) before anything can be skipped.
    """

    matcher_type = Q.Or.DEFAULT_MATCHER


def schema() -> Schema:
    words = RegexTokenizer(r"\S+")
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=words, phrase=True),
        keywords=TEXT(analyzer=words, phrase=True, vector=True),
        text=TEXT(analyzer=words, phrase=True, vector=True),
        bigram=TEXT(analyzer=words, phrase=True),
        year=NUMERIC(int, stored=True, sortable=True),
        categories=KEYWORD(stored=True, commas=True),
        domains=KEYWORD(stored=True, commas=True),
        form=ID(stored=True, sortable=True),
        subject_level=ID(stored=True, sortable=True),
        restricted=ID,
        readers=KEYWORD(commas=True),
        stored=STORED,
    )


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, root, *, bigrams: bool = True, phrases: bool = True):
        self.root = Path(root)
        self.bigrams = bigrams
        self.phrases = phrases
        self._lock = threading.Lock()
        self._kept = threading.local()
        self._opened: tuple[str, whoosh_index.Index, Vocabulary] | None = None

    # -- reading -----------------------------------------------------------

    def _current(self) -> str | None:
        try:
            name = (self.root / CURRENT_FILE).read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def _open(self) -> tuple[whoosh_index.Index, Vocabulary]:
        name = self._current()
        if name is None:
            raise IndexUnavailable("missing")
        with self._lock:
            if self._opened and self._opened[0] == name:
                return self._opened[1], self._opened[2]
            path = self.root / name
            try:
                ix = FileStorage(str(path), supports_mmap=False).open_index()
                vocabulary = Vocabulary.from_json((path / VOCABULARY_FILE).read_text("utf-8"))
            except _ERRORS as exc:
                raise IndexUnavailable(f"corrupt: {exc}") from exc
            self._opened = (name, ix, vocabulary)
            return ix, vocabulary

    def _searcher(self, ix: whoosh_index.Index) -> nullcontext:
        """This thread's searcher on ``ix``, kept between searches until the index changes.

        Whoosh searchers are not shared between threads, hence one per thread.
        The index is opened without ``mmap``: a searcher on a memory-mapped
        segment copies every part it reads (the stored case texts among
        them) into a ``BytesIO``, which cost a worker over 100 MB at 10,000
        cases with four threads. Read through an open file instead, a
        segment keeps its one compound file open from the searcher's start,
        so a merge that deletes it meanwhile cannot break a search (separate
        segment files would be opened only on first use).
        """
        kept = getattr(self._kept, "searcher", None)
        if kept is not None and kept[0] is ix and kept[1].up_to_date():
            return nullcontext(kept[1])
        if kept is not None:
            kept[1].close()
        # Not ``refresh()``: it reuses segment readers with their old deletions.
        searcher = ix.searcher()
        self._kept.searcher = (ix, searcher)
        return nullcontext(searcher)

    def vocabulary(self) -> Vocabulary:
        return self._open()[1]

    def status(self) -> IndexStatus:
        if self._current() is None:
            return IndexStatus("missing")
        try:
            ix, vocabulary = self._open()
            with ix.searcher() as searcher:
                documents = searcher.doc_count()
                list(searcher.search(Q.Every(), limit=1))
        except (IndexUnavailable, *_ERRORS) as exc:
            return IndexStatus("corrupt", detail=str(exc))
        return IndexStatus("ok", documents, vocabulary.fingerprint)

    def search(self, plan, filters, access, *, sort="relevance", offset=0, limit=10, facets=True):
        ix, vocabulary = self._open()
        query = _restricted(self._compile(plan, vocabulary), filters, access)
        with self._searcher(ix) as searcher:
            try:
                # Every match is collected: the total and the facets need them
                # all (and Whoosh's block-quality skipping trips an assertion
                # with Require/AndMaybe/AndNot).
                matched = _Matched(collectors.UnlimitedCollector())
                searcher.search_with_collector(query, matched)
                ranked = [(docnum, score) for score, docnum in matched.results().top_n]
                if sort == "date" or plan.is_empty:
                    ranked = _by_date(searcher, ranked)
                total = len(matched.docnums)
                counts = _facet_counts(searcher.reader(), matched.docnums) if facets else {}
            except _ERRORS as exc:
                raise IndexUnavailable(f"corrupt: {exc}") from exc
            hits = [
                _hit(searcher.stored_fields(docnum), score, plan.highlight_terms, snippet=True)
                for docnum, score in ranked[offset : offset + limit]
            ]
        return ResultPage(total, hits, counts)

    def count(self, plan, filters, access) -> int:
        ix, vocabulary = self._open()
        with self._searcher(ix) as searcher:
            query = _restricted(self._compile(plan, vocabulary), filters, access)
            return sum(1 for _docnum in searcher.docs_for_query(query))

    def related(self, case_ids: Sequence[str], access: Access, limit: int = 5) -> list[Hit]:
        ix, _vocabulary = self._open()
        with self._searcher(ix) as searcher:
            docnums = [
                n for n in (searcher.document_number(id=cid) for cid in case_ids) if n is not None
            ]
            if not docnums:
                return []
            terms = []
            for field, boost, count in (("text", 1.0, 16), ("keywords", 2.0, 8)):
                candidates = searcher.key_terms(docnums, field, numterms=count * 2)
                kept = [(w, weight) for w, weight in candidates if _telling(w)][:count]
                terms += [Q.Term(field, w, boost=weight * boost) for w, weight in kept]
            if not terms:
                return []
            own = Q.Or([Q.Term("id", cid) for cid in case_ids])
            results = searcher.search(
                Q.AndNot(Q.Or(terms), own),
                filter=_filter(Filters(), access),
                limit=limit,
                optimize=False,
            )
            return [_hit(hit.fields(), hit.score, (), snippet=False) for hit in results]

    # -- writing -----------------------------------------------------------

    def apply(self, upserts: Iterable[IndexDocument], deletes: Iterable[str]) -> None:
        ix, vocabulary = self._open()
        writer = ix.writer(timeout=30)
        try:
            for doc in upserts:
                writer.update_document(**self._fields(doc, vocabulary))
            for case_id in deletes:
                writer.delete_by_term("id", case_id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents, vocabulary, heartbeat: Callable[[], None] = lambda: None) -> int:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"idx-{stamp}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir()
        (path / VOCABULARY_FILE).write_text(vocabulary.to_json(), "utf-8")
        ix = whoosh_index.create_in(str(path), schema())
        writer = ix.writer(limitmb=128)
        count = 0
        try:
            for count, doc in enumerate(documents, start=1):
                writer.add_document(**self._fields(doc, vocabulary))
                if count % 100 == 0:
                    heartbeat()
        except BaseException:
            writer.cancel()
            shutil.rmtree(path, ignore_errors=True)
            raise
        writer.commit(optimize=True)
        previous = self._current()
        pointer = self.root / f"{CURRENT_FILE}.{name}.tmp"
        pointer.write_text(name)
        os.replace(pointer, self.root / CURRENT_FILE)
        self._remove_old(keep={name, previous})
        return count

    def _remove_old(self, keep: set) -> None:
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("idx-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def _fields(self, doc: IndexDocument, vocabulary: Vocabulary) -> dict:
        cut = vocabulary.segmenter.words
        fields = {
            "id": doc.id,
            "title": " ".join(cut(doc.title)),
            "keywords": " ".join(cut(doc.keywords)),
            "text": " ".join(cut(doc.body)),
            "year": doc.year,
            "categories": ",".join(doc.categories),
            "domains": ",".join(doc.domains),
            "form": doc.form or "",
            "subject_level": doc.subject_level,
            "restricted": "1" if doc.restricted else "0",
            "readers": ",".join(str(i) for i in doc.reader_ids),
            "stored": {
                "title": doc.title,
                "text": doc.body,
                "tags": list(doc.tags),
                "categories": list(doc.categories),
                "domains": list(doc.domains),
            },
        }
        if self.bigrams:
            fields["bigram"] = " ".join(bigram_tokens(f"{doc.title}\n{doc.keywords}\n{doc.body}"))
        return fields

    def _compile(self, plan: QueryPlan, vocabulary: Vocabulary) -> Q.Query:
        return _Compiler(self.bigrams, self.phrases, frozenset(vocabulary.dictionary)).plan(plan)


@dataclass(frozen=True)
class _Compiler:
    """A ``QueryPlan`` in Whoosh queries."""

    bigrams: bool
    phrases: bool
    whole_words: frozenset[str]  # dictionary words, which the segmenter keeps whole

    def unit(
        self, unit: Unit, boost: float = 1.0, *, exact: bool = False, ranking: bool = False
    ) -> Q.Query:
        """``unit`` in the word fields, and as a substring in the bigram field.

        The bigram phrase is the costly part (its positions are checked in
        Python for every candidate), so it is left out where it adds next to
        nothing: for a single dictionary word of three or more characters,
        which the segmenter cuts the same way in documents, unless ``exact``
        (exclusions must catch every occurrence); and for ``ranking`` units
        (boosts), which the word fields' phrase already rewards. Neither
        changed the matches of the benchmark queries or the judged ranking.
        """
        if unit.loose:
            words = [Unit((w,), w, unit.weight) for w in unit.words]
            return Q.And([self.unit(w, boost, exact=exact, ranking=ranking) for w in words])
        weight = unit.weight * boost
        parts = []
        for field, field_boost in FIELD_BOOSTS.items():
            if len(unit.words) == 1:
                parts.append(Q.Term(field, unit.words[0], boost=field_boost * weight))
            elif self.phrases:
                parts.append(Q.Phrase(field, list(unit.words), boost=field_boost * weight))
            else:
                terms = [Q.Term(field, w) for w in unit.words]
                parts.append(Q.And(terms, boost=field_boost * weight))
        grams = bigram_tokens(unit.text) if self.bigrams and not ranking else []
        if len(grams) == 1:
            parts.append(Q.Term("bigram", grams[0], boost=BIGRAM_BOOST * weight))
        elif grams and (exact or not self._whole(unit)):
            parts.append(Q.Phrase("bigram", grams, boost=BIGRAM_BOOST * weight))
        return _Or(parts)

    def _whole(self, unit: Unit) -> bool:
        return len(unit.words) == 1 and unit.words[0] in self.whole_words

    def requirement(self, requirement: Requirement) -> Q.Query:
        options = [
            Q.And([_Or([self.unit(u) for u in concept.units]) for concept in option])
            for option in requirement.options
        ]
        return _Or(options)

    def group(self, group: Group) -> Q.Query:
        """At least ``group.minimum`` of its requirements, scored by all that match."""
        parts = [self.requirement(r) for r in group.requirements]
        if group.minimum >= len(parts):
            return Q.And(parts)
        if group.minimum <= 1 or comb(len(parts), group.minimum) > MAX_COMBINATIONS:
            return _Or(parts)
        enough = _Or([Q.And(c) for c in combinations(parts, group.minimum)])
        return Q.Require(_Or(parts), enough)

    def plan(self, plan: QueryPlan) -> Q.Query:
        required = [self.group(g) for g in plan.groups]
        query = Q.And(required) if required else Q.Every()
        if plan.boosts and required:
            query = Q.AndMaybe(query, _Or([self.unit(u, ranking=True) for u in plan.boosts]))
        if plan.excluded:
            excluded = _Or([self.unit(u, exact=True) for u in plan.excluded])
            query = Q.AndNot(query, excluded)
        return query


def _telling(word: str) -> bool:
    """Whether a key term says what a case is about (not 王某, 吴, 5.33)."""
    return len(word) > 1 and "某" not in word and not any(c.isdigit() for c in word)


def _filter(filters: Filters, access: Access) -> Q.Query | None:
    parts = [Q.Term("categories", c) for c in filters.categories]
    parts += [Q.Term("domains", d) for d in filters.domains]
    if filters.form:
        parts.append(Q.Term("form", filters.form))
    if filters.subject_level:
        parts.append(Q.Term("subject_level", filters.subject_level))
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(Q.NumericRange("year", filters.year_from, filters.year_to))
    if not access.everything:
        readable = [Q.Term("restricted", "0")]
        if access.user_id is not None:
            readable.append(Q.Term("readers", str(access.user_id)))
        parts.append(Q.Or(readable))
    if not parts:
        return None
    return Q.And(parts)


def _restricted(query: Q.Query, filters: Filters, access: Access) -> Q.Query:
    """``query`` limited to the filters, scored by ``query`` alone.

    Inside the query (rather than the collector's ``filter=``) the filter's
    postings let the matcher skip documents it would otherwise score and
    phrase-check only to throw away.
    """
    only = _filter(filters, access)
    if only is None:
        return query
    return Q.Require(query, only)


class _Matched(collectors.WrappingCollector):
    """Keeps every matching document number, for the total and the facet counts."""

    def prepare(self, top_searcher, q, context):
        self.docnums = []
        self.child.prepare(top_searcher, q, context)

    def collect(self, sub_docnum):
        self.docnums.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def _facet_counts(reader, docnums: list[int]) -> dict[str, dict]:
    """Per facet value, how many of ``docnums`` have it.

    Multi-valued facets intersect each value's postings with the matches;
    single-valued ones read their column. Both cost a few operations per
    match, where Whoosh's ``groupedby`` runs several Python calls per match
    and facet and reads every posting of the multi-valued fields per search.
    """
    matched = set(docnums)
    counts: dict[str, dict] = {}
    for name in FACETS:
        if name in MULTI_VALUED:
            found = {}
            for value in reader.field_terms(name):
                n = sum(1 for d in reader.postings(name, value).all_ids() if d in matched)
                if n:
                    found[value] = n
        else:
            column = reader.column_reader(name)
            found = Counter(column[d] for d in docnums)
        groups = {k: v for k, v in found.items() if k not in ("", None)}
        counts[name] = dict(sorted(groups.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    counts["year"] = dict(sorted(counts["year"].items(), reverse=True))
    return counts


def _by_date(searcher, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Newest first; within a year the better match first, then by id for a stable order."""
    years = searcher.reader().column_reader("year")
    ids = searcher.reader().column_reader("id")
    scored = [(docnum, score or 0.0) for docnum, score in ranked]
    return sorted(scored, key=lambda ds: (-years[ds[0]], -ds[1], ids[ds[0]]))


def _hit(fields: dict, score: float, terms, *, snippet: bool) -> Hit:
    stored = fields["stored"]
    return Hit(
        id=fields["id"],
        title=stored["title"],
        year=fields["year"],
        categories=tuple(stored["categories"]),
        form=fields.get("form") or None,
        subject_level=fields["subject_level"],
        domains=tuple(stored["domains"]),
        tags=tuple(stored["tags"]),
        score=round(float(score or 0.0), 4),
        title_html=highlight_title(stored["title"], terms),
        highlights=tuple(snippets(stored["text"], terms)) if snippet else (),
        tags_html=tuple(highlight_title(tag, terms) for tag in stored["tags"]),
    )
