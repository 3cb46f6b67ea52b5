"""The demo year: four series with past and upcoming sessions around today; loads twice safely."""

from collections import Counter

from sqlalchemy import func, select

from learn import demo as platform_demo
from learn.core.db import utcnow
from learn.extensions import db
from learn.lectures.demo import load_demo
from learn.lectures.feedback import summary
from learn.lectures.models import Feedback, LectureSeries, LectureSession, Rota, SeriesType
from learn.lectures.rotas import problems
from learn.ledger import SourceType, entries_for
from tests.conftest import login


def _load(app):
    platform_demo._load_units()
    platform_demo._load_users()
    db.session.commit()
    load_demo(app, echo=lambda _text: None)
    db.session.commit()


def test_demo_builds_a_living_year_and_is_idempotent(app, client):
    _load(app)
    now = utcnow()
    sessions = list(db.session.scalars(select(LectureSession)))
    kinds = Counter(s.series.series_type for s in sessions)
    assert set(kinds) == set(SeriesType)
    for kind in SeriesType:
        mine = [s for s in sessions if s.series.series_type == kind]
        assert any(s.ends_at < now for s in mine), kind
        assert any(s.starts_at > now for s in mine), kind
    assert db.session.scalar(select(func.count()).select_from(Feedback)) > 20
    shown = [summary(s) for s in sessions if s.ends_at < now]
    assert any(r.visible for r in shown)
    rota = db.session.scalars(select(Rota)).one()
    assert rota.is_published and problems(rota) == []
    xueyuan_hours = [e for e in entries_for(_id("xueyuan")) if e.source_type.startswith("lecture")]
    assert xueyuan_hours
    assert {e.source_type for e in entries_for(_id("lingdao"))} >= {SourceType.LECTURE_SPEAKER}

    before = db.session.scalar(select(func.count()).select_from(LectureSession))
    load_demo(app, echo=lambda _text: None)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LectureSession)) == before
    assert db.session.scalar(select(func.count()).select_from(LectureSeries)) == 4

    login(client, "xueyuan", "learn2026")
    page = client.get("/lectures/?scope=all").get_data(as_text=True)
    assert "季度大讲堂" in page and "人人登讲台" in page


def _id(username):
    from learn.accounts import services as accounts

    return accounts.get_user_by_username(username).id
