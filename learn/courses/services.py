"""Learning use cases: find courses, where each stands for a cadre, enrol, study, complete.

Completion (all current lessons done and the quiz, if any, passed) is
credited to the 学时 ledger once, as online self-study, and issues the
course certificate. Adds and flushes; views commit.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from learn.accounts import Role
from learn.core.db import utcnow
from learn.courses.audience import Cadre, Standing, standing
from learn.courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentOrigin,
    Lesson,
    LessonProgress,
    QuizAttempt,
    UnitAssignment,
)
from learn.errors import LearnError, NotFound
from learn.extensions import db
from learn.ledger import SourceType, credit_hours, issue_course_certificate
from learn.notifications import notify


def is_course_editor(user) -> bool:
    return user.has_role(Role.TRAINER) or user.has_role(Role.ADMIN)


def get_course(slug: str) -> Course:
    # citations are read by few pages; they load on first use
    course = db.session.scalar(
        select(Course).options(lazyload(Course.citations)).where(Course.slug == slug)
    )
    if course is None:
        raise NotFound("课程不存在或已下线。")
    return course


def enrollment_for(user_id: int, course_id: int) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
    )


def visible_course(user, slug: str) -> Course:
    """A course ``user`` may open: published ones; archived ones they took; all for editors."""
    course = get_course(slug)
    if course.is_published or is_course_editor(user):
        return course
    if course.status == CourseStatus.ARCHIVED and enrollment_for(user.id, course.id):
        return course
    raise NotFound("课程不存在或已下线。")


def published_courses() -> list[Course]:
    return list(
        db.session.scalars(
            select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.title)
        )
    )


def unit_assignments() -> dict[int, set[int]]:
    """Course id → the units it was assigned to."""
    found: dict[int, set[int]] = {}
    for course_id, unit_id in db.session.execute(
        select(UnitAssignment.course_id, UnitAssignment.unit_id)
    ):
        found.setdefault(course_id, set()).add(unit_id)
    return found


def enrollments_of(user_ids) -> dict[tuple[int, int], Enrollment]:
    """(user id, course id) → enrolment, for every given user."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(Enrollment).where(Enrollment.user_id.in_(ids)))
    return {(e.user_id, e.course_id): e for e in rows}


def standings_for(users, courses: list[Course]) -> dict[tuple[int, int], Standing | None]:
    """(user id, course id) → how the course stands for the user, for many users at once."""
    assigned_units = unit_assignments()
    enrollments = enrollments_of(u.id for u in users)
    result = {}
    for user in users:
        cadre = Cadre.of(user)
        for course in courses:
            enrollment = enrollments.get((user.id, course.id))
            personal = enrollment is not None and enrollment.origin == EnrollmentOrigin.ASSIGNED
            # a draft or archived course is neither required nor open to anyone
            result[(user.id, course.id)] = (
                standing(course, cadre, assigned_units.get(course.id, set()), personal)
                if course.is_published
                else None
            )
    return result


def standing_for(user, course: Course) -> Standing | None:
    return standings_for([user], [course])[(user.id, course.id)]


def done_lesson_ids(user_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(LessonProgress.user_id == user_id)
        )
    )


def passed_course_ids(user_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(QuizAttempt.course_id).where(
                QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True)
            )
        )
    )


@dataclass(frozen=True)
class CourseProgress:
    """One course as one cadre sees it (also what the mentorship domain shows)."""

    course: Course
    standing: Standing | None
    enrollment: Enrollment | None
    lessons_done: int
    lessons_total: int
    quiz_passed: bool

    @property
    def title(self) -> str:
        return self.course.title

    @property
    def slug(self) -> str:
        return self.course.slug

    @property
    def required(self) -> bool:
        return self.standing is not None and self.standing.required

    @property
    def completed_at(self) -> datetime | None:
        return self.enrollment.completed_at if self.enrollment else None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        steps = self.lessons_total + (1 if self.course.has_quiz else 0)
        done = self.lessons_done + (1 if self.quiz_passed else 0)
        return int(done * 100 / steps) if steps else 0

    @property
    def started(self) -> bool:
        return self.enrollment is not None or self.lessons_done > 0

    @property
    def status_label(self) -> str:
        if self.completed:
            return "已完成"
        return "学习中" if self.started and self.percent > 0 else "未开始"


def progress_for(user, courses: list[Course]) -> list[CourseProgress]:
    """Each course's progress for ``user``, in the order given."""
    standings = standings_for([user], courses)
    enrollments = enrollments_of([user.id])
    done = done_lesson_ids(user.id)
    passed = passed_course_ids(user.id)
    return [
        CourseProgress(
            course=course,
            standing=standings[(user.id, course.id)],
            enrollment=enrollments.get((user.id, course.id)),
            lessons_done=sum(1 for lesson in course.active_lessons if lesson.id in done),
            lessons_total=len(course.active_lessons),
            quiz_passed=course.id in passed,
        )
        for course in courses
    ]


def my_courses(user) -> list[CourseProgress]:
    """Published courses that are required for ``user`` or that they enrolled in, plus
    archived courses they completed or started; required first."""
    enrolled_ids = {course_id for (_, course_id) in enrollments_of([user.id])}
    courses = published_courses()
    courses += [
        c
        for c in db.session.scalars(select(Course).where(Course.id.in_(enrolled_ids or {-1})))
        if not c.is_published
    ]
    rows = [p for p in progress_for(user, courses) if p.required or p.course.id in enrolled_ids]
    return sorted(rows, key=lambda p: (p.completed, not p.required, p.title))


def can_study(course: Course, progress: CourseProgress) -> bool:
    """Lessons and quiz are open when the course is live and required or enrolled in."""
    return course.is_published and (progress.required or progress.enrollment is not None)


