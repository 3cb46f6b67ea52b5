"""The 学时 ledger: one row per credited activity, per cadre and year; quotas; documents.

Every module credits hours here (courses, lectures, lecturing, mock talks …);
a (user, source_type, source_id) pair is credited at most once, enforced by a
unique constraint, so retries and concurrent requests cannot double-count.
Pages: 我的学时 (/ledger/), printable course certificates and yearly 学时证明
with a verification code, and the verification page for trainers.

Public names: HourEntry, SourceType, QuotaStatus, Outlook, Certificate, DocumentKind,
credit_hours, entries_for, find_document, quota_status, quota_statuses, outlook, hours_chart,
ledger_context, year_choices, issue_course_certificate, issue_year_statement.
"""

from learn.ledger.certificates import (
    find_document,
    issue_course_certificate,
    issue_year_statement,
)
from learn.ledger.charts import hours_chart
from learn.ledger.models import Certificate, DocumentKind, HourEntry, SourceType
from learn.ledger.quotas import Outlook, QuotaStatus, outlook, quota_status, quota_statuses
from learn.ledger.services import credit_hours, entries_for
from learn.ledger.summary import ledger_context, year_choices

__all__ = [
    "Certificate",
    "DocumentKind",
    "HourEntry",
    "Outlook",
    "QuotaStatus",
    "SourceType",
    "credit_hours",
    "entries_for",
    "find_document",
    "hours_chart",
    "issue_course_certificate",
    "issue_year_statement",
    "ledger_context",
    "outlook",
    "quota_status",
    "quota_statuses",
    "year_choices",
]
