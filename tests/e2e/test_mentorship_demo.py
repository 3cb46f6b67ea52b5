"""On first run the demo gives the trainer a meaningful dashboard and the leader a unit picture."""

from playwright.sync_api import expect

from learn.demo import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations


def test_demo_dashboard_guidance_and_review(live_server, browser, live_app):
    load_demo(live_app, echo=lambda *_: None)
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    browser_login(page, live_server, "peixun", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mentorship/dashboard")
    tiles = page.locator(".stat")
    for label in ("待确认", "进行中", "待期满考核", "已结业", "已终止", "正常", "需关注", "不活跃"):
        tile = tiles.filter(has_text=label).first
        assert int(tile.locator(".stat-value").inner_text()) >= 1, label
    expect(tiles.filter(has_text="其中严重 1")).to_be_visible()
    expect(page.get_by_text("严重不活跃").first).to_be_visible()
    expect(page.get_by_role("heading", name="即将期满（60 天内）")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "mentorship-demo-dashboard")
    page.get_by_role("link", name="孙启元").click()
    page.get_by_role("navigation", name="帮带关系").get_by_role("link", name="期满考核").click()
    expect(page.get_by_role("heading", name="考核内容")).to_be_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "mentorship-demo-review")
    context.close()

    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/guidance/")
    page.get_by_role("link", name="东岭镇纪委").click()
    expect(page.get_by_role("heading", name="干部学习情况")).to_be_visible()
    expect(page.get_by_role("heading", name="与新进干部林一帆谈心")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_axe_violations(page) == []
    screenshot(page, "mentorship-demo-guidance-phone")
    page.goto(f"{live_server.url}/mentorship/")
    screenshot(page, "mentorship-demo-index-phone")
    context.close()
