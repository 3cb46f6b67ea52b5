"""Trainee history, the progress section, the case slot, card sync and the demo loader."""

from flask import render_template

from learn.core.nav import nav_for
from learn.core.progress import progress_sections
from learn.core.slots import render_slot
from learn.drills.models import DrillCard, DrillCriterion, DrillSession, Phase
from learn.drills.services import cards, history
from learn.extensions import db
from tests.conftest import login
from tests.drills.factories import (
    CARD,
    cast,
    copy_cards,
    open_session,
    sync_bundled,
    to_phase,
    use_cards,
)


def _released(app):
    sync_bundled()
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.REVIEW)
    return trainer, people, session


def test_history_shows_every_exercise_trend_and_weakest_criteria(app):
    _trainer, people, session = _released(app)
    record = history.history_of(people["lead"])
    assert [s.id for s, _role in record.sessions] == [session.id]
    assert len(record.scored) == 1
    # strategy: levels 3 and 1 → mean 2 → 50%, the weakest of the two assessments
    assert record.weakest[0][0].id == "strategy"
    assert str(record.weakest[0][1]) == "50.0"
    client = app.test_client()
    login(client, "lead")
    page = client.get("/drills/history").get_data(as_text=True)
    assert "需要加强的方面" in page and "谈话策略" in page
    assert "谈话提醒与诫勉谈话实务" in page  # a course that trains the weak criterion
    assert "/courses/tanhua-tixing-jiemian" in page
    assert "角色扮演 · 主谈人" in page
    assert '<svg class="chart"' not in page  # one exercise is no trend yet
    _finish_a_run(people["lead"])
    page = client.get("/drills/history").get_data(as_text=True)
    assert '<svg class="chart"' in page and "谈话策略得分趋势" in page
    assert "自主练习" in page


def _finish_a_run(user):
    from learn.content.drills import simulation_from_data
    from learn.drills.services import practice

    card = cards.get_card(CARD)
    sim = simulation_from_data(card.simulation)
    run = practice.start_run(user, card)
    while not run.finished:
        practice.choose(run, sim.node(run.node_id).options[0].id)
    db.session.commit()


def test_subject_and_assessors_are_not_scored(app):
    _trainer, people, _session = _released(app)
    for key in ("subject", "assessor_a"):
        record = history.history_of(people[key])
        assert record.sessions and not record.scored


def test_the_progress_section_shows_per_criterion_results(app):
    _trainer, people, _session = _released(app)
    sections = [s for s in progress_sections(app, people["lead"]) if s.key == "drills"]
    assert len(sections) == 1
    section = sections[0]
    assert section.series["谈话策略"][0][1] == 50  # the weakest criterion is charted
    assert "综合得分" in section.series
    assert section.context["chart"] is None  # one exercise is no trend yet
    with app.test_request_context():
        html = render_template(section.template, section=section)
    assert "谈话策略" in html and "50.0" in html
    _finish_a_run(people["lead"])
    section = next(s for s in progress_sections(app, people["lead"]) if s.key == "drills")
    assert "模拟谈话得分趋势" in str(section.context["chart"])
    assert not [s for s in progress_sections(app, people["spare"]) if s.key == "drills"]


def test_the_case_slot_lists_the_cards_that_cite_a_case(app):
    sync_bundled()
    with app.test_request_context():
        html = str(render_slot("case_cited_by", case_id="dibao-maoling-2022-01"))
        assert "引用本案例的模拟谈话案例卡" in html
        assert f"/drills/cards/{CARD}" in html
        assert str(render_slot("case_cited_by", case_id="no-such-case")) == ""


def test_nav_entry_and_home_panel(app):
    trainer, people, session = _released(app)
    entry = next(i for i in nav_for(app, people["spare"]) if i.endpoint == "drills.index")
    assert (entry.label, entry.order) == ("模拟谈话", 35)
    from learn.drills.panels import home_panel

    panel = home_panel(people["assessor_a"])
    assert panel.title == "模拟谈话"
    assert home_panel(people["spare"]) is None
    to_phase(trainer, people, session, Phase.CLOSED)
    assert home_panel(people["assessor_a"]) is None


def test_sync_upserts_skips_unchanged_and_archives_removed_cards(app, tmp_path):
    folder = copy_cards(tmp_path, names=(CARD, "tixing-chuangkou-zuofeng"))
    current = app.config
    current["DRILLS_DIR"] = str(folder)
    first = cards.sync_cards()
    assert sorted(first.created) == [CARD, "tixing-chuangkou-zuofeng"]
    assert db.session.get(DrillCriterion, "plan").courses[0]["title"]
    again = cards.sync_cards()
    assert sorted(again.unchanged) == [CARD, "tixing-chuangkou-zuofeng"]
    (folder / "tixing-chuangkou-zuofeng.md").unlink()
    removed = cards.sync_cards()
    assert removed.archived == ["tixing-chuangkou-zuofeng"]
    assert db.session.get(DrillCard, "tixing-chuangkou-zuofeng").archived
    assert [c.id for c in cards.active_cards()] == [CARD]
    copy_cards(tmp_path, names=("tixing-chuangkou-zuofeng",))
    back = cards.sync_cards()
    assert back.updated == ["tixing-chuangkou-zuofeng"]
    db.session.commit()


def test_an_archived_card_keeps_its_sessions_but_leaves_the_library(app, tmp_path):
    folder = copy_cards(tmp_path, names=(CARD, "tixing-chuangkou-zuofeng"))
    use_cards(folder)
    trainer, people, group = cast()
    session = to_phase(trainer, people, open_session(trainer, people, group), Phase.REVIEW)
    (folder / f"{CARD}.md").unlink()
    (folder / f"{CARD}.sim.yaml").unlink()
    cards.sync_cards()
    db.session.commit()
    client = app.test_client()
    login(client, "lead")
    assert client.get(f"/drills/cards/{CARD}").status_code == 404
    assert client.get(f"/drills/sessions/{session.id}").status_code == 200
    assert CARD not in client.get("/drills/").get_data(as_text=True)


def test_the_demo_loader_is_idempotent(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    assert "模拟谈话案例卡" in result.output
    db.session.expire_all()
    drills = db.session.scalars(db.select(DrillSession).order_by(DrillSession.id)).all()
    assert [s.phase for s in drills] == [Phase.CLOSED, Phase.PREPARING]
    assert db.session.scalar(db.select(db.func.count()).select_from(DrillCard)) >= 8
