"""Quizzes: random draws stored with the attempt, exact scoring, attempt limits, one credit."""

from decimal import Decimal

import pytest

from learn.content.courses import QuizSpec
from learn.courses import quiz, services
from learn.courses.models import Question
from learn.errors import Conflict, LearnError
from learn.extensions import db
from learn.ledger import SourceType, entries_for, quota_status
from tests.conftest import login, post_form
from tests.courses.factories import make_course
from tests.courses.helpers import finish_course, right_answers, wrong_answers
from tests.factories import make_user


def _question(qtype, options, answer):
    return Question(key="x", qtype=qtype, stem="题", options=options, answer=answer)


def test_scoring_is_exact_per_question():
    single = _question("single", ["甲", "乙", "丙"], ["B"])
    multiple = _question("multiple", ["甲", "乙", "丙", "丁"], ["A", "C"])
    truth = _question("truefalse", [], ["false"])
    single.id, multiple.id, truth.id = 1, 2, 3
    questions = [single, multiple, truth]

    def score(answers):
        normalized = {str(q.id): quiz.normalize(q, answers.get(str(q.id))) for q in questions}
        return quiz.score_of(questions, normalized)

    assert score({"1": ["B"], "2": ["C", "A"], "3": ["false"]}) == 100
    assert score({"1": ["B"], "2": ["A"], "3": ["false"]}) == 67  # a partial 多选 scores nothing
    assert score({"1": ["B"], "2": ["A", "C", "D"], "3": ["false"]}) == 67  # nor does one too many
    assert score({"1": ["A", "B"], "2": ["A", "C"], "3": ["false"]}) == 67  # two picks on a 单选
    assert score({"1": ["Z"], "2": ["A", "C"], "3": ["maybe"]}) == 33  # invalid values are dropped
    assert score({}) == 0


def test_the_draw_is_stored_and_reused_until_submitted(app, tmp_path):
    course = make_course(tmp_path, questions=9, quiz=QuizSpec(4, 75, 3))
    user = make_user("taker")
    attempt = quiz.start_attempt(user, course)
    db.session.commit()
    assert len(attempt.question_ids) == 4 and len(set(attempt.question_ids)) == 4
    bank = {q.id for q in course.active_questions}
    assert set(attempt.question_ids) <= bank
    assert quiz.start_attempt(user, course).id == attempt.id  # reloading does not redraw


def test_grading_reads_only_the_drawn_questions(app, tmp_path):
    course = make_course(tmp_path, questions=9, quiz=QuizSpec(3, 100, 3))
    user = make_user("gamer")
    attempt = quiz.start_attempt(user, course)
    others = [q for q in course.active_questions if q.id not in attempt.question_ids]
    answers = {str(q.id): list(q.answer) for q in others}  # right answers to undrawn questions
    answers.update(wrong_answers(attempt))
    quiz.submit_attempt(user, course, attempt, answers)
    db.session.commit()
    assert attempt.score == 0 and attempt.passed is False
    assert set(attempt.answers) == {str(i) for i in attempt.question_ids}
    with pytest.raises(Conflict):
        quiz.submit_attempt(user, course, attempt, right_answers(attempt))


def test_attempt_limit(app, tmp_path):
    course = make_course(tmp_path, questions=6, quiz=QuizSpec(3, 100, 2))
    user = make_user("unlucky")
    for _ in range(2):
        attempt = quiz.start_attempt(user, course)
        quiz.submit_attempt(user, course, attempt, wrong_answers(attempt))
    db.session.commit()
    state = quiz.quiz_state(user, course)
    assert (state.used, state.left, state.can_start) == (2, 0, False)
    with pytest.raises(LearnError, match="最多可参加 2 次"):
        quiz.start_attempt(user, course)


def test_fail_then_pass_completes_and_credits_once(app, tmp_path):
    course = make_course(tmp_path, hours="3.5", questions=6, quiz=QuizSpec(3, 100, 3))
    user = make_user("learner")
    for lesson in course.active_lessons:
        services.complete_lesson(user, course, lesson)
    first = quiz.start_attempt(user, course)
    quiz.submit_attempt(user, course, first, wrong_answers(first))
    db.session.commit()
    assert services.enrollment_for(user.id, course.id).completed_at is None
    assert entries_for(user.id) == []

    second = quiz.start_attempt(user, course)
    assert second.id != first.id
    quiz.submit_attempt(user, course, second, right_answers(second))
    db.session.commit()
    enrollment = services.enrollment_for(user.id, course.id)
    assert enrollment.completed_at is not None
    [entry] = entries_for(user.id)
    assert (entry.source_type, entry.hours, entry.online) == (
        SourceType.COURSE,
        Decimal("3.5"),
        True,
    )
    with pytest.raises(LearnError, match="已通过"):
        quiz.start_attempt(user, course)
    services.complete_lesson(user, course, course.active_lessons[0])  # repeat: no new credit
    db.session.commit()
    assert len(entries_for(user.id)) == 1
    assert quota_status(user, entry.year).online == Decimal("3.5")


def test_passing_before_finishing_lessons_completes_with_the_last_lesson(app, tmp_path):
    course = make_course(tmp_path, lessons=2, questions=3, quiz=QuizSpec(3, 60, 1))
    user = make_user("quick")
    attempt = quiz.start_attempt(user, course)
    quiz.submit_attempt(user, course, attempt, right_answers(attempt))
    services.complete_lesson(user, course, course.active_lessons[0])
    assert services.enrollment_for(user.id, course.id).completed_at is None
    services.complete_lesson(user, course, course.active_lessons[1])
    db.session.commit()
    assert services.enrollment_for(user.id, course.id).completed_at is not None


def test_full_marks_bonus_when_configured(app, tmp_path):
    app.config["QUIZ_BONUS_HOURS"] = 0.5
    course = make_course(tmp_path, questions=3, quiz=QuizSpec(3, 60, 2))
    user = make_user("ace")
    finish_course(user, course)
    kinds = sorted((e.source_type, e.hours) for e in entries_for(user.id))
    assert kinds == [(SourceType.COURSE, Decimal("2.0")), (SourceType.QUIZ_BONUS, Decimal("0.5"))]


def test_quiz_pages_show_explanations_and_hide_other_peoples_attempts(app, client, tmp_path):
    course = make_course(tmp_path, questions=3, quiz=QuizSpec(3, 100, 2))
    owner = make_user("owner")
    make_user("snoop")
    login(client, "owner")
    started = post_form(
        client, f"/courses/{course.slug}/quiz", token_from=f"/courses/{course.slug}"
    )
    assert started.status_code == 302
    attempt_url = started.headers["Location"]
    form = client.get(attempt_url).get_data(as_text=True)
    assert "解析" not in form  # explanations only after submission
    db.session.expire_all()
    [attempt] = quiz.attempts_of(owner.id, course.id)
    data = {f"q{qid}": answer for qid, answer in wrong_answers(attempt).items()}
    submitted = post_form(client, attempt_url, data)
    assert submitted.status_code == 302
    result = client.get(attempt_url).get_data(as_text=True)
    assert "未通过" in result and "解析" in result and "回答错误" in result

    snoop = client.application.test_client()
    login(snoop, "snoop")
    assert snoop.get(attempt_url).status_code == 404
    assert (
        post_form(snoop, attempt_url, data, token_from=f"/courses/{course.slug}").status_code == 404
    )
