"""Every lecture page: who may open it, who is refused, and that forms explain bad input."""

import re
from datetime import timedelta

import pytest
from werkzeug.routing import Rule

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.lectures.models import RotaSlot
from learn.lectures.sessions import (
    SessionData,
    SpeakerInput,
    get_series,
    get_session,
    update_session,
)
from learn.org import services as org
from tests.conftest import login, post_form
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_org, make_series, make_session

# Pages any logged-in cadre may use (object rules inside still apply).
OPEN = {
    "lectures.index",
    "lectures.month",
    "lectures.series_list",
    "lectures.series_detail",
    "lectures.session_detail",
    "lectures.session_ics",
    "lectures.subscribe",
    "lectures.create_feed",
    "lectures.revoke_feed",
    "lectures.teaching",
    "lectures.checkin_page",
    "lectures.checkin",
    "lectures.register_for",
    "lectures.unregister",
    "lectures.feedback",
    "lectures.rota_detail",
    "lectures.download_material",
    "lectures.rota_unavailable",
    "lectures_api.list_sessions",
    "lectures_api.session_detail",
    "lectures_api.register_api",
    "lectures_api.cancel_api",
    "lectures_api.checkin_api",
}
PUBLIC = {"lectures.feed"}  # the secret token is the credential
# Refused (403/404) to a cadre who neither organises, speaks nor leads.
RESTRICTED = {
    "lectures.new_series",
    "lectures.edit_series",
    "lectures.series_results_page",
    "lectures.generate",
    "lectures.new_session",
    "lectures.edit_session",
    "lectures.cancel",
    "lectures.topic",
    "lectures.projector",
    "lectures.checkin_code",
    "lectures.checkin_qr",
    "lectures.attendance",
    "lectures.add_attendee",
    "lectures.complete",
    "lectures.upload_material",
    "lectures.add_session_note",
    "lectures.remove_material",
    "lectures.results",
    "lectures.new_rota",
    "lectures.rota_members",
    "lectures.rota_add_young",
    "lectures.rota_slots",
    "lectures.rota_remove_slot",
    "lectures.rota_propose",
    "lectures.rota_swap",
    "lectures.rota_publish",
    "lectures_api.results_api",
}


def _lecture_rules(app) -> list[Rule]:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] in ("lectures", "lectures_api")
    ]


def test_every_lecture_route_is_classified(app):
    endpoints = {r.endpoint for r in _lecture_rules(app)}
    assert endpoints == OPEN | PUBLIC | RESTRICTED


@pytest.fixture
def world(app):
    county, township, resident, trainer = make_org()
    series = make_series(trainer, township, name="东岭镇小课堂")
    speaker = make_user("daoshi", name="贺知远", unit=county)
    session = make_session(trainer, series, starts_in=timedelta(minutes=-10), speakers=[speaker])
    from io import BytesIO

    from learn.lectures import rotas
    from learn.lectures.materials import add_file

    material = add_file(speaker, session, BytesIO(b"%PDF-1.4 x"), "讲义.pdf", attendees_only=True)
    rota = rotas.create_rota(trainer, series, "上半年", session.starts_at.time(), 60, "会议室")
    rotas.add_slots(trainer, rota, [local_today() + timedelta(days=7)])
    db.session.commit()
    make_user("xueyuan", name="林一帆", unit=resident)
    other_unit = make_unit("柳坪镇纪委")
    make_user("otherpeixun", Role.TRAINER, name="外镇培训员", unit=other_unit)
    make_user("otherlead", Role.LEADER, name="外镇领导", unit=other_unit)
    return {
        "series_id": series.id,
        "session_id": session.id,
        "material_id": material.id,
        "rota_id": rota.id,
        "slot_id": db.session.scalars(db.select(RotaSlot.id)).first(),
        "user_id": speaker.id,
        "kind": "svg",
        "token": "nope",
    }


def _url(rule: Rule, ids: dict) -> str:
    return rule.build({arg: ids[arg] for arg in rule.arguments}, append_unknown=False)[1]


def _requests(app, ids, endpoints):
    for rule in _lecture_rules(app):
        if rule.endpoint in endpoints:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, _url(rule, ids)


