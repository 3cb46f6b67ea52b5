"""The notifications mentorship sends, with their links (plain paths: the CLI has no request)."""

from sqlalchemy import select

from learn.accounts import Role, User
from learn.extensions import db
from learn.notifications import notify
from learn.org import services as org

BASE = "/mentorship/pairings"


def pairing_link(pairing, page: str = "") -> str:
    return f"{BASE}/{pairing.id}" + (f"/{page}" if page else "")


def programme_owners(pairing) -> list[User]:
    """Active trainers whose units include the mentee's unit."""
    unit_id = pairing.mentee.unit_id
    if unit_id is None:
        return []
    in_charge = select(User).where(
        User.active.is_(True), User.unit_id.in_(org.with_units_above({unit_id}))
    )
    return [t for t in db.session.scalars(in_charge) if t.has_role(Role.TRAINER)]


def pairing_created(pairing) -> None:
    for user, other in ((pairing.mentor, pairing.mentee), (pairing.mentee, pairing.mentor)):
        notify(
            user.id,
            "新的师徒帮带关系",
            f"您与{other.name}结成师徒帮带对子，请一同填写并签订帮带协议。",
            pairing_link(pairing, "agreement"),
        )


def agreement_to_sign(pairing, signer) -> None:
    """Tell the party who has not signed yet that the other one has."""
    other = pairing.mentee if signer.id == pairing.mentor_id else pairing.mentor
    notify(
        other.id,
        "帮带协议待您签订",
        f"{signer.name}已签订帮带协议，请核对内容后签订。",
        pairing_link(pairing, "agreement"),
    )


def agreement_changed(pairing, editor) -> None:
    other = pairing.mentee if editor.id == pairing.mentor_id else pairing.mentor
    notify(
        other.id,
        "帮带协议已修改，需重新签订",
        f"{editor.name}修改了帮带协议，原有签字已作废，请核对后重新签订。",
        pairing_link(pairing, "agreement"),
    )


def pairing_started(pairing) -> None:
    for user in (pairing.mentor, pairing.mentee):
        notify(
            user.id,
            "帮带协议已签订，帮带正式开始",
            f"{pairing.mentor.name}与{pairing.mentee.name}的帮带协议双方均已签订。",
            pairing_link(pairing),
        )


def meeting_to_confirm(meeting) -> None:
    pairing = meeting.pairing
    notify(
        pairing.mentee_id,
        "见面记录待您确认",
        f"{pairing.mentor.name}记录了 {meeting.held_on:%Y-%m-%d} 的"
        f"{meeting.meeting_type}：{meeting.topic}",
        pairing_link(pairing, "meetings"),
    )


def inactive(pairing, days: int) -> None:
    body = (
        f"{pairing.mentor.name}与{pairing.mentee.name}已有 {days} 天没有见面记录，"
        "请尽快安排谈心谈话。"
    )
    for user_id in dict.fromkeys(u.id for u in [pairing.mentor, *programme_owners(pairing)]):
        notify(user_id, "帮带对子长时间未见面", body, pairing_link(pairing))


def review_due(pairing) -> None:
    for user in (pairing.mentee, pairing.mentor):
        notify(
            user.id,
            "帮带期已满，请进行期满考核",
            "请学员先对照帮带协议目标进行自评，再由导师逐项评价并作出结论。",
            pairing_link(pairing, "review"),
        )


def self_assessed(pairing) -> None:
    notify(
        pairing.mentor_id,
        "学员已提交期满自评",
        f"{pairing.mentee.name}已提交期满考核自评，请逐项评价并作出结论。",
        pairing_link(pairing, "review"),
    )


def mentor_concluded(pairing) -> None:
    for user in programme_owners(pairing):
        notify(
            user.id,
            "期满考核待确认",
            f"{pairing.mentor.name}已完成对{pairing.mentee.name}的期满考核评价，请确认。",
            pairing_link(pairing, "review"),
        )


def pairing_closed(pairing, title: str, body: str) -> None:
    for user in (pairing.mentor, pairing.mentee):
        notify(user.id, title, body, pairing_link(pairing))
