"""期满考核: the mentee self-assesses against each agreement goal, the mentor rates each
goal and concludes, the programme owner confirms and the pairing is completed."""

from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.models import FinalReview, GoalReview, Grade
from learn.mentorship.services import notices
from learn.mentorship.states import Event, PairingState, apply_event


def _require_review_stage(pairing) -> None:
    if pairing.state_on(local_today()) != PairingState.AWAITING_REVIEW:
        raise Conflict("帮带期满（或提前结束帮带期）后才能进行期满考核。")


def _review_of(pairing) -> FinalReview:
    if pairing.review is None:
        pairing.review = FinalReview()
        db.session.flush()
    return pairing.review


def _goal_review(review: FinalReview, goal) -> GoalReview:
    found = review.for_goal(goal.id)
    if found is None:
        found = GoalReview(goal=goal)
        review.goal_reviews.append(found)
    return found


def submit_self_assessment(user, pairing, per_goal: dict[int, str], summary: str) -> None:
    """The mentee's self-assessment: a text per goal and an overall summary."""
    access.require_mentee(user, pairing)
    _require_review_stage(pairing)
    review = _review_of(pairing)
    if review.mentor_submitted_at is not None:
        raise Conflict("导师已完成评价，自评不能再修改。")
    missing = [g.title for g in pairing.goals if not per_goal.get(g.id, "").strip()]
    if missing:
        raise LearnError("请对每项目标进行自评，尚未填写：" + "、".join(missing) + "。")
    if not summary.strip():
        raise LearnError("请填写总体自评。")
    for goal in pairing.goals:
        _goal_review(review, goal).self_assessment = per_goal[goal.id].strip()
    review.self_summary = summary.strip()
    review.self_submitted_at = utcnow()
    db.session.flush()
    notices.self_assessed(pairing)


def submit_mentor_review(
    user, pairing, ratings: dict[int, tuple[str, str]], conclusion: str, grade: str
) -> None:
    """The mentor rates each goal (with a comment) and writes the conclusion."""
    access.require_mentor(user, pairing)
    _require_review_stage(pairing)
    review = pairing.review
    if review is None or review.self_submitted_at is None:
        raise LearnError("学员尚未提交自评，请待学员自评后再评价。")
    if review.confirmed_at is not None:
        raise Conflict("期满考核已确认，不能再修改。")
    for goal in pairing.goals:
        rating, _comment = ratings.get(goal.id, ("", ""))
        if rating not in set(Grade):
            raise LearnError(f"请为目标“{goal.title}”选择评价等次。")
    if grade not in set(Grade):
        raise LearnError("请选择总体考核等次。")
    if not conclusion.strip():
        raise LearnError("请填写考核结论。")
    for goal in pairing.goals:
        rating, comment = ratings[goal.id]
        row = _goal_review(review, goal)
        row.rating = rating
        row.mentor_comment = comment.strip()
    review.mentor_conclusion = conclusion.strip()
    review.mentor_grade = grade
    review.mentor_submitted_at = utcnow()
    db.session.flush()
    notices.mentor_concluded(pairing)


def confirm_review(user, pairing, comment: str) -> None:
    """The programme owner confirms the review; the pairing is completed (已结业)."""
    access.require_owner(user, pairing)
    review = pairing.review
    if review is None or review.mentor_submitted_at is None:
        raise LearnError("导师尚未完成评价，暂不能确认。")
    apply_event(pairing, Event.FINISH, local_today())
    review.trainer_comment = comment.strip()
    review.confirmed_by_id = user.id
    review.confirmed_at = utcnow()
    db.session.flush()
    record_event(
        "mentor_review_confirmed",
        user,
        target_type="mentor_pairing",
        target_id=pairing.id,
        detail=review.mentor_grade or "",
    )
    notices.pairing_closed(
        pairing,
        "期满考核已确认，帮带结业",
        f"{pairing.mentor.name}与{pairing.mentee.name}的师徒帮带已结业，考核等次：{review.mentor_grade}。",
    )
