"""Ledger entries and the printable documents (certificates, 学时证明) issued from them."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from learn.core.db import utcnow
from learn.extensions import db


class SourceType(StrEnum):
    """Where hours come from; the label is what a cadre reads in the ledger."""

    COURSE = "course"
    QUIZ_BONUS = "quiz_bonus"
    LECTURE_ATTENDANCE = "lecture_attendance"
    LECTURE_SPEAKER = "lecture_speaker"
    DRILL = "drill"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            "course": "课程学习",
            "quiz_bonus": "测验奖励",
            "lecture_attendance": "参加讲堂",
            "lecture_speaker": "登台授课",
            "drill": "模拟谈话",
            "manual": "其他培训（手工登记）",
        }[self.value]


class HourEntry(db.Model):
    __tablename__ = "hour_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "source_type", "source_id", name="uq_hour_entries_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    source_type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    online: Mapped[bool] = mapped_column(default=False)  # counts toward online self-study
    credited_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def source_label(self) -> str:
        return SourceType(self.source_type).label


class DocumentKind(StrEnum):
    """Printable documents with a verification code."""

    COURSE = "course"  # 结业证书 for one completed course
    YEAR = "year"  # 年度学时证明

    @property
    def label(self) -> str:
        return {"course": "课程结业证书", "year": "年度学时证明"}[self.value]


class Certificate(db.Model):
    """A printed document's record: what it certified when issued, found by its code.

    ``detail`` is a snapshot, so a verifier sees exactly what was printed even
    after the ledger changes; a newer statement for the same year supersedes it.
    """

    __tablename__ = "ledger_certificates"
    __table_args__ = (Index("ix_ledger_certificates_owner", "user_id", "kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(80))  # course slug, or the year
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label
