"""Self-practice through the pages: choose, ask, reach an ending, credit hours once, try again."""

from decimal import Decimal

from learn.drills.models import SimulationRun
from learn.drills.services import cards
from learn.extensions import db
from learn.ledger import entries_for
from tests.conftest import login, post_form
from tests.drills.factories import CARD, copy_cards, edit, sync_bundled, use_cards
from tests.factories import make_user

PATH = ["full", "basis", "narrate", "ask-relation", "show-record", "pause", "policy-talk"]


def _start(client) -> int:
    response = post_form(
        client, f"/drills/cards/{CARD}/practice", token_from=f"/drills/cards/{CARD}"
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _choose(client, run_id, option):
    url = f"/drills/practice/{run_id}"
    response = post_form(client, f"{url}/choose", {"option": option}, token_from=url)
    assert response.status_code == 302
    return response


def _ask(client, run_id, question):
    url = f"/drills/practice/{run_id}"
    return post_form(client, f"{url}/ask", {"question": question}, token_from=url)


def test_a_trainee_plays_to_the_best_ending_and_sees_path_scores_and_feedback(app):
    sync_bundled()
    user = make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    run_id = _start(client)
    page = client.get(f"/drills/practice/{run_id}").get_data(as_text=True)
    assert "练习说明" in page and "你的应对" in page
    for option in PATH:
        _choose(client, run_id, option)
    assert _ask(client, run_id, "刘某家有货车吗？他媳妇在工厂上班交社保吗？").status_code == 302
    for option in ("record", "proper"):
        _choose(client, run_id, option)
    page = client.get(f"/drills/practice/{run_id}").get_data(as_text=True)
    assert "结局：如实说明" in page
    assert "刘某某如实说明了问题" in page
    assert "我的路径" in page and "识别为：用车辆、社保信息追问收入" in page
    assert "本次得分" in page and "再练一次" in page
    run = db.session.get(SimulationRun, run_id)
    assert run.finished and run.ending_id == "explains"
    assert run.percent > Decimal(80)
    entries = [e for e in entries_for(user.id) if e.source_type == "drill"]
    assert [(e.source_id, e.hours, e.online) for e in entries] == [
        (f"simulation-{CARD}", Decimal("0.5"), True)
    ]
    card_page = client.get(f"/drills/cards/{CARD}").get_data(as_text=True)
    assert "谈话目的" in card_page  # the reference plan opens after a finished run


def test_an_unmatched_question_keeps_the_trainee_where_they_are(app):
    sync_bundled()
    make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    run_id = _start(client)
    _choose(client, run_id, "template")
    assert _ask(client, run_id, "中午吃什么").status_code == 302
    page = client.get(f"/drills/practice/{run_id}").get_data(as_text=True)
    assert "系统未能识别这句提问的意图" in page
    assert db.session.get(SimulationRun, run_id).node_id == "open"


def test_bad_questions_rerender_with_errors(app):
    sync_bundled()
    make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    run_id = _start(client)
    empty = _ask(client, run_id, "")
    assert empty.status_code == 400 and "请输入要问的话" in empty.get_data(as_text=True)
    # the first node has options only: a typed question is refused with a reason
    refused = _ask(client, run_id, "你好")
    assert refused.status_code == 400 and "请从列出的应对中选择" in refused.get_data(as_text=True)
    bad_option = _choose(client, run_id, "no-such-option")
    page = client.get(bad_option.headers["Location"])
    assert page.status_code == 200
    assert "该选项已不可用" in page.get_data(as_text=True)


def test_hours_are_credited_once_however_often_the_card_is_practised(app):
    sync_bundled()
    user = make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    for _ in range(2):
        run_id = _start(client)
        for option in ("template", "accuse", "slam", "end"):
            _choose(client, run_id, option)
        assert db.session.get(SimulationRun, run_id).ending_id == "stonewall"
    assert len([e for e in entries_for(user.id) if e.source_type == "drill"]) == 1


def test_runs_are_private(app):
    sync_bundled()
    make_user("zhang")
    make_user("lisi")
    owner = app.test_client()
    login(owner, "zhang")
    run_id = _start(owner)
    other = app.test_client()
    login(other, "lisi")
    assert other.get(f"/drills/practice/{run_id}").status_code == 404
    token_page = "/drills/"
    assert (
        post_form(
            other, f"/drills/practice/{run_id}/choose", {"option": "full"}, token_from=token_page
        ).status_code
        == 404
    )
    assert (
        post_form(
            other, f"/drills/practice/{run_id}/ask", {"question": "依据"}, token_from=token_page
        ).status_code
        == 404
    )


def test_a_run_on_a_changed_card_must_start_again(app, tmp_path):
    folder = copy_cards(tmp_path)
    use_cards(folder)
    make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    run_id = _start(client)
    edit(folder / f"{CARD}.sim.yaml", "每一步从列出的应对中选择", "每一步请从列出的应对中选择")
    cards.sync_cards()
    db.session.commit()
    page = client.get(f"/drills/practice/{run_id}").get_data(as_text=True)
    assert "案例卡内容已更新" in page
    _choose(client, run_id, "full")
    assert db.session.get(SimulationRun, run_id).steps == []


def test_a_card_without_a_simulation_has_no_practice(app):
    sync_bundled()
    make_user("zhang")
    client = app.test_client()
    login(client, "zhang")
    no_sim = next(c for c in cards.active_cards() if not c.has_simulation)
    response = post_form(client, f"/drills/cards/{no_sim.id}/practice", token_from="/drills/")
    assert response.status_code == 404
