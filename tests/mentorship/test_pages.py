"""The pages do what a person expects: pairing, agreement, goals, meetings, dashboard."""

import csv
import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from learn.audit import AuditEvent
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.models import MentorGoal, MentorPairing
from learn.mentorship.states import PairingState
from tests.conftest import login, post_form
from tests.mentorship.factories import add_meeting, make_pairing, make_programme


def _token(client, url: str, prefix: str) -> str:
    """The CSRF token of the form with ``prefix`` on ``url``."""
    page = client.get(url).get_data(as_text=True)
    return re.search(rf'name="{prefix}csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _table(response) -> str:
    """The dashboard's pair table (the overview above it always covers every pair)."""
    return response.get_data(as_text=True).split("<table", 1)[1]


def _as(client, username):
    other = client.application.test_client()
    login(other, username)
    return other


def test_trainer_pairs_two_cadres_through_the_form(app, client):
    p = make_programme()
    login(client, "trainer")
    form = client.get("/mentorship/pairings/new").get_data(as_text=True)
    assert "贺知远（县纪委监委机关，已带 0/3）" in form
    today = local_today()
    bad = post_form(
        client,
        "/mentorship/pairings/new",
        {
            "mentor_id": p.mentor.id,
            "mentee_id": p.mentee.id,
            "start_on": today.isoformat(),
            "end_on": "2020-01-01",
        },
    )
    assert bad.status_code == 400
    assert "结束日期须晚于开始日期" in bad.get_data(as_text=True)
    good = post_form(
        client,
        "/mentorship/pairings/new",
        {
            "mentor_id": p.mentor.id,
            "mentee_id": p.mentee.id,
            "start_on": today.isoformat(),
            "end_on": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert good.status_code == 302
    pairing = db.session.scalar(db.select(MentorPairing))
    assert pairing.state == PairingState.PENDING
    # the mentee now has a mentor, so the form no longer offers them
    again = client.get("/mentorship/pairings/new").get_data(as_text=True)
    assert "林一帆（东岭镇纪委）" not in again


def test_pair_fills_and_signs_the_agreement_in_the_browser_forms(app, client):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee, state=PairingState.PENDING, goals=False)
    url = f"/mentorship/pairings/{pairing.id}/agreement"
    mentor = _as(client, "mentor")
    empty = post_form(mentor, url + "/goals", {"area": "work", "title": ""}, token_from=url)
    assert empty.status_code == 400 and "请填写目标" in empty.get_data(as_text=True)
    for area, title in (("work", "学会初核"), ("thought", "坚定信念"), ("life", "适应岗位")):
        assert (
            post_form(
                mentor, url + "/goals", {"area": area, "title": title}, token_from=url
            ).status_code
            == 302
        )
    assert (
        post_form(
            mentor, url, {"measures": "每月研读案例", "meeting_rhythm": "biweekly"}
        ).status_code
        == 302
    )
    goal = db.session.scalar(db.select(MentorGoal).where(MentorGoal.title == "学会初核"))
    edit = f"/mentorship/pairings/{pairing.id}/goals/{goal.id}/edit"
    assert post_form(mentor, edit, {"area": "work", "title": "学会初步核实"}).status_code == 302
    assert post_form(mentor, url + "/sign", {}, token_from=url).status_code == 302
    mentee = _as(client, "mentee")
    page = mentee.get(url).get_data(as_text=True)
    assert "学会初步核实" in page and "签订协议" in page
    assert post_form(mentee, url + "/sign", {}, token_from=url).status_code == 302
    db.session.expire_all()
    pairing = db.session.get(MentorPairing, pairing.id)
    assert pairing.state == PairingState.ACTIVE
    assert pairing.agreement.meeting_rhythm == "biweekly"
    printed = mentee.get(url + "/print").get_data(as_text=True)
    assert "师徒帮带协议" in printed and "在平台确认签订" in printed and "每两周一次" in printed
    assert mentor.get(edit).status_code == 409  # signed: frozen


def test_goal_page_milestones_tasks_comments_and_progress(app, client):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    goal = pairing.goals[0]
    base = f"/mentorship/pairings/{pairing.id}/goals/{goal.id}"
    mentor = _as(client, "mentor")
    bad = post_form(mentor, base + "/milestones", {"title": "x", "due_day": "-3"}, token_from=base)
    assert bad.status_code == 400 and "0–1098" in bad.get_data(as_text=True)
    assert (
        post_form(
            mentor,
            base + "/milestones",
            {"title": "起草初核报告", "due_day": "90"},
            token_from=base,
        ).status_code
        == 302
    )
    mentee = _as(client, "mentee")
    assert (
        post_form(
            mentee, base + "/tasks", {"title": "学习检举控告工作规则"}, token_from=base
        ).status_code
        == 302
    )
    assert (
        post_form(mentee, base + "/tasks", {"title": "旁听一次谈话"}, token_from=base).status_code
        == 302
    )
    db.session.expire_all()
    goal = db.session.get(MentorGoal, goal.id)
    task = goal.tasks[0]
    assert goal.milestones[0].due_on == pairing.start_on + timedelta(days=90)
    prefix = f"task{task.id}-"
    comment = mentee.post(
        f"{base}/tasks/{task.id}/comments",
        data={
            prefix + "csrf_token": _token(mentee, base, prefix),
            prefix + "body": "第三章还不太懂。",
        },
    )
    assert comment.status_code == 302
    assert (
        post_form(
            mentee, f"{base}/tasks/{task.id}/done", {"done": "1"}, token_from=base
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(MentorGoal, goal.id).percent == 50  # one of two tasks done

    no_note = post_form(
        mentor, base + "/progress", {"mode": "manual", "percent": "80"}, token_from=base
    )
    assert no_note.status_code == 400 and "请写明依据" in no_note.get_data(as_text=True)
    assert (
        post_form(
            mentor,
            base + "/progress",
            {"mode": "manual", "percent": "80", "note": "初核报告已成稿"},
            token_from=base,
        ).status_code
        == 302
    )
    assert (
        post_form(mentee, base + "/progress", {"mode": "tasks"}, token_from=base).status_code == 403
    )
    db.session.expire_all()
    goal = db.session.get(MentorGoal, goal.id)
    assert goal.percent == 80
    page = mentor.get(base).get_data(as_text=True)
    assert "第三章还不太懂。" in page and "初核报告已成稿" in page


def test_meeting_form_shows_errors_and_mentee_confirms(app, client):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    new = f"/mentorship/pairings/{pairing.id}/meetings/new"
    mentor = _as(client, "mentor")
    bad = post_form(mentor, new, {"held_on": "not-a-date", "meeting_type": "谈心谈话", "topic": ""})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "请填写有效日期" in text and "请填写见面主题" in text
    assert (
        post_form(
            mentor,
            new,
            {
                "held_on": local_today().isoformat(),
                "meeting_type": "业务指导",
                "topic": "信访件分析",
                "notes": "讲解五类处置方式",
            },
        ).status_code
        == 302
    )
    mentee = _as(client, "mentee")
    log = f"/mentorship/pairings/{pairing.id}/meetings"
    assert "确认这次见面" in mentee.get(log).get_data(as_text=True)
    meeting = db.session.get(MentorPairing, pairing.id).meetings[0]
    assert post_form(mentee, f"{log}/{meeting.id}/confirm", {}, token_from=log).status_code == 302
    db.session.expire_all()
    assert db.session.get(MentorPairing, pairing.id).meetings[0].confirmed_at is not None


def test_dashboard_counts_filters_and_ending_soon(app, client):
    p = make_programme()
    on_track = make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=340))
    add_meeting(on_track, 5)
    make_pairing(p.other_mentor, p.other_mentee, start=local_today() - timedelta(days=100))
    login(client, "trainer")
    page = client.get("/mentorship/dashboard").get_data(as_text=True)
    assert "即将期满" in page and "还有 25 天" in page
    inactive = _table(client.get("/mentorship/dashboard?health=inactive"))
    assert "赵一诺" in inactive and "林一帆" not in inactive
    assert "严重不活跃" in inactive
    by_unit = _table(client.get(f"/mentorship/dashboard?unit={p.town_a.id}"))
    assert "林一帆" in by_unit and "赵一诺" not in by_unit
    assert client.get("/mentorship/dashboard?state=nonsense&unit=abc").status_code == 200


def test_exports_open_with_their_chinese_text(app, client):
    p = make_programme()
    make_pairing(p.mentor, p.mentee)
    make_pairing(p.other_mentor, p.other_mentee, state=PairingState.PENDING)
    login(client, "trainer")
    raw = client.get("/mentorship/dashboard.csv")
    assert raw.headers["Content-Type"].startswith("text/csv")
    assert raw.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["导师", "导师单位", "学员"]
    assert {r[2] for r in rows[1:]} == {"林一帆", "赵一诺"}
    assert "待确认" in {r[6] for r in rows[1:]}
    filtered = client.get("/mentorship/dashboard.csv?state=pending").data.decode("utf-8-sig")
    assert "赵一诺" in filtered and "林一帆" not in filtered
    book = load_workbook(io.BytesIO(client.get("/mentorship/dashboard.xlsx").data))
    sheet = book["师徒帮带"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "导师"
    assert {v[2] for v in values[1:]} == {"林一帆", "赵一诺"}
    exported = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "mentorship_exported")
    ).all()
    assert len(exported) == 3 and exported[-1].endswith(".xlsx")


def test_index_and_home_panel_adapt_to_the_user(app, client):
    p = make_programme()
    make_pairing(p.mentor, p.mentee, state=PairingState.PENDING)
    mentee = _as(client, "mentee")
    assert "帮带协议待您签订" in mentee.get("/mentorship/").get_data(as_text=True)
    assert "我的导师：贺知远" in mentee.get("/").get_data(as_text=True)
    mentor = _as(client, "mentor")
    index = mentor.get("/mentorship/").get_data(as_text=True)
    assert "我带的学员" in index and "林一帆" in index
    trainer = _as(client, "trainer")
    assert "帮带工作台" in trainer.get("/").get_data(as_text=True)
    nobody = _as(client, "mentee2")
    assert "您目前没有帮带关系" in nobody.get("/mentorship/").get_data(as_text=True)
    assert "我的导师" not in nobody.get("/").get_data(as_text=True)


def test_exports_do_not_hand_formulas_to_excel(app, client):
    p = make_programme()
    p.mentor.name = "=HYPERLINK(1)"
    db.session.commit()
    make_pairing(p.mentor, p.mentee)
    login(client, "trainer")
    rows = list(
        csv.reader(io.StringIO(client.get("/mentorship/dashboard.csv").data.decode("utf-8-sig")))
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_state_change_pages_offer_only_allowed_steps(app, client):
    p = make_programme()
    ended = make_pairing(p.mentor, p.mentee, state=PairingState.TERMINATED)
    login(client, "trainer")
    base = f"/mentorship/pairings/{ended.id}"
    assert "管理操作" not in client.get(base).get_data(as_text=True)
    refused = client.get(base + "/extend")
    assert refused.status_code == 409 and "已终止" in refused.get_data(as_text=True)
    active = make_pairing(p.other_mentor, p.other_mentee)
    page = client.get(f"/mentorship/pairings/{active.id}").get_data(as_text=True)
    assert "提前结束帮带期" in page and "终止帮带" in page
    no_reason = post_form(client, f"/mentorship/pairings/{active.id}/terminate", {"reason": ""})
    assert no_reason.status_code == 400 and "请填写原因" in no_reason.get_data(as_text=True)
