"""The report as XLSX (openpyxl) and as CSV in UTF-8 with a BOM, so Excel shows the Chinese."""

import csv
import io

from learn.ledger import Outlook
from learn.reports.services import PersonRow, Report, UnitRow

PEOPLE_HEADER = [
    "姓名",
    "用户名",
    "单位",
    "职级",
    "类别",
    "必修课程已完成",
    "必修课程总数",
    "必修完成率(%)",
    "本年学时",
    "考核周期",
    "周期内学时",
    "应达学时",
    "本年网络学时",
    "网络学时应达",
    "达标情况",
]
UNITS_HEADER = [
    "单位",
    "人数",
    "必修课程已完成(门次)",
    "必修课程应完成(门次)",
    "必修完成率(%)",
    "本年学时合计",
    "人均学时",
    "已达标人数",
    "有风险人数",
    "未达标人数",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _person(row: PersonRow) -> list:
    status = row.status
    window = (
        f"{status.window.start}–{status.window.stop - 1}" if status.multi_year else str(status.year)
    )
    return [
        row.user.name,
        row.user.username,
        row.unit_name,
        row.user.rank_band,
        "、".join(row.categories),
        row.required_done,
        row.required_total,
        row.required_percent,
        float(status.year_total),
        window,
        float(status.total),
        float(status.required),
        float(status.online),
        float(status.online_required),
        row.outlook.label,
    ]


def _unit(row: UnitRow) -> list:
    return [
        row.name,
        row.headcount,
        row.required_done,
        row.required_total,
        row.required_percent,
        float(row.hours),
        float(row.average_hours),
        row.count(Outlook.MET),
        row.count(Outlook.AT_RISK),
        row.count(Outlook.MISSED),
    ]


def tables(report: Report) -> dict[str, tuple[list, list[list]]]:
    """Table name → (header, rows)."""
    return {
        "people": (PEOPLE_HEADER, [_person(r) for r in report.people]),
        "units": (UNITS_HEADER, [_unit(u) for u in report.units]),
    }


SHEET_TITLES = {"people": "人员明细", "units": "单位汇总"}


def _safe(value):
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # loaded on first use, not at start-up
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, (header, rows) in tables(report).items():
        sheet = workbook.create_sheet(SHEET_TITLES[key])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        for index, title in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(title) * 2 + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report: Report, table: str) -> bytes:
    header, rows = tables(report)[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_safe(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
