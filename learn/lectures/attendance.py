"""Check-in (rotating code or QR), hand-marked attendance lists and 学时 credit.

Attendance credits the session's hours once (the ledger's unique triple and the
attendance row's unique pair both guard it); confirming a session as held
credits its platform speakers at ``SPEAKER_HOURS_MULTIPLE``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learn.accounts import User
from learn.audit import record_event
from learn.core.db import utcnow
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.checkin_codes import code_is_valid, current_code, derive_secret
from learn.lectures.models import (
    Attendance,
    AttendanceStatus,
    CheckinMethod,
    LectureSession,
)
from learn.lectures.registration import active_registrations
from learn.ledger import HourEntry, SourceType, credit_hours

CHECKIN_EARLY = timedelta(minutes=30)
CHECKIN_LATE = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=15)


def _secret() -> bytes:
    return derive_secret(current_app.config["SECRET_KEY"])


def _step() -> int:
    return int(current_app.config["LECTURE_CHECKIN_SECONDS"])


def checkin_open(session: LectureSession, now: datetime) -> bool:
    """Check-in runs from half an hour before the start to half an hour after the end."""
    return (
        not session.is_cancelled
        and session.starts_at - CHECKIN_EARLY <= now <= session.ends_at + CHECKIN_LATE
    )


def projector_code(actor: User, session: LectureSession, now=None) -> tuple[str, int]:
    """The code to show on the projector and the seconds until it changes (organisers only)."""
    now = now or utcnow()
    if not access.can_manage_session(actor, session):
        raise PermissionDenied("只有本场组织者可以显示签到码。")
    if not checkin_open(session, now):
        raise LearnError("签到码只在开讲前 30 分钟至结束后 30 分钟内显示。")
    return current_code(_secret(), session.id, now, _step())


def _credit(session: LectureSession, user_id: int) -> HourEntry:
    return credit_hours(
        user_id,
        SourceType.LECTURE_ATTENDANCE,
        session.id,
        session.hours,
        session.full_title,
        online=False,
        when=session.starts_at,
    )


def attendance_of(user_id: int, session: LectureSession) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id, Attendance.user_id == user_id)
    )


@dataclass(frozen=True)
class CheckinResult:
    attendance: Attendance
    already: bool  # the cadre had checked in before: nothing new was credited


def check_in(
    user: User, session: LectureSession, code: str, method=CheckinMethod.CODE, now=None
) -> CheckinResult:
    """Check ``user`` in with the code on the projector and credit the session's hours."""
    now = now or utcnow()
    if session.is_cancelled:
        raise LearnError("讲座已取消，无需签到。")
    if not checkin_open(session, now):
        raise LearnError("现在不在签到时间内（开讲前 30 分钟至结束后 30 分钟）。")
    if not code_is_valid(_secret(), session.id, code, now, _step()):
        raise LearnError("签到码不正确或已过期，请输入投影屏上显示的最新签到码。")
    status = (
        AttendanceStatus.LATE if now > session.starts_at + LATE_AFTER else AttendanceStatus.PRESENT
    )
    found = attendance_of(user.id, session)
    if found is not None and AttendanceStatus(found.status).credits_hours:
        return CheckinResult(found, already=True)
    if found is None:
        found = Attendance(session_id=session.id, user_id=user.id, status=status, method=method)
        try:
            with db.session.begin_nested():
                db.session.add(found)
        except IntegrityError:  # the same cadre checking in twice at once
            return CheckinResult(attendance_of(user.id, session), already=True)
    else:  # marked 请假/缺席 by hand but here after all
        found.status, found.method, found.marked_by_id = status, method, None
    found.marked_at = now
    _credit(session, user.id)
    db.session.flush()
    return CheckinResult(found, already=False)


