"""人人登讲台 rota use cases: pool, slots, unavailable dates, proposal, swap, publish,
the rota overview and each lecturer's own slots with their checklist."""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import delete, select

from learn.accounts import Category, User
from learn.audit import record_event
from learn.core.db import utcnow
from learn.core.timefmt import format_date, local_today, to_local
from learn.errors import LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.models import (
    Audience,
    LectureSeries,
    LectureSession,
    Material,
    Rota,
    RotaMember,
    RotaSlot,
    RotaUnavailable,
    SessionSpeaker,
)
from learn.lectures.rota import Person, Proposal, propose_rota, rota_problems
from learn.lectures.sessions import (
    SessionData,
    SpeakerInput,
    create_session,
    local_datetime,
)
from learn.notifications import notify

MAX_SLOTS = 104


def get_rota(rota_id: int) -> Rota:
    rota = db.session.get(Rota, rota_id)
    if rota is None:
        raise NotFound("轮值安排不存在。")
    return rota


def series_rotas(series: LectureSeries) -> list[Rota]:
    return list(
        db.session.scalars(select(Rota).where(Rota.series_id == series.id).order_by(Rota.id))
    )


def _require_manager(actor: User, rota: Rota) -> None:
    if not access.can_manage_series(actor, rota.series):
        raise PermissionDenied("只有这个讲堂系列的组织者可以管理轮值安排。")


def _require_draft(rota: Rota) -> None:
    if rota.is_published:
        raise LearnError("轮值表已发布：人员和日期不能再改，如需调整请用“调换”。")


def create_rota(
    actor: User,
    series: LectureSeries,
    name: str,
    start_time: time,
    duration_minutes: int,
    place: str,
) -> Rota:
    if not access.can_manage_series(actor, series):
        raise PermissionDenied("只有这个讲堂系列的组织者可以安排轮值。")
    if not name.strip():
        raise LearnError("请填写轮值安排的名称，例如“2027 年上半年”。")
    if not 10 <= duration_minutes <= 720:
        raise LearnError("时长须在 10 到 720 分钟之间。")
    rota = Rota(
        series=series,
        name=name.strip()[:80],
        start_time=start_time,
        duration_minutes=duration_minutes,
        place=place.strip()[:120],
        created_by_id=actor.id,
    )
    db.session.add(rota)
    db.session.flush()
    record_event("lecture_rota_created", actor, target_type="lecture_rota", target_id=rota.id)
    return rota


def young_cadres(unit_ids: set[int]) -> list[User]:
    """Active 青年干部 of the given units, by unit and name (a quick way to fill a pool)."""
    users = db.session.scalars(
        select(User).where(User.unit_id.in_(unit_ids), User.active.is_(True))
    )
    return sorted(
        (u for u in users if Category.YOUNG in u.categories), key=lambda u: (u.unit_id, u.name)
    )


def set_members(actor: User, rota: Rota, user_ids: set[int]) -> None:
    """Replace the pool; people who leave it also leave their slots and dates."""
    _require_manager(actor, rota)
    _require_draft(rota)
    found = set(db.session.scalars(select(User.id).where(User.id.in_(user_ids))))
    if found != set(user_ids):
        raise LearnError("名单中有不存在的用户。")
    current = {m.user_id for m in rota.members}
    for member in list(rota.members):
        if member.user_id not in user_ids:
            rota.members.remove(member)
    for user_id in sorted(user_ids - current):
        rota.members.append(RotaMember(user_id=user_id))
    for slot in rota.slots:
        if slot.lecturer_id not in user_ids:
            slot.lecturer_id = None
    rota.unavailable = [u for u in rota.unavailable if u.user_id in user_ids]
    db.session.flush()


def add_slots(actor: User, rota: Rota, days: list[date]) -> int:
    """Add dates (dates already in the rota are ignored); returns how many were added."""
    _require_manager(actor, rota)
    _require_draft(rota)
    have = {s.day for s in rota.slots}
    new = sorted(set(days) - have)
    if len(have) + len(new) > MAX_SLOTS:
        raise LearnError(f"一份轮值表最多 {MAX_SLOTS} 个日期，请分成几份安排。")
    for day in new:
        rota.slots.append(RotaSlot(day=day))
    db.session.flush()
    return len(new)


def remove_slot(actor: User, rota: Rota, slot_id: int) -> None:
    _require_manager(actor, rota)
    _require_draft(rota)
    slot = next((s for s in rota.slots if s.id == slot_id), None)
    if slot is None:
        raise NotFound("这个日期不在轮值表中。")
    rota.slots.remove(slot)
    db.session.flush()


