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
)
from sqlalchemy.dialects.postgresql import JSONB, TSQUERY, TSVECTOR

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
        score = self._score(plan).label("score")
        total = db.session.scalar(select(func.count()).select_from(SearchDocument).where(where))
        order = [score.desc(), SearchDocument.id]
        if sort == "date" or plan.is_empty:
            order = [SearchDocument.year.desc(), *order]
        rows = db.session.execute(
            select(SearchDocument, score).where(where).order_by(*order).offset(offset).limit(limit)
        ).all()
        hits = [_hit(doc, s, plan.highlight_terms, snippet=True) for doc, s in rows]
        return ResultPage(total, hits, _facet_counts(where) if facets else {})

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
        for doc in upserts:
            db.session.execute(insert(SearchDocument).values(**self._row(doc, vocabulary)))
        db.session.flush()

    def rebuild(self, documents, vocabulary, heartbeat: Callable[[], None] = lambda: None) -> int:
        db.session.execute(delete(SearchDocument))
        count = 0
        for count, doc in enumerate(documents, start=1):
            db.session.execute(insert(SearchDocument).values(**self._row(doc, vocabulary)))
            if count % 100 == 0:
                heartbeat()
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
            "words": cast(literal(words), TSVECTOR),
            "bigrams": cast(literal(tsvector_literal([(grams, "D")])), TSVECTOR),
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


def _facet_counts(where) -> dict[str, dict]:
    counts: dict[str, dict] = {}
    for name in ("form", "subject_level", "year"):
        column = getattr(SearchDocument, name)
        rows = db.session.execute(
            select(column, func.count()).where(where, column.is_not(None)).group_by(column)
        ).all()
        counts[name] = {value: n for value, n in rows if value not in ("", None)}
    for name in ("categories", "domains"):
        values = func.jsonb_array_elements_text(_jsonb(getattr(SearchDocument, name)))
        element = values.table_valued("value").render_derived()
        rows = db.session.execute(
            select(element.c.value, func.count())
            .select_from(SearchDocument)
            .join(element, true())
            .where(where)
            .group_by(element.c.value)
        ).all()
        counts[name] = dict(rows)
    ordered = {}
    for name in FACETS:
        items = counts[name].items()
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
