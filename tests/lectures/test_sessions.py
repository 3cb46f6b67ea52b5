"""Series and sessions: who may create them, audience, registration window and capacity."""

from datetime import UTC, date, time, timedelta
from decimal import Decimal

import pytest

from learn.accounts import Category, Role
from learn.core.db import utcnow
from learn.core.timefmt import to_local
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.models import Audience, SeriesType
from learn.lectures.recurrence import Frequency, Recurrence
from learn.lectures.registration import cancel_registration, register, registration_state
from learn.lectures.sessions import (
    Generation,
    SeriesData,
    cancel_session,
    generate_sessions,
    resolve_speakers,
    save_series,
)
from learn.notifications import Notification
from learn.org import UnitType
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_org, make_series, make_session


def test_trainers_manage_series_of_their_units_only(app):
    county, township, resident, _trainer = make_org()
    local_trainer = make_user("zhenpeixun", Role.TRAINER, unit=township)
    mine = make_series(local_trainer, township, name="东岭镇小课堂")
    with pytest.raises(PermissionDenied):
        save_series(
            local_trainer,
            None,
            SeriesData(name="越权系列", series_type=SeriesType.SMALL, owner_unit_id=resident.id),
        )
    assert access.can_manage_series(local_trainer, mine)
    county_series = make_series(_trainer, county, name="季度大讲堂", kind=SeriesType.GRAND)
    assert not access.can_manage_series(local_trainer, county_series)
    assert access.can_manage_series(_trainer, mine)  # the county trainer covers sub-units


def test_cluster_trainer_manages_the_clusters_townships(app):
    county = make_unit("县纪委监委机关", UnitType.COMMISSION)
    cluster = make_unit("东片区协作组", UnitType.CLUSTER, parent=county)
    township = make_unit("城关镇纪委", UnitType.TOWNSHIP, parent=county, cluster=cluster)
    trainer = make_user("pianqu", Role.TRAINER, unit=cluster)
    assert township.id in access.managed_unit_ids(trainer)
    assert county.id not in access.managed_unit_ids(trainer)


def test_audience_by_units_includes_sub_units_and_by_categories(app):
    county, township, resident, trainer = make_org()
    series = make_series(trainer, county)
    for_township = make_session(trainer, series, audience=Audience.UNITS, unit_ids={township.id})
    for_young = make_session(
        trainer, series, audience=Audience.CATEGORIES, categories=[Category.YOUNG.value]
    )
    young = make_user("qingnian", unit=resident, birth_year=date.today().year - 28)
    older = make_user("laoganbu", unit=township, birth_year=1970)
    assert access.in_audience(older, for_township) and not access.in_audience(young, for_township)
    assert access.in_audience(young, for_young) and not access.in_audience(older, for_young)
    with pytest.raises(LearnError, match="不在报名范围内"):
        register(young, for_township)


def test_registration_respects_window_capacity_and_cancel(app):
    county, _township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    session = make_session(
        trainer,
        series,
        capacity=1,
        registration_opens_at=utcnow() - timedelta(days=1),
        registration_closes_at=utcnow() + timedelta(days=1),
    )
    first, second = make_user("cadre1"), make_user("cadre2")
    register(first, session)
    register(first, session)  # twice is still one registration
    db.session.commit()
    assert registration_state(first, session).registered
    state = registration_state(second, session)
    assert not state.can_register and state.reason == "名额已满。"
    with pytest.raises(LearnError, match="名额已满"):
        register(second, session)
    cancel_registration(first, session)
    register(second, session)
    db.session.commit()
    assert registration_state(second, session).taken == 1
    later = utcnow() + timedelta(days=2)
    assert "报名已截止" in registration_state(first, session, later).reason
    not_yet = make_session(trainer, series, registration_opens_at=utcnow() + timedelta(hours=5))
    assert "报名将于" in registration_state(first, not_yet).reason


def test_no_cancelling_once_started(app):
    county, _township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    session = make_session(trainer, series, starts_in=timedelta(hours=1))
    cadre = make_user("cadre1")
    register(cadre, session)
    db.session.commit()
    with pytest.raises(LearnError, match="讲座已开始"):
        cancel_registration(cadre, session, now=utcnow() + timedelta(hours=2))


def test_session_rules_give_actionable_errors(app):
    county, _township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    with pytest.raises(LearnError, match="地点或线上会议链接"):
        make_session(trainer, series, place="")
    with pytest.raises(LearnError, match="https://"):
        make_session(trainer, series, online_url="javascript:alert(1)")
    with pytest.raises(LearnError, match="报名截止时间不能晚于开讲时间"):
        make_session(trainer, series, registration_closes_at=utcnow() + timedelta(days=9))
    with pytest.raises(LearnError, match="请至少选择一个单位"):
        make_session(trainer, series, audience=Audience.UNITS)


def test_speakers_are_platform_users_or_guests(app):
    county, _township, _resident, _trainer = make_org()
    make_user("daoshi", name="贺知远", unit=county)
    speakers = resolve_speakers("daoshi\n贺知远\n", "赵某｜市纪委监委案件审理室\n钱某|县审计局")
    assert [(s.user_id is not None, s.guest_name, s.guest_title) for s in speakers] == [
        (True, "", ""),
        (False, "赵某", "市纪委监委案件审理室"),
        (False, "钱某", "县审计局"),
    ]
    with pytest.raises(LearnError, match="找不到主讲人：无名氏"):
        resolve_speakers("无名氏", "")


def test_generating_quarterly_sessions_skips_taken_dates(app):
    county, _township, _resident, trainer = make_org()
    series = make_series(trainer, county, kind=SeriesType.GRAND, name="季度大讲堂")
    rule = Recurrence(Frequency.QUARTERLY, 3, ordinal=2, month_in_quarter=1)
    gen = Generation(
        title="第{n}期",
        first_day=date(2027, 1, 1),
        count=4,
        at=time(14, 30),
        duration_minutes=150,
        hours=Decimal("3"),
        place="报告厅",
    )
    created = generate_sessions(trainer, series, rule, gen)
    assert [s.title for s in created] == ["第1期", "第2期", "第3期", "第4期"]
    assert to_local(created[0].starts_at).date() == date(2027, 1, 14)
    assert created[0].starts_at.astimezone(UTC).hour == 6  # 14:30 in Shanghai is 06:30 UTC
    assert created[0].registration_opens_at == created[0].starts_at - timedelta(days=14)
    with pytest.raises(LearnError, match="都已有讲座"):
        generate_sessions(trainer, series, rule, gen)


def test_cancelling_tells_registered_cadres(app):
    county, _township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    session = make_session(trainer, series)
    cadre = make_user("cadre1")
    register(cadre, session)
    cancel_session(trainer, session)
    db.session.commit()
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == cadre.id))
    assert [n.title for n in notes] == [f"讲座已取消：{session.title}"]
    assert not registration_state(cadre, session).can_cancel
    assert registration_state(make_user("cadre2"), session).reason == "讲座已取消。"
