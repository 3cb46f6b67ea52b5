"""The home-page panel: my required courses still to do, and this year's hours against the quota.

It shows the same rows as ``services.my_courses`` but reads only what the panel
needs: courses without their lesson bodies, intros and citations, lesson counts
from one grouped query, and unit assignments for the cadre's own units only.
"""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import defer, lazyload

from learn.core.timefmt import local_today
from learn.courses.audience import Cadre, standing
from learn.courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentOrigin,
    Lesson,
    LessonProgress,
    UnitAssignment,
)
from learn.courses.services import CourseProgress, passed_course_ids
from learn.extensions import db
from learn.home.panels import Panel
from learn.ledger import quota_status

OUTSTANDING_SHOWN = 5


def _courses(enrolled_ids: set[int]) -> list[Course]:
    """Published courses by title, then the other courses the cadre enrolled in."""
    rows = db.session.scalars(
        select(Course)
        .options(
            defer(Course.intro_md),
            defer(Course.intro_html),
            lazyload(Course.lessons),
            lazyload(Course.citations),
        )
        .where(or_(Course.status == CourseStatus.PUBLISHED, Course.id.in_(enrolled_ids or {-1})))
        .order_by(Course.title)
    ).all()
    return [c for c in rows if c.is_published] + [c for c in rows if not c.is_published]


def _assigned_units(course_ids, cadre: Cadre) -> dict[int, set[int]]:
    """Course id → the cadre's units it was assigned to (others cannot make it required)."""
    found: dict[int, set[int]] = {}
    for course_id, unit_id in db.session.execute(
        select(UnitAssignment.course_id, UnitAssignment.unit_id).where(
            UnitAssignment.course_id.in_(course_ids),
            UnitAssignment.unit_id.in_(cadre.unit_chain or {-1}),
        )
    ):
        found.setdefault(course_id, set()).add(unit_id)
    return found


def _lesson_counts(course_ids, user_id: int) -> dict[int, tuple[int, int]]:
    """Course id → (current lessons the user finished, current lessons)."""
    rows = db.session.execute(
        select(Lesson.course_id, func.count(LessonProgress.lesson_id), func.count(Lesson.id))
        .outerjoin(
            LessonProgress,
            (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id),
        )
        .where(Lesson.course_id.in_(course_ids), Lesson.archived.is_(False))
        .group_by(Lesson.course_id)
    )
    return {course_id: (finished, total) for course_id, finished, total in rows}


def my_course_rows(user) -> list[CourseProgress]:
    """The rows of ``services.my_courses(user)``, in the same order."""
    enrollments = {
        e.course_id: e
        for e in db.session.scalars(
            select(Enrollment)
            .options(lazyload(Enrollment.course))
            .where(Enrollment.user_id == user.id)
        )
    }
    courses = _courses(set(enrollments))
    ids = [c.id for c in courses]
    cadre = Cadre.of(user)
    assigned = _assigned_units(ids, cadre)
    counts = _lesson_counts(ids, user.id)
    passed = passed_course_ids(user.id)
    rows = []
    for course in courses:
        enrollment = enrollments.get(course.id)
        personal = enrollment is not None and enrollment.origin == EnrollmentOrigin.ASSIGNED
        current = (
            standing(course, cadre, assigned.get(course.id, set()), personal)
            if course.is_published
            else None
        )
        finished, total = counts.get(course.id, (0, 0))
        progress = CourseProgress(course, current, enrollment, finished, total, course.id in passed)
        if progress.required or enrollment is not None:
            rows.append(progress)
    return sorted(rows, key=lambda p: (p.completed, not p.required, p.title))


def home_panel(user) -> Panel:
    """My required courses still to do, and this year's hours against the quota."""
    year = local_today().year
    required = [p for p in my_course_rows(user) if p.required]
    return Panel(
        title="我的必修课程与学时",
        template="courses/_home_panel.html",
        context={
            "outstanding": [p for p in required if not p.completed][:OUTSTANDING_SHOWN],
            "required_done": sum(1 for p in required if p.completed),
            "required_total": len(required),
            "status": quota_status(user, year),
            "year": year,
        },
        order=10,
    )
