"""Annual quotas and where a cadre stands against them.

乡科级及以下: at least QUOTA_SECTION_ANNUAL hours each year. 县处级: at least
QUOTA_COUNTY_FIVE_YEARS hours over the five years ending with the given one.
Everyone: at least QUOTA_ONLINE_ANNUAL hours of online self-study a year, which
count within the total.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from learn.accounts import RankBand
from learn.extensions import db
from learn.ledger.models import HourEntry

FIVE_YEARS = 5


@dataclass(frozen=True)
class QuotaStatus:
    year: int
    window: range  # the years that count toward ``required``
    total: Decimal  # hours in the window
    required: Decimal
    year_total: Decimal  # hours in ``year`` alone
    online: Decimal  # online self-study hours in ``year``
    online_required: Decimal

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


def _sum(user_id: int, years: range, online_only: bool = False) -> Decimal:
    stmt = select(func.coalesce(func.sum(HourEntry.hours), 0)).where(
        HourEntry.user_id == user_id,
        HourEntry.year >= years.start,
        HourEntry.year < years.stop,
    )
    if online_only:
        stmt = stmt.where(HourEntry.online.is_(True))
    return Decimal(str(db.session.scalar(stmt))).quantize(Decimal("0.1"))


def quota_status(user, year: int) -> QuotaStatus:
    """Hours against the quotas that apply to ``user`` in ``year``."""
    config = current_app.config
    this_year = range(year, year + 1)
    if user.rank_band == RankBand.COUNTY:
        window = range(year - FIVE_YEARS + 1, year + 1)
        required = config["QUOTA_COUNTY_FIVE_YEARS"]
    else:
        window = this_year
        required = config["QUOTA_SECTION_ANNUAL"]
    return QuotaStatus(
        year=year,
        window=window,
        total=_sum(user.id, window),
        required=Decimal(str(required)),
        year_total=_sum(user.id, this_year),
        online=_sum(user.id, this_year, online_only=True),
        online_required=Decimal(str(config["QUOTA_ONLINE_ANNUAL"])),
    )
