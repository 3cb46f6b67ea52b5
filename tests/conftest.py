"""Fixtures: a fresh database per test (a SQLite file, or PostgreSQL when
``LEARN_TEST_DATABASE_URL`` is set), the app, a test client and a CLI runner."""

import contextvars
import os
import re

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from learn import create_app
from learn.extensions import db

TEST_DATABASE_URL = os.environ.get("LEARN_TEST_DATABASE_URL")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def empty_database() -> None:
    """Drop every table (PostgreSQL: the whole public schema)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


def reset_database() -> None:
    """Give the test an empty schema built from the models."""
    empty_database()
    db.create_all()


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an already pushed app context for a request, which would share
    ``g`` (the logged-in user) and the database session between the test body
    and every request. Running each request in an empty ``contextvars`` context
    makes it behave like a request from another process.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class IsolatedCliRunner(FlaskCliRunner):
    """A CLI runner that, like ``IsolatedClient``, runs commands in their own app context."""

    def invoke(self, *args, **kwargs):
        return contextvars.Context().run(super().invoke, *args, **kwargs)


def make_app(tmp_path, **overrides):
    config = {
        "DATA_DIR": str(tmp_path / "data"),
        "TESTING": True,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Explicit: the global limiter otherwise inherits a previous app's setting.
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    if TEST_DATABASE_URL:
        config["DATABASE_URL"] = TEST_DATABASE_URL
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.test_cli_runner_class = IsolatedCliRunner
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, url: str = "/") -> str:
    """Fetch ``url`` and return the CSRF token of its first form."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, token_from: str | None = None, **kw):
    """POST a form with a valid CSRF token taken from ``token_from`` (default: ``url``)."""
    payload = {"csrf_token": csrf_token(client, token_from or url), **(data or {})}
    return client.post(url, data=payload, **kw)


def login(client, username: str, password: str = "secret123"):
    return post_form(client, "/login", {"username": username, "password": password})
