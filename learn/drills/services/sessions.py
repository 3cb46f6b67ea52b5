"""Role-play sessions: open from a card, prepare, talk, score blind, release, close.

Every state change goes through the phase machine (``learn.drills.phases``);
what a person may read goes through ``learn.drills.access``. Hours are credited
to every participant once, when the facilitator closes the session.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import or_, select

from learn.accounts import services as accounts
from learn.audit import record_event
from learn.core.db import utcnow
from learn.drills import phases, rotation
from learn.drills.access import session_view
from learn.drills.models import (
    TALKER_ROLES,
    Assessment,
    DrillCard,
    DrillGroup,
    DrillRole,
    DrillSession,
    Participant,
    Phase,
    SimulationRun,
)
from learn.drills.scoring import LEVELS, weighted_total
from learn.drills.services.cards import active_cards
from learn.drills.services.groups import can_facilitate, require_owner
from learn.errors import Conflict, LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.notifications import notify

PLAN_MAX = 20000
TRANSCRIPT_MAX = 100000
COMMENTS_MIN, COMMENTS_MAX = 10, 5000
# Roles whose holder "has done" a card: they know its secrets or its evidence.
PLAYING_ROLES = (*TALKER_ROLES, DrillRole.SUBJECT)


@dataclass(frozen=True)
class Casting:
    """Who plays what in a new session (user ids)."""

    lead: int
    recorder: int
    subject: int
    assessors: tuple[int, ...]
    co_talkers: tuple[int, ...] = ()

    def seats(self) -> list[tuple[int, DrillRole]]:
        return [
            (self.lead, DrillRole.LEAD),
            (self.recorder, DrillRole.RECORDER),
            *((uid, DrillRole.CO_TALKER) for uid in self.co_talkers),
            (self.subject, DrillRole.SUBJECT),
            *((uid, DrillRole.ASSESSOR) for uid in self.assessors),
        ]


def session_link(session_id: int) -> str:
    """The session page's path, also outside a request (CLI, demo loader)."""
    if has_request_context():
        return url_for("drills.session", session_id=session_id)
    adapter = current_app.url_map.bind("localhost")
    return adapter.build("drills.session", {"session_id": session_id})


# ---------------------------------------------------------------- history of a card


def cards_done(user_ids: list[int]) -> dict[int, dict[str, datetime]]:
    """For each user, the cards they have played (talker or subject, talk started) or
    finished in self-practice, with when."""
    done: dict[int, dict[str, datetime]] = {uid: {} for uid in user_ids}
    rows = db.session.execute(
        select(Participant.user_id, DrillSession.card_id, DrillSession.talk_started_at)
        .join(DrillSession, DrillSession.id == Participant.session_id)
        .where(
            Participant.user_id.in_(user_ids),
            Participant.role.in_([r.value for r in PLAYING_ROLES]),
            DrillSession.talk_started_at.is_not(None),
        )
    )
    for user_id, card_id, when in rows:
        done[user_id].setdefault(card_id, when)
    runs = db.session.execute(
        select(SimulationRun.user_id, SimulationRun.card_id, SimulationRun.finished_at).where(
            SimulationRun.user_id.in_(user_ids), SimulationRun.finished_at.is_not(None)
        )
    )
    for user_id, card_id, when in runs:
        done[user_id].setdefault(card_id, when)
    return done


def role_history(group: DrillGroup) -> list[tuple[int, str]]:
    """(user id, role) of the group's sessions, oldest first."""
    rows = db.session.execute(
        select(Participant.user_id, Participant.role)
        .join(DrillSession, DrillSession.id == Participant.session_id)
        .where(DrillSession.group_id == group.id)
        .order_by(DrillSession.id, Participant.id)
    )
    return [(uid, role) for uid, role in rows]


def suggest_casting(group: DrillGroup, facilitator) -> rotation.Suggestion:
    """Seats for the group's next session, rotating roles."""
    return rotation.suggest([m.id for m in group.members], role_history(group), facilitator.id)


def suggest_card(player_ids: list[int]) -> DrillCard | None:
    """The first card in library order (easier talks first) that none of ``player_ids`` did."""
    done = cards_done(player_ids)
    taken = {card_id for cards_of_user in done.values() for card_id in cards_of_user}
    return next((card for card in active_cards() if card.id not in taken), None)


# ---------------------------------------------------------------- opening


