"""Mock-talk exercises (模拟谈话): scenario cards, role-play sessions and self-practice.

This domain owns the scenario cards synced from ``courses/drills/`` (parsed and
validated by ``learn.content.drills``), training groups whose members rotate
roles, role-play sessions that run 准备 → 谈话 → 评分 → 点评 → 已结束 with blind
scoring (``phases``, ``access``, ``scoring``), the branching self-practice
simulation (``simulation``) and each trainee's history. It credits completed
exercises to the 学时 ledger, fills the ``case_cited_by`` slot, adds a progress
section for a cadre's growth pages and a home-page panel.

Public names: DrillCard, DrillSession, SimulationRun, Phase, DrillRole,
cards_citing, history_of.
"""

from learn.drills.models import DrillCard, DrillRole, DrillSession, Phase, SimulationRun
from learn.drills.services.cards import cards_citing
from learn.drills.services.history import history_of

__all__ = [
    "DrillCard",
    "DrillRole",
    "DrillSession",
    "Phase",
    "SimulationRun",
    "cards_citing",
    "history_of",
]
