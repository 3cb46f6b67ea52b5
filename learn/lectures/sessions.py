"""Series and session use cases: create, edit, cancel, generate recurring sessions, list."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from learn.accounts import Category, User
from learn.accounts import services as accounts
from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.markdown import render_markdown
from learn.core.timefmt import LOCAL_TZ
from learn.errors import Conflict, LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.models import (
    Audience,
    LectureSeries,
    LectureSession,
    Registration,
    SeriesType,
    SessionSpeaker,
)
from learn.lectures.recurrence import Recurrence, occurrences
from learn.notifications import notify
from learn.org import OrgUnit

MAX_HOURS = Decimal("24")


def local_datetime(day: date, at: time) -> datetime:
    """A date and wall-clock time in Asia/Shanghai as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def parse_hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise LearnError("学时须为数字，例如 2 或 1.5。") from exc
    if hours < 0 or hours > MAX_HOURS:
        raise LearnError("学时须在 0 到 24 之间。")
    return hours


# ---- series -----------------------------------------------------------------


@dataclass
class SeriesData:
    name: str
    series_type: str
    owner_unit_id: int
    description: str = ""
    default_hours: Decimal = Decimal("2")
    default_minutes: int = 90
    default_place: str = ""


def get_series(series_id: int) -> LectureSeries:
    series = db.session.get(LectureSeries, series_id)
    if series is None:
        raise NotFound("讲堂系列不存在。")
    return series


def all_series() -> list[LectureSeries]:
    return list(db.session.scalars(select(LectureSeries).order_by(LectureSeries.id)))


def _check_series(actor: User, data: SeriesData, series: LectureSeries | None) -> None:
    if data.owner_unit_id not in access.managed_unit_ids(actor):
        raise PermissionDenied("您只能为本人负责的单位创建或管理讲堂系列。")
    if data.series_type not in set(SeriesType):
        raise LearnError("请选择讲堂类型。")
    name = data.name.strip()
    if not name:
        raise LearnError("请填写系列名称。")
    clash = db.session.scalar(select(LectureSeries).where(LectureSeries.name == name))
    if clash is not None and clash is not series:
        raise Conflict(f"已有名为“{name}”的讲堂系列，请换一个名称。")
    if not 10 <= data.default_minutes <= 720:
        raise LearnError("默认时长须在 10 到 720 分钟之间。")


def save_series(actor: User, series: LectureSeries | None, data: SeriesData) -> LectureSeries:
    """Create (``series`` None) or update a series owned by one of the actor's units."""
    if series is not None and not access.can_manage_series(actor, series):
        raise PermissionDenied("您不能管理这个讲堂系列。")
    _check_series(actor, data, series)
    creating = series is None
    if creating:
        series = LectureSeries(created_by_id=actor.id)
        db.session.add(series)
    series.name = data.name.strip()
    series.series_type = data.series_type
    series.owner_unit_id = data.owner_unit_id
    series.description = data.description
    series.description_html = render_markdown(data.description)
    series.default_hours = parse_hours(data.default_hours)
    series.default_minutes = data.default_minutes
    series.default_place = data.default_place.strip()
    db.session.flush()
    record_event(
        "lecture_series_created" if creating else "lecture_series_updated",
        actor,
        target_type="lecture_series",
        target_id=series.id,
        detail=series.name,
    )
    return series


# ---- sessions ---------------------------------------------------------------


@dataclass
class SpeakerInput:
    user_id: int | None = None
    guest_name: str = ""
    guest_title: str = ""


@dataclass
class SessionData:
    title: str
    starts_at: datetime
    duration_minutes: int
    hours: Decimal
    abstract: str = ""
    place: str = ""
    online_url: str = ""
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    audience: str = Audience.EVERYONE
    unit_ids: set[int] = field(default_factory=set)
    categories: list[str] = field(default_factory=list)
    speakers: list[SpeakerInput] = field(default_factory=list)
    topic_confirmed: bool = True


def resolve_speakers(users_text: str, guests_text: str) -> list[SpeakerInput]:
    """Speakers from a list of usernames or names (one a line) and ``姓名｜单位职务`` guests."""
    speakers: list[SpeakerInput] = []
    unknown = []
    for line in (users_text or "").splitlines():
        who = line.strip()
        if not who:
            continue
        user = accounts.get_user_by_username(who)
        if user is None:
            named = list(db.session.scalars(select(User).where(User.name == who).limit(2)))
            user = named[0] if len(named) == 1 else None
        if user is None:
            unknown.append(who)
        elif all(s.user_id != user.id for s in speakers):
            speakers.append(SpeakerInput(user_id=user.id))
    if unknown:
        raise LearnError(
            f"找不到主讲人：{'、'.join(unknown)}。请填写平台用户名（或不重名的姓名），"
            "平台外的嘉宾请填在“外部嘉宾”中。"
        )
    for line in (guests_text or "").splitlines():
        name, _, title = line.replace("|", "｜").partition("｜")
        if name.strip():
            speakers.append(
                SpeakerInput(guest_name=name.strip()[:40], guest_title=title.strip()[:80])
            )
    return speakers


