"""The mentee view: every domain's section, hours since the pairing began, goals, meetings."""

from datetime import date, datetime, time, timedelta

from learn.core.progress import progress_sections
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.mentorship.services import growth
from tests.conftest import login
from tests.mentorship.factories import add_meeting, make_pairing, make_programme


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), LOCAL_TZ)


def test_growth_page_brings_everything_together(app, client):
    p = make_programme()
    today = local_today()
    pairing = make_pairing(p.mentor, p.mentee, start=today - timedelta(days=70))
    credit_hours(
        p.mentee.id,
        SourceType.MANUAL,
        "before",
        30,
        "帮带前的培训",
        when=_at(today - timedelta(days=400)),
    )
    credit_hours(
        p.mentee.id, SourceType.MANUAL, "a", 12, "集中轮训", when=_at(today - timedelta(days=40))
    )
    credit_hours(
        p.mentee.id, SourceType.MANUAL, "b", 8, "专题网络课程", online=True, when=_at(today)
    )
    add_meeting(pairing, 10)
    db.session.commit()
    login(client, "mentor")
    response = client.get(f"/mentorship/pairings/{pairing.id}/growth")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for section in progress_sections(app, p.mentee):
        assert section.title in page
    assert "共获得 <strong>20.0</strong> 学时" in page
    assert "其他培训（手工登记） 20.0" in page
    assert "<svg" in page and "帮带以来每月学时" in page
    assert "熟悉初步核实流程" in page and "10 天前的谈心" in page


def test_hours_since_the_start_month_by_month(app):
    p = make_programme()
    start = date(2026, 3, 20)
    credit_hours(p.mentee.id, SourceType.MANUAL, "x", 5, "早于帮带", when=_at(date(2026, 2, 10)))
    credit_hours(p.mentee.id, SourceType.MANUAL, "y", 6, "三月", when=_at(date(2026, 3, 2)))
    credit_hours(p.mentee.id, SourceType.MANUAL, "z", 4, "五月", when=_at(date(2026, 5, 9)))
    hours = growth.hours_since(p.mentee, start, date(2026, 5, 31))
    assert [(label, float(v)) for label, v in hours.months] == [
        ("26年3月", 6.0),
        ("26年4月", 0.0),
        ("26年5月", 4.0),
    ]
    assert float(hours.total) == 10.0
    # a pairing that starts later shows the current month rather than failing
    assert len(growth.hours_since(p.mentee, date(2026, 9, 1), date(2026, 5, 31)).months) == 1


def test_section_series_become_a_chart_over_shared_dates(app):
    chart = growth._series_chart(
        "得分趋势", {"要素一": [(date(2026, 1, 5), 60), (date(2026, 3, 1), 80)], "要素二": []}
    )
    assert "得分趋势" in chart and "1/5" in chart and "3/1" in chart and "要素一" in chart
    monthly = growth._series_chart("累计", {"学时": [("2026-02", 3), ("2026-01", 1)]})
    assert monthly.index("2026-01") < monthly.index("2026-02")
    assert growth._series_chart("空", {"无": []}) is None
    assert growth._series_chart("一次", {"要素一": [(date(2026, 1, 5), 60)]}) is None
