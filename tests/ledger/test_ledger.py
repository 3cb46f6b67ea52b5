from decimal import Decimal

from learn.ledger import SourceType, credit_hours, entries_for
from tests.factories import make_user


def test_an_activity_is_credited_once(app):
    user = make_user("zhang")
    first = credit_hours(user.id, SourceType.COURSE, "sizhong-xingtai", 4, "四种形态")
    again = credit_hours(user.id, SourceType.COURSE, "sizhong-xingtai", 4, "四种形态")
    assert first.id == again.id
    assert [e.hours for e in entries_for(user.id)] == [Decimal("4.0")]


def test_same_source_id_of_another_type_is_separate(app):
    user = make_user("zhang")
    credit_hours(user.id, SourceType.LECTURE_ATTENDANCE, 7, 2, "小课堂")
    credit_hours(user.id, SourceType.LECTURE_SPEAKER, 7, 3, "小课堂（主讲）")
    assert len(entries_for(user.id)) == 2


def test_section_level_quota_is_annual_with_online_share(app):
    from datetime import UTC, datetime

    from learn.ledger import quota_status

    user = make_user("zhang")
    credit_hours(
        user.id,
        SourceType.COURSE,
        "a",
        40,
        "课程甲",
        online=True,
        when=datetime(2026, 3, 1, tzinfo=UTC),
    )
    credit_hours(
        user.id,
        SourceType.LECTURE_ATTENDANCE,
        "b",
        30,
        "讲堂",
        when=datetime(2026, 4, 1, tzinfo=UTC),
    )
    credit_hours(
        user.id,
        SourceType.COURSE,
        "c",
        25,
        "去年的课",
        online=True,
        when=datetime(2025, 4, 1, tzinfo=UTC),
    )
    status = quota_status(user, 2026)
    assert (status.total, status.required, status.remaining) == (70, 90, 20)
    assert (status.online, status.online_remaining) == (40, 10)
    assert not status.met


def test_county_level_quota_counts_five_years(app):
    from datetime import UTC, datetime

    from learn.accounts import RankBand
    from learn.ledger import quota_status

    user = make_user("lao", rank_band=RankBand.COUNTY)
    for year in range(2020, 2027):
        credit_hours(
            user.id,
            SourceType.COURSE,
            f"y{year}",
            100,
            "年度培训",
            online=True,
            when=datetime(year, 6, 1, tzinfo=UTC),
        )
    status = quota_status(user, 2026)
    assert status.window == range(2022, 2027)
    assert status.total == 500
    assert status.remaining == 50
    assert status.year_total == 100
