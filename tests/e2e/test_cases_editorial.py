"""An editor writes a case with a real-looking name and ID number, sees both flagged, applies
the fix and submits; a reviewer approves; a cadre reads it — at desktop and phone width."""

from learn.accounts import Role
from learn.cases.anonymize import id_check_digit
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_user

BODY = """## 基本案情

王建军，男，中共党员，身份证号{id_number}，2019年至2022年任某县某镇农业服务中心主任。2021年，王建军利用审核农机购置补贴的职务便利，收受某农机销售公司负责人所送现金2万元。

## 问题剖析

王建军纪法意识淡薄，把审核权当作谋利工具；补贴审核“一人说了算”，缺少交叉复核。

## 警示启示

1. **补贴审核要有制衡。** 建立审核、复核、公示相分离的机制。
"""


def _id_number() -> str:
    first17 = "42098419870315051"
    return first17 + id_check_digit(first17)


def _context(browser, viewport=None):
    options = {"locale": "zh-CN"}
    if viewport:
        options.update(viewport=viewport, is_mobile=True)
    return browser.new_context(**options)


def test_editor_fixes_reviewer_approves_cadre_reads(live_server, browser):
    make_user("bianji", Role.CASE_EDITOR, name="江书言")
    make_user("shenhe", Role.CASE_REVIEWER, name="顾清和")
    make_user("xueyuan", name="林一帆")
    id_number = _id_number()

    editor_context = _context(browser)
    page = editor_context.new_page()
    browser_login(page, live_server, "bianji", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案例编审").click()
    page.get_by_role("link", name="新建案例").click()
    page.get_by_label("编号").fill("nongji-shouhui-2022-09")
    page.get_by_label("标题").fill("某镇农业服务中心原主任收受农机经销商财物问题剖析")
    page.get_by_label("办结年份").fill("2022")
    page.get_by_label("廉洁纪律").check()
    page.get_by_label("对象层级").select_option("站所负责人")
    page.get_by_label("四种形态").select_option("第三种形态")
    page.get_by_label("乡村振兴").check()
    page.get_by_label("处理结果").fill("党内严重警告、政务撤职处分，收缴违纪违法所得")
    page.get_by_label("标签").fill("农机补贴、收受财物")
    page.get_by_label("正文（Markdown）").fill(BODY.format(id_number=id_number))
    page.get_by_role("button", name="保存").click()

    findings = page.get_by_role("region", name="匿名化检查")
    assert findings.get_by_text("发现 4 处可能识别个人的信息").is_visible()
    flagged = findings.locator("mark.finding")
    assert flagged.filter(has_text="王建军").count() >= 1
    assert flagged.filter(has_text=id_number).count() >= 1
    assert serious_axe_violations(page) == []
    screenshot(page, "cases-editor-findings")

    page.get_by_role("link", name="查看匿名化修改建议").click()
    assert page.get_by_role("heading", name="匿名化修改建议").is_visible()
    assert page.get_by_label("“王建军”替换为").input_value() == "王某"
    assert page.locator("ins", has_text="某").first.is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "cases-fix-diff")
    page.get_by_role("button", name="采用选中的修改").click()
    assert page.get_by_text("已采用 2 项匿名化修改").is_visible()
    assert page.get_by_text("未发现姓名、证件号码").is_visible()
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核").is_visible()
    editor_context.close()

    reviewer_context = _context(browser)
    page = reviewer_context.new_page()
    browser_login(page, live_server, "shenhe", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案例编审").click()
    assert page.get_by_role("link", name="待审核（1）").is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "cases-desk")
    page.get_by_role("link", name="审核", exact=True).click()
    assert page.get_by_role(
        "heading", name="审核：某镇农业服务中心原主任收受农机经销商财物问题剖析"
    ).is_visible()
    assert "王建军" not in page.content() and id_number not in page.content()
    assert serious_axe_violations(page) == []
    screenshot(page, "cases-review")
    page.get_by_label("审核意见").fill("匿名化处理到位，同意发布。")
    page.get_by_role("button", name="通过并发布").click()
    assert page.get_by_text("已审核通过，案例已发布").is_visible()
    reviewer_context.close()

    for name, viewport in (("desktop", None), ("phone", PHONE)):
        cadre_context = _context(browser, viewport)
        page = cadre_context.new_page()
        browser_login(page, live_server, "xueyuan", PASSWORD)
        page.goto(f"{live_server.url}/cases/")
        assert page.get_by_role("heading", name="典型案例库").is_visible()
        screenshot(page, f"cases-library-{name}")
        page.get_by_role("link", name="某镇农业服务中心原主任收受农机经销商财物问题剖析").click()
        article = page.get_by_role("article")
        assert article.get_by_text("王某，男，中共党员").is_visible()
        assert article.get_by_role("heading", name="警示启示").is_visible()
        assert "王建军" not in page.content() and id_number not in page.content()
        assert page.get_by_role("button", name="打印本案例").is_visible()
        assert serious_axe_violations(page) == []
        if viewport:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, f"cases-read-{name}")
        cadre_context.close()


def test_editor_page_fits_a_phone_and_works_by_keyboard(live_server, browser):
    from learn.cases.models import CaseStatus
    from tests.cases.factories import make_case

    editor = make_user("bianji", Role.CASE_EDITOR, name="江书言")
    make_case(
        editor, CaseStatus.DRAFT, id="phone-case-01", body=BODY.format(id_number=_id_number())
    )
    context = _context(browser, PHONE)
    page = context.new_page()
    browser_login(page, live_server, "bianji", PASSWORD)
    page.goto(f"{live_server.url}/cases/phone-case-01/edit")
    assert page.get_by_role("region", name="匿名化检查").locator("mark.finding").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_axe_violations(page) == []
    screenshot(page, "cases-editor-phone")
    page.get_by_role("link", name="查看匿名化修改建议").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="匿名化修改建议").is_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 376)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    screenshot(page, "cases-fix-phone")
    context.close()
