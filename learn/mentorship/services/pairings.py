"""Create pairings, find them, and move them through their states."""

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from learn.accounts import Role, User
from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.models import MentorAgreement, MentorGoal, MentorPairing
from learn.mentorship.services import notices
from learn.mentorship.settings import setting
from learn.mentorship.states import (
    OPEN_STATES,
    Event,
    PairingState,
    apply_event,
    require_allowed,
)

_OPEN = [s.value for s in OPEN_STATES]
_LOADS = (
    selectinload(MentorPairing.mentor),
    selectinload(MentorPairing.mentee),
    selectinload(MentorPairing.agreement),
    selectinload(MentorPairing.meetings),
    selectinload(MentorPairing.goals).selectinload(MentorGoal.milestones),
    selectinload(MentorPairing.goals).selectinload(MentorGoal.tasks),
)


def get_pairing(pairing_id: int) -> MentorPairing:
    pairing = db.session.get(MentorPairing, pairing_id)
    if pairing is None:
        raise NotFound(access.PAIRING_NOT_FOUND)
    return pairing


def visible_pairing(user, pairing_id: int) -> MentorPairing:
    """The pairing, if ``user`` may see it; otherwise not found."""
    pairing = get_pairing(pairing_id)
    access.require_view(user, pairing)
    return pairing


def mentor_load(mentor_id: int) -> int:
    """How many open pairings the mentor holds."""
    return db.session.scalar(
        select(func.count())
        .select_from(MentorPairing)
        .where(MentorPairing.mentor_id == mentor_id, MentorPairing.state.in_(_OPEN))
    )


def open_pairing_of(mentee_id: int) -> MentorPairing | None:
    return db.session.scalar(
        select(MentorPairing).where(
            MentorPairing.mentee_id == mentee_id, MentorPairing.state.in_(_OPEN)
        )
    )


def pairings_as_mentor(user_id: int) -> list[MentorPairing]:
    """The mentor's pairings, open ones first, newest first."""
    rows = db.session.scalars(
        select(MentorPairing)
        .options(*_LOADS)
        .where(MentorPairing.mentor_id == user_id)
        .order_by(MentorPairing.start_on.desc(), MentorPairing.id.desc())
    ).all()
    return sorted(rows, key=lambda p: p.state not in _OPEN)


def pairings_as_mentee(user_id: int) -> list[MentorPairing]:
    return list(
        db.session.scalars(
            select(MentorPairing)
            .options(*_LOADS)
            .where(MentorPairing.mentee_id == user_id)
            .order_by(MentorPairing.start_on.desc(), MentorPairing.id.desc())
        )
    )


def pairings_among(unit_ids: set[int] | None) -> list[MentorPairing]:
    """Pairings whose mentee is in ``unit_ids`` (None: everywhere), by end date."""
    stmt = select(MentorPairing).options(*_LOADS)
    if unit_ids is not None:
        stmt = stmt.join(User, User.id == MentorPairing.mentee_id).where(User.unit_id.in_(unit_ids))
    return list(db.session.scalars(stmt.order_by(MentorPairing.end_on, MentorPairing.id)))


def pairings_in_scope(user, unit_ids: set[int] | None = None) -> list[MentorPairing]:
    """Every pairing whose mentee is in the trainer's units (optionally narrowed)."""
    scope = access.trainer_unit_ids(user)
    if unit_ids is not None:
        scope = unit_ids if scope is None else scope & unit_ids
    return pairings_among(scope)


def mentor_candidates() -> list[User]:
    """Active users holding the mentor role, by name."""
    users = db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name, User.username)
    ).all()
    return [u for u in users if u.has_role(Role.MENTOR)]


def mentee_candidates(trainer) -> list[User]:
    """Active users in the trainer's units who have no open pairing."""
    scope = access.trainer_unit_ids(trainer)
    paired = select(MentorPairing.mentee_id).where(MentorPairing.state.in_(_OPEN))
    stmt = select(User).where(User.active.is_(True), User.id.not_in(paired))
    if scope is not None:
        stmt = stmt.where(User.unit_id.in_(scope))
    return list(db.session.scalars(stmt.order_by(User.name, User.username)))


