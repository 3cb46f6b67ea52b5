"""The meeting log, health on read, and the inactivity flag (once per episode)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, PermissionDenied
from learn.extensions import db
from learn.mentorship.models import InactivityAlert
from learn.mentorship.services import health, meetings
from learn.mentorship.services.health import HealthLevel, pairing_health
from learn.mentorship.states import PairingState
from learn.notifications import Notification
from tests.mentorship.factories import add_meeting, make_pairing, make_programme


def _count(user, title="帮带对子长时间未见面") -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.title == title)
    )


def _active(p, days_since_meeting: int | None, started_days_ago: int = 200):
    pairing = make_pairing(
        p.mentor, p.mentee, start=local_today() - timedelta(days=started_days_ago), days=400
    )
    if days_since_meeting is not None:
        add_meeting(pairing, days_since_meeting)
    return pairing


def test_mentor_logs_and_mentee_confirms(app):
    p = make_programme()
    pairing = _active(p, None)
    meeting = meetings.log_meeting(
        p.mentor,
        pairing,
        held_on=local_today(),
        meeting_type="谈心谈话",
        topic="近期思想状态",
        notes="谈到工作压力。",
        follow_ups="下月一起研读案例。",
    )
    db.session.commit()
    assert _count(p.mentee, "见面记录待您确认") == 1
    with pytest.raises(PermissionDenied):
        meetings.confirm_meeting(p.mentor, meeting)
    meetings.confirm_meeting(p.mentee, meeting)
    assert meeting.confirmed_at is not None
    with pytest.raises(Conflict):
        meetings.confirm_meeting(p.mentee, meeting)


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "不能晚于今天"), (-300, "不能早于")],
)
def test_meeting_dates_must_make_sense(app, offset, message):
    held_on = local_today() + timedelta(days=offset)
    p = make_programme()
    pairing = _active(p, None)
    with pytest.raises(LearnError, match=message):
        meetings.log_meeting(p.mentor, pairing, held_on=held_on, meeting_type="谈心谈话", topic="x")


def test_only_the_mentor_logs_and_not_after_the_end(app):
    p = make_programme()
    pairing = _active(p, None)
    with pytest.raises(PermissionDenied):
        meetings.log_meeting(
            p.mentee, pairing, held_on=local_today(), meeting_type="谈心谈话", topic="x"
        )
    ended = make_pairing(p.other_mentor, p.other_mentee, state=PairingState.COMPLETED)
    with pytest.raises(Conflict):
        meetings.log_meeting(
            p.other_mentor, ended, held_on=local_today(), meeting_type="谈心谈话", topic="x"
        )


@pytest.mark.parametrize(
    ("days", "level", "red"),
    [
        (10, HealthLevel.ON_TRACK, False),
        (35, HealthLevel.ATTENTION, False),  # past the monthly rhythm
        (44, HealthLevel.ATTENTION, False),
        (45, HealthLevel.INACTIVE, False),
        (59, HealthLevel.INACTIVE, False),
        (60, HealthLevel.INACTIVE, True),
    ],
)
def test_health_by_days_without_a_meeting(app, days, level, red):
    p = make_programme()
    pairing = _active(p, days)
    found = pairing_health(pairing, local_today())
    assert (found.level, found.red, found.days_idle) == (level, red, days)


def test_without_meetings_the_clock_runs_from_the_start(app):
    p = make_programme()
    pairing = _active(p, None, started_days_ago=50)
    assert pairing_health(pairing, local_today()).level == HealthLevel.INACTIVE
    assert pairing_health(pairing, local_today()).days_idle == 50


def test_thresholds_are_configurable(app):
    app.config["MENTOR_INACTIVE_DAYS"] = 20
    app.config["MENTOR_RED_DAYS"] = 25
    p = make_programme()
    found = pairing_health(_active(p, 26), local_today())
    assert found.level == HealthLevel.INACTIVE and found.red


def test_overdue_milestone_and_late_confirmation_need_attention(app):
    from learn.mentorship.services import goals

    p = make_programme()
    pairing = _active(p, 5)
    goals.add_milestone(p.mentor, pairing.goals[0], "起草一份初核报告", 10)
    db.session.commit()
    found = pairing_health(pairing, local_today())
    assert found.level == HealthLevel.ATTENTION
    assert "1 个里程碑已逾期" in found.reasons


def test_pending_and_ended_pairings(app):
    p = make_programme()
    pending = make_pairing(p.mentor, p.mentee, state=PairingState.PENDING)
    assert pairing_health(pending, local_today()).level == HealthLevel.ON_TRACK
    assert (
        pairing_health(pending, local_today() + timedelta(days=30)).level == HealthLevel.ATTENTION
    )
    done = make_pairing(p.other_mentor, p.other_mentee, state=PairingState.COMPLETED)
    assert pairing_health(done, local_today()) is None


def test_inactivity_is_flagged_once_per_episode_to_mentor_and_trainer(app):
    p = make_programme()
    pairing = _active(p, 46)
    assert [pp.id for pp, _ in health.flag_inactive(local_today())] == [pairing.id]
    db.session.commit()
    assert health.flag_inactive(local_today()) == []
    assert health.flag_inactive(local_today() + timedelta(days=20)) == []  # red, same episode
    db.session.commit()
    assert _count(p.mentor) == 1
    assert _count(p.trainer) == 1
    assert _count(p.mentee) == 0
    assert _count(p.admin) == 0  # admins oversee, they are not programme owners

    add_meeting(pairing, 0)  # the pair meets: the episode is over
    assert health.flag_inactive(local_today()) == []
    assert len(health.flag_inactive(local_today() + timedelta(days=45))) == 1  # a new episode
    db.session.commit()
    assert _count(p.mentor) == 2
    assert db.session.scalar(select(func.count()).select_from(InactivityAlert)) == 2


def test_a_pair_not_yet_inactive_is_not_flagged(app):
    p = make_programme()
    _active(p, 44)
    assert health.flag_inactive(local_today()) == []
