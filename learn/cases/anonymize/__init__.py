"""The anonymization checker and fix: what in a text could identify a person, and how to mask it.

Used by ``learn cases check``, by import, by the editor and by the publish
gate. No Flask and no database here.

Public names: Finding, RULES, find_problems, Replacement, propose_fix,
apply_fix, diff_lines, find_problems_in_fields, is_valid_id_number, id_check_digit, luhn_ok.
"""

from learn.cases.anonymize.findings import RULES, Finding
from learn.cases.anonymize.fixing import (
    Replacement,
    apply_fix,
    diff_lines,
    propose_fix,
)
from learn.cases.anonymize.identifiers import id_check_digit, is_valid_id_number, luhn_ok
from learn.cases.anonymize.scan import find_problems, find_problems_in_fields

__all__ = [
    "RULES",
    "Finding",
    "Replacement",
    "apply_fix",
    "diff_lines",
    "find_problems",
    "find_problems_in_fields",
    "id_check_digit",
    "is_valid_id_number",
    "luhn_ok",
    "propose_fix",
]
