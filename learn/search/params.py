"""Search parameters from a query string, validated for the API (strict) and the page.

The API refuses anything it does not understand with a Chinese 400 message;
the search page drops a bad value and says so, because a person clicking
links should never meet an error page for a stale URL.
"""

import re
from dataclasses import dataclass, field

from flask import current_app
from werkzeug.datastructures import MultiDict

from learn.content.cases import CATEGORIES, DOMAINS, FIRST_YEAR, FORMS, SUBJECT_LEVELS
from learn.core.timefmt import local_today
from learn.errors import LearnError
from learn.search.backends.base import Filters

ALLOWED = ("q", "categories", "form", "subject_level", "domains", "year_from", "year_to")
ALLOWED += ("sort", "page", "per_page")
SORTS = {"relevance": "按相关度", "date": "按年份（新→旧）"}
MAX_Q_CHARS = 500
MAX_PAGE = 1000
API_MAX_PER_PAGE = 50
PAGE_SIZE = 10
_SPLIT = re.compile(r"[,，、]")


class InvalidSearch(LearnError):
    """A search parameter the API cannot accept (400)."""


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PAGE_SIZE


def known_domains() -> tuple[str, ...]:
    """The default domain list plus a site's own (``CASES_EXTRA_DOMAINS``)."""
    extra = current_app.config.get("CASES_EXTRA_DOMAINS") or ()
    if isinstance(extra, str):
        extra = [d for d in _SPLIT.split(extra) if d.strip()]
    return (*DOMAINS, *(d.strip() for d in extra))


def _values(args: MultiDict, name: str) -> list[str]:
    """Repeated parameters and comma/、-separated lists both work."""
    out = []
    for raw in args.getlist(name):
        out.extend(v.strip() for v in _SPLIT.split(raw) if v.strip())
    return list(dict.fromkeys(out))


class _Reader:
    def __init__(self, args: MultiDict, strict: bool):
        self.args = args
        self.strict = strict
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        if self.strict:
            raise InvalidSearch(message)
        self.problems.append(message)

    def single(self, name: str) -> str | None:
        values = [v.strip() for v in self.args.getlist(name)]
        if len(values) > 1:
            self.problem(f"参数 {name} 只能出现一次。")
        return values[0] if values and values[0] else None

    def choices(self, name: str, label: str, allowed) -> tuple[str, ...]:
        values = _values(self.args, name)
        good = tuple(v for v in values if v in allowed)
        for bad in (v for v in values if v not in allowed):
            self.problem(f"{name} 中的“{bad[:20]}”不是有效的{label}；可选：{'、'.join(allowed)}。")
        return good

    def choice(self, name: str, label: str, allowed) -> str | None:
        value = self.single(name)
        if value is not None and value not in allowed:
            self.problem(f"{name}=“{value[:20]}”不是有效的{label}；可选：{'、'.join(allowed)}。")
            return None
        return value

    def integer(self, name: str, label: str, low: int, high: int) -> int | None:
        value = self.single(name)
        if value is None:
            return None
        if not re.fullmatch(r"\d{1,6}", value) or not low <= int(value) <= high:
            self.problem(f"{name}（{label}）须为 {low}–{high} 之间的整数。")
            return None
        return int(value)


def parse_params(args: MultiDict, *, strict: bool) -> tuple[SearchParams, list[str]]:
    """Read search parameters; strict: raise ``InvalidSearch``, else return the problems."""
    r = _Reader(args, strict)
    unknown = sorted(set(args) - set(ALLOWED))
    if unknown:
        r.problem(f"不支持的参数：{'、'.join(unknown)}。可用参数：{'、'.join(ALLOWED)}。")
    q = r.single("q") or ""
    if len(q) > MAX_Q_CHARS:
        r.problem(f"q 过长：最多 {MAX_Q_CHARS} 个字符。")
        q = q[:MAX_Q_CHARS]
    this_year = local_today().year
    year_from = r.integer("year_from", "起始年份", FIRST_YEAR, this_year)
    year_to = r.integer("year_to", "截止年份", FIRST_YEAR, this_year)
    if year_from and year_to and year_from > year_to:
        r.problem("year_from 不能晚于 year_to。")
        year_from, year_to = year_to, year_from
    filters = Filters(
        categories=r.choices("categories", "问题类别", CATEGORIES),
        form=r.choice("form", "四种形态", FORMS),
        subject_level=r.choice("subject_level", "对象层级", SUBJECT_LEVELS),
        domains=r.choices("domains", "领域", known_domains()),
        year_from=year_from,
        year_to=year_to,
    )
    sort = r.choice("sort", "排序方式", tuple(SORTS)) or "relevance"
    page = r.integer("page", "页码", 1, MAX_PAGE) or 1
    per_page = r.integer("per_page", "每页条数", 1, API_MAX_PER_PAGE) or PAGE_SIZE
    return SearchParams(q, filters, sort, page, per_page), r.problems
