"""期满考核 through the pages: self-assessment, the mentor's rating, the trainer's confirmation."""

from datetime import timedelta

from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.models import MentorPairing
from learn.mentorship.states import PairingState
from tests.conftest import login, post_form
from tests.mentorship.factories import make_pairing, make_programme


def _ended(p):
    return make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=366))


def _self_data(pairing, skip_first=False):
    data = {"summary": "一年来收获很大，能独立起草初核报告。"}
    for n, goal in enumerate(pairing.goals):
        if not (skip_first and n == 0):
            data[f"goal_{goal.id}"] = f"{goal.title}：已完成。"
    return data


def _mentor_data(pairing, grade="良好"):
    data = {"grade": grade, "conclusion": "政治素质好，业务进步明显，达到帮带预期。"}
    for goal in pairing.goals:
        data[f"rating_{goal.id}"] = "优秀"
        data[f"comment_{goal.id}"] = "完成很好。"
    return data


def test_the_whole_review_flow(app, client):
    p = make_programme()
    pairing = _ended(p)
    pid, url = pairing.id, f"/mentorship/pairings/{pairing.id}/review"

    login(client, "mentee")
    incomplete = post_form(client, url + "/self", _self_data(pairing, True), token_from=url)
    assert incomplete.status_code == 400
    assert "请对这项目标进行自评" in incomplete.get_data(as_text=True)
    assert post_form(client, url + "/self", _self_data(pairing), token_from=url).status_code == 302

    mentor = client.application.test_client()
    login(mentor, "mentor")
    missing = post_form(mentor, url + "/mentor", {"conclusion": "好"}, token_from=url)
    assert missing.status_code == 400
    assert "请选择评价等次" in missing.get_data(as_text=True)
    assert (
        post_form(mentor, url + "/mentor", _mentor_data(pairing), token_from=url).status_code == 302
    )

    late = post_form(client, url + "/self", _self_data(pairing), token_from=url)
    assert late.status_code == 400
    assert "导师已完成评价" in late.get_data(as_text=True)

    trainer = client.application.test_client()
    login(trainer, "trainer")
    done = post_form(trainer, url + "/confirm", {"note": "同意。"}, token_from=url)
    assert done.status_code == 302
    db.session.expire_all()
    pairing = db.session.get(MentorPairing, pid)
    assert pairing.state == PairingState.COMPLETED
    assert pairing.review.confirmed_by_id == p.trainer.id
    assert {g.rating for g in pairing.review.goal_reviews} == {"优秀"}

    printed = client.get(url + "/print").get_data(as_text=True)
    for text in ("期满考核表", "达到帮带预期", "良好", "同意。", "熟悉初步核实流程"):
        assert text in printed


def test_no_review_before_the_term_ends(app, client):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    url = f"/mentorship/pairings/{pairing.id}/review"
    login(client, "mentee")
    response = post_form(client, url + "/self", _self_data(pairing), token_from=url)
    assert response.status_code == 400
    assert "帮带期满" in response.get_data(as_text=True)


def test_each_step_waits_for_the_one_before(app, client):
    p = make_programme()
    pairing = _ended(p)
    url = f"/mentorship/pairings/{pairing.id}/review"
    login(client, "mentor")
    early = post_form(client, url + "/mentor", _mentor_data(pairing), token_from=url)
    assert "学员尚未提交自评" in early.get_data(as_text=True)
    trainer = client.application.test_client()
    login(trainer, "trainer")
    confirm = post_form(trainer, url + "/confirm", {}, token_from=url)
    assert "导师尚未完成评价" in confirm.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MentorPairing, pairing.id).state_on(local_today()) == (
        PairingState.AWAITING_REVIEW
    )


def test_only_the_right_person_takes_each_step(app, client):
    p = make_programme()
    pairing = _ended(p)
    url = f"/mentorship/pairings/{pairing.id}/review"
    login(client, "mentor")
    assert post_form(client, url + "/self", _self_data(pairing), token_from=url).status_code == 403
    assert post_form(client, url + "/confirm", {}, token_from=url).status_code == 403
    mentee = client.application.test_client()
    login(mentee, "mentee")
    assert (
        post_form(mentee, url + "/mentor", _mentor_data(pairing), token_from=url).status_code == 403
    )
