"""Who may do what with a series or session (object-level rules on top of roles).

- Trainers manage the series owned by their units: their own unit, everything
  below it and, when their unit is a 片区协作组, the units of that cluster.
- Speakers manage their own session's materials and topic.
- Leaders read feedback results of series owned by units in their scope: their
  own unit's subtree and the units they are linked to (挂联), with their clusters.
- Cadres see every session and register for those whose audience includes them.
"""

from flask import g, has_request_context

from learn.accounts import Role
from learn.lectures.models import Audience, LectureSeries, LectureSession
from learn.org import services as org


def unit_scope(start_ids: set[int]) -> set[int]:
    """The units ``start_ids`` cover: each with its descendants and cluster members."""
    units = org.all_units()
    children: dict[int | None, list[int]] = {}
    members: dict[int, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.id)
        if unit.cluster_id:
            members.setdefault(unit.cluster_id, []).append(unit.id)
    found: set[int] = set()
    todo = list(start_ids)
    while todo:
        unit_id = todo.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        todo += children.get(unit_id, []) + members.get(unit_id, [])
    return found


def _ancestry(unit) -> set[int]:
    """The unit, its ancestors and the cluster it belongs to."""
    ids = set()
    while unit is not None:
        ids.add(unit.id)
        if unit.cluster_id:
            ids.add(unit.cluster_id)
        unit = unit.parent
    return ids


def _per_request(name: str, user, compute) -> set[int]:
    # Listings ask for every session; one computation per request and user is enough.
    if not has_request_context():
        return compute(user)
    cache = g.setdefault("lecture_scopes", {})
    key = (name, user.id)
    if key not in cache:
        cache[key] = compute(user)
    return cache[key]


def managed_unit_ids(user) -> set[int]:
    """Units whose series ``user`` may create and manage (empty for non-trainers)."""
    return _per_request("managed", user, _managed_unit_ids)


def _managed_unit_ids(user) -> set[int]:
    if user.has_role(Role.ADMIN):
        return {u.id for u in org.all_units()}
    if user.has_role(Role.TRAINER) and user.unit_id:
        return unit_scope({user.unit_id})
    return set()


def results_unit_ids(user) -> set[int]:
    """Units whose series' feedback results ``user`` may read."""
    return _per_request("results", user, _results_unit_ids)


def _results_unit_ids(user) -> set[int]:
    ids = set(managed_unit_ids(user))
    if user.has_role(Role.LEADER):
        linked = org.linked_unit_ids(user.id)
        start = linked | ({user.unit_id} if user.unit_id else set())
        clusters = {u.cluster_id for u in org.all_units() if u.id in linked and u.cluster_id}
        ids |= unit_scope(start) | clusters
    return ids


def can_manage_series(user, series: LectureSeries) -> bool:
    return series.owner_unit_id in managed_unit_ids(user)


def can_manage_session(user, session: LectureSession) -> bool:
    return can_manage_series(user, session.series)


def is_speaker(user, session: LectureSession) -> bool:
    return user.id in session.speaker_user_ids


def can_edit_materials(user, session: LectureSession) -> bool:
    return is_speaker(user, session) or can_manage_session(user, session)


def can_read_series_results(user, series: LectureSeries) -> bool:
    return series.owner_unit_id in results_unit_ids(user)


def can_read_session_results(user, session: LectureSession) -> bool:
    return is_speaker(user, session) or can_read_series_results(user, session.series)


def in_audience(user, session: LectureSession) -> bool:
    """Whether the session is meant for ``user`` (a unit audience includes sub-units)."""
    if session.audience == Audience.EVERYONE:
        return True
    if session.audience == Audience.UNITS:
        wanted = {u.id for u in session.audience_units}
        return bool(wanted & _ancestry(user.unit))
    return bool(set(session.category_list) & {str(c) for c in user.categories})


def audience_text(session: LectureSession) -> str:
    """Who the session is for, in words."""
    if session.audience == Audience.UNITS:
        return "、".join(u.name for u in session.audience_units) or "指定单位"
    if session.audience == Audience.CATEGORIES:
        return "、".join(session.category_list) or "指定类别"
    return "全体干部"