def set_unavailable(actor: User, rota: Rota, user_id: int, days: set[date]) -> None:
    """Set the dates a member cannot do; members may set their own, organisers anyone's."""
    if actor.id != user_id:
        _require_manager(actor, rota)
    if user_id not in {m.user_id for m in rota.members}:
        raise PermissionDenied("您不在这份轮值名单中。")
    slot_days = {s.day for s in rota.slots}
    if days - slot_days:
        raise LearnError("只能选择轮值表中的日期。")
    db.session.execute(
        delete(RotaUnavailable).where(
            RotaUnavailable.rota_id == rota.id, RotaUnavailable.user_id == user_id
        )
    )
    for day in sorted(days):
        db.session.add(RotaUnavailable(rota_id=rota.id, user_id=user_id, day=day))
    db.session.flush()
    db.session.expire(rota, ["unavailable"])


def unavailable_map(rota: Rota) -> dict[int, set[date]]:
    found: dict[int, set[date]] = {m.user_id: set() for m in rota.members}
    for row in rota.unavailable:
        found.setdefault(row.user_id, set()).add(row.day)
    return found


def _people(rota: Rota) -> list[Person]:
    return [
        Person(m.user_id, m.user.name, m.user.unit.name if m.user.unit else "")
        for m in rota.members
    ]


def propose(actor: User, rota: Rota) -> Proposal:
    """Fill every slot with the generator's proposal (raises NoRotaPossible with reasons)."""
    _require_manager(actor, rota)
    _require_draft(rota)
    proposal = propose_rota(_people(rota), [s.day for s in rota.slots], unavailable_map(rota))
    by_day = dict(proposal.assignment)
    for slot in rota.slots:
        slot.lecturer_id = by_day[slot.day]
    db.session.flush()
    return proposal


def ordered_slots(rota: Rota) -> list[RotaSlot]:
    return sorted(rota.slots, key=lambda s: s.day)


def problems(rota: Rota) -> list[str]:
    """Hard rules the current assignment breaks (e.g. a date a member later ruled out)."""
    slots = ordered_slots(rota)
    if not slots or any(s.lecturer_id is None for s in slots):
        return []
    return rota_problems(
        _people(rota),
        [s.day for s in slots],
        unavailable_map(rota),
        [s.lecturer_id for s in slots],
    )


def _slot(rota: Rota, slot_id: int) -> RotaSlot:
    slot = next((s for s in rota.slots if s.id == slot_id), None)
    if slot is None:
        raise NotFound("这个日期不在轮值表中。")
    return slot


def swap(actor: User, rota: Rota, first_id: int, second_id: int) -> None:
    """Swap the lecturers of two slots, if the result still keeps every hard rule."""
    _require_manager(actor, rota)
    a, b = _slot(rota, first_id), _slot(rota, second_id)
    if a is b:
        raise LearnError("请选择两个不同的日期。")
    if a.lecturer_id is None or b.lecturer_id is None:
        raise LearnError("请先生成轮值建议，再调换。")
    today = local_today()
    if rota.is_published and min(a.day, b.day) < today:
        raise LearnError("已经过去的日期不能调换。")
    slots = ordered_slots(rota)
    order = [s.lecturer_id for s in slots]
    i, j = slots.index(a), slots.index(b)
    order[i], order[j] = order[j], order[i]
    found = rota_problems(_people(rota), [s.day for s in slots], unavailable_map(rota), order)
    if found:
        raise LearnError("不能这样调换：" + "；".join(found))
    a.lecturer_id, b.lecturer_id = b.lecturer_id, a.lecturer_id
    if rota.is_published:
        for slot in (a, b):
            _assign_session(slot)
            notify(
                slot.lecturer_id,
                f"人人登讲台日期调整：{format_date(slot.day)}",
                f"组织者调换了轮值，您的授课日期为 {format_date(slot.day)}。",
                "/lectures/teaching",
            )
    db.session.flush()
    record_event(
        "lecture_rota_swapped",
        actor,
        target_type="lecture_rota",
        target_id=rota.id,
        detail=f"{format_date(a.day)} ⇄ {format_date(b.day)}",
    )


def _pending_title(user: User) -> str:
    return f"{user.name}的分享（选题待定）"


def _assign_session(slot: RotaSlot) -> None:
    session = slot.session
    lecturer = db.session.get(User, slot.lecturer_id)
    session.speakers.clear()
    db.session.flush()
    session.speakers.append(SessionSpeaker(user_id=lecturer.id, position=0))
    if not session.topic_confirmed:
        session.title = _pending_title(lecturer)
    session.updated_at = utcnow()


