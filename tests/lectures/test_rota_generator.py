"""The 人人登讲台 generator: property-based checks of every invariant, against brute force."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from learn.lectures.rota import (
    NoRotaPossible,
    Person,
    propose_rota,
    rota_problems,
    rounds_of,
    same_unit_pairs,
)

START = date(2027, 1, 8)
UNITS = ["城关镇纪委", "东岭镇纪委", "河湾镇纪委"]


@st.composite
def problems(draw, max_people=5, max_slots=8):
    n = draw(st.integers(1, max_people))
    people = [Person(i + 1, f"干部{i + 1}", draw(st.sampled_from(UNITS))) for i in range(n)]
    slot_count = draw(st.integers(1, max_slots))
    gaps = draw(st.lists(st.integers(1, 21), min_size=slot_count, max_size=slot_count))
    slots, day = [], START
    for gap in gaps:
        day += timedelta(days=gap)
        slots.append(day)
    unavailable = {
        p.id: set(draw(st.lists(st.sampled_from(slots), max_size=len(slots)))) for p in people
    }
    return people, slots, unavailable


def valid_sequences(people, slots, unavailable):
    """Every assignment that keeps the hard rules, by brute force (small inputs only)."""
    n = len(people)
    found = []

    def walk(i, chosen):
        if i == len(slots):
            found.append(list(chosen))
            return
        round_start = (i // n) * n
        used = set(chosen[round_start:i])
        for p in people:
            if p.id not in used and slots[i] not in unavailable.get(p.id, set()):
                chosen.append(p.id)
                walk(i + 1, chosen)
                chosen.pop()

    walk(0, [])
    return found


def ids_of(proposal):
    return [pid for _day, pid in proposal.assignment]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_proposal_keeps_every_rule_or_explains_why_none_exists(problem):
    people, slots, unavailable = problem
    brute = valid_sequences(people, sorted(slots), unavailable)
    try:
        proposal = propose_rota(people, slots, unavailable)
    except NoRotaPossible as exc:
        event("no rota possible")
        assert brute == [], "the generator gave up although a valid rota exists"
        assert exc.reasons and all("日" in r for r in exc.reasons)
        return
    event("rota proposed")
    if any(c > 1 for c in Counter(p.unit for p in people).values()) and len(slots) > 1:
        event("same-unit choices matter")
    assert brute, "the generator returned a rota although none is valid"
    ids = ids_of(proposal)
    days = [d for d, _ in proposal.assignment]
    assert days == sorted(slots)
    # nobody on a date they cannot do
    assert all(day not in unavailable[pid] for day, pid in proposal.assignment)
    # everyone once before anyone twice: at every prefix, counts differ by at most one
    for end in range(1, len(ids) + 1):
        counts = Counter(ids[:end])
        lowest = min(counts.get(p.id, 0) for p in people)
        assert max(counts.values()) - lowest <= 1
    assert rota_problems(people, slots, unavailable, ids) == []
    # units balanced: no valid rota has fewer consecutive same-unit pairs
    best = min(same_unit_pairs(people, seq) for seq in brute)
    assert proposal.same_unit_pairs == same_unit_pairs(people, ids) == best
    assert proposal.proven_best


@settings(max_examples=100, deadline=None)
@given(problems(max_people=6, max_slots=12), st.randoms(use_true_random=False))
def test_same_input_gives_the_same_rota_in_any_order(problem, rnd):
    people, slots, unavailable = problem
    shuffled_people, shuffled_slots = list(people), list(slots)
    rnd.shuffle(shuffled_people)
    rnd.shuffle(shuffled_slots)
    try:
        first = propose_rota(people, slots, unavailable)
    except NoRotaPossible as exc:
        with pytest.raises(NoRotaPossible) as again:
            propose_rota(shuffled_people, shuffled_slots, unavailable)
        assert again.value.reasons == exc.reasons
        return
    assert propose_rota(shuffled_people, shuffled_slots, unavailable) == first


def test_a_large_pool_gets_a_valid_rota_quickly_enough_to_stay_deterministic():
    people = [Person(i, f"干部{i}", UNITS[i % 3] if i % 4 else UNITS[0]) for i in range(1, 31)]
    slots = [START + timedelta(days=7 * i) for i in range(52)]
    unavailable = {p.id: {slots[(p.id * 7) % 52], slots[(p.id * 11) % 52]} for p in people}
    proposal = propose_rota(people, slots, unavailable)
    ids = ids_of(proposal)
    assert rota_problems(people, slots, unavailable, ids) == []
    assert proposal == propose_rota(list(reversed(people)), slots, unavailable)
    for chunk in rounds_of(ids, len(people)):
        assert len(set(chunk)) == len(chunk)


def test_two_units_alternate_when_they_can():
    people = [Person(i, f"干部{i}", UNITS[i % 2]) for i in range(1, 7)]
    slots = [START + timedelta(days=14 * i) for i in range(12)]
    proposal = propose_rota(people, slots, {})
    assert proposal.same_unit_pairs == 0


def test_explains_a_person_who_cannot_do_any_date_of_their_round():
    people = [Person(1, "周某", UNITS[0]), Person(2, "马某", UNITS[1])]
    slots = [START, START + timedelta(days=14)]
    with pytest.raises(NoRotaPossible) as exc:
        propose_rota(people, slots, {1: set(slots)})
    text = "；".join(exc.value.reasons)
    assert "周某" in text and "第 1 轮" in text
    assert "2027年1月8日" in text


def test_explains_dates_nobody_can_do():
    people = [Person(1, "周某", UNITS[0]), Person(2, "马某", UNITS[1])]
    slots = [START, START + timedelta(days=14), START + timedelta(days=28)]
    third = slots[2]
    with pytest.raises(NoRotaPossible) as exc:
        propose_rota(people, slots, {1: {third}, 2: {third}})
    assert any("没有人能到场" in r and "2027年2月5日" in r for r in exc.value.reasons)


def test_empty_pool_or_no_dates_is_explained():
    with pytest.raises(NoRotaPossible, match="名单为空"):
        propose_rota([], [START], {})
    with pytest.raises(NoRotaPossible, match="还没有授课日期"):
        propose_rota([Person(1, "周某", UNITS[0])], [], {})


def test_rota_problems_names_the_broken_rules():
    people = [Person(1, "周某", UNITS[0]), Person(2, "马某", UNITS[1])]
    slots = [START, START + timedelta(days=14)]
    found = rota_problems(people, slots, {2: {slots[1]}}, [1, 1])
    assert any("讲了两次" in p for p in found)
    found = rota_problems(people, slots, {2: {slots[1]}}, [1, 2])
    assert found == ["马某 已说明 2027年1月22日 不能到场。"]