def get_session(session_id: int) -> LectureSession:
    session = db.session.get(LectureSession, session_id)
    if session is None:
        raise NotFound("讲座不存在或已被删除。")
    return session


def active_registration_count(session: LectureSession) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session.id, Registration.cancelled_at.is_(None))
    )


def _check_session(data: SessionData, session: LectureSession | None) -> None:
    if not data.title.strip():
        raise LearnError("请填写讲座题目。")
    if not (data.place.strip() or data.online_url.strip()):
        raise LearnError("请填写地点或线上会议链接（至少一项）。")
    if data.online_url and not data.online_url.startswith(("https://", "http://")):
        raise LearnError("线上会议链接须以 https:// 或 http:// 开头。")
    if not 10 <= data.duration_minutes <= 720:
        raise LearnError("时长须在 10 到 720 分钟之间。")
    if data.capacity is not None and data.capacity < 1:
        raise LearnError("人数上限须为正整数；不限人数请留空。")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if closes and closes > data.starts_at:
        raise LearnError("报名截止时间不能晚于开讲时间。")
    if opens and opens >= (closes or data.starts_at):
        raise LearnError("报名开始时间须早于报名截止时间和开讲时间。")
    if data.audience == Audience.UNITS and not data.unit_ids:
        raise LearnError("面向指定单位时，请至少选择一个单位。")
    if data.audience == Audience.CATEGORIES:
        if not data.categories:
            raise LearnError("面向指定类别时，请至少选择一个类别。")
        if set(data.categories) - {c.value for c in Category}:
            raise LearnError("干部类别无效。")
    if session is not None and data.capacity is not None:
        taken = active_registration_count(session)
        if data.capacity < taken:
            raise LearnError(f"已有 {taken} 人报名，人数上限不能少于 {taken}。")


def _apply(session: LectureSession, data: SessionData) -> None:
    session.title = data.title.strip()
    session.abstract = data.abstract
    session.abstract_html = render_markdown(data.abstract)
    session.starts_at = data.starts_at
    session.duration_minutes = data.duration_minutes
    session.hours = parse_hours(data.hours)
    session.place = data.place.strip()
    session.online_url = data.online_url.strip()
    session.capacity = data.capacity
    session.registration_opens_at = data.registration_opens_at
    session.registration_closes_at = data.registration_closes_at
    session.audience = data.audience
    session.audience_units = (
        list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(data.unit_ids))))
        if data.audience == Audience.UNITS
        else []
    )
    session.audience_categories = (
        "、".join(data.categories) if data.audience == Audience.CATEGORIES else ""
    )
    session.topic_confirmed = data.topic_confirmed
    _set_speakers(session, data.speakers)


def _set_speakers(session: LectureSession, speakers: list[SpeakerInput]) -> None:
    wanted = [(s.user_id, s.guest_name, s.guest_title) for s in speakers]
    current = [(s.user_id, s.guest_name, s.guest_title) for s in session.speakers]
    if wanted == current:
        return
    session.speakers.clear()
    db.session.flush()  # the unique (session, user) pair must be free before re-adding
    for position, s in enumerate(speakers):
        session.speakers.append(
            SessionSpeaker(
                user_id=s.user_id,
                guest_name="" if s.user_id else s.guest_name,
                guest_title="" if s.user_id else s.guest_title,
                position=position,
            )
        )


def create_session(actor: User, series: LectureSeries, data: SessionData) -> LectureSession:
    """Add a session to a series the actor manages."""
    if not access.can_manage_series(actor, series):
        raise PermissionDenied("您不能在这个讲堂系列中安排讲座。")
    _check_session(data, None)
    session = LectureSession(series=series, created_by_id=actor.id)
    db.session.add(session)
    _apply(session, data)
    db.session.flush()
    record_event(
        "lecture_session_created",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=session.full_title,
    )
    return session


def update_session(actor: User, session: LectureSession, data: SessionData) -> LectureSession:
    """Edit a session of a series the actor manages."""
    if not access.can_manage_session(actor, session):
        raise PermissionDenied("您不能修改这场讲座。")
    _check_session(data, session)
    # A rota slot's topic stays "to be decided" until someone gives it a real title.
    data.topic_confirmed = session.topic_confirmed or data.title.strip() != session.title
    _apply(session, data)
    session.updated_at = utcnow()
    db.session.flush()
    record_event(
        "lecture_session_updated",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=session.full_title,
    )
    return session


