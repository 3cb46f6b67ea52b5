"""A trainee plays a self-practice simulation to an ending: clicks, keyboard, a typed question."""

import re

from playwright.sync_api import expect

from learn.drills.services import cards
from learn.extensions import db
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_user

CARD_TITLE = "函询说明不实后的再次谈话：村委会主任低保评议未回避"


def _setup():
    cards.sync_cards()
    db.session.commit()
    make_user("xueyuan", name="林一帆")


def _option(page, start: str):
    return page.get_by_role("button", name=re.compile("^" + re.escape(start)))


def _choose(page, start: str):
    with page.expect_navigation():
        _option(page, start).click()


def _ask(page, question: str):
    page.get_by_label("直接提问").fill(question)
    with page.expect_navigation():
        page.get_by_role("button", name="提问", exact=True).click()


def test_a_trainee_plays_a_simulation_to_an_ending(live_server, page):
    _setup()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="模拟谈话").click()
    expect(page.get_by_role("heading", name="模拟谈话", exact=True)).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-index")
    page.get_by_role("link", name=CARD_TITLE).click()
    expect(page.get_by_text("角色说明只向演练中的被谈话人扮演者展示")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-card")
    with page.expect_navigation():
        page.get_by_role("button", name="开始自主练习").click()
    expect(page.get_by_role("heading", name="练习说明")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-run-start")

    # keyboard: focus the first option and press Enter
    _option(page, "把高血压写进安全预案").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("预案针对了本案真实存在的风险").first).to_be_visible()

    _ask(page, "今天天气怎么样")
    expect(page.get_by_text("系统未能识别这句提问的意图")).to_be_visible()
    _ask(page, "今天依据监督执纪工作规则找你谈话，你有如实说明问题的义务")
    expect(page.get_by_text("用自己的话讲清依据和义务").first).to_be_visible()

    for start in (
        "请他从头讲讲2024年评议的经过",
        "追问：刘某和你是什么关系",
        "出示会议记录和县民政局",
        "注意到他的异常，暂停谈话",
        "顺势讲明",
    ):
        _choose(page, start)
    _ask(page, "刘某家是不是有辆货车？他媳妇在工厂上班交社保吗？")
    screenshot(page, "drills-run-middle")
    for start in ("如实记录，问清包村干部", "请他逐页核对笔录并签名"):
        _choose(page, start)

    expect(page.get_by_text("结局：如实说明")).to_be_visible()
    expect(page.get_by_role("heading", name="刘某某如实说明了问题")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^本次得分"))).to_be_visible()
    expect(page.get_by_role("heading", name="我的路径")).to_be_visible()
    expect(page.get_by_text("识别为：用车辆、社保信息追问收入")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-run-ending")

    page.get_by_role("link", name="查看参考方案").click()
    expect(page.get_by_text("谈话目的").first).to_be_visible()
    page.goto(f"{live_server.url}/drills/history")
    expect(page.get_by_role("heading", name="各维度得分趋势")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-history")


def test_the_simulation_fits_a_phone(live_server, browser):
    _setup()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    page.goto(f"{live_server.url}/drills/cards/hanxun-dibao-huibi")
    with page.expect_navigation():
        page.get_by_role("button", name="开始自主练习").click()
    _choose(page, "为了少折腾")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "drills-run-phone")
    for start in ("直接说：“你的回复有问题", "把会议记录、调查表、比对结果", "宣布谈话结束"):
        _choose(page, start)
    expect(page.get_by_text("结局：拒不说明")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "drills-run-ending-phone")
    page.goto(f"{live_server.url}/drills/history")
    expect(page.get_by_role("heading", name="需要加强的方面")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_axe_violations(page) == []
    screenshot(page, "drills-history-phone")
    context.close()
