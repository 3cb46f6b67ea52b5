"""The subject-only brief is shown to the subject's role-player and, after release, to
everyone in the session — never to talkers, assessors or the facilitator before that,
and never on the card page or in the API."""

from learn.drills.models import DrillCard, Phase
from learn.drills.services import sessions
from learn.extensions import db
from tests.conftest import login
from tests.drills.factories import SECRET, cast, open_session, secret_cards, to_phase

NOT_SUBJECT = ["peixun", "lead", "recorder", "assessor_a", "assessor_b"]


def _pages(app, username, session, group):
    client = app.test_client()
    login(client, username)
    urls = [
        "/drills/",
        "/drills/cards/hanxun-dibao-huibi",
        f"/drills/sessions/{session.id}",
        f"/api/v1/drills/sessions/{session.id}",
        "/drills/history",
        f"/drills/groups/{group.id}",
        f"/drills/groups/{group.id}/sessions/new",
    ]
    return {url: client.get(url).get_data(as_text=True) for url in urls}


def test_the_brief_is_stored_but_hidden_from_everyone_but_the_subject(app, tmp_path):
    secret_cards(tmp_path)
    assert SECRET in db.session.get(DrillCard, "hanxun-dibao-huibi").subject_brief_html
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    for phase in (Phase.PREPARING, Phase.TALKING, Phase.SCORING):
        to_phase(trainer, people, session, phase)
        subject_page = _pages(app, "subject", session, group)[f"/drills/sessions/{session.id}"]
        assert SECRET in subject_page, phase
        assert "仅被谈话人扮演者可见" in subject_page
        for username in NOT_SUBJECT:
            for url, text in _pages(app, username, session, group).items():
                assert SECRET not in text, (phase, username, url)


def test_the_card_page_never_shows_the_brief(app, tmp_path):
    secret_cards(tmp_path)
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.CLOSED)
    for username in ["subject", "lead", "peixun", "spare"]:
        pages = _pages(app, username, session, group)
        assert SECRET not in pages["/drills/cards/hanxun-dibao-huibi"], username


def test_after_release_everyone_in_the_session_sees_the_brief(app, tmp_path):
    secret_cards(tmp_path)
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.REVIEW)
    for username in [*NOT_SUBJECT, "subject"]:
        assert SECRET in _pages(app, username, session, group)[f"/drills/sessions/{session.id}"]
    outsider = app.test_client()
    login(outsider, "spare")
    assert outsider.get(f"/drills/sessions/{session.id}").status_code == 404


def test_the_plans_are_hidden_from_the_subject_until_release(app, tmp_path):
    secret_cards(tmp_path)
    trainer, people, group = cast()
    session = open_session(trainer, people, group)
    sessions.submit_plan(people["lead"], session, "谈话方案独有文字XYZ", "安全预案独有文字XYZ")
    db.session.commit()
    pages = _pages(app, "subject", session, group)
    assert "谈话方案独有文字XYZ" not in pages[f"/drills/sessions/{session.id}"]
    assert (
        "谈话方案独有文字XYZ"
        in _pages(app, "assessor_a", session, group)[f"/drills/sessions/{session.id}"]
    )
    to_phase(trainer, people, session, Phase.REVIEW)
    assert (
        "谈话方案独有文字XYZ"
        in _pages(app, "subject", session, group)[f"/drills/sessions/{session.id}"]
    )
