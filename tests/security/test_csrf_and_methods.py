"""Every state-changing route refuses a request without a valid CSRF token, and
changes nothing; session cookies carry HttpOnly, SameSite and (when configured)
Secure.

The routes are enumerated from the URL map and filled with real ids from the
demo world, so a new route is covered without editing this file. The requests
come from a user holding every role, so no refusal is an authorization refusal
in disguise; a control request with a valid token proves the same client can
change state.
"""

import re

import pytest
from sqlalchemy import select, text

from learn.accounts import Role, User
from learn.accounts import services as accounts
from learn.accounts.models import TOKEN_SCOPE_WRITE
from learn.extensions import db
from learn.notifications import unread_count
from tests.conftest import csrf_token, login, make_app, post_form, reset_database
from tests.factories import make_user
from tests.security.crawl import changed_tables, demo_world, fingerprint, recorded_writes

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "页面已过期或表单校验失败，请刷新页面后重新提交。"
EVERY_ROLE = tuple(Role)

# URL argument -> the query giving a real value; "<blueprint>:<arg>" where the name is ambiguous.
ARGUMENT_SQL = {
    "case_id": "SELECT id FROM case_studies ORDER BY id",
    "token_id": "SELECT id FROM api_tokens ORDER BY id",
    "unit_id": "SELECT id FROM org_units ORDER BY id",
    "user_id": "SELECT id FROM users ORDER BY id",
    "slug": "SELECT slug FROM courses ORDER BY id",
    "key": "SELECT key FROM course_lessons ORDER BY id",
    "attempt_id": "SELECT id FROM course_quiz_attempts ORDER BY id",
    "lesson_id": "SELECT id FROM course_lessons ORDER BY id",
    "question_id": "SELECT id FROM course_questions ORDER BY id",
    "card_id": "SELECT id FROM drill_cards ORDER BY id",
    "group_id": "SELECT id FROM drill_groups ORDER BY id",
    "run_id": "SELECT id FROM drill_simulation_runs ORDER BY id",
    "visit_id": "SELECT id FROM guidance_visits ORDER BY id",
    "material_id": "SELECT id FROM lecture_materials ORDER BY id",
    "rota_id": "SELECT id FROM lecture_rotas ORDER BY id",
    "slot_id": "SELECT id FROM lecture_rota_slots ORDER BY id",
    "series_id": "SELECT id FROM lecture_series ORDER BY id",
    "notification_id": "SELECT id FROM notifications ORDER BY id",
    "pairing_id": "SELECT id FROM mentor_pairings ORDER BY id",
    "goal_id": "SELECT id FROM mentor_goals ORDER BY id",
    "milestone_id": "SELECT id FROM mentor_milestones ORDER BY id",
    "task_id": "SELECT id FROM mentor_tasks ORDER BY id",
    "meeting_id": "SELECT id FROM mentor_meetings ORDER BY id",
    "drills:session_id": "SELECT id FROM drill_sessions ORDER BY id",
    "drills_api:session_id": "SELECT id FROM drill_sessions ORDER BY id",
    "session_id": "SELECT id FROM lecture_sessions ORDER BY id",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with demo_world(tmp_path_factory.mktemp("csrf")) as app:
        make_user("quanneng", *EVERY_ROLE, name="全能测试员")
        accounts.issue_token(accounts.get_user_by_username("admin"), "脚本")
        db.session.commit()
        yield app


def _argument(blueprint: str, name: str, converter):
    items = getattr(converter, "items", None)
    if items:  # an any(...) converter: its first choice
        return sorted(items)[0]
    sql = ARGUMENT_SQL.get(f"{blueprint}:{name}") or ARGUMENT_SQL.get(name)
    assert sql, f"URL argument {name!r} is new: add a query for a real value to ARGUMENT_SQL"
    value = db.session.execute(text(sql)).scalar()
    return 1 if value is None else value


def state_changing_requests(app) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every state-changing method of every rule."""
    requests = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.methods & STATE_CHANGING:
            continue
        blueprint = rule.endpoint.partition(".")[0]
        values = {
            arg: _argument(blueprint, arg, rule._converters.get(arg)) for arg in rule.arguments
        }
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & STATE_CHANGING):
            requests.append((method, url, rule.endpoint))
    db.session.rollback()
    return requests


def _assert_refused(response, method, url):
    assert response.status_code == 400, (method, url, response.status_code)
    if url.startswith("/api/"):
        assert response.get_json() == {"error": CSRF_MESSAGE}, (method, url)
    else:
        assert CSRF_MESSAGE in response.get_data(as_text=True), (method, url)


def _forged_variants(client, foreign_token: str):
    """Ways a forged request might carry (or lack) a token."""
    return {
        "no token": {},
        "wrong form token": {"data": {"csrf_token": "IjEyMzQi.forged.token"}},
        "wrong header token": {"headers": {"X-CSRFToken": "IjEyMzQi.forged.token"}},
        "another session's token": {"data": {"csrf_token": foreign_token}},
        "empty token": {"data": {"csrf_token": ""}},
    }


def test_every_state_changing_route_refuses_a_forged_request(world):
    client = world.test_client()
    login(client, "quanneng")
    other = world.test_client()
    login(other, "xueyuan", "learn2026")
    foreign_token = csrf_token(other, "/account")
    requests = state_changing_requests(world)
    assert len(requests) > 80

    before = fingerprint()
    with recorded_writes() as writes:
        for method, url, _endpoint in requests:
            for variant, kwargs in _forged_variants(client, foreign_token).items():
                response = client.open(url, method=method, **kwargs)
                _assert_refused(response, method, f"{url} ({variant})")
    assert not writes, f"a refused request wrote to the database: {sorted(set(writes))}"
    assert not changed_tables(before, fingerprint())
    # the refused logout left the session alive
    assert client.get("/account").status_code == 200


def test_the_same_client_with_a_valid_token_does_change_state(world):
    """Control: the refusals above are CSRF refusals, not a broken client."""
    client = world.test_client()
    login(client, "xueyuan", "learn2026")
    user_id = db.session.scalar(select(User.id).where(User.username == "xueyuan"))
    assert unread_count(user_id) > 0
    response = post_form(client, "/notifications/read-all", token_from="/notifications")
    assert response.status_code == 302
    db.session.rollback()
    assert unread_count(user_id) == 0


def test_api_session_cookie_without_token_is_refused_but_bearer_is_exempt(world):
    with_cookie = world.test_client()
    login(with_cookie, "bianji", "learn2026")
    body = {"title": "某镇干部违规收受礼金案", "body": "正文"}
    response = with_cookie.post("/api/v1/cases/check", json=body)
    _assert_refused(response, "POST", "/api/v1/cases/check")

    editor = db.session.scalar(select(User).where(User.username == "bianji"))
    _, secret = accounts.issue_token(editor, "校验脚本", TOKEN_SCOPE_WRITE)
    db.session.commit()
    bearer = world.test_client()
    response = bearer.post(
        "/api/v1/cases/check", json=body, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code != 400 or response.get_json()["error"] != CSRF_MESSAGE
    assert response.status_code < 500


def _set_cookie(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, f"no {name} cookie set"
    return headers[-1]


@pytest.mark.parametrize("secure", ["0", "1"])
def test_session_cookie_flags(tmp_path, monkeypatch, secure):
    monkeypatch.setenv("LEARN_SECURE_COOKIES", secure)
    app = make_app(tmp_path)
    with app.app_context():
        reset_database()
        make_user("zhang")
        client = app.test_client()
        cookie = _set_cookie(login(client, "zhang"), app.config["SESSION_COOKIE_NAME"])
        db.session.remove()
        db.engine.dispose()
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=(Lax|Strict)", cookie)
    assert ("Secure" in cookie.split("; ")) == (secure == "1")
