"""Creating pairings: capacity, one open mentor per mentee, the trainer's units; and the
trainer's state changes through the services."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learn.accounts import Role
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, PermissionDenied
from learn.extensions import db
from learn.mentorship.models import MentorPairing
from learn.mentorship.services import pairings
from learn.mentorship.states import InvalidTransition, PairingState
from learn.notifications import Notification
from tests.factories import make_user
from tests.mentorship.factories import make_pairing, make_programme


def _create(p, mentor, mentee, days=365):
    start = local_today()
    pairing = pairings.create_pairing(
        p.trainer, mentor.id, mentee.id, start, start + timedelta(days)
    )
    db.session.commit()
    return pairing


def _titles(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
    )


def test_a_new_pairing_waits_for_signatures_and_tells_both(app):
    p = make_programme()
    pairing = _create(p, p.mentor, p.mentee)
    assert pairing.state == PairingState.PENDING
    assert pairing.agreement is not None
    assert pairing.created_by_id == p.trainer.id
    assert _titles(p.mentor) == ["新的师徒帮带关系"]
    assert _titles(p.mentee) == ["新的师徒帮带关系"]


def test_mentor_capacity_defaults_to_three(app):
    p = make_programme()
    mentees = [make_user(f"new{i}", unit=p.town_a) for i in range(4)]
    for mentee in mentees[:3]:
        _create(p, p.mentor, mentee)
    with pytest.raises(Conflict, match="达到上限"):
        _create(p, p.mentor, mentees[3])
    assert pairings.mentor_load(p.mentor.id) == 3


def test_capacity_is_configurable_and_ended_pairings_free_a_place(app):
    app.config["MENTOR_CAPACITY"] = 1
    p = make_programme()
    first = _create(p, p.mentor, p.mentee)
    with pytest.raises(Conflict, match="已带 1 名学员"):
        _create(p, p.mentor, p.other_mentee)
    pairings.terminate(p.trainer, first, "学员调动")
    db.session.commit()
    assert _create(p, p.mentor, p.other_mentee).state == PairingState.PENDING


def test_a_mentee_has_one_open_mentor(app):
    p = make_programme()
    _create(p, p.mentor, p.mentee)
    with pytest.raises(Conflict, match="已有导师"):
        _create(p, p.other_mentor, p.mentee)


def test_the_database_refuses_a_second_open_pairing_for_a_mentee(app):
    p = make_programme()
    make_pairing(p.mentor, p.mentee)
    db.session.add(
        MentorPairing(
            mentor_id=p.other_mentor.id,
            mentee_id=p.mentee.id,
            start_on=local_today(),
            end_on=local_today() + timedelta(days=10),
            state="pending",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_finished_pairing_does_not_block_a_new_one(app):
    p = make_programme()
    make_pairing(p.mentor, p.mentee, state=PairingState.COMPLETED)
    make_pairing(p.other_mentor, p.mentee, state=PairingState.TERMINATED)
    assert _create(p, p.other_mentor, p.mentee).state == PairingState.PENDING


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "同一个人"),
        ("not_mentor", "还不是导师"),
        ("other_unit", "不在您负责的单位"),
        ("dates", "结束日期须晚于开始日期"),
        ("inactive", "已停用"),
    ],
)
def test_pairing_rules(app, case, message):
    p = make_programme()
    trainer = p.trainer
    mentor, mentee, days = p.mentor, p.mentee, 365
    if case == "self":
        mentee = mentor
    elif case == "not_mentor":
        mentor = p.other_mentee
    elif case == "other_unit":
        trainer = make_user("trainer2", Role.TRAINER, unit=p.town_b)
    elif case == "dates":
        days = 0
    else:
        mentee.active = False
        db.session.commit()
    with pytest.raises(LearnError, match=message):
        pairings.create_pairing(
            trainer, mentor.id, mentee.id, local_today(), local_today() + timedelta(days)
        )


def test_trainer_ends_a_term_early_and_the_review_follows(app):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    pairings.complete_early(p.trainer, pairing, "目标提前完成")
    db.session.commit()
    assert pairing.state == PairingState.AWAITING_REVIEW
    assert pairing.ended_early_on == local_today()
    assert "帮带期已满，请进行期满考核" in _titles(p.mentee)


def test_extend_reopens_an_ended_term(app):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=400))
    assert pairing.state_on(local_today()) == PairingState.AWAITING_REVIEW
    with pytest.raises(LearnError, match="须晚于今天"):
        pairings.extend(p.trainer, pairing, local_today())
    pairings.extend(p.trainer, pairing, local_today() + timedelta(days=60))
    db.session.commit()
    assert pairing.state_on(local_today()) == PairingState.ACTIVE


def test_terminate_needs_a_reason_and_is_final(app):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    with pytest.raises(LearnError, match="原因"):
        pairings.terminate(p.trainer, pairing, "  ")
    pairings.terminate(p.trainer, pairing, "学员调任其他单位")
    db.session.commit()
    assert pairing.state == PairingState.TERMINATED
    assert pairing.end_note == "学员调任其他单位"
    with pytest.raises(InvalidTransition):
        pairings.extend(p.trainer, pairing, local_today() + timedelta(days=60))


def test_only_the_programme_owner_changes_states(app):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    outsider = make_user("trainer2", Role.TRAINER, unit=p.town_b)
    for user in (p.mentor, p.mentee):
        with pytest.raises(PermissionDenied):
            pairings.terminate(user, pairing, "想结束")
    with pytest.raises(LearnError):  # another unit's trainer does not even see it
        pairings.complete_early(outsider, pairing, "")
    pairings.terminate(p.admin, pairing, "管理员终止")
    assert pairing.state == PairingState.TERMINATED
