"""Tables of the mock-talk domain: cards, training groups, role-play sessions, assessments
and self-practice simulation runs.

Structured card parts (checklist, rubric, simulation) are stored as JSON exactly
as the content parser produced them; a session keeps its own copy of the
checklist and rubric so that later edits of a card never change past scores.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
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


class Phase(StrEnum):
    """The phases of a role-play session, in order."""

    PREPARING = "preparing"
    TALKING = "talking"
    SCORING = "scoring"
    REVIEW = "review"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "preparing": "准备",
            "talking": "谈话",
            "scoring": "评分",
            "review": "点评",
            "closed": "已结束",
        }[self.value]


class DrillRole(StrEnum):
    """What a participant does in a session."""

    LEAD = "lead"  # 主谈人
    RECORDER = "recorder"  # 记录人
    CO_TALKER = "co_talker"  # 协助谈话人
    SUBJECT = "subject"  # plays the person talked to
    ASSESSOR = "assessor"  # 评分人

    @property
    def label(self) -> str:
        return {
            "lead": "主谈人",
            "recorder": "记录人",
            "co_talker": "协谈人",
            "subject": "被谈话人扮演者",
            "assessor": "评分人",
        }[self.value]

    @property
    def is_talker(self) -> bool:
        return self in TALKER_ROLES


TALKER_ROLES = frozenset({DrillRole.LEAD, DrillRole.RECORDER, DrillRole.CO_TALKER})
_PHASES_SQL = ", ".join(f"'{p.value}'" for p in Phase)
_ROLES_SQL = ", ".join(f"'{r.value}'" for r in DrillRole)


class DrillCard(db.Model):
    """A scenario card, synced from courses/drills/; archived when its file is removed."""

    __tablename__ = "drill_cards"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    talk_type: Mapped[str] = mapped_column(String(20), index=True)
    difficulty: Mapped[str] = mapped_column(String(10))
    duration: Mapped[int]  # minutes
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    summary: Mapped[str] = mapped_column(String(200))
    objectives: Mapped[list] = mapped_column(JSON)
    checklist: Mapped[list] = mapped_column(JSON)
    rubric: Mapped[list] = mapped_column(JSON)
    cites_cases: Mapped[list] = mapped_column(JSON)
    background_html: Mapped[str] = mapped_column(Text)
    subject_brief_html: Mapped[str] = mapped_column(Text)
    evidence_html: Mapped[str] = mapped_column(Text)
    reference_plan_html: Mapped[str] = mapped_column(Text)
    simulation: Mapped[dict | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    archived: Mapped[bool] = mapped_column(default=False, index=True)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def has_simulation(self) -> bool:
        return self.simulation is not None


class DrillCriterion(db.Model):
    """A rubric criterion (criteria.yaml) with the courses and case tags that train it."""

    __tablename__ = "drill_criteria"

    id: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(200))
    levels: Mapped[list] = mapped_column(JSON)
    courses: Mapped[list] = mapped_column(JSON)
    case_tags: Mapped[list] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)


group_members = Table(
    "drill_group_members",
    db.Model.metadata,
    Column("group_id", ForeignKey("drill_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class DrillGroup(db.Model):
    """A training group (培训小组) whose members take turns in the roles of its sessions."""

    __tablename__ = "drill_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()
    members: Mapped[list[User]] = relationship(
        secondary=group_members, order_by=User.name, lazy="selectin"
    )


class DrillSession(db.Model):
    """One role-play of a card by a group, run by its facilitator (the trainer or mentor)."""

    __tablename__ = "drill_sessions"
    __table_args__ = (CheckConstraint(f"phase IN ({_PHASES_SQL})", name="phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("drill_cards.id"), index=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("drill_groups.id", ondelete="CASCADE"), index=True
    )
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    phase: Mapped[str] = mapped_column(String(12), default=Phase.PREPARING, index=True)
    repeat_allowed: Mapped[bool] = mapped_column(default=False)
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    duration: Mapped[int]  # minutes planned for the talk
    checklist: Mapped[list] = mapped_column(JSON)  # the card's checklist when opened
    rubric: Mapped[list] = mapped_column(JSON)  # the card's rubric when opened
    talk_plan: Mapped[str] = mapped_column(Text, default="")
    safety_plan: Mapped[str] = mapped_column(Text, default="")
    plan_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_at: Mapped[datetime | None]
    transcript: Mapped[str] = mapped_column(Text, default="")
    transcript_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    talk_started_at: Mapped[datetime | None]
    talk_ended_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    # selectin, not joined: FOR UPDATE cannot lock the nullable side of an outer join.
    card: Mapped[DrillCard] = relationship(lazy="selectin")
    group: Mapped[DrillGroup] = relationship()
    facilitator: Mapped[User] = relationship(foreign_keys=[facilitator_id])
    participants: Mapped[list["Participant"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Participant.id"
    )
    assessments: Mapped[list["Assessment"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Assessment.id"
    )

    @property
    def phase_enum(self) -> Phase:
        return Phase(self.phase)

    @property
    def released(self) -> bool:
        return self.phase in (Phase.REVIEW, Phase.CLOSED)

    def role_of(self, user_id: int) -> DrillRole | None:
        return next((DrillRole(p.role) for p in self.participants if p.user_id == user_id), None)

    def people(self, *roles: DrillRole) -> list[User]:
        return [p.user for p in self.participants if p.role in roles]


class Participant(db.Model):
    __tablename__ = "drill_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_drill_participants_one_role"),
        CheckConstraint(f"role IN ({_ROLES_SQL})", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("drill_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def role_label(self) -> str:
        return DrillRole(self.role).label


class Assessment(db.Model):
    """One assessor's independent scoring; hidden from everyone else until release."""

    __tablename__ = "drill_assessments"
    __table_args__ = (
        UniqueConstraint("session_id", "assessor_id", name="uq_drill_assessments_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("drill_sessions.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    checklist: Mapped[dict] = mapped_column(JSON)  # item id → done
    levels: Mapped[dict] = mapped_column(JSON)  # criterion id → level 1–4
    total: Mapped[Decimal] = mapped_column(Numeric(5, 1))  # weighted, 0–100
    comments: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessor: Mapped[User] = relationship(lazy="joined")


class SimulationRun(db.Model):
    """One attempt at a card's branching simulation by one trainee."""

    __tablename__ = "drill_simulation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("drill_cards.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))  # the card version it was played on
    node_id: Mapped[str] = mapped_column(String(40))  # current node, or the ending when done
    flags: Mapped[list] = mapped_column(JSON, default=list)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion → points so far
    steps: Mapped[list] = mapped_column(JSON, default=list)  # the path taken, with feedback
    ending_id: Mapped[str | None] = mapped_column(String(40))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # weighted, when finished
    criteria_percent: Mapped[dict | None] = mapped_column(JSON)  # criterion → percent
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    card: Mapped[DrillCard] = relationship(lazy="joined")

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
