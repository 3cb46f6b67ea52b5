"""Weighted score arithmetic: totals, means, spreads and simulation percents."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learn.drills.scoring import aggregate, level_percent, simulation_percents, weighted_total

RUBRIC = [
    {"criterion": "plan", "name": "方案与预案", "weight": 15},
    {"criterion": "policy", "name": "政策把握", "weight": 15},
    {"criterion": "strategy", "name": "谈话策略", "weight": 20},
    {"criterion": "evidence", "name": "证据运用", "weight": 15},
    {"criterion": "rapport", "name": "心理把握与沟通", "weight": 10},
    {"criterion": "safety", "name": "安全与程序规范", "weight": 15},
    {"criterion": "record", "name": "笔录质量", "weight": 10},
]
CHECKLIST = [{"id": "a", "text": "报批"}, {"id": "b", "text": "告知"}]


@dataclass
class Scored:
    levels: dict
    checklist: dict


def test_all_top_levels_make_100_and_all_bottom_levels_make_25():
    assert weighted_total(RUBRIC, dict.fromkeys((r["criterion"] for r in RUBRIC), 4)) == 100
    assert weighted_total(RUBRIC, dict.fromkeys((r["criterion"] for r in RUBRIC), 1)) == 25


def test_a_worked_example():
    levels = {
        "plan": 4,
        "policy": 3,
        "strategy": 2,
        "evidence": 3,
        "rapport": 1,
        "safety": 4,
        "record": 3,
    }
    # 15·4/4 + 15·3/4 + 20·2/4 + 15·3/4 + 10·1/4 + 15·4/4 + 10·3/4
    # = 15 + 11.25 + 10 + 11.25 + 2.5 + 15 + 7.5 = 72.5
    assert weighted_total(RUBRIC, levels) == Decimal("72.5")


def test_rounding_is_half_up_to_one_place():
    rubric = [{"criterion": "a", "weight": 33}, {"criterion": "b", "weight": 67}]
    # 33·1/4 + 67·2/4 = 8.25 + 33.5 = 41.75 → 41.8
    assert weighted_total(rubric, {"a": 1, "b": 2}) == Decimal("41.8")


def test_a_level_outside_1_to_4_is_refused():
    with pytest.raises(ValueError):
        weighted_total(RUBRIC[:1], {"plan": 5})


def test_level_percent():
    assert level_percent(3) == Decimal("75.0")
    assert level_percent(Decimal("2.5")) == Decimal("62.5")


def test_aggregate_means_spreads_and_checklist():
    a = Scored(
        {
            "plan": 4,
            "policy": 3,
            "strategy": 2,
            "evidence": 3,
            "rapport": 1,
            "safety": 4,
            "record": 3,
        },
        {"a": True, "b": False},
    )
    b = Scored(
        {
            "plan": 2,
            "policy": 3,
            "strategy": 3,
            "evidence": 3,
            "rapport": 2,
            "safety": 4,
            "record": 4,
        },
        {"a": True, "b": True},
    )
    result = aggregate(RUBRIC, CHECKLIST, [a, b])
    plan = result.criteria[0]
    assert (plan.levels, plan.mean, plan.percent, plan.spread, plan.wide) == (
        (4, 2),
        Decimal("3.0"),
        Decimal("75.0"),
        2,
        True,
    )
    strategy = result.criteria[2]
    assert (strategy.mean, strategy.percent, strategy.wide) == (
        Decimal("2.5"),
        Decimal("62.5"),
        False,
    )
    # a: 72.5 (worked example); b: 7.5+11.25+15+11.25+5+15+10 = 75
    assert result.totals == (Decimal("72.5"), Decimal("75.0"))
    assert result.total == Decimal("73.8")
    assert result.total_spread == Decimal("2.5")
    assert [ticks for _item, ticks in result.checklist] == [2, 1]


def test_aggregate_needs_at_least_one_assessment():
    with pytest.raises(ValueError):
        aggregate(RUBRIC, CHECKLIST, [])


@given(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=7, max_size=7))
def test_a_total_always_lies_between_25_and_100(levels):
    total = weighted_total(RUBRIC, dict(zip((r["criterion"] for r in RUBRIC), levels, strict=True)))
    assert Decimal(25) <= total <= Decimal(100)


def test_simulation_percents_scale_to_the_best_path_and_skip_unscored_criteria():
    scores = {"plan": 3, "policy": -2, "strategy": 9}
    best = {"plan": 4, "policy": 5, "strategy": 6}
    total, per = simulation_percents(RUBRIC, scores, best)
    assert per == {"plan": Decimal("75.0"), "policy": Decimal("0.0"), "strategy": Decimal("100.0")}
    # weights 15, 15, 20 of the scored criteria: (15·75 + 15·0 + 20·100) / 50 = 62.5
    assert total == Decimal("62.5")


def test_simulation_with_nothing_to_score_is_zero():
    assert simulation_percents(RUBRIC, {}, {}) == (Decimal(0), {})
