"""Record and query audit events."""

from datetime import date, datetime, time, timedelta

from flask import has_request_context, request
from sqlalchemy import Select, select

from learn.audit.models import AuditEvent
from learn.core.timefmt import LOCAL_TZ
from learn.extensions import db


def record_event(
    action: str,
    user=None,
    *,
    username: str = "",
    target_type: str = "",
    target_id: str | int = "",
    detail: str = "",
) -> AuditEvent:
    """Add an audit event for ``user`` (or a bare ``username``) from the current request."""
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", None) or username,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail,
        ip=(request.remote_addr or "") if has_request_context() else "cli",
    )
    db.session.add(event)
    db.session.flush()
    return event


def audit_query(
    *,
    username: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select:
    """Select events matching the filters, newest first (dates are local days)."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if target_id:
        stmt = stmt.where(AuditEvent.target_id == target_id)
    if date_from:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(date_from, time(), LOCAL_TZ))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time(), LOCAL_TZ)
        stmt = stmt.where(AuditEvent.at < end)
    return stmt
