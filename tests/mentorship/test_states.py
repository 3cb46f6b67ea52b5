"""The pairing state machine: every allowed and every refused transition."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from learn.mentorship.states import (
    TRANSITIONS,
    Event,
    InvalidTransition,
    PairingState,
    allowed_events,
    apply_event,
    effective_state,
)

TODAY = date(2026, 6, 1)
FUTURE_END = TODAY + timedelta(days=100)

ALLOWED = {
    (PairingState.PENDING, Event.ACTIVATE): PairingState.ACTIVE,
    (PairingState.PENDING, Event.TERMINATE): PairingState.TERMINATED,
    (PairingState.ACTIVE, Event.TERM_END): PairingState.AWAITING_REVIEW,
    (PairingState.ACTIVE, Event.COMPLETE_EARLY): PairingState.AWAITING_REVIEW,
    (PairingState.ACTIVE, Event.EXTEND): PairingState.ACTIVE,
    (PairingState.ACTIVE, Event.TERMINATE): PairingState.TERMINATED,
    (PairingState.AWAITING_REVIEW, Event.EXTEND): PairingState.ACTIVE,
    (PairingState.AWAITING_REVIEW, Event.FINISH): PairingState.COMPLETED,
}
REFUSED = [(s, e) for s in PairingState for e in Event if (s, e) not in ALLOWED]


def _pairing(state: PairingState, end_on: date = FUTURE_END):
    return SimpleNamespace(state=state.value, end_on=end_on, state_changed_at=None)


def test_the_table_is_exactly_the_documented_one():
    assert TRANSITIONS == ALLOWED
    assert len(REFUSED) == len(PairingState) * len(Event) - len(ALLOWED)


@pytest.mark.parametrize(("state", "event"), list(ALLOWED))
def test_allowed_transition(state, event):
    pairing = _pairing(state)
    assert apply_event(pairing, event, TODAY) == ALLOWED[(state, event)]
    assert pairing.state == ALLOWED[(state, event)].value
    assert pairing.state_changed_at is not None


@pytest.mark.parametrize(("state", "event"), REFUSED)
def test_refused_transition_leaves_the_pairing_alone(state, event):
    pairing = _pairing(state)
    with pytest.raises(InvalidTransition) as refused:
        apply_event(pairing, event, TODAY)
    assert pairing.state == state.value
    assert state.label in refused.value.message
    assert refused.value.status == 409


def test_finished_pairings_accept_nothing():
    for state in (PairingState.COMPLETED, PairingState.TERMINATED):
        assert allowed_events(state.value, FUTURE_END, TODAY) == set()


def test_early_completion_is_not_termination():
    pairing = _pairing(PairingState.ACTIVE)
    apply_event(pairing, Event.COMPLETE_EARLY, TODAY)
    assert pairing.state == PairingState.AWAITING_REVIEW
    apply_event(pairing, Event.FINISH, TODAY)
    assert pairing.state == PairingState.COMPLETED


def test_term_ends_on_its_end_date_without_anything_running():
    assert effective_state("active", TODAY + timedelta(days=1), TODAY) == PairingState.ACTIVE
    assert effective_state("active", TODAY, TODAY) == PairingState.AWAITING_REVIEW
    assert effective_state("active", TODAY - timedelta(days=5), TODAY) == (
        PairingState.AWAITING_REVIEW
    )
    # only an active pairing's term runs out; an unsigned one stays pending
    assert effective_state("pending", TODAY - timedelta(days=5), TODAY) == PairingState.PENDING


def test_a_pairing_past_its_end_date_acts_as_awaiting_review():
    pairing = _pairing(PairingState.ACTIVE, end_on=TODAY - timedelta(days=1))
    assert allowed_events(pairing.state, pairing.end_on, TODAY) == {Event.EXTEND, Event.FINISH}
    with pytest.raises(InvalidTransition):
        apply_event(pairing, Event.TERMINATE, TODAY)
    assert apply_event(pairing, Event.FINISH, TODAY) == PairingState.COMPLETED
