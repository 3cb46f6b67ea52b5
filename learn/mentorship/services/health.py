"""How a pair is doing (on track / needs attention / inactive), computed on read,
and the inactivity flag, sent once per episode by ``learn mentorship tick``."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learn.core.timefmt import to_local
from learn.extensions import db
from learn.mentorship.models import InactivityAlert, MentorPairing
from learn.mentorship.services import notices
from learn.mentorship.services.meetings import last_contact
from learn.mentorship.settings import setting
from learn.mentorship.states import PairingState

REVIEW_GRACE_DAYS = 30


class HealthLevel(StrEnum):
    ON_TRACK = "on_track"
    ATTENTION = "attention"
    INACTIVE = "inactive"

    @property
    def label(self) -> str:
        return {"on_track": "正常", "attention": "需关注", "inactive": "不活跃"}[self.value]


@dataclass(frozen=True)
class Health:
    level: HealthLevel
    reasons: tuple[str, ...] = ()
    days_idle: int | None = None
    red: bool = False  # inactive for the red threshold or longer
    next_meeting_due: date | None = None

    @property
    def label(self) -> str:
        return "严重不活跃" if self.red else self.level.label

    @property
    def css(self) -> str:
        return "red" if self.red else self.level.value


def _unconfirmed_late(pairing, today: date) -> int:
    limit = setting("MENTOR_CONFIRM_DAYS")
    return sum(
        1
        for m in pairing.meetings
        if m.confirmed_at is None and (today - to_local(m.created_at).date()).days > limit
    )


def _overdue_milestones(pairing, today: date) -> int:
    return sum(1 for g in pairing.goals for m in g.milestones if m.overdue_on(today))


def _active_health(pairing, today: date) -> Health:
    contact = last_contact(pairing)
    idle = max(0, (today - contact).days)
    rhythm = pairing.agreement.rhythm
    due = contact + timedelta(days=rhythm.days)
    if idle >= setting("MENTOR_INACTIVE_DAYS"):
        return Health(
            HealthLevel.INACTIVE,
            (f"已 {idle} 天没有见面记录",),
            idle,
            red=idle >= setting("MENTOR_RED_DAYS"),
            next_meeting_due=due,
        )
    reasons = []
    if today > due:
        reasons.append(f"已超过约定的见面频次（{rhythm.label}）")
    overdue = _overdue_milestones(pairing, today)
    if overdue:
        reasons.append(f"{overdue} 个里程碑已逾期")
    late = _unconfirmed_late(pairing, today)
    if late:
        reasons.append(f"{late} 条见面记录久未确认")
    level = HealthLevel.ATTENTION if reasons else HealthLevel.ON_TRACK
    return Health(level, tuple(reasons), idle, next_meeting_due=due)


def pairing_health(pairing, today: date) -> Health | None:
    """The pair's health as of ``today``; None once the pairing has ended."""
    state = pairing.state_on(today)
    if state == PairingState.ACTIVE:
        return _active_health(pairing, today)
    if state == PairingState.PENDING:
        waiting = (today - to_local(pairing.created_at).date()).days
        if waiting > setting("MENTOR_SIGN_DAYS"):
            return Health(HealthLevel.ATTENTION, (f"结对 {waiting} 天仍未签订帮带协议",))
        return Health(HealthLevel.ON_TRACK)
    if state == PairingState.AWAITING_REVIEW:
        ended = pairing.ended_early_on or pairing.end_on
        if (today - ended).days > REVIEW_GRACE_DAYS:
            return Health(
                HealthLevel.ATTENTION, (f"期满已超过 {REVIEW_GRACE_DAYS} 天，考核尚未完成",)
            )
        return Health(HealthLevel.ON_TRACK)
    return None


def flag_inactive(today: date) -> list[tuple[MentorPairing, int]]:
    """Notify mentor and trainers of each pair newly past the inactivity threshold.

    The unique (pairing, since) row makes the flag once per episode, however
    often and on however many hosts this runs.
    """
    threshold = setting("MENTOR_INACTIVE_DAYS")
    active = db.session.scalars(
        select(MentorPairing).where(
            MentorPairing.state == PairingState.ACTIVE, MentorPairing.end_on > today
        )
    ).all()
    flagged = []
    for pairing in active:
        since = last_contact(pairing)
        idle = (today - since).days
        if idle < threshold or _already_flagged(pairing.id, since):
            continue
        try:
            with db.session.begin_nested():
                db.session.add(InactivityAlert(pairing_id=pairing.id, since=since))
        except IntegrityError:
            continue  # another host flagged this episode first
        notices.inactive(pairing, idle)
        flagged.append((pairing, idle))
    return flagged


def _already_flagged(pairing_id: int, since: date) -> bool:
    return (
        db.session.scalar(
            select(InactivityAlert.id).where(
                InactivityAlert.pairing_id == pairing_id, InactivityAlert.since == since
            )
        )
        is not None
    )
