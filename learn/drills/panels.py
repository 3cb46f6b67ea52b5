"""The home-page panel: my open mock-talk sessions and what I have to do in each.

One query returns the five newest open sessions with my role and whether I
already scored, so the panel does not load every participant and assessment.
"""

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import defer, lazyload, selectinload

from learn.drills.models import Assessment, DrillCard, DrillRole, DrillSession, Participant, Phase
from learn.extensions import db
from learn.home.panels import Panel

PANEL_ORDER = 35
SESSIONS_SHOWN = 5


def _todo(session: DrillSession, user_id: int, role: DrillRole | None, scored: bool) -> str:
    """The next thing the user has to do in ``session``, if any."""
    phase = session.phase_enum
    if role and role.is_talker and phase == Phase.PREPARING and not session.safety_plan:
        return "提交谈话方案和安全预案"
    if role == DrillRole.RECORDER and phase == Phase.TALKING:
        return "记录谈话笔录"
    if role == DrillRole.ASSESSOR and phase == Phase.SCORING and not scored:
        return "独立评分"
    if session.facilitator_id == user_id and phase != Phase.CLOSED:
        return "推进演练"
    return ""


def _open_sessions(user_id: int):
    """(session, my role, I submitted an assessment) for my newest open sessions."""
    my_role = (
        select(Participant.role)
        .where(Participant.session_id == DrillSession.id, Participant.user_id == user_id)
        .correlate(DrillSession)
        .scalar_subquery()
    )
    scored = (
        exists()
        .where(Assessment.session_id == DrillSession.id, Assessment.assessor_id == user_id)
        .correlate(DrillSession)
    )
    taking_part = select(Participant.session_id).where(Participant.user_id == user_id)
    return db.session.execute(
        select(DrillSession, my_role, scored)
        .options(
            selectinload(DrillSession.card).load_only(DrillCard.title),
            lazyload(DrillSession.participants),
            lazyload(DrillSession.assessments),
            defer(DrillSession.checklist),
            defer(DrillSession.rubric),
            defer(DrillSession.talk_plan),
            defer(DrillSession.transcript),
        )
        .where(
            DrillSession.phase != Phase.CLOSED,
            or_(DrillSession.facilitator_id == user_id, DrillSession.id.in_(taking_part)),
        )
        .order_by(DrillSession.created_at.desc(), DrillSession.id.desc())
        .limit(SESSIONS_SHOWN)
    ).all()


def home_panel(user) -> Panel | None:
    """My open sessions and what I have to do in each."""
    items = []
    for session, role_value, scored in _open_sessions(user.id):
        role = DrillRole(role_value) if role_value else None
        items.append((session, role, _todo(session, user.id, role, bool(scored))))
    if not items:
        return None
    return Panel("模拟谈话", "drills/_panel.html", {"items": items}, order=PANEL_ORDER)
