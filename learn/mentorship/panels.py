"""The home-page panel: my pairing's status and the next meeting due, what waits for me.

Only open pairings are loaded (a pairing's effective state is open exactly when
its stored state is), with just the rows their health is computed from; a
trainer sees a summary of the programme dashboard, counted from the open pairs.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from learn.accounts import User
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.home.panels import Panel
from learn.mentorship import access
from learn.mentorship.models import MentorGoal, MentorPairing
from learn.mentorship.services import dashboard
from learn.mentorship.services.health import HealthLevel, pairing_health
from learn.mentorship.settings import setting
from learn.mentorship.states import OPEN_STATES, PairingState

_OPEN = [s.value for s in OPEN_STATES]
# one-to-one and many-to-one rows ride along in the main query; lists come in one query each
_HEALTH_LOADS = (
    joinedload(MentorPairing.agreement),
    selectinload(MentorPairing.meetings),
    selectinload(MentorPairing.goals).selectinload(MentorGoal.milestones),
)


def _person(relationship):
    """Load the other party for their name, without their roles and categories."""
    return joinedload(relationship).options(lazyload(User.role_rows), lazyload(User.category_rows))


@dataclass(frozen=True)
class ProgrammeSummary:
    """What the panel shows of a trainer's programme dashboard."""

    has_pairs: bool  # any pairing in the trainer's units, open or ended
    by_health: dict[HealthLevel, int]  # open pairs by health
    ending_soon: list[MentorPairing]


def _my_open_pairings(user_id: int) -> list[MentorPairing]:
    """Open pairings the user mentors or is mentored in, newest first."""
    return db.session.scalars(
        select(MentorPairing)
        .options(
            *_HEALTH_LOADS,
            selectinload(MentorPairing.goals).selectinload(MentorGoal.tasks),
            _person(MentorPairing.mentor),
            _person(MentorPairing.mentee),
        )
        .where(
            or_(MentorPairing.mentee_id == user_id, MentorPairing.mentor_id == user_id),
            MentorPairing.state.in_(_OPEN),
        )
        .order_by(MentorPairing.start_on.desc(), MentorPairing.id.desc())
    ).all()


def _in_scope(stmt, scope: set[int] | None):
    """Narrow a pairing query to mentees in ``scope`` (None: everywhere)."""
    if scope is None:
        return stmt
    return stmt.join(User, User.id == MentorPairing.mentee_id).where(User.unit_id.in_(scope))


def programme_summary(user, today: date) -> ProgrammeSummary:
    """The figures of ``dashboard.build`` the panel shows, for a trainer or admin."""
    scope = access.trainer_unit_ids(user)
    open_pairs = db.session.scalars(
        _in_scope(
            select(MentorPairing).options(*_HEALTH_LOADS).where(MentorPairing.state.in_(_OPEN)),
            scope,
        )
    ).all()
    has_pairs = bool(open_pairs) or (
        db.session.scalar(_in_scope(select(MentorPairing.id), scope).limit(1)) is not None
    )
    healths = (pairing_health(p, today) for p in open_pairs)
    counts = Counter(h.level for h in healths if h)
    horizon = today + timedelta(days=setting("MENTOR_TERM_SOON_DAYS"))
    ending_soon = sorted(
        (
            p
            for p in open_pairs
            if p.state_on(today) in (PairingState.ACTIVE, PairingState.PENDING)
            and p.end_on <= horizon
        ),
        key=lambda p: p.end_on,
    )
    return ProgrammeSummary(has_pairs, {h: counts.get(h, 0) for h in HealthLevel}, ending_soon)


def build_panel(user) -> Panel | None:
    today = local_today()
    mine = _my_open_pairings(user.id)
    as_mentee = [dashboard.pair_row(p, today) for p in mine if p.mentee_id == user.id]
    as_mentor = [dashboard.pair_row(p, today) for p in mine if p.mentor_id == user.id]
    board = programme_summary(user, today) if access.is_trainer(user) else None
    if not (as_mentee or as_mentor or (board and board.has_pairs)):
        return None
    return Panel(
        title="师徒帮带",
        template="mentorship/_panel.html",
        context={"as_mentee": as_mentee, "as_mentor": as_mentor, "board": board, "me": user},
        order=40,
    )
