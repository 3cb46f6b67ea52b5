"""Lecture series, sessions, speakers, registrations, attendance, materials, feedback,
人人登讲台 rotas, sent reminders and personal calendar feeds."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.accounts import User
from learn.core.db import utcnow
from learn.extensions import db
from learn.org import OrgUnit


class SeriesType(StrEnum):
    """The kinds of lecture series. New kinds need only a member and a label here:
    the column has no check constraint, so adding one needs no migration."""

    GRAND = "grand"  # 季度大讲堂: quarterly, by leaders and invited speakers
    SMALL = "small"  # 小课堂: short topical classes
    PODIUM = "podium"  # 人人登讲台: every young cadre takes the podium in turn
    YOUTH_INTEGRITY = "youth_integrity"  # 青言青语话清廉: young cadres on integrity

    @property
    def label(self) -> str:
        return SERIES_TYPE_LABELS[self]

    @property
    def blurb(self) -> str:
        return SERIES_TYPE_BLURBS[self]


SERIES_TYPE_LABELS = {
    SeriesType.GRAND: "季度大讲堂",
    SeriesType.SMALL: "小课堂",
    SeriesType.PODIUM: "人人登讲台",
    SeriesType.YOUTH_INTEGRITY: "青言青语话清廉",
}
SERIES_TYPE_BLURBS = {
    SeriesType.GRAND: "每季度一期，由委领导和特邀专家围绕重点工作作专题辅导。",
    SeriesType.SMALL: "聚焦一项业务的短小课堂，讲透一个具体问题。",
    SeriesType.PODIUM: "青年干部轮流当讲师，讲自己工作中的一个课题，分享经验。",
    SeriesType.YOUTH_INTEGRITY: "面向青年干部的清廉主题系列，以身边事教育身边人。",
}


def series_type_label(code: str) -> str:
    """The Chinese label of a series type code (unknown codes shown as they are)."""
    try:
        return SeriesType(code).label
    except ValueError:
        return code


class Audience(StrEnum):
    EVERYONE = "everyone"
    UNITS = "units"
    CATEGORIES = "categories"

    @property
    def label(self) -> str:
        return {"everyone": "全体干部", "units": "指定单位", "categories": "指定类别"}[self.value]


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEAVE = "leave"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"present": "出席", "late": "迟到", "leave": "请假", "absent": "缺席"}[self.value]

    @property
    def credits_hours(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class CheckinMethod(StrEnum):
    CODE = "code"
    QR = "qr"
    HAND = "hand"

    @property
    def label(self) -> str:
        return {"code": "签到码", "qr": "扫码签到", "hand": "人工登记"}[self.value]


_AUDIENCE_SQL = ", ".join(f"'{a.value}'" for a in Audience)
_ATTENDANCE_SQL = ", ".join(f"'{s.value}'" for s in AttendanceStatus)
_METHOD_SQL = ", ".join(f"'{m.value}'" for m in CheckinMethod)

session_units = Table(
    "lecture_session_units",
    db.metadata,
    Column("session_id", ForeignKey("lecture_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True),
)


class LectureSeries(db.Model):
    __tablename__ = "lecture_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    series_type: Mapped[str] = mapped_column(String(30))
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    default_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("2"))
    default_minutes: Mapped[int] = mapped_column(default=90)
    default_place: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner_unit: Mapped[OrgUnit] = relationship()

    @property
    def type_label(self) -> str:
        return series_type_label(self.series_type)


class LectureSession(db.Model):
    __tablename__ = "lecture_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 720", name="duration"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("hours >= 0", name="hours"),
        CheckConstraint(f"audience IN ({_AUDIENCE_SQL})", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_series.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    abstract: Mapped[str] = mapped_column(Text, default="")
    abstract_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str] = mapped_column(String(120), default="")
    online_url: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("2"))
    capacity: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    audience: Mapped[str] = mapped_column(String(12), default=Audience.EVERYONE)
    audience_categories: Mapped[str] = mapped_column(String(120), default="")  # 、-separated
    topic_confirmed: Mapped[bool] = mapped_column(default=True)  # False: rota slot, topic TBD
    cancelled_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]  # confirmed as held; speakers credited then
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[LectureSeries] = relationship(lazy="joined")
    speakers: Mapped[list["SessionSpeaker"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SessionSpeaker.position"
    )
    audience_units: Mapped[list[OrgUnit]] = relationship(secondary=session_units, lazy="selectin")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.audience_categories.split("、") if c]

    @property
    def speaker_user_ids(self) -> set[int]:
        return {s.user_id for s in self.speakers if s.user_id is not None}

    @property
    def speaker_names(self) -> str:
        return "、".join(s.display_name for s in self.speakers)

    @property
    def full_title(self) -> str:
        return f"{self.series.name}：{self.title}"


class SessionSpeaker(db.Model):
    """A speaker: a cadre on the platform (``user``) or an external guest (name and title)."""

    __tablename__ = "lecture_speakers"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("user_id IS NOT NULL OR guest_name <> ''", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guest_name: Mapped[str] = mapped_column(String(40), default="")
    guest_title: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(default=0)

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return self.user.name if self.user else self.guest_name

    @property
    def affiliation(self) -> str:
        if self.user:
            return self.user.unit.name if self.user.unit else ""
        return self.guest_title


class Registration(db.Model):
    __tablename__ = "lecture_registrations"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Attendance(db.Model):
    """One cadre's attendance at one session; the unique pair makes a second check-in a no-op."""

    __tablename__ = "lecture_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint(f"status IN ({_ATTENDANCE_SQL})", name="status"),
        CheckConstraint(f"method IN ({_METHOD_SQL})", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label


class Material(db.Model):
    """A handout or slide file (``storage_key`` set) or a Markdown note (``note`` set)."""

    __tablename__ = "lecture_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    storage_key: Mapped[str | None] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    file_type: Mapped[str] = mapped_column(String(10), default="")  # pdf, pptx, docx, png, jpg
    size: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    attendees_only: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_file(self) -> bool:
        return self.storage_key is not None


class FeedbackReceipt(db.Model):
    """That a cadre has given feedback on a session — and nothing about what they gave.

    Ratings live in ``Feedback`` with no user, no time and a random key, so no
    join, ordering or timestamp can tie a rating back to the person.
    """

    __tablename__ = "lecture_feedback_receipts"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class Feedback(db.Model):
    """One anonymous rating (1–5 on content, usefulness and delivery) and comment."""

    __tablename__ = "lecture_feedback"
    __table_args__ = (
        CheckConstraint("content BETWEEN 1 AND 5", name="content"),
        CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness"),
        CheckConstraint("delivery BETWEEN 1 AND 5", name="delivery"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[int]
    usefulness: Mapped[int]
    delivery: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")


class Rota(db.Model):
    """A 人人登讲台 rota: a pool of cadres, dated slots and who lectures when."""

    __tablename__ = "lecture_rotas"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_series.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    start_time: Mapped[time] = mapped_column(default=time(15, 0))  # local time of each slot
    duration_minutes: Mapped[int] = mapped_column(default=60)
    place: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    series: Mapped[LectureSeries] = relationship(lazy="joined")
    members: Mapped[list["RotaMember"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    slots: Mapped[list["RotaSlot"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RotaSlot.day"
    )
    unavailable: Mapped[list["RotaUnavailable"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RotaMember(db.Model):
    __tablename__ = "lecture_rota_members"

    rota_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_rotas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    user: Mapped[User] = relationship(lazy="joined")


class RotaUnavailable(db.Model):
    __tablename__ = "lecture_rota_unavailable"

    rota_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_rotas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)


class RotaSlot(db.Model):
    __tablename__ = "lecture_rota_slots"
    __table_args__ = (UniqueConstraint("rota_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rota_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_rotas.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("lecture_sessions.id", ondelete="SET NULL")
    )

    lecturer: Mapped[User | None] = relationship(lazy="joined")
    session: Mapped[LectureSession | None] = relationship()


class ReminderSent(db.Model):
    """A reminder already sent; the unique triple stops a second send, even from another host."""

    __tablename__ = "lecture_reminders_sent"
    __table_args__ = (UniqueConstraint("kind", "ref_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    ref_id: Mapped[int]  # a session id, or a material id for "materials posted"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A personal iCalendar subscription; only the token's SHA-256 is kept."""

    __tablename__ = "lecture_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
