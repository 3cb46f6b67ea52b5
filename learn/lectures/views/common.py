"""Helpers shared by the lecture pages."""

from datetime import datetime
from decimal import Decimal

from flask import abort, request
from flask_login import current_user

from learn.core.timefmt import to_local
from learn.lectures import access
from learn.lectures.recurrence import WEEKDAY_LABELS
from learn.lectures.sessions import get_series, get_session


def managed_session(session_id: int):
    """The session, if the current user organises it (403 otherwise)."""
    session = get_session(session_id)
    if not access.can_manage_session(current_user, session):
        abort(403)
    return session


def managed_series(series_id: int):
    series = get_series(series_id)
    if not access.can_manage_series(current_user, series):
        abort(403)
    return series


def checkin_rate_key() -> str:
    """Rate-limit check-in attempts per cadre, so six digits cannot be guessed."""
    who = current_user.get_id() if current_user.is_authenticated else request.remote_addr
    return f"checkin:{who}"


def lecture_day(value) -> str:
    """Template filter: the local day of the month of an aware datetime."""
    return str(to_local(value).day)


def lecture_weekday(value) -> str:
    """Template filter: 周一 … 周日 of an aware datetime (or a date)."""
    if isinstance(value, datetime):
        value = to_local(value)
    return WEEKDAY_LABELS[value.weekday()]


def lecture_time(value) -> str:
    """Template filter: local HH:MM."""
    return f"{to_local(value):%H:%M}"


def lecture_hours(value) -> str:
    """Template filter: 学时 without a useless ".0" (2, 1.5)."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.1')):f}"
    return text.removesuffix(".0")
