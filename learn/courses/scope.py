"""Whose learning a trainer or leader may see and direct.

A trainer: their own unit and every unit below it (and, for a 片区协作组, its
member units). A leader (班子成员): the units linked to them (挂联) and the
units below those. An admin: everyone. Shared by course assignment and reports.
"""

from sqlalchemy import select

from learn.accounts import Role, User
from learn.extensions import db
from learn.org import OrgUnit
from learn.org import services as org

ALL = None  # scope of an admin: no restriction


def scope_unit_ids(user) -> set[int] | None:
    """Unit ids ``user`` may report on and assign courses to; None means every unit."""
    if user.has_role(Role.ADMIN):
        return ALL
    roots: set[int] = set()
    if user.has_role(Role.TRAINER) and user.unit_id:
        roots.add(user.unit_id)
    if user.has_role(Role.LEADER):
        roots |= org.linked_unit_ids(user.id)
    if not roots:
        return set()
    return org.with_units_below(roots)


def units_in_scope(user) -> list[OrgUnit]:
    """The units ``user`` may see, in tree order."""
    ids = scope_unit_ids(user)
    return [u for u in org.all_units() if ids is ALL or u.id in ids]


def people_in_scope(user, unit_ids: set[int] | None = None) -> list[User]:
    """Active cadres in ``user``'s scope, optionally narrowed to ``unit_ids``, by unit and name."""
    allowed = scope_unit_ids(user)
    stmt = select(User).where(User.active.is_(True))
    if allowed is not ALL:
        stmt = stmt.where(User.unit_id.in_(allowed or {-1}))
    if unit_ids is not None:
        stmt = stmt.where(User.unit_id.in_(unit_ids or {-1}))
    return list(db.session.scalars(stmt.order_by(User.unit_id, User.name, User.id)))


def in_scope(user, person: User) -> bool:
    """May ``user`` see ``person``'s learning?"""
    allowed = scope_unit_ids(user)
    return allowed is ALL or (person.unit_id is not None and person.unit_id in allowed)
