"""The 人人登讲台 rota generator: pure Python, no Flask and no database.

Given a pool of people, dated slots and the dates each person cannot do, it
proposes who lectures on which date so that

1. everyone lectures once before anyone lectures twice — equivalently, the slots
   fall into consecutive *rounds* of ``len(pool)`` slots and each round (the last
   may be partial) has nobody twice;
2. nobody is put on a date they cannot do;
3. people of the same unit follow each other as rarely as possible (the number
   of consecutive same-unit pairs is minimised);
4. the same input gives the same rota, whatever order it was listed in.

(1) and (2) are hard: when they cannot both hold, ``NoRotaPossible`` explains
which dates and people make it impossible (a deficient set by Hall's theorem).
(3) is optimised by a depth-first branch and bound that never walks into a dead
end (each step keeps a matching of the rest of its round) and stops at a proven
lower bound or after ``budget`` steps, so it is exact for county-sized pools and
always returns a valid rota quickly.
"""

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

DEFAULT_BUDGET = 20_000


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    unit: str


@dataclass(frozen=True)
class Proposal:
    assignment: tuple[tuple[date, int], ...]  # (slot date, person id), by date
    same_unit_pairs: int
    proven_best: bool  # the search finished: no valid rota has fewer same-unit pairs


class NoRotaPossible(Exception):
    """No rota satisfies the hard rules; ``reasons`` says why, in Chinese."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


def format_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rounds_of(slots: Sequence[date], pool_size: int) -> list[list[date]]:
    """Split the sorted slots into rounds of ``pool_size`` (the last may be shorter)."""
    return [list(slots[i : i + pool_size]) for i in range(0, len(slots), pool_size)]


def same_unit_pairs(people: Iterable[Person], person_ids: Sequence[int]) -> int:
    """How many consecutive lecturers come from the same unit."""
    unit = {p.id: p.unit for p in people}
    return sum(1 for a, b in itertools.pairwise(person_ids) if unit[a] == unit[b])


def rota_problems(
    people: Iterable[Person],
    slots: Sequence[date],
    unavailable: Mapping[int, Iterable[date]],
    person_ids: Sequence[int],
) -> list[str]:
    """Every hard rule that ``person_ids`` (one per sorted slot) breaks, in Chinese."""
    people = {p.id: p for p in people}
    slots = sorted(set(slots))
    if len(person_ids) != len(slots):
        return ["每个日期须安排且只安排一人。"]
    problems = []
    for day, pid in zip(slots, person_ids, strict=True):
        if pid not in people:
            problems.append(f"{format_day(day)} 安排的人不在轮值名单中。")
        elif day in set(unavailable.get(pid, ())):
            problems.append(f"{people[pid].name} 已说明 {format_day(day)} 不能到场。")
    for number, chunk in enumerate(rounds_of(person_ids, len(people)), start=1):
        twice = sorted({people[p].name for p, n in Counter(chunk).items() if n > 1 and p in people})
        if twice:
            problems.append(
                f"第 {number} 轮中 {'、'.join(twice)} 讲了两次，而还有人一次没讲："
                "须人人先讲一次，才能有人讲第二次。"
            )
    return problems


class _Round:
    """One round: its slots, who may take each, and a matching kept up to date."""

    def __init__(self, days: list[date], people: list[Person], unavailable):
        self.days = days
        self.allowed = [
            [i for i, p in enumerate(people) if day not in unavailable.get(p.id, ())]
            for day in days
        ]

    def max_matching(self, slots: list[int], free: set[int]) -> dict[int, int]:
        """A maximum matching slot → person over ``slots`` and ``free`` people (Kuhn)."""
        owner: dict[int, int] = {}  # person → slot

        def augment(slot: int, seen: set[int]) -> bool:
            for person in self.allowed[slot]:
                if person in free and person not in seen:
                    seen.add(person)
                    if person not in owner or augment(owner[person], seen):
                        owner[person] = slot
                        return True
            return False

        for slot in slots:
            augment(slot, set())
        return {slot: person for person, slot in owner.items()}


def _deficient_slots(rnd: _Round, free: set[int], matching: dict[int, int]) -> tuple[list, set]:
    """Slots reachable from unmatched ones by alternating paths, and their people (Hall)."""
    person_slot = {p: s for s, p in matching.items()}
    queue = [s for s in range(len(rnd.days)) if s not in matching]
    slots, persons = set(queue), set()
    while queue:
        slot = queue.pop()
        for person in rnd.allowed[slot]:
            if person in free and person not in persons:
                persons.add(person)
                nxt = person_slot.get(person)
                if nxt is not None and nxt not in slots:
                    slots.add(nxt)
                    queue.append(nxt)
    return sorted(slots), persons


def _explain(number: int, rnd: _Round, people: list[Person], full: bool) -> list[str]:
    everyone = set(range(len(people)))
    matching = rnd.max_matching(list(range(len(rnd.days))), everyone)
    slots, persons = _deficient_slots(rnd, everyone, matching)
    dates = "、".join(format_day(rnd.days[s]) for s in slots)
    span = f"第 {number} 轮（{format_day(rnd.days[0])}至{format_day(rnd.days[-1])}）"
    names = "、".join(people[p].name for p in sorted(persons))
    if persons:
        text = (
            f"{span}：{dates} 这 {len(slots)} 个日期只有 {len(persons)} 人能到场（{names}），排不满"
        )
    else:
        text = f"{span}：{dates} 名单中没有人能到场"
    reasons = [text + "。请增加人员、调整日期或减少不能到场的日期。"]
    if full:
        for i, person in enumerate(people):
            if not any(i in allowed for allowed in rnd.allowed):
                reasons.append(
                    f"{person.name} 在{span}的日期都不能到场；人人须先讲一次才能有人讲第二次，"
                    "所以本轮必须安排 TA。"
                )
    return reasons


def _lower_bound(unit_counts: Counter, remaining: int) -> int:
    """Fewest same-unit neighbours among ``remaining`` people with these unit sizes."""
    biggest = max(unit_counts.values(), default=0)
    return max(0, 2 * biggest - remaining - 1)


class _Search:
    def __init__(self, people: list[Person], rounds: list[_Round], budget: int):
        self.people = people
        self.rounds = rounds
        self.n = len(people)
        self.budget = budget
        self.steps = 0
        self.best: list[int] | None = None
        self.best_cost = float("inf")
        self.seen: dict[tuple, int] = {}
        full_lb = _lower_bound(Counter(p.unit for p in people), self.n)
        # later_lb[r]: a lower bound for every round after r (partial rounds count 0)
        self.later_lb = [0] * (len(rounds) + 1)
        for r in range(len(rounds) - 1, -1, -1):
            full = len(rounds[r].days) == self.n
            self.later_lb[r] = self.later_lb[r + 1] + (full_lb if full else 0)

    def run(self) -> None:
        self.root_lb = self.later_lb[0]
        self._round(0, [], None, 0)

    def exhausted(self) -> bool:
        # Never give up before a first rota: each step keeps the rest matchable,
        # so the first descent reaches one without backtracking.
        if self.best is None:
            return False
        return self.steps >= self.budget or self.best_cost <= self.root_lb

    def _round(self, r: int, chosen: list[int], last_unit, cost: int) -> None:
        if r == len(self.rounds):
            if cost < self.best_cost:
                self.best_cost, self.best = cost, list(chosen)
            return
        rnd = self.rounds[r]
        free = set(range(self.n))
        matching = rnd.max_matching(list(range(len(rnd.days))), free)
        self._slot(r, 0, free, matching, chosen, last_unit, cost)

    def _slot(self, r, s, free, matching, chosen, last_unit, cost) -> None:
        rnd = self.rounds[r]
        if s == len(rnd.days):
            self._round(r + 1, chosen, last_unit, cost)
            return
        if self.exhausted():
            return
        self.steps += 1
        mask = sum(1 << i for i in free)
        key = (r, s, mask, last_unit)
        if self.seen.get(key, float("inf")) <= cost:
            return
        self.seen[key] = cost
        full = len(rnd.days) == self.n
        units_left = Counter(self.people[i].unit for i in free)
        for person in self._candidates(rnd.allowed[s], free, units_left, last_unit):
            unit = self.people[person].unit
            step_cost = cost + (unit == last_unit)
            rest = free - {person}
            rest_lb = _lower_bound(units_left - Counter([unit]), len(rest)) if full else 0
            if step_cost + rest_lb + self.later_lb[r + 1] >= self.best_cost:
                continue
            kept = self._keep_matching(rnd, s, person, rest, matching)
            if kept is None:
                continue
            chosen.append(person)
            self._slot(r, s + 1, rest, kept, chosen, unit, step_cost)
            chosen.pop()
            if self.exhausted():
                return

    def _candidates(self, allowed, free, units_left, last_unit) -> list[int]:
        # Another unit first, then the unit with most people still to place
        # (the classic rule that avoids a clump at the end), then a fixed order.
        options = [i for i in allowed if i in free]
        return sorted(
            options,
            key=lambda i: (self.people[i].unit == last_unit, -units_left[self.people[i].unit], i),
        )

    def _keep_matching(self, rnd, s, person, rest, matching) -> dict[int, int] | None:
        """A matching of the round's later slots once ``person`` takes slot ``s``, or None."""
        later = {slot: p for slot, p in matching.items() if slot > s and p != person}
        orphan = next((slot for slot, p in matching.items() if slot > s and p == person), None)
        if orphan is None:
            return later
        owner = {p: slot for slot, p in later.items()}

        def augment(slot: int, seen: set[int]) -> bool:
            for p in rnd.allowed[slot]:
                if p in rest and p not in seen:
                    seen.add(p)
                    if p not in owner or augment(owner[p], seen):
                        owner[p] = slot
                        return True
            return False

        if not augment(orphan, set()):
            return None
        return {slot: p for p, slot in owner.items()}


