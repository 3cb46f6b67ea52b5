"""挂联指导: a leader's picture of each linked unit, and their guidance visits."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from learn.accounts import User
from learn.core.timefmt import local_today
from learn.errors import LearnError, NotFound
from learn.extensions import db
from learn.ledger import QuotaStatus, quota_status
from learn.mentorship.models import GuidanceVisit, VisitKind
from learn.mentorship.services import dashboard, pairings
from learn.mentorship.services.health import HealthLevel
from learn.mentorship.states import OPEN_STATES
from learn.org import services as org


def _required_completion():
    """``learn.courses.required_completion`` when the courses domain is installed."""
    try:
        from learn.courses import required_completion
    except ImportError:
        return None
    return required_completion


@dataclass(frozen=True)
class PersonRow:
    user: User
    required: tuple[int, int] | None  # (done, total) required courses; None: unknown
    quota: QuotaStatus
    pair: dashboard.PairRow | None  # their open pairing as mentee


@dataclass(frozen=True)
class UnitPicture:
    unit: object
    people: list[PersonRow]
    pairs: list[dashboard.PairRow]
    visits: list[GuidanceVisit]

    @property
    def required_done(self) -> tuple[int, int] | None:
        known = [p.required for p in self.people if p.required is not None]
        if not known:
            return None
        return sum(d for d, _ in known), sum(t for _, t in known)

    @property
    def quota_met(self) -> int:
        return sum(1 for p in self.people if p.quota.met)

    def pairs_with(self, level: HealthLevel) -> int:
        return sum(1 for r in self.pairs if r.health and r.health.level == level)


def unit_picture(unit, today: date | None = None, *, with_people: bool = True) -> UnitPicture:
    """People, required courses, hours against quota, pairs and visits of one unit."""
    today = today or local_today()
    unit_ids = org.with_units_below({unit.id})
    people = db.session.scalars(
        select(User)
        .where(User.unit_id.in_(unit_ids), User.active.is_(True))
        .order_by(User.name, User.username)
    ).all()
    pair_rows = [
        dashboard.pair_row(p, today)
        for p in pairings.pairings_among(unit_ids)
        if p.state_on(today) in OPEN_STATES
    ]
    by_mentee = {r.pairing.mentee_id: r for r in pair_rows}
    completion = _required_completion()
    rows = [
        PersonRow(
            user=person,
            required=completion(person) if completion else None,
            quota=quota_status(person, today.year),
            pair=by_mentee.get(person.id),
        )
        for person in (people if with_people else [])
    ]
    return UnitPicture(unit=unit, people=rows, pairs=pair_rows, visits=visits_for(unit.id))


def visits_for(unit_id: int) -> list[GuidanceVisit]:
    return list(
        db.session.scalars(
            select(GuidanceVisit)
            .where(GuidanceVisit.unit_id == unit_id)
            .order_by(GuidanceVisit.visited_on.desc(), GuidanceVisit.id.desc())
        )
    )


def log_visit(
    leader, unit, *, visited_on: date, kind: str, topic: str, notes: str = ""
) -> GuidanceVisit:
    """Record a guidance visit to a linked unit (the caller has checked the link)."""
    if visited_on > local_today():
        raise LearnError("指导日期不能晚于今天。")
    if kind not in set(VisitKind):
        raise LearnError("请选择指导形式。")
    if not topic.strip():
        raise LearnError("请填写指导主题。")
    visit = GuidanceVisit(
        leader_id=leader.id,
        unit_id=unit.id,
        visited_on=visited_on,
        kind=kind,
        topic=topic.strip(),
        notes=notes.strip(),
    )
    db.session.add(visit)
    db.session.flush()
    return visit


def delete_visit(leader, unit, visit_id: int) -> None:
    """Delete one of the leader's own visit records."""
    visit = db.session.get(GuidanceVisit, visit_id)
    if visit is None or visit.unit_id != unit.id or visit.leader_id != leader.id:
        raise NotFound("指导记录不存在，或不是您记录的。")
    db.session.delete(visit)
    db.session.flush()
