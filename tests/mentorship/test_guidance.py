"""挂联指导: a leader's picture of a linked unit, and guidance visits."""

from datetime import timedelta

from learn.accounts import Role
from learn.core.timefmt import local_today
from learn.demo import load_demo
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.mentorship.models import GuidanceVisit
from learn.mentorship.services import guidance
from learn.org import services as org
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.mentorship.factories import add_meeting, make_pairing, make_programme


def test_unit_picture_people_hours_and_pairs(app, client):
    p = make_programme()
    make_user("cadre", name="唐语桐", unit=p.town_a, position="纪检干事")
    credit_hours(p.mentee.id, SourceType.MANUAL, "g-1", 45, "集中轮训")
    pairing = make_pairing(p.mentor, p.mentee, start=local_today() - timedelta(days=100))
    add_meeting(pairing, 50)
    db.session.commit()
    login(client, "leader")
    page = client.get(f"/guidance/units/{p.town_a.id}").get_data(as_text=True)
    assert "唐语桐" in page and "林一帆" in page
    assert "赵一诺" not in page  # another unit's cadre
    assert "45.0 / 90.0" in page
    assert "导师 贺知远" in page and "不活跃" in page
    overview = client.get("/guidance/").get_data(as_text=True)
    assert "东岭镇纪委" in overview and "河湾镇纪委" not in overview


def test_required_course_completion_comes_from_the_courses_domain(app, client):
    from learn.courses import required_completion

    load_demo(app, echo=lambda *_: None)
    unit = org.get_unit_by_name("东岭镇纪委")
    picture = guidance.unit_picture(unit)
    expected = [required_completion(row.user) for row in picture.people]
    assert [row.required for row in picture.people] == expected
    done, total = picture.required_done
    assert total > 0 and (done, total) == tuple(map(sum, zip(*expected, strict=True)))
    login(client, "lingdao", "learn2026")
    page = client.get(f"/guidance/units/{unit.id}").get_data(as_text=True)
    assert f"完成 {done} / {total} 门次" in page


def test_leader_logs_and_deletes_own_visits(app, client):
    p = make_programme()
    other_leader = make_user("leader2", Role.LEADER, name="魏长青")
    org.set_leader_links(None, other_leader, {p.town_a.id})
    db.session.add(
        GuidanceVisit(
            leader_id=other_leader.id,
            unit_id=p.town_a.id,
            visited_on=local_today(),
            kind="座谈交流",
            topic="魏长青的座谈",
        )
    )
    db.session.commit()
    url = f"/guidance/units/{p.town_a.id}"
    login(client, "leader")
    future = (local_today() + timedelta(days=3)).isoformat()
    bad = post_form(client, url, {"visited_on": future, "kind": "调研指导", "topic": "调研"})
    assert bad.status_code == 400 and "不能晚于今天" in bad.get_data(as_text=True)
    good = post_form(
        client,
        url,
        {"visited_on": local_today().isoformat(), "kind": "调研指导", "topic": "规范化建设调研"},
    )
    assert good.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "规范化建设调研" in page and "魏长青的座谈" in page
    mine = db.session.scalar(db.select(GuidanceVisit).where(GuidanceVisit.leader_id == p.leader.id))
    theirs = db.session.scalar(
        db.select(GuidanceVisit).where(GuidanceVisit.leader_id == other_leader.id)
    )
    mine_id, theirs_id = mine.id, theirs.id
    refused = post_form(client, f"{url}/visits/{theirs_id}/delete", {}, token_from=url)
    assert refused.status_code == 404
    assert (
        post_form(client, f"{url}/visits/{mine_id}/delete", {}, token_from=url).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(GuidanceVisit, theirs_id) is not None
    assert db.session.get(GuidanceVisit, mine_id) is None
