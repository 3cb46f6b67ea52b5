"""Factories for the lectures tests: a trainer's unit, series and sessions (committed)."""

from datetime import timedelta
from decimal import Decimal

from learn.accounts import Role
from learn.core.db import utcnow
from learn.extensions import db
from learn.lectures.models import SeriesType
from learn.lectures.sessions import (
    SeriesData,
    SessionData,
    SpeakerInput,
    create_session,
    save_series,
)
from learn.org import UnitType
from tests.factories import make_unit, make_user


def make_org():
    """A county commission with a township and a resident group; a trainer at the top."""
    county = make_unit("县纪委监委机关", UnitType.COMMISSION)
    township = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=county)
    resident = make_unit("第一派驻纪检监察组", UnitType.RESIDENT_GROUP, parent=county)
    trainer = make_user("peixun", Role.TRAINER, name="宋立衡", unit=county)
    return county, township, resident, trainer


def make_series(trainer, unit, kind=SeriesType.SMALL, name="业务小课堂"):
    series = save_series(
        trainer,
        None,
        SeriesData(name=name, series_type=kind, owner_unit_id=unit.id, default_hours=Decimal("2")),
    )
    db.session.commit()
    return series


def make_session(trainer, series, *, starts_in=timedelta(days=3), speakers=(), **extra):
    data = SessionData(
        title=extra.pop("title", "谈话笔录制作要点"),
        starts_at=utcnow().replace(second=0, microsecond=0) + starts_in,
        duration_minutes=extra.pop("duration_minutes", 90),
        hours=extra.pop("hours", Decimal("2")),
        place=extra.pop("place", "第一会议室"),
        speakers=[SpeakerInput(user_id=u.id) for u in speakers],
        **extra,
    )
    session = create_session(trainer, series, data)
    db.session.commit()
    return session