def mark_attendance(actor: User, session: LectureSession, marks: dict[int, str], now=None) -> int:
    """Record 出席/迟到/请假/缺席 by hand, all or nothing; returns how many rows changed.

    Hours once credited stay credited (the ledger is append-only), so a credited
    cadre cannot be turned into 请假/缺席 here.
    """
    now = now or utcnow()
    if not access.can_manage_session(actor, session):
        raise PermissionDenied("只有本场组织者可以登记考勤。")
    if session.is_cancelled:
        raise LearnError("讲座已取消，无需登记考勤。")
    try:
        wanted = {user_id: AttendanceStatus(value) for user_id, value in marks.items()}
    except ValueError as exc:
        raise LearnError("考勤状态无效。") from exc
    rows = {user_id: attendance_of(user_id, session) for user_id in wanted}
    if now < session.starts_at - CHECKIN_EARLY and any(s.credits_hours for s in wanted.values()):
        raise LearnError("讲座尚未开始，现在只能登记请假。")
    locked = [
        row.user.name
        for user_id, row in rows.items()
        if row is not None
        and AttendanceStatus(row.status).credits_hours
        and not wanted[user_id].credits_hours
    ]
    if locked:
        raise LearnError(
            f"{'、'.join(locked)} 已签到并计入学时，不能改为请假或缺席；"
            "如确属误记，请联系系统管理员更正学时。"
        )
    changed = 0
    for user_id, status in wanted.items():
        row = rows[user_id]
        if row is not None and row.status == status:
            continue
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id)
            db.session.add(row)
        row.status, row.method, row.marked_by_id, row.marked_at = (
            status,
            CheckinMethod.HAND,
            actor.id,
            now,
        )
        if status.credits_hours:
            _credit(session, user_id)
        changed += 1
    db.session.flush()
    if changed:
        record_event(
            "lecture_attendance_marked",
            actor,
            target_type="lecture_session",
            target_id=session.id,
            detail=f"{session.full_title}：{changed} 人",
        )
    return changed


def complete_session(actor: User | None, session: LectureSession, now=None) -> list[HourEntry]:
    """Confirm the session was held and credit its platform speakers (once).

    ``actor`` None is the scheduled job confirming a session that has attendance.
    """
    now = now or utcnow()
    if actor is not None and not access.can_manage_session(actor, session):
        raise PermissionDenied("只有本场组织者可以确认讲座已举办。")
    if session.is_cancelled:
        raise LearnError("讲座已取消，不能确认举办。")
    if now < session.starts_at:
        raise LearnError("讲座还没有开始，开讲后才能确认举办。")
    multiple = Decimal(str(current_app.config["SPEAKER_HOURS_MULTIPLE"]))
    entries = [
        credit_hours(
            user_id,
            SourceType.LECTURE_SPEAKER,
            session.id,
            session.hours * multiple,
            f"{session.full_title}（主讲）",
            online=False,
            when=session.starts_at,
        )
        for user_id in sorted(session.speaker_user_ids)
    ]
    if session.held_at is None:
        session.held_at = now
        record_event(
            "lecture_session_held",
            actor,
            username="" if actor else "system",
            target_type="lecture_session",
            target_id=session.id,
            detail=session.full_title,
        )
    db.session.flush()
    return entries


@dataclass(frozen=True)
class ListRow:
    user: User
    registered: bool
    attendance: Attendance | None


def attendance_list(session: LectureSession) -> list[ListRow]:
    """Everyone registered or already marked, registered first, then by name."""
    registered = {r.user_id: r.user for r in active_registrations(session)}
    marked = {
        a.user_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    }
    people = dict(registered)
    people.update({uid: a.user for uid, a in marked.items()})
    rows = [ListRow(user, uid in registered, marked.get(uid)) for uid, user in people.items()]
    return sorted(rows, key=lambda r: (not r.registered, r.user.unit_id or 0, r.user.name))


def credited_hours(user_id: int, session: LectureSession) -> Decimal | None:
    """Hours the ledger holds for ``user_id`` attending ``session`` (None: not credited)."""
    return db.session.scalar(
        select(HourEntry.hours).where(
            HourEntry.user_id == user_id,
            HourEntry.source_type == SourceType.LECTURE_ATTENDANCE,
            HourEntry.source_id == str(session.id),
        )
    )
