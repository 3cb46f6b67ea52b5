"""The demo gives the dashboard something to show on first run, and loads twice safely."""

from sqlalchemy import func, select

from learn.accounts import services as accounts
from learn.core.timefmt import local_today
from learn.demo import load_demo
from learn.extensions import db
from learn.mentorship.models import GuidanceVisit, MentorPairing
from learn.mentorship.services import dashboard
from learn.mentorship.services.health import HealthLevel
from learn.mentorship.states import PairingState


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_pairs_cover_every_state_and_health(app):
    load_demo(app, echo=lambda *_: None)
    pairs, visits = _count(MentorPairing), _count(GuidanceVisit)
    board = dashboard.build(accounts.get_user_by_username("peixun"), local_today())
    assert all(board.by_state[s] >= 1 for s in PairingState)
    assert all(board.by_health[h] >= 1 for h in HealthLevel)
    assert board.red >= 1
    assert board.ending_soon == [] or all(
        r.pairing.end_on >= local_today() for r in board.ending_soon
    )

    load_demo(app, echo=lambda *_: None)
    assert (_count(MentorPairing), _count(GuidanceVisit)) == (pairs, visits)


def test_demo_mentor_and_mentee_logins_see_their_pairing(app, client):
    from tests.conftest import login

    load_demo(app, echo=lambda *_: None)
    login(client, "daoshi", "learn2026")
    page = client.get("/mentorship/").get_data(as_text=True)
    assert "林一帆" in page and "何文瑞" in page
    other = client.application.test_client()
    login(other, "lingdao", "learn2026")
    guidance = other.get("/guidance/").get_data(as_text=True)
    assert "东岭镇纪委" in guidance and "城关镇纪委" in guidance and "河湾镇纪委" not in guidance