@pytest.mark.parametrize("username", ["xueyuan", "otherpeixun", "otherlead"])
def test_restricted_pages_refuse_the_wrong_user(app, client, world, username):
    login(client, username)
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/lectures/").get_data(as_text=True)
    ).group(1)
    checked = 0
    # another unit's trainer may open "new series" — for their own unit only (see test_sessions)
    restricted = RESTRICTED - ({"lectures.new_series"} if username == "otherpeixun" else set())
    for method, url in _requests(app, world, restricted):
        response = client.open(
            url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
        )
        assert response.status_code in (403, 404), (username, method, url, response.status_code)
        checked += 1
    assert checked >= len(restricted)


def test_restricted_material_and_rota_dates_refuse_outsiders(app, client, world):
    login(client, "xueyuan")
    assert client.get(f"/lectures/materials/{world['material_id']}/download").status_code == 404
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/lectures/").get_data(as_text=True)
    ).group(1)
    response = client.post(
        f"/lectures/rotas/{world['rota_id']}/unavailable/{world['user_id']}",
        data={"csrf_token": token},
    )
    assert response.status_code == 403


def test_organiser_opens_every_page(app, client, world):
    login(client, "peixun")
    for rule in _lecture_rules(app):
        if "GET" not in rule.methods or rule.endpoint in PUBLIC:
            continue
        response = client.get(_url(rule, world))
        assert response.status_code == 200, (rule.endpoint, response.status_code)


def test_cadre_opens_the_open_pages(app, client, world):
    login(client, "xueyuan")
    for rule in _lecture_rules(app):
        if "GET" in rule.methods and rule.endpoint in OPEN - {"lectures.download_material"}:
            assert client.get(_url(rule, world)).status_code == 200, rule.endpoint


