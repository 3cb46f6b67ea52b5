"""Calendar views, .ics files (parsed back with icalendar) and the secret, revocable feed."""

import re
from datetime import timedelta

from icalendar import Calendar

from learn.core.timefmt import to_local
from learn.extensions import db
from learn.lectures.registration import register
from learn.org import services as org
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.lectures.factories import make_org, make_series, make_session


def _setting():
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county)
    speaker = make_user("daoshi", name="贺知远", unit=county)
    session = make_session(
        trainer,
        series,
        starts_in=timedelta(days=5),
        speakers=[speaker],
        title="问题线索的五类处置方式",
        abstract="**重点**：谈话函询、初步核实。",
        online_url="https://meeting.example.cn/123",
    )
    cadre = make_user("xueyuan", name="林一帆", unit=township)
    return trainer, series, session, cadre


def test_session_ics_parses_back_with_the_right_times(app, client):
    _trainer, _series, session, _cadre = _setting()
    login(client, "xueyuan")
    response = client.get(f"/lectures/sessions/{session.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"lecture-session-{session.id}@learn"
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert str(event["summary"]) == "业务小课堂：问题线索的五类处置方式"
    assert "贺知远" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert str(calendar["version"]) == "2.0" and "prodid" in calendar


def test_personal_feed_is_public_by_secret_token_and_revocable(app, client):
    _trainer, series, session, cadre = _setting()
    other = make_session(_trainer, series, title="没报名的一场")
    register(cadre, session)
    db.session.commit()
    login(client, "xueyuan")
    page = post_form(client, "/lectures/calendar/subscribe").get_data(as_text=True)
    url = re.search(r"http://localhost(/lectures/calendar/feed/[^<\s]+\.ics)", page).group(1)
    anonymous = app.test_client()
    feed = anonymous.get(url)
    assert feed.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert summaries == [f"业务小课堂：{session.title}"]
    assert other.title not in feed.get_data(as_text=True)
    # a new URL revokes the old one; revoking stops every URL
    again = post_form(client, "/lectures/calendar/subscribe").get_data(as_text=True)
    new_url = re.search(r"http://localhost(/lectures/calendar/feed/[^<\s]+\.ics)", again).group(1)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(new_url).status_code == 200
    post_form(
        client, "/lectures/calendar/subscribe/revoke", token_from="/lectures/calendar/subscribe"
    )
    assert anonymous.get(new_url).status_code == 404
    assert anonymous.get("/lectures/calendar/feed/guess.ics").status_code == 404


def test_feed_tokens_are_stored_hashed(app, client):
    _setting()
    login(client, "xueyuan")
    page = post_form(client, "/lectures/calendar/subscribe").get_data(as_text=True)
    token = re.search(r"/feed/([^<\s]+)\.ics", page).group(1)
    from learn.lectures.models import CalendarFeed

    stored = db.session.scalars(db.select(CalendarFeed.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_month_and_list_views_filter_to_what_concerns_me(app, client):
    trainer, series, session, _cadre = _setting()
    from learn.lectures.models import Audience

    resident = org.get_unit_by_name("第一派驻纪检监察组")
    hidden = make_session(
        trainer, series, title="只面向派驻组", audience=Audience.UNITS, unit_ids={resident.id}
    )
    login(client, "xueyuan")
    mine = client.get("/lectures/").get_data(as_text=True)
    assert session.title in mine and hidden.title not in mine
    everything = client.get("/lectures/?scope=all").get_data(as_text=True)
    assert hidden.title in everything
    local = to_local(session.starts_at)
    month = client.get(f"/lectures/calendar?month={local:%Y-%m}&scope=all").get_data(as_text=True)
    assert session.title in month
    assert client.get("/lectures/calendar?month=garbage").status_code == 200
