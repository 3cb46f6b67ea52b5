"""Hostile content never reaches a page as something a browser would execute.

The demo world is loaded from content folders that include a course, a
mock-talk card and a case written with the payload corpus; then every stored
free-text column is overwritten with payloads, a few fields are filled through
their real forms, and the search index is rebuilt. Every role crawls every page
it can reach, and each HTML page is parsed (html.parser) for scripts that are
not our static files, event-handler or style attributes, dangerous URL schemes
and embedding elements. Reflected input (search, 404, filters) is checked too.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlalchemy import text

from learn.content.cases import CATEGORIES, DOMAINS, SUBJECT_LEVELS
from learn.core.markdown import render_markdown
from learn.extensions import db
from learn.search.indexer import Writer
from learn.search.services import backend
from tests.conftest import csrf_token, post_form
from tests.security.crawl import ROLE_USERS, crawl, demo_world, logged_in
from tests.security.xss_payloads import (
    ALL,
    HOSTILE_CARD,
    HOSTILE_CASE,
    HOSTILE_CASE_TITLE,
    HOSTILE_COURSE,
    MARKER,
    PLAIN,
    RUN,
    SHORT,
    SPLIT_SCRIPT,
    hostile_content,
    markdown_document,
    plant_in_database,
)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

# A tag that is live when the payload is pasted raw into a page; the split script tag
# parses as an unknown "scr<script" element in browsers and html.parser alike.
_LIVE_TAG = re.compile(
    r"<(script|img|svg|body|details|input|div|video|a|iframe|form|object|embed|math|meta|base|"
    r"style|link)\b",
    re.I,
)

# Every domain shows some planted payload (escaped) on at least one page.
DOMAINS_SHOWING_PAYLOADS = {
    "admin",
    "cases",
    "courses",
    "drills",
    "lectures",
    "mentorship",
    "search",
    "home",
}


class _Executable(HTMLParser):
    """Collect everything in a page that a browser could execute or that loads foreign code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        shown = f"<{tag} {' '.join(f'{n}={v!r}' for n, v in attrs)}>"[:160]
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src", "").startswith("/static/"):
                self.findings.append(f"script not from /static/: {shown}")
        if tag in EMBEDDING_TAGS:
            self.findings.append(f"embedding element: {shown}")
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.findings.append(f"meta refresh: {shown}")
        if tag == "link" and not dict(attrs).get("href", "").startswith("/static/"):
            self.findings.append(f"link not to /static/: {shown}")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.findings.append(f"attribute {name}: {shown}")
            if name in URL_ATTRIBUTES and _dangerous_url(tag, name, value):
                self.findings.append(f"dangerous URL in {name}: {shown}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.findings.append(f"inline script: {data.strip()[:120]}")


def _dangerous_url(tag: str, name: str, value: str) -> bool:
    url = _INVISIBLE.sub("", value).lower()
    if tag == "img" and name == "src" and url.startswith("data:image/"):
        return False
    return url.startswith(BAD_SCHEMES)


def executable_findings(html: str) -> list[str]:
    parser = _Executable()
    parser.feed(html)
    parser.close()
    findings = parser.findings
    if "49张某" in html:
        findings.append("template injection: {{7*7}} was evaluated")
    return findings


@dataclass(frozen=True)
class HostileWorld:
    app: Flask
    from_files: dict  # the hostile rows as the content parsers stored them
    planted: int  # stored values overwritten with payloads


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    courses, cases = hostile_content(root)
    with demo_world(root, COURSES_DIR=str(courses), CASES_DIR=str(cases)) as app:
        from_files = _hostile_rows()
        planted = plant_in_database()
        Writer(backend()).rebuild()
        yield HostileWorld(app, from_files, planted)


def test_the_detector_finds_what_it_must():
    """A check that cannot fail proves nothing: every payload that is live as raw HTML is caught."""
    live = [p for p in PLAIN if _LIVE_TAG.search(p) and p != SPLIT_SCRIPT]
    assert len(live) > 30
    assert [p for p in live if not executable_findings(p)] == []


@pytest.mark.parametrize("payload", ALL)
def test_markdown_renderer_neutralises_each_payload(payload):
    assert executable_findings(render_markdown(payload)) == []


def _hostile_rows() -> dict:
    def one(sql: str, key: str):
        return db.session.execute(text(sql), {"key": key}).scalar()

    return {
        "case title": one("SELECT title FROM case_studies WHERE id = :key", HOSTILE_CASE),
        "course intro": one("SELECT intro_md FROM courses WHERE slug = :key", HOSTILE_COURSE),
        "card title": one("SELECT title FROM drill_cards WHERE id = :key", HOSTILE_CARD),
    }


def test_hostile_content_files_were_loaded_as_written(world):
    """The parsers took the payloads as written, so the crawl below sees them."""
    loaded = world.from_files
    assert loaded["case title"] == HOSTILE_CASE_TITLE
    assert markdown_document() in loaded["course intro"]
    assert MARKER in loaded["card title"]
    assert world.planted > 500


def test_no_page_renders_an_executable_payload_for_any_role(world):
    findings = {}
    pages_with_payloads = set()
    for username in ROLE_USERS:
        client = logged_in(world.app, username)
        extra = (
            f"/courses/{HOSTILE_COURSE}",
            f"/drills/cards/{HOSTILE_CARD}",
            f"/cases/{HOSTILE_CASE}",
        )
        for page in crawl(world.app, client, extra=extra):
            assert page.status < 500, (username, page.url)
            if not page.is_html:
                continue
            if MARKER in page.text:
                pages_with_payloads.add(page.endpoint)
            for finding in executable_findings(page.text):
                findings.setdefault(finding, (username, page.url))
    assert not findings, "\n".join(f"{url} as {user}: {f}" for f, (user, url) in findings.items())
    domains = {endpoint.partition(".")[0].partition("_")[0] for endpoint in pages_with_payloads}
    assert domains >= DOMAINS_SHOWING_PAYLOADS


@pytest.mark.parametrize("payload", SHORT)
def test_reflected_input_is_escaped(world, payload):
    client = logged_in(world.app, "admin")
    urls = [
        ("/search/", {"q": payload}),
        ("/cases/", {"category": payload, "year": payload}),
        ("/admin/audit", {"username": payload[:32], "target_type": payload, "target_id": payload}),
        ("/admin/users", {"q": payload}),
        ("/courses/catalogue", {"q": payload}),
        (f"/{payload}", None),
        (f"/courses/{payload}", None),
    ]
    for url, query in urls:
        response = client.get(url, query_string=query)
        assert response.status_code < 500, url
        assert executable_findings(response.get_data(as_text=True)) == [], url


def test_forms_store_payloads_as_text(world):
    """Input through the real forms: the admin's unit and user forms, the course preview."""
    client = logged_in(world.app, "admin")
    unit_name, user_name = SHORT[1], SHORT[3]
    post_form(
        client,
        "/admin/units/new",
        {"name": unit_name, "unit_type": "纪检监察室", "parent_id": "0", "cluster_id": "0"},
    )
    post_form(
        client,
        "/admin/users/new",
        {
            "username": "xss-user",
            "name": user_name,
            "unit_id": "0",
            "rank_band": "乡科级及以下",
            "password": "Start2026x",
        },
    )
    stored = db.session.execute(
        text(
            "SELECT (SELECT count(*) FROM org_units WHERE name = :u), "
            "(SELECT count(*) FROM users WHERE name = :n)"
        ),
        {"u": unit_name, "n": user_name},
    ).one()
    db.session.rollback()
    assert tuple(stored) == (1, 1)
    for url in ("/admin/units", "/admin/users", "/admin/audit"):
        page = client.get(url).get_data(as_text=True)
        assert MARKER in page, url
        assert executable_findings(page) == [], url

    token = csrf_token(client, "/courses/manage/new")
    preview = client.post(
        "/courses/manage/preview",
        data={"text": markdown_document()},
        headers={"X-CSRFToken": token},
    )
    assert preview.status_code == 200
    assert executable_findings(preview.get_json()["html"]) == []


def _online_url(session_id: int) -> str:
    url = db.session.scalar(
        text("SELECT online_url FROM lecture_sessions WHERE id = :id"), {"id": session_id}
    )
    db.session.rollback()
    return url or ""


def test_lecture_online_link_refuses_javascript_urls(world):
    """The one stored URL a person types is rendered as a link, so its scheme is checked."""
    client = logged_in(world.app, "peixun")
    session_id = db.session.scalar(text("SELECT id FROM lecture_sessions ORDER BY id"))
    db.session.rollback()
    url = f"/lectures/sessions/{session_id}/edit"
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields.update(
        re.findall(
            r'<select[^>]*name="([a-z_]+)".*?<option[^>]*value="([^"]*)"[^>]*selected', page, re.S
        )
    )
    fields.update(re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>([^<]*)<', page))

    post_form(client, url, {**fields, "online_url": "https://meeting.example.cn/room/1"})
    assert _online_url(session_id) == "https://meeting.example.cn/room/1"  # control
    for link in ("javascript:window.__xss=1", " JaVaScRiPt:window.__xss=1", "data:text/html,x"):
        post_form(client, url, {**fields, "online_url": link})
        assert _online_url(session_id) == "https://meeting.example.cn/room/1", link


def test_a_line_break_in_a_series_name_does_not_break_its_calendar(world):
    client = logged_in(world.app, "peixun")
    session_id, series_id, series_type, unit_id, name = db.session.execute(
        text(
            "SELECT s.id, r.id, r.series_type, r.owner_unit_id, r.name FROM lecture_sessions s "
            "JOIN lecture_series r ON r.id = s.series_id ORDER BY s.id"
        )
    ).first()
    db.session.rollback()
    form = {
        "series_type": series_type,
        "owner_unit_id": unit_id,
        "default_hours": "2",
        "default_minutes": "90",
    }
    edit = f"/lectures/series/{series_id}/edit"
    assert post_form(client, edit, {**form, "name": "青年讲堂\n第二期"}).status_code == 302
    try:
        assert client.get(f"/lectures/sessions/{session_id}.ics").status_code == 200
    finally:
        post_form(client, edit, {**form, "name": name.replace("\n", " ")})


def test_quiz_questions_answers_and_explanations_are_shown_as_text(world):
    """Questions, options and explanations from the hostile course, before and after submitting."""
    client = logged_in(world.app, "qingnian")
    course = f"/courses/{HOSTILE_COURSE}"
    keys = db.session.scalars(
        text(
            "SELECT l.key FROM course_lessons l JOIN courses c ON c.id = l.course_id "
            "WHERE c.slug = :slug ORDER BY l.id"
        ),
        {"slug": HOSTILE_COURSE},
    ).all()
    db.session.rollback()
    post_form(client, f"{course}/enroll", token_from=course)
    for key in keys:
        post_form(client, f"{course}/lessons/{key}/done", token_from=f"{course}/lessons/{key}")
    started = post_form(client, f"{course}/quiz", token_from=course)
    assert started.status_code == 302 and "/quiz/" in started.location
    questions = client.get(started.location).get_data(as_text=True)
    answers = {name: "A" for name in set(re.findall(r'name="(q\d+)"', questions))}
    submitted = post_form(client, started.location, answers, follow_redirects=True)
    results = submitted.get_data(as_text=True)
    for page in (questions, results):
        assert MARKER in page
        assert executable_findings(page) == []


def test_case_editorial_form_shows_payloads_and_findings_as_text(world):
    """The editor's form: the preview, the anonymization finding marks and the saved draft."""
    client = logged_in(world.app, "bianji")
    case_id = "xss-bianji-2024-01"
    analysis = f"张三在村委会<img src=x onerror={RUN}>"  # a real-looking name: a finding mark
    body = f"## 基本案情\n\n{markdown_document()}\n\n## 问题剖析\n\n{analysis}"
    data = {
        "case_id": case_id,
        "title": HOSTILE_CASE_TITLE,
        "year": "2024",
        "categories": CATEGORIES[0],
        "subject_level": SUBJECT_LEVELS[0],
        "domains": DOMAINS[0],
        "outcome": f"' onmouseover='{RUN}' x='",
        "tags": '{{7*7}}张某、<svg/onload=__xss=1>、"><b>x',  # tags are at most 20 characters
        "body": body,
    }
    saved = post_form(client, "/cases/new", data)
    assert saved.status_code == 302, "the draft was not saved"
    pages = [client.get(saved.location), client.get(f"/cases/{case_id}/edit")]
    pages = [page.get_data(as_text=True) for page in pages]
    assert any('class="finding"' in page for page in pages)
    for page in pages:
        assert MARKER in page
        assert executable_findings(page) == []
