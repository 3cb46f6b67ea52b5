"""The PostgreSQL backend, for several app hosts sharing one database (scale-out).

Documents live in ``search_documents``: the app segments the text with the
same ``Segmenter`` as the Whoosh backend and writes the ``tsvector`` literal
itself (word-ordinal positions, weight A title, B keywords, D text), so no
PostgreSQL text-search configuration ever cuts Chinese. Queries are built
from the same ``QueryPlan``: a word is ``'w'``, a phrase ``'a' <-> 'b'`` and the
bigram vector gives the same substring recall as the Whoosh bigram field.

Writes go through the caller's session: the writer commits the index change
and the outbox rows it consumed in one transaction, and a rebuild replaces
every row in one transaction, so readers switch atomically (MVCC).
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import (
    BigInteger,
    Float,
    String,
    Text,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB, TSQUERY

from learn.extensions import db
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
from learn.search.models import SearchDocument, SearchIndexState
from learn.search.plan import Group, QueryPlan, Requirement, Unit
from learn.search.segment import bigram_tokens
from learn.search.vocabulary import Vocabulary

# ts_rank weights in PostgreSQL's order {D, C, B, A}: text, -, keywords, title.
RANK_WEIGHTS = literal_column("'{0.2, 0.2, 0.5, 1.0}'::float4[]")
BIGRAM_BOOST = 0.3
MAX_POSITION = 16383  # PostgreSQL's limit for a tsvector position
MAX_POSITIONS_PER_WORD = 255
FIELD_GAP = 8  # so that a phrase never runs from the title into the keywords
INSERT_BATCH = 500  # rows per executemany (sent as multi-row INSERTs)
_vocabularies: dict[str, Vocabulary] = {}


def quote_lexeme(word: str) -> str:
    """A lexeme in tsvector/tsquery syntax (quotes doubled, backslashes escaped)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: Sequence[tuple[Sequence[str], str]]) -> str:
    """``'word':1A,7A 'other':2A …`` from (tokens, weight) pairs, positions as word ordinals."""
    positions: dict[str, list[str]] = {}
    position = 1
    for tokens, weight in fields:
        for token in tokens:
            if position > MAX_POSITION:
                break
            found = positions.setdefault(token, [])
            if len(found) < MAX_POSITIONS_PER_WORD:
                found.append(f"{position}{weight}")
            position += 1
        position += FIELD_GAP
    return " ".join(f"{quote_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def _tsquery(words: Sequence[str]):
    return cast(literal(" <-> ".join(quote_lexeme(w) for w in words)), TSQUERY)


_INSERT = insert(SearchDocument)  # executed with many ``_row`` dicts at once


def _jsonb(column):
    return cast(column, JSONB)


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, *, bigrams: bool = True):
        self.bigrams = bigrams

    # -- reading -----------------------------------------------------------

    def _state(self) -> SearchIndexState | None:
        return db.session.get(SearchIndexState, self.name)

    def vocabulary(self) -> Vocabulary:
        state = self._state()
        if state is None:
            raise IndexUnavailable("missing")
        if state.fingerprint not in _vocabularies:
            _vocabularies[state.fingerprint] = Vocabulary.from_json(state.vocabulary)
        return _vocabularies[state.fingerprint]

    def status(self) -> IndexStatus:
        state = self._state()
        if state is None:
            return IndexStatus("missing")
        documents = db.session.scalar(select(func.count()).select_from(SearchDocument))
        return IndexStatus("ok", documents, state.fingerprint)

    def search(self, plan, filters, access, *, sort="relevance", offset=0, limit=10, facets=True):
        self.vocabulary()  # raises IndexUnavailable before any half-built query
        where = and_(self._match(plan), *_conditions(filters, access))
        # The match is evaluated once: count, page and facets all read ``m``.
        m = (
            select(
                SearchDocument.id,
                SearchDocument.year,
                SearchDocument.form,
                SearchDocument.subject_level,
                SearchDocument.categories,
                SearchDocument.domains,
                self._score(plan).label("score"),
            )
            .where(where)
            .cte("m")
            .prefix_with("MATERIALIZED")
        )
        parts = [_summary_row("total", None, func.count()).select_from(m)]
        if facets:
            parts += _facet_rows(m)
        parts.append(_page_rows(m, sort == "date" or plan.is_empty, offset, limit))
        total, counts, page = 0, {name: {} for name in FACETS}, []
        for kind, value, n, case_id, score in db.session.execute(union_all(*parts)):
            if kind == "total":
                total = n
            elif kind == "hit":
                page.append((n, case_id, score))
            else:
                counts[kind][int(value) if kind == "year" else value] = n
        docs = {}
        if page:
            ids = [case_id for _n, case_id, _s in page]
            docs = {
                d.id: d
                for d in db.session.scalars(
                    select(SearchDocument).where(SearchDocument.id.in_(ids))
                )
            }
        hits = [
            _hit(docs[case_id], s, plan.highlight_terms, snippet=True)
            for _n, case_id, s in sorted(page, key=lambda row: row[0])
        ]
        return ResultPage(total, hits, _ordered_facets(counts) if facets else {})

    def count(self, plan, filters, access) -> int:
        where = and_(self._match(plan), *_conditions(filters, access))
        return db.session.scalar(select(func.count()).select_from(SearchDocument).where(where))

    def related(self, case_ids: Sequence[str], access: Access, limit: int = 5) -> list[Hit]:
        vocabulary = self.vocabulary()
        own = list(
            db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(case_ids)))
        )
        if not own:
            return []
        cut = vocabulary.segmenter.words
        text = Counter(w for d in own for w in cut(d.stored["text"]) if _telling(w))
        keywords = Counter(
            w
            for d in own
            for w in cut("\n".join(d.stored["tags"] + d.stored["domains"]))
            if _telling(w)
        )
        weighted = self._key_terms(text, 16) + [(w, 2 * x) for w, x in self._key_terms(keywords, 8)]
        if not weighted:
            return []
        score = sum(
            weight * func.ts_rank(RANK_WEIGHTS, SearchDocument.words, _tsquery([word]))
            for word, weight in weighted
        ).label("score")
        any_term = cast(literal(" | ".join(quote_lexeme(w) for w, _x in weighted)), TSQUERY)
        rows = db.session.execute(
            select(SearchDocument, score)
            .where(
                SearchDocument.words.op("@@")(any_term),
                SearchDocument.id.not_in(list(case_ids)),
                *_conditions(Filters(), access),
            )
            .order_by(score.desc(), SearchDocument.id)
            .limit(limit)
        ).all()
        return [_hit(doc, s, (), snippet=False) for doc, s in rows]

    def _key_terms(self, counts: Counter, number: int) -> list[tuple[str, float]]:
        """The ``number`` words with the highest tf·idf among the most frequent ones."""
        candidates = [w for w, _n in counts.most_common(number * 3)]
        if not candidates:
            return []
        columns = [
            func.count().filter(SearchDocument.words.op("@@")(_tsquery([w]))) for w in candidates
        ]
        total, *frequencies = db.session.execute(
            select(func.count(), *columns).select_from(SearchDocument)
        ).one()
        scored = [
            (w, counts[w] * math.log((1 + total) / (1 + df)))
            for w, df in zip(candidates, frequencies, strict=True)
        ]
        scored.sort(key=lambda ws: -ws[1])
        top = scored[:number]
        best = top[0][1] if top and top[0][1] > 0 else 1.0
        return [(w, s / best) for w, s in top if s > 0]

    # -- writing -----------------------------------------------------------

    def apply(self, upserts: Iterable[IndexDocument], deletes: Iterable[str]) -> None:
        vocabulary = self.vocabulary()
        upserts = list(upserts)
        gone = [d.id for d in upserts] + list(deletes)
        if gone:
            db.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(gone)))
        if upserts:
            db.session.execute(_INSERT, [self._row(doc, vocabulary) for doc in upserts])
        db.session.flush()

    def rebuild(self, documents, vocabulary, heartbeat: Callable[[], None] = lambda: None) -> int:
        db.session.execute(delete(SearchDocument))
        count, rows = 0, []
        for count, doc in enumerate(documents, start=1):
            rows.append(self._row(doc, vocabulary))
            if len(rows) == INSERT_BATCH:
                db.session.execute(_INSERT, rows)
                rows = []
            if count % 100 == 0:
                heartbeat()
        if rows:
            db.session.execute(_INSERT, rows)
        state = self._state() or SearchIndexState(backend=self.name)
        state.vocabulary = vocabulary.to_json()
        state.fingerprint = vocabulary.fingerprint
        db.session.add(state)
        db.session.flush()
        return count

    def _row(self, doc: IndexDocument, vocabulary: Vocabulary) -> dict:
        cut = vocabulary.segmenter.words
        words = tsvector_literal(
            [(cut(doc.title), "A"), (cut(doc.keywords), "B"), (cut(doc.body), "D")]
        )
        grams = []
        if self.bigrams:
            grams = bigram_tokens(f"{doc.title}\n{doc.keywords}\n{doc.body}")
        return {
            "id": doc.id,
            "year": doc.year,
            "categories": list(doc.categories),
            "domains": list(doc.domains),
            "form": doc.form,
            "subject_level": doc.subject_level,
            "restricted": doc.restricted,
            "reader_ids": list(doc.reader_ids),
            "stored": {
                "title": doc.title,
                "text": doc.body,
                "tags": list(doc.tags),
                "categories": list(doc.categories),
                "domains": list(doc.domains),
            },
            "words": words,
            "bigrams": tsvector_literal([(grams, "D")]),
        }

    # -- compiling a plan --------------------------------------------------

    def _unit_match(self, unit: Unit):
        if unit.loose:
            return and_(*(self._unit_match(Unit((w,), w)) for w in unit.words))
        clauses = [SearchDocument.words.op("@@")(_tsquery(unit.words))]
        grams = bigram_tokens(unit.text) if self.bigrams else []
        if grams:
            clauses.append(SearchDocument.bigrams.op("@@")(_tsquery(grams)))
        return or_(*clauses)

    def _unit_score(self, unit: Unit):
        if unit.loose:
            return sum(self._unit_score(Unit((w,), w, unit.weight)) for w in unit.words)
        score = func.ts_rank(RANK_WEIGHTS, SearchDocument.words, _tsquery(unit.words), 1)
        grams = bigram_tokens(unit.text) if self.bigrams else []
        if grams:
            score = score + BIGRAM_BOOST * func.ts_rank(SearchDocument.bigrams, _tsquery(grams), 1)
        return unit.weight * score

    def _requirement(self, requirement: Requirement):
        return or_(
            *(
                and_(*(or_(*(self._unit_match(u) for u in c.units)) for c in option))
                for option in requirement.options
            )
        )

    def _group(self, group: Group):
        matches = [self._requirement(r) for r in group.requirements]
        if group.minimum >= len(matches):
            return and_(*matches)
        if group.minimum <= 1:
            return or_(*matches)
        return sum(case((m, 1), else_=0) for m in matches) >= group.minimum

    def _match(self, plan: QueryPlan):
        condition = and_(*(self._group(g) for g in plan.groups)) if plan.groups else true()
        if plan.excluded:
            condition = and_(condition, ~or_(*(self._unit_match(u) for u in plan.excluded)))
        return condition

    def _score(self, plan: QueryPlan):
        units = [
            u
            for r in plan.requirements
            for option in r.options
            for concept in option
            for u in concept.units
        ]
        units += list(plan.boosts)
        if not units:
            return literal(0.0)
        return sum(self._unit_score(u) for u in units)


