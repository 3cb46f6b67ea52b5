"""The 帮带协议: its goals, measures and meeting rhythm, and both parties' signatures.

The agreement can be changed only before the pairing starts; any change voids
the signatures given so far, so both always sign the same text.
"""

from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.models import GoalArea, MeetingRhythm, MentorGoal
from learn.mentorship.services import notices, pairings
from learn.mentorship.states import PairingState


def require_draft(user, pairing) -> None:
    """Refuse unless ``user`` is one of the pair and the agreement is still a draft."""
    access.require_party(user, pairing)
    if pairing.state_on(local_today()) != PairingState.PENDING:
        raise Conflict("帮带协议已签订生效，不能再修改；目标的里程碑和任务仍可在目标页面维护。")


def _void_signatures(user, pairing) -> None:
    agreement = pairing.agreement
    had_signature = agreement.mentor_signed_at or agreement.mentee_signed_at
    agreement.mentor_signed_at = None
    agreement.mentee_signed_at = None
    agreement.updated_at = utcnow()
    if had_signature:
        notices.agreement_changed(pairing, user)


def update_terms(user, pairing, measures: str, rhythm: str) -> None:
    """Set the measures and meeting rhythm of a draft agreement."""
    require_draft(user, pairing)
    if rhythm not in set(MeetingRhythm):
        raise LearnError("请选择见面频次。")
    agreement = pairing.agreement
    if agreement.measures == measures.strip() and agreement.meeting_rhythm == rhythm:
        return
    agreement.measures = measures.strip()
    agreement.meeting_rhythm = rhythm
    _void_signatures(user, pairing)
    db.session.flush()


def get_goal(pairing, goal_id: int) -> MentorGoal:
    goal = db.session.get(MentorGoal, goal_id)
    if goal is None or goal.pairing_id != pairing.id:
        raise NotFound("目标不存在。")
    return goal


def save_goal(user, pairing, goal: MentorGoal | None, area: str, title: str, detail: str):
    """Add (``goal`` None) or change a goal of a draft agreement."""
    require_draft(user, pairing)
    if area not in set(GoalArea):
        raise LearnError("请选择目标所属方面：业务指导、思想关注或生活关爱。")
    if not title.strip():
        raise LearnError("请填写目标。")
    if goal is None:
        goal = MentorGoal(pairing=pairing, sort_order=len(pairing.goals))
        db.session.add(goal)
    goal.area = area
    goal.title = title.strip()
    goal.detail = detail.strip()
    _void_signatures(user, pairing)
    db.session.flush()
    return goal


def delete_goal(user, pairing, goal: MentorGoal) -> None:
    require_draft(user, pairing)
    pairing.goals.remove(goal)
    _void_signatures(user, pairing)
    db.session.flush()


def missing_for_signature(pairing) -> list[str]:
    """What the agreement still lacks before it can be signed (empty when complete)."""
    missing = []
    areas = {g.area for g in pairing.goals}
    missing.extend(f"至少一项“{a.label}”目标" for a in GoalArea if a.value not in areas)
    if not pairing.agreement.measures.strip():
        missing.append("帮带措施")
    return missing


def sign(user, pairing) -> None:
    """Record the user's signature; the second signature starts the pairing."""
    require_draft(user, pairing)
    missing = missing_for_signature(pairing)
    if missing:
        raise LearnError("协议尚不完整，请先补充：" + "、".join(missing) + "。")
    agreement = pairing.agreement
    field = "mentor_signed_at" if user.id == pairing.mentor_id else "mentee_signed_at"
    if getattr(agreement, field) is not None:
        raise Conflict("您已签订该协议，正在等待对方签订。")
    setattr(agreement, field, utcnow())
    db.session.flush()
    record_event(
        "mentor_agreement_signed", user, target_type="mentor_pairing", target_id=pairing.id
    )
    if agreement.fully_signed:
        pairings.activate(pairing)
    else:
        notices.agreement_to_sign(pairing, user)
