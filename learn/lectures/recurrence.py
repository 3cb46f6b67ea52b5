"""Dates of recurring sessions (every week, every second week, the n-th weekday of each
month or quarter), computed with dateutil's RFC 5545 rules. Pure: no Flask, no DB."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

MAX_OCCURRENCES = 52
WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
ORDINAL_LABELS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def label(self) -> str:
        return {
            "weekly": "每周",
            "biweekly": "每两周",
            "monthly": "每月",
            "quarterly": "每季度",
        }[self.value]


@dataclass(frozen=True)
class Recurrence:
    """A rule: ``frequency``; for weekly rules ``weekday`` (0 = Monday); for monthly and
    quarterly rules the ``ordinal``-th ``weekday`` of the month (of the quarter's first
    month when ``month_in_quarter`` is 1, its second month when 2 …)."""

    frequency: Frequency
    weekday: int
    ordinal: int = 1
    month_in_quarter: int = 1

    def describe(self) -> str:
        day = WEEKDAY_LABELS[self.weekday]
        if self.frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
            return f"{self.frequency.label}{day}"
        which = f"{ORDINAL_LABELS[self.ordinal]}{day}"
        if self.frequency == Frequency.MONTHLY:
            return f"每月{which}"
        return f"每季度第 {self.month_in_quarter} 个月的{which}"


def occurrences(rule: Recurrence, start: date, count: int, until: date | None = None) -> list[date]:
    """Up to ``count`` dates on or after ``start`` (and on or before ``until``)."""
    count = max(0, min(count, MAX_OCCURRENCES))
    day = weekday(rule.weekday)
    begin = datetime.combine(start, datetime.min.time())
    if rule.frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        interval = 1 if rule.frequency == Frequency.WEEKLY else 2
        dates = rrule(WEEKLY, interval=interval, byweekday=day, dtstart=begin, count=count)
    elif rule.frequency == Frequency.MONTHLY:
        dates = rrule(MONTHLY, byweekday=day(rule.ordinal), dtstart=begin, count=count)
    else:
        months = [m for m in range(1, 13) if (m - rule.month_in_quarter) % 3 == 0]
        dates = rrule(
            MONTHLY, bymonth=months, byweekday=day(rule.ordinal), dtstart=begin, count=count
        )
    found = [d.date() for d in dates]
    return [d for d in found if until is None or d <= until]
