"""Tables of the mentorship domain: pairings, agreements, goals, meetings, reviews, visits."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.accounts import User
from learn.core.db import utcnow
from learn.extensions import db
from learn.mentorship.states import OPEN_STATES, PairingState, effective_state
from learn.org import OrgUnit


def _sql_in(values) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


class GoalArea(StrEnum):
    """The three areas of 师徒帮带: guidance at work, attention to thinking, care in life."""

    WORK = "work"
    THOUGHT = "thought"
    LIFE = "life"

    @property
    def label(self) -> str:
        return {"work": "业务指导", "thought": "思想关注", "life": "生活关爱"}[self.value]


class MeetingRhythm(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {"weekly": "每周一次", "biweekly": "每两周一次", "monthly": "每月至少一次"}[
            self.value
        ]

    @property
    def days(self) -> int:
        return {"weekly": 7, "biweekly": 14, "monthly": 30}[self.value]


class MeetingType(StrEnum):
    TALK = "谈心谈话"
    GUIDANCE = "业务指导"
    CASE_STUDY = "案例研学"
    FIELD = "带案实践"
    CARE = "生活关爱"
    OTHER = "其他"


class Grade(StrEnum):
    """Ratings in the final review (期满考核)."""

    EXCELLENT = "优秀"
    GOOD = "良好"
    PASS = "合格"
    FAIL = "不合格"


class VisitKind(StrEnum):
    """What a leader did on a 挂联指导 visit."""

    RESEARCH = "调研指导"
    FORUM = "座谈交流"
    TALK = "谈心谈话"
    INSPECTION = "督导检查"
    LECTURE = "授课辅导"


class ProgressMode(StrEnum):
    MANUAL = "manual"  # the mentor sets a percentage with a note
    TASKS = "tasks"  # done tasks / all tasks


class MentorPairing(db.Model):
    """师徒帮带: one mentor, one mentee, a term with a start and end date."""

    __tablename__ = "mentor_pairings"
    __table_args__ = (
        CheckConstraint(f"state IN ({_sql_in(PairingState)})", name="state"),
        CheckConstraint("end_on > start_on", name="term"),
        CheckConstraint("mentor_id <> mentee_id", name="two_people"),
        # A mentee has one open pairing at most, even under concurrent requests.
        Index(
            "uq_mentor_pairings_open_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=text(f"state IN ({_sql_in(OPEN_STATES)})"),
            postgresql_where=text(f"state IN ({_sql_in(OPEN_STATES)})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    start_on: Mapped[date]
    end_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default=PairingState.PENDING)
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_on: Mapped[date | None]
    ended_early_on: Mapped[date | None]  # early completion or termination
    end_note: Mapped[str] = mapped_column(Text, default="")  # why it ended early

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    agreement: Mapped["MentorAgreement"] = relationship(
        back_populates="pairing", cascade="all, delete-orphan"
    )
    goals: Mapped[list["MentorGoal"]] = relationship(
        back_populates="pairing",
        cascade="all, delete-orphan",
        order_by=lambda: (_area_rank(), MentorGoal.sort_order, MentorGoal.id),
    )
    meetings: Mapped[list["MentorMeeting"]] = relationship(
        back_populates="pairing",
        cascade="all, delete-orphan",
        order_by="(MentorMeeting.held_on.desc(), MentorMeeting.id.desc())",
    )
    review: Mapped["FinalReview | None"] = relationship(
        back_populates="pairing", cascade="all, delete-orphan"
    )

    def state_on(self, today: date) -> PairingState:
        """The state as of ``today`` (see ``states.effective_state``)."""
        return effective_state(self.state, self.end_on, today)

    def has_party(self, user) -> bool:
        return user.id in (self.mentor_id, self.mentee_id)

    def __repr__(self) -> str:
        return f"<MentorPairing {self.id} {self.state}>"


def _area_rank():
    """Goals in the order of the three areas: 业务指导, 思想关注, 生活关爱."""
    return case({area.value: rank for rank, area in enumerate(GoalArea)}, value=MentorGoal.area)


class MentorAgreement(db.Model):
    """帮带协议: measures and meeting rhythm (the goals are ``MentorGoal`` rows), signed by both."""

    __tablename__ = "mentor_agreements"
    __table_args__ = (
        CheckConstraint(f"meeting_rhythm IN ({_sql_in(MeetingRhythm)})", name="rhythm"),
    )

    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_pairings.id", ondelete="CASCADE"), primary_key=True
    )
    measures: Mapped[str] = mapped_column(Text, default="")
    meeting_rhythm: Mapped[str] = mapped_column(String(10), default=MeetingRhythm.MONTHLY)
    mentor_signed_at: Mapped[datetime | None]
    mentee_signed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[MentorPairing] = relationship(back_populates="agreement")

    @property
    def rhythm(self) -> MeetingRhythm:
        return MeetingRhythm(self.meeting_rhythm)

    @property
    def fully_signed(self) -> bool:
        return self.mentor_signed_at is not None and self.mentee_signed_at is not None


class MentorGoal(db.Model):
    """A goal of the agreement in one of the three areas, with milestones and tasks."""

    __tablename__ = "mentor_goals"
    __table_args__ = (
        CheckConstraint(f"area IN ({_sql_in(GoalArea)})", name="area"),
        CheckConstraint(f"progress_mode IN ({_sql_in(ProgressMode)})", name="progress_mode"),
        CheckConstraint("manual_percent BETWEEN 0 AND 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_pairings.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str] = mapped_column(Text, default="")
    progress_mode: Mapped[str] = mapped_column(String(10), default=ProgressMode.TASKS)
    manual_percent: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[MentorPairing] = relationship(back_populates="goals")
    milestones: Mapped[list["MentorMilestone"]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="(MentorMilestone.due_day, MentorMilestone.id)",
    )
    tasks: Mapped[list["MentorTask"]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="MentorTask.id"
    )
    progress_notes: Mapped[list["GoalProgressNote"]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="(GoalProgressNote.created_at.desc(), GoalProgressNote.id.desc())",
    )

    @property
    def area_label(self) -> str:
        return GoalArea(self.area).label

    @property
    def percent(self) -> int:
        """Progress: the mentor's figure, or the share of tasks done."""
        if self.progress_mode == ProgressMode.MANUAL:
            return self.manual_percent
        if not self.tasks:
            return 0
        return round(100 * sum(1 for t in self.tasks if t.done_at) / len(self.tasks))


