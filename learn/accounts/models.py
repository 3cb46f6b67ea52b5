"""Users, their roles and categories, and API tokens."""

from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.org.models import OrgUnit, UnitType


class Role(StrEnum):
    LEARNER = "learner"
    MENTOR = "mentor"
    TRAINER = "trainer"
    LEADER = "leader"
    CASE_EDITOR = "case_editor"
    CASE_REVIEWER = "case_reviewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> "Role":
        """Accept the code (``trainer``) or the Chinese label (``培训管理员``)."""
        text = text.strip()
        for role in cls:
            if text in (role.value, role.label):
                return role
        raise ValueError(text)


ROLE_LABELS = {
    Role.LEARNER: "学员",
    Role.MENTOR: "导师",
    Role.TRAINER: "培训管理员",
    Role.LEADER: "班子成员",
    Role.CASE_EDITOR: "案例编辑",
    Role.CASE_REVIEWER: "案例审核",
    Role.ADMIN: "系统管理员",
}


class RankBand(StrEnum):
    """职级段, which sets the annual training-hour quota."""

    COUNTY = "县处级"
    SECTION_AND_BELOW = "乡科级及以下"


class Category(StrEnum):
    """分级分类 targeting categories."""

    NEW_RECRUIT = "新进干部"
    YOUNG = "青年干部"
    TOWNSHIP = "镇纪委干部"
    RESIDENT = "派驻干部"
    LEADER = "领导干部"


TOKEN_SCOPE_READ = "read"
TOKEN_SCOPE_WRITE = "write"
TOKEN_SCOPES = {TOKEN_SCOPE_READ: "只读", TOKEN_SCOPE_WRITE: "读写"}

NEW_RECRUIT_YEARS = 2
YOUNG_AGE_LIMIT = 35

_ROLES_SQL = ", ".join(f"'{r.value}'" for r in Role)
_RANKS_SQL = ", ".join(f"'{r.value}'" for r in RankBand)
_CATEGORIES_SQL = ", ".join(f"'{c.value}'" for c in Category)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"rank_band IN ({_RANKS_SQL})", name="rank_band"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    position: Mapped[str] = mapped_column(String(60), default="")
    rank_band: Mapped[str] = mapped_column(String(10), default=RankBand.SECTION_AND_BELOW)
    birth_year: Mapped[int | None]
    joined_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit | None] = relationship()
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    category_rows: Mapped[list["UserCategory"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def get_id(self) -> str:
        # The version makes every old session invalid once the password changes.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {Role.LEARNER} | {Role(r.role) for r in self.role_rows}

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def manual_categories(self) -> set[Category]:
        return {Category(c.category) for c in self.category_rows}

    @property
    def derived_categories(self) -> set[Category]:
        today = local_today()
        found = set()
        if self.joined_on and (today - self.joined_on).days < NEW_RECRUIT_YEARS * 365:
            found.add(Category.NEW_RECRUIT)
        if self.birth_year and today.year - self.birth_year < YOUNG_AGE_LIMIT:
            found.add(Category.YOUNG)
        if self.unit and self.unit.unit_type == UnitType.TOWNSHIP:
            found.add(Category.TOWNSHIP)
        if self.unit and self.unit.unit_type == UnitType.RESIDENT_GROUP:
            found.add(Category.RESIDENT)
        if self.rank_band == RankBand.COUNTY:
            found.add(Category.LEADER)
        return found

    @property
    def categories(self) -> set[Category]:
        """Derived categories plus those set by hand."""
        return self.derived_categories | self.manual_categories

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLES_SQL})", name="role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class UserCategory(db.Model):
    """A category set by hand, in addition to the derived ones."""

    __tablename__ = "user_categories"
    __table_args__ = (CheckConstraint(f"category IN ({_CATEGORIES_SQL})", name="category"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(10), primary_key=True)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(10), default="read", server_default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TOKEN_SCOPE_WRITE
