"""A trainer reads their units' report, exports XLSX and CSV and the files read back in
Chinese; a trainer writes a lesson with the Markdown preview — in a real browser."""

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from learn.accounts import Role
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.org import UnitType
from tests.courses.factories import make_course
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_unit, make_user


def _county(tmp_path):
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    town = make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=root)
    other = make_unit("柳坪镇纪委", UnitType.TOWNSHIP, parent=root)
    make_course(tmp_path, "bixiu", title="必修课程", quiz=None, questions=0)
    make_user("hwpeixun", Role.TRAINER, name="陶明远", unit=town)
    busy = make_user("hewan1", name="郑宇航", unit=town)
    make_user("hewan2", name="李青禾", unit=town)
    make_user("liuping1", name="冯丽娟", unit=other)
    credit_hours(
        busy.id,
        SourceType.MANUAL,
        "lunxun",
        40,
        "全县集中轮训",
        when=datetime(local_today().year, 3, 2, 9, tzinfo=LOCAL_TZ),
    )
    db.session.commit()


def test_trainer_reads_and_exports_their_units_report(live_server, page, tmp_path):
    _county(tmp_path)
    browser_login(page, live_server, "hwpeixun", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="培训统计").click()
    assert page.get_by_role("heading", name="培训统计").is_visible()
    table = page.get_by_role("table", name="按人员统计")
    assert table.get_by_role("link", name="郑宇航").is_visible()
    assert table.get_by_text("冯丽娟").count() == 0  # another township
    assert page.locator("svg.chart").count() == 3
    assert serious_axe_violations(page) == []
    screenshot(page, "reports-trainer")

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="导出 Excel（XLSX）").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    rows = list(workbook["人员明细"].iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert {r[0] for r in rows[1:]} == {"陶明远", "郑宇航", "李青禾"}
    assert next(r for r in rows if r[0] == "郑宇航")[2] == "河湾镇纪委"

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="导出人员 CSV").click()
    raw = Path(csv_download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    people = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert people[0][:3] == ["姓名", "用户名", "单位"]
    assert {r[0] for r in people[1:]} == {"陶明远", "郑宇航", "李青禾"}

    with page.expect_download() as units_download:
        page.get_by_role("link", name="导出单位 CSV").click()
    units_text = Path(units_download.value.path()).read_bytes().decode("utf-8-sig")
    units = list(csv.reader(io.StringIO(units_text)))
    assert [r[0] for r in units[1:]] == ["河湾镇纪委"]

    page.get_by_role("link", name="郑宇航").click()
    assert page.get_by_role("heading", name="郑宇航 的学时与课程").is_visible()
    assert page.get_by_role("cell", name="全县集中轮训").is_visible()
    assert serious_axe_violations(page) == []


def test_report_fits_a_phone(live_server, browser, tmp_path):
    _county(tmp_path)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "hwpeixun", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_axe_violations(page) == []
    screenshot(page, "reports-trainer-phone")
    context.close()


def test_trainer_writes_a_lesson_with_preview(live_server, page, tmp_path):
    _county(tmp_path)
    browser_login(page, live_server, "hwpeixun", PASSWORD)
    page.goto(f"{live_server.url}/courses/manage/new")
    page.get_by_label("课程 id").fill("xiangzhen-jiandu")
    page.get_by_label("课程名称").fill("乡镇日常监督入门")
    page.get_by_label("简介").fill("面向新进镇纪委干部的日常监督方法。")
    page.get_by_label("学时").fill("2")
    page.get_by_label("课程导言（Markdown）").fill("## 为什么学\n\n日常监督是镇纪委的主责。")
    page.locator('select[name="audiences-0-requirement"]').select_option("必修")
    page.locator('input[name="audiences-0-everyone"]').check()
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("课程草稿已创建").is_visible()

    page.get_by_role("link", name="添加课时").click()
    page.get_by_label("课时标题").fill("第一讲　摸清底数")
    page.get_by_label("正文（Markdown）").fill("## 一、建台账\n\n**重点**<script>alert(1)</script>")
    page.get_by_role("button", name="预览").click()
    preview = page.locator(".md-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("h2").inner_text() == "一、建台账"
    assert preview.locator("script").count() == 0
    screenshot(page, "courses-editor-preview")
    page.get_by_role("button", name="保存课时").click()
    page.get_by_role("button", name="发布课程").click()
    assert page.get_by_text("课程已发布").is_visible()
