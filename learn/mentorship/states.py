"""The pairing state machine (师徒帮带关系的状态).

待确认 (pending: created by a trainer, the agreement not yet signed by both)
→ 进行中 (active) → 待期满考核 (awaiting the final review: the term has ended,
on its end date or early by decision) → 已结业 (completed: final review
confirmed). 已终止 (terminated) ends a pairing before its term, with a reason;
ending a term early because the goals were met is *not* a termination.

The term end needs no scheduler: an active pairing whose end date has come is
awaiting review whenever it is read (``effective_state``); ``learn mentorship
tick`` only writes that fact down and sends the notifications, and can run on
any number of hosts. This module knows nothing of the database.
"""

from datetime import date, datetime
from enum import StrEnum

from learn.core.db import utcnow
from learn.errors import Conflict


class PairingState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    AWAITING_REVIEW = "awaiting_review"
    COMPLETED = "completed"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    PairingState.PENDING: "待确认",
    PairingState.ACTIVE: "进行中",
    PairingState.AWAITING_REVIEW: "待期满考核",
    PairingState.COMPLETED: "已结业",
    PairingState.TERMINATED: "已终止",
}

# A mentee has at most one pairing in these states, and they count toward a mentor's capacity.
OPEN_STATES = frozenset({PairingState.PENDING, PairingState.ACTIVE, PairingState.AWAITING_REVIEW})


class Event(StrEnum):
    ACTIVATE = "activate"  # both parties have signed the agreement
    TERM_END = "term_end"  # the end date has come
    COMPLETE_EARLY = "complete_early"  # goals met before the end date
    EXTEND = "extend"  # a new, later end date
    FINISH = "finish"  # the trainer confirmed the final review
    TERMINATE = "terminate"  # ended early, with a reason

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    Event.ACTIVATE: "签订协议并开始帮带",
    Event.TERM_END: "期满",
    Event.COMPLETE_EARLY: "提前结束帮带期",
    Event.EXTEND: "延长帮带期",
    Event.FINISH: "确认期满考核并结业",
    Event.TERMINATE: "终止帮带",
}

TRANSITIONS: dict[tuple[PairingState, Event], PairingState] = {
    (PairingState.PENDING, Event.ACTIVATE): PairingState.ACTIVE,
    (PairingState.PENDING, Event.TERMINATE): PairingState.TERMINATED,
    (PairingState.ACTIVE, Event.TERM_END): PairingState.AWAITING_REVIEW,
    (PairingState.ACTIVE, Event.COMPLETE_EARLY): PairingState.AWAITING_REVIEW,
    (PairingState.ACTIVE, Event.EXTEND): PairingState.ACTIVE,
    (PairingState.ACTIVE, Event.TERMINATE): PairingState.TERMINATED,
    (PairingState.AWAITING_REVIEW, Event.EXTEND): PairingState.ACTIVE,
    (PairingState.AWAITING_REVIEW, Event.FINISH): PairingState.COMPLETED,
}


class InvalidTransition(Conflict):
    """The pairing's current state does not allow the requested step."""


def effective_state(stored: str, end_on: date, today: date) -> PairingState:
    """The state as of ``today``: an active pairing past its end date awaits review."""
    state = PairingState(stored)
    if state == PairingState.ACTIVE and today >= end_on:
        return PairingState.AWAITING_REVIEW
    return state


def allowed_events(stored: str, end_on: date, today: date) -> set[Event]:
    """The events the pairing accepts as of ``today``."""
    current = effective_state(stored, end_on, today)
    return {event for (state, event) in TRANSITIONS if state == current}


def require_allowed(pairing, event: Event, today: date) -> PairingState:
    """The state ``event`` leads to; ``InvalidTransition`` naming the current state if none."""
    current = effective_state(pairing.state, pairing.end_on, today)
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise InvalidTransition(f"该帮带关系当前为“{current.label}”，不能{event.label}。")
    return target


def apply_event(pairing, event: Event, today: date, at: datetime | None = None) -> PairingState:
    """Move ``pairing`` (anything with ``state``, ``end_on``, ``state_changed_at``) by ``event``.

    Raise ``InvalidTransition`` when the step is not allowed; return the new state otherwise.
    """
    target = require_allowed(pairing, event, today)
    pairing.state = target.value
    pairing.state_changed_at = at or utcnow()
    return target
