"""In a real Chromium, the pages that show hostile content run none of it.

The demo world is loaded with the payload corpus in its content files and in
every stored free-text column (tests/security/xss_payloads.py). The pages that
display payloads (found by a quick server-side crawl) are opened in the browser
as a learner and as the admin; on each, every element gets mouseover/focus
events, and the test proves that no payload ran (``window.__xss`` unset, title
untouched, no dialog), the CSP reported no violation (so nothing was even
attempted), and the live DOM carries no ``on*`` attribute and no
``javascript:`` link. The Markdown preview, the one place our own script
inserts HTML, is exercised too.
"""

import pytest

from learn.search.indexer import Writer
from learn.search.services import backend
from tests.e2e.conftest import LiveServer, browser_login
from tests.security.crawl import crawl, demo_world, logged_in
from tests.security.xss_payloads import (
    HOSTILE_CARD,
    HOSTILE_CASE,
    HOSTILE_COURSE,
    MARKER,
    hostile_content,
    markdown_document,
    plant_in_database,
)

PAGES_PER_ROLE = 30

# Runs in every document before its own scripts: record CSP violations.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""

# Poke every element the way a person would, then report what a payload could have done.
PROBE = """
() => {
  for (const el of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "focus", "toggle", "load", "error"]) {
      el.dispatchEvent(new Event(type, { bubbles: false }));
    }
  }
  const handlers = [];
  const links = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) handlers.push(`<${el.tagName} ${attr.name}>`);
    }
    const url = el.href instanceof SVGAnimatedString ? el.href.baseVal : el.href || el.src || "";
    if (/^\\s*(javascript|vbscript|data:text)/i.test(String(url))) links.push(String(url));
  }
  return {
    ran: window.__xss === 1 || document.title === "XSS",
    violations: window.__violations,
    handlers,
    links,
  };
}
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss-e2e")
    courses, cases = hostile_content(root)
    with demo_world(root, COURSES_DIR=str(courses), CASES_DIR=str(cases)) as app:
        plant_in_database()
        Writer(backend()).rebuild()
        server = LiveServer(app)
        server.start()
        yield server
        server.stop()


def _pages_showing_payloads(app, username: str) -> list[str]:
    """One URL per endpoint whose page displays at least one payload."""
    extra = (
        f"/courses/{HOSTILE_COURSE}",
        f"/drills/cards/{HOSTILE_CARD}",
        f"/cases/{HOSTILE_CASE}",
    )
    client = logged_in(app, username)
    pages = crawl(app, client, extra=extra)
    return [p.url for p in pages if p.is_html and p.status == 200 and MARKER in p.text]


def _visit(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state()
    return page.evaluate(PROBE)


def _problems(url: str, result: dict) -> list[str]:
    out = []
    if result["ran"]:
        out.append(f"{url}: a payload ran")
    out += [f"{url}: CSP violation {v}" for v in result["violations"]]
    out += [f"{url}: event handler {h}" for h in result["handlers"]]
    out += [f"{url}: dangerous link {link}" for link in result["links"]]
    return out


def test_pages_with_hostile_content_run_nothing(hostile_server, browser):
    app = hostile_server.app
    problems, dialogs, visited = [], [], 0
    for username in ("xueyuan", "admin"):
        urls = _pages_showing_payloads(app, username)[:PAGES_PER_ROLE]
        assert len(urls) >= 15, f"too few pages show payloads for {username}: {urls}"
        context = browser.new_context(locale="zh-CN")
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        browser_login(page, hostile_server, username, "learn2026")
        for url in urls:
            problems += _problems(url, _visit(page, hostile_server.url + url))
            visited += 1
        context.close()
    assert visited >= 30
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)


def test_the_browser_probe_detects_an_injected_handler(hostile_server, browser):
    """Control: the same probe does see a payload that reaches the DOM."""
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    browser_login(page, hostile_server, "xueyuan", "learn2026")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        "'<img src=x onerror=window.__xss=1><a href=\"javascript:1\">x</a>')"
    )
    page.wait_for_timeout(200)
    result = page.evaluate(PROBE)
    context.close()
    assert result["violations"] and result["handlers"] and result["links"]
    assert not result["ran"]  # the CSP blocked it: the marker check alone would miss it


def test_markdown_preview_inserts_only_sanitized_html(hostile_server, browser):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    browser_login(page, hostile_server, "peixun", "learn2026")
    page.goto(f"{hostile_server.url}/courses/manage/new")
    editor = page.locator("[data-md-editor]").first
    editor.locator("textarea").fill(markdown_document())
    editor.locator("[data-md-preview]").click()
    preview = editor.locator(".md-preview")
    preview.wait_for(state="visible")
    assert "点我" in preview.inner_text()  # the rendered payloads are there, as text and links
    result = page.evaluate(PROBE)
    context.close()
    assert not dialogs
    assert _problems("preview", result) == []
