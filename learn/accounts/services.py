"""Account use cases: authenticate, passwords, users and roles, API tokens."""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from learn.accounts.models import (
    TOKEN_SCOPE_READ,
    TOKEN_SCOPES,
    ApiToken,
    Category,
    RankBand,
    Role,
    User,
    UserCategory,
    UserRole,
)
from learn.audit import record_event
from learn.core.db import utcnow
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.org.models import OrgUnit

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "lrn_"


def password_problem(password: str, username: str = "") -> str | None:
    """Return why ``password`` is too weak, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 位。"
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return "密码须同时包含字母和数字。"
    if username and password.lower() == username.lower():
        return "密码不能与用户名相同。"
    return None


def generate_password() -> str:
    """A random temporary password that satisfies the policy."""
    letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = "23456789"
    chars = [secrets.choice(letters) for _ in range(7)] + [secrets.choice(digits) for _ in range(3)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    return user


def authenticate(username: str, password: str, lockout_after: int = 0) -> User | None:
    """Return the active, unlocked user with these credentials; audit the attempt either way.

    After ``lockout_after`` consecutive failures (0 = never) the account is locked
    until an admin unlocks it. Callers show one message for every failure, so the
    response never tells whether a username exists or is locked.
    """
    user = get_user_by_username(username.strip())
    valid = user is not None and check_password_hash(user.password_hash, password)
    if not valid or not user.active or user.locked_at is not None:
        record_event("login_failed", user, username=username.strip()[:32])
        if user is not None and not valid and user.locked_at is None:
            user.failed_logins += 1
            if lockout_after and user.failed_logins >= lockout_after:
                user.locked_at = utcnow()
                record_event("account_locked", user, target_type="user", target_id=user.id)
        db.session.flush()
        return None
    user.failed_logins = 0
    user.last_login_at = utcnow()
    record_event("login", user)
    return user


def unlock_user(actor: User, user: User) -> None:
    """Lift a lockout and reset the failure count."""
    user.locked_at = None
    user.failed_logins = 0
    db.session.flush()
    record_event("account_unlocked", actor, target_type="user", target_id=user.id)


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password; every other session of theirs ends."""
    if not check_password_hash(user.password_hash, current):
        raise LearnError("当前密码不正确。")
    if current == new:
        raise LearnError("新密码不能与当前密码相同。")
    _set_password(user, new)
    user.must_change_password = False
    record_event("password_changed", user, target_type="user", target_id=user.id)


def reset_password(actor: User, user: User, new: str) -> None:
    """Set a temporary password that the user must change at next login."""
    _set_password(user, new)
    user.must_change_password = True
    record_event("password_reset", actor, target_type="user", target_id=user.id)


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, user.username)
    if problem:
        raise LearnError(problem)
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    db.session.flush()


@dataclass
class UserData:
    """Validated fields of a cadre profile, as forms, the CLI and imports supply them."""

    username: str
    name: str
    unit_id: int | None = None
    position: str = ""
    rank_band: str = RankBand.SECTION_AND_BELOW
    birth_year: int | None = None
    joined_on: date | None = None
    roles: set[Role] = field(default_factory=set)
    categories: set[Category] = field(default_factory=set)


def create_user(actor: User | None, data: UserData, password: str, *, must_change=False) -> User:
    """Create a user; raise if the username is taken or the data breaks a rule."""
    if not USERNAME_RE.match(data.username):
        raise LearnError("用户名只能包含字母、数字、点、下划线或连字符，长度 3–32 位。")
    if get_user_by_username(data.username):
        raise Conflict(f"用户名“{data.username}”已存在，请换一个。")
    problem = password_problem(password, data.username)
    if problem:
        raise LearnError(problem)
    user = User(
        username=data.username,
        name=data.name,
        password_hash=generate_password_hash(password),
        must_change_password=must_change,
    )
    db.session.add(user)
    _apply_profile(user, data)
    db.session.flush()
    record_event("user_created", actor, target_type="user", target_id=user.id, detail=user.username)
    return user


def update_user(actor: User, user: User, data: UserData, active: bool) -> User:
    """Change a user's profile, roles, categories and active flag."""
    old_roles = user.roles
    user.name = data.name
    user.active = active
    _apply_profile(user, data)
    db.session.flush()
    record_event("user_updated", actor, target_type="user", target_id=user.id)
    if user.roles != old_roles:
        record_event(
            "roles_changed",
            actor,
            target_type="user",
            target_id=user.id,
            detail=f"{_role_text(old_roles)} → {_role_text(user.roles)}",
        )
    return user


def _role_text(roles: set[Role]) -> str:
    return "、".join(sorted(r.label for r in roles))


def _apply_profile(user: User, data: UserData) -> None:
    if data.unit_id is not None and db.session.get(OrgUnit, data.unit_id) is None:
        raise LearnError("所选单位不存在。")
    if data.rank_band not in set(RankBand):
        raise LearnError("职级须为“县处级”或“乡科级及以下”。")
    user.unit_id = data.unit_id
    user.position = data.position
    user.rank_band = data.rank_band
    user.birth_year = data.birth_year
    user.joined_on = data.joined_on
    wanted_roles = {r.value for r in data.roles if r != Role.LEARNER}
    user.role_rows = [r for r in user.role_rows if r.role in wanted_roles] + [
        UserRole(role=r) for r in sorted(wanted_roles - {r.role for r in user.role_rows})
    ]
    wanted_cats = {c.value for c in data.categories}
    user.category_rows = [c for c in user.category_rows if c.category in wanted_cats] + [
        UserCategory(category=c)
        for c in sorted(wanted_cats - {c.category for c in user.category_rows})
    ]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "", scope: str = TOKEN_SCOPE_READ) -> tuple[ApiToken, str]:
    """Create an API token; the clear text is returned once and never stored."""
    if scope not in TOKEN_SCOPES:
        raise LearnError("令牌权限须为“只读”或“读写”。")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:60],
        token_hash=_hash_token(clear),
        prefix=clear[:12],
        scope=scope,
    )
    db.session.add(token)
    db.session.flush()
    record_event("token_created", user, target_type="api_token", target_id=token.id)
    return token, clear


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("令牌不存在。")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event("token_revoked", user, target_type="api_token", target_id=token.id)
    db.session.flush()


def token_for(clear: str) -> ApiToken | None:
    """The unrevoked token of an active, unlocked user matching ``clear``, or None."""
    if not clear.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(clear)))
    if token is None or not token.is_active:
        return None
    if not token.user.active or token.user.locked_at is not None:
        return None
    return token


def user_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )
