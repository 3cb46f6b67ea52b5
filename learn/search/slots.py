"""Slot builders: related cases beside a case, "案例延伸" under lessons and scenario cards."""

from learn.search.services import cases_like
from learn.search.services import cited_cases as readable_cited

RELATED_LIMIT = 5


def case_aside(case=None, user=None, **_):
    """More-like-this for the case page (never the case itself; only readable cases)."""
    if case is None or user is None or not user.is_authenticated:
        return None
    hits = cases_like(user, [case.id], RELATED_LIMIT)
    if not hits:
        return None
    return "search/_related.html", {"hits": hits}


def cited_cases(case_ids=(), user=None, **_):
    """The cited cases a reader may open, and cases like them."""
    if not case_ids or user is None or not user.is_authenticated:
        return None
    cited = readable_cited(user, case_ids)
    related = cases_like(user, [c.id for c in cited], RELATED_LIMIT) if cited else []
    if not cited and not related:
        return None
    return "search/_cited.html", {"cited": cited, "related": related}
