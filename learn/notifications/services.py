"""Send, count and mark notifications."""

from sqlalchemy import func, select, update

from learn.core.db import utcnow
from learn.errors import NotFound
from learn.extensions import db
from learn.notifications.models import Notification


def notify(user_id: int, title: str, body: str = "", link: str = "") -> Notification:
    """Add a notification for one user."""
    note = Notification(user_id=user_id, title=title, body=body, link=link)
    db.session.add(note)
    db.session.flush()
    return note


def unread_count(user_id: int) -> int:
    """How many notifications ``user_id`` has not read."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def notifications_query(user_id: int):
    """Select a user's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user_id: int, notification_id: int) -> Notification:
    """Mark one of the user's notifications as read; another user's is not found."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        raise NotFound("通知不存在。")
    if note.read_at is None:
        note.read_at = utcnow()
    db.session.flush()
    return note


def mark_all_read(user_id: int) -> None:
    """Mark every notification of the user as read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
