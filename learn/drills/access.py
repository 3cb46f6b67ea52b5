"""Who may see what of a role-play session — one place for the blind and secret rules.

- Only the facilitator and the participants see a session at all (others get 404).
- The subject-only brief: the subject's role-player; everyone else after release.
- Talk plan and safety plan: talkers, assessors and the facilitator; the subject
  after release (the person talked to does not see the talkers' plan).
- Scores and comments: before release an assessor sees only their own; nobody
  else sees any. After release everyone sees all of them.
- The reference plan: after release.
"""

from dataclasses import dataclass

from learn.drills.models import DrillRole, DrillSession
from learn.errors import NotFound


@dataclass(frozen=True)
class SessionView:
    role: DrillRole | None  # None for the facilitator who plays no role
    is_facilitator: bool
    sees_brief: bool
    sees_plans: bool
    sees_reference: bool
    sees_all_scores: bool

    @property
    def is_talker(self) -> bool:
        return self.role is not None and self.role.is_talker


def session_view(session: DrillSession, user) -> SessionView:
    """What ``user`` may see of ``session``; NotFound when they have no part in it."""
    role = session.role_of(user.id)
    is_facilitator = session.facilitator_id == user.id
    if role is None and not is_facilitator:
        raise NotFound("演练不存在，或您不是该演练的参与人。")
    released = session.released
    return SessionView(
        role=role,
        is_facilitator=is_facilitator,
        sees_brief=released or role == DrillRole.SUBJECT,
        sees_plans=released or role != DrillRole.SUBJECT,
        sees_reference=released,
        sees_all_scores=released,
    )


def visible_assessments(session: DrillSession, user) -> list:
    """The assessments ``user`` may read now: all after release, else only their own."""
    if session_view(session, user).sees_all_scores:
        return list(session.assessments)
    return [a for a in session.assessments if a.assessor_id == user.id]