def _check_casting(group: DrillGroup, facilitator, casting: Casting) -> None:
    seats = casting.seats()
    ids = [uid for uid, _ in seats]
    if len(ids) != len(set(ids)):
        raise LearnError("同一人在一次演练中只能担任一个角色，请调整分工。")
    if not casting.assessors:
        raise LearnError("请至少指定一名评分人。")
    members = {m.id for m in group.members}
    for uid, role in seats:
        allowed = uid in members or (role == DrillRole.ASSESSOR and uid == facilitator.id)
        if not allowed:
            raise LearnError("参与人须为本小组成员（评分人也可以是组织者本人）。")


def _check_repeats(card: DrillCard, casting: Casting, repeat_allowed: bool) -> None:
    if repeat_allowed:
        return
    players = [uid for uid, role in casting.seats() if role in PLAYING_ROLES]
    done = cards_done(players)
    repeated = [uid for uid in players if card.id in done[uid]]
    if repeated:
        names = "、".join(accounts.get_user(uid).name for uid in repeated)
        raise Conflict(
            f"{names} 已做过案例卡“{card.title}”。请换一张案例卡，"
            "或确需重复练习时勾选“允许重复练习”。"
        )


def open_session(
    facilitator, group: DrillGroup, card: DrillCard, casting: Casting, repeat_allowed=False
) -> DrillSession:
    """Open a session of ``card`` for ``group`` with the given casting; notify everyone."""
    if not can_facilitate(facilitator):
        raise PermissionDenied("只有培训管理员或导师可以发起模拟谈话演练。")
    require_owner(facilitator, group)
    if card.archived:
        raise LearnError("该案例卡已下架，请选择其他案例卡。")
    _check_casting(group, facilitator, casting)
    _check_repeats(card, casting, repeat_allowed)
    session = DrillSession(
        card=card,
        group_id=group.id,
        facilitator_id=facilitator.id,
        phase=Phase.PREPARING,
        repeat_allowed=repeat_allowed,
        hours=card.hours,
        duration=card.duration,
        checklist=list(card.checklist),
        rubric=list(card.rubric),
        participants=[Participant(user_id=uid, role=role) for uid, role in casting.seats()],
    )
    db.session.add(session)
    db.session.flush()
    for uid, role in casting.seats():
        notify(
            uid,
            f"模拟谈话演练：您担任{role.label}",
            f"{facilitator.name} 发起了案例卡“{card.title}”的演练，请进入演练页面做好准备。",
            session_link(session.id),
        )
    record_event(
        "drill_session_opened",
        facilitator,
        target_type="drill_session",
        target_id=session.id,
        detail=card.title,
    )
    return session


# ---------------------------------------------------------------- reading


def get_session(user, session_id: int, *, for_update: bool = False) -> DrillSession:
    """The session if ``user`` is its facilitator or a participant; otherwise not found."""
    session = db.session.get(DrillSession, session_id, with_for_update=for_update)
    if session is None:
        raise NotFound("演练不存在，或您不是该演练的参与人。")
    session_view(session, user)
    return session


def sessions_of(user) -> list[DrillSession]:
    """Sessions ``user`` runs or takes part in, newest first."""
    taking_part = select(Participant.session_id).where(Participant.user_id == user.id)
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(or_(DrillSession.facilitator_id == user.id, DrillSession.id.in_(taking_part)))
            .order_by(DrillSession.created_at.desc(), DrillSession.id.desc())
        )
    )


def group_sessions(group: DrillGroup) -> list[DrillSession]:
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(DrillSession.group_id == group.id)
            .order_by(DrillSession.id.desc())
        )
    )


def facts(session: DrillSession) -> phases.SessionFacts:
    return phases.SessionFacts(
        phase=session.phase_enum,
        has_talk_plan=bool(session.talk_plan.strip()),
        has_safety_plan=bool(session.safety_plan.strip()),
        has_transcript=bool(session.transcript.strip()),
        assessors=len(session.people(DrillRole.ASSESSOR)),
        submitted=len(session.assessments),
    )


def own_assessment(session: DrillSession, user) -> Assessment | None:
    return next((a for a in session.assessments if a.assessor_id == user.id), None)


# ---------------------------------------------------------------- actions


