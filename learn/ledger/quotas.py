"""Annual quotas and where a cadre stands against them.

乡科级及以下: at least QUOTA_SECTION_ANNUAL hours each year. 县处级: at least
QUOTA_COUNTY_FIVE_YEARS hours over the five years ending with the given one.
Everyone: at least QUOTA_ONLINE_ANNUAL hours of online self-study a year, which
count within the total (they are not on top of it).

``outlook`` compares the hours with an even pace through the window, so a
report can name the people at risk of missing the quota by year end.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask import current_app
from sqlalchemy import func, select

from learn.accounts import RankBand
from learn.extensions import db
from learn.ledger.models import HourEntry

FIVE_YEARS = 5
TENTH = Decimal("0.1")


class Outlook(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {
            "met": "已达标",
            "on_track": "进度正常",
            "at_risk": "有未达标风险",
            "missed": "未达标",
        }[self.value]


@dataclass(frozen=True)
class QuotaStatus:
    year: int
    window: range  # the years that count toward ``required``
    total: Decimal  # hours in the window
    required: Decimal
    year_total: Decimal  # hours in ``year`` alone
    online: Decimal  # online self-study hours in ``year``
    online_required: Decimal
    by_year: tuple[tuple[int, Decimal], ...] = ()  # hours of each year of the window

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.required - self.total)

    @property
    def online_remaining(self) -> Decimal:
        return max(Decimal(0), self.online_required - self.online)

    @property
    def met(self) -> bool:
        return self.remaining == 0 and self.online_remaining == 0

    @property
    def percent(self) -> int:
        return min(100, int(self.total * 100 / self.required)) if self.required else 100

    @property
    def online_percent(self) -> int:
        if not self.online_required:
            return 100
        return min(100, int(self.online * 100 / self.online_required))

    @property
    def multi_year(self) -> bool:
        return len(self.window) > 1


def _window(rank_band: str, year: int) -> tuple[range, Decimal]:
    config = current_app.config
    if rank_band == RankBand.COUNTY:
        return range(year - FIVE_YEARS + 1, year + 1), Decimal(
            str(config["QUOTA_COUNTY_FIVE_YEARS"])
        )
    return range(year, year + 1), Decimal(str(config["QUOTA_SECTION_ANNUAL"]))


def _hours(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(TENTH)


def quota_statuses(users, year: int) -> dict[int, QuotaStatus]:
    """Hours against the quotas of each of ``users`` in ``year``, from one grouped query."""
    users = list(users)
    if not users:
        return {}
    earliest = year - FIVE_YEARS + 1
    rows = db.session.execute(
        select(
            HourEntry.user_id,
            HourEntry.year,
            HourEntry.online,
            func.sum(HourEntry.hours),
        )
        .where(
            HourEntry.user_id.in_([u.id for u in users]),
            HourEntry.year >= earliest,
            HourEntry.year <= year,
        )
        .group_by(HourEntry.user_id, HourEntry.year, HourEntry.online)
    )
    sums: dict[tuple[int, int, bool], Decimal] = {}
    for user_id, row_year, online, hours in rows:
        sums[(user_id, row_year, bool(online))] = _hours(hours)
    online_required = Decimal(str(current_app.config["QUOTA_ONLINE_ANNUAL"]))
    statuses = {}
    for user in users:

        def in_year(y: int, uid: int = user.id) -> Decimal:
            return sums.get((uid, y, True), Decimal(0)) + sums.get((uid, y, False), Decimal(0))

        window, required = _window(user.rank_band, year)
        by_year = tuple((y, in_year(y)) for y in window)
        statuses[user.id] = QuotaStatus(
            year=year,
            window=window,
            total=sum((h for _, h in by_year), Decimal(0)).quantize(TENTH),
            required=required,
            year_total=in_year(year).quantize(TENTH),
            online=sums.get((user.id, year, True), Decimal(0)).quantize(TENTH),
            online_required=online_required,
            by_year=by_year,
        )
    return statuses


def quota_status(user, year: int) -> QuotaStatus:
    """Hours against the quotas that apply to ``user`` in ``year``."""
    return quota_statuses([user], year)[user.id]


def elapsed_share(start_year: int, end_year: int, today: date) -> Decimal:
    """How much of the years ``start_year``..``end_year`` has passed by ``today`` (0–1)."""
    start, end = date(start_year, 1, 1), date(end_year, 12, 31)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def outlook(status: QuotaStatus, today: date) -> Outlook:
    """Met, on track, at risk (behind an even pace) or missed (the year is over)."""
    if status.met:
        return Outlook.MET
    if today > date(status.year, 12, 31):
        return Outlook.MISSED
    window_share = elapsed_share(status.window.start, status.year, today)
    year_share = elapsed_share(status.year, status.year, today)
    behind = status.total < status.required * window_share or (
        status.online < status.online_required * year_share
    )
    return Outlook.AT_RISK if behind else Outlook.ON_TRACK
