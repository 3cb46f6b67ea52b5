"""The meeting log (谈心谈话 and guidance meetings): the mentor logs, the mentee confirms."""

from datetime import date

from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.models import MeetingType, MentorMeeting
from learn.mentorship.services import notices
from learn.mentorship.states import OPEN_STATES


def log_meeting(
    user,
    pairing,
    *,
    held_on: date,
    meeting_type: str,
    topic: str,
    notes: str = "",
    follow_ups: str = "",
) -> MentorMeeting:
    """Record a meeting (mentor only) and ask the mentee to confirm it."""
    access.require_mentor(user, pairing)
    today = local_today()
    if pairing.state_on(today) not in OPEN_STATES:
        raise Conflict("帮带关系已结束，不能再记录见面。")
    if held_on > today:
        raise LearnError("见面日期不能晚于今天；计划中的见面请在见面后再记录。")
    if held_on < pairing.start_on:
        raise LearnError(f"见面日期不能早于帮带开始日期（{pairing.start_on:%Y-%m-%d}）。")
    if meeting_type not in set(MeetingType):
        raise LearnError("请选择见面形式。")
    if not topic.strip():
        raise LearnError("请填写见面主题。")
    meeting = MentorMeeting(
        held_on=held_on,
        meeting_type=meeting_type,
        topic=topic.strip(),
        notes=notes.strip(),
        follow_ups=follow_ups.strip(),
        logged_by_id=user.id,
    )
    pairing.meetings.append(meeting)
    db.session.flush()
    record_event("mentor_meeting_logged", user, target_type="mentor_pairing", target_id=pairing.id)
    notices.meeting_to_confirm(meeting)
    return meeting


def get_meeting(pairing, meeting_id: int) -> MentorMeeting:
    meeting = db.session.get(MentorMeeting, meeting_id)
    if meeting is None or meeting.pairing_id != pairing.id:
        raise NotFound("见面记录不存在。")
    return meeting


def confirm_meeting(user, meeting) -> None:
    """The mentee confirms that the meeting took place as logged."""
    access.require_mentee(user, meeting.pairing)
    if meeting.confirmed_at is not None:
        raise Conflict("这条见面记录您已确认过。")
    meeting.confirmed_at = utcnow()
    db.session.flush()


def last_contact(pairing) -> date:
    """The last meeting, or the start of the pairing when there has been none since."""
    start = max(pairing.start_on, pairing.activated_on or pairing.start_on)
    held = [m.held_on for m in pairing.meetings]
    return max([start, *held])
