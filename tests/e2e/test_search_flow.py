"""A cadre searches a jargon word, narrows by two facets, opens a case and follows a related one."""

import re

from learn.accounts import Role
from tests.e2e.conftest import (
    ARTIFACTS,
    PHONE,
    browser_login,
    screenshot,
    serious_axe_violations,
)
from tests.factories import PASSWORD, make_user
from tests.search.factories import index_now, library_files, publish


def _library():
    admin = make_user("admin", Role.ADMIN, name="系统管理员")
    make_user("xueyuan", name="林一帆")
    publish(admin, library_files())
    index_now()


def test_search_narrow_open_and_follow_a_related_case(live_server, page):
    _library()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案例检索").click()
    assert page.get_by_role("heading", name="案例检索", level=1).is_visible()

    box = page.get_by_role("searchbox", name="检索词")
    box.fill("四风")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text("也搜索了：").is_visible()
    total = int(re.search(r"找到 (\d+) 个案例", page.locator("#results-title").inner_text())[1])
    assert total >= 5
    screenshot(page, "search-results")
    assert serious_axe_violations(page) == []

    facets = page.get_by_role("complementary", name="筛选")
    facets.get_by_role("link", name=re.compile(r"^廉洁纪律")).click()
    page.wait_for_load_state()
    narrowed = int(re.search(r"找到 (\d+) 个案例", page.locator("#results-title").inner_text())[1])
    assert 0 < narrowed < total
    facets = page.get_by_role("complementary", name="筛选")
    facets.get_by_role("link", name=re.compile(r"^第二种形态")).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="去掉筛选：廉洁纪律").is_visible()
    assert page.get_by_role("link", name="去掉筛选：第二种形态").is_visible()
    results = page.locator(".result h3 a")
    assert 0 < results.count() <= narrowed
    for meta in page.locator(".result .meta").all_inner_texts():
        assert "第二种形态" in meta and "廉洁纪律" in meta
    screenshot(page, "search-narrowed")

    title = results.first.inner_text()
    results.first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=title, level=1).is_visible()
    related = page.get_by_role("region", name="相关案例").get_by_role("link")
    assert related.count() >= 3
    next_title = related.first.inner_text()
    assert next_title != title
    related.first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=next_title, level=1).is_visible()
    screenshot(page, "search-related-case")


def test_search_on_a_phone_and_by_keyboard(live_server, browser):
    _library()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    page.goto(f"{live_server.url}/search/?q=村里的低保被干部冒领怎么处理")
    assert (
        page.locator(".result h3 a")
        .first.inner_text()
        .startswith("某镇某村村委会委员虚报冒领低保金")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".facet-panel > summary").click()
    assert page.get_by_role("heading", name="问题类别").is_visible()
    screenshot(page, "search-phone")
    page.screenshot(path=str(ARTIFACTS / "search-phone-top.png"))
    assert serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/search/?q=一把手 插手工程 电子红包")
    assert page.get_by_text("没有找到符合条件的案例").is_visible()
    suggestion = page.get_by_role("link", name=re.compile("^去掉“电子红包”"))
    suggestion.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".result").count() >= 1
    screenshot(page, "search-phone-suggestion")
    context.close()


def test_syntax_help_and_vocabulary_pages_pass_axe(live_server, page):
    _library()
    browser_login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/search/help")
    assert page.get_by_role("heading", name="检索语法说明").is_visible()
    assert serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/search/vocabulary")
    assert page.get_by_role("heading", name="检索词库").is_visible()
    page.get_by_label("新词").fill("四下基层")
    page.get_by_role("button", name="加入词典").click()
    page.wait_for_load_state()
    assert page.get_by_text("索引将在几秒内按新的词库自动重建").is_visible()
    screenshot(page, "search-vocabulary")
    assert serious_axe_violations(page) == []
