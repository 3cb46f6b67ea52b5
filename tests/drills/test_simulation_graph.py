"""Simulation graphs: no dead ends, no loops, every node and ending reachable; the engine."""

from functools import cache
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learn.content import ContentProblems
from learn.content.drills import (
    load_cards,
    parse_simulation,
    simulation_from_data,
    simulation_to_data,
)
from learn.drills import simulation as engine
from learn.drills.services import cards
from tests.drills.factories import BUNDLED, CARD, copy_cards, line_of

CRITERIA = {"plan", "policy", "strategy", "evidence", "rapport", "safety", "record"}

SMALL = """\
start: a
hours: 0.5
intro: 练习说明
nodes:
  - id: a
    says: 你好
    options:
      - id: x
        text: 问一
        goto: b
        effects: {policy: 1}
      - id: y
        text: 问二
        goto: end2
        sets: [f]
    ask:
      prompt: 可以直接提问
      fallback: 没听懂
      intents:
        - id: t
          label: 问经过
          keywords: [经过, 过程]
          goto: b
          effects: {strategy: 2}
  - id: b
    says: 嗯
    options:
      - id: x
        text: 结束
        goto: end1
endings:
  - id: end1
    outcome: 如实说明
    title: 好
    text: 好结局
  - id: end2
    outcome: 拒不说明
    title: 坏
    text: 坏结局
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.sim.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return path


def _error(tmp_path, text: str, rule: str):
    path = _write(tmp_path, text)
    with pytest.raises(ContentProblems) as caught:
        parse_simulation(path, CRITERIA)
    errors = [e for e in caught.value.errors if e.rule == rule]
    assert errors, [str(e) for e in caught.value.errors]
    assert errors[0].path.endswith("s.sim.yaml")
    return path, errors[0]


def test_a_small_simulation_parses(tmp_path):
    sim = parse_simulation(_write(tmp_path, SMALL), CRITERIA)
    assert [n.id for n in sim.nodes] == ["a", "b"]
    assert sim.best == {"policy": 1, "strategy": 2}
    assert simulation_from_data(simulation_to_data(sim)) == sim


def test_a_node_without_options_is_a_dead_end(tmp_path):
    text = SMALL.replace(
        """    options:
      - id: x
        text: 结束
        goto: end1
""",
        "    options: []\n",
    )
    path, error = _error(tmp_path, text, "死路")
    assert error.line == line_of(path, "options: []")


def test_a_missing_target_is_reported_at_its_goto(tmp_path):
    path, error = _error(tmp_path, SMALL.replace("goto: end1", "goto: nowhere"), "引用")
    assert error.line == line_of(path, "goto: nowhere")
    assert "nowhere" in error.message


def test_a_loop_is_reported(tmp_path):
    path, error = _error(tmp_path, SMALL.replace("goto: end1", "goto: a"), "循环")
    assert "a → b → a" in error.message
    assert error.line == line_of(path, "- id: a")


def test_an_unreachable_node_is_reported(tmp_path):
    text = SMALL.replace(
        "endings:",
        """  - id: c
    says: 没人来过
    options:
      - id: x
        text: 走
        goto: end1
endings:""",
    )
    path, error = _error(tmp_path, text, "不可达")
    assert error.line == line_of(path, "- id: c")


def test_an_unreachable_ending_is_reported(tmp_path):
    text = (
        SMALL
        + """  - id: end3
    outcome: 安全事件
    title: 无法到达
    text: 没有路通向这里
"""
    )
    path, error = _error(tmp_path, text, "不可达")
    assert error.line == line_of(path, "- id: end3")


def test_an_ending_behind_a_flag_that_is_never_set_on_the_way_is_unreachable(tmp_path):
    # f is set only on the choice that goes straight to end2, so b never sees it.
    text = (
        SMALL.replace(
            "        goto: end1\n",
            "        goto:\n          - if: f\n            to: end3\n          - to: end1\n",
        )
        + """  - id: end3
    outcome: 安全事件
    title: 只在标记下出现
    text: 到不了
