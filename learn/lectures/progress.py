"""What the lectures domain shows elsewhere: the progress section on a cadre's growth
pages (lectures attended and given, with scores). The home panel is in ``panels``."""

from sqlalchemy import select

from learn.core.db import utcnow
from learn.core.progress import ProgressSection
from learn.core.timefmt import to_local
from learn.extensions import db
from learn.lectures.feedback import summary
from learn.lectures.models import (
    Attendance,
    AttendanceStatus,
    LectureSession,
    SessionSpeaker,
)


def attended_sessions(user_id: int) -> list[LectureSession]:
    return list(
        db.session.scalars(
            select(LectureSession)
            .join(Attendance, Attendance.session_id == LectureSession.id)
            .where(
                Attendance.user_id == user_id,
                Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
            )
            .order_by(LectureSession.starts_at)
        )
    )


def given_sessions(user_id: int) -> list[LectureSession]:
    return list(
        db.session.scalars(
            select(LectureSession)
            .join(SessionSpeaker, SessionSpeaker.session_id == LectureSession.id)
            .where(
                SessionSpeaker.user_id == user_id,
                LectureSession.cancelled_at.is_(None),
                LectureSession.starts_at <= utcnow(),
            )
            .order_by(LectureSession.starts_at)
        )
    )


def progress_section(user) -> ProgressSection | None:
    attended = attended_sessions(user.id)
    given = given_sessions(user.id)
    if not attended and not given:
        return None
    cumulative = [(to_local(s.starts_at).date(), n) for n, s in enumerate(attended, start=1)]
    return ProgressSection(
        key="lectures",
        title="讲堂：参加与登台",
        template="lectures/_progress.html",
        context={
            "attended": attended,
            "attended_hours": sum((s.hours for s in attended), start=0),
            "given": [(s, summary(s)) for s in given],
        },
        series={"参加讲堂（累计场次）": cumulative},
        order=30,
    )
