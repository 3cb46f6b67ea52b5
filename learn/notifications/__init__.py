"""In-app notifications (the bell): other domains call ``notify``.

Public names: Notification, notify, unread_count.
"""

from learn.notifications.models import Notification
from learn.notifications.services import notify, unread_count

__all__ = ["Notification", "notify", "unread_count"]
