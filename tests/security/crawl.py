"""Shared by the security tests: the demo world, a database fingerprint, a record
of every write a request makes, and a crawler that visits what each role can reach.

The crawler starts from every GET route without arguments and follows the links
and GET forms on each HTML page, so routes with object ids are reached with the
real ids a person would click on; at most ``per_endpoint`` URLs per endpoint
keep it bounded.
"""

import hashlib
import re
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from flask import has_request_context, request
from sqlalchemy import event, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from learn.demo import DEMO_PASSWORD, load_demo
from learn.extensions import db
from tests.conftest import login, make_app, reset_database

# Demo accounts, one per role (see learn/demo.py).
ROLE_USERS = ("admin", "peixun", "lingdao", "daoshi", "xueyuan", "qingnian", "bianji", "shenhe")

_DML = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@contextmanager
def demo_world(tmp_path, **config):
    """An app with the full demo world loaded; the body runs inside its app context."""
    app = make_app(tmp_path, **config)
    with app.app_context():
        reset_database()
        load_demo(app, echo=lambda *_: None)
        yield app
        db.session.remove()
        db.engine.dispose()


def logged_in(app, username: str):
    """A fresh test client logged in as a demo user."""
    client = app.test_client()
    response = login(client, username, DEMO_PASSWORD)
    assert response.status_code == 302, f"demo login failed for {username}"
    return client


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a digest of the full contents of every table, read afresh."""
    result = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            result[table.name] = (len(rows), digest)
    return result


def changed_tables(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@contextmanager
def recorded_writes():
    """Yield a list that collects (method, path, endpoint, table) for every DML statement
    sent while a request is being handled."""
    writes: list[tuple[str, str, str, str]] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        match = _DML.match(statement)
        if match and has_request_context():
            writes.append((request.method, request.full_path, request.endpoint, match.group(1)))

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


@dataclass(frozen=True)
class Page:
    url: str
    endpoint: str
    status: int
    content_type: str
    text: str

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.urls.append(attrs.get("action") or "")


def links(base: str, html: str) -> list[str]:
    """Same-site paths (with query, without fragment) linked or GET-submitted from a page."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.urls:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme in ("", "http") and parts.netloc in ("", "localhost"):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def start_urls(app) -> list[str]:
    """Every GET route that needs no arguments."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def crawl(app, client, extra: tuple[str, ...] = (), per_endpoint: int = 1, limit: int = 400):
    """Visit ``extra`` and every page reachable from the start URLs, in visiting order."""
    adapter = app.url_map.bind("localhost")
    queue = deque([*extra, *start_urls(app)])
    seen: set[str] = set()
    visits: Counter[str] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
        except (HTTPException, RequestRedirect):
            continue
        if endpoint == "static" or visits[endpoint] >= per_endpoint:
            continue
        visits[endpoint] += 1
        response = client.get(url)
        page = Page(
            url,
            endpoint,
            response.status_code,
            response.content_type or "",
            response.get_data(as_text=True) if _is_text(response.content_type) else "",
        )
        pages.append(page)
        if page.is_html and page.status == 200:
            queue.extend(links(url, page.text))
    return pages


def _is_text(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";")[0] in (
        "text/html",
        "application/json",
        "text/calendar",
        "text/plain",
        "text/csv",
    )
