"""Training reports for trainers and leaders: per unit and per person, required-course
completion, 学时 against quota and who is at risk of missing it by year end; charts;
XLSX and CSV (UTF-8 with BOM) exports.

A trainer sees their own unit and the units below it, a leader the units linked to
them (挂联), an admin every unit (``learn.courses.scope_unit_ids``).

Public names: build_report, Report, PersonRow, UnitRow.
"""

from learn.reports.services import PersonRow, Report, UnitRow, build_report

__all__ = ["PersonRow", "Report", "UnitRow", "build_report"]
