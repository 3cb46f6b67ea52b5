"""Org use cases: create and edit units, link leaders to units, list the tree."""

from collections.abc import Iterable

from sqlalchemy import select

from learn.audit import record_event
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.org.models import LeaderUnitLink, OrgUnit, UnitType


def all_units() -> list[OrgUnit]:
    """Every unit, tree order: parents before children, by sort order then name."""
    units = list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.sort_order, OrgUnit.name)))
    by_parent: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[OrgUnit] = []

    def walk(parent_id):
        for unit in by_parent.get(parent_id, []):
            ordered.append(unit)
            walk(unit.id)

    walk(None)
    return ordered


def with_units_below(unit_ids: Iterable[int]) -> set[int]:
    """``unit_ids`` plus every unit below them and, for a 片区协作组, its member units."""
    units = all_units()
    found = set(unit_ids)
    while True:
        more = {u.id for u in units if u.parent_id in found or u.cluster_id in found} - found
        if not more:
            return found
        found |= more


def with_units_above(unit_ids: Iterable[int]) -> set[int]:
    """``unit_ids`` plus every unit whose ``with_units_below`` reaches one of them.

    That is each unit's parents up to the root and the 片区协作组 it belongs to,
    and theirs in turn: the units whose people are in charge of it, from one
    query of the unit tree.
    """
    links = {u.id: (u.parent_id, u.cluster_id) for u in all_units()}
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        above = {up for unit_id in frontier for up in links.get(unit_id, ()) if up is not None}
        frontier = above - found
        found |= frontier
    return found


def unit_depths() -> dict[int, int]:
    """Depth of each unit in the tree (root = 0), for indented lists."""
    depths: dict[int, int] = {}
    for unit in all_units():
        depths[unit.id] = 0 if unit.parent_id is None else depths.get(unit.parent_id, 0) + 1
    return depths


def get_unit(unit_id: int) -> OrgUnit:
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("单位不存在。")
    return unit


def get_unit_by_name(name: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.name == name))


def _validate(unit: OrgUnit, parent_id: int | None, cluster_id: int | None) -> None:
    if parent_id is not None:
        node = get_unit(parent_id)
        while node is not None:
            if node.id == unit.id:
                raise LearnError("上级单位不能是本单位或其下级单位。")
            node = node.parent
    if cluster_id is not None:
        cluster = get_unit(cluster_id)
        if cluster.unit_type != UnitType.CLUSTER:
            raise LearnError("所属片区须为“片区协作组”类型的单位。")
        if unit.unit_type == UnitType.CLUSTER:
            raise LearnError("片区协作组本身不能再归属其他片区。")


def save_unit(
    actor,
    unit: OrgUnit | None,
    *,
    name: str,
    unit_type: str,
    parent_id: int | None,
    cluster_id: int | None,
    sort_order: int = 0,
) -> OrgUnit:
    """Create (``unit`` None) or update a unit after checking the tree stays a tree."""
    name = name.strip()
    if unit_type not in set(UnitType):
        raise LearnError("单位类型无效。")
    clash = get_unit_by_name(name)
    if clash is not None and clash is not unit:
        raise Conflict(f"单位名称“{name}”已存在。")
    creating = unit is None
    if creating:
        unit = OrgUnit(name=name, unit_type=unit_type)
        db.session.add(unit)
        db.session.flush()
    unit.unit_type = unit_type
    _validate(unit, parent_id, cluster_id)
    unit.name = name
    unit.parent_id = parent_id
    unit.cluster_id = cluster_id
    unit.sort_order = sort_order
    db.session.flush()
    record_event(
        "unit_created" if creating else "unit_updated",
        actor,
        target_type="unit",
        target_id=unit.id,
        detail=unit.name,
    )
    return unit


def linked_unit_ids(leader_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(LeaderUnitLink.unit_id).where(LeaderUnitLink.leader_id == leader_id)
        )
    )


def linked_units(leader_id: int) -> list[OrgUnit]:
    """Units a leader is linked to (挂联), by name."""
    return list(
        db.session.scalars(
            select(OrgUnit)
            .join(LeaderUnitLink, LeaderUnitLink.unit_id == OrgUnit.id)
            .where(LeaderUnitLink.leader_id == leader_id)
            .order_by(OrgUnit.sort_order, OrgUnit.name)
        )
    )


def set_leader_links(actor, leader, unit_ids: set[int]) -> None:
    """Replace the set of units a leader is linked to."""
    current = linked_unit_ids(leader.id)
    for unit_id in unit_ids - current:
        get_unit(unit_id)
        db.session.add(LeaderUnitLink(leader_id=leader.id, unit_id=unit_id))
    for unit_id in current - unit_ids:
        link = db.session.get(LeaderUnitLink, (leader.id, unit_id))
        db.session.delete(link)
    db.session.flush()
    if unit_ids != current:
        names = "、".join(u.name for u in linked_units(leader.id)) or "无"
        record_event(
            "leader_links_changed", actor, target_type="user", target_id=leader.id, detail=names
        )
