"""Anonymous feedback after a session and the aggregated results.

Anonymity is built into the storage, not just the pages: a rating row has no
user, no time and a random key (see ``Feedback``); the receipt that stops a
second rating says only *that* someone rated. Results are shown only

- after the feedback period has closed, so nobody can compare the averages
  before and after one person's rating and work out what that person gave, and
- when at least ``LECTURE_FEEDBACK_MIN`` ratings exist,

and then only as averages, distributions and the comments in random order.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from learn.accounts import User
from learn.core.db import utcnow
from learn.errors import Conflict, LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.attendance import attendance_of
from learn.lectures.models import (
    AttendanceStatus,
    Feedback,
    FeedbackReceipt,
    LectureSeries,
    LectureSession,
)

DIMENSIONS = (("content", "内容"), ("usefulness", "实用性"), ("delivery", "讲授效果"))


def feedback_days() -> int:
    return int(current_app.config["LECTURE_FEEDBACK_DAYS"])


def minimum_count() -> int:
    return int(current_app.config["LECTURE_FEEDBACK_MIN"])


def closes_at(session: LectureSession) -> datetime:
    return session.ends_at + timedelta(days=feedback_days())


def has_given(user_id: int, session: LectureSession) -> bool:
    return db.session.get(FeedbackReceipt, (session.id, user_id)) is not None


def feedback_blocker(user: User, session: LectureSession, now=None) -> str:
    """Why ``user`` cannot rate ``session`` now ("" when they can)."""
    now = now or utcnow()
    attendance = attendance_of(user.id, session)
    if attendance is None or not AttendanceStatus(attendance.status).credits_hours:
        return "只有参加了本场讲座的学员可以评价。"
    if access.is_speaker(user, session):
        return "主讲人不评价自己的讲座。"
    if now < session.ends_at:
        return "讲座结束后才能评价。"
    if now > closes_at(session):
        return "评价已截止。"
    if has_given(user.id, session):
        return "您已评价过这场讲座，谢谢！"
    return ""


def _score(value) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError) as exc:
        raise LearnError("评分须为 1 到 5 的整数。") from exc
    if not 1 <= score <= 5:
        raise LearnError("评分须为 1 到 5 的整数。")
    return score


def submit_feedback(
    user: User,
    session: LectureSession,
    content,
    usefulness,
    delivery,
    comment: str = "",
    now=None,
) -> None:
    """Record one anonymous rating; a second one from the same cadre is refused."""
    reason = feedback_blocker(user, session, now)
    if reason:
        raise LearnError(reason)
    row = Feedback(
        id=secrets.token_hex(16),
        session_id=session.id,
        content=_score(content),
        usefulness=_score(usefulness),
        delivery=_score(delivery),
        comment=(comment or "").strip()[:1000],
    )
    try:
        with db.session.begin_nested():
            db.session.add(FeedbackReceipt(session_id=session.id, user_id=user.id))
            db.session.flush()
    except IntegrityError as exc:  # a second submission racing the first
        raise Conflict("您已评价过这场讲座，谢谢！") from exc
    db.session.add(row)
    db.session.flush()


def _avg(total, count) -> Decimal:
    return (Decimal(total) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Summary:
    """Aggregated results of one session; ``state`` says whether they may be shown."""

    state: str  # "collecting", "too_few" or "visible"
    count: int
    closes_at: datetime
    averages: dict[str, Decimal]  # per dimension and "overall"; empty unless visible
    distribution: dict[str, list[int]]  # per dimension: how many gave 1 … 5
    comments: list[str]

    @property
    def visible(self) -> bool:
        return self.state == "visible"


def summary(session: LectureSession, now=None) -> Summary:
    """The session's results, withheld until the period closes and enough people rated."""
    now = now or utcnow()
    count = db.session.scalar(
        select(func.count()).select_from(Feedback).where(Feedback.session_id == session.id)
    )
    closing = closes_at(session)
    if now <= closing:
        return Summary("collecting", count, closing, {}, {}, [])
    if count < minimum_count():
        return Summary("too_few", count, closing, {}, {}, [])
    rows = list(db.session.scalars(select(Feedback).where(Feedback.session_id == session.id)))
    averages = {key: _avg(sum(getattr(r, key) for r in rows), count) for key, _label in DIMENSIONS}
    averages["overall"] = _avg(sum(r.content + r.usefulness + r.delivery for r in rows), count * 3)
    distribution = {
        key: [sum(1 for r in rows if getattr(r, key) == score) for score in range(1, 6)]
        for key, _label in DIMENSIONS
    }
    # Random keys give a random order: comments never come out in the order they came in.
    comments = [r.comment for r in sorted(rows, key=lambda r: r.id) if r.comment]
    return Summary("visible", count, closing, averages, distribution, comments)


def session_results(viewer: User, session: LectureSession, now=None) -> Summary:
    """Results for a speaker of the session or someone who may read the series' results."""
    if not access.can_read_session_results(viewer, session):
        raise PermissionDenied("只有本场主讲人、组织者和挂联领导可以查看评价结果。")
    return summary(session, now)


@dataclass(frozen=True)
class SeriesResults:
    rows: list[tuple[LectureSession, Summary]]
    averages: dict[str, Decimal]  # over all visible ratings of the series
    rated: int


def series_results(viewer: User, series: LectureSeries, now=None) -> SeriesResults:
    """Per-session results of a series, for leaders and organisers of its unit."""
    if not access.can_read_series_results(viewer, series):
        raise PermissionDenied("您不能查看这个讲堂系列的评价结果。")
    now = now or utcnow()
    sessions = db.session.scalars(
        select(LectureSession)
        .where(
            LectureSession.series_id == series.id,
            LectureSession.starts_at <= now,
            LectureSession.cancelled_at.is_(None),
        )
        .order_by(LectureSession.starts_at)
    )
    rows = [(s, summary(s, now)) for s in sessions]
    visible = [(s, r) for s, r in rows if r.visible]
    rated = sum(r.count for _, r in visible)
    averages = {}
    if rated:
        for key in [k for k, _ in DIMENSIONS] + ["overall"]:
            weighted = sum(r.averages[key] * r.count for _, r in visible)
            averages[key] = (weighted / rated).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return SeriesResults(rows, averages, rated)
