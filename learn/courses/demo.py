"""Demo loader: sync the bundled courses, add a few fictitious cadres, and give some of
them a believable learning history so that 我的学时 and the reports have something
to show. Idempotent: existing users, completions and entries are kept."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from learn.accounts import RankBand, Role
from learn.accounts import services as accounts
from learn.content import ContentProblems
from learn.content.courses import load_courses
from learn.core.timefmt import LOCAL_TZ, local_today
from learn.courses import services
from learn.courses.models import Enrollment, EnrollmentOrigin, LessonProgress, QuizAttempt
from learn.courses.sync import sync_courses
from learn.demo import DEMO_PASSWORD
from learn.extensions import db
from learn.ledger import SourceType, credit_hours, issue_course_certificate
from learn.org import services as org

# (username, name, unit, position, rank, birth year, joined, roles)
PEOPLE = [
    (
        "cgzhou",
        "周建华",
        "城关镇纪委",
        "纪委书记",
        RankBand.SECTION_AND_BELOW,
        1984,
        date(2012, 8, 1),
        set(),
    ),
    (
        "cgwu",
        "吴晓晴",
        "城关镇纪委",
        "纪检干事",
        RankBand.SECTION_AND_BELOW,
        1998,
        date(2021, 9, 1),
        set(),
    ),
    (
        "hwzheng",
        "郑宇航",
        "河湾镇纪委",
        "纪委副书记",
        RankBand.SECTION_AND_BELOW,
        1990,
        date(2016, 7, 1),
        set(),
    ),
    (
        "hwpeixun",
        "陶明远",
        "河湾镇纪委",
        "纪委副书记（兼培训联络员）",
        RankBand.SECTION_AND_BELOW,
        1987,
        date(2011, 7, 1),
        {Role.TRAINER},
    ),
    (
        "lpfeng",
        "冯丽娟",
        "柳坪镇纪委",
        "纪检干事",
        RankBand.SECTION_AND_BELOW,
        2000,
        date(2025, 9, 1),
        set(),
    ),
    (
        "pzhe",
        "何振平",
        "第二派驻纪检监察组",
        "组长",
        RankBand.COUNTY,
        1976,
        date(1999, 7, 1),
        set(),
    ),
    (
        "ertang",
        "唐一宁",
        "第二纪检监察室",
        "科员",
        RankBand.SECTION_AND_BELOW,
        1995,
        date(2018, 7, 1),
        set(),
    ),
]

# (username, course id, days ago) — completed courses
COMPLETIONS = [
    ("qingnian", "sizhong-xingtai", 200),
    ("qingnian", "jilv-chufen-tiaoli", 150),
    ("qingnian", "tanhua-tixing-jiemian", 90),
    ("cgzhou", "sizhong-xingtai", 260),
    ("cgzhou", "jilv-chufen-tiaoli", 230),
    ("cgzhou", "cunji-sanzi-jiandu", 180),
    ("cgzhou", "jiandu-zhiji-guize", 120),
    ("cgwu", "jilv-chufen-tiaoli", 100),
    ("hwzheng", "sizhong-xingtai", 300),
    ("hwzheng", "cunji-sanzi-jiandu", 40),
    ("pzhe", "jiafeng-lianjie", 210),
    ("pzhe", "sizhong-xingtai", 160),
    ("ertang", "jilv-chufen-tiaoli", 75),
    ("lingdao", "jiafeng-lianjie", 130),
]

# (username, key, title, hours, days ago) — online study on the provincial cadre network college
ONLINE = [
    ("cgzhou", "2026-wangluo", "省干部网络学院年度专题学习", 36, 30),
    ("qingnian", "2026-wangluo", "省干部网络学院年度专题学习", 30, 45),
    ("hwzheng", "2026-wangluo", "省干部网络学院年度专题学习", 20, 70),
    ("pzhe", "2026-wangluo", "省干部网络学院年度专题学习", 44, 20),
]

# (username, key, title, hours, days ago) — offline training registered by hand
OFFLINE = [
    ("qingnian", "2026-lunxun", "全县纪检监察干部集中轮训（第一期）", 24, 240),
    ("cgzhou", "2026-lunxun", "全县纪检监察干部集中轮训（第一期）", 24, 240),
    ("cgzhou", "2026-shijiao", "市纪委监委审查调查业务实训", 40, 60),
    ("hwzheng", "2026-lunxun", "全县纪检监察干部集中轮训（第一期）", 24, 240),
    ("cgwu", "2026-lunxun", "全县纪检监察干部集中轮训（第一期）", 24, 240),
    ("pzhe", "2022-dangxiao", "市委党校县处级干部进修班", 120, 4 * 365 + 30),
    ("pzhe", "2023-zhuanti", "省纪委监委派驻机构业务培训", 96, 3 * 365 + 60),
    ("pzhe", "2024-lunxun", "全县纪检监察干部集中轮训", 90, 2 * 365 + 40),
    ("pzhe", "2025-lunxun", "全县纪检监察干部集中轮训", 80, 365 + 20),
    ("lingdao", "2022-dangxiao", "市委党校县处级干部进修班", 120, 4 * 365 + 30),
    ("lingdao", "2023-zhuanti", "全市纪检监察领导干部专题研讨班", 110, 3 * 365 + 60),
    ("lingdao", "2024-lunxun", "全县纪检监察干部集中轮训", 100, 2 * 365 + 40),
    ("lingdao", "2025-lunxun", "全县纪检监察干部集中轮训", 110, 365 + 20),
    ("lingdao", "2026-lunxun", "全县纪检监察干部集中轮训（第一期）", 24, 240),
]


def _when(days_ago: int) -> datetime:
    day = local_today() - timedelta(days=days_ago)
    return datetime.combine(day, time(15, 0), LOCAL_TZ).astimezone(UTC)


def _load_people() -> None:
    for username, name, unit, position, rank, born, joined, roles in PEOPLE:
        if accounts.get_user_by_username(username):
            continue
        accounts.create_user(
            None,
            accounts.UserData(
                username=username,
                name=name,
                unit_id=org.get_unit_by_name(unit).id,
                position=position,
                rank_band=rank,
                birth_year=born,
                joined_on=joined,
                roles=roles,
            ),
            DEMO_PASSWORD,
        )


def _complete(user, course, when: datetime) -> None:
    """Record a finished course as if taken on ``when``: lessons, a passed attempt, credit."""
    enrollment = services.enrollment_for(user.id, course.id)
    if enrollment is not None and enrollment.completed_at is not None:
        return
    if enrollment is None:
        enrollment = Enrollment(
            user_id=user.id, course_id=course.id, origin=EnrollmentOrigin.REQUIRED
        )
        db.session.add(enrollment)
    enrollment.enrolled_at = when - timedelta(days=7)
    enrollment.completed_at = when
    for lesson in course.active_lessons:
        if db.session.get(LessonProgress, (user.id, lesson.id)) is None:
            db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, completed_at=when))
    if course.has_quiz:
        drawn = course.active_questions[: course.quiz_draw]
        db.session.add(
            QuizAttempt(
                user_id=user.id,
                course_id=course.id,
                question_ids=[q.id for q in drawn],
                answers={str(q.id): sorted(q.answer) for q in drawn},
                score=100,
                passed=True,
                started_at=when - timedelta(minutes=20),
                submitted_at=when,
            )
        )
    credit_hours(
        user.id, SourceType.COURSE, course.slug, course.hours, course.title, online=True, when=when
    )
    certificate = issue_course_certificate(
        user,
        course.slug,
        course.title,
        course.hours,
        when,
        course.training_type,
        with_quiz=course.has_quiz,
    )
    certificate.issued_at = when
    db.session.flush()


def _load_history() -> None:
    for username, slug, days_ago in COMPLETIONS:
        user = accounts.get_user_by_username(username)
        course = services.get_course(slug) if user else None
        if user is not None and course.is_published:
            _complete(user, course, _when(days_ago))
    for username, key, title, hours, days_ago in OFFLINE:
        user = accounts.get_user_by_username(username)
        if user is not None:
            credit_hours(
                user.id, SourceType.MANUAL, f"demo-{key}", hours, title, when=_when(days_ago)
            )


def load_demo(app, echo) -> None:
    """Sync the bundled courses and load the demo learning history."""
    try:
        docs = load_courses(Path(app.config["COURSES_DIR"]))
    except ContentProblems as problems:
        for error in problems.errors:
            echo(str(error))
        echo("课程文件有问题，未载入示例课程。")
        return
    report = sync_courses(docs)
    echo(f"示例课程：{report.summary()}。")
    _load_people()
    _load_history()
    db.session.flush()
    echo("示例学习记录已就绪（培训联络员 hwpeixun 只能查看河湾镇纪委的报表）。")
