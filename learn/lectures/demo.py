"""Demo content: a year of the four series around today — past sessions with attendance,
credited hours and feedback, upcoming ones open for registration, and a published
人人登讲台 rota for the 东片区. Everything is fictitious; loading twice changes nothing
(a series that already exists is left alone)."""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from learn.accounts import User
from learn.accounts import services as accounts
from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.extensions import db
from learn.lectures import access
from learn.lectures.attendance import complete_session, mark_attendance
from learn.lectures.feedback import submit_feedback
from learn.lectures.materials import add_note
from learn.lectures.models import AttendanceStatus, Audience, LectureSeries, SeriesType
from learn.lectures.registration import register
from learn.lectures.rotas import (
    add_slots,
    create_rota,
    propose,
    publish,
    set_members,
    set_unavailable,
)
from learn.lectures.sessions import (
    SeriesData,
    SessionData,
    SpeakerInput,
    create_session,
    local_datetime,
    save_series,
    submit_topic,
)
from learn.org import services as org

PASSWORD = "learn2026"

# (username, name, unit, position, birth year, joined)
CADRES = [
    ("zhoushuyao", "周书瑶", "城关镇纪委", "纪委委员", 1997, date(2020, 8, 1)),
    ("mayiming", "马一鸣", "城关镇纪委", "纪检干事", 1995, date(2018, 7, 1)),
    ("lumuyang", "陆沐阳", "城关镇纪委", "纪检干事", 1999, date(2023, 8, 1)),
    ("hejiashu", "何嘉树", "东岭镇纪委", "纪委副书记", 1996, date(2019, 7, 1)),
    ("tangyutong", "唐语桐", "东岭镇纪委", "纪检干事", 1998, date(2022, 7, 1)),
    ("wangxiaochuan", "王晓川", "第二纪检监察室", "副主任", 1988, date(2012, 7, 1)),
    ("liqinghe", "李青禾", "河湾镇纪委", "纪委书记", 1986, date(2010, 8, 1)),
    ("zhaozhiqiu", "赵知秋", "柳坪镇纪委", "纪委委员", 1994, date(2017, 7, 1)),
    ("xuruogu", "徐若谷", "第二派驻纪检监察组", "科员", 1993, date(2016, 7, 1)),
]

COMMENTS = [
    "案例贴近基层实际，回去就能用。",
    "建议多留一些时间讨论。",
    "条理清楚，重点突出。",
    "课件可以再精简一些，个别页面字太多。",
    "讲到的几个易错点很有针对性。",
    "希望能把相关文书模板一并分享。",
    "",
    "",
]


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _users() -> dict[str, User]:
    for username, name, unit, position, born, joined in CADRES:
        if accounts.get_user_by_username(username):
            continue
        unit_row = org.get_unit_by_name(unit)
        accounts.create_user(
            None,
            accounts.UserData(
                username=username,
                name=name,
                unit_id=unit_row.id if unit_row else None,
                position=position,
                birth_year=born,
                joined_on=joined,
            ),
            PASSWORD,
        )
    return {u.username: u for u in db.session.scalars(select(User))}


class _Year:
    """Builds one series' sessions and their history with a fixed random seed."""

    def __init__(self, trainer: User, users: dict[str, User], seed: int):
        self.trainer = trainer
        self.users = users
        self.rng = random.Random(seed)
        self.now = utcnow()
        self.learners = [u for u in users.values() if u.username not in ("admin",)]

    def series(self, name, kind, unit, description, hours, minutes, place) -> LectureSeries | None:
        if db.session.scalar(select(LectureSeries).where(LectureSeries.name == name)):
            return None
        return save_series(
            self.trainer,
            None,
            SeriesData(
                name=name,
                series_type=kind,
                owner_unit_id=org.get_unit_by_name(unit).id,
                description=description,
                default_hours=Decimal(hours),
                default_minutes=minutes,
                default_place=place,
            ),
        )

    def session(self, series, day, at, title, abstract, speakers, **extra):
        starts = local_datetime(day, at)
        data = SessionData(
            title=title,
            abstract=abstract,
            starts_at=starts,
            duration_minutes=series.default_minutes,
            hours=series.default_hours,
            place=series.default_place,
            registration_opens_at=starts - timedelta(days=14),
            speakers=speakers,
            **extra,
        )
        session = create_session(self.trainer, series, data)
        self.history(session)
        return session

    def history(self, session) -> None:
        """Registrations for every session; attendance, hours and feedback for past ones."""
        crowd = [u for u in self.learners if u.id not in session.speaker_user_ids]
        self.rng.shuffle(crowd)
        opens = session.registration_opens_at or session.starts_at - timedelta(days=7)
        signed_up = max(
            opens + timedelta(hours=1), min(self.now, session.starts_at) - timedelta(days=3)
        )
        attendees = crowd[: self.rng.randint(6, min(12, len(crowd)))]
        attendees = [u for u in attendees if access.in_audience(u, session)]
        if signed_up <= self.now:
            for user in attendees:
                register(user, session, now=signed_up)
        if session.ends_at > self.now:
            return
        marks = {}
        for user in attendees:
            roll = self.rng.random()
            marks[user.id] = (
                AttendanceStatus.PRESENT
                if roll < 0.78
                else AttendanceStatus.LATE
                if roll < 0.86
                else AttendanceStatus.LEAVE
                if roll < 0.95
                else AttendanceStatus.ABSENT
            )
        mark_attendance(self.trainer, session, marks, now=session.ends_at)
        complete_session(self.trainer, session, now=session.ends_at)
        after = session.ends_at + timedelta(hours=2)
        for user_id, status in marks.items():
            if status.credits_hours and self.rng.random() < 0.7 and after <= self.now:
                base = self.rng.choice([4, 4, 5, 5, 5, 3])
                submit_feedback(
                    db.session.get(User, user_id),
                    session,
                    base,
                    min(5, max(1, base + self.rng.choice([-1, 0, 0, 1]))),
                    min(5, max(1, base + self.rng.choice([-1, 0, 0]))),
                    self.rng.choice(COMMENTS),
                    now=after,
                )


