"""Show stored UTC datetimes in Asia/Shanghai with Chinese formats."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def to_local(value: datetime) -> datetime:
    """Convert an aware datetime to Asia/Shanghai."""
    return value.astimezone(LOCAL_TZ)


def format_datetime(value: datetime | None) -> str:
    """Format as 2026年11月27日 19:05 (local time)."""
    if value is None:
        return ""
    local = to_local(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def format_date(value: date | datetime | None) -> str:
    """Format as 2026年11月27日."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def local_today() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(LOCAL_TZ).date()
