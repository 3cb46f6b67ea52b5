"""The phase machine of a role-play session (pure rules, no database).

准备 → 谈话 → 评分 → 点评 → 已结束, one step at a time and only forward. Each
step has preconditions (``blockers``); each action is allowed to certain roles
in one phase only (``ACTIONS``). Services ask here before changing anything.
"""

from dataclasses import dataclass

from learn.drills.models import TALKER_ROLES, DrillRole, Phase

NEXT = {
    Phase.PREPARING: Phase.TALKING,
    Phase.TALKING: Phase.SCORING,
    Phase.SCORING: Phase.REVIEW,
    Phase.REVIEW: Phase.CLOSED,
}

# What the facilitator's button says for the step out of each phase.
STEP_LABELS = {
    Phase.PREPARING: "开始谈话",
    Phase.TALKING: "结束谈话，进入评分",
    Phase.SCORING: "发布评分结果",
    Phase.REVIEW: "结束演练",
}

# action → (the phase it belongs to, the roles that may do it)
ACTIONS = {
    "plan": (Phase.PREPARING, TALKER_ROLES),
    "transcript": (Phase.TALKING, frozenset({DrillRole.RECORDER})),
    "assess": (Phase.SCORING, frozenset({DrillRole.ASSESSOR})),
}


@dataclass(frozen=True)
class SessionFacts:
    """What the transition rules need to know about a session."""

    phase: Phase
    has_talk_plan: bool
    has_safety_plan: bool
    has_transcript: bool
    assessors: int
    submitted: int


def next_phase(phase: Phase) -> Phase | None:
    return NEXT.get(phase)


def blockers(facts: SessionFacts) -> list[str]:
    """Why the session cannot move on yet (empty when it can), in Chinese."""
    reasons = []
    if facts.phase == Phase.PREPARING:
        if not facts.has_talk_plan:
            reasons.append("谈话人尚未提交谈话方案。")
        if not facts.has_safety_plan:
            reasons.append("谈话人尚未提交安全预案。")
    elif facts.phase == Phase.TALKING:
        if not facts.has_transcript:
            reasons.append("记录人尚未保存谈话笔录。")
    elif facts.phase == Phase.SCORING:
        missing = facts.assessors - facts.submitted
        if missing > 0:
            reasons.append(f"还有 {missing} 位评分人未提交评分，全部提交后才能发布结果。")
    elif facts.phase == Phase.CLOSED:
        reasons.append("演练已结束。")
    return reasons


def may(action: str, phase: Phase, role: DrillRole | None) -> bool:
    """Whether someone in ``role`` may do ``action`` while the session is in ``phase``."""
    allowed_phase, roles = ACTIONS[action]
    return phase == allowed_phase and role in roles


def refusal(action: str, phase: Phase, role: DrillRole | None) -> str:
    """The message for someone who may not do ``action`` now."""
    allowed_phase, roles = ACTIONS[action]
    if role not in roles:
        who = "、".join(sorted(r.label for r in roles))
        return f"只有{who}可以进行此操作。"
    return f"此操作只能在“{allowed_phase.label}”阶段进行，当前为“{phase.label}”阶段。"
