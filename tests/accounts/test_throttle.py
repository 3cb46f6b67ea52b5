import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.conftest import csrf_token, make_app, reset_database
from tests.factories import make_user

REDIS_URL = "redis://127.0.0.1:6379/15"
# One prefix per test run: the global limiter keeps the first non-empty prefix it is given.
KEY_PREFIX = f"test-{uuid.uuid4().hex}"


def _attempt(client, token, username="zhang", ip="10.0.0.1"):
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": "wrong-pass1"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_login_is_throttled_with_a_chinese_message(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        reset_database()
        make_user("zhang")
        client = app.test_client()
        token = csrf_token(client, "/login")
        statuses = [_attempt(client, token).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert "操作过于频繁" in _attempt(client, token).get_data(as_text=True)


def test_throttle_counts_one_username_across_addresses(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        reset_database()
        client = app.test_client()
        token = csrf_token(client, "/login")
        statuses = [_attempt(client, token, ip=f"10.0.0.{i}").status_code for i in range(4)]
        assert statuses[-1] == 429
        assert _attempt(client, token, username="other", ip="10.0.1.1").status_code == 200


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


SECOND_PROCESS = """
import sys
from tests.conftest import csrf_token, make_app
from learn.extensions import db
from pathlib import Path
app = make_app(Path(sys.argv[1]), **eval(sys.argv[2]))
with app.app_context():
    db.create_all()
    client = app.test_client()
    token = csrf_token(client, "/login")
    for _ in range(2):
        response = client.post("/login", data={"csrf_token": token, "username": "zhang",
                               "password": "wrong-pass1"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        print(response.status_code)
"""


def _shared_storage(kind: str, tmp_path: Path) -> dict:
    prefix = {"RATELIMIT_KEY_PREFIX": KEY_PREFIX}
    if kind == "sqlite":
        uri = f"learn+sqlite://{tmp_path / 'ratelimits.sqlite3'}"
        return {"RATELIMIT_STORAGE_URI": uri, **prefix}
    if not _redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {"REDIS_URL": REDIS_URL, "RATELIMIT_STORAGE_URI": REDIS_URL, **prefix}


@pytest.mark.parametrize("kind", ["redis", "sqlite"])
def test_storage_shares_the_count_between_processes(tmp_path, kind):
    """Redis across hosts; the data directory's SQLite store across one host's workers."""
    settings = dict(LOGIN_RATE_LIMIT="3 per minute", **_shared_storage(kind, tmp_path))
    app = make_app(tmp_path / "a", **settings)
    with app.app_context():
        reset_database()
        client = app.test_client()
        token = csrf_token(client, "/login")
        assert [_attempt(client, token).status_code for _ in range(2)] == [200, 200]
    other = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, str(tmp_path / "b"), repr(settings)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert other.stdout.split() == ["200", "429"]


def test_behind_a_proxy_the_forwarded_address_is_throttled(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="2 per minute", PROXY_COUNT=1)
    with app.app_context():
        reset_database()
        client = app.test_client()
        token = csrf_token(client, "/login")

        def attempt(forwarded, username):
            return client.post(
                "/login",
                data={"csrf_token": token, "username": username, "password": "wrong-pass1"},
                headers={"X-Forwarded-For": forwarded},
            ).status_code

        assert [attempt("192.0.2.1", f"u{i}") for i in range(3)] == [200, 200, 429]
        assert attempt("192.0.2.2", "other") == 200
