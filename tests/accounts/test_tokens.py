from sqlalchemy import select

from learn.accounts import ApiToken
from learn.accounts import services as accounts
from learn.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_user


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_me_with_token_returns_the_user(client):
    user = make_user("zhang", name="张测试")
    _token, clear = accounts.issue_token(user)
    db.session.commit()
    response = client.get("/api/v1/me", headers=_bearer(clear))
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "zhang"
    assert body["name"] == "张测试"
    assert "learner" in body["roles"]


def test_me_without_or_with_bad_token_is_401_json(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", headers=_bearer("lrn_not-a-real-token"))
    assert response.status_code == 401
    assert "令牌" in response.get_json()["error"]


def test_revoked_token_stops_working(client):
    user = make_user("zhang")
    token, clear = accounts.issue_token(user)
    db.session.commit()
    accounts.revoke_token(user, token.id)
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401


def test_tokens_are_stored_hashed(app):
    user = make_user("zhang")
    _token, clear = accounts.issue_token(user)
    db.session.commit()
    stored = db.session.scalar(select(ApiToken))
    assert clear not in (stored.token_hash, stored.prefix)


def test_token_of_inactive_user_is_refused(client):
    user = make_user("zhang")
    _token, clear = accounts.issue_token(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401


def test_user_creates_and_revokes_a_token_in_the_browser(client):
    make_user("zhang")
    login(client, "zhang")
    page = post_form(client, "/account/tokens", {"name": "统计脚本"}, token_from="/account")
    html = page.get_data(as_text=True)
    clear = html.split('class="token">')[1].split("<")[0]
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 200
    token = db.session.scalar(select(ApiToken))
    post_form(client, f"/account/tokens/{token.id}/revoke", token_from="/account")
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401


def test_cannot_revoke_someone_elses_token(client):
    owner = make_user("owner")
    token, _clear = accounts.issue_token(owner)
    db.session.commit()
    make_user("zhang")
    login(client, "zhang")
    response = post_form(client, f"/account/tokens/{token.id}/revoke", token_from="/account")
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.is_active


def test_read_only_token_cannot_change_state(client):
    user = make_user("zhang")
    _t, read = accounts.issue_token(user, "只读")
    _t, write = accounts.issue_token(user, "读写", "write")
    db.session.commit()
    refused = client.post("/api/v1/me", headers=_bearer(read))
    assert refused.status_code == 403
    assert "只读" in refused.get_json()["error"]
    # a write token passes authorization; /me itself only answers GET
    assert client.post("/api/v1/me", headers=_bearer(write)).status_code == 405


def test_token_of_locked_user_is_refused(client):
    from learn.core.db import utcnow

    user = make_user("zhang")
    _token, clear = accounts.issue_token(user)
    user.locked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401