"""
    )
    path, error = _error(tmp_path, text, "不可达")
    assert "end3" in error.message
    assert error.line == line_of(path, "- id: end3")


def test_a_conditional_branch_needs_a_default(tmp_path):
    text = SMALL.replace(
        "        goto: end1\n", "        goto:\n          - if: f\n            to: end1\n"
    )
    path, error = _error(tmp_path, text, "死路")
    assert error.line == line_of(path, "- if: f")


def test_a_condition_on_a_flag_nobody_sets(tmp_path):
    text = SMALL.replace(
        "        goto: end1\n",
        "        goto:\n          - if: ghost\n            to: end2\n          - to: end1\n",
    )
    path, error = _error(tmp_path, text, "引用")
    assert "ghost" in error.message
    assert error.line == line_of(path, "- if: ghost")


@pytest.mark.parametrize(
    ("old", "new", "rule", "anchor"),
    [
        ("effects: {policy: 1}", "effects: {charm: 1}", "引用", "charm"),
        ("effects: {policy: 1}", "effects: {policy: 9}", "分值", "policy: 9"),
        ("start: a", "start: zz", "引用", "start: zz"),
        ("  - id: b\n", "  - id: end1\n", "重复", "- id: end1\n    outcome"),
        ("keywords: [经过, 过程]", "keywords: []", "格式", "keywords: []"),
        ("outcome: 拒不说明", "outcome: 还行", "取值", "outcome: 还行"),
    ],
)
def test_other_simulation_errors_name_their_line(tmp_path, old, new, rule, anchor):
    path, error = _error(tmp_path, SMALL.replace(old, new, 1), rule)
    text = path.read_text(encoding="utf-8")
    expected = text[: text.index(anchor)].count("\n") + 1
    assert error.line == expected, str(error)


def test_simulation_errors_reach_the_card_loader(app, tmp_path):
    folder = copy_cards(tmp_path)
    (folder / f"{CARD}.sim.yaml").write_text(
        SMALL.replace("goto: end1", "goto: a"), encoding="utf-8"
    )
    with pytest.raises(ContentProblems) as caught:
        load_cards(folder)
    assert any(e.rule == "循环" and e.path.endswith(".sim.yaml") for e in caught.value.errors)


def test_effects_must_name_criteria_of_the_cards_rubric(tmp_path):
    path = _write(tmp_path, SMALL)
    with pytest.raises(ContentProblems) as caught:
        parse_simulation(path, {"policy"})
    assert any("strategy" in e.message for e in caught.value.errors)


# ---------------------------------------------------------------- the engine


def _bundled_sim():
    _criteria, docs = cards.load_content(BUNDLED)
    return next(d.simulation for d in docs if d.id == CARD)


def test_choices_move_scores_and_record_feedback(app):
    sim = _bundled_sim()
    state = engine.choose(sim, engine.start(sim), "full")
    assert state.node_id == "open"
    assert state.flags == ("health",)
    assert state.scores == {"plan": 3, "safety": 2}
    assert state.steps[-1]["feedback"].startswith("预案针对了")
    assert engine.choose(sim, state, "no-such-option") is None


def test_a_typed_question_is_matched_to_an_intent(app):
    sim = _bundled_sim()
    state = engine.choose(sim, engine.start(sim), "template")
    state = engine.ask(sim, state, "今天找你谈话，依据是监督执纪工作规则，你要如实说明。")
    assert state.node_id == "statement"
    assert "notice" in state.flags
    assert state.steps[-1]["kind"] == "typed"
    assert state.steps[-1]["intent"] == "说明谈话依据，告知如实说明的义务"


def test_an_unmatched_question_stays_and_shows_the_fallback(app):
    sim = _bundled_sim()
    state = engine.choose(sim, engine.start(sim), "template")
    after = engine.ask(sim, state, "今天天气不错")
    assert after.node_id == "open"
    assert after.scores == state.scores
    assert after.steps[-1]["kind"] == "unmatched"
    assert after.steps[-1]["feedback"] == sim.node("open").fallback


def test_matching_ignores_width_case_and_punctuation():
    assert engine.normalize("Ｈｅｌｌｏ， 世界！") == "hello世界"


def _walk(sim, flags_path):
    state = engine.start(sim)
    for pick in flags_path:
        node = sim.node(state.node_id)
        state = engine.choose(sim, state, node.options[pick % len(node.options)].id)
        if engine.is_finished(sim, state):
            return state
    return state


def test_skipping_the_safety_step_can_end_in_an_incident(app):
    sim = _bundled_sim()
    picks = {
        "prep": "template",
        "open": "basis",
        "statement": "relation",
        "relation": "show-record",
        "strain": "ignore",
        "alarm": "push",
    }
    state = engine.start(sim)
    while not engine.is_finished(sim, state):
        state = engine.choose(sim, state, picks[state.node_id])
    assert sim.ending(state.node_id).outcome == "安全事件"


def test_with_the_safety_plan_the_guard_steps_in(app):
    sim = _bundled_sim()
    state = engine.start(sim)
    for option in ("full", "basis", "relation", "show-record", "ignore"):
        state = engine.choose(sim, state, option)
    assert state.node_id == "guard"


@cache
def _bundled_sims():
    return [(doc.id, doc.simulation) for doc in load_cards(BUNDLED)[1] if doc.simulation]


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=9), min_size=40, max_size=40))
def test_any_sequence_of_choices_reaches_an_ending(picks):
    for card_id, sim in _bundled_sims():
        state = _walk(sim, picks)
        assert engine.is_finished(sim, state), (card_id, state.node_id)
