"""What other pages show of a cadre's courses: the mentorship API, the progress
section on a mentee's page and the template slots (the home panel is in ``panels``)."""

from sqlalchemy import select

from learn.core.progress import ProgressSection
from learn.core.timefmt import local_today
from learn.courses.models import Course, CourseCaseCitation, CourseStatus
from learn.courses.services import CourseProgress, my_courses
from learn.extensions import db
from learn.ledger import hours_chart, outlook, quota_status
from learn.ledger.services import cumulative_by_month, entries_for


def course_progress(user) -> list[CourseProgress]:
    """Courses required for or taken by ``user``: title, required, percent, completed_at."""
    return my_courses(user)


def required_completion(user) -> tuple[int, int]:
    """(required courses completed, required courses in total) for ``user`` now."""
    required = [p for p in my_courses(user) if p.required]
    return sum(1 for p in required if p.completed), len(required)


def _hours_series(user, year: int) -> list:
    running = cumulative_by_month(entries_for(user.id, range(year, year + 1)), year)
    last = local_today().month if year == local_today().year else 12
    return [(f"{year}-{m:02d}", float(running[m - 1])) for m in range(1, last + 1)]


def progress_section(user) -> ProgressSection:
    """Courses completed, required ones outstanding and 学时 against quota, with a chart."""
    year = local_today().year
    courses = my_courses(user)
    status = quota_status(user, year)
    entries = entries_for(user.id, range(year, year + 1))
    return ProgressSection(
        key="courses",
        title="课程学习与学时",
        template="courses/_progress_section.html",
        context={
            "completed": [p for p in courses if p.completed],
            "outstanding": [p for p in courses if p.required and not p.completed],
            "status": status,
            "outlook": outlook(status, local_today()),
            "chart": hours_chart(entries, status, year),
            "year": year,
        },
        series={"累计学时": _hours_series(user, year)},
        order=10,
    )


def cited_by_slot(case_id: str = "", **_):
    """Slot ``case_cited_by``: the published courses that cite a case."""
    courses = list(
        db.session.scalars(
            select(Course)
            .join(CourseCaseCitation, CourseCaseCitation.course_id == Course.id)
            .where(CourseCaseCitation.case_id == str(case_id))
            .where(Course.status == CourseStatus.PUBLISHED)
            .order_by(Course.title)
        )
    )
    if not courses:
        return None
    return "courses/_cited_by.html", {"citing_courses": courses}


def ledger_outstanding_slot(user=None, year: int | None = None, **_):
    """Slot ``ledger_outstanding`` on 我的学时: required courses not yet completed."""
    if user is None or year != local_today().year:
        return None
    outstanding = [p for p in my_courses(user) if p.required and not p.completed]
    return "courses/_ledger_outstanding.html", {"outstanding": outstanding}