class GoalProgressNote(db.Model):
    """The mentor's progress figure for a goal, with what it rests on."""

    __tablename__ = "mentor_goal_progress"
    __table_args__ = (CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_goals.id", ondelete="CASCADE"), index=True
    )
    percent: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[MentorGoal] = relationship(back_populates="progress_notes")
    author: Mapped[User | None] = relationship()


class MentorMilestone(db.Model):
    """A checkpoint of a goal, due ``due_day`` days after the pairing's start."""

    __tablename__ = "mentor_milestones"
    __table_args__ = (CheckConstraint("due_day >= 0", name="due_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_goals.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    due_day: Mapped[int]
    done_at: Mapped[datetime | None]

    goal: Mapped[MentorGoal] = relationship(back_populates="milestones")

    @property
    def due_on(self) -> date:
        return self.goal.pairing.start_on + timedelta(days=self.due_day)

    def overdue_on(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today


class MentorTask(db.Model):
    """A concrete task toward a goal; either party may add, comment on and finish it."""

    __tablename__ = "mentor_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_goals.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[MentorGoal] = relationship(back_populates="tasks")
    comments: Mapped[list["TaskComment"]] = relationship(
        back_populates="task",
        cascade="all, delete-orphan",
        order_by="(TaskComment.created_at, TaskComment.id)",
    )


class TaskComment(db.Model):
    __tablename__ = "mentor_task_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_tasks.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[MentorTask] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class MentorMeeting(db.Model):
    """A 谈心谈话 or guidance meeting logged by the mentor and confirmed by the mentee.

    ``notes`` are private to the pair and the programme owner.
    """

    __tablename__ = "mentor_meetings"
    __table_args__ = (
        CheckConstraint(f"meeting_type IN ({_sql_in(MeetingType)})", name="meeting_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_pairings.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(index=True)
    meeting_type: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    follow_ups: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]

    pairing: Mapped[MentorPairing] = relationship(back_populates="meetings")


class InactivityAlert(db.Model):
    """One row per inactivity episode, so the flag is sent once even with several hosts.

    An episode is identified by the last contact it started from (the last
    meeting, or the start of the pairing); a new meeting starts a new one.
    """

    __tablename__ = "mentor_inactivity_alerts"
    __table_args__ = (
        UniqueConstraint("pairing_id", "since", name="uq_mentor_inactivity_alerts_episode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_pairings.id", ondelete="CASCADE"), index=True
    )
    since: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FinalReview(db.Model):
    """期满考核: the mentee's self-assessment, the mentor's conclusion, the trainer's sign-off."""

    __tablename__ = "mentor_final_reviews"
    __table_args__ = (CheckConstraint(f"mentor_grade IN ({_sql_in(Grade)})", name="grade"),)

    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_pairings.id", ondelete="CASCADE"), primary_key=True
    )
    self_summary: Mapped[str] = mapped_column(Text, default="")
    self_submitted_at: Mapped[datetime | None]
    mentor_conclusion: Mapped[str] = mapped_column(Text, default="")
    mentor_grade: Mapped[str | None] = mapped_column(String(4))
    mentor_submitted_at: Mapped[datetime | None]
    trainer_comment: Mapped[str] = mapped_column(Text, default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]

    pairing: Mapped[MentorPairing] = relationship(back_populates="review")
    confirmed_by: Mapped[User | None] = relationship()
    goal_reviews: Mapped[list["GoalReview"]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    def for_goal(self, goal_id: int) -> "GoalReview | None":
        return next((g for g in self.goal_reviews if g.goal_id == goal_id), None)


class GoalReview(db.Model):
    """One agreement goal in the final review: self-assessment, rating and comment."""

    __tablename__ = "mentor_goal_reviews"
    __table_args__ = (
        UniqueConstraint("pairing_id", "goal_id", name="uq_mentor_goal_reviews_goal"),
        CheckConstraint(f"rating IN ({_sql_in(Grade)})", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_final_reviews.pairing_id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int] = mapped_column(ForeignKey("mentor_goals.id", ondelete="CASCADE"))
    self_assessment: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[str | None] = mapped_column(String(4))
    mentor_comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[FinalReview] = relationship(back_populates="goal_reviews")
    goal: Mapped[MentorGoal] = relationship()


class GuidanceVisit(db.Model):
    """挂联指导: a leader's visit to, or guidance of, one linked unit."""

    __tablename__ = "guidance_visits"
    __table_args__ = (CheckConstraint(f"kind IN ({_sql_in(VisitKind)})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    leader: Mapped[User] = relationship()
    unit: Mapped[OrgUnit] = relationship()
