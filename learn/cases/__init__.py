"""Case library (典型案例剖析): case files, the anonymization gate, editorial review,
reading pages, access control and audit.

Owns the case tables (CaseStudy, CaseRevision, CaseStep, CaseCategory,
CaseReader), the ``learn cases check|import|export|measure`` commands and the
``/cases`` pages and ``/api/v1/cases`` endpoints. A case is published only when
the anonymization checker (``learn.cases.anonymize``) finds nothing in it.

Public names: CaseStudy, CaseRevision, CaseStatus, can_read, case_document,
published_case_ids, find_problems, propose_fix.
"""

from learn.cases.access import can_read
from learn.cases.anonymize import find_problems, propose_fix
from learn.cases.models import CaseRevision, CaseStatus, CaseStudy
from learn.cases.services import case_document, published_case_ids

__all__ = [
    "CaseRevision",
    "CaseStatus",
    "CaseStudy",
    "can_read",
    "case_document",
    "find_problems",
    "propose_fix",
    "published_case_ids",
]
