"""Score arithmetic (pure functions, no database).

A rubric criterion is scored on four levels: 1 不足, 2 基本合格, 3 良好, 4 优秀.
A criterion's percent is level / 4 × 100; the weighted total of one assessment
is Σ weight × level / 4 with weights adding up to 100, so it lies in 25–100.
Across assessors each criterion shows the mean level, its percent and the
spread (highest level − lowest); a spread of 2 or more is flagged for
discussion (calibration). Results are Decimals rounded half-up to one place.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LEVELS = (1, 2, 3, 4)
LEVEL_LABELS = {1: "不足", 2: "基本合格", 3: "良好", 4: "优秀"}
MAX_LEVEL = 4
WIDE_SPREAD = 2
ONE_PLACE = Decimal("0.1")


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def level_percent(level: int | Decimal) -> Decimal:
    """A level (or a mean level) as a percent of the top level."""
    return _round(Decimal(level) * 100 / MAX_LEVEL)


def weighted_total(rubric: list[dict], levels: dict[str, int]) -> Decimal:
    """Σ weight × level / 4 over the rubric; every criterion must have a level 1–4."""
    total = Decimal(0)
    for item in rubric:
        level = levels[item["criterion"]]
        if level not in LEVELS:
            raise ValueError(f"level {level!r} for {item['criterion']}")
        total += Decimal(item["weight"]) * level / MAX_LEVEL
    return _round(total)


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    name: str
    weight: int
    levels: tuple[int, ...]  # one per assessor, in assessment order
    mean: Decimal
    percent: Decimal
    spread: int

    @property
    def wide(self) -> bool:
        return self.spread >= WIDE_SPREAD


@dataclass(frozen=True)
class SessionResult:
    criteria: tuple[CriterionResult, ...]
    totals: tuple[Decimal, ...]  # one per assessor
    total: Decimal  # mean of the assessors' totals
    total_spread: Decimal
    checklist: tuple[tuple[dict, int], ...]  # (item, how many assessors ticked it)
    assessors: int


def aggregate(rubric: list[dict], checklist: list[dict], assessments: list) -> SessionResult:
    """Combine assessments (objects with ``levels`` and ``checklist`` dicts) per criterion."""
    if not assessments:
        raise ValueError("no assessments to aggregate")
    count = len(assessments)
    criteria = []
    for item in rubric:
        levels = tuple(int(a.levels[item["criterion"]]) for a in assessments)
        mean = Decimal(sum(levels)) / count
        criteria.append(
            CriterionResult(
                criterion=item["criterion"],
                name=item["name"],
                weight=item["weight"],
                levels=levels,
                mean=_round(mean),
                percent=level_percent(mean),
                spread=max(levels) - min(levels),
            )
        )
    totals = tuple(weighted_total(rubric, a.levels) for a in assessments)
    ticks = tuple(
        (item, sum(1 for a in assessments if a.checklist.get(item["id"]))) for item in checklist
    )
    return SessionResult(
        criteria=tuple(criteria),
        totals=totals,
        total=_round(sum(totals, Decimal(0)) / count),
        total_spread=max(totals) - min(totals),
        checklist=ticks,
        assessors=count,
    )


def simulation_percents(
    rubric: list[dict], scores: dict[str, int], best: dict[str, int]
) -> tuple[Decimal, dict[str, Decimal]]:
    """Percent per criterion (points / best reachable, clamped to 0–100) and their weighted mean.

    Criteria the simulation cannot score (no positive points on any path) are
    left out and the remaining weights are scaled up to 100.
    """
    per: dict[str, Decimal] = {}
    weight_sum = Decimal(0)
    weighted = Decimal(0)
    for item in rubric:
        top = best.get(item["criterion"], 0)
        if top <= 0:
            continue
        points = min(max(scores.get(item["criterion"], 0), 0), top)
        percent = _round(Decimal(points) * 100 / top)
        per[item["criterion"]] = percent
        weight_sum += item["weight"]
        weighted += item["weight"] * percent
    total = _round(weighted / weight_sum) if weight_sum else Decimal(0)
    return total, per
