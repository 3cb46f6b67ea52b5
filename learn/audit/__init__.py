"""Audit log: who did what, when and from where (logins, role changes, case access …).

Public names: AuditEvent, record_event.
"""

from learn.audit.models import AuditEvent
from learn.audit.services import record_event

__all__ = ["AuditEvent", "record_event"]
