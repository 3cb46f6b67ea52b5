"""Wire extensions, hooks, template helpers and every domain's blueprints into the app."""

import importlib
import importlib.util
import pkgutil

from flask import Flask, current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import learn
from learn.accounts import services as accounts
from learn.accounts.permissions import require_login, require_password_change
from learn.core import timefmt
from learn.core.nav import nav_for
from learn.core.security_headers import add_security_headers
from learn.core.slots import render_slot
from learn.core.sqlite import configure_sqlite
from learn.errors import error_response, register_error_handlers
from learn.extensions import csrf, db, limiter, login_manager, migrate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_web(app: Flask) -> None:
    """Initialise extensions and register every blueprint, hook and template helper."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    if app.config["PROXY_COUNT"]:
        # Behind N reverse proxies, trust their X-Forwarded-* headers (client address
        # for rate limits and the audit log, https for secure cookies).
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app)
    app.before_request(_bearer_auth)
    app.before_request(require_login)
    app.before_request(_csrf_unless_bearer)
    app.before_request(require_password_change)
    app.after_request(add_security_headers)
    register_error_handlers(app)
    _init_templates(app)
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds a rule
    app.before_request(_refuse_nul)
    _register_domains(app)
    from learn.cli import register_commands

    register_commands(app)


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit():
            return None
        # every page reads the roles (navigation) and categories: one query, not three
        user = db.session.get(
            accounts.User,
            int(user_id),
            options=[
                joinedload(accounts.User.role_rows),
                joinedload(accounts.User.category_rows),
            ],
        )
        if user is None or str(user.session_version) != version:
            return None
        return user


def _bearer_token() -> str | None:
    auth = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and auth.startswith("Bearer "):
        return auth[len("Bearer ") :].strip()
    return None


def _bearer_auth():
    """Authenticate API calls that carry a token; a bad token is 401 even with a session.

    Flask-Login's request_loader only runs when the session has no user, so a
    revoked token would silently fall back to the browser session; checking
    here makes an explicit credential decide.
    """
    token = _bearer_token()
    if token is None:
        return None
    api_token = accounts.token_for(token)
    if api_token is None:
        return error_response(401, "令牌无效或已吊销，请重新生成 API 令牌。")
    if request.method not in SAFE_METHODS and not api_token.can_write:
        return error_response(403, "该令牌为只读令牌，不能修改数据；请生成“读写”权限的令牌。")
    login_manager._update_request_context_with_user(api_token.user)
    g.api_user = api_token.user
    return None


def _csrf_unless_bearer():
    """CSRF on every state change, except API calls that carry a bearer token.

    A browser never adds an Authorization header by itself, so a token request
    cannot be forged; session-authenticated API calls still need the CSRF header.
    """
    if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if _bearer_token() is None:
        csrf.protect()


def _init_templates(app: Flask) -> None:
    app.json.ensure_ascii = False
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = timefmt.format_datetime
    app.jinja_env.filters["date"] = timefmt.format_date
    app.jinja_env.globals["render_slot"] = render_slot

    @app.context_processor
    def layout_context():
        if not current_user.is_authenticated:
            return {"nav_items": [], "unread_count": 0}
        from learn.notifications import unread_count

        return {
            "nav_items": nav_for(app, current_user),
            "unread_count": unread_count(current_user.id),
        }


def _register_domains(app: Flask) -> None:
    """Call ``init_app`` of every ``learn.<domain>.setup`` module, in their ``ORDER``.

    Each domain wires its own blueprints, navigation entries, home panels, demo
    loaders and commands there, so adding a domain touches no shared file.
    """
    modules = []
    for info in pkgutil.iter_modules(learn.__path__):
        if info.ispkg and importlib.util.find_spec(f"learn.{info.name}.setup"):
            modules.append(importlib.import_module(f"learn.{info.name}.setup"))
    for module in sorted(modules, key=lambda m: (m.ORDER, m.__name__)):
        module.init_app(app)


class IdConverter(IntegerConverter):
    """``<int:…>`` up to the largest INTEGER a column holds: a bigger id is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul():
    """PostgreSQL text cannot hold NUL: refuse it with a 400 instead of failing with a 500."""
    parts = [request.path, request.args.to_dict(flat=False), request.form.to_dict(flat=False)]
    if request.is_json:
        parts.append(request.get_json(silent=True))
    if _has_nul(parts):
        return error_response(400, "请求中含有空字符（NUL），请删除后重试。")
    return None
