"""Bring the course tables in line with the validated content files.

Upsert by id, skip courses whose folder hash is unchanged, archive courses
(and lessons, questions) whose files are gone — never delete, so progress,
attempts and ledger entries keep their course — and render Markdown once.
Adds and flushes; the caller commits.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from learn.audit import record_event
from learn.content import ContentError, ContentProblems
from learn.content.courses import CourseDoc
from learn.core.db import utcnow
from learn.core.markdown import render_markdown
from learn.courses.models import (
    Course,
    CourseAudience,
    CourseCaseCitation,
    CourseSource,
    CourseStatus,
    Lesson,
    Question,
)
from learn.extensions import db


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)

    def summary(self) -> str:
        return (
            f"新增 {len(self.created)} 门，更新 {len(self.updated)} 门，"
            f"未变 {len(self.unchanged)} 门，归档 {len(self.archived)} 门"
        )


def apply_audiences(course: Course, rules) -> None:
    """Replace the course's audience rules, keeping their order."""
    course.audiences.clear()
    db.session.flush()
    for position, rule in enumerate(rules):
        course.audiences.append(
            CourseAudience(
                position=position,
                requirement=rule.requirement,
                everyone=rule.everyone,
                categories=list(rule.categories),
                rank_bands=list(rule.rank_bands),
                unit_types=list(rule.unit_types),
            )
        )


def apply_citations(course: Course, case_ids) -> None:
    wanted = set(case_ids)
    for citation in list(course.citations):
        if citation.case_id not in wanted:
            course.citations.remove(citation)
    present = {c.case_id for c in course.citations}
    for case_id in sorted(wanted - present):
        course.citations.append(CourseCaseCitation(case_id=case_id))


def _apply_lessons(course: Course, docs) -> None:
    by_key = {lesson.key: lesson for lesson in course.lessons}
    for doc in docs:
        lesson = by_key.pop(doc.key, None)
        if lesson is None:
            lesson = Lesson(key=doc.key)
            course.lessons.append(lesson)
        lesson.position = doc.position
        lesson.title = doc.title
        lesson.minutes = doc.minutes
        lesson.body_md = doc.body
        lesson.body_html = render_markdown(doc.body)
        lesson.archived = False
    for gone in by_key.values():
        gone.archived = True


def _apply_questions(course: Course, docs) -> None:
    by_key = {q.key: q for q in course.questions}
    for position, doc in enumerate(docs):
        question = by_key.pop(doc.key, None)
        if question is None:
            question = Question(key=doc.key)
            course.questions.append(question)
        question.position = position
        question.qtype = doc.qtype
        question.stem = doc.stem
        question.options = list(doc.options)
        question.answer = list(doc.answer)
        question.explanation = doc.explanation
        question.archived = False
    for gone in by_key.values():
        gone.archived = True


def _apply(course: Course, doc: CourseDoc) -> None:
    course.title = doc.title
    course.summary = doc.summary
    course.hours = doc.hours
    course.training_type = doc.training_type
    course.intro_md = doc.intro
    course.intro_html = render_markdown(doc.intro)
    course.quiz_draw = doc.quiz.draw if doc.quiz else None
    course.quiz_pass_mark = doc.quiz.pass_mark if doc.quiz else None
    course.quiz_max_attempts = doc.quiz.max_attempts if doc.quiz else None
    course.content_hash = doc.content_hash
    course.status = CourseStatus.PUBLISHED
    course.archived_at = None
    course.updated_at = utcnow()
    apply_audiences(course, doc.audiences)
    apply_citations(course, doc.cites_cases)
    _apply_lessons(course, doc.lessons)
    _apply_questions(course, doc.questions)


def _check_no_clash(docs: list[CourseDoc], existing: dict[str, Course], root_name: str) -> None:
    clashes = [
        ContentError(
            f"{root_name}/{doc.slug}/course.md",
            2,
            "id",
            f"id “{doc.slug}”已被在网页上创建的课程使用，请改用其他 id",
        )
        for doc in docs
        if doc.slug in existing and existing[doc.slug].source != CourseSource.FILE
    ]
    if clashes:
        raise ContentProblems(clashes)


def sync_courses(docs: list[CourseDoc], actor=None, root_name: str = "courses") -> SyncReport:
    """Upsert ``docs`` (already validated) and archive file courses no longer present."""
    existing = {c.slug: c for c in db.session.scalars(select(Course))}
    _check_no_clash(docs, existing, root_name)
    report = SyncReport()
    for doc in docs:
        course = existing.get(doc.slug)
        if (
            course is not None
            and course.content_hash == doc.content_hash
            and course.status == CourseStatus.PUBLISHED
        ):
            report.unchanged.append(doc.slug)
            continue
        if course is None:
            course = Course(slug=doc.slug, source=CourseSource.FILE)
            db.session.add(course)
            report.created.append(doc.slug)
        else:
            report.updated.append(doc.slug)
        _apply(course, doc)
    present = {doc.slug for doc in docs}
    for slug, course in existing.items():
        if (
            course.source == CourseSource.FILE
            and course.status != CourseStatus.ARCHIVED
            and slug not in present
        ):
            course.status = CourseStatus.ARCHIVED
            course.archived_at = utcnow()
            report.archived.append(slug)
    db.session.flush()
    if report.changed:
        record_event("courses_synced", actor, target_type="course", detail=report.summary())
    return report
