"""Learner pages: my courses, the catalogue, a course, its lessons and its quiz."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.content.courses import CATEGORIES, QUESTION_TYPES, TRAINING_TYPES
from learn.courses import quiz as quizzes
from learn.courses import services
from learn.courses.audience import Standing
from learn.errors import LearnError, NotFound
from learn.extensions import db
from learn.ledger import DocumentKind, find_document

bp = Blueprint("courses", __name__, url_prefix="/courses")

STATUS_FILTERS = ("未开始", "学习中", "已完成")
EVERYONE = "全体干部"


@bp.get("/")
def mine():
    rows = services.my_courses(current_user)
    return render_template(
        "courses/mine.html",
        required=[p for p in rows if p.required and not p.completed],
        electives=[p for p in rows if not p.required and not p.completed],
        completed=[p for p in rows if p.completed],
    )


def _audience_match(course, audience: str) -> bool:
    if audience == EVERYONE:
        return any(rule.everyone for rule in course.audiences)
    return any(audience in (rule.categories or []) for rule in course.audiences)


@bp.get("/catalogue")
def catalogue():
    args = {
        "q": request.args.get("q", "").strip()[:50],
        "type": request.args.get("type", ""),
        "req": request.args.get("req", ""),
        "audience": request.args.get("audience", ""),
        "status": request.args.get("status", ""),
    }
    courses = services.search_courses(services.published_courses(), args["q"])
    if args["type"] in TRAINING_TYPES:
        courses = [c for c in courses if c.training_type == args["type"]]
    if args["audience"] in (*CATEGORIES, EVERYONE):
        courses = [c for c in courses if _audience_match(c, args["audience"])]
    rows = services.progress_for(current_user, courses)
    if args["req"] == "必修":
        rows = [p for p in rows if p.required]
    elif args["req"] == "选修":
        rows = [p for p in rows if p.standing == Standing.ELECTIVE]
    if args["status"] in STATUS_FILTERS:
        rows = [p for p in rows if p.status_label == args["status"]]
    return render_template(
        "courses/catalogue.html",
        rows=rows,
        args=args,
        training_types=TRAINING_TYPES,
        audiences=(EVERYONE, *CATEGORIES),
        statuses=STATUS_FILTERS,
    )


def _course_page(slug: str):
    course = services.visible_course(current_user, slug)
    progress = services.study_progress(current_user, course)
    return course, progress


@bp.get("/<slug>")
def detail(slug: str):
    course, progress = _course_page(slug)
    done = services.done_lesson_ids(current_user.id)
    certificate = None
    if progress.completed:
        certificate = find_document(current_user.id, DocumentKind.COURSE, course.slug)
    return render_template(
        "courses/detail.html",
        course=course,
        progress=progress,
        can_study=services.can_study(course, progress),
        done=done,
        quiz=quizzes.quiz_state(current_user, course) if course.has_quiz else None,
        certificate=certificate,
    )


@bp.post("/<slug>/enroll")
def enroll(slug: str):
    course = services.visible_course(current_user, slug)
    try:
        services.enroll(current_user, course)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"已报名《{course.title}》，可以开始学习了。", "success")
    return redirect(url_for("courses.detail", slug=course.slug))


def _neighbours(course, lesson):
    lessons = course.active_lessons
    index = lessons.index(lesson)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return index, previous, following


@bp.get("/<slug>/lessons/<key>")
def lesson(slug: str, key: str):
    course = services.visible_course(current_user, slug)
    progress, done = services.lesson_page_progress(current_user, course)
    if not services.can_study(course, progress) and not services.is_course_editor(current_user):
        flash("请先报名本课程，再开始学习。", "info")
        return redirect(url_for("courses.detail", slug=course.slug))
    current = services.get_lesson(course, key)
    index, previous, following = _neighbours(course, current)
    return render_template(
        "courses/lesson.html",
        course=course,
        lesson=current,
        index=index,
        previous=previous,
        following=following,
        progress=progress,
        done=done,
        can_study=services.can_study(course, progress),
    )


@bp.post("/<slug>/lessons/<key>/done")
def lesson_done(slug: str, key: str):
    course = services.visible_course(current_user, slug)
    current = services.get_lesson(course, key)
    _, _, following = _neighbours(course, current)
    try:
        enrollment = services.complete_lesson(current_user, course, current)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("courses.detail", slug=course.slug))
    db.session.commit()
    if enrollment.completed_at is not None:
        flash(f"恭喜，您已完成《{course.title}》，{course.hours:g} 学时已计入学时台账。", "success")
        return redirect(url_for("courses.detail", slug=course.slug))
    if following is not None:
        return redirect(url_for("courses.lesson", slug=course.slug, key=following.key))
    flash("本课程的课时已全部学完。" + ("请完成课后测验。" if course.has_quiz else ""), "success")
    return redirect(url_for("courses.detail", slug=course.slug, _anchor="quiz"))


@bp.post("/<slug>/quiz")
def start_quiz(slug: str):
    course = services.visible_course(current_user, slug)
    try:
        attempt = quizzes.start_attempt(current_user, course)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("courses.detail", slug=course.slug))
    db.session.commit()
    return redirect(url_for("courses.attempt", slug=course.slug, attempt_id=attempt.id))


@bp.route("/<slug>/quiz/<int:attempt_id>", methods=["GET", "POST"])
def attempt(slug: str, attempt_id: int):
    course = services.visible_course(current_user, slug)
    if not course.has_quiz:
        raise NotFound("本课程没有测验。")
    found = quizzes.get_attempt(current_user, course, attempt_id)
    questions = quizzes.attempt_questions(found)
    if request.method == "POST":
        raw = {str(q.id): request.form.getlist(f"q{q.id}") for q in questions}
        try:
            quizzes.submit_attempt(current_user, course, found, raw)
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("courses.detail", slug=course.slug))
        db.session.commit()
        return redirect(url_for("courses.attempt", slug=course.slug, attempt_id=found.id))
    return render_template(
        "courses/quiz.html",
        course=course,
        attempt=found,
        questions=questions,
        type_labels=QUESTION_TYPES,
        state=quizzes.quiz_state(current_user, course),
        is_correct=quizzes.is_correct,
        enrollment=services.enrollment_for(current_user.id, course.id),
    )
