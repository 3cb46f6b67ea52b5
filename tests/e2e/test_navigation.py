"""Two roles log in and see what each may use; the pages pass axe-core and fit a phone."""

from learn.accounts import Role
from learn.org import UnitType
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_unit, make_user


def _people():
    unit = make_unit("东岭镇纪委", UnitType.TOWNSHIP)
    make_user("xueyuan", name="林一帆", unit=unit, birth_year=2001)
    make_user("admin", Role.ADMIN, name="系统管理员")


def test_learner_sees_home_without_admin(live_server, page):
    _people()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    assert page.get_by_role("heading", name="林一帆，您好").is_visible()
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link", name="首页").is_visible()
    assert nav.get_by_role("link", name="系统管理").count() == 0
    screenshot(page, "home-learner")
    assert serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/admin/users")
    assert page.get_by_role("heading", name="无权访问").is_visible()


def test_admin_manages_users_and_reads_the_audit_log(live_server, page):
    _people()
    browser_login(page, live_server, "admin", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="系统管理").click()
    assert page.get_by_role("heading", name="用户与角色").is_visible()
    assert page.get_by_role("link", name="林一帆").is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "admin-users")
    page.get_by_role("link", name="审计日志").click()
    assert page.get_by_role("cell", name="登录", exact=True).first.is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "admin-audit")


def test_login_page_errors_are_announced(live_server, page):
    _people()
    browser_login(page, live_server, "xueyuan", "wrong-pass1")
    assert page.get_by_text("用户名或密码不正确").is_visible()
    assert serious_axe_violations(page) == []


def test_phone_menu_and_keyboard(live_server, browser):
    _people()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "admin", PASSWORD)
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert page.get_by_role("link", name="系统管理", exact=True).is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(page, "home-admin-phone")
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "跳到主要内容" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()
