"""Opening sessions: casting rules, no repeated cards, role rotation; the session pages."""

import pytest

from learn.accounts import Role
from learn.drills import rotation
from learn.drills.models import DrillRole, DrillSession, Phase
from learn.drills.services import cards, groups, sessions
from learn.errors import Conflict, LearnError, NotFound, PermissionDenied
from learn.extensions import db
from tests.conftest import login, post_form
from tests.drills.factories import CARD, cast, open_session, sync_bundled, to_phase
from tests.factories import make_user


def _casting(people, **changes):
    seats = dict(
        lead=people["lead"].id,
        recorder=people["recorder"].id,
        subject=people["subject"].id,
        assessors=(people["assessor_a"].id,),
    )
    seats.update(changes)
    return sessions.Casting(**seats)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (lambda p: {"recorder": p["lead"].id}, "只能担任一个角色"),
        (lambda p: {"assessors": ()}, "至少指定一名评分人"),
        (lambda p: {"subject": p["outsider"].id}, "须为本小组成员"),
    ],
)
def test_casting_rules(app, changes, message):
    sync_bundled()
    trainer, people, group = cast()
    people["outsider"] = make_user("outsider")
    with pytest.raises(LearnError, match=message):
        sessions.open_session(
            trainer, group, cards.get_card(CARD), _casting(people, **changes(people))
        )


def test_the_facilitator_may_assess_without_being_a_member(app):
    sync_bundled()
    trainer, people, group = cast()
    session = sessions.open_session(
        trainer, group, cards.get_card(CARD), _casting(people, assessors=(trainer.id,))
    )
    assert session.role_of(trainer.id) == DrillRole.ASSESSOR


def test_only_trainers_and_mentors_open_sessions_for_their_own_groups(app):
    sync_bundled()
    _trainer, people, group = cast()
    other = make_user("other", Role.MENTOR)
    with pytest.raises(NotFound):
        sessions.open_session(other, group, cards.get_card(CARD), _casting(people))
    with pytest.raises(PermissionDenied):
        sessions.open_session(people["lead"], group, cards.get_card(CARD), _casting(people))


def test_a_trainee_does_not_get_a_card_they_already_did(app):
    sync_bundled()
    trainer, people, group = cast()
    to_phase(trainer, people, open_session(trainer, people, group), Phase.TALKING)
    swapped = _casting(people, lead=people["spare"].id, subject=people["lead"].id)
    with pytest.raises(Conflict, match="林主谈 已做过案例卡"):
        sessions.open_session(trainer, group, cards.get_card(CARD), swapped)
    again = sessions.open_session(
        trainer, group, cards.get_card(CARD), swapped, repeat_allowed=True
    )
    assert again.repeat_allowed


def test_a_finished_simulation_counts_as_done(app):
    from learn.content.drills import simulation_from_data
    from learn.drills.services import practice

    sync_bundled()
    trainer, people, group = cast()
    card = cards.get_card(CARD)
    run = practice.start_run(people["lead"], card)
    sim = simulation_from_data(card.simulation)
    while not run.finished:
        practice.choose(run, sim.node(run.node_id).options[0].id)
    with pytest.raises(Conflict):
        sessions.open_session(trainer, group, card, _casting(people))


def test_the_suggested_card_is_one_nobody_cast_has_done(app):
    sync_bundled()
    trainer, people, group = cast()
    to_phase(trainer, people, open_session(trainer, people, group), Phase.TALKING)
    suggestion = sessions.suggest_card([people["lead"].id])
    assert suggestion is not None and suggestion.id != CARD
    library = cards.active_cards()
    assert library[0].talk_type == "谈话提醒" and library[-1].talk_type == "审查调查谈话"
    assert sessions.suggest_card([people["spare"].id]).id == library[0].id


def test_roles_rotate_to_whoever_held_them_least():
    members = [1, 2, 3, 4, 5]
    first = rotation.suggest(members, [])
    assert (first.lead, first.recorder, first.subject, first.assessors) == (1, 2, 3, (4, 5))
    history = [(1, "lead"), (2, "recorder"), (3, "subject"), (4, "assessor"), (5, "assessor")]
    second = rotation.suggest(members, history)
    assert second.lead != 1 and second.recorder != 2 and second.subject != 3
    assert len({second.lead, second.recorder, second.subject, *second.assessors}) == 5


def test_everyone_leads_once_before_anyone_leads_twice():
    members = [1, 2, 3, 4]
    history: list[tuple[int, str]] = []
    leads = []
    for _ in range(4):
        s = rotation.suggest(members, history, facilitator_id=99)
        leads.append(s.lead)
        history += [(s.lead, "lead"), (s.recorder, "recorder"), (s.subject, "subject")]
        history += [(a, "assessor") for a in s.assessors]
    assert sorted(leads) == members


def test_a_small_group_falls_back_to_the_facilitator_as_assessor():
    s = rotation.suggest([1, 2, 3], [], facilitator_id=9)
    assert s.assessors == (9,)


# ---------------------------------------------------------------- pages


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_a_trainer_opens_a_session_from_the_form(app):
    sync_bundled()
    _trainer, people, group = cast()
    client = _client(app, "peixun")
    form = client.get(f"/drills/groups/{group.id}/sessions/new?card={CARD}")
    assert form.status_code == 200
    assert "发起演练" in form.get_data(as_text=True)
    response = post_form(
        client,
        f"/drills/groups/{group.id}/sessions/new",
        {
            "card": CARD,
            "lead": people["lead"].id,
            "recorder": people["recorder"].id,
            "subject": people["subject"].id,
            "assessors": [people["assessor_a"].id, people["assessor_b"].id],
        },
    )
    assert response.status_code == 302
    session = db.session.scalars(db.select(DrillSession)).one()
    assert {p.role for p in session.participants} == {"lead", "recorder", "subject", "assessor"}


