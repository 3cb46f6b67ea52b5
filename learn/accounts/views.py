"""Login, logout, password change and the personal account page."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from learn.accounts import services
from learn.accounts.forms import ChangePasswordForm, LoginForm, TokenForm
from learn.accounts.permissions import public
from learn.audit import record_event
from learn.errors import LearnError
from learn.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_username() -> str:
    return "login:" + request.form.get("username", "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative paths after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _start_session(user) -> None:
    """Log in with a session that expires after ``PERMANENT_SESSION_LIFETIME``."""
    session.permanent = True
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_username)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            form.username.data, form.password.data, current_app.config["LOCKOUT_AFTER"]
        )
        db.session.commit()
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(
            "用户名或密码不正确。连续多次失败后账号将被锁定，需联系系统管理员解锁。"
        )
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    record_event("logout", current_user)
    db.session.commit()
    logout_user()
    flash("您已安全退出。", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except LearnError as exc:
            form.new.errors.append(exc.message)
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())  # new version in the cookie
            flash("密码已修改。", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "accounts/change_password.html", form=form, forced=current_user.must_change_password
    )


@bp.route("/account")
def account():
    return render_template(
        "accounts/account.html",
        tokens=services.user_tokens(current_user),
        form=TokenForm(),
        new_token=None,
    )


@bp.route("/account/tokens", methods=["POST"])
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/account.html",
            tokens=services.user_tokens(current_user),
            form=form,
            new_token=None,
        ), 400
    _token, clear = services.issue_token(current_user, form.name.data, form.scope.data)
    db.session.commit()
    return render_template(
        "accounts/account.html",
        tokens=services.user_tokens(current_user),
        form=TokenForm(formdata=None),
        new_token=clear,
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    services.revoke_token(current_user, token_id)
    db.session.commit()
    flash("令牌已吊销。", "success")
    return redirect(url_for("accounts.account"))
