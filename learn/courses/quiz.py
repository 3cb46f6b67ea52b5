"""End-of-course quizzes: draw N questions at random per attempt, grade, limit attempts.

The drawn question ids are stored with the attempt when it starts, and grading
reads only those: answering other questions, reloading for a new draw or
submitting twice cannot change a score. An unsubmitted attempt is reused, so
peeking at a draw and starting again shows the same questions.
"""

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from learn.core.db import utcnow
from learn.courses.models import Course, Question, QuizAttempt
from learn.courses.services import ensure_enrollment, maybe_complete, require_study
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.ledger import SourceType, credit_hours

TRUE_FALSE = ("true", "false")


@dataclass(frozen=True)
class QuizState:
    max_attempts: int
    used: int
    passed: bool
    best_score: int | None
    open_attempt: QuizAttempt | None

    @property
    def left(self) -> int:
        return max(0, self.max_attempts - self.used)

    @property
    def can_start(self) -> bool:
        return not self.passed and (self.open_attempt is not None or self.left > 0)


def attempts_of(user_id: int, course_id: int) -> list[QuizAttempt]:
    """A cadre's attempts at a course's quiz, oldest first."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.course_id == course_id)
            .order_by(QuizAttempt.started_at, QuizAttempt.id)
        )
    )


def _submitted_count(user_id: int, course_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_id == course_id,
            QuizAttempt.submitted_at.is_not(None),
        )
    )


def quiz_state(user, course: Course) -> QuizState:
    attempts = attempts_of(user.id, course.id)
    submitted = [a for a in attempts if a.submitted]
    return QuizState(
        max_attempts=course.quiz_max_attempts or 0,
        used=len(submitted),
        passed=any(a.passed for a in submitted),
        best_score=max((a.score for a in submitted), default=None),
        open_attempt=next((a for a in attempts if not a.submitted), None),
    )


def start_attempt(user, course: Course) -> QuizAttempt:
    """Reuse the open attempt, or draw a new set of questions if attempts are left."""
    if not course.has_quiz:
        raise NotFound("本课程没有测验。")
    require_study(user, course)
    state = quiz_state(user, course)
    if state.passed:
        raise LearnError("您已通过本课程测验，无需再次参加。")
    if state.open_attempt is not None:
        return state.open_attempt
    if state.left == 0:
        raise LearnError(
            f"本课程测验最多可参加 {state.max_attempts} 次，您的次数已用完；请联系培训管理员。"
        )
    pool = [q.id for q in course.active_questions]
    if len(pool) < course.quiz_draw:
        raise LearnError("题库题目不足，暂时无法测验，请联系培训管理员。")
    drawn = secrets.SystemRandom().sample(pool, course.quiz_draw)
    attempt = QuizAttempt(user_id=user.id, course_id=course.id, question_ids=drawn)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def get_attempt(user, course: Course, attempt_id: int) -> QuizAttempt:
    """One of ``user``'s attempts at ``course``; anyone else's is not found."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id or attempt.course_id != course.id:
        raise NotFound("测验记录不存在。")
    return attempt


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The questions drawn for ``attempt``, in the order they were drawn."""
    rows = db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))
    by_id = {q.id: q for q in rows}
    return [by_id[qid] for qid in attempt.question_ids if qid in by_id]


def normalize(question: Question, given) -> list[str]:
    """Keep only values that are valid choices for ``question``, sorted, without repeats."""
    if question.qtype == "truefalse":
        valid = TRUE_FALSE
    else:
        valid = tuple("ABCDEFGH"[: len(question.options)])
    values = sorted({str(v) for v in given or [] if str(v) in valid})
    if question.qtype != "multiple":
        values = values[:1] if len(values) == 1 else []
    return values


def is_correct(question: Question, given: list[str]) -> bool:
    return bool(given) and given == sorted(question.answer)


def score_of(questions: list[Question], answers: dict[str, list[str]]) -> int:
    """Percent of questions answered exactly right (a multiple choice needs every letter)."""
    if not questions:
        return 0
    right = sum(1 for q in questions if is_correct(q, answers.get(str(q.id), [])))
    return round(right * 100 / len(questions))


def submit_attempt(user, course: Course, attempt: QuizAttempt, raw: dict) -> QuizAttempt:
    """Grade ``raw`` (question id → chosen values) against the drawn questions only."""
    if attempt.submitted:
        raise Conflict("本次测验已经提交，不能重复提交。")
    require_study(user, course)
    if _submitted_count(user.id, course.id) >= (course.quiz_max_attempts or 0):
        raise LearnError("您的测验次数已用完，本次提交无效；请联系培训管理员。")
    questions = attempt_questions(attempt)
    answers = {str(q.id): normalize(q, raw.get(str(q.id))) for q in questions}
    attempt.answers = answers
    attempt.score = score_of(questions, answers)
    attempt.passed = attempt.score >= (course.quiz_pass_mark or 100)
    attempt.submitted_at = utcnow()
    db.session.flush()
    if attempt.passed:
        _credit_bonus(user, course, attempt)
        maybe_complete(user, course, ensure_enrollment(user, course))
    return attempt


def _credit_bonus(user, course: Course, attempt: QuizAttempt) -> None:
    """Full marks earn the configured quiz bonus (``QUIZ_BONUS_HOURS``; 0 turns it off)."""
    bonus = float(current_app.config.get("QUIZ_BONUS_HOURS", 0) or 0)
    if bonus > 0 and attempt.score == 100:
        credit_hours(
            user.id,
            SourceType.QUIZ_BONUS,
            course.slug,
            bonus,
            f"{course.title}（测验满分奖励）",
            online=True,
            when=attempt.submitted_at,
        )