def _speaker(users, username) -> list[SpeakerInput]:
    return [SpeakerInput(user_id=users[username].id)]


def _guest(name, title) -> list[SpeakerInput]:
    return [SpeakerInput(guest_name=name, guest_title=title)]


def _grand(year: _Year, users, today: date) -> None:
    series = year.series(
        "季度大讲堂",
        SeriesType.GRAND,
        "县纪委监委机关",
        "每季度一期，由委领导和特邀专家围绕全委重点工作作专题辅导，全体干部参加。",
        "3",
        150,
        "县纪委监委机关三楼报告厅",
    )
    if series is None:
        return
    talks = [
        (
            -300,
            "深入学习贯彻《中国共产党纪律处分条例》专题辅导",
            "逐章梳理条例修订的重点条款，结合基层常见违纪情形讲清“怎么认定、怎么处理”。",
            _speaker(users, "lingdao"),
        ),
        (
            -210,
            "以案促改：基层“微腐败”典型问题剖析与治理",
            "选取近年查处的 6 起村（社区）干部侵害群众利益案件（均已匿名化），"
            "分析问题成因与整改抓手。",
            _guest("赵某", "市纪委监委案件审理室副主任"),
        ),
        (
            -120,
            "精准运用监督执纪“第一种形态”",
            "谈话提醒、批评教育、责令检查、诫勉如何选用；红脸出汗的分寸怎样把握。",
            _speaker(users, "daoshi"),
        ),
        (
            -30,
            "审查调查中的证据审查与常见问题",
            "从案件审理的角度看证据收集：言词证据、书证物证的审查要点和补证要求。",
            _speaker(users, "shenhe"),
        ),
        (
            60,
            "基层监督体系建设的实践与思考",
            "镇纪委、派驻组和村务监督委员会如何贯通协同，把监督触角延伸到群众身边。",
            _speaker(users, "lingdao"),
        ),
    ]
    for offset, title, abstract, speakers in talks:
        day = _weekday_on_or_after(today + timedelta(days=offset), 3)
        year.session(series, day, time(14, 30), title, abstract, speakers)


def _small(year: _Year, users, today: date) -> None:
    series = year.series(
        "业务小课堂",
        SeriesType.SMALL,
        "县纪委监委机关",
        "每月一至两期，一堂课讲透一个业务问题，讲完即可上手。",
        "1.5",
        90,
        "县纪委监委机关第一会议室",
    )
    if series is None:
        return
    talks = [
        (-330, "谈话笔录制作的五个要点", "daoshi", None),
        (-290, "问题线索的五类处置方式怎么选", "bianji", None),
        (
            -250,
            "村级“三资”账务怎么看：从一张凭证说起",
            None,
            ("孙某", "县审计局经济责任审计股股长"),
        ),
        (-215, "信访举报件的受理、分办与答复", "wangxiaochuan", None),
        (-180, "监督检查中的走访与调研方法", "liqinghe", None),
        (-140, "纪检监察文书格式规范", "bianji", None),
        (-100, "违反中央八项规定精神问题的定性辨析", "daoshi", None),
        (-65, "审查调查安全工作要点", "shenhe", None),
        (-20, "如何写好一份纪检监察建议书", "wangxiaochuan", None),
        (3, "镇纪委日常监督的几个抓手", "liqinghe", None),
        (24, "政务处分与党纪处分的衔接", "daoshi", None),
        (52, "运用大数据开展监督的入门方法", "xuruogu", None),
    ]
    for offset, title, speaker, guest in talks:
        day = _weekday_on_or_after(today + timedelta(days=offset), 2)
        speakers = _speaker(users, speaker) if speaker else _guest(*guest)
        abstract = f"本期小课堂聚焦“{title}”，结合实际案例讲解操作要点，留出 20 分钟答疑。"
        session = year.session(series, day, time(15, 0), title, abstract, speakers, capacity=40)
        if offset < 0 and offset > -120:
            add_note(
                year.trainer,
                session,
                "要点回顾",
                f"## {title}\n\n1. 先弄清依据和程序要求；\n2. 对照案例找准易错环节；\n"
                "3. 形成本单位的工作清单。\n\n> 课后请结合本单位实际，梳理一条可改进的做法。",
            )


