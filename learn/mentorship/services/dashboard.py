"""The programme dashboard: every pair in a trainer's units by state and health."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from learn.mentorship.models import MentorPairing
from learn.mentorship.services import pairings
from learn.mentorship.services.health import Health, HealthLevel, pairing_health
from learn.mentorship.settings import setting
from learn.mentorship.states import OPEN_STATES, PairingState


@dataclass(frozen=True)
class PairRow:
    pairing: MentorPairing
    state: PairingState
    health: Health | None
    last_meeting: date | None
    meetings: int
    unconfirmed: int
    progress: int | None  # mean goal progress, None without goals

    @property
    def signed(self) -> bool:
        return self.pairing.agreement.fully_signed


@dataclass(frozen=True)
class Dashboard:
    rows: list[PairRow]
    by_state: dict[PairingState, int]
    by_health: dict[HealthLevel, int]
    red: int
    ending_soon: list[PairRow]


def pair_row(pairing: MentorPairing, today: date) -> PairRow:
    goals = pairing.goals
    held = [m.held_on for m in pairing.meetings]
    return PairRow(
        pairing=pairing,
        state=pairing.state_on(today),
        health=pairing_health(pairing, today),
        last_meeting=max(held) if held else None,
        meetings=len(held),
        unconfirmed=sum(1 for m in pairing.meetings if m.confirmed_at is None),
        progress=round(sum(g.percent for g in goals) / len(goals)) if goals else None,
    )


def build(user, today: date, state: str = "", health: str = "", unit_id: int | None = None):
    """The dashboard for ``user`` (a trainer or admin), optionally filtered."""
    rows = [
        pair_row(p, today) for p in pairings.pairings_in_scope(user, {unit_id} if unit_id else None)
    ]
    by_state = Counter(r.state for r in rows)
    by_health = Counter(r.health.level for r in rows if r.health)
    red = sum(1 for r in rows if r.health and r.health.red)
    horizon = today + timedelta(days=setting("MENTOR_TERM_SOON_DAYS"))
    ending_soon = sorted(
        (
            r
            for r in rows
            if r.state in (PairingState.ACTIVE, PairingState.PENDING)
            and r.pairing.end_on <= horizon
        ),
        key=lambda r: r.pairing.end_on,
    )
    if state:
        rows = [r for r in rows if r.state == state]
    if health:
        rows = [r for r in rows if r.health and r.health.level == health]
    return Dashboard(
        rows=sorted(rows, key=_urgency),
        by_state={s: by_state.get(s, 0) for s in PairingState},
        by_health={h: by_health.get(h, 0) for h in HealthLevel},
        red=red,
        ending_soon=ending_soon,
    )


_HEALTH_RANK = {HealthLevel.INACTIVE: 0, HealthLevel.ATTENTION: 1, HealthLevel.ON_TRACK: 2}


def _urgency(row: PairRow):
    """Open pairs first, worst health first, then by days without a meeting."""
    open_rank = 0 if row.state in OPEN_STATES else 1
    health_rank = _HEALTH_RANK[row.health.level] if row.health else 3
    idle = -(row.health.days_idle or 0) if row.health else 0
    return (open_rank, health_rank, not (row.health and row.health.red), idle, row.pairing.id)
