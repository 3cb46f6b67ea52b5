"""Dashboard exports: XLSX (openpyxl) and CSV in UTF-8 with a BOM so Excel reads the Chinese."""

import csv
import io

from learn.mentorship.services.dashboard import PairRow

HEADERS = [
    "导师",
    "导师单位",
    "学员",
    "学员单位",
    "开始日期",
    "结束日期",
    "状态",
    "健康度",
    "原因",
    "最近见面",
    "距今天数",
    "见面次数",
    "待确认见面",
    "目标平均进度(%)",
    "协议已签订",
]


FORMULA_START = ("=", "+", "-", "@")


def _cell(value):
    """Keep spreadsheet programs from running user text that looks like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _unit(user) -> str:
    return user.unit.name if user.unit else ""


def row_values(row: PairRow) -> list:
    p = row.pairing
    health = row.health
    values = [
        p.mentor.name,
        _unit(p.mentor),
        p.mentee.name,
        _unit(p.mentee),
        p.start_on.isoformat(),
        p.end_on.isoformat(),
        row.state.label,
        health.label if health else "",
        "；".join(health.reasons) if health else "",
        row.last_meeting.isoformat() if row.last_meeting else "",
        health.days_idle if health and health.days_idle is not None else "",
        row.meetings,
        row.unconfirmed,
        row.progress if row.progress is not None else "",
        "是" if row.signed else "否",
    ]
    return [_cell(v) for v in values]


def to_csv(rows: list[PairRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(row_values(r) for r in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[PairRow]) -> bytes:
    from openpyxl import Workbook  # loaded on first use, not at start-up
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "师徒帮带"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_values(row))
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
