"""Read a cadre roster (CSV in UTF-8 or GBK, or XLSX) and validate every row before writing.

An import is all-or-nothing: ``parse_roster`` collects every problem with its
line number; ``import_users`` writes only when there is none.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from learn.accounts.models import Category, RankBand, Role, User
from learn.accounts.services import (
    USERNAME_RE,
    UserData,
    create_user,
    generate_password,
    password_problem,
)
from learn.audit import record_event
from learn.errors import LearnError
from learn.extensions import db
from learn.org.models import OrgUnit

COLUMNS = {
    "用户名": "username",
    "姓名": "name",
    "单位": "unit",
    "职务": "position",
    "职级": "rank_band",
    "出生年份": "birth_year",
    "入职日期": "joined_on",
    "角色": "roles",
    "分类": "categories",
    "初始密码": "password",
}
REQUIRED = ("用户名", "姓名")
LIST_SEPARATORS = ("、", "，", ",", ";", "；", " ")


class RosterError(LearnError):
    """The roster has problems; ``problems`` lists each as "第 N 行：…"."""

    def __init__(self, problems: list[str]):
        super().__init__("名单有误，未导入任何用户：\n" + "\n".join(problems))
        self.problems = problems


@dataclass
class RosterRow:
    line: int
    data: UserData
    password: str
    password_generated: bool


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, {header: text}) for every non-empty data row."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path.read_bytes())
    raise RosterError([f"{path.name}：仅支持 .csv 或 .xlsx 文件。"])


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(["文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV。"])


def _read_csv(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(_decode(raw)))
    rows = list(reader)
    if not rows:
        raise RosterError(["文件是空的：第一行应为表头（用户名、姓名……）。"])
    header = [h.strip() for h in rows[0]]
    return [
        (line, dict(zip(header, (c.strip() for c in cells), strict=False)))
        for line, cells in enumerate(rows[1:], start=2)
        if any(c.strip() for c in cells)
    ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook  # loaded on first use, not at start-up

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RosterError(
            [f"{path.name}：无法读取该 Excel 文件（{exc.__class__.__name__}）。"]
        ) from exc
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not rows:
        raise RosterError(["文件是空的：第一行应为表头（用户名、姓名……）。"])
    header = rows[0]
    return [
        (line, dict(zip(header, cells, strict=False)))
        for line, cells in enumerate(rows[1:], start=2)
        if any(cells)
    ]


def _split(text: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [part for part in text.split(LIST_SEPARATORS[0]) if part]


def _parse_row(line: int, cells: dict[str, str], units: dict[str, int], problems: list[str]):
    errors = []
    values = {field: cells.get(header, "") for header, field in COLUMNS.items()}
    for header in REQUIRED:
        if not values[COLUMNS[header]]:
            errors.append(f"“{header}”不能为空")
    username = values["username"]
    if username and not USERNAME_RE.match(username):
        errors.append(f"用户名“{username}”只能包含字母、数字、点、下划线或连字符，长度 3–32 位")
    unit_id = None
    if values["unit"]:
        unit_id = units.get(values["unit"])
        if unit_id is None:
            errors.append(f"单位“{values['unit']}”不存在，请先在单位管理中创建或修正名称")
    rank = values["rank_band"] or RankBand.SECTION_AND_BELOW
    if rank not in set(RankBand):
        errors.append(f"职级“{rank}”无效，应为“县处级”或“乡科级及以下”")
    birth_year = None
    if values["birth_year"]:
        if (
            values["birth_year"].isdigit()
            and 1940 <= int(values["birth_year"]) <= date.today().year
        ):
            birth_year = int(values["birth_year"])
        else:
            errors.append(f"出生年份“{values['birth_year']}”应为四位年份，如 1995")
    joined_on = None
    if values["joined_on"]:
        try:
            joined_on = date.fromisoformat(values["joined_on"].replace("/", "-"))
        except ValueError:
            errors.append(f"入职日期“{values['joined_on']}”应为 YYYY-MM-DD 格式，如 2024-07-01")
    roles = set()
    for text in _split(values["roles"]):
        try:
            roles.add(Role.parse(text))
        except ValueError:
            errors.append(f"角色“{text}”无效")
    categories = set()
    for text in _split(values["categories"]):
        if text in set(Category):
            categories.add(Category(text))
        else:
            errors.append(f"分类“{text}”无效，可选：{'、'.join(Category)}")
    password, generated = values["password"], False
    if password:
        problem = password_problem(password, username)
        if problem:
            errors.append(f"初始密码不符合要求：{problem}")
    else:
        password, generated = generate_password(), True
    if errors:
        problems.append(f"第 {line} 行：" + "；".join(errors) + "。")
        return None
    data = UserData(
        username=username,
        name=values["name"],
        unit_id=unit_id,
        position=values["position"],
        rank_band=rank,
        birth_year=birth_year,
        joined_on=joined_on,
        roles=roles,
        categories=categories,
    )
    return RosterRow(line, data, password, generated)


def parse_roster(path: Path) -> list[RosterRow]:
    """Validate the whole roster; raise RosterError listing every bad row."""
    table = read_table(path)
    if not table:
        raise RosterError(["文件中没有数据行。"])
    header = set(table[0][1])
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise RosterError([f"第 1 行：缺少表头“{'”“'.join(missing)}”。"])
    units = {u.name: u.id for u in db.session.scalars(select(OrgUnit))}
    existing = set(db.session.scalars(select(User.username)))
    problems: list[str] = []
    rows, seen = [], {}
    for line, cells in table:
        row = _parse_row(line, cells, units, problems)
        if row is None:
            continue
        name = row.data.username
        if name in existing:
            problems.append(f"第 {line} 行：用户名“{name}”已存在。")
        elif name in seen:
            problems.append(f"第 {line} 行：用户名“{name}”与第 {seen[name]} 行重复。")
        else:
            seen[name] = line
            rows.append(row)
    if problems:
        raise RosterError(problems)
    return rows


def import_users(actor: User | None, rows: list[RosterRow], progress=None) -> list[User]:
    """Create every user of a validated roster; each must change the password at first login."""
    users = []
    for row in rows:
        users.append(create_user(actor, row.data, row.password, must_change=True))
        if progress:
            progress(row)
    record_event("users_imported", actor, target_type="user", detail=f"{len(users)} 人")
    return users
