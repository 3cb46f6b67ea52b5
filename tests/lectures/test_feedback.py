"""Feedback is anonymous by construction: a speaker can never see who rated what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import inspect

from learn.accounts import Role
from learn.core.db import utcnow
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures.attendance import mark_attendance
from learn.lectures.feedback import series_results, session_results, submit_feedback, summary
from learn.lectures.models import AttendanceStatus, Feedback
from learn.org import UnitType
from learn.org import services as org
from tests.conftest import login
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_org, make_series, make_session


@pytest.fixture
def held(app):
    """A session that ended an hour ago, with five attendees and a speaker."""
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, township, name="东岭镇小课堂")
    speaker = make_user("daoshi", name="贺知远", unit=county)
    session = make_session(
        trainer, series, starts_in=timedelta(hours=-2, minutes=-30), speakers=[speaker]
    )
    names = ["林一帆", "苏若晴", "周书瑶", "马一鸣", "何嘉树"]
    cadres = [make_user(f"cadre{i}", name=n, unit=township) for i, n in enumerate(names)]
    mark_attendance(trainer, session, {c.id: AttendanceStatus.PRESENT for c in cadres})
    db.session.commit()
    return trainer, series, session, speaker, cadres


def _rate(session, cadres, scores, comments=None):
    for i, (cadre, score) in enumerate(zip(cadres, scores, strict=False)):
        comment = comments[i] if comments else ""
        submit_feedback(cadre, session, score, score, score, comment)
    db.session.commit()


def test_ratings_are_stored_without_who_or_when(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("lecture_feedback")}
    assert columns == {"id", "session_id", "content", "usefulness", "delivery", "comment"}
    receipt = {c["name"] for c in inspect(db.engine).get_columns("lecture_feedback_receipts")}
    assert receipt == {"session_id", "user_id"}


def test_keys_are_random_so_rows_do_not_follow_submission_order(app, held):
    _trainer, _series, session, _speaker, cadres = held
    _rate(session, cadres, [5, 4, 3, 2, 1])
    keys = [row.id for row in db.session.scalars(db.select(Feedback))]
    assert all(len(k) == 32 for k in keys) and len(set(keys)) == 5


def test_results_wait_for_the_period_to_close_and_enough_ratings(app, held):
    _trainer, _series, session, speaker, cadres = held
    _rate(session, cadres[:2], [5, 1])
    now = utcnow()
    assert summary(session, now).state == "collecting"
    closed = session.ends_at + timedelta(days=app.config["LECTURE_FEEDBACK_DAYS"], minutes=1)
    too_few = session_results(speaker, session, closed)
    assert too_few.state == "too_few" and too_few.averages == {} and too_few.comments == []
    _rate(session, cadres[2:], [4, 4, 4], ["很实用", "", "希望多讲案例"])
    shown = session_results(speaker, session, closed)
    assert shown.state == "visible" and shown.count == 5
    assert shown.averages["content"] == Decimal("3.6")
    assert shown.distribution["content"] == [1, 0, 0, 3, 1]
    assert sorted(shown.comments) == ["希望多讲案例", "很实用"]


def test_the_speaker_page_never_names_a_rater(app, client, held):
    _trainer, _series, session, _speaker, cadres = held
    _rate(session, cadres, [5, 4, 4, 3, 5], ["讲得透彻", "", "", "", ""])
    app.config["LECTURE_FEEDBACK_DAYS"] = 0
    login(client, "daoshi")
    page = client.get(f"/lectures/sessions/{session.id}/results").get_data(as_text=True)
    assert "共 5 份评价" in page and "讲得透彻" in page
    for cadre in cadres:
        assert cadre.name not in page and cadre.username not in page
    api = client.get(f"/api/v1/lectures/sessions/{session.id}/results").get_json()
    assert set(api) == {"state", "count", "averages", "distribution", "comments"}
    assert api["count"] == 5 and api["state"] == "visible"


def test_each_attendee_rates_once_and_only_attendees_rate(app, held):
    _trainer, _series, session, speaker, cadres = held
    _rate(session, cadres[:1], [5])
    with pytest.raises(LearnError, match="已评价"):
        submit_feedback(cadres[0], session, 1, 1, 1)
    outsider = make_user("waibu")
    with pytest.raises(LearnError, match="只有参加了本场讲座"):
        submit_feedback(outsider, session, 5, 5, 5)
    with pytest.raises(LearnError):
        submit_feedback(speaker, session, 5, 5, 5)
    with pytest.raises(LearnError, match="1 到 5"):
        submit_feedback(cadres[1], session, 6, 5, 5)


def test_no_feedback_before_the_session_ends(app, held):
    trainer, series, _session, _speaker, cadres = held
    running = make_session(trainer, series, starts_in=timedelta(minutes=-10), title="进行中")
    mark_attendance(trainer, running, {cadres[0].id: AttendanceStatus.PRESENT})
    with pytest.raises(LearnError, match="结束后"):
        submit_feedback(cadres[0], running, 5, 5, 5)


def test_leaders_read_results_by_series_only_in_their_scope(app, held):
    _trainer, series, session, _speaker, cadres = held
    _rate(session, cadres, [5, 5, 4, 4, 3])
    far = make_unit("柳坪镇纪委", UnitType.TOWNSHIP)
    linked = make_user("lingdao", Role.LEADER, name="秦望舒", unit=far)
    org.set_leader_links(None, linked, {series.owner_unit_id})
    stranger = make_user("lingdao2", Role.LEADER, name="另一位领导", unit=far)
    db.session.commit()
    later = utcnow() + timedelta(days=30)
    results = series_results(linked, series, later)
    assert results.rated == 5 and results.averages["overall"] == Decimal("4.2")
    with pytest.raises(PermissionDenied):
        series_results(stranger, series, later)
    with pytest.raises(PermissionDenied):
        session_results(cadres[0], session)


def test_feedback_form_posts_and_thanks(app, client, held):
    _trainer, _series, session, _speaker, _cadres = held
    login(client, "cadre0")
    url = f"/lectures/sessions/{session.id}/feedback"
    page = client.get(url)
    assert page.status_code == 200 and "匿名" in page.get_data(as_text=True)
    from tests.conftest import post_form

    missing = post_form(client, url, {"content": "5"})
    assert missing.status_code == 400 and "请为实用性打分" in missing.get_data(as_text=True)
    done = post_form(
        client,
        url,
        {"content": "5", "usefulness": "4", "delivery": "5", "comment": "好"},
        follow_redirects=True,
    )
    assert "感谢您的评价" in done.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Feedback)) == 1
