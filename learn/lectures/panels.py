"""The home-page panel: my next sessions and what I still owe as a lecturer.

One query finds the sessions I registered for or speak at, with whether each
already has materials, and answers both lists of the panel: the same rows as
``sessions.next_sessions_for`` and the unfinished ``rotas.my_teaching`` items.
"""

from datetime import timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import defer, lazyload, selectinload

from learn.core.db import utcnow
from learn.extensions import db
from learn.home.panels import Panel
from learn.lectures.models import LectureSession, Material, Registration, SessionSpeaker
from learn.lectures.rotas import TeachingItem

SESSIONS_SHOWN = 5
TEACHING_SHOWN = 3
# next_sessions_for keeps sessions that started up to this long ago and have not ended
RECENT_START = timedelta(hours=12)


def _my_sessions(user_id: int, now):
    """(session, I speak at it, it has materials) for my live sessions, by start time."""
    registered = select(Registration.session_id).where(
        Registration.user_id == user_id, Registration.cancelled_at.is_(None)
    )
    speaking = (
        exists()
        .where(SessionSpeaker.session_id == LectureSession.id, SessionSpeaker.user_id == user_id)
        .correlate(LectureSession)
    )
    has_material = (
        exists().where(Material.session_id == LectureSession.id).correlate(LectureSession)
    )
    return db.session.execute(
        select(LectureSession, speaking, has_material)
        .options(
            defer(LectureSession.abstract),
            defer(LectureSession.abstract_html),
            lazyload(LectureSession.series),
            lazyload(LectureSession.audience_units),
            selectinload(LectureSession.speakers).lazyload(SessionSpeaker.user),
        )
        .where(
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at >= now - RECENT_START,
            or_(LectureSession.id.in_(registered), speaking),
        )
        .order_by(LectureSession.starts_at, LectureSession.id)
    ).all()


def home_panel(user) -> Panel:
    now = utcnow()
    rows = _my_sessions(user.id, now)
    upcoming = [s for s, _speaking, _material in rows if s.ends_at > now]
    teaching = [
        TeachingItem(s, s.topic_confirmed, bool(material))
        for s, speaking, material in rows
        if speaking and s.starts_at > now
    ]
    return Panel(
        title="我的讲堂",
        template="lectures/_home_panel.html",
        context={
            "sessions": upcoming[:SESSIONS_SHOWN],
            "teaching": [item for item in teaching if not item.done][:TEACHING_SHOWN],
        },
        order=30,
    )
