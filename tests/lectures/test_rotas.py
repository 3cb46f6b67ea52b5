"""The 人人登讲台 rota in the platform: propose, swap, publish, notify, overview, checklist."""

import io
from datetime import time, timedelta

import pytest

from learn.core.timefmt import local_today
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.lectures import rotas
from learn.lectures.materials import add_file
from learn.lectures.models import SeriesType
from learn.lectures.rota import NoRotaPossible
from learn.lectures.sessions import submit_topic
from learn.notifications import Notification
from learn.org import UnitType
from tests.conftest import login, post_form
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_org, make_series


@pytest.fixture
def pool(app):
    county, township, _resident, trainer = make_org()
    other = make_unit("城关镇纪委", UnitType.TOWNSHIP, parent=county)
    series = make_series(trainer, county, kind=SeriesType.PODIUM, name="人人登讲台")
    people = [
        make_user(f"young{i}", name=name, unit=(township if i % 2 else other), birth_year=1998)
        for i, name in enumerate(["周书瑶", "马一鸣", "陆沐阳", "何嘉树"])
    ]
    rota = rotas.create_rota(trainer, series, "上半年", time(15, 0), 60, "会议室")
    rotas.set_members(trainer, rota, {p.id for p in people})
    first = local_today() + timedelta(days=3)
    rotas.add_slots(trainer, rota, [first + timedelta(days=14 * i) for i in range(6)])
    db.session.commit()
    return trainer, series, rota, people


def test_propose_fills_every_slot_fairly_and_publish_notifies(app, pool):
    trainer, _series, rota, people = pool
    day = rotas.ordered_slots(rota)[0].day
    rotas.set_unavailable(people[0], rota, people[0].id, {day})
    rotas.propose(trainer, rota)
    slots = rotas.ordered_slots(rota)
    assert slots[0].lecturer_id != people[0].id
    assert sorted(s.lecturer_id for s in slots[:4]) == sorted(p.id for p in people)
    assert rotas.problems(rota) == []
    sessions = rotas.publish(trainer, rota)
    db.session.commit()
    assert len(sessions) == 6 and all(not s.topic_confirmed for s in sessions)
    for person in people:
        titles = db.session.scalars(
            db.select(Notification.title).where(Notification.user_id == person.id)
        ).all()
        assert titles and all(t.startswith("您已排入人人登讲台") for t in titles)
    with pytest.raises(LearnError, match="已发布"):
        rotas.propose(trainer, rota)


def test_swap_keeps_the_rules_and_refuses_what_breaks_them(app, pool):
    trainer, _series, rota, _people = pool
    rotas.propose(trainer, rota)
    slots = rotas.ordered_slots(rota)
    a, b = slots[0], slots[1]
    first, second = a.lecturer_id, b.lecturer_id
    rotas.swap(trainer, rota, a.id, b.id)
    assert (a.lecturer_id, b.lecturer_id) == (second, first)
    # across rounds somebody would lecture twice before another once
    later = next(s for s in slots[4:] if s.lecturer_id != slots[0].lecturer_id)
    with pytest.raises(LearnError, match="讲了两次"):
        rotas.swap(trainer, rota, slots[0].id, later.id)
    # onto a date the person cannot do
    blocked_for = slots[1].lecturer_id
    rotas.set_unavailable(trainer, rota, blocked_for, {slots[0].day})
    with pytest.raises(LearnError, match="不能到场"):
        rotas.swap(trainer, rota, slots[0].id, slots[1].id)


def test_swap_after_publishing_moves_the_sessions_and_tells_both(app, pool):
    trainer, _series, rota, _people = pool
    rotas.propose(trainer, rota)
    rotas.publish(trainer, rota)
    db.session.commit()
    a, b = rotas.ordered_slots(rota)[:2]
    rotas.swap(trainer, rota, a.id, b.id)
    db.session.commit()
    assert a.session.speaker_user_ids == {a.lecturer_id}
    assert a.lecturer.name in a.session.title
    note = db.session.scalars(
        db.select(Notification)
        .where(Notification.user_id == b.lecturer_id)
        .order_by(Notification.id.desc())
    ).first()
    assert note.title.startswith("人人登讲台日期调整")


def test_infeasible_rota_is_explained_on_the_page(app, client, pool):
    trainer, _series, rota, people = pool
    slot_days = {s.day for s in rota.slots}
    rotas.set_unavailable(trainer, rota, people[1].id, slot_days)
    db.session.commit()
    with pytest.raises(NoRotaPossible):
        rotas.propose(trainer, rota)
    login(client, "peixun")
    response = post_form(
        client, f"/lectures/rotas/{rota.id}/propose", token_from=f"/lectures/rotas/{rota.id}"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "无法排出符合规则的轮值表" in page and "马一鸣" in page


def test_overview_shows_who_taught_who_is_next_and_who_never_taught(app, pool):
    trainer, _series, rota, _people = pool
    rotas.propose(trainer, rota)
    rotas.publish(trainer, rota)
    db.session.commit()
    first = rotas.ordered_slots(rota)[0]
    view = rotas.overview(rota)
    assert view.next_slot.id == first.id
    assert view.taught == [] and len(view.never_taught) == 4
    later = first.session.ends_at + timedelta(minutes=1)
    view = rotas.overview(rota, now=later)
    assert [m.user.id for m in view.taught] == [first.lecturer_id]
    assert len(view.never_taught) == 3


def test_lecturer_sees_slot_and_checklist(app, client, pool):
    trainer, _series, rota, _people = pool
    rotas.propose(trainer, rota)
    rotas.publish(trainer, rota)
    db.session.commit()
    slot = rotas.ordered_slots(rota)[0]
    lecturer = slot.lecturer
    items = rotas.my_teaching(lecturer)
    assert items and not items[0].topic_done and not items[0].materials_done
    submit_topic(lecturer, slot.session, "一次信访件的办理复盘", "复盘办理过程。")
    add_file(lecturer, slot.session, io.BytesIO(b"%PDF-1.4 x"), "讲稿.pdf")
    db.session.commit()
    assert rotas.my_teaching(lecturer)[0].done
    login(client, lecturer.username)
    page = client.get("/lectures/teaching").get_data(as_text=True)
    assert "一次信访件的办理复盘" in page and "✓ 提交选题" in page


def test_only_organisers_change_the_rota_and_members_only_their_own_dates(app, client, pool):
    _trainer, _series, rota, people = pool
    day = rotas.ordered_slots(rota)[0].day
    with pytest.raises(PermissionDenied):
        rotas.propose(people[0], rota)
    with pytest.raises(PermissionDenied):
        rotas.set_unavailable(people[0], rota, people[1].id, {day})
    outsider = make_user("waibu")
    with pytest.raises(PermissionDenied):
        rotas.set_unavailable(outsider, rota, outsider.id, {day})
    login(client, people[0].username)
    for url in ("propose", "publish", "members", "slots", "swap"):
        assert (
            post_form(
                client, f"/lectures/rotas/{rota.id}/{url}", token_from=f"/lectures/rotas/{rota.id}"
            ).status_code
            == 403
        )
    ok = post_form(
        client,
        f"/lectures/rotas/{rota.id}/unavailable/{people[0].id}",
        {"days": day.isoformat()},
        token_from=f"/lectures/rotas/{rota.id}",
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert rotas.unavailable_map(rotas.get_rota(rota.id))[people[0].id] == {day}
