"""The phase machine: 准备 → 谈话 → 评分 → 点评 → 已结束, its preconditions and who may act."""

from decimal import Decimal

import pytest

from learn.drills import phases
from learn.drills.models import DrillRole, Phase
from learn.drills.services import sessions
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.ledger import entries_for
from learn.notifications import Notification
from tests.drills.factories import cast, open_session, sync_bundled, to_phase


def _facts(**kw):
    base = dict(
        phase=Phase.PREPARING,
        has_talk_plan=True,
        has_safety_plan=True,
        has_transcript=True,
        assessors=2,
        submitted=2,
    )
    return phases.SessionFacts(**{**base, **kw})


def test_phases_go_forward_one_step_at_a_time():
    assert [phases.next_phase(p) for p in Phase] == [
        Phase.TALKING,
        Phase.SCORING,
        Phase.REVIEW,
        Phase.CLOSED,
        None,
    ]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (_facts(has_talk_plan=False), "谈话方案"),
        (_facts(has_safety_plan=False), "安全预案"),
        (_facts(phase=Phase.TALKING, has_transcript=False), "笔录"),
        (_facts(phase=Phase.SCORING, submitted=1), "还有 1 位评分人"),
        (_facts(phase=Phase.CLOSED), "已结束"),
    ],
)
def test_blockers(facts, reason):
    assert any(reason in b for b in phases.blockers(facts))


def test_nothing_blocks_a_ready_session():
    for phase in (Phase.PREPARING, Phase.TALKING, Phase.SCORING, Phase.REVIEW):
        assert phases.blockers(_facts(phase=phase)) == []


def test_each_action_belongs_to_one_phase_and_some_roles():
    allowed = {
        (action, phase, role)
        for action in phases.ACTIONS
        for phase in Phase
        for role in [*DrillRole, None]
        if phases.may(action, phase, role)
    }
    assert allowed == {
        ("plan", Phase.PREPARING, DrillRole.LEAD),
        ("plan", Phase.PREPARING, DrillRole.RECORDER),
        ("plan", Phase.PREPARING, DrillRole.CO_TALKER),
        ("transcript", Phase.TALKING, DrillRole.RECORDER),
        ("assess", Phase.SCORING, DrillRole.ASSESSOR),
    }


def test_a_session_runs_through_every_phase(app):
    sync_bundled()
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    assert session.phase == Phase.PREPARING
    with pytest.raises(LearnError, match="谈话方案"):
        sessions.advance(trainer, session)
    to_phase(trainer, people, session, Phase.TALKING)
    assert session.talk_started_at is not None
    with pytest.raises(LearnError, match="笔录"):
        sessions.advance(trainer, session)
    to_phase(trainer, people, session, Phase.SCORING)
    assert session.talk_ended_at is not None
    to_phase(trainer, people, session, Phase.REVIEW)
    assert session.released_at is not None
    to_phase(trainer, people, session, Phase.CLOSED)
    with pytest.raises(LearnError, match="已结束"):
        sessions.advance(trainer, session)


def test_release_waits_for_every_assessor(app):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.SCORING)
    levels = dict.fromkeys((r["criterion"] for r in session.rubric), 3)
    sessions.submit_assessment(people["assessor_a"], session, set(), levels, "第一位评分人的意见。")
    with pytest.raises(LearnError, match="还有 1 位评分人"):
        sessions.advance(trainer, session)


def test_only_the_facilitator_moves_the_phase(app):
    sync_bundled()
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    sessions.submit_plan(people["lead"], session, "方案", "预案")
    for person in people.values():
        with pytest.raises(PermissionDenied):
            sessions.advance(person, session)


@pytest.mark.parametrize(
    ("who", "action", "phase"),
    [
        ("subject", "plan", Phase.PREPARING),
        ("assessor_a", "plan", Phase.PREPARING),
        ("lead", "plan", Phase.TALKING),
        ("lead", "transcript", Phase.TALKING),
        ("recorder", "transcript", Phase.SCORING),
        ("assessor_a", "assess", Phase.TALKING),
        ("lead", "assess", Phase.SCORING),
    ],
)
def test_actions_out_of_role_or_phase_are_refused(app, who, action, phase):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), phase)
    person = people[who]
    call = {
        "plan": lambda: sessions.submit_plan(person, session, "方案", "预案"),
        "transcript": lambda: sessions.save_transcript(person, session, "笔录"),
        "assess": lambda: sessions.submit_assessment(
            person,
            session,
            set(),
            dict.fromkeys((r["criterion"] for r in session.rubric), 3),
            "意见意见意见意见",
        ),
    }[action]
    with pytest.raises(PermissionDenied):
        call()


def test_closing_credits_hours_to_every_participant_once(app):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.CLOSED)
    credited = {p.user_id for p in session.participants}
    for user_id in credited:
        entries = [e for e in entries_for(user_id) if e.source_type == "drill"]
        assert [(e.source_id, e.hours, e.online) for e in entries] == [
            (f"session-{session.id}", Decimal("2.0"), False)
        ]
    assert entries_for(people["spare"].id) == []
    sessions._credit_hours(session)  # a retry cannot double-count
    db.session.commit()
    assert len(entries_for(people["lead"].id)) == 1


def test_participants_are_notified_when_roles_are_assigned_and_results_released(app):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.REVIEW)
    titles = [
        n.title
        for n in db.session.scalars(
            db.select(Notification).where(Notification.user_id == people["lead"].id)
        )
    ]
    assert "模拟谈话演练：您担任主谈人" in titles
    assert "模拟谈话演练：评分结果已发布" in titles
    assert all(
        n.link == f"/drills/sessions/{session.id}"
        for n in db.session.scalars(db.select(Notification))
    )
