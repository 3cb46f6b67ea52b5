"""Case studies (典型案例剖析), their revisions, workflow steps and named readers."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.content.cases import ordered_meta
from learn.core.db import utcnow
from learn.extensions import db


class CaseStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.DRAFT: "草稿",
    CaseStatus.IN_REVIEW: "待审核",
    CaseStatus.RETURNED: "已退回",
    CaseStatus.PUBLISHED: "已发布",
    CaseStatus.WITHDRAWN: "已撤回",
}
_STATUS_SQL = ", ".join(f"'{s.value}'" for s in CaseStatus)


class CaseStudy(db.Model):
    """One case analysis. ``form`` is 四种形态; ``subject_level`` is 对象层级; ``outcome`` 处理结果.

    The row holds the current text; every saved version is a ``CaseRevision``.
    """

    __tablename__ = "case_studies"
    __table_args__ = (CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(index=True)
    form: Mapped[str | None] = mapped_column(String(10))
    subject_level: Mapped[str] = mapped_column(String(20))
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default=CaseStatus.DRAFT, index=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    revisions: Mapped[list["CaseRevision"]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="CaseRevision.number",
    )
    category_rows: Mapped[list["CaseCategory"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CaseCategory.position",
    )
    reader_rows: Mapped[list["CaseReader"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    steps: Mapped[list["CaseStep"]] = relationship(
        cascade="all, delete-orphan", order_by="CaseStep.id"
    )

    @property
    def categories(self) -> list[str]:
        """纪律类别, in the author's order (rows, not JSON, so that lists can filter on them)."""
        return [row.category for row in self.category_rows]

    def set_categories(self, categories: list[str]) -> None:
        """Replace the categories, keeping rows that stay (their key is case + category)."""
        existing = {row.category: row for row in self.category_rows}
        self.category_rows = [existing.get(c) or CaseCategory(category=c) for c in categories]
        for position, row in enumerate(self.category_rows):
            row.position = position

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def reader_ids(self) -> list[int]:
        """Users named as readers of a restricted case."""
        return sorted(r.user_id for r in self.reader_rows)

    def meta(self) -> dict:
        """Front matter in the file format's key order (see learn.content.cases)."""
        return ordered_meta(self)

    def __repr__(self) -> str:
        return f"<CaseStudy {self.id} {self.status}>"


class CaseCategory(db.Model):
    """One 纪律类别 of a case."""

    __tablename__ = "case_categories"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)


class CaseRevision(db.Model):
    """A saved version of a case: its front matter and body, who saved it and when."""

    __tablename__ = "case_revisions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    meta: Mapped[dict] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[CaseStudy] = relationship(back_populates="revisions")


class CaseStep(db.Model):
    """A workflow step: submitted, approved, returned (with the reviewer's comment), withdrawn."""

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(40), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def to_label(self) -> str:
        return CaseStatus(self.to_status).label


class CaseReader(db.Model):
    """A user named as a reader of a restricted case."""

    __tablename__ = "case_readers"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
