"""Courses written in the browser: create, edit, publish, archive, and export to files.

Browser courses obey the same rules as content files (the checks come from
``learn.content.courses``) and export to the same layout, so a county without
anyone who edits files can still run its own courses, and a county that does
can move them into ``courses/``. Courses maintained as files are read-only
here: ``learn content sync`` would overwrite browser edits.
"""

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from learn.accounts import Role
from learn.audit import record_event
from learn.content.courses import (
    AudienceRule,
    CourseDoc,
    LessonDoc,
    QuestionDoc,
    QuizSpec,
    check_course_meta,
    check_question,
    dump_course,
)
from learn.core.db import utcnow
from learn.core.markdown import render_markdown
from learn.courses.models import Course, CourseSource, CourseStatus, Lesson, Question
from learn.courses.sync import apply_audiences, apply_citations
from learn.errors import Conflict, LearnError, PermissionDenied
from learn.extensions import db


class InvalidCourse(LearnError):
    """Fields that break the course rules; ``problems`` lists each message."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def can_edit(user, course: Course) -> bool:
    """Browser courses are edited by whoever created them, or an admin."""
    if course.source != CourseSource.WEB:
        return False
    return user.has_role(Role.ADMIN) or course.created_by_id == user.id


def require_editable(user, course: Course) -> None:
    if course.source != CourseSource.WEB:
        raise PermissionDenied(
            "该课程由内容文件维护：请修改 courses/ 下的文件后执行 learn content sync。"
        )
    if not can_edit(user, course):
        raise PermissionDenied("只有课程的创建人或系统管理员可以修改该课程。")


@dataclass(frozen=True)
class CourseFields:
    """What the course form carries, before the rules are applied."""

    slug: str
    title: str
    summary: str
    hours: Decimal | None
    training_type: str
    audiences: list[dict]
    quiz: dict | None
    cites_cases: list[str]
    intro: str


def _checked(fields: CourseFields) -> dict:
    meta = {
        "id": fields.slug,
        "title": fields.title,
        "summary": fields.summary,
        "hours": float(fields.hours) if fields.hours is not None else None,
        "training_type": fields.training_type,
        "audiences": fields.audiences,
        "cites_cases": fields.cites_cases,
    }
    if fields.quiz is not None:
        meta["quiz"] = fields.quiz
    parsed, problems = check_course_meta(meta)
    if not fields.intro.strip():
        problems.append("请填写课程导言。")
    if problems:
        raise InvalidCourse(problems)
    return parsed


def _apply(course: Course, parsed: dict, intro: str) -> None:
    course.title = parsed["title"]
    course.summary = parsed["summary"]
    course.hours = parsed["hours"]
    course.training_type = parsed["training_type"]
    quiz = parsed["quiz"]
    course.quiz_draw = quiz.draw if quiz else None
    course.quiz_pass_mark = quiz.pass_mark if quiz else None
    course.quiz_max_attempts = quiz.max_attempts if quiz else None
    course.intro_md = intro.strip() + "\n"
    course.intro_html = render_markdown(intro)
    course.updated_at = utcnow()
    apply_audiences(course, parsed["audiences"])
    apply_citations(course, parsed["cites_cases"])


def create_course(actor, fields: CourseFields) -> Course:
    """A new draft course maintained in the browser."""
    parsed = _checked(fields)
    if db.session.scalar(select(Course.id).where(Course.slug == parsed["slug"])):
        raise Conflict(f"课程 id “{parsed['slug']}”已被使用，请换一个。")
    course = Course(
        slug=parsed["slug"],
        source=CourseSource.WEB,
        status=CourseStatus.DRAFT,
        created_by_id=actor.id,
    )
    db.session.add(course)
    _apply(course, parsed, fields.intro)
    db.session.flush()
    record_event("course_created", actor, target_type="course", target_id=course.slug)
    return course


def update_course(actor, course: Course, fields: CourseFields) -> Course:
    """Change a browser course; its id (used in links and the ledger) stays."""
    require_editable(actor, course)
    parsed = _checked(CourseFields(**{**fields.__dict__, "slug": course.slug}))
    _apply(course, parsed, fields.intro)
    db.session.flush()
    record_event("course_updated", actor, target_type="course", target_id=course.slug)
    return course


def _next_lesson_key(course: Course) -> str:
    taken = {lesson.key for lesson in course.lessons}
    n = len(course.lessons) + 1
    while f"lesson-{n}" in taken:
        n += 1
    return f"lesson-{n}"


def save_lesson(
    actor, course: Course, lesson: Lesson | None, *, title: str, minutes, body: str, position
) -> Lesson:
    """Create (``lesson`` None) or change a lesson of a browser course."""
    require_editable(actor, course)
    problems = []
    if not title.strip():
        problems.append("请填写课时标题。")
    if not body.strip():
        problems.append("课时正文不能为空。")
    if problems:
        raise InvalidCourse(problems)
    last = max((x.position for x in course.active_lessons), default=0)
    if lesson is None:
        lesson = Lesson(key=_next_lesson_key(course))
        course.lessons.append(lesson)
        position = position or last + 1
    lesson.title = title.strip()
    lesson.minutes = minutes or None
    lesson.body_md = body.strip() + "\n"
    lesson.body_html = render_markdown(body)
    lesson.position = position or lesson.position
    lesson.archived = False
    course.updated_at = utcnow()
    db.session.flush()
    return lesson


def archive_lesson(actor, course: Course, lesson: Lesson) -> None:
    """Take a lesson out of a browser course; progress rows stay."""
    require_editable(actor, course)
    if course.is_published and len(course.active_lessons) <= 1:
        raise LearnError("已发布的课程至少要保留一个课时。")
    lesson.archived = True
    db.session.flush()


def _next_question_key(course: Course) -> str:
    taken = {q.key for q in course.questions}
    n = len(course.questions) + 1
    while f"q{n:02d}" in taken:
        n += 1
    return f"q{n:02d}"


def save_question(actor, course: Course, question: Question | None, data: dict) -> Question:
    """Create or change a question; ``data`` has the keys of a questions.yaml entry."""
    require_editable(actor, course)
    key = question.key if question is not None else _next_question_key(course)
    doc, problems = check_question({**data, "id": key})
    if doc is None:
        raise InvalidCourse(problems)
    if question is None:
        question = Question(key=key, position=len(course.questions))
        course.questions.append(question)
    question.qtype = doc.qtype
    question.stem = doc.stem
    question.options = list(doc.options)
    question.answer = list(doc.answer)
    question.explanation = doc.explanation
    question.archived = False
    db.session.flush()
    return question


def archive_question(actor, course: Course, question: Question) -> None:
    require_editable(actor, course)
    if course.is_published and course.has_quiz and len(course.active_questions) <= course.quiz_draw:
        raise LearnError(
            f"已发布课程每次测验抽 {course.quiz_draw} 题，题库不能少于这个数；请先增加题目。"
        )
    question.archived = True
    db.session.flush()


def publish_problems(course: Course) -> list[str]:
    """What stops a browser course from being published."""
    problems = []
    if not course.active_lessons:
        problems.append("至少需要一个课时。")
    if course.has_quiz and len(course.active_questions) < course.quiz_draw:
        problems.append(
            f"每次测验抽 {course.quiz_draw} 题，但题库只有 {len(course.active_questions)} 道题。"
        )
    return problems


def publish_course(actor, course: Course) -> None:
    require_editable(actor, course)
    problems = publish_problems(course)
    if problems:
        raise InvalidCourse(problems)
    course.status = CourseStatus.PUBLISHED
    course.archived_at = None
    db.session.flush()
    record_event("course_published", actor, target_type="course", target_id=course.slug)


def archive_course(actor, course: Course) -> None:
    """Withdraw a browser course; enrolments, progress and hours stay."""
    require_editable(actor, course)
    course.status = CourseStatus.ARCHIVED
    course.archived_at = utcnow()
    db.session.flush()
    record_event("course_archived", actor, target_type="course", target_id=course.slug)


def course_doc(course: Course) -> CourseDoc:
    """The course as content, exactly as ``learn.content.courses`` would read it."""
    lessons = [
        LessonDoc(lesson.key, position, lesson.title, lesson.minutes, lesson.body_md)
        for position, lesson in enumerate(
            sorted(course.active_lessons, key=lambda x: (x.position, x.id)), start=1
        )
    ]
    questions = [
        QuestionDoc(q.key, q.qtype, q.stem, tuple(q.options), tuple(q.answer), q.explanation)
        for q in course.active_questions
    ]
    quiz = None
    if course.has_quiz:
        quiz = QuizSpec(course.quiz_draw, course.quiz_pass_mark, course.quiz_max_attempts)
    return CourseDoc(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        hours=course.hours,
        training_type=course.training_type,
        audiences=tuple(
            AudienceRule(
                a.requirement,
                a.everyone,
                tuple(a.categories),
                tuple(a.rank_bands),
                tuple(a.unit_types),
            )
            for a in course.audiences
        ),
        intro=course.intro_md,
        lessons=tuple(lessons),
        questions=tuple(questions),
        quiz=quiz,
        cites_cases=tuple(course.cites_cases),
    )


def export_zip(course: Course) -> bytes:
    """A zip holding ``<id>/course.md``, ``<id>/lessons/NN-key.md`` and ``<id>/questions.yaml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in dump_course(course_doc(course)).items():
            archive.writestr(f"{course.slug}/{name}", text.encode("utf-8"))
    return buffer.getvalue()
