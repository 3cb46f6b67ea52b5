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
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from itertools import combinations
from math import comb
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import sorting
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

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
VOCABULARY_FILE = "vocabulary.json"
CURRENT_FILE = "CURRENT"
_ERRORS = (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError, whoosh_index.IndexError)


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
                ix = whoosh_index.open_dir(str(path))
                vocabulary = Vocabulary.from_json((path / VOCABULARY_FILE).read_text("utf-8"))
            except _ERRORS as exc:
                raise IndexUnavailable(f"corrupt: {exc}") from exc
            self._opened = (name, ix, vocabulary)
            return ix, vocabulary

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
        ix, _vocabulary = self._open()
        query = self._compile(plan)
        groupedby = _facets() if facets else None
        with ix.searcher() as searcher:
            try:
                if sort == "date" or plan.is_empty:
                    results = searcher.search(
                        query, filter=_filter(filters, access), limit=None, groupedby=groupedby
                    )
                    ranked = _by_date(searcher, results)
                else:
                    # optimize=False: Whoosh's block-quality skipping trips an
                    # assertion with Require/AndMaybe/AndNot; the index is small.
                    results = searcher.search(
                        query,
                        filter=_filter(filters, access),
                        limit=offset + limit,
                        groupedby=groupedby,
                        optimize=False,
                    )
                    ranked = [(hit.docnum, hit.score) for hit in results]
                total = len(results)
                counts = _facet_counts(results) if facets else {}
            except _ERRORS as exc:
                raise IndexUnavailable(f"corrupt: {exc}") from exc
            hits = [
                _hit(searcher.stored_fields(docnum), score, plan.highlight_terms, snippet=True)
                for docnum, score in ranked[offset : offset + limit]
            ]
        return ResultPage(total, hits, counts)

    def count(self, plan, filters, access) -> int:
        ix, _vocabulary = self._open()
        with ix.searcher() as searcher:
            results = searcher.search(
                self._compile(plan), filter=_filter(filters, access), limit=1, optimize=False
            )
            return len(results)

    def related(self, case_ids: Sequence[str], access: Access, limit: int = 5) -> list[Hit]:
        ix, _vocabulary = self._open()
        with ix.searcher() as searcher:
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

    # -- compiling a plan --------------------------------------------------

    def _unit(self, unit: Unit, boost: float = 1.0) -> Q.Query:
        if unit.loose:
            words = [Unit((w,), w, unit.weight) for w in unit.words]
            return Q.And([self._unit(w, boost) for w in words])
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
        grams = bigram_tokens(unit.text) if self.bigrams else []
        if len(grams) == 1:
            parts.append(Q.Term("bigram", grams[0], boost=BIGRAM_BOOST * weight))
        elif grams:
            parts.append(Q.Phrase("bigram", grams, boost=BIGRAM_BOOST * weight))
        return Q.Or(parts)

    def _requirement(self, requirement: Requirement) -> Q.Query:
        options = [
            Q.And([Q.Or([self._unit(u) for u in concept.units]) for concept in option])
            for option in requirement.options
        ]
        return Q.Or(options)

    def _group(self, group: Group) -> Q.Query:
        """At least ``group.minimum`` of its requirements, scored by all that match."""
        parts = [self._requirement(r) for r in group.requirements]
        if group.minimum >= len(parts):
            return Q.And(parts)
        if group.minimum <= 1 or comb(len(parts), group.minimum) > MAX_COMBINATIONS:
            return Q.Or(parts)
        enough = Q.Or([Q.And(c) for c in combinations(parts, group.minimum)])
        return Q.Require(Q.Or(parts), enough)

    def _compile(self, plan: QueryPlan) -> Q.Query:
        required = [self._group(g) for g in plan.groups]
        query = Q.And(required) if required else Q.Every()
        if plan.boosts and required:
            query = Q.AndMaybe(query, Q.Or([self._unit(u) for u in plan.boosts]))
        if plan.excluded:
            query = Q.AndNot(query, Q.Or([self._unit(u) for u in plan.excluded]))
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


def _facets() -> dict:
    return {
        name: sorting.FieldFacet(
            name, allow_overlap=name in ("categories", "domains"), maptype=sorting.Count
        )
        for name in FACETS
    }


def _facet_counts(results) -> dict[str, dict]:
    counts = {}
    for name in FACETS:
        groups = {k: v for k, v in results.groups(name).items() if k not in ("", None)}
        counts[name] = dict(sorted(groups.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    counts["year"] = dict(sorted(counts["year"].items(), reverse=True))
    return counts


def _by_date(searcher, results) -> list[tuple[int, float]]:
    """Newest first; within a year the better match first, then by id for a stable order."""
    years = searcher.reader().column_reader("year")
    ids = searcher.reader().column_reader("id")
    scored = [(hit.docnum, hit.score or 0.0) for hit in results]
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
