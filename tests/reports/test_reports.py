"""Reports: each viewer sees only their units; numbers are right; exports read back in Chinese."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.audit import AuditEvent
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.org import UnitType
from learn.org import services as org
from learn.reports.services import Filters, build_report
from tests.conftest import login
from tests.courses.factories import make_course
from tests.courses.helpers import finish_course
from tests.factories import make_unit, make_user

YEAR = local_today().year


@pytest.fixture
def county(app, tmp_path):
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    east = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=root)
    west = make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=root)
    office = make_unit("第一纪检监察室", UnitType.OFFICE, parent=root)
    course = make_course(tmp_path, "bixiu", hours="4", quiz=None, questions=0)
    people = {
        "east_done": make_user("dongling1", name="林一帆", unit=east),
        "east_idle": make_user("dongling2", name="周晓东", unit=east),
        "west": make_user("hewan1", name="郑宇航", unit=west),
        "office": make_user("shi1", name="唐一宁", unit=office),
        "root_trainer": make_user("peixun", Role.TRAINER, name="宋立衡", unit=root),
        "east_trainer": make_user("dlpeixun", Role.TRAINER, name="陶明远", unit=east),
        "leader": make_user("lingdao", Role.LEADER, name="秦望舒", unit=root),
        "admin": make_user("admin", Role.ADMIN, name="系统管理员"),
        "learner": make_user("xueyuan", name="苏若晴", unit=east),
    }
    org.set_leader_links(None, people["leader"], {west.id})
    finish_course(people["east_done"], course)
    credit_hours(
        people["east_done"].id,
        SourceType.MANUAL,
        "big",
        86,
        "集中轮训",
        online=True,
        when=datetime(YEAR, 1, 5, 10, tzinfo=LOCAL_TZ),
    )
    db.session.commit()
    return {"units": {"root": root, "east": east, "west": west, "office": office}, **people}


def _names(report) -> set[str]:
    return {row.user.name for row in report.people}


def test_each_viewer_sees_only_their_units(county):
    everyone = {"林一帆", "周晓东", "郑宇航", "唐一宁", "宋立衡", "陶明远", "秦望舒", "苏若晴"}
    year = Filters(YEAR)
    assert _names(build_report(county["east_trainer"], year)) == {
        "林一帆",
        "周晓东",
        "陶明远",
        "苏若晴",
    }
    assert _names(build_report(county["leader"], year)) == {"郑宇航"}
    assert _names(build_report(county["root_trainer"], year)) == everyone
    assert _names(build_report(county["admin"], year)) == everyone | {"系统管理员"}


def test_numbers_per_person_and_unit(county):
    report = build_report(county["east_trainer"], Filters(YEAR, unit_id=county["units"]["east"].id))
    rows = {r.user.name: r for r in report.people}
    done = rows["林一帆"]
    assert (done.required_done, done.required_total, done.required_percent) == (1, 1, 100)
    assert (done.status.year_total, done.status.online, done.outlook.value) == (90, 90, "met")
    idle = rows["周晓东"]
    assert (idle.required_done, idle.status.year_total) == (0, 0)
    [unit] = report.units
    assert (unit.name, unit.headcount, unit.required_done, unit.required_total) == (
        "东岭镇纪委",
        4,
        1,
        4,
    )
    assert unit.average_hours == 22.5  # 90 hours over four people
    risky = build_report(county["east_trainer"], Filters(YEAR, at_risk_only=True))
    assert "林一帆" not in _names(risky)


def test_category_filter(county):
    report = build_report(county["root_trainer"], Filters(YEAR, category="镇纪委干部"))
    assert _names(report) == {"林一帆", "周晓东", "郑宇航", "陶明远", "苏若晴"}


def test_trainer_cannot_open_another_units_report_or_people(county, client):
    login(client, "dlpeixun")
    west = county["units"]["west"]
    assert client.get("/reports/").status_code == 200
    page = client.get("/reports/").get_data(as_text=True)
    assert "郑宇航" not in page and "河湾镇纪委" not in page
    assert client.get(f"/reports/?unit={west.id}").status_code == 404
    assert client.get(f"/reports/export.xlsx?unit={west.id}").status_code == 404
    assert client.get(f"/reports/export.csv?unit={west.id}").status_code == 404
    assert client.get(f"/reports/people/{county['west'].id}").status_code == 404
    assert client.get(f"/reports/people/{county['east_idle'].id}").status_code == 200


def test_leader_sees_linked_units_only(county, client):
    login(client, "lingdao")
    page = client.get("/reports/").get_data(as_text=True)
    assert "郑宇航" in page and "林一帆" not in page
    assert client.get(f"/reports/people/{county['east_done'].id}").status_code == 404


@pytest.mark.parametrize("username", ["xueyuan", "dongling1"])
def test_learners_are_refused(county, client, username):
    login(client, username)
    for url in (
        "/reports/",
        "/reports/export.xlsx",
        "/reports/export.csv?table=units",
        f"/reports/people/{county['east_idle'].id}",
    ):
        assert client.get(url).status_code == 403, url


def test_xlsx_export_reads_back_with_chinese(county, client):
    login(client, "dlpeixun")
    response = client.get(f"/reports/export.xlsx?year={YEAR}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["人员明细", "单位汇总"]
    people = list(workbook["人员明细"].iter_rows(values_only=True))
    assert people[0][:3] == ("姓名", "用户名", "单位")
    by_name = {row[0]: row for row in people[1:]}
    assert set(by_name) == {"林一帆", "周晓东", "陶明远", "苏若晴"}
    assert by_name["林一帆"][2] == "东岭镇纪委" and by_name["林一帆"][8] == 90
    assert by_name["林一帆"][-1] == "已达标"
    units = list(workbook["单位汇总"].iter_rows(values_only=True))
    assert units[1][:2] == ("东岭镇纪委", 4)
    exported = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "report_exported")
    ).all()
    assert len(exported) == 1


def test_csv_exports_have_a_bom_and_read_back(county, client):
    login(client, "peixun")
    people = client.get(f"/reports/export.csv?table=people&unit={county['units']['east'].id}")
    assert people.data.startswith(b"\xef\xbb\xbf")
    assert people.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(people.data.decode("utf-8-sig"))))
    assert rows[0][0] == "姓名" and rows[0][-1] == "达标情况"
    assert {r[0] for r in rows[1:]} == {"林一帆", "周晓东", "陶明远", "苏若晴"}
    units = client.get("/reports/export.csv?table=units")
    unit_rows = list(csv.reader(io.StringIO(units.data.decode("utf-8-sig"))))
    assert unit_rows[0][0] == "单位"
    assert {r[0] for r in unit_rows[1:]} >= {"东岭镇纪委", "河湾镇纪委", "第一纪检监察室"}
    assert client.get("/reports/export.pdf").status_code == 404
    assert client.get("/reports/export.csv?table=secret").status_code == 404


def test_formula_like_text_is_neutralised_in_exports(county, client):
    user = county["east_idle"]
    accounts.update_user(
        user,
        user,
        accounts.UserData(username=user.username, name="=HYPERLINK(1)", unit_id=user.unit_id),
        True,
    )
    db.session.commit()
    login(client, "dlpeixun")
    rows = list(csv.reader(io.StringIO(client.get("/reports/export.csv").data.decode("utf-8-sig"))))
    assert "'=HYPERLINK(1)" in {r[0] for r in rows}


def test_report_page_has_charts_and_person_page(county, client):
    login(client, "peixun")
    page = client.get("/reports/").get_data(as_text=True)
    assert page.count('<svg class="chart"') == 3
    assert "各单位人均学时" in page
    person = client.get(f"/reports/people/{county['east_done'].id}").get_data(as_text=True)
    assert "林一帆 的学时与课程" in person and "集中轮训" in person
