"""Offset pagination over a SQLAlchemy select, for list pages."""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session, stmt: Select, page: int, per_page: int = 30) -> Page:
    """Return one page of ``stmt``'s rows; out-of-range pages are clamped."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = max(1, min(page, max(1, ceil(total / per_page))))
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