def propose_rota(
    people: Iterable[Person],
    slots: Iterable[date],
    unavailable: Mapping[int, Iterable[date]],
    budget: int = DEFAULT_BUDGET,
) -> Proposal:
    """Propose a rota, or raise ``NoRotaPossible`` with the reasons."""
    people = sorted({p.id: p for p in people}.values(), key=lambda p: p.id)
    days = sorted(set(slots))
    blocked = {pid: frozenset(d) for pid, d in unavailable.items()}
    if not people:
        raise NoRotaPossible(["轮值名单为空：请先添加参加轮流授课的人员。"])
    if not days:
        raise NoRotaPossible(["还没有授课日期：请先添加日期。"])
    rounds = [_Round(chunk, people, blocked) for chunk in rounds_of(days, len(people))]
    reasons = []
    for number, rnd in enumerate(rounds, start=1):
        if len(rnd.max_matching(list(range(len(rnd.days))), set(range(len(people))))) < len(
            rnd.days
        ):
            reasons += _explain(number, rnd, people, full=len(rnd.days) == len(people))
    if reasons:
        raise NoRotaPossible(reasons)
    search = _Search(people, rounds, budget)
    search.run()
    ids = [people[i].id for i in search.best]
    return Proposal(
        assignment=tuple(zip(days, ids, strict=True)),
        same_unit_pairs=int(search.best_cost),
        proven_best=search.steps < budget or search.best_cost <= search.root_lb,
    )
