"""Login is required everywhere by default; views opt out with ``@public``.

Requiring login in one ``before_request`` hook (instead of a decorator on each
view) means a new route is protected even when its author forgets; the
authorization-matrix test then checks the role rules on top.
"""

from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from learn.errors import error_response


def public(view):
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


def roles_required(*roles):
    """Refuse (403) users who hold none of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorator


def _view_is_public() -> bool:
    if request.endpoint is None or request.endpoint == "static":
        return True
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "is_public", False)


def require_login():
    """``before_request`` hook: anonymous users go to the login page (API: 401 JSON)."""
    if _view_is_public() or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        return error_response(
            401, "未登录或令牌无效：请在请求头中提供有效的 Authorization: Bearer 令牌。"
        )
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def require_password_change():
    """``before_request`` hook: imported accounts must set their own password first."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and not _view_is_public()
        and request.endpoint not in ("accounts.change_password", "accounts.logout")
        and not getattr(g, "api_user", None)
    ):
        return redirect(url_for("accounts.change_password"))
    return None
