"""Trainers assign a course to a unit (and the units below it) or to named people.

A unit assignment makes the course required for everyone there now and for
whoever joins later (it is read when standings are computed); a personal
assignment is stored on the person's enrolment. Only units and people in the
trainer's own scope can be assigned.
"""

import re

from sqlalchemy import select

from learn.accounts import User
from learn.audit import record_event
from learn.courses.models import Course, Enrollment, EnrollmentOrigin, UnitAssignment
from learn.courses.scope import in_scope, people_in_scope, scope_unit_ids
from learn.courses.services import enrollment_for
from learn.errors import LearnError, PermissionDenied
from learn.extensions import db
from learn.notifications import notify
from learn.org import services as org


def _notify_assigned(user_ids, course: Course) -> None:
    for user_id in user_ids:
        notify(
            user_id,
            f"新的必修课程：《{course.title}》",
            f"培训管理员为您指定了课程《{course.title}》（{course.hours:g} 学时），请按时完成。",
            f"/courses/{course.slug}",
        )


def _require_published(course: Course) -> None:
    if not course.is_published:
        raise LearnError("只能指定已发布的课程。")


def assign_to_unit(actor, course: Course, unit_id: int) -> UnitAssignment:
    """Make ``course`` required for a unit in ``actor``'s scope (idempotent)."""
    _require_published(course)
    unit = org.get_unit(unit_id)
    allowed = scope_unit_ids(actor)
    if allowed is not None and unit.id not in allowed:
        raise PermissionDenied("只能为您负责的单位指定课程。")
    found = db.session.scalar(
        select(UnitAssignment).where(
            UnitAssignment.course_id == course.id, UnitAssignment.unit_id == unit.id
        )
    )
    if found is not None:
        return found
    assignment = UnitAssignment(course_id=course.id, unit_id=unit.id, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    members = people_in_scope(actor, org.with_units_below({unit.id}))
    _notify_assigned((p.id for p in members), course)
    record_event(
        "course_assigned",
        actor,
        target_type="course",
        target_id=course.slug,
        detail=f"单位：{unit.name}",
    )
    return assignment


def _people_by_username(actor, usernames: list[str]) -> list[User]:
    wanted = [u.strip() for u in usernames if u.strip()]
    if not wanted:
        raise LearnError("请至少填写一个用户名。")
    found = {
        u.username: u for u in db.session.scalars(select(User).where(User.username.in_(wanted)))
    }
    unknown = [u for u in wanted if u not in found]
    if unknown:
        raise LearnError(f"以下用户名不存在：{'、'.join(unknown)}。请核对后重试。")
    outside = [found[u].name for u in wanted if not in_scope(actor, found[u])]
    if outside:
        raise PermissionDenied(f"以下人员不在您负责的单位：{'、'.join(outside)}。")
    return list(dict.fromkeys(found[u] for u in wanted))


def assign_to_people(actor, course: Course, usernames: list[str]) -> list[User]:
    """Make ``course`` required for each named person; nobody is assigned if one name is bad."""
    _require_published(course)
    people = _people_by_username(actor, usernames)
    for person in people:
        enrollment = enrollment_for(person.id, course.id)
        if enrollment is None:
            db.session.add(
                Enrollment(
                    user_id=person.id,
                    course_id=course.id,
                    origin=EnrollmentOrigin.ASSIGNED,
                    assigned_by_id=actor.id,
                )
            )
        elif enrollment.completed_at is None:
            enrollment.origin = EnrollmentOrigin.ASSIGNED
            enrollment.assigned_by_id = actor.id
    db.session.flush()
    _notify_assigned((p.id for p in people), course)
    record_event(
        "course_assigned",
        actor,
        target_type="course",
        target_id=course.slug,
        detail="人员：" + "、".join(p.name for p in people),
    )
    return people


def unit_assignments_of(course: Course) -> list[UnitAssignment]:
    return list(
        db.session.scalars(
            select(UnitAssignment)
            .where(UnitAssignment.course_id == course.id)
            .order_by(UnitAssignment.assigned_at)
        )
    )


def assigned_people(course: Course) -> list[tuple[User, Enrollment]]:
    rows = db.session.execute(
        select(User, Enrollment)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(
            Enrollment.course_id == course.id,
            Enrollment.origin == EnrollmentOrigin.ASSIGNED,
        )
        .order_by(User.name)
    )
    return [(user, enrollment) for user, enrollment in rows]


def parse_usernames(text: str) -> list[str]:
    """Split usernames typed one per line, or separated by commas, spaces or 、."""
    return [u for u in re.split(r"[\s,，、；;]+", text or "") if u]