def cancel_session(actor: User, session: LectureSession) -> None:
    """Cancel a session that has not started; registered cadres are told."""
    if not access.can_manage_session(actor, session):
        raise PermissionDenied("您不能取消这场讲座。")
    if session.is_cancelled:
        return
    if session.starts_at <= utcnow():
        raise LearnError("讲座已经开始或结束，不能取消。")
    session.cancelled_at = utcnow()
    session.updated_at = utcnow()
    registered = db.session.scalars(
        select(Registration.user_id).where(
            Registration.session_id == session.id, Registration.cancelled_at.is_(None)
        )
    )
    for user_id in set(registered) | session.speaker_user_ids:
        notify(
            user_id,
            f"讲座已取消：{session.title}",
            f"{session.series.name}原定的这场讲座已取消。",
            f"/lectures/sessions/{session.id}",
        )
    db.session.flush()
    record_event(
        "lecture_session_cancelled",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=session.full_title,
    )


def submit_topic(actor: User, session: LectureSession, title: str, abstract: str) -> None:
    """A speaker (or the organiser) sets the topic of a session, e.g. a rota slot."""
    if not access.can_edit_materials(actor, session):
        raise PermissionDenied("只有本场主讲人或组织者可以填写选题。")
    if not title.strip():
        raise LearnError("请填写讲题。")
    session.title = title.strip()[:120]
    session.abstract = abstract
    session.abstract_html = render_markdown(abstract)
    session.topic_confirmed = True
    session.updated_at = utcnow()
    db.session.flush()
    record_event(
        "lecture_topic_submitted",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=session.title,
    )


@dataclass
class Generation:
    """What ``generate_sessions`` needs besides the rule: a template for every session."""

    title: str  # "{n}" becomes the running number
    first_day: date
    count: int
    at: time
    duration_minutes: int
    hours: Decimal
    place: str = ""
    online_url: str = ""
    registration_days: int = 14  # registration opens this many days before
    until: date | None = None


def generate_sessions(
    actor: User, series: LectureSeries, rule: Recurrence, gen: Generation
) -> list[LectureSession]:
    """Create one session per date of ``rule``; dates that already have a session are skipped."""
    if not access.can_manage_series(actor, series):
        raise PermissionDenied("您不能在这个讲堂系列中安排讲座。")
    days = occurrences(rule, gen.first_day, gen.count, gen.until)
    if not days:
        raise LearnError("按所选规则在这段时间内没有日期，请调整起始日期、次数或截止日期。")
    existing = {
        s.starts_at.astimezone(LOCAL_TZ).date()
        for s in db.session.scalars(
            select(LectureSession).where(LectureSession.series_id == series.id)
        )
    }
    created = []
    for number, day in enumerate(days, start=1):
        if day in existing:
            continue
        starts = local_datetime(day, gen.at)
        opens = starts - timedelta(days=gen.registration_days) if gen.registration_days else None
        data = SessionData(
            title=gen.title.replace("{n}", str(number)),
            starts_at=starts,
            duration_minutes=gen.duration_minutes,
            hours=gen.hours,
            place=gen.place,
            online_url=gen.online_url,
            registration_opens_at=opens,
        )
        created.append(create_session(actor, series, data))
    if not created:
        raise LearnError("这些日期都已有讲座，没有新增。")
    return created


# ---- lists ------------------------------------------------------------------


def sessions_between(start: datetime, end: datetime, series_id: int | None = None) -> list:
    """Sessions starting in [start, end), by start time (cancelled ones included)."""
    stmt = select(LectureSession).where(
        LectureSession.starts_at >= start, LectureSession.starts_at < end
    )
    if series_id:
        stmt = stmt.where(LectureSession.series_id == series_id)
    return list(db.session.scalars(stmt.order_by(LectureSession.starts_at, LectureSession.id)))


def series_sessions(series: LectureSeries) -> list[LectureSession]:
    return list(
        db.session.scalars(
            select(LectureSession)
            .where(LectureSession.series_id == series.id)
            .order_by(LectureSession.starts_at)
        )
    )


def registered_session_ids(user_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Registration.session_id).where(
                Registration.user_id == user_id, Registration.cancelled_at.is_(None)
            )
        )
    )


def concerning(user: User, sessions: list[LectureSession]) -> list[LectureSession]:
    """Keep the sessions meant for ``user``: audience, registered, speaking or organising."""
    registered = registered_session_ids(user.id)
    return [
        s
        for s in sessions
        if s.id in registered
        or access.is_speaker(user, s)
        or access.in_audience(user, s)
        or access.can_manage_session(user, s)
    ]


def next_sessions_for(user: User, limit: int = 5) -> list[LectureSession]:
    """The user's next sessions: registered or speaking, not cancelled, not ended."""
    now = utcnow()
    candidates = db.session.scalars(
        select(LectureSession)
        .where(
            LectureSession.starts_at >= now - timedelta(hours=12),
            LectureSession.cancelled_at.is_(None),
        )
        .order_by(LectureSession.starts_at)
        .limit(200)
    )
    registered = registered_session_ids(user.id)
    mine = [
        s
        for s in candidates
        if s.ends_at > now and (s.id in registered or access.is_speaker(user, s))
    ]
    return mine[:limit]
