"""Registering for a session and cancelling, within its window and capacity."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from learn.accounts import User
from learn.core.db import utcnow
from learn.core.timefmt import format_datetime
from learn.errors import LearnError
from learn.extensions import db
from learn.lectures import access
from learn.lectures.models import LectureSession, Registration
from learn.lectures.sessions import active_registration_count


@dataclass(frozen=True)
class RegistrationState:
    registered: bool
    can_register: bool
    can_cancel: bool
    reason: str  # why registering is not possible now ("" when it is)
    taken: int
    capacity: int | None

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


def _registration(user_id: int, session_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.user_id == user_id, Registration.session_id == session_id
        )
    )


def registration_open(session: LectureSession, now: datetime) -> bool:
    closes = session.registration_closes_at or session.starts_at
    opens = session.registration_opens_at
    return not session.is_cancelled and (opens is None or opens <= now) and now < closes


def _blocker(user: User, session: LectureSession, now: datetime, taken: int) -> str:
    if session.is_cancelled:
        return "讲座已取消。"
    if now >= session.starts_at:
        return "讲座已开始，报名已结束。"
    opens = session.registration_opens_at
    if opens and now < opens:
        return f"报名将于 {format_datetime(opens)} 开始。"
    if session.registration_closes_at and now >= session.registration_closes_at:
        return "报名已截止。"
    if not access.in_audience(user, session):
        return f"本场面向{access.audience_text(session)}，您不在报名范围内。"
    if session.capacity is not None and taken >= session.capacity:
        return "名额已满。"
    return ""


def registration_state(user: User, session: LectureSession, now=None) -> RegistrationState:
    """Whether ``user`` is registered and what they can do about it now."""
    now = now or utcnow()
    row = _registration(user.id, session.id)
    registered = row is not None and row.is_active
    taken = active_registration_count(session)
    reason = "" if registered else _blocker(user, session, now, taken)
    return RegistrationState(
        registered=registered,
        can_register=not registered and not reason,
        can_cancel=registered and now < session.starts_at and not session.is_cancelled,
        reason=reason,
        taken=taken,
        capacity=session.capacity,
    )


def register(user: User, session: LectureSession, now=None) -> Registration:
    """Register ``user``; registering twice keeps the first registration."""
    now = now or utcnow()
    # Lock the session row so two cadres cannot both take the last seat (PostgreSQL);
    # SQLite serialises writers anyway.
    db.session.execute(
        select(LectureSession.id).where(LectureSession.id == session.id).with_for_update()
    )
    row = _registration(user.id, session.id)
    if row is not None and row.is_active:
        return row
    reason = _blocker(user, session, now, active_registration_count(session))
    if reason:
        raise LearnError(f"无法报名：{reason}")
    if row is None:
        row = Registration(session_id=session.id, user_id=user.id, registered_at=now)
        db.session.add(row)
    else:
        row.cancelled_at = None
        row.registered_at = now
    db.session.flush()
    return row


def cancel_registration(user: User, session: LectureSession, now=None) -> None:
    """Withdraw a registration before the session starts."""
    now = now or utcnow()
    row = _registration(user.id, session.id)
    if row is None or not row.is_active:
        raise LearnError("您尚未报名这场讲座。")
    if now >= session.starts_at:
        raise LearnError("讲座已开始，不能再取消报名；如不能到场请向组织者请假。")
    row.cancelled_at = now
    db.session.flush()


def active_registrations(session: LectureSession) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.cancelled_at.is_(None))
            .order_by(Registration.registered_at, Registration.id)
        )
    )
