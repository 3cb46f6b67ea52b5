"""Permission boundaries for every mentorship and 挂联指导 page and export.

The URL map is enumerated, so a new route is covered without editing this file.
The target is pair B (mentor2 → mentee2 in 河湾镇纪委); the outsiders are the
other mentor, the other pair's mentee, a leader linked only to 东岭镇纪委 and
the trainer of 东岭镇纪委.
"""

from datetime import timedelta

import pytest
from werkzeug.routing import Rule

from learn.accounts import Role
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.models import GuidanceVisit, MentorMilestone, MentorTask
from learn.mentorship.services import pairings
from learn.mentorship.states import PairingState
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.mentorship.factories import add_meeting, make_pairing, make_programme

PAIRING_ROUTES = "mentorship."
OPEN_TO_ALL = {"mentorship.index"}
TRAINER_ONLY = {"mentorship.programme", "mentorship.export", "mentorship.new_pairing"}


def _world():
    p = make_programme()
    make_pairing(p.mentor, p.mentee)
    target = make_pairing(p.other_mentor, p.other_mentee)
    goal = target.goals[0]
    goal.milestones.append(MentorMilestone(title="里程碑", due_day=30))
    goal.tasks.append(MentorTask(title="任务"))
    db.session.add(
        GuidanceVisit(
            leader_id=p.leader.id,
            unit_id=p.town_b.id,
            visited_on=local_today(),
            kind="调研指导",
            topic="调研",
        )
    )
    db.session.commit()
    meeting = add_meeting(target, 3, confirmed=False)
    make_user("trainer_a", Role.TRAINER, unit=p.town_a)
    values = {
        "pairing_id": target.id,
        "goal_id": goal.id,
        "milestone_id": goal.milestones[0].id,
        "task_id": goal.tasks[0].id,
        "meeting_id": meeting.id,
        "action": "extend",
        "fmt": "csv",
        "unit_id": p.town_b.id,
        "visit_id": db.session.scalars(db.select(GuidanceVisit.id)).first(),
    }
    return p, target, values


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("mentorship.", "guidance.")):
            yield rule


def _url(rule: Rule, values: dict) -> str:
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


@pytest.mark.parametrize("outsider", ["mentor", "mentee", "leader", "trainer_a"])
def test_outsiders_are_refused_everywhere(app, client, outsider):
    _p, target, values = _world()
    login(client, outsider)
    checked = 0
    for rule in _routes(app):
        if rule.endpoint in OPEN_TO_ALL:
            continue
        url = _url(rule, values)
        if rule.endpoint in TRAINER_ONLY and outsider == "trainer_a":
            continue  # their own dashboard; its content is checked below
        if rule.endpoint == "guidance.index" and outsider == "leader":
            continue  # their own linked units; see test_guidance_is_for_leaders…
        if "GET" in rule.methods:
            assert client.get(url).status_code in (403, 404), (outsider, url)
            checked += 1
        if "POST" in rule.methods:
            response = post_form(client, url, {"reason": "x"}, token_from="/mentorship/")
            assert response.status_code in (403, 404), (outsider, "POST", url)
            checked += 1
    assert checked >= 30
    db.session.expire_all()
    assert target.state == PairingState.ACTIVE


def test_the_rightful_people_open_every_page(app, client):
    p, target, values = _world()
    pairings.complete_early(p.trainer, target, "")  # so the review pages have content
    db.session.commit()
    pages = [
        r
        for r in _routes(app)
        if "GET" in r.methods
        and r.endpoint.startswith("mentorship.")
        and "pairing_id" in r.arguments
    ]
    for username in ("mentor2", "mentee2", "trainer", "admin"):
        other = client.application.test_client()
        login(other, username)
        for rule in pages:
            if rule.endpoint == "mentorship.change_state" and username in ("mentor2", "mentee2"):
                continue
            if rule.endpoint == "mentorship.new_meeting" and username != "mentor2":
                continue
            if rule.endpoint == "mentorship.edit_goal":
                continue  # only while the agreement is a draft: see test_agreement_pages
            assert other.get(_url(rule, values)).status_code == 200, (username, rule.rule)


def test_trainer_of_another_unit_sees_none_of_its_pairs(app, client):
    p, _target, _values = _world()
    login(client, "trainer_a")
    board = client.get("/mentorship/dashboard").get_data(as_text=True)
    assert p.mentee.name in board
    assert p.other_mentee.name not in board
    export = client.get("/mentorship/dashboard.csv").data.decode("utf-8-sig")
    assert p.mentee.name in export and p.other_mentee.name not in export
    form = client.get("/mentorship/pairings/new").get_data(as_text=True)
    assert p.other_mentee.name not in form


def test_meeting_notes_stay_with_the_pair_and_the_owner(app, client):
    _p, target, _values = _world()
    url = f"/mentorship/pairings/{target.id}/meetings"
    for username, visible in [
        ("mentor2", True),
        ("mentee2", True),
        ("trainer", True),
        ("admin", True),
        ("mentor", False),
        ("leader", False),
        ("trainer_a", False),
    ]:
        other = client.application.test_client()
        login(other, username)
        page = other.get(url)
        assert ("学员反映住宿较远" in page.get_data(as_text=True)) is visible, username
        assert page.status_code == (200 if visible else 404)


def test_a_mentor_sees_only_their_own_mentees_on_their_pages(app, client):
    p, _target, _values = _world()
    login(client, "mentor")
    page = client.get("/mentorship/").get_data(as_text=True)
    assert p.mentee.name in page and p.other_mentee.name not in page


def test_guidance_is_for_leaders_and_their_linked_units(app, client):
    p, _target, _values = _world()
    login(client, "leader")
    assert client.get("/guidance/").status_code == 200
    assert client.get(f"/guidance/units/{p.town_a.id}").status_code == 200
    assert client.get(f"/guidance/units/{p.town_b.id}").status_code == 404
    other = client.application.test_client()
    login(other, "trainer")
    assert other.get("/guidance/").status_code == 403


def test_a_leader_with_no_link_left_loses_access(app, client):
    p, _target, _values = _world()
    from learn.org import services as org

    org.set_leader_links(None, p.leader, set())
    db.session.commit()
    login(client, "leader")
    assert client.get(f"/guidance/units/{p.town_a.id}").status_code == 404


def test_mentorship_nav_for_everyone_and_guidance_for_leaders(app, client):
    _world()
    login(client, "mentee")
    page = client.get("/").get_data(as_text=True)
    assert "师徒帮带" in page and "挂联指导" not in page
    other = client.application.test_client()
    login(other, "leader")
    assert "挂联指导" in other.get("/").get_data(as_text=True)


def test_ended_pairing_view_keeps_working(app, client):
    p = make_programme()
    ended = make_pairing(
        p.mentor, p.mentee, state=PairingState.TERMINATED, start=local_today() - timedelta(days=90)
    )
    login(client, "mentor")
    assert client.get(f"/mentorship/pairings/{ended.id}").status_code == 200