def create_pairing(actor, mentor_id: int, mentee_id: int, start_on: date, end_on: date):
    """Pair a mentor with a mentee; the pairing waits for both to sign the agreement."""
    if mentor_id == mentee_id:
        raise LearnError("导师和学员不能是同一个人。")
    if end_on <= start_on:
        raise LearnError("帮带结束日期须晚于开始日期。")
    # Lock the mentor's row so two trainers pairing at once cannot exceed the capacity.
    mentor = db.session.scalar(select(User).where(User.id == mentor_id).with_for_update())
    mentee = db.session.get(User, mentee_id)
    if mentor is None or mentee is None:
        raise NotFound("所选导师或学员不存在。")
    if not mentor.active or not mentee.active:
        raise LearnError("所选导师或学员的账号已停用。")
    if not mentor.has_role(Role.MENTOR):
        raise LearnError(f"{mentor.name}还不是导师，请先由系统管理员授予“导师”角色。")
    if not access.owns_unit(actor, mentee.unit_id):
        raise LearnError(f"{mentee.name}不在您负责的单位，不能为其结对。")
    if open_pairing_of(mentee.id) is not None:
        raise Conflict(f"{mentee.name}已有导师，一名学员同时只能有一位导师。")
    capacity = setting("MENTOR_CAPACITY")
    if mentor_load(mentor.id) >= capacity:
        raise Conflict(f"{mentor.name}已带 {capacity} 名学员，达到上限，请另选导师。")
    pairing = MentorPairing(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        start_on=start_on,
        end_on=end_on,
        created_by_id=actor.id,
        agreement=MentorAgreement(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(pairing)
    except IntegrityError as exc:
        raise Conflict(f"{mentee.name}已有导师，一名学员同时只能有一位导师。") from exc
    record_event(
        "mentor_pairing_created",
        actor,
        target_type="mentor_pairing",
        target_id=pairing.id,
        detail=f"{mentor.name} → {mentee.name}",
    )
    notices.pairing_created(pairing)
    return pairing


def activate(pairing) -> None:
    """Start the pairing once both parties have signed (called by the agreement service)."""
    apply_event(pairing, Event.ACTIVATE, local_today())
    pairing.activated_on = local_today()
    db.session.flush()
    notices.pairing_started(pairing)


def complete_early(actor, pairing, note: str) -> None:
    """End the term before its end date because the goals were met; the review follows."""
    access.require_owner(actor, pairing)
    today = local_today()
    apply_event(pairing, Event.COMPLETE_EARLY, today)
    pairing.ended_early_on = today
    pairing.end_note = note.strip()
    db.session.flush()
    record_event(
        "mentor_pairing_completed_early",
        actor,
        target_type="mentor_pairing",
        target_id=pairing.id,
        detail=pairing.end_note,
    )
    notices.review_due(pairing)


def extend(actor, pairing, new_end: date) -> None:
    """Move the end date later; an ended term becomes active again."""
    access.require_owner(actor, pairing)
    today = local_today()
    require_allowed(pairing, Event.EXTEND, today)
    if new_end <= today or new_end <= pairing.end_on:
        raise LearnError("新的结束日期须晚于今天和原结束日期。")
    apply_event(pairing, Event.EXTEND, today)
    old_end = pairing.end_on
    pairing.end_on = new_end
    pairing.ended_early_on = None
    db.session.flush()
    record_event(
        "mentor_pairing_extended",
        actor,
        target_type="mentor_pairing",
        target_id=pairing.id,
        detail=f"{old_end:%Y-%m-%d} → {new_end:%Y-%m-%d}",
    )


def terminate(actor, pairing, reason: str) -> None:
    """End the pairing before its term, for a stated reason."""
    access.require_owner(actor, pairing)
    require_allowed(pairing, Event.TERMINATE, local_today())
    reason = reason.strip()
    if not reason:
        raise LearnError("请填写终止帮带的原因。")
    today = local_today()
    apply_event(pairing, Event.TERMINATE, today)
    pairing.ended_early_on = today
    pairing.end_note = reason
    db.session.flush()
    record_event(
        "mentor_pairing_terminated",
        actor,
        target_type="mentor_pairing",
        target_id=pairing.id,
        detail=reason,
    )
    notices.pairing_closed(
        pairing, "师徒帮带关系已终止", f"{pairing.mentor.name}与{pairing.mentee.name}：{reason}"
    )


def close_ended_terms(today: date) -> list[MentorPairing]:
    """Record that active pairings past their end date await review; notify once.

    The conditional UPDATE makes this safe to run on several hosts at once:
    only the run whose UPDATE changed the row sends the notifications.
    """
    due = db.session.scalars(
        select(MentorPairing.id).where(
            MentorPairing.state == PairingState.ACTIVE, MentorPairing.end_on <= today
        )
    ).all()
    closed = []
    for pairing_id in due:
        changed = db.session.execute(
            update(MentorPairing)
            .where(MentorPairing.id == pairing_id, MentorPairing.state == PairingState.ACTIVE)
            .values(state=PairingState.AWAITING_REVIEW, state_changed_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed:
            pairing = get_pairing(pairing_id)
            db.session.refresh(pairing)
            notices.review_due(pairing)
            closed.append(pairing)
    db.session.flush()
    return closed