def test_a_bad_casting_rerenders_the_form_with_the_reason(app):
    sync_bundled()
    _trainer, people, group = cast()
    response = post_form(
        _client(app, "peixun"),
        f"/drills/groups/{group.id}/sessions/new",
        {
            "card": CARD,
            "lead": people["lead"].id,
            "recorder": people["lead"].id,
            "subject": people["subject"].id,
            "assessors": [people["assessor_a"].id],
        },
    )
    assert response.status_code == 400
    assert "只能担任一个角色" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(DrillSession)).all() == []


def test_the_session_runs_through_its_pages(app):
    sync_bundled()
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    url = f"/drills/sessions/{session.id}"
    lead = _client(app, "lead")
    assert "谈话方案" in lead.get(url).get_data(as_text=True)
    empty = post_form(lead, f"{url}/plan", {"talk_plan": "", "safety_plan": ""}, token_from=url)
    assert empty.status_code == 400
    assert "请填写谈话方案" in empty.get_data(as_text=True)
    assert (
        post_form(
            lead,
            f"{url}/plan",
            {"talk_plan": "先陈述后举证", "safety_plan": "备血压计"},
            token_from=url,
        ).status_code
        == 302
    )
    trainer_client = _client(app, "peixun")
    assert "开始谈话" in trainer_client.get(url).get_data(as_text=True)
    assert post_form(trainer_client, f"{url}/advance", token_from=url).status_code == 302
    recorder = _client(app, "recorder")
    saved = post_form(
        recorder, f"{url}/transcript", {"transcript": "问：请讲讲。\n答：好。"}, token_from=url
    )
    assert saved.status_code == 302
    api = recorder.post(
        f"/api/v1/drills/sessions/{session.id}/transcript",
        json={"transcript": "问：请讲讲。\n答：好的。"},
        headers={"X-CSRFToken": _token(recorder, url)},
    )
    assert api.status_code == 200 and api.get_json()["saved_at"]
    bad = recorder.post(
        f"/api/v1/drills/sessions/{session.id}/transcript",
        json={"text": 1},
        headers={"X-CSRFToken": _token(recorder, url)},
    )
    assert bad.status_code == 400 and "transcript" in bad.get_json()["error"]
    db.session.expire_all()
    assert sessions.get_session(trainer, session.id).transcript.endswith("答：好的。")
    assert post_form(trainer_client, f"{url}/advance", token_from=url).status_code == 302
    db.session.expire_all()
    assert sessions.get_session(trainer, session.id).phase == Phase.SCORING


def _token(client, url):
    from tests.conftest import csrf_token

    return csrf_token(client, url)


def test_wrong_people_are_refused_every_action(app):
    sync_bundled()
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    url = f"/drills/sessions/{session.id}"
    subject = _client(app, "subject")
    assert (
        post_form(
            subject, f"{url}/plan", {"talk_plan": "x", "safety_plan": "y"}, token_from=url
        ).status_code
        == 403
    )
    assert post_form(subject, f"{url}/advance", token_from=url).status_code == 403
    db.session.expire_all()
    assert sessions.get_session(trainer, session.id).phase == Phase.PREPARING
    assert (
        post_form(subject, f"{url}/transcript", {"transcript": "x"}, token_from=url).status_code
        == 403
    )
    assert post_form(subject, f"{url}/assess", {"comments": "x"}, token_from=url).status_code == 403
    outsider = _client(app, "spare")
    for path in ("", "/plan", "/transcript", "/assess", "/advance"):
        response = outsider.post(f"{url}{path}", data={"csrf_token": _token(outsider, "/drills/")})
        expected = 405 if path == "" else 404
        assert response.status_code == expected, path
    assert outsider.get(f"/api/v1/drills/sessions/{session.id}").status_code == 404


def test_group_pages_belong_to_their_owner(app):
    sync_bundled()
    _trainer, _people, group = cast()
    make_user("mentor2", Role.MENTOR)
    other = _client(app, "mentor2")
    for url in (
        f"/drills/groups/{group.id}",
        f"/drills/groups/{group.id}/edit",
        f"/drills/groups/{group.id}/sessions/new",
    ):
        assert other.get(url).status_code == 404, url
    learner = _client(app, "lead")
    for url in ("/drills/groups", "/drills/groups/new", f"/drills/groups/{group.id}"):
        assert learner.get(url).status_code == 403, url
    assert other.get("/drills/groups").status_code == 200


def test_a_mentor_creates_and_edits_a_group(app):
    sync_bundled()
    make_user("mentor2", Role.MENTOR)
    members = [make_user(f"member{i}").id for i in range(4)]
    client = _client(app, "mentor2")
    too_few = post_form(client, "/drills/groups/new", {"name": "小组", "members": members[:2]})
    assert too_few.status_code == 400 and "小组须有 3–30 名成员" in too_few.get_data(as_text=True)
    created = post_form(client, "/drills/groups/new", {"name": "帮带小组", "members": members[:3]})
    assert created.status_code == 302
    group = db.session.scalars(db.select(groups.DrillGroup)).one()
    edited = post_form(
        client, f"/drills/groups/{group.id}/edit", {"name": "帮带小组（调整）", "members": members}
    )
    assert edited.status_code == 302
    db.session.expire_all()
    group = db.session.get(groups.DrillGroup, group.id)
    assert group.name == "帮带小组（调整）" and len(group.members) == 4
