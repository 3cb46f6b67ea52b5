"""Training groups (培训小组): created by a trainer or mentor, who runs their sessions."""

from sqlalchemy import select

from learn.accounts import Role, User
from learn.audit import record_event
from learn.drills.models import DrillGroup
from learn.errors import LearnError, NotFound, PermissionDenied
from learn.extensions import db

MIN_MEMBERS = 3
MAX_MEMBERS = 30
FACILITATOR_ROLES = (Role.TRAINER, Role.MENTOR)


def can_facilitate(user) -> bool:
    return any(user.has_role(role) for role in FACILITATOR_ROLES)


def candidate_members() -> list[User]:
    """Active accounts that may be put in a group, by unit then name."""
    users = db.session.scalars(select(User).where(User.active.is_(True)))
    return sorted(users, key=lambda u: (u.unit.name if u.unit else "", u.name, u.username))


def _members(member_ids: list[int]) -> list[User]:
    ids = sorted(set(member_ids))
    if not MIN_MEMBERS <= len(ids) <= MAX_MEMBERS:
        raise LearnError(f"小组须有 {MIN_MEMBERS}–{MAX_MEMBERS} 名成员，当前选择了 {len(ids)} 名。")
    users = list(db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))))
    if len(users) != len(ids):
        raise LearnError("所选成员中有账号不存在或已停用，请重新选择。")
    return users


def create_group(owner, name: str, member_ids: list[int]) -> DrillGroup:
    """Create a group owned by ``owner`` (a trainer or mentor)."""
    if not can_facilitate(owner):
        raise PermissionDenied("只有培训管理员或导师可以建立培训小组。")
    name = name.strip()
    if not name:
        raise LearnError("请填写小组名称。")
    group = DrillGroup(name=name, owner_id=owner.id, members=_members(member_ids))
    db.session.add(group)
    db.session.flush()
    record_event(
        "drill_group_created", owner, target_type="drill_group", target_id=group.id, detail=name
    )
    return group


def update_group(owner, group: DrillGroup, name: str, member_ids: list[int]) -> DrillGroup:
    """Rename the group and replace its members; past sessions keep their participants."""
    require_owner(owner, group)
    name = name.strip()
    if not name:
        raise LearnError("请填写小组名称。")
    group.name = name
    group.members = _members(member_ids)
    db.session.flush()
    record_event(
        "drill_group_updated", owner, target_type="drill_group", target_id=group.id, detail=name
    )
    return group


def require_owner(user, group: DrillGroup) -> None:
    if group.owner_id != user.id:
        raise NotFound("培训小组不存在，或不是您建立的小组。")


def get_group(user, group_id: int) -> DrillGroup:
    """The group, if ``user`` owns it; otherwise not found."""
    group = db.session.get(DrillGroup, group_id)
    if group is None:
        raise NotFound("培训小组不存在，或不是您建立的小组。")
    require_owner(user, group)
    return group


def groups_of(owner) -> list[DrillGroup]:
    return list(
        db.session.scalars(
            select(DrillGroup).where(DrillGroup.owner_id == owner.id).order_by(DrillGroup.name)
        )
    )
