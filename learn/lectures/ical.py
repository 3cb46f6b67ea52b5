"""iCalendar (.ics) files for sessions, and personal subscription feeds at secret URLs.

A feed URL carries a random token; only its SHA-256 is stored, so the database
never holds a usable URL. Making a new URL revokes the old one; revoking
deletes it. Calendar programs fetch the feed without a login, which is why the
token is the credential.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select

from learn.accounts import User
from learn.audit import record_event
from learn.core.db import utcnow
from learn.extensions import db
from learn.lectures.models import CalendarFeed, LectureSession, Registration, SessionSpeaker

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//learn//纪检监察干部学习平台 讲堂//ZH"
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


def _event(session: LectureSession, url: str) -> "Event":
    from icalendar import Event  # loaded on first use, not at start-up

    event = Event()
    event.add("uid", f"lecture-session-{session.id}@learn")
    event.add("dtstamp", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.series.name}：{session.title}")
    location = session.place or session.online_url
    if location:
        event.add("location", location)
    lines = []
    if session.speakers:
        lines.append(f"主讲：{session.speaker_names}")
    if session.online_url:
        lines.append(f"线上参加：{session.online_url}")
    if session.abstract:
        lines.append(session.abstract)
    lines.append(f"详情：{url}")
    event.add("description", "\n\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def calendar_bytes(sessions: list[LectureSession], name: str, url_for_session) -> bytes:
    """An iCalendar file with one event per session; ``url_for_session(s)`` gives its link."""
    from icalendar import Calendar  # loaded on first use, not at start-up

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", " ".join(name.split()))  # one line: icalendar refuses breaks
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for session in sessions:
        cal.add_component(_event(session, url_for_session(session)))
    return cal.to_ical()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_exists(user: User) -> bool:
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def new_feed_token(user: User) -> str:
    """Create the user's feed URL token, replacing (and so revoking) any earlier one."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    record_event("lecture_feed_created", user, target_type="user", target_id=user.id)
    return token


def revoke_feed(user: User) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.flush()
    record_event("lecture_feed_revoked", user, target_type="user", target_id=user.id)


def user_for_feed_token(token: str) -> User | None:
    """The active user whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.active else None


def feed_sessions(user: User) -> list[LectureSession]:
    """What belongs in a personal feed: sessions the user registered for or speaks at."""
    now = utcnow()
    registered = select(Registration.session_id).where(
        Registration.user_id == user.id, Registration.cancelled_at.is_(None)
    )
    speaking = select(SessionSpeaker.session_id).where(SessionSpeaker.user_id == user.id)
    return list(
        db.session.scalars(
            select(LectureSession)
            .where(
                or_(LectureSession.id.in_(registered), LectureSession.id.in_(speaking)),
                LectureSession.starts_at >= now - FEED_PAST,
                LectureSession.starts_at < now + FEED_FUTURE,
            )
            .order_by(LectureSession.starts_at)
        )
    )
