"""Blind scoring: before release nobody sees another assessor's scores or comments —
on any page or endpoint of the domain, for any participant or the facilitator."""

import pytest
from flask import render_template

from learn.drills import contributions, panels
from learn.drills.models import Phase
from learn.drills.services import practice, sessions
from learn.extensions import db
from tests.conftest import login, post_form
from tests.drills.factories import (
    CARD,
    LEVELS_A,
    LEVELS_B,
    cast,
    open_session,
    sync_bundled,
    to_phase,
)

A_SECRET = "唐评甲的独立意见AAA"
B_SECRET = "贺评乙的独立意见BBB"
VIEWERS = ["peixun", "lead", "recorder", "subject", "assessor_a", "assessor_b", "spare"]


def _urls(app, session, group, run_id) -> list[str]:
    """Every GET page and endpoint of the drills blueprints, with real ids filled in."""
    values = {"session_id": session.id, "group_id": group.id, "card_id": CARD, "run_id": run_id}
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("drills", "drills_api") and "GET" in rule.methods:
            urls.append(rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1])
    assert len(urls) >= 10
    return urls


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def _texts(app, session, group, run_id, username) -> dict[str, str]:
    client = _client(app, username)
    pages = {}
    for url in _urls(app, session, group, run_id):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (username, url, response.status_code)
        pages[url] = response.get_data(as_text=True)
    return pages


def _rendered_contributions(app, username) -> str:
    """The home panel and the progress section, as other domains' pages would render them."""
    from learn.accounts import services as accounts

    user = accounts.get_user_by_username(username)
    parts = []
    with app.test_request_context():
        panel = panels.home_panel(user)
        if panel:
            parts.append(render_template(panel.template, panel=panel))
        section = contributions.progress_section(user)
        if section:
            parts.append(render_template(section.template, section=section))
    return "".join(parts)


@pytest.fixture
def scoring(app):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.SCORING)
    run = practice.start_run(people["lead"], session.card)
    db.session.commit()
    return trainer, people, group, session, run.id


def _submit(app, username, levels, comments, session_id):
    client = _client(app, username)
    data = {f"level_{k}": str(v) for k, v in levels.items()}
    data.update({"check_approval": "y", "comments": comments})
    response = post_form(
        client,
        f"/drills/sessions/{session_id}/assess",
        data,
        token_from=f"/drills/sessions/{session_id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_no_page_or_endpoint_shows_another_assessors_scores_before_release(app, scoring):
    _trainer, _people, group, session, run_id = scoring
    _submit(app, "assessor_b", LEVELS_B, B_SECRET, session.id)

    # the test can fail: B's own pages do show B's comments
    own = _texts(app, session, group, run_id, "assessor_b")
    assert any(B_SECRET in text for text in own.values())

    for viewer in VIEWERS:
        if viewer == "assessor_b":
            continue
        for url, text in _texts(app, session, group, run_id, viewer).items():
            assert B_SECRET not in text, (viewer, url)
            assert "评分结果：平均" not in text, (viewer, url)
        assert B_SECRET not in _rendered_contributions(app, viewer)

    status = _client(app, "assessor_a").get(f"/api/v1/drills/sessions/{session.id}").get_json()
    assert status["assessments"] == []
    assert status["submitted"] == 1


def test_after_submitting_an_assessor_still_sees_only_their_own(app, scoring):
    _trainer, _people, group, session, run_id = scoring
    _submit(app, "assessor_b", LEVELS_B, B_SECRET, session.id)
    _submit(app, "assessor_a", LEVELS_A, A_SECRET, session.id)
    for viewer, hidden in (("assessor_a", B_SECRET), ("assessor_b", A_SECRET)):
        for url, text in _texts(app, session, group, run_id, viewer).items():
            assert hidden not in text, (viewer, url)
    api = _client(app, "assessor_a").get(f"/api/v1/drills/sessions/{session.id}").get_json()
    assert [a["comments"] for a in api["assessments"]] == [A_SECRET]


def test_after_release_everyone_in_the_session_sees_all_scores(app, scoring):
    trainer, _people, _group, session, _run_id = scoring
    _submit(app, "assessor_b", LEVELS_B, B_SECRET, session.id)
    _submit(app, "assessor_a", LEVELS_A, A_SECRET, session.id)
    db.session.expire_all()
    sessions.advance(trainer, sessions.get_session(trainer, session.id))
    db.session.commit()
    for viewer in VIEWERS:
        client = _client(app, viewer)
        page = client.get(f"/drills/sessions/{session.id}")
        if viewer == "spare":
            assert page.status_code == 404
            continue
        text = page.get_data(as_text=True)
        assert A_SECRET in text and B_SECRET in text, viewer
        assert "评分结果：平均" in text
        api = client.get(f"/api/v1/drills/sessions/{session.id}").get_json()
        assert {a["comments"] for a in api["assessments"]} == {A_SECRET, B_SECRET}


def test_an_assessor_cannot_submit_twice(app, scoring):
    trainer, people, _group, session, _run_id = scoring
    _submit(app, "assessor_b", LEVELS_B, B_SECRET, session.id)
    client = _client(app, "assessor_b")
    data = {f"level_{k}": "1" for k in LEVELS_B} | {"comments": "想改一下我的评分意见"}
    response = post_form(
        client,
        f"/drills/sessions/{session.id}/assess",
        data,
        token_from=f"/drills/sessions/{session.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    mine = sessions.own_assessment(sessions.get_session(trainer, session.id), people["assessor_b"])
    assert mine.comments == B_SECRET


def test_an_incomplete_scoring_form_rerenders_with_chinese_errors(app, scoring):
    trainer, _people, _group, session, _run_id = scoring
    client = _client(app, "assessor_a")
    response = post_form(
        client,
        f"/drills/sessions/{session.id}/assess",
        {"level_plan": "3", "comments": "短"},
        token_from=f"/drills/sessions/{session.id}",
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "请为“政策把握”选择等级" in text
    assert "点评意见须为 10–5000 字" in text
    db.session.expire_all()
    assert sessions.get_session(trainer, session.id).assessments == []