def test_session_form_rerenders_with_chinese_errors(app, client, world):
    login(client, "peixun")
    url = f"/lectures/series/{world['series_id']}/sessions/new"
    response = post_form(
        client,
        url,
        {
            "title": "",
            "day": "2027-13-01",
            "at": "25:00",
            "duration_minutes": "abc",
            "hours": "x",
            "audience": "everyone",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "请填写讲座题目",
        "请按“年-月-日”填写日期",
        "请按“时:分”填写时间",
        "请填写整数",
        "请填写数字",
    ):
        assert message in page, message
    rule_error = post_form(
        client,
        url,
        {
            "title": "没有地点",
            "day": "2027-03-05",
            "at": "14:30",
            "duration_minutes": "90",
            "hours": "2",
            "audience": "everyone",
        },
    )
    assert rule_error.status_code == 400
    assert "请填写地点或线上会议链接" in rule_error.get_data(as_text=True)


def test_trainer_creates_a_session_through_the_form(app, client, world):
    login(client, "peixun")
    response = post_form(
        client,
        f"/lectures/series/{world['series_id']}/sessions/new",
        {
            "title": "问题线索处置",
            "abstract": "讲清**五类处置方式**。",
            "day": "2027-03-05",
            "at": "14:30",
            "duration_minutes": "90",
            "hours": "2",
            "place": "第一会议室",
            "speaker_users": "daoshi",
            "speaker_guests": "赵某｜市纪委监委",
            "audience": "everyone",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "问题线索处置" in page and "<strong>五类处置方式</strong>" in page
    assert "2027年3月5日 14:30" in page and "贺知远" in page and "赵某" in page


def _user(username):
    return accounts.get_user_by_username(username)


def _csrf(client) -> str:
    page = client.get("/lectures/").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_markdown_in_abstracts_is_sanitized(app, client, world):
    session = get_session(world["session_id"])
    update_session(
        _user("peixun"),
        session,
        SessionData(
            title=session.title,
            abstract="<script>alert(1)</script>[点我](javascript:alert(2))",
            starts_at=session.starts_at,
            duration_minutes=90,
            hours=session.hours,
            place="会议室",
            speakers=[SpeakerInput(user_id=s.user_id) for s in session.speakers],
        ),
    )
    db.session.commit()
    login(client, "xueyuan")
    page = client.get(f"/lectures/sessions/{session.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "javascript:alert" not in page


def test_register_and_cancel_through_the_page_and_api(app, client, world):
    series = get_series(world["series_id"])
    upcoming = make_session(_user("peixun"), series, starts_in=timedelta(days=2), title="后天的课")
    login(client, "xueyuan")
    done = post_form(
        client,
        f"/lectures/sessions/{upcoming.id}/register",
        token_from=f"/lectures/sessions/{upcoming.id}",
        follow_redirects=True,
    )
    assert "报名成功" in done.get_data(as_text=True)
    api = client.get(f"/api/v1/lectures/sessions/{upcoming.id}").get_json()
    assert api["registration"]["registered"] is True
    listing = client.get("/api/v1/lectures/sessions").get_json()
    assert upcoming.id in [s["id"] for s in listing["sessions"]]
    headers = {"X-CSRFToken": _csrf(client)}
    url = f"/api/v1/lectures/sessions/{upcoming.id}/registration"
    assert client.delete(url, headers=headers).get_json() == {"registered": False}
    again = client.delete(url, headers=headers)
    assert again.status_code == 400 and "尚未报名" in again.get_json()["error"]
    bad = client.post(
        f"/api/v1/lectures/sessions/{upcoming.id}/checkin", json={"nope": 1}, headers=headers
    )
    assert bad.status_code == 400 and "code" in bad.get_json()["error"]
    assert client.get("/api/v1/lectures/sessions?from=2027-01-01&to=2026-01-01").status_code == 400
    assert client.get("/api/v1/lectures/sessions?from=garbage").status_code == 400
    assert client.get("/api/v1/lectures/sessions/999999").status_code == 404


def test_nav_entry_and_home_panel(app, client, world):
    session = get_session(world["session_id"])
    login(client, "daoshi")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/lectures/"' in home and ">讲堂<" in home
    assert "我的讲堂" in home and session.title in home


def test_trainer_generates_recurring_sessions_through_the_form(app, client, world):
    login(client, "peixun")
    url = f"/lectures/series/{world['series_id']}/generate"
    response = post_form(
        client,
        url,
        {
            "title": "第{n}期",
            "frequency": "monthly",
            "weekday": "4",
            "ordinal": "2",
            "month_in_quarter": "1",
            "first_day": "2027-01-01",
            "count": "3",
            "at": "15:00",
            "duration_minutes": "90",
            "hours": "1.5",
            "place": "第一会议室",
            "registration_days": "14",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "已按“每月第二个周五”生成 3 场讲座" in page
    assert "2027年2月12日 15:00" in page


def test_rota_from_form_to_published(app, client, world):
    login(client, "peixun")
    series_url = f"/lectures/series/{world['series_id']}"
    created = post_form(
        client,
        f"{series_url}/rotas/new",
        {"name": "下半年", "start_time": "15:00", "duration_minutes": "60", "place": "会议室"},
    )
    rota_url = created.headers["Location"]
    county = org.get_unit_by_name("县纪委监委机关")
    people = [
        make_user(f"young{i}", name=n, unit=make_unit(f"第{i}镇纪委", parent=county))
        for i, n in enumerate(["周书瑶", "马一鸣", "陆沐阳"])
    ]
    members = post_form(client, f"{rota_url}/members", {"members": [str(p.id) for p in people]})
    assert members.status_code == 302
    slots = post_form(
        client,
        f"{rota_url}/slots",
        {
            "frequency": "biweekly",
            "weekday": "4",
            "ordinal": "2",
            "first_day": "2027-03-01",
            "count": "4",
        },
        token_from=rota_url,
    )
    assert slots.status_code == 302
    proposed = post_form(client, f"{rota_url}/propose", token_from=rota_url, follow_redirects=True)
    assert "已生成轮值建议" in proposed.get_data(as_text=True)
    published = post_form(client, f"{rota_url}/publish", token_from=rota_url, follow_redirects=True)
    page = published.get_data(as_text=True)
    assert "轮值表已发布：生成 4 场讲座" in page
    assert page.count("的分享（选题待定）") == 4
