from sqlalchemy import func, select

from learn.accounts import Role, User
from learn.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def test_login_without_csrf_token_is_refused(client):
    make_user("zhang")
    response = client.post("/login", data={"username": "zhang", "password": PASSWORD})
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_admin_form_without_token_changes_nothing(client):
    make_user("boss", Role.ADMIN)
    login(client, "boss")
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "sneaky",
            "name": "某",
            "password": "abcd12345",
            "rank_band": "乡科级及以下",
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_logout_without_token_is_refused(client):
    make_user("zhang")
    login(client, "zhang")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_api_with_session_cookie_still_needs_csrf_but_bearer_does_not(client):
    make_user("zhang")
    login(client, "zhang")
    # no state-changing API exists yet; a POST to an unknown API path must not bypass CSRF
    response = client.post("/api/v1/me")
    assert response.status_code == 400
    assert response.get_json()["error"]
