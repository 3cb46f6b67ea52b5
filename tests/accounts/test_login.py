import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from learn.accounts import services as accounts
from learn.audit import AuditEvent
from learn.extensions import db
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_user


def test_login_success_goes_home_and_is_audited(client):
    make_user("zhang", name="张测试")
    response = login(client, "zhang")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "张测试，您好" in client.get("/").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login" in actions


def test_wrong_password_is_refused_with_chinese_message(client):
    make_user("zhang")
    response = login(client, "zhang", "wrong-password1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert event.username == "zhang"


def test_unknown_user_gets_the_same_message(client):
    response = login(client, "nobody", "whatever1")
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client):
    user = make_user("zhang")
    user.active = False
    db.session.commit()
    assert login(client, "zhang").status_code == 200
    assert client.get("/").status_code == 302


def test_logout_needs_post(client):
    make_user("zhang")
    login(client, "zhang")
    assert client.get("/logout").status_code == 405
    response = post_form(client, "/logout", token_from="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_next_parameter_only_follows_local_paths(client):
    make_user("zhang")
    response = post_form(
        client,
        "/login?next=//evil.example/x",
        {"username": "zhang", "password": PASSWORD},
        token_from="/login",
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    client2 = client.application.test_client()
    response = post_form(
        client2,
        "/login?next=/account",
        {"username": "zhang", "password": PASSWORD},
        token_from="/login",
    )
    assert response.headers["Location"] == "/account"


def test_imported_account_must_change_password_first(client):
    make_user("zhang", must_change=True)
    login(client, "zhang")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/password")
    page = client.get("/account/password").get_data(as_text=True)
    assert "首次登录" in page
    weak = post_form(
        client,
        "/account/password",
        {"current": PASSWORD, "new": "short", "confirm": "short"},
    )
    assert "至少需要 8 位" in weak.get_data(as_text=True)
    done = post_form(
        client,
        "/account/password",
        {"current": PASSWORD, "new": "newpass123", "confirm": "newpass123"},
    )
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions(app):
    make_user("zhang")
    first, second = app.test_client(), app.test_client()
    login(first, "zhang")
    login(second, "zhang")
    post_form(
        first,
        "/account/password",
        {"current": PASSWORD, "new": "another123", "confirm": "another123"},
    )
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_passwords_are_hashed(app):
    user = make_user("zhang")
    assert PASSWORD not in user.password_hash
    assert accounts.authenticate("zhang", PASSWORD) is not None


def test_session_cookie_is_httponly_and_samesite(client):
    make_user("zhang")
    response = login(client, "zhang")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_expires_after_the_configured_hours(client):
    make_user("zhang")
    before = datetime.now(UTC)
    cookie = login(client, "zhang").headers["Set-Cookie"]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie)[1])
    lifetime = client.application.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime == timedelta(hours=8)
    assert abs(expires - (before + lifetime)) < timedelta(minutes=1)


def test_repeated_failures_lock_the_account_until_an_admin_unlocks(app, client):
    from learn.accounts import Role

    app.config["LOCKOUT_AFTER"] = 3
    target = make_user("zhang")
    for _ in range(3):
        login(client, "zhang", "wrong-pass1")
    page = login(client, "zhang").get_data(as_text=True)  # right password, but locked
    assert "用户名或密码不正确" in page  # same message: no hint that the account exists
    db.session.expire_all()
    assert accounts.get_user(target.id).locked_at is not None
    make_user("boss", Role.ADMIN)
    admin = app.test_client()
    login(admin, "boss")
    post_form(admin, f"/admin/users/{target.id}/unlock", token_from=f"/admin/users/{target.id}")
    assert login(client, "zhang").status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"account_locked", "account_unlocked"} <= actions


def test_success_resets_the_failure_count(app, client):
    app.config["LOCKOUT_AFTER"] = 3
    target = make_user("zhang")
    login(client, "zhang", "wrong-pass1")
    login(client, "zhang", "wrong-pass1")
    login(client, "zhang")
    db.session.expire_all()
    assert accounts.get_user(target.id).failed_logins == 0