def check_allowed(action: str, session: DrillSession, user) -> None:
    """Refuse (403) unless ``user``'s role may do ``action`` in the session's current phase."""
    role = session.role_of(user.id)
    if not phases.may(action, session.phase_enum, role):
        raise PermissionDenied(phases.refusal(action, session.phase_enum, role))


def submit_plan(user, session: DrillSession, talk_plan: str, safety_plan: str) -> None:
    """A talker submits (or revises) the talk plan and the safety plan during 准备."""
    check_allowed("plan", session, user)
    talk_plan, safety_plan = talk_plan.strip(), safety_plan.strip()
    if not talk_plan or not safety_plan:
        raise LearnError("谈话方案和安全预案都需要填写。")
    if len(talk_plan) > PLAN_MAX or len(safety_plan) > PLAN_MAX:
        raise LearnError(f"方案过长，每项不超过 {PLAN_MAX} 字。")
    session.talk_plan = talk_plan
    session.safety_plan = safety_plan
    session.plan_by_id = user.id
    session.plan_at = utcnow()
    db.session.flush()


def save_transcript(user, session: DrillSession, text: str) -> None:
    """The recorder saves the 谈话笔录 during 谈话."""
    check_allowed("transcript", session, user)
    if len(text) > TRANSCRIPT_MAX:
        raise LearnError(f"笔录过长（超过 {TRANSCRIPT_MAX} 字），请精简后保存。")
    session.transcript = text
    session.transcript_at = utcnow()
    db.session.flush()


def submit_assessment(
    user, session: DrillSession, ticked: set[str], levels: dict[str, int], comments: str
) -> Assessment:
    """An assessor submits their scoring once; nobody else sees it until release."""
    check_allowed("assess", session, user)
    if own_assessment(session, user):
        raise Conflict("您已提交过评分，提交后不能修改。")
    missing = [
        item["name"] for item in session.rubric if levels.get(item["criterion"]) not in LEVELS
    ]
    if missing:
        raise LearnError(f"请为每个评分维度选择等级：{'、'.join(missing)}。")
    comments = comments.strip()
    if not COMMENTS_MIN <= len(comments) <= COMMENTS_MAX:
        raise LearnError(f"点评意见须为 {COMMENTS_MIN}–{COMMENTS_MAX} 字。")
    item_ids = {item["id"] for item in session.checklist}
    assessment = Assessment(
        assessor_id=user.id,
        checklist={item_id: item_id in ticked for item_id in sorted(item_ids)},
        levels={item["criterion"]: levels[item["criterion"]] for item in session.rubric},
        total=weighted_total(session.rubric, levels),
        comments=comments,
    )
    session.assessments.append(assessment)
    db.session.flush()
    return assessment


def require_facilitator(user, session: DrillSession) -> None:
    if session.facilitator_id != user.id:
        raise PermissionDenied("只有本次演练的组织者可以推进演练阶段。")


def advance(user, session: DrillSession) -> Phase:
    """The facilitator moves the session to its next phase, if nothing blocks it."""
    require_facilitator(user, session)
    target = phases.next_phase(session.phase_enum)
    reasons = phases.blockers(facts(session))
    if target is None or reasons:
        raise LearnError(" ".join(reasons) or "演练已结束。")
    now = utcnow()
    session.phase = target
    link = session_link(session.id)
    title = session.card.title
    if target == Phase.TALKING:
        session.talk_started_at = now
    elif target == Phase.SCORING:
        session.talk_ended_at = now
        for assessor in session.people(DrillRole.ASSESSOR):
            notify(assessor.id, "模拟谈话演练：请独立评分", f"“{title}”已进入评分阶段。", link)
    elif target == Phase.REVIEW:
        session.released_at = now
        for person in {p.user_id for p in session.participants}:
            notify(person, "模拟谈话演练：评分结果已发布", f"“{title}”的评分和点评已发布。", link)
    elif target == Phase.CLOSED:
        session.closed_at = now
        _credit_hours(session)
    db.session.flush()
    record_event(
        f"drill_phase_{target.value}",
        user,
        target_type="drill_session",
        target_id=session.id,
        detail=f"{title}：{target.label}",
    )
    return target


def _credit_hours(session: DrillSession) -> None:
    for participant in session.participants:
        credit_hours(
            participant.user_id,
            SourceType.DRILL,
            f"session-{session.id}",
            session.hours,
            f"模拟谈话：{session.card.title}（{participant.role_label}）",
            when=session.closed_at,
        )
