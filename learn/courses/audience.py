"""分级分类: which courses are 必修 or 选修 for a cadre, computed from their current profile.

Nothing is stored for a required course until the cadre starts it, so someone
who joins an audience later (a new post, a new unit, turning into a 新进干部)
sees the course as required at once, without any scheduled job.

A course is required for a cadre when a trainer assigned it to them or to
their unit (or a unit above it), or when the first audience rule matching
them says 必修; elective when that rule says 选修; not for them otherwise.
"""

from dataclasses import dataclass
from enum import StrEnum

from learn.content.courses import REQUIRED


class Standing(StrEnum):
    REQUIRED = "required"  # 必修 by its audience rules
    UNIT_ASSIGNED = "unit_assigned"  # a trainer assigned it to the cadre's unit
    ASSIGNED = "assigned"  # a trainer assigned it to the cadre
    ELECTIVE = "elective"

    @property
    def required(self) -> bool:
        return self != Standing.ELECTIVE

    @property
    def label(self) -> str:
        return {
            "required": "必修",
            "unit_assigned": "必修（单位指定）",
            "assigned": "必修（个人指定）",
            "elective": "选修",
        }[self.value]


@dataclass(frozen=True)
class Cadre:
    """The parts of a profile that audience rules look at, read once per request."""

    user_id: int
    categories: frozenset[str]
    rank_band: str
    unit_type: str | None
    unit_chain: frozenset[int]  # the unit, every unit above it, and its cluster

    @classmethod
    def of(cls, user) -> "Cadre":
        chain: set[int] = set()
        unit = user.unit
        if unit is not None and unit.cluster_id:
            chain.add(unit.cluster_id)
        while unit is not None and unit.id not in chain:
            chain.add(unit.id)
            unit = unit.parent
        return cls(
            user_id=user.id,
            categories=frozenset(c.value for c in user.categories),
            rank_band=user.rank_band,
            unit_type=user.unit.unit_type if user.unit else None,
            unit_chain=frozenset(chain),
        )


def rule_matches(rule, cadre: Cadre) -> bool:
    """Every dimension the rule lists must match (any value within a dimension)."""
    if rule.everyone:
        return True
    if rule.categories and not cadre.categories & set(rule.categories):
        return False
    if rule.rank_bands and cadre.rank_band not in rule.rank_bands:
        return False
    return not (rule.unit_types and cadre.unit_type not in rule.unit_types)


def audience_requirement(rules, cadre: Cadre) -> str | None:
    """必修 or 选修 from the first matching rule; None when no rule matches."""
    for rule in rules:
        if rule_matches(rule, cadre):
            return rule.requirement
    return None


def standing(
    course, cadre: Cadre, unit_assigned: set[int], personally_assigned: bool
) -> Standing | None:
    """How ``course`` stands for ``cadre``; ``unit_assigned`` are the units it was assigned to."""
    if personally_assigned:
        return Standing.ASSIGNED
    if unit_assigned & cadre.unit_chain:
        return Standing.UNIT_ASSIGNED
    requirement = audience_requirement(course.audiences, cadre)
    if requirement is None:
        return None
    return Standing.REQUIRED if requirement == REQUIRED else Standing.ELECTIVE
