"""Credit hours exactly once, and read a cadre's entries."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learn.core.db import utcnow
from learn.core.timefmt import to_local
from learn.extensions import db
from learn.ledger.models import HourEntry, SourceType


def _existing(user_id: int, source_type: str, source_id: str) -> HourEntry | None:
    return db.session.scalar(
        select(HourEntry).where(
            HourEntry.user_id == user_id,
            HourEntry.source_type == source_type,
            HourEntry.source_id == source_id,
        )
    )


def credit_hours(
    user_id: int,
    source_type: SourceType,
    source_id: str | int,
    hours: Decimal | float | int,
    title: str,
    *,
    online: bool = False,
    when: datetime | None = None,
) -> HourEntry:
    """Credit ``hours`` for one activity; a second call for the same activity returns the first.

    The insert runs in a savepoint, so a concurrent duplicate (caught by the
    unique constraint) leaves the caller's transaction usable.
    """
    source_id = str(source_id)
    found = _existing(user_id, source_type, source_id)
    if found is not None:
        return found
    when = when or utcnow()
    entry = HourEntry(
        user_id=user_id,
        year=to_local(when).year,
        hours=Decimal(str(hours)).quantize(Decimal("0.1")),
        source_type=source_type,
        source_id=source_id,
        title=title[:200],
        online=online,
        credited_at=when,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        return _existing(user_id, source_type, source_id)
    return entry


def entries_for(user_id: int, years: range | None = None) -> list[HourEntry]:
    """A cadre's entries, newest first, optionally limited to ``years``."""
    stmt = select(HourEntry).where(HourEntry.user_id == user_id)
    if years is not None:
        stmt = stmt.where(HourEntry.year >= years.start, HourEntry.year < years.stop)
    return list(
        db.session.scalars(stmt.order_by(HourEntry.credited_at.desc(), HourEntry.id.desc()))
    )


def entry_years(user_id: int) -> list[int]:
    """The years in which ``user_id`` has entries, oldest first."""
    return list(
        db.session.scalars(
            select(HourEntry.year)
            .where(HourEntry.user_id == user_id)
            .distinct()
            .order_by(HourEntry.year)
        )
    )


def cumulative_by_month(entries: list[HourEntry], year: int) -> list[Decimal]:
    """Running total of ``year``'s hours at the end of each month (12 values)."""
    per_month = [Decimal(0)] * 12
    for entry in entries:
        local = to_local(entry.credited_at)
        if local.year == year:
            per_month[local.month - 1] += entry.hours
    running, total = [], Decimal(0)
    for hours in per_month:
        total += hours
        running.append(total)
    return running
