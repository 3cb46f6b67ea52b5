"""Who may see and do what in mentorship.

- A pairing (and its meeting notes) is visible to its mentor, its mentee and
  its programme owners: the trainers of the mentee's unit, and admins.
- A trainer's units are their own unit, the units below it and, for a 片区协作组,
  the units in that cluster.
- A leader sees the units linked to them (挂联), nothing else.

Objects a user may not see are reported as not found, so their existence does
not leak.
"""

from learn.accounts import Role
from learn.errors import NotFound, PermissionDenied
from learn.org import services as org

PAIRING_NOT_FOUND = "帮带关系不存在，或您无权查看。"


def is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def is_trainer(user) -> bool:
    return user.has_role(Role.TRAINER) or is_admin(user)


def trainer_unit_ids(user) -> set[int] | None:
    """Units whose pairings ``user`` runs; None means all (admin)."""
    if is_admin(user):
        return None
    if user.has_role(Role.TRAINER):
        return org.with_units_below({user.unit_id}) if user.unit_id else set()
    return set()


def owns_unit(user, unit_id: int | None) -> bool:
    scope = trainer_unit_ids(user)
    return scope is None or unit_id in scope


def is_programme_owner(user, pairing) -> bool:
    """A trainer of the mentee's unit, or an admin."""
    return is_trainer(user) and owns_unit(user, pairing.mentee.unit_id)


def can_view_pairing(user, pairing) -> bool:
    return pairing.has_party(user) or is_programme_owner(user, pairing)


def can_read_notes(user, pairing) -> bool:
    """Meeting notes: the pair and the programme owner, nobody else."""
    return can_view_pairing(user, pairing)


def require_view(user, pairing) -> None:
    if not can_view_pairing(user, pairing):
        raise NotFound(PAIRING_NOT_FOUND)


def require_owner(user, pairing) -> None:
    require_view(user, pairing)
    if not is_programme_owner(user, pairing):
        raise PermissionDenied("只有负责该学员所在单位的培训管理员可以进行此操作。")


def require_mentor(user, pairing) -> None:
    require_view(user, pairing)
    if user.id != pairing.mentor_id:
        raise PermissionDenied("只有该帮带关系的导师可以进行此操作。")


def require_mentee(user, pairing) -> None:
    require_view(user, pairing)
    if user.id != pairing.mentee_id:
        raise PermissionDenied("只有该帮带关系的学员本人可以进行此操作。")


def require_party(user, pairing) -> None:
    require_view(user, pairing)
    if not pairing.has_party(user):
        raise PermissionDenied("只有导师和学员本人可以进行此操作。")


def require_linked_unit(user, unit_id: int):
    """The unit, if it is linked to leader ``user``; otherwise not found."""
    if not user.has_role(Role.LEADER) or unit_id not in org.linked_unit_ids(user.id):
        raise NotFound("单位不存在，或不是您挂联的单位。")
    return org.get_unit(unit_id)
