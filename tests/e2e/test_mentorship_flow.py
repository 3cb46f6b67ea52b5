"""A trainer pairs two cadres, both sign the agreement, the mentor logs a meeting, the
mentee confirms it, and the mentor opens the mentee's growth page."""

from playwright.sync_api import expect

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.core.progress import progress_sections
from learn.courses import required_completion
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.org import UnitType
from learn.org import services as org
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_unit, make_user
from tests.mentorship.factories import add_meeting, make_pairing


def _people(app=None):
    if app is not None:  # the bundled courses, so the mentee has required courses
        result = app.test_cli_runner().invoke(args=["content", "sync"])
        assert result.exit_code == 0, result.output
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    town = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=root)
    make_user("peixun", Role.TRAINER, name="宋立衡", unit=root)
    make_user("daoshi", Role.MENTOR, name="贺知远", unit=root, position="第一纪检监察室主任")
    mentee = make_user("xueyuan", name="林一帆", unit=town, position="纪委委员", birth_year=2001)
    leader = make_user("lingdao", Role.LEADER, name="秦望舒", unit=root)
    org.set_leader_links(None, leader, {town.id})
    credit_hours(mentee.id, SourceType.MANUAL, "e2e-1", 12, "全县纪检监察干部集中轮训")
    db.session.commit()
    return mentee


def _session(browser, server, username, viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 860}, locale="zh-CN"
    )
    page = context.new_page()
    browser_login(page, server, username, PASSWORD)
    return context, page


def _clean(page):
    assert serious_axe_violations(page) == []


def _add_goal(page, area: str, title: str):
    page.get_by_text("添加目标", exact=True).first.click()
    page.get_by_label("所属方面").select_option(label=area)
    page.get_by_label("目标", exact=True).fill(title)
    page.get_by_role("button", name="添加目标").click()
    expect(page.get_by_text("目标已添加")).to_be_visible()


def test_pairing_agreement_meeting_and_growth_page(live_server, browser, live_app):
    mentee = _people(live_app)

    trainer_ctx, trainer = _session(browser, live_server, "peixun")
    trainer.get_by_role("navigation", name="主导航").get_by_role("link", name="师徒帮带").click()
    trainer.get_by_role("link", name="新建结对").first.click()
    trainer.get_by_label("导师").select_option(label="贺知远（县纪委监委机关，已带 0/3）")
    trainer.get_by_label("学员（徒弟）").select_option(label="林一帆（东岭镇纪委）")
    _clean(trainer)
    trainer.get_by_role("button", name="结对并通知双方").click()
    expect(trainer.get_by_role("heading", name="贺知远 → 林一帆")).to_be_visible()
    expect(trainer.get_by_text("待确认", exact=True).first).to_be_visible()
    pairing_url = trainer.url

    mentor_ctx, mentor = _session(browser, live_server, "daoshi")
    mentor.goto(pairing_url + "/agreement")
    _add_goal(mentor, "业务指导", "熟悉初步核实的基本流程")
    _add_goal(mentor, "思想关注", "每季度交流一次学习体会")
    _add_goal(mentor, "生活关爱", "帮助尽快适应乡镇工作")
    mentor.get_by_role("textbox", name="帮带措施").fill(
        "每月研读一起典型案例；带学员参与一次日常监督检查。"
    )
    mentor.get_by_label("见面频次", exact=True).select_option(label="每两周一次")
    mentor.get_by_role("button", name="保存", exact=True).click()
    expect(mentor.get_by_text("帮带措施和见面频次已保存")).to_be_visible()
    _clean(mentor)
    screenshot(mentor, "mentorship-agreement")
    mentor.get_by_role("button", name="我已阅读并同意，签订协议").click()
    expect(mentor.get_by_text("您已签订帮带协议")).to_be_visible()

    mentee_ctx, mentee_page = _session(browser, live_server, "xueyuan")
    expect(mentee_page.get_by_text("帮带协议待您签订").first).to_be_visible()  # home panel
    mentee_page.goto(pairing_url + "/agreement")
    mentee_page.get_by_role("button", name="我已阅读并同意，签订协议").click()
    expect(mentee_page.get_by_text("进行中").first).to_be_visible()

    mentor.goto(pairing_url + "/meetings")
    mentor.get_by_role("link", name="记录见面").click()
    mentor.get_by_label("形式").select_option("业务指导")
    mentor.get_by_label("主题").fill("信访举报件的初步分析方法")
    mentor.get_by_label("谈话要点").fill("逐件讲解问题线索的五类处置方式。")
    mentor.get_by_label("后续事项").fill("学员整理本月信访件并提出处置建议。")
    _clean(mentor)
    mentor.get_by_role("button", name="保存并请学员确认").click()
    expect(mentor.get_by_text("待学员确认").first).to_be_visible()

    mentee_page.goto(f"{live_server.url}/notifications")
    expect(mentee_page.get_by_text("见面记录待您确认")).to_be_visible()
    mentee_page.goto(pairing_url + "/meetings")
    mentee_page.get_by_role("button", name="确认这次见面").click()
    expect(mentee_page.get_by_text("已确认这次见面")).to_be_visible()
    _clean(mentee_page)

    mentor.goto(f"{live_server.url}/mentorship/")
    mentor.get_by_role("link", name="成长档案").first.click()
    expect(mentor.get_by_role("heading", name="林一帆的成长档案")).to_be_visible()
    titles = [section.title for section in progress_sections(live_app, mentee)]
    assert "课程学习与学时" in titles  # the courses domain's section: course progress
    for title in titles:
        expect(mentor.get_by_role("heading", name=title)).to_be_visible()
    done, total = required_completion(mentee)
    assert total > 0
    expect(mentor.get_by_text(f"待完成的必修课程（{total - done}）")).to_be_visible()
    expect(mentor.get_by_role("heading", name="帮带以来的学时")).to_be_visible()
    expect(mentor.get_by_text("共获得 12.0 学时")).to_be_visible()
    expect(mentor.get_by_role("cell", name="信访举报件的初步分析方法")).to_be_visible()
    _clean(mentor)
    screenshot(mentor, "mentorship-growth")

    trainer.goto(f"{live_server.url}/mentorship/dashboard")
    expect(trainer.get_by_role("cell", name="林一帆（东岭镇纪委）")).to_be_visible()
    _clean(trainer)
    screenshot(trainer, "mentorship-dashboard")

    for ctx in (trainer_ctx, mentor_ctx, mentee_ctx):
        ctx.close()


def test_pages_fit_a_phone(live_server, browser, live_app):
    mentee = _people()
    mentor = accounts.get_user_by_username("daoshi")
    pairing = make_pairing(mentor, mentee)
    add_meeting(pairing, 20)
    pair = f"/mentorship/pairings/{pairing.id}"
    for username, paths in [
        (
            "daoshi",
            [
                pair,
                f"{pair}/agreement",
                f"{pair}/meetings",
                f"{pair}/growth",
                f"{pair}/goals/{pairing.goals[0].id}",
                "/mentorship/",
            ],
        ),
        ("peixun", ["/mentorship/dashboard", f"{pair}/review"]),
        ("lingdao", ["/guidance/", f"/guidance/units/{mentee.unit_id}"]),
    ]:
        context, page = _session(browser, live_server, username, PHONE)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            _clean(page)
            screenshot(page, "mentorship-phone" + path.replace("/", "-"))
        context.close()
