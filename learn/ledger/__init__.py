"""The 学时 ledger: one row per credited activity, per cadre and year.

Every module credits hours here (courses, lectures, lecturing, mock talks …);
a (user, source_type, source_id) pair is credited at most once, enforced by a
unique constraint, so retries and concurrent requests cannot double-count.

Public names: HourEntry, SourceType, QuotaStatus, credit_hours, entries_for, quota_status.
"""

from learn.ledger.models import HourEntry, SourceType
from learn.ledger.quotas import QuotaStatus, quota_status
from learn.ledger.services import credit_hours, entries_for

__all__ = [
    "HourEntry",
    "QuotaStatus",
    "SourceType",
    "credit_hours",
    "entries_for",
    "quota_status",
]
