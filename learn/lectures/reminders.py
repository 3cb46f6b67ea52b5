"""Reminders as in-app notifications: registration opened, one day before, materials
posted, feedback requested.

``send_due_reminders`` is safe to run as often as wanted and on several hosts at
once: each (kind, session or material, user) is first claimed by inserting a
``ReminderSent`` row in a savepoint; the unique constraint lets exactly one
claimant through (on PostgreSQL the second insert waits for the first
transaction and then fails), and only the claimant notifies. Every run claims in
the same order (by id), so two runs wait for each other instead of deadlocking.
"""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from learn.accounts import User
from learn.core.db import utcnow
from learn.core.timefmt import format_datetime
from learn.extensions import db
from learn.lectures import access
from learn.lectures.attendance import complete_session
from learn.lectures.feedback import closes_at
from learn.lectures.models import (
    Attendance,
    AttendanceStatus,
    FeedbackReceipt,
    LectureSession,
    Material,
    Registration,
    ReminderSent,
)
from learn.lectures.registration import registration_open
from learn.notifications import notify

REGISTRATION_OPENED = "registration_opened"
DAY_BEFORE = "day_before"
MATERIALS_POSTED = "materials_posted"
FEEDBACK_REQUESTED = "feedback_requested"
KIND_LABELS = {
    REGISTRATION_OPENED: "报名开始",
    DAY_BEFORE: "开讲前一天",
    MATERIALS_POSTED: "资料已上传",
    FEEDBACK_REQUESTED: "请求评价",
}
AUTO_COMPLETE_AFTER = timedelta(hours=2)
MATERIALS_RECENT = timedelta(days=7)


def _claim(kind: str, ref_id: int, user_id: int) -> bool:
    """Record that this reminder is being sent; False when someone already did."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderSent(kind=kind, ref_id=ref_id, user_id=user_id))
    except IntegrityError:
        return False
    return True


def _already(kind: str, ref_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(ReminderSent.user_id).where(
                ReminderSent.kind == kind, ReminderSent.ref_id == ref_id
            )
        )
    )


def _send(kind, ref_id, user_ids, title, body, link, sent: Counter) -> None:
    for user_id in sorted(set(user_ids) - _already(kind, ref_id)):
        if _claim(kind, ref_id, user_id):
            notify(user_id, title, body, link)
            sent[kind] += 1


def _link(session: LectureSession) -> str:
    return f"/lectures/sessions/{session.id}"


def _registered(session: LectureSession) -> set[int]:
    return set(
        db.session.scalars(
            select(Registration.user_id).where(
                Registration.session_id == session.id, Registration.cancelled_at.is_(None)
            )
        )
    )


def _upcoming(now: datetime, until: datetime) -> list[LectureSession]:
    return list(
        db.session.scalars(
            select(LectureSession)
            .where(
                LectureSession.cancelled_at.is_(None),
                LectureSession.starts_at > now,
                LectureSession.starts_at <= until,
            )
            .order_by(LectureSession.id)
        )
    )


def _registration_opened(now: datetime, sent: Counter) -> None:
    sessions = [s for s in _upcoming(now, now + timedelta(days=60)) if registration_open(s, now)]
    if not sessions:
        return
    users = list(db.session.scalars(select(User).where(User.active.is_(True))))
    for session in sessions:
        skip = _registered(session) | session.speaker_user_ids
        audience = [u.id for u in users if u.id not in skip and access.in_audience(u, session)]
        _send(
            REGISTRATION_OPENED,
            session.id,
            audience,
            f"开始报名：{session.title}",
            f"{session.series.name}，{format_datetime(session.starts_at)}开讲，欢迎报名。",
            _link(session),
            sent,
        )


def _day_before(now: datetime, sent: Counter) -> None:
    for session in _upcoming(now, now + timedelta(days=1)):
        where = session.place or "线上"
        _send(
            DAY_BEFORE,
            session.id,
            _registered(session) | session.speaker_user_ids,
            f"明天开讲：{session.title}",
            f"{format_datetime(session.starts_at)}，{where}。",
            _link(session),
            sent,
        )


def _materials_posted(now: datetime, sent: Counter) -> None:
    rows = db.session.execute(
        select(Material, LectureSession)
        .join(LectureSession, LectureSession.id == Material.session_id)
        .where(
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at > now - MATERIALS_RECENT,
            Material.uploaded_at > now - MATERIALS_RECENT,
        )
        .order_by(Material.id)
    )
    for material, session in rows:
        readers = _registered(session) - {material.uploaded_by_id}
        _send(
            MATERIALS_POSTED,
            material.id,
            readers,
            f"资料已上传：{session.title}",
            f"主讲人或组织者上传了“{material.title}”。",
            _link(session),
            sent,
        )


def _feedback_requested(now: datetime, sent: Counter) -> None:
    ended = db.session.scalars(
        select(LectureSession)
        .where(
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at <= now,
            LectureSession.starts_at > now - timedelta(days=60),
        )
        .order_by(LectureSession.id)
    )
    for session in ended:
        if not (session.ends_at <= now < closes_at(session)):
            continue
        attendees = db.session.scalars(
            select(Attendance.user_id)
            .outerjoin(
                FeedbackReceipt,
                and_(
                    FeedbackReceipt.session_id == Attendance.session_id,
                    FeedbackReceipt.user_id == Attendance.user_id,
                ),
            )
            .where(
                Attendance.session_id == session.id,
                Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
                FeedbackReceipt.user_id.is_(None),
            )
        )
        _send(
            FEEDBACK_REQUESTED,
            session.id,
            set(attendees) - session.speaker_user_ids,
            f"请评价：{session.title}",
            "匿名评价，只用于改进讲堂；主讲人只能看到汇总结果。",
            f"{_link(session)}/feedback",
            sent,
        )


def _complete_held(now: datetime) -> int:
    """Confirm sessions that ended a while ago with attendance, so speakers get their hours."""
    sessions = db.session.scalars(
        select(LectureSession)
        .where(
            LectureSession.held_at.is_(None),
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at <= now,
            LectureSession.id.in_(select(Attendance.session_id)),
        )
        .order_by(LectureSession.id)
    )
    done = 0
    for session in sessions:
        if session.ends_at + AUTO_COMPLETE_AFTER <= now:
            complete_session(None, session, now)
            done += 1
    return done


def send_due_reminders(now: datetime | None = None) -> Counter:
    """Send every reminder that is due and not yet sent; returns counts by kind."""
    now = now or utcnow()
    sent: Counter = Counter()
    _registration_opened(now, sent)
    _day_before(now, sent)
    _materials_posted(now, sent)
    _feedback_requested(now, sent)
    sent["completed"] = _complete_held(now)
    db.session.flush()
    return sent
