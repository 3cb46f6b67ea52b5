"""``learn mentorship tick``: records ended terms and flags inactive pairs, idempotently."""

from datetime import timedelta

from sqlalchemy import func, select

from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.models import MentorPairing
from learn.mentorship.states import PairingState
from learn.notifications import Notification
from tests.mentorship.factories import add_meeting, make_pairing, make_programme


def _notes(user_id: int) -> list[str]:
    return list(
        db.session.scalars(select(Notification.title).where(Notification.user_id == user_id))
    )


def test_tick_closes_ended_terms_once(app, runner):
    p = make_programme()
    ending = make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=365))
    running = make_pairing(p.other_mentor, p.other_mentee)
    add_meeting(running, 3)
    ids = (ending.id, running.id, p.mentee.id)
    db.session.remove()

    first = runner.invoke(args=["mentorship", "tick"])
    assert first.exit_code == 0, first.output
    assert "1 对转入期满考核" in first.output
    second = runner.invoke(args=["mentorship", "tick"])
    assert "0 对转入期满考核" in second.output

    assert db.session.get(MentorPairing, ids[0]).state == PairingState.AWAITING_REVIEW
    assert db.session.get(MentorPairing, ids[1]).state == PairingState.ACTIVE
    assert _notes(ids[2]).count("帮带期已满，请进行期满考核") == 1


def test_tick_flags_inactive_pairs_once(app, runner):
    p = make_programme()
    make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=100))
    mentor_id = p.mentor.id
    db.session.remove()
    assert "1 对长期未见面已提醒" in runner.invoke(args=["mentorship", "tick"]).output
    assert "0 对长期未见面已提醒" in runner.invoke(args=["mentorship", "tick"]).output
    assert _notes(mentor_id).count("帮带对子长时间未见面") == 1


def test_tick_accepts_a_date(app, runner):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    later = (pairing.end_on + timedelta(days=1)).isoformat()
    result = runner.invoke(args=["mentorship", "tick", "--today", later])
    assert result.exit_code == 0, result.output
    assert "1 对转入期满考核" in result.output
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(MentorPairing)
            .where(MentorPairing.state == PairingState.AWAITING_REVIEW)
        )
        == 1
    )
