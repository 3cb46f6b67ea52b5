"""Courses, their lessons, question banks and audiences; enrolments, progress and quiz attempts.

Course rows are never deleted: a course whose file disappears is archived, so
enrolments, lesson progress, attempts and ledger entries keep pointing at it.
Lessons and questions removed from a course are archived the same way.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.core.db import utcnow
from learn.extensions import db
from learn.org import OrgUnit


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "archived": "已归档"}[self.value]


class CourseSource(StrEnum):
    """Where a course is maintained: content files (``learn content sync``) or the browser."""

    FILE = "file"
    WEB = "web"


class EnrollmentOrigin(StrEnum):
    REQUIRED = "required"  # started a course that is 必修 for them
    ELECTIVE = "elective"  # self-enrolled
    ASSIGNED = "assigned"  # a trainer assigned it to this person


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    training_type: Mapped[str] = mapped_column(String(10))
    intro_md: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    quiz_draw: Mapped[int | None]
    quiz_pass_mark: Mapped[int | None]
    quiz_max_attempts: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(10), default=CourseSource.FILE)
    status: Mapped[str] = mapped_column(String(10), default=CourseStatus.DRAFT, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    audiences: Mapped[list["CourseAudience"]] = relationship(
        cascade="all, delete-orphan", order_by="CourseAudience.position", lazy="selectin"
    )
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="course", order_by="Lesson.position", lazy="selectin"
    )
    questions: Mapped[list["Question"]] = relationship(order_by="Question.position")
    citations: Mapped[list["CourseCaseCitation"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def active_lessons(self) -> list["Lesson"]:
        return [lesson for lesson in self.lessons if not lesson.archived]

    @property
    def active_questions(self) -> list["Question"]:
        return [q for q in self.questions if not q.archived]

    @property
    def has_quiz(self) -> bool:
        return bool(self.quiz_draw)

    @property
    def cites_cases(self) -> list[str]:
        return sorted(c.case_id for c in self.citations)

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED

    @property
    def status_label(self) -> str:
        return CourseStatus(self.status).label

    @property
    def editable_in_browser(self) -> bool:
        return self.source == CourseSource.WEB

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseAudience(db.Model):
    """One 分级分类 rule; the first rule matching a cadre decides 必修 or 选修 for them."""

    __tablename__ = "course_audiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    requirement: Mapped[str] = mapped_column(String(4))
    everyone: Mapped[bool] = mapped_column(default=False)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    rank_bands: Mapped[list] = mapped_column(JSON, default=list)
    unit_types: Mapped[list] = mapped_column(JSON, default=list)


class Lesson(db.Model):
    __tablename__ = "course_lessons"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int | None]
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="lessons")


class Question(db.Model):
    """A question of a course's bank. ``answer`` holds option letters, or "true"/"false"."""

    __tablename__ = "course_questions"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    qtype: Mapped[str] = mapped_column(String(10))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[list] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)


class CourseCaseCitation(db.Model):
    """A course citing a case of the case library by its id."""

    __tablename__ = "course_case_citations"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class UnitAssignment(db.Model):
    """A trainer made a course required for everyone in a unit and its sub-units."""

    __tablename__ = "course_unit_assignments"
    __table_args__ = (UniqueConstraint("course_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    unit: Mapped[OrgUnit] = relationship()


class Enrollment(db.Model):
    """A cadre learning a course; ``completed_at`` is set once, when it is credited."""

    __tablename__ = "course_enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(10))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(lazy="joined")


class LessonProgress(db.Model):
    __tablename__ = "course_lesson_progress"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="CASCADE"), primary_key=True
    )
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAttempt(db.Model):
    """One attempt: the questions drawn for it are stored, so grading uses exactly those."""

    __tablename__ = "course_quiz_attempts"
    __table_args__ = (Index("ix_course_quiz_attempts_user_course", "user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    question_ids: Mapped[list] = mapped_column(JSON)
    answers: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship()

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None