def _telling(word: str) -> bool:
    return len(word) > 1 and "某" not in word and not any(c.isdigit() for c in word)


def _conditions(filters: Filters, access: Access) -> list:
    conditions = [_jsonb(SearchDocument.categories).contains([c]) for c in filters.categories]
    conditions += [_jsonb(SearchDocument.domains).contains([d]) for d in filters.domains]
    if filters.form:
        conditions.append(SearchDocument.form == filters.form)
    if filters.subject_level:
        conditions.append(SearchDocument.subject_level == filters.subject_level)
    if filters.year_from is not None:
        conditions.append(SearchDocument.year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(SearchDocument.year <= filters.year_to)
    if not access.everything:
        named = (
            _jsonb(SearchDocument.reader_ids).contains([access.user_id])
            if access.user_id is not None
            else false()
        )
        conditions.append(or_(SearchDocument.restricted.is_(False), named))
    return conditions


def _summary_row(kind: str, value, n, case_id=None, score=None):
    """One row of a search's single result set: (kind, value, n, id, score)."""
    return select(
        literal(kind, String).label("kind"),
        cast(value, Text).label("value"),
        cast(n, BigInteger).label("n"),
        cast(case_id, String).label("id"),
        cast(score, Float).label("score"),
    )


def _facet_rows(m) -> list:
    """Per-value counts of every facet over the materialized match ``m``."""
    rows = []
    for name in ("form", "subject_level", "year"):
        column = m.c[name]
        rows.append(
            _summary_row(name, column, func.count()).where(column.is_not(None)).group_by(column)
        )
    for name in ("categories", "domains"):
        values = func.jsonb_array_elements_text(_jsonb(m.c[name]))
        element = values.table_valued("value").render_derived()
        rows.append(
            _summary_row(name, element.c.value, func.count())
            .select_from(m)
            .join(element, true())
            .group_by(element.c.value)
        )
    return rows


def _page_rows(m, by_date: bool, offset: int, limit: int):
    """The requested page of ``m``, numbered in rank order (n = 1, 2, …)."""
    order = [m.c.score.desc(), m.c.id]
    if by_date:
        order = [m.c.year.desc(), *order]
    page = select(m.c.id, m.c.year, m.c.score).order_by(*order).offset(offset).limit(limit)
    page = page.subquery("page")
    ranked = [page.c.score.desc(), page.c.id]
    if by_date:
        ranked = [page.c.year.desc(), *ranked]
    position = func.row_number().over(order_by=ranked)
    return _summary_row("hit", None, position, page.c.id, page.c.score)


def _ordered_facets(counts: dict[str, dict]) -> dict[str, dict]:
    ordered = {}
    for name in FACETS:
        items = counts[name].items()
        if name in ("form", "subject_level", "year"):
            items = [(v, n) for v, n in items if v not in ("", None)]
        if name == "year":
            ordered[name] = dict(sorted(items, reverse=True))
        else:
            ordered[name] = dict(sorted(items, key=lambda kv: (-kv[1], str(kv[0]))))
    return ordered


def _hit(doc: SearchDocument, score, terms, *, snippet: bool) -> Hit:
    stored = doc.stored
    return Hit(
        id=doc.id,
        title=stored["title"],
        year=doc.year,
        categories=tuple(stored["categories"]),
        form=doc.form or None,
        subject_level=doc.subject_level,
        domains=tuple(stored["domains"]),
        tags=tuple(stored["tags"]),
        score=round(float(score or 0.0), 4),
        title_html=highlight_title(stored["title"], terms),
        highlights=tuple(snippets(stored["text"], terms)) if snippet else (),
        tags_html=tuple(highlight_title(tag, terms) for tag in stored["tags"]),
    )
