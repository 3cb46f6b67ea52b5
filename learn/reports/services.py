"""Build the training report for the units a viewer may see."""

from dataclasses import dataclass, field
from decimal import Decimal

from learn.accounts import User
from learn.core.timefmt import local_today, to_local
from learn.courses import (
    enrollments_of,
    people_in_scope,
    published_courses,
    scope_unit_ids,
    standings_for,
)
from learn.errors import NotFound
from learn.ledger import Outlook, QuotaStatus, outlook, quota_statuses
from learn.org import services as org

YEARS_BACK = 5


@dataclass(frozen=True)
class Filters:
    year: int
    unit_id: int | None = None
    category: str | None = None
    at_risk_only: bool = False


@dataclass(frozen=True)
class PersonRow:
    user: User
    categories: tuple[str, ...]
    required_done: int
    required_total: int
    status: QuotaStatus
    outlook: Outlook

    @property
    def unit_name(self) -> str:
        return self.user.unit.name if self.user.unit else "（未分配单位）"

    @property
    def required_percent(self) -> int:
        if not self.required_total:
            return 100
        return int(self.required_done * 100 / self.required_total)

    @property
    def behind(self) -> bool:
        return self.outlook in (Outlook.AT_RISK, Outlook.MISSED)


@dataclass
class UnitRow:
    name: str
    people: list[PersonRow] = field(default_factory=list)

    @property
    def headcount(self) -> int:
        return len(self.people)

    @property
    def required_done(self) -> int:
        return sum(p.required_done for p in self.people)

    @property
    def required_total(self) -> int:
        return sum(p.required_total for p in self.people)

    @property
    def required_percent(self) -> int:
        if not self.required_total:
            return 100
        return int(self.required_done * 100 / self.required_total)

    @property
    def hours(self) -> Decimal:
        return sum((p.status.year_total for p in self.people), Decimal(0))

    @property
    def average_hours(self) -> Decimal:
        if not self.people:
            return Decimal(0)
        return (self.hours / len(self.people)).quantize(Decimal("0.1"))

    def count(self, *outlooks: Outlook) -> int:
        return sum(1 for p in self.people if p.outlook in outlooks)


@dataclass(frozen=True)
class Report:
    filters: Filters
    people: list[PersonRow]
    units: list[UnitRow]
    completions_by_month: list[int]  # required and elective completions in each month

    @property
    def totals(self) -> UnitRow:
        return UnitRow("合计", list(self.people))


def year_choices() -> list[int]:
    this_year = local_today().year
    return list(range(this_year, this_year - YEARS_BACK, -1))


def _people(viewer, filters: Filters) -> list[User]:
    if filters.unit_id is None:
        return people_in_scope(viewer)
    allowed = scope_unit_ids(viewer)
    if allowed is not None and filters.unit_id not in allowed:
        # the same answer as for a unit that does not exist: no hint about other units
        raise NotFound("单位不存在，或不在您可查看的范围内。")
    return people_in_scope(viewer, org.with_units_below({filters.unit_id}))


def build_report(viewer, filters: Filters) -> Report:
    """Rows for every active cadre in ``viewer``'s scope matching ``filters``."""
    people = _people(viewer, filters)
    if filters.category:
        people = [u for u in people if filters.category in {c.value for c in u.categories}]
    courses = published_courses()
    standings = standings_for(people, courses)
    enrollments = enrollments_of(u.id for u in people)
    statuses = quota_statuses(people, filters.year)
    today = local_today()
    rows = []
    for user in people:
        required = [c for c in courses if (s := standings[(user.id, c.id)]) and s.required]
        done = sum(
            1
            for c in required
            if (e := enrollments.get((user.id, c.id))) is not None and e.completed_at is not None
        )
        status = statuses[user.id]
        rows.append(
            PersonRow(
                user=user,
                categories=tuple(sorted(c.value for c in user.categories)),
                required_done=done,
                required_total=len(required),
                status=status,
                outlook=outlook(status, today),
            )
        )
    if filters.at_risk_only:
        rows = [r for r in rows if r.behind]
    units: dict[str, UnitRow] = {}
    for row in rows:
        units.setdefault(row.unit_name, UnitRow(row.unit_name)).people.append(row)
    shown = {r.user.id for r in rows}
    by_month = [0] * 12
    for enrollment in enrollments.values():
        if enrollment.completed_at is not None and enrollment.user_id in shown:
            local = to_local(enrollment.completed_at)
            if local.year == filters.year:
                by_month[local.month - 1] += 1
    return Report(filters, rows, list(units.values()), by_month)
