"""Mentorship factories: people in units, and pairings in any state."""

from dataclasses import dataclass
from datetime import date, timedelta

from learn.accounts import Role
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.mentorship.models import (
    MentorAgreement,
    MentorGoal,
    MentorMeeting,
    MentorPairing,
)
from learn.mentorship.states import PairingState
from learn.org import UnitType
from learn.org import services as org
from tests.factories import make_unit, make_user


@dataclass
class Programme:
    """A county slice: a trainer over two township units, two mentors, mentees, a leader."""

    root: object
    town_a: object
    town_b: object
    trainer: object
    mentor: object
    other_mentor: object
    mentee: object
    other_mentee: object
    leader: object
    admin: object


def make_programme() -> Programme:
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    town_a = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=root)
    town_b = make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=root)
    leader = make_user("leader", Role.LEADER, name="秦望舒", unit=root)
    org.set_leader_links(None, leader, {town_a.id})
    db.session.commit()
    return Programme(
        root=root,
        town_a=town_a,
        town_b=town_b,
        trainer=make_user("trainer", Role.TRAINER, name="宋立衡", unit=root),
        mentor=make_user("mentor", Role.MENTOR, name="贺知远", unit=root),
        other_mentor=make_user("mentor2", Role.MENTOR, name="吴建清", unit=root),
        mentee=make_user("mentee", name="林一帆", unit=town_a),
        other_mentee=make_user("mentee2", name="赵一诺", unit=town_b),
        leader=leader,
        admin=make_user("admin", Role.ADMIN, name="系统管理员", unit=root),
    )


GOALS = [
    ("work", "熟悉初步核实流程"),
    ("thought", "筑牢纪法意识"),
    ("life", "尽快适应岗位"),
]


def make_pairing(
    mentor,
    mentee,
    *,
    state: PairingState = PairingState.ACTIVE,
    start: date | None = None,
    days: int = 365,
    goals: bool = True,
    signed: bool | None = None,
    created_by=None,
) -> MentorPairing:
    """A pairing straight in ``state`` (signed unless pending), with one goal per area."""
    start = start or local_today() - timedelta(days=30)
    signed = state != PairingState.PENDING if signed is None else signed
    pairing = MentorPairing(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        start_on=start,
        end_on=start + timedelta(days=days),
        state=state.value,
        created_by_id=created_by.id if created_by else None,
        activated_on=start if signed else None,
        agreement=MentorAgreement(
            measures="每月研读一起典型案例。" if goals else "",
            mentor_signed_at=utcnow() if signed else None,
            mentee_signed_at=utcnow() if signed else None,
        ),
    )
    if goals:
        pairing.goals = [
            MentorGoal(area=area, title=title, sort_order=n)
            for n, (area, title) in enumerate(GOALS)
        ]
    db.session.add(pairing)
    db.session.commit()
    return pairing


def add_meeting(pairing, days_ago: int, confirmed: bool = True) -> MentorMeeting:
    held = local_today() - timedelta(days=days_ago)
    meeting = MentorMeeting(
        held_on=held,
        meeting_type="谈心谈话",
        topic=f"{days_ago} 天前的谈心",
        notes="谈话要点：学员反映住宿较远。",
        logged_by_id=pairing.mentor_id,
        confirmed_at=utcnow() if confirmed else None,
    )
    pairing.meetings.append(meeting)
    db.session.commit()
    return meeting
