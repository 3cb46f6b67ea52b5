from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from learn.accounts import Category, Role, User
from learn.accounts import services as accounts
from learn.extensions import db
from learn.org import UnitType
from tests.factories import make_unit

HEADER = "用户名,姓名,单位,职务,职级,出生年份,入职日期,角色,分类,初始密码\n"
GOOD_ROWS = (
    "lixiao,李晓,东岭镇纪委,纪委委员,乡科级及以下,1998,2025-07-01,,,Start2026a\n"
    "wangmo,王墨,第一纪检监察室,主任,乡科级及以下,1982,2006-08-01,导师、trainer,,Start2026b\n"
)


def _units():
    make_unit("东岭镇纪委", UnitType.TOWNSHIP)
    make_unit("第一纪检监察室", UnitType.OFFICE)


def _count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_good_csv_imports_everyone(runner, tmp_path):
    _units()
    roster = tmp_path / "名单.csv"
    roster.write_text(HEADER + GOOD_ROWS, encoding="utf-8-sig")
    result = runner.invoke(args=["users", "import", str(roster)])
    assert result.exit_code == 0, result.output
    assert "已导入 2 名用户" in result.output
    li = accounts.get_user_by_username("lixiao")
    assert li.must_change_password
    assert li.unit.name == "东岭镇纪委"
    assert li.joined_on == date(2025, 7, 1)
    assert {Category.TOWNSHIP, Category.YOUNG} <= li.categories
    wang = accounts.get_user_by_username("wangmo")
    assert {Role.MENTOR, Role.TRAINER} <= wang.roles


def test_bad_rows_import_nothing_and_name_every_line(runner, tmp_path):
    _units()
    roster = tmp_path / "bad.csv"
    roster.write_text(
        HEADER
        + GOOD_ROWS
        + "zhaoyi,赵一,不存在的单位,,乡科级及以下,1999,2024-01-01,,,Start2026c\n"
        + "x,,东岭镇纪委,,副处级,19x9,2024/13/01,超人,,short\n"
        + "lixiao,李晓二,东岭镇纪委,,,,,,,Start2026d\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["users", "import", str(roster)])
    assert result.exit_code != 0
    output = result.output
    assert "第 4 行" in output and "单位“不存在的单位”不存在" in output
    assert "第 5 行" in output
    for problem in ("“姓名”不能为空", "职级“副处级”无效", "出生年份", "入职日期", "角色“超人”无效"):
        assert problem in output
    assert "第 6 行" in output and "与第 2 行重复" in output
    assert "未导入任何用户" in output
    assert _count() == 0


def test_gbk_csv_is_read(runner, tmp_path):
    _units()
    roster = tmp_path / "gbk.csv"
    roster.write_bytes((HEADER + GOOD_ROWS).encode("gbk"))
    result = runner.invoke(args=["users", "import", str(roster)])
    assert result.exit_code == 0, result.output
    assert accounts.get_user_by_username("wangmo").name == "王墨"


def test_xlsx_is_read_with_real_dates_and_generated_passwords(runner, tmp_path):
    _units()
    book = Workbook()
    sheet = book.active
    sheet.append(["用户名", "姓名", "单位", "入职日期", "出生年份"])
    sheet.append(["chenyu", "陈雨", "东岭镇纪委", date(2024, 9, 1), 2000])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "chenyu\t" in result.output
    user = accounts.get_user_by_username("chenyu")
    assert user.joined_on == date(2024, 9, 1)
    assert user.birth_year == 2000


def test_existing_username_is_reported(runner, tmp_path):
    _units()
    runner.invoke(args=["users", "import", str(_write(tmp_path, HEADER + GOOD_ROWS))])
    result = runner.invoke(args=["users", "import", str(_write(tmp_path, HEADER + GOOD_ROWS))])
    assert result.exit_code != 0
    assert "已存在" in result.output
    assert _count() == 2


def test_missing_header_and_wrong_file_type(runner, tmp_path):
    result = runner.invoke(args=["users", "import", str(_write(tmp_path, "姓名\n张三\n"))])
    assert "缺少表头“用户名”" in result.output
    other = tmp_path / "名单.txt"
    other.write_text("x")
    result = runner.invoke(args=["users", "import", str(other)])
    assert "仅支持 .csv 或 .xlsx" in result.output


def _write(tmp_path, text, name="r.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
