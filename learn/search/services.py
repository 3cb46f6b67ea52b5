"""Search use cases: search the case library, related cases, index status.

Reading only: nothing here writes the index (see ``indexer``). Every result
list is limited to what the user may read twice over: the backend filters by
the access rule inside the query (so facet counts never count a hidden case),
and the hits shown are checked again against the case library, which closes
the seconds between an access change and the writer applying it.
"""

from dataclasses import dataclass, field
from math import ceil

from flask import current_app
from sqlalchemy import select

from learn.audit import record_event
from learn.errors import LearnError
from learn.extensions import db
from learn.search.backends.base import Access, Filters, Hit, IndexUnavailable, SearchBackend
from learn.search.params import SearchParams
from learn.search.plan import QueryPlan, build_plan
from learn.search.query import parse_query

FILTER_LABELS = {
    "categories": "问题类别",
    "form": "四种形态",
    "subject_level": "对象层级",
    "domains": "领域",
    "year": "年份",
}


class SearchUnavailable(LearnError):
    status = 503


@dataclass(frozen=True)
class Suggestion:
    """A way out of "no results": what to drop and how many cases that finds."""

    label: str
    count: int
    q: str
    filters: Filters


@dataclass
class SearchOutcome:
    params: SearchParams
    plan: QueryPlan
    total: int
    hits: list[Hit]
    facets: dict[str, dict]
    notices: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.params.per_page))

    @property
    def expanded_terms(self) -> tuple[str, ...]:
        return self.plan.expanded_terms


def backend() -> SearchBackend:
    return current_app.extensions["learn_search"]


def _unavailable() -> SearchUnavailable:
    return SearchUnavailable("案例检索索引正在建立，请稍等几秒后刷新页面。")


def _readable_cases(user, case_ids) -> dict:
    """The published cases among ``case_ids`` that ``user`` may read right now, by id."""
    from learn.cases import CaseStudy, can_read

    if not case_ids:
        return {}
    cases = db.session.scalars(select(CaseStudy).where(CaseStudy.id.in_(list(case_ids))))
    return {c.id: c for c in cases if c.is_published and can_read(user, c)}


def search_cases(user, params: SearchParams, *, facets: bool = True) -> SearchOutcome:
    """Search the cases ``user`` may read; suggest what to drop when nothing matches."""
    b = backend()
    try:
        plan = build_plan(parse_query(params.q), b.vocabulary())
        access = Access.for_user(user)
        offset = (params.page - 1) * params.per_page
        page = b.search(
            plan,
            params.filters,
            access,
            sort=params.sort,
            offset=offset,
            limit=params.per_page,
            facets=facets,
        )
        suggestions = _suggestions(b, plan, params, access) if page.total == 0 else []
    except IndexUnavailable as exc:
        raise _unavailable() from exc
    readable = _readable_cases(user, [h.id for h in page.hits])
    hits = [h for h in page.hits if h.id in readable]
    return SearchOutcome(
        params, plan, page.total, hits, page.facets, list(plan.notices), suggestions
    )


def _suggestions(b: SearchBackend, plan: QueryPlan, params: SearchParams, access):
    """Each way of dropping one word, exclusion or filter that finds something.

    Counts come from searching exactly the suggested query, so the number shown
    is the number a click gives.
    """
    filters = params.filters
    vocabulary = b.vocabulary()
    changes = []
    if len(plan.requirements) > 1:
        changes += [(f"去掉“{r.label}”", i) for i, r in enumerate(plan.requirements)]
    if plan.excluded:
        changes.append(("不排除任何词", None))
    out = []
    for label, index in changes:
        q = plan.query_without(index)
        count = b.count(build_plan(parse_query(q), vocabulary), filters, access)
        out.append(Suggestion(label, count, q, filters))
    for name, value, label in active_filters(filters):
        fewer = filters.without(name, value)
        out.append(Suggestion(f"去掉筛选“{label}”", b.count(plan, fewer, access), params.q, fewer))
    return sorted((s for s in out if s.count > 0), key=lambda s: -s.count)


def active_filters(filters: Filters) -> list[tuple[str, str | None, str]]:
    """(name, value, label) of each active filter, for chips and suggestions."""
    out: list[tuple[str, str | None, str]] = []
    out += [("categories", c, c) for c in filters.categories]
    if filters.form:
        out.append(("form", None, filters.form))
    if filters.subject_level:
        out.append(("subject_level", None, filters.subject_level))
    out += [("domains", d, d) for d in filters.domains]
    if filters.year_from or filters.year_to:
        low, high = filters.year_from, filters.year_to
        text = f"{low}–{high}年" if low and high and low != high else f"{low or high}年"
        if low and not high:
            text = f"{low}年以来"
        elif high and not low:
            text = f"{high}年及以前"
        out.append(("year", None, text))
    return out


def record_search(user, params: SearchParams, outcome: SearchOutcome | None, via: str) -> None:
    """Audit a search-page view or a search (the caller commits)."""
    # Control characters (NUL above all) cannot be stored in PostgreSQL text.
    q = "".join(c if c.isprintable() else " " for c in params.q[:200])
    parts = [via, f"q={q}"]
    for name, value, label in active_filters(params.filters):
        parts.append(f"{FILTER_LABELS[name]}={label if value is None else value}")
    if outcome is not None:
        parts.append(f"结果={outcome.total}")
    record_event("case_search", user, target_type="case_search", detail="；".join(parts))


def related_cases(user, case_id: str, limit: int = 5) -> list[Hit]:
    """Cases most like ``case_id`` that ``user`` may read (more-like-this)."""
    return cases_like(user, [case_id], limit)


def cases_like(user, case_ids, limit: int = 5) -> list[Hit]:
    """Cases like all of ``case_ids`` together, never one of them; [] when search is down."""
    try:
        hits = backend().related(list(case_ids), Access.for_user(user), limit)
    except IndexUnavailable:
        return []
    readable = _readable_cases(user, [h.id for h in hits])
    return [h for h in hits if h.id in readable]


def cited_cases(user, case_ids) -> list:
    """The cited cases ``user`` may read (published ones only), in the order cited."""
    readable = _readable_cases(user, list(dict.fromkeys(case_ids)))
    return [readable[cid] for cid in dict.fromkeys(case_ids) if cid in readable]