def _youth(year: _Year, users, today: date) -> None:
    series = year.series(
        "青言青语话清廉",
        SeriesType.YOUTH_INTEGRITY,
        "县直机关纪委",
        "面向 35 岁以下青年干部的清廉主题系列，由青年干部讲身边事、谈真感受。",
        "1.5",
        90,
        "县纪委监委机关青年之家",
    )
    if series is None:
        return
    talks = [
        (-270, "家风是最好的廉洁课", "qingnian"),
        (-235, "青年干部的“第一次”：从一次吃请说起", "zhaozhiqiu"),
        (-175, "温水煮青蛙：从身边案例看“小节”与“大节”", "xuruogu"),
        (-115, "“朋友圈”里的廉洁考题", "hejiashu"),
        (-55, "读《朱子家训》，谈修身与用权", "zhoushuyao"),
        (10, "清廉青年说：我身边的榜样", "qingnian"),
        (70, "把纪律挺在前面：新进干部的第一年", "xueyuan"),
    ]
    for offset, title, speaker in talks:
        day = _weekday_on_or_after(today + timedelta(days=offset), 3)
        year.session(
            series,
            day,
            time(16, 0),
            title,
            f"青年干部分享：{title}。分享后分组交流，谈体会、谈做法。",
            _speaker(users, speaker),
            audience=Audience.CATEGORIES,
            categories=["青年干部", "新进干部"],
        )


PODIUM_TOPICS = [
    "我在村务监督中发现问题的三个办法",
    "一次信访件的办理复盘",
    "镇纪委如何用好“监督一点通”平台",
    "农村集体“三资”监督的几个切口",
    "廉政谈话怎么谈得进心里",
    "从一起优亲厚友案看低保监督",
    "走村入户：把监督做在群众身边",
    "我是怎样整理案卷的",
    "村（社区）“小微权力”清单怎么用",
    "一次廉政家访的收获",
    "用好“四种形态”的第一种：我的几次提醒谈话",
    "镇纪委信访件台账的整理方法",
]


def _podium(year: _Year, users, today: date) -> None:
    series = year.series(
        "东片区人人登讲台",
        SeriesType.PODIUM,
        "东片区协作组",
        "东片区协作组青年干部轮流当讲师：讲自己工作中的一个课题，分享经验，互学互评。",
        "1",
        60,
        "城关镇纪委会议室",
    )
    if series is None:
        return
    pool = ["xueyuan", "zhoushuyao", "mayiming", "lumuyang", "hejiashu", "tangyutong"]
    rota = create_rota(year.trainer, series, "本年度轮值", time(15, 0), 60, "城关镇纪委会议室")
    set_members(year.trainer, rota, {users[u].id for u in pool})
    first = _weekday_on_or_after(today - timedelta(days=98), 4)
    add_slots(year.trainer, rota, [first + timedelta(days=14 * i) for i in range(12)])
    future = [s.day for s in rota.slots if s.day > today]
    set_unavailable(year.trainer, rota, users["hejiashu"].id, set(future[:1]))
    set_unavailable(year.trainer, rota, users["lumuyang"].id, set(future[1:3]))
    propose(year.trainer, rota)
    sessions = publish(year.trainer, rota)
    topics = iter(PODIUM_TOPICS)
    for session in sessions:
        upcoming = session.starts_at > year.now
        if upcoming and session.starts_at > year.now + timedelta(days=20):
            continue  # later lecturers have not chosen their topic yet
        speaker = db.session.get(User, next(iter(session.speaker_user_ids)))
        title = next(topics)
        submit_topic(speaker, session, title, f"{speaker.name}结合自己的工作，分享“{title}”。")
        year.history(session)


def load_demo(app, echo) -> None:
    """Load the demo lecture year (idempotent)."""
    users = _users()
    trainer = users.get("peixun")
    if trainer is None:
        return
    today = local_today()
    year = _Year(trainer, users, seed=2026)
    _grand(year, users, today)
    _small(year, users, today)
    _youth(year, users, today)
    _podium(year, users, today)
    db.session.flush()
    echo("讲堂示例（季度大讲堂、业务小课堂、青言青语话清廉、东片区人人登讲台）已就绪。")
