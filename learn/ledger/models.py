"""Ledger entries."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
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
    __table_args__ = (UniqueConstraint("user_id", "source_type", "source_id", name="once"),)

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
