"""Courses: content-file and browser-written courses, 分级分类 audiences, enrolment,
lesson progress, quizzes, completion credited to the 学时 ledger, and assignment.

Owns the tables courses, course_audiences, course_lessons, course_questions,
course_case_citations, course_unit_assignments, course_enrollments,
course_lesson_progress and course_quiz_attempts; the ``learn content sync``
and ``learn content check`` commands; the course pages under /courses.

Public names for other domains:
- ``required_completion(user) -> (done, total)`` required courses completed / required.
- ``course_progress(user) -> list[CourseProgress]`` (title, required, percent, completed_at).
- ``CourseProgress``, ``Standing``.
- ``scope_unit_ids(user)``, ``people_in_scope(user)``, ``in_scope(user, person)``: the units
  and people a trainer (own unit and below) or leader (linked units) may see; None = all.
- ``standings_for(users, courses)``, ``published_courses()``, ``enrollments_of(user_ids)``
  for reports over many people.
"""

from learn.courses.audience import Standing
from learn.courses.progress import course_progress, required_completion
from learn.courses.scope import (
    in_scope,
    people_in_scope,
    scope_unit_ids,
    units_in_scope,
)
from learn.courses.services import (
    CourseProgress,
    enrollments_of,
    published_courses,
    standings_for,
)

__all__ = [
    "CourseProgress",
    "Standing",
    "course_progress",
    "enrollments_of",
    "in_scope",
    "people_in_scope",
    "published_courses",
    "required_completion",
    "scope_unit_ids",
    "standings_for",
    "units_in_scope",
]
