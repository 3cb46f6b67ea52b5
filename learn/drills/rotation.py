"""Role rotation within a training group (pure rules, no database).

Pramp-style: everyone takes every seat in turn. For each seat, in the order
主谈人, 记录人, 被谈话人扮演者, 评分人, the member who has held that seat least
often gets it; ties go to whoever held it longest ago (never counts as longest),
then to the member listed first. One person, one seat per session.
"""

from dataclasses import dataclass

from learn.drills.models import DrillRole

SEATS = (DrillRole.LEAD, DrillRole.RECORDER, DrillRole.SUBJECT)
SUGGESTED_ASSESSORS = 2


@dataclass(frozen=True)
class Suggestion:
    lead: int | None
    recorder: int | None
    subject: int | None
    assessors: tuple[int, ...]


def _pick(role: str, candidates: list[int], history: list[tuple[int, str]]) -> int | None:
    def key(user_id: int):
        turns = [i for i, (uid, r) in enumerate(history) if uid == user_id and r == role]
        last = turns[-1] if turns else -1
        return (len(turns), last, candidates.index(user_id))

    return min(candidates, key=key) if candidates else None


def suggest(
    members: list[int], history: list[tuple[int, str]], facilitator_id: int | None = None
) -> Suggestion:
    """Seats for the next session; ``history`` is (user id, role) of past sessions, oldest first."""
    free = list(members)
    chosen: dict[DrillRole, int | None] = {}
    for seat in SEATS:
        chosen[seat] = _pick(seat, free, history)
        if chosen[seat] is not None:
            free.remove(chosen[seat])
    assessors: list[int] = []
    for _ in range(SUGGESTED_ASSESSORS):
        pick = _pick(DrillRole.ASSESSOR, free, history)
        if pick is None:
            break
        assessors.append(pick)
        free.remove(pick)
    if not assessors and facilitator_id is not None:
        assessors.append(facilitator_id)
    return Suggestion(
        chosen[DrillRole.LEAD],
        chosen[DrillRole.RECORDER],
        chosen[DrillRole.SUBJECT],
        tuple(assessors),
    )
