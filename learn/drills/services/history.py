"""A trainee's mock-talk history: every exercise, per-criterion trends, weakest criteria.

A role-play counts for the talkers (主谈人, 记录人, 协谈人) once it is released:
each criterion's percent is the assessors' mean level / 4; a finished
simulation counts with its own per-criterion percents. Weakest criteria are
the lowest averages (below 85%) over the most recent scored exercises.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from learn.core.timefmt import to_local
from learn.drills.models import TALKER_ROLES, DrillSession, Participant, SimulationRun
from learn.drills.scoring import aggregate
from learn.drills.services.cards import all_criteria
from learn.extensions import db

RECENT = 5  # scored exercises that decide the weakest criteria
WEAKEST = 3
WEAK_BELOW = Decimal(85)  # percent; criteria at or above it are not called weak
TREND_POINTS = 12


@dataclass(frozen=True)
class ScoredExercise:
    """One scored exercise of the trainee, with a percent per criterion."""

    kind: str  # "session" or "simulation"
    when: datetime
    title: str
    card_id: str
    total: Decimal
    criteria: dict[str, Decimal]
    link_id: int  # session id or run id
    role: str = ""


@dataclass
class History:
    sessions: list[tuple[DrillSession, str]] = field(default_factory=list)  # (session, role label)
    runs: list[SimulationRun] = field(default_factory=list)
    scored: list[ScoredExercise] = field(default_factory=list)  # oldest first
    criteria: dict = field(default_factory=dict)  # id → DrillCriterion
    weakest: list[tuple[object, Decimal]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sessions and not self.runs

    def trend(self, criterion_id: str) -> list[tuple[datetime, Decimal]]:
        return [
            (e.when, e.criteria[criterion_id])
            for e in self.scored[-TREND_POINTS:]
            if criterion_id in e.criteria
        ]

    def rows(self) -> list[tuple[object, Decimal | None, list]]:
        """(criterion, recent average, trend points) for every criterion that was scored."""
        averages = self.averages()
        return [
            (criterion, averages.get(criterion.id), self.trend(criterion.id))
            for criterion in self.criteria.values()
            if self.trend(criterion.id)
        ]

    def averages(self) -> dict[str, Decimal]:
        """Mean percent per criterion over the most recent scored exercises."""
        sums: dict[str, list[Decimal]] = {}
        for exercise in self.scored[-RECENT:]:
            for criterion, percent in exercise.criteria.items():
                sums.setdefault(criterion, []).append(percent)
        return {c: (sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.1")) for c, v in sums.items()}


def _scored_session(session: DrillSession, role_label: str) -> ScoredExercise:
    result = aggregate(session.rubric, session.checklist, session.assessments)
    return ScoredExercise(
        kind="session",
        when=session.released_at,
        title=session.card.title,
        card_id=session.card_id,
        total=result.total,
        criteria={c.criterion: c.percent for c in result.criteria},
        link_id=session.id,
        role=role_label,
    )


def _scored_run(run: SimulationRun) -> ScoredExercise:
    return ScoredExercise(
        kind="simulation",
        when=run.finished_at,
        title=run.card.title,
        card_id=run.card_id,
        total=run.percent,
        criteria={k: Decimal(v) for k, v in (run.criteria_percent or {}).items()},
        link_id=run.id,
        role="自主练习",
    )


def history_of(user) -> History:
    """Everything ``user`` did in mock talks, with scores where they were scored."""
    history = History(criteria=all_criteria())
    rows = db.session.execute(
        select(DrillSession, Participant.role)
        .join(Participant, Participant.session_id == DrillSession.id)
        .where(Participant.user_id == user.id)
        .order_by(DrillSession.created_at.desc(), DrillSession.id.desc())
    )
    scored = []
    for session, role in rows:
        participant = next(p for p in session.participants if p.user_id == user.id)
        history.sessions.append((session, participant.role_label))
        if session.released and role in TALKER_ROLES and session.assessments:
            scored.append(_scored_session(session, participant.role_label))
    history.runs = list(
        db.session.scalars(
            select(SimulationRun)
            .where(SimulationRun.user_id == user.id)
            .order_by(SimulationRun.started_at.desc(), SimulationRun.id.desc())
        )
    )
    scored += [_scored_run(run) for run in history.runs if run.finished]
    history.scored = sorted(scored, key=lambda e: e.when)
    averages = history.averages()
    ranked = sorted(averages.items(), key=lambda kv: (kv[1], kv[0]))
    weak = [(c, p) for c, p in ranked if p < WEAK_BELOW and c in history.criteria]
    history.weakest = [(history.criteria[c], percent) for c, percent in weak[:WEAKEST]]
    return history


def short_date(value: datetime) -> str:
    local = to_local(value)
    return f"{local.month}/{local.day}"
