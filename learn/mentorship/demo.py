"""Demo pairs in every state and health, so the dashboard means something on first run.

All people and places are fictitious. Dates are relative to today. Idempotent:
a pair that already exists (same mentor and mentee) is left alone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.demo import DEMO_PASSWORD
from learn.extensions import db
from learn.ledger import SourceType, credit_hours
from learn.mentorship.models import (
    FinalReview,
    GoalProgressNote,
    GoalReview,
    GuidanceVisit,
    MentorAgreement,
    MentorGoal,
    MentorMeeting,
    MentorMilestone,
    MentorPairing,
    MentorTask,
    TaskComment,
)
from learn.mentorship.services import health
from learn.mentorship.states import PairingState
from learn.org import services as org

# (username, name, unit, position, birth year, joined, roles)
PEOPLE = [
    ("zhoumd", "周明德", "城关镇纪委", "纪委书记", 1976, date(1999, 8, 1), {Role.MENTOR}),
    ("wujq", "吴建清", "第二纪检监察室", "主任", 1979, date(2004, 7, 1), {Role.MENTOR}),
    ("chenxy", "陈晓禾", "城关镇纪委", "科员", 2000, date(2025, 3, 1), set()),
    ("zhaoyn", "赵一诺", "河湾镇纪委", "干事", 1999, date(2024, 9, 1), set()),
    ("liumh", "刘沐禾", "第二派驻纪检监察组", "科员", 1997, date(2021, 7, 1), set()),
    ("sunqy", "孙启元", "柳坪镇纪委", "纪委委员", 1998, date(2023, 8, 1), set()),
    ("hewr", "何文瑞", "县直机关纪委", "干事", 1995, date(2018, 7, 1), set()),
    ("fangzh", "方之恒", "案件审理室", "科员", 1994, date(2020, 7, 1), set()),
]

MEASURES = (
    "1. 每月共同研读一起典型案例，学员先谈认识，导师点评；\n"
    "2. 带学员参与一次日常监督检查和一次信访件初步核实，全程指导文书制作；\n"
    "3. 学员每季度提交一篇学习体会，导师批阅并当面反馈；\n"
    "4. 导师定期了解学员思想动态和生活情况，遇到困难及时帮助协调。"
)

# area, title, detail, milestones (title, day), tasks (title, done)
GOALS = [
    (
        "work",
        "熟悉监督检查和初步核实的基本流程",
        "能够独立梳理问题线索，规范制作谈话笔录和初核报告。",
        [("独立梳理一批信访件并提出处置建议", 60), ("在导师指导下起草一份初核报告", 150)],
        [("学习《纪检监察机关处理检举控告工作规则》", True), ("旁听一次谈话并整理笔录", True)],
    ),
    (
        "work",
        "掌握村级“三资”监督的要点",
        "熟悉集体资金、资产、资源台账的查阅方法和常见问题。",
        [("参与一次村级“三资”专项检查", 120)],
        [("查阅某村近三年集体资产台账", False)],
    ),
    (
        "thought",
        "筑牢纪法意识，坚定理想信念",
        "系统学习《中国共产党纪律处分条例》，每季度交流一次学习体会。",
        [("完成条例逐章学习并撰写心得", 90)],
        [("撰写第一季度学习体会", True), ("撰写第二季度学习体会", False)],
    ),
    (
        "life",
        "尽快适应岗位，保持良好身心状态",
        "了解学员家庭和生活情况，帮助解决实际困难，关注工作压力。",
        [("完成一次家访或深度谈心", 45)],
        [("帮助协调解决住宿问题", True)],
    ),
]

TOPICS = [
    (
        "谈心谈话",
        "初到岗位的适应情况",
        "学员对乡镇工作节奏尚在适应，住宿离单位较远。",
        "协调单位周转宿舍。",
    ),
    (
        "业务指导",
        "信访举报件的初步分析方法",
        "逐件讲解问题线索的五类处置方式及适用情形。",
        "学员整理本月信访件并提出处置建议。",
    ),
    (
        "案例研学",
        "研读一起挪用集体资金案例",
        "分析某村报账员挪用集体资金的作案手法和监督漏洞。",
        "学员撰写案例分析一篇。",
    ),
    (
        "带案实践",
        "随同开展一次日常监督检查",
        "检查某村集体资金支出审批，学员负责查阅凭证。",
        "整理检查发现的问题清单。",
    ),
    ("谈心谈话", "近期思想状态与工作压力", "学员反映加班较多，已帮助其合理安排学习和工作。", ""),
]


@dataclass
class DemoPair:
    mentor: str
    mentee: str
    start_days_ago: int
    term_days: int
    state: PairingState
    meetings_days_ago: list[int] = field(default_factory=list)
    unconfirmed: int = 0  # how many of the latest meetings await confirmation
    goals: int = 4
    mentee_signed: bool = True
    overdue_milestone: bool = False
    review: str = ""  # "", "self", "confirmed"
    end_note: str = ""


PAIRS = [
    # on track: met recently, one meeting awaiting confirmation
    DemoPair("daoshi", "xueyuan", 150, 365, PairingState.ACTIVE, [140, 110, 80, 45, 12], 1),
    # inactive (flagged): no meeting for 50 days; the term ends in 45 days
    DemoPair("lingdao", "qingnian", 320, 365, PairingState.ACTIVE, [300, 250, 180, 120, 50]),
    # inactive, red: no meeting for 75 days
    DemoPair("wujq", "zhaoyn", 160, 365, PairingState.ACTIVE, [150, 120, 75]),
    # needs attention: past the monthly rhythm and a milestone overdue
    DemoPair(
        "zhoumd", "liumh", 130, 365, PairingState.ACTIVE, [120, 90, 36], overdue_milestone=True
    ),
    # pending: the mentor has signed, the mentee not yet
    DemoPair("zhoumd", "chenxy", 3, 365, PairingState.PENDING, goals=3, mentee_signed=False),
    # awaiting the final review: the term ended ten days ago, self-assessment in
    DemoPair(
        "wujq",
        "sunqy",
        375,
        365,
        PairingState.AWAITING_REVIEW,
        [360, 300, 240, 150, 60, 20],
        review="self",
    ),
    # completed last year
    DemoPair(
        "daoshi",
        "hewr",
        430,
        365,
        PairingState.COMPLETED,
        [420, 360, 280, 200, 120, 70],
        review="confirmed",
    ),
    # terminated: transferred
    DemoPair(
        "lingdao",
        "fangzh",
        300,
        365,
        PairingState.TERMINATED,
        [290, 250],
        end_note="学员调任县委组织部工作，帮带关系终止。",
    ),
]

SELF_ASSESSMENTS = {
    "work": "独立梳理信访件四十余件，在导师指导下起草初核报告两份，基本掌握了流程和文书规范。",
    "thought": "完成条例逐章学习，撰写学习体会四篇，纪法意识明显增强。",
    "life": "已适应乡镇工作节奏，住宿问题在导师协调下得到解决。",
}

HOURS = [  # (month offset back from now, hours, title, online)
    (9, 16, "新进干部初任培训（线下集中）", False),
    (7, 12, "全县纪检监察干部集中轮训", False),
    (5, 8, "监督执纪工作规则专题网络课程", True),
    (3, 10, "村级“三资”监督专题培训", False),
    (1, 6, "党纪学习教育网络专题班", True),
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), LOCAL_TZ)


def _load_people() -> None:
    for username, name, unit, position, born, joined, roles in PEOPLE:
        if accounts.get_user_by_username(username):
            continue
        accounts.create_user(
            None,
            accounts.UserData(
                username=username,
                name=name,
                unit_id=org.get_unit_by_name(unit).id,
                position=position,
                birth_year=born,
                joined_on=joined,
                roles=roles,
            ),
            DEMO_PASSWORD,
        )


def _goals(pair: DemoPair, start: date, today: date, signed: bool) -> list[MentorGoal]:
    chosen = GOALS[: pair.goals] if pair.goals >= 3 else GOALS[:1] + GOALS[2:]
    goals = []
    for order, (area, title, detail, milestones, tasks) in enumerate(chosen):
        goal = MentorGoal(area=area, title=title, detail=detail, sort_order=order)
        for ms_title, day in milestones:
            due = start + timedelta(days=day)
            done = signed and due < today and not (pair.overdue_milestone and order == 0)
            goal.milestones.append(
                MentorMilestone(title=ms_title, due_day=day, done_at=_at(due) if done else None)
            )
        for task_title, done in tasks:
            task = MentorTask(
                title=task_title,
                done_at=_at(start + timedelta(days=30)) if done and signed else None,
            )
            goal.tasks.append(task)
        goals.append(goal)
    return goals


def _add_pair(pair: DemoPair, today: date, trainer) -> None:
    mentor = accounts.get_user_by_username(pair.mentor)
    mentee = accounts.get_user_by_username(pair.mentee)
    exists = db.session.scalar(
        select(MentorPairing.id).where(
            MentorPairing.mentor_id == mentor.id, MentorPairing.mentee_id == mentee.id
        )
    )
    if exists:
        return
    start = today - timedelta(days=pair.start_days_ago)
    end = start + timedelta(days=pair.term_days)
    signed = pair.state != PairingState.PENDING
    pairing = MentorPairing(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        start_on=start,
        end_on=end,
        state=pair.state.value,
        state_changed_at=_at(today if pair.state == PairingState.PENDING else start),
        created_by_id=trainer.id,
        created_at=_at(start - timedelta(days=7)) if signed else _at(start),
        activated_on=start if signed else None,
        end_note=pair.end_note,
        agreement=MentorAgreement(
            measures=MEASURES,
            mentor_signed_at=_at(start - timedelta(days=2)) if signed else _at(today),
            mentee_signed_at=_at(start - timedelta(days=1))
            if signed and pair.mentee_signed
            else None,
        ),
    )
    if pair.state == PairingState.TERMINATED:
        pairing.ended_early_on = today - timedelta(days=200)
    pairing.goals = _goals(pair, start, today, signed)
    for n, days_ago in enumerate(sorted(pair.meetings_days_ago, reverse=True)):
        kind, topic, notes, follow_ups = TOPICS[n % len(TOPICS)]
        held = today - timedelta(days=days_ago)
        confirmed = n < len(pair.meetings_days_ago) - pair.unconfirmed
        pairing.meetings.append(
            MentorMeeting(
                held_on=held,
                meeting_type=kind,
                topic=topic,
                notes=notes,
                follow_ups=follow_ups,
                logged_by_id=mentor.id,
                created_at=_at(held),
                confirmed_at=_at(held + timedelta(days=1)) if confirmed else None,
            )
        )
    db.session.add(pairing)
    db.session.flush()
    _add_work(pairing, mentor, mentee)
    if pair.review:
        _add_review(pairing, pair.review, trainer, end)


def _add_work(pairing, mentor, mentee) -> None:
    """A comment thread and a progress note, so the goal pages are not empty."""
    if not pairing.goals or not pairing.goals[0].tasks:
        return
    task = pairing.goals[0].tasks[0]
    task.comments.append(
        TaskComment(author_id=mentee.id, body="第三章关于线索处置的规定还不太理解，想请您讲一讲。")
    )
    task.comments.append(
        TaskComment(
            author_id=mentor.id, body="下次见面时结合本月的两件信访件一起讲，先把问题列出来。"
        )
    )
    life = next((g for g in pairing.goals if g.area == "life"), None)
    if life is not None and pairing.state == PairingState.ACTIVE:
        life.progress_mode = "manual"
        life.manual_percent = 70
        life.progress_notes.append(
            GoalProgressNote(
                percent=70, note="住宿问题已解决，工作节奏基本适应。", author_id=mentor.id
            )
        )


def _add_review(pairing, stage: str, trainer, end: date) -> None:
    review = FinalReview(
        self_summary="一年来在导师带领下熟悉了监督执纪各环节，能独立起草初核报告；不足是案件审理经验仍少。",
        self_submitted_at=_at(end + timedelta(days=3)),
    )
    for goal in pairing.goals:
        row = GoalReview(goal_id=goal.id, self_assessment=SELF_ASSESSMENTS[goal.area])
        if stage == "confirmed":
            row.rating = "良好"
            row.mentor_comment = "完成较好，能举一反三。"
        review.goal_reviews.append(row)
    if stage == "confirmed":
        review.mentor_conclusion = "该同志政治素质好，学习主动，业务上进步明显，达到帮带预期目标。"
        review.mentor_grade = "良好"
        review.mentor_submitted_at = _at(end + timedelta(days=8))
        review.trainer_comment = "同意导师意见。"
        review.confirmed_by_id = trainer.id
        review.confirmed_at = _at(end + timedelta(days=12))
    pairing.review = review
    db.session.flush()


def _add_hours(today: date) -> None:
    """Manual ledger entries for the main demo mentee, so the hours chart has a shape."""
    mentee = accounts.get_user_by_username("xueyuan")
    for months_back, hours, title, online in HOURS:
        month = today.month - months_back
        if month < 1:
            continue
        when = _at(date(today.year, month, 12))
        credit_hours(
            mentee.id,
            SourceType.MANUAL,
            f"demo-mentorship-{month}",
            hours,
            title,
            online=online,
            when=when,
        )


def _add_visits(today: date) -> None:
    leader = accounts.get_user_by_username("lingdao")
    if db.session.scalar(select(GuidanceVisit.id).where(GuidanceVisit.leader_id == leader.id)):
        return
    for unit_name, days_ago, kind, topic, notes in [
        (
            "东岭镇纪委",
            40,
            "调研指导",
            "镇纪委规范化建设",
            "查看了信访件登记和处置台账，台账基本规范，个别件办结时限偏长。",
        ),
        (
            "城关镇纪委",
            25,
            "座谈交流",
            "新进干部培养情况",
            "与镇纪委班子和两名新进干部座谈，要求落实师徒帮带，每月至少见面一次。",
        ),
        (
            "东岭镇纪委",
            8,
            "谈心谈话",
            "与新进干部林一帆谈心",
            "了解其学习和生活情况，鼓励其多参与监督检查实践。",
        ),
    ]:
        db.session.add(
            GuidanceVisit(
                leader_id=leader.id,
                unit_id=org.get_unit_by_name(unit_name).id,
                visited_on=today - timedelta(days=days_ago),
                kind=kind,
                topic=topic,
                notes=notes,
            )
        )


def load_demo(app, echo) -> None:
    """Load demo mentors, mentees, pairs in every state, hours and guidance visits."""
    today = local_today()
    _load_people()
    trainer = accounts.get_user_by_username("peixun")
    for pair in PAIRS:
        _add_pair(pair, today, trainer)
    _add_hours(today)
    _add_visits(today)
    db.session.flush()
    health.flag_inactive(today)
    echo("示例师徒帮带对子和挂联指导记录已就绪。")
