"""The hours-over-time chart shown on 我的学时, a mentee's page and a report's person page."""

from decimal import Decimal

from markupsafe import Markup

from learn.core.charts import line_chart
from learn.core.timefmt import local_today
from learn.ledger.quotas import QuotaStatus
from learn.ledger.services import cumulative_by_month

MONTHS = [f"{m}月" for m in range(1, 13)]


def hours_chart(entries, status: QuotaStatus, year: int) -> Markup:
    """Cumulative hours month by month against an even pace toward the year's share of the quota."""
    today = local_today()
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    running = cumulative_by_month(entries, year)
    actual = [float(v) if m < last_month else None for m, v in enumerate(running)]
    annual_share = status.required / Decimal(len(status.window))
    pace = [float(annual_share * m / 12) for m in range(1, 13)]
    return line_chart(
        f"{year}年累计学时与达标进度",
        MONTHS,
        {"累计学时": actual, "达标参考进度": pace},
    )
