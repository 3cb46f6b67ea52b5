"""Quota arithmetic: the annual quota, the 县处级 five-year window, the online share, pace."""

from datetime import UTC, date, datetime
from decimal import Decimal

from learn.accounts import RankBand
from learn.ledger import Outlook, SourceType, credit_hours, outlook, quota_status, quota_statuses
from learn.ledger.quotas import elapsed_share
from tests.factories import make_user


def _credit(user, key, hours, year, month=6, online=False, day=1, hour=4):
    credit_hours(
        user.id,
        SourceType.MANUAL,
        key,
        hours,
        key,
        online=online,
        when=datetime(year, month, day, hour, tzinfo=UTC),
    )


def test_online_hours_count_within_the_total_not_on_top(app):
    user = make_user("zhang")
    _credit(user, "online", 50, 2026, online=True)
    _credit(user, "offline", 40, 2026)
    status = quota_status(user, 2026)
    assert (status.total, status.online, status.remaining, status.online_remaining) == (
        90,
        50,
        0,
        0,
    )
    assert status.met and status.percent == 100 and status.online_percent == 100


def test_enough_hours_but_too_little_online_is_not_met(app):
    user = make_user("zhang")
    _credit(user, "offline", 100, 2026)
    _credit(user, "online", 10, 2026, online=True)
    status = quota_status(user, 2026)
    assert status.remaining == 0 and status.online_remaining == 40
    assert not status.met


def test_the_year_is_the_local_year(app):
    user = make_user("zhang")
    # 2025-12-31 17:30 UTC is 2026-01-01 01:30 in Asia/Shanghai
    credit_hours(
        user.id,
        SourceType.MANUAL,
        "newyear",
        3,
        "元旦",
        when=datetime(2025, 12, 31, 17, 30, tzinfo=UTC),
    )
    assert quota_status(user, 2026).year_total == 3
    assert quota_status(user, 2025).year_total == 0


def test_five_year_window_boundaries(app):
    user = make_user("lao", rank_band=RankBand.COUNTY)
    _credit(user, "y2021", 200, 2021)  # just outside the window ending 2026
    _credit(user, "y2022", 100, 2022)
    _credit(user, "y2026", 60, 2026, online=True)
    status = quota_status(user, 2026)
    assert status.window == range(2022, 2027)
    assert (status.total, status.required, status.remaining) == (160, 550, 390)
    assert [h for _, h in status.by_year] == [100, 0, 0, 0, 60]
    assert status.multi_year
    assert quota_status(user, 2025).total == 300  # 2021–2025 includes 2021


def test_quota_statuses_matches_quota_status_for_many_people(app):
    section = make_user("aaa")
    county = make_user("bbb", rank_band=RankBand.COUNTY)
    nobody = make_user("ccc")
    _credit(section, "x", 12.5, 2026, online=True)
    _credit(county, "x", 30, 2024)
    batch = quota_statuses([section, county, nobody], 2026)
    for user in (section, county, nobody):
        assert batch[user.id] == quota_status(user, 2026)
    assert batch[section.id].online == Decimal("12.5")
    assert batch[nobody.id].total == 0


def test_configurable_quotas(app):
    app.config.update(QUOTA_SECTION_ANNUAL=60, QUOTA_ONLINE_ANNUAL=20, QUOTA_COUNTY_FIVE_YEARS=500)
    user = make_user("zhang")
    county = make_user("lao", rank_band=RankBand.COUNTY)
    assert (quota_status(user, 2026).required, quota_status(user, 2026).online_required) == (60, 20)
    assert quota_status(county, 2026).required == 500


def test_elapsed_share():
    assert elapsed_share(2026, 2026, date(2025, 12, 31)) == 0
    assert elapsed_share(2026, 2026, date(2026, 12, 31)) == 1
    assert elapsed_share(2026, 2026, date(2026, 7, 2)) == Decimal(183) / Decimal(365)
    five = elapsed_share(2022, 2026, date(2024, 12, 31))
    assert Decimal("0.59") < five < Decimal("0.61")


def test_outlook_compares_with_an_even_pace(app):
    user = make_user("zhang")
    _credit(user, "half", 45, 2026)
    _credit(user, "online", 25, 2026, online=True)
    status = quota_status(user, 2026)  # 70 of 90, 25 of 50 online
    assert outlook(status, date(2026, 6, 1)) == Outlook.ON_TRACK
    assert outlook(status, date(2026, 11, 27)) == Outlook.AT_RISK  # behind on both by late November
    assert outlook(status, date(2027, 1, 5)) == Outlook.MISSED
    _credit(user, "rest", 25, 2026, online=True)
    assert outlook(quota_status(user, 2026), date(2026, 11, 27)) == Outlook.MET


def test_county_outlook_uses_the_whole_window(app):
    lao = make_user("lao", rank_band=RankBand.COUNTY)
    for year in range(2022, 2026):
        _credit(lao, f"y{year}", 115, year)
    _credit(lao, "online", 50, 2026, online=True)
    status = quota_status(lao, 2026)  # 510 of 550 by mid-year: ahead of an even pace
    assert outlook(status, date(2026, 6, 30)) == Outlook.ON_TRACK
    assert outlook(status, date(2026, 12, 1)) == Outlook.AT_RISK