def publish(actor: User, rota: Rota) -> list[LectureSession]:
    """Create a session per slot, tell each lecturer, and freeze the pool and dates."""
    _require_manager(actor, rota)
    _require_draft(rota)
    if not rota.slots:
        raise LearnError("轮值表还没有日期。")
    if any(s.lecturer_id is None for s in rota.slots):
        raise LearnError("还有日期没有安排人，请先生成轮值建议。")
    found = problems(rota)
    if found:
        raise LearnError("轮值表不符合规则：" + "；".join(found))
    unit_ids = {m.user.unit_id for m in rota.members if m.user.unit_id}
    created = []
    for slot in ordered_slots(rota):
        lecturer = db.session.get(User, slot.lecturer_id)
        session = create_session(
            actor,
            rota.series,
            SessionData(
                title=_pending_title(lecturer),
                starts_at=local_datetime(slot.day, rota.start_time),
                duration_minutes=rota.duration_minutes,
                hours=rota.series.default_hours,
                place=rota.place or rota.series.default_place or "待定",
                audience=Audience.UNITS if unit_ids else Audience.EVERYONE,
                unit_ids=unit_ids,
                speakers=[SpeakerInput(user_id=lecturer.id)],
                topic_confirmed=False,
            ),
        )
        slot.session_id = session.id
        created.append(session)
        notify(
            lecturer.id,
            f"您已排入{rota.series.name}：{format_date(slot.day)}",
            "请在“我的授课”中提交选题，并在开讲前上传讲稿或课件。",
            "/lectures/teaching",
        )
    rota.published_at = utcnow()
    db.session.flush()
    record_event(
        "lecture_rota_published",
        actor,
        target_type="lecture_rota",
        target_id=rota.id,
        detail=f"{rota.series.name} · {rota.name}",
    )
    return created


@dataclass(frozen=True)
class MemberRecord:
    user: User
    taught: list[date]  # past sessions of the series they gave
    upcoming: list[date]  # their future slots in this rota


@dataclass(frozen=True)
class RotaOverview:
    members: list[MemberRecord]
    next_slot: RotaSlot | None

    @property
    def taught(self) -> list[MemberRecord]:
        return [m for m in self.members if m.taught]

    @property
    def never_taught(self) -> list[MemberRecord]:
        return [m for m in self.members if not m.taught]


def overview(rota: Rota, now=None) -> RotaOverview:
    """Who has taught in this series, who is next, who has never taught."""
    now = now or utcnow()
    today = to_local(now).date()
    given: dict[int, list[date]] = {}
    rows = db.session.execute(
        select(SessionSpeaker.user_id, LectureSession.starts_at)
        .join(LectureSession, LectureSession.id == SessionSpeaker.session_id)
        .where(
            LectureSession.series_id == rota.series_id,
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at <= now,
            SessionSpeaker.user_id.is_not(None),
        )
    )
    for user_id, starts_at in rows:
        given.setdefault(user_id, []).append(to_local(starts_at).date())
    upcoming = [s for s in ordered_slots(rota) if _still_ahead(s, now, today)]
    members = [
        MemberRecord(
            m.user,
            sorted(given.get(m.user_id, [])),
            [s.day for s in upcoming if s.lecturer_id == m.user_id],
        )
        for m in sorted(rota.members, key=lambda m: (m.user.unit_id or 0, m.user.name))
    ]
    assigned = [s for s in upcoming if s.lecturer_id]
    return RotaOverview(members, assigned[0] if assigned else None)


def _still_ahead(slot: RotaSlot, now, today: date) -> bool:
    """A slot is ahead until its session ends (or, before publishing, until its day is over)."""
    if slot.session is not None:
        return slot.session.ends_at > now
    return slot.day >= today


@dataclass(frozen=True)
class TeachingItem:
    """One of a lecturer's upcoming sessions and its checklist."""

    session: LectureSession
    topic_done: bool
    materials_done: bool

    @property
    def done(self) -> bool:
        return self.topic_done and self.materials_done


def my_teaching(user: User, now=None) -> list[TeachingItem]:
    """The user's upcoming sessions as a speaker, with topic and materials checks."""
    now = now or utcnow()
    sessions = db.session.scalars(
        select(LectureSession)
        .join(SessionSpeaker, SessionSpeaker.session_id == LectureSession.id)
        .where(
            SessionSpeaker.user_id == user.id,
            LectureSession.cancelled_at.is_(None),
            LectureSession.starts_at > now,
        )
        .order_by(LectureSession.starts_at)
    )
    items = []
    for session in sessions:
        has_material = db.session.scalar(
            select(Material.id).where(Material.session_id == session.id).limit(1)
        )
        items.append(TeachingItem(session, session.topic_confirmed, has_material is not None))
    return items
