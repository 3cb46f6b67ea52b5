"""Every route refuses anonymous users, and admin pages refuse every other role.

The URL map is enumerated, so a new route is covered without editing this file;
the full per-object authorization matrix grows with each domain.
"""

import pytest
from werkzeug.routing import Rule

from learn.accounts import Role
from tests.conftest import login
from tests.factories import make_user

PUBLIC_ENDPOINTS = {"static", "accounts.login", "home.healthz", "lectures.feed"}


def _sample_value(converter):
    """A value the converter accepts: the first choice of an ``any(...)``, else 1."""
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else 1


def _sample_url(rule: Rule) -> str:
    values = {arg: _sample_value(rule._converters.get(arg)) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _routes(app, prefix=""):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(prefix):
            yield rule


def test_every_non_public_route_refuses_anonymous_users(app, client):
    checked = 0
    for rule in _routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _sample_url(rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url)
                assert "error" in response.get_json()
            elif method == "GET":
                assert response.status_code == 302, (method, url)
                assert "/login" in response.headers["Location"]
            else:
                # a state change without a session is refused before anything runs
                assert response.status_code in (302, 400), (method, url)
            checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    "role", [None, Role.MENTOR, Role.TRAINER, Role.LEADER, Role.CASE_EDITOR, Role.CASE_REVIEWER]
)
def test_admin_pages_refuse_every_other_role(app, client, role):
    make_user("someone", *([role] if role else []))
    login(client, "someone")
    for rule in _routes(app, "admin."):
        url = _sample_url(rule)
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, url
        if "POST" in rule.methods:
            assert client.post(url).status_code in (400, 403), url


def test_admin_pages_open_for_admin(app, client):
    make_user("boss", Role.ADMIN)
    login(client, "boss")
    for url in (
        "/admin/users",
        "/admin/users/new",
        "/admin/units",
        "/admin/units/new",
        "/admin/audit",
    ):
        assert client.get(url).status_code == 200, url


def test_navigation_shows_admin_only_to_admins(client):
    make_user("boss", Role.ADMIN)
    make_user("zhang")
    login(client, "zhang")
    assert "系统管理" not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    other = client.application.test_client()
    login(other, "boss")
    assert "系统管理" in other.get("/").get_data(as_text=True)


def test_healthz_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_unknown_page_is_a_chinese_404(client):
    make_user("zhang")
    login(client, "zhang")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_security_headers_are_set(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
