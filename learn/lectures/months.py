"""The month grid of the calendar view (weeks from Monday, in Asia/Shanghai)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from learn.core.timefmt import LOCAL_TZ, to_local


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, today: date) -> "Month":
        """``YYYY-MM``; anything else means the current month."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(today.year, today.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    def shifted(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """The month as an aware [start, end) interval."""
        start = datetime.combine(self.first, time(), LOCAL_TZ)
        end = datetime.combine(self.shifted(1).first, time(), LOCAL_TZ)
        return start, end

    def weeks(self) -> list[list[date | None]]:
        """Weeks Monday to Sunday; days outside the month are None."""
        return [
            [day if day.month == self.month else None for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, self.month)
        ]


def by_day(sessions) -> dict[date, list]:
    days: dict[date, list] = {}
    for session in sessions:
        days.setdefault(to_local(session.starts_at).date(), []).append(session)
    return days