def enroll(user, course: Course) -> Enrollment:
    """Self-enrol in a published course meant for ``user`` (required ones need no enrolment)."""
    if not course.is_published:
        raise LearnError("该课程未发布或已归档，不能报名。")
    found = enrollment_for(user.id, course.id)
    if found is not None:
        return found
    current = standing_for(user, course)
    if current is None:
        raise LearnError("本课程不面向您所在的类别；如需学习，请联系培训管理员为您指定。")
    origin = EnrollmentOrigin.REQUIRED if current.required else EnrollmentOrigin.ELECTIVE
    return _add_enrollment(user.id, course.id, origin)


def _add_enrollment(user_id: int, course_id: int, origin: str, assigned_by=None) -> Enrollment:
    enrollment = Enrollment(
        user_id=user_id,
        course_id=course_id,
        origin=origin,
        assigned_by_id=getattr(assigned_by, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(enrollment)
    except IntegrityError:
        # a concurrent request enrolled them first; theirs stands
        return enrollment_for(user_id, course_id)
    return enrollment


def study_progress(user, course: Course) -> CourseProgress:
    return progress_for(user, [course])[0]


def lesson_page_progress(user, course: Course) -> tuple[CourseProgress, set[int]]:
    """``study_progress`` and the ids of the course's lessons ``user`` finished, reading only
    this course's rows (the lesson page is the most visited page)."""
    # the course is at hand: loading it again with the enrolment would reload its collections
    enrollment = db.session.scalar(
        select(Enrollment)
        .options(lazyload(Enrollment.course))
        .where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    personal = enrollment is not None and enrollment.origin == EnrollmentOrigin.ASSIGNED
    current = None
    if course.is_published:
        units = db.session.scalars(
            select(UnitAssignment.unit_id).where(UnitAssignment.course_id == course.id)
        )
        current = standing(course, Cadre.of(user), set(units), personal)
    lesson_ids = [lesson.id for lesson in course.active_lessons]
    done = set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids or [-1])
            )
        )
    )
    passed = db.session.scalar(
        select(
            exists().where(
                QuizAttempt.user_id == user.id,
                QuizAttempt.course_id == course.id,
                QuizAttempt.passed.is_(True),
            )
        )
    )
    progress = CourseProgress(course, current, enrollment, len(done), len(lesson_ids), passed)
    return progress, done


def require_study(user, course: Course) -> CourseProgress:
    """The progress of a course ``user`` may study now, or a LearnError saying why not."""
    progress = study_progress(user, course)
    if not course.is_published:
        raise LearnError("该课程已归档，学习记录已保留，但不能继续学习。")
    if not can_study(course, progress):
        raise LearnError("请先报名本课程，再开始学习。")
    return progress


def get_lesson(course: Course, key: str) -> Lesson:
    for lesson in course.active_lessons:
        if lesson.key == key:
            return lesson
    raise NotFound("课时不存在。")


def ensure_enrollment(user, course: Course) -> Enrollment:
    """The enrolment of a course ``user`` may study; starting a required one creates it."""
    progress = require_study(user, course)
    return progress.enrollment or _add_enrollment(user.id, course.id, EnrollmentOrigin.REQUIRED)


def complete_lesson(user, course: Course, lesson: Lesson) -> Enrollment:
    """Mark one lesson done (idempotent); completes the course when it was the last step."""
    enrollment = ensure_enrollment(user, course)
    if db.session.get(LessonProgress, (user.id, lesson.id)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
        except IntegrityError:
            pass  # marked done by a concurrent request: same outcome
    maybe_complete(user, course, enrollment)
    return enrollment


def maybe_complete(user, course: Course, enrollment: Enrollment) -> bool:
    """Complete and credit the course when every current lesson is done and the quiz passed."""
    if enrollment.completed_at is not None:
        return False
    done = done_lesson_ids(user.id)
    if any(lesson.id not in done for lesson in course.active_lessons):
        return False
    if course.has_quiz and course.id not in passed_course_ids(user.id):
        return False
    enrollment.completed_at = utcnow()
    credit_hours(
        user.id,
        SourceType.COURSE,
        course.slug,
        course.hours,
        course.title,
        online=True,
        when=enrollment.completed_at,
    )
    certificate = issue_course_certificate(
        user,
        course.slug,
        course.title,
        course.hours,
        enrollment.completed_at,
        course.training_type,
        with_quiz=course.has_quiz,
    )
    notify(
        user.id,
        f"已完成课程《{course.title}》",
        f"{course.hours:g} 学时已计入本年度学时，可打印结业证书。",
        # a plain path: completion also happens outside requests (demo loader, CLI)
        f"/ledger/documents/{certificate.code}",
    )
    db.session.flush()
    return True


def search_courses(courses: list[Course], q: str) -> list[Course]:
    """The courses whose title, summary, introduction or a lesson mentions ``q``."""
    q = q.strip()
    if not q:
        return courses
    pattern = f"%{q}%"
    lesson_hit = exists().where(
        Lesson.course_id == Course.id, Lesson.archived.is_(False), Lesson.body_md.ilike(pattern)
    )
    matching = set(
        db.session.scalars(
            select(Course.id).where(
                or_(
                    Course.title.ilike(pattern),
                    Course.summary.ilike(pattern),
                    Course.intro_md.ilike(pattern),
                    lesson_hit,
                )
            )
        )
    )
    return [c for c in courses if c.id in matching]


def completion_counts(course_ids) -> dict[int, int]:
    """Course id → how many cadres completed it."""
    rows = db.session.execute(
        select(Enrollment.course_id, func.count())
        .where(Enrollment.course_id.in_(list(course_ids) or [-1]))
        .where(Enrollment.completed_at.is_not(None))
        .group_by(Enrollment.course_id)
    )
    return dict(rows.all())
