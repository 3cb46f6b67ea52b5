"""A new township cadre logs in, sees their required courses, studies, fails then passes the
quiz, and sees the hours against the quota — in a real browser, at desktop and phone width."""

from pathlib import Path

from learn.accounts import services as accounts
from learn.config import PROJECT_ROOT
from learn.content.courses import load_courses
from learn.core.timefmt import local_today
from learn.courses import quiz
from learn.courses.services import get_course
from learn.courses.sync import sync_courses
from learn.extensions import db
from learn.org import UnitType
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_unit, make_user

COURSE = "jilv-chufen-tiaoli"


def _county():
    sync_courses(load_courses(Path(PROJECT_ROOT / "courses")))
    db.session.commit()
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    township = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=root)
    today = local_today()
    make_user(
        "xueyuan",
        name="林一帆",
        unit=township,
        birth_year=today.year - 25,
        joined_on=today.replace(day=1),
    )


def _drawn_questions():
    """The questions of the attempt the browser just opened, read from the database."""
    db.session.expire_all()
    user = accounts.get_user_by_username("xueyuan")
    [attempt] = [a for a in quiz.attempts_of(user.id, get_course(COURSE).id) if not a.submitted]
    return quiz.attempt_questions(attempt)


def _answer(page, questions, right: bool):
    for question in questions:
        if question.qtype == "truefalse":
            truth = question.answer == ["true"]
            value = "true" if truth == right else "false"
            page.locator(f'input[name="q{question.id}"][value="{value}"]').check()
            continue
        letters = "ABCDEFGH"[: len(question.options)]
        chosen = (
            question.answer if right else [next(x for x in letters if x not in question.answer)]
        )
        for letter in chosen:
            page.locator(f'input[name="q{question.id}"][value="{letter}"]').check()


def test_new_township_cadre_studies_and_sees_hours(live_server, page):
    _county()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    panel = page.get_by_role("region", name="我的必修课程与学时")
    assert "0 / 90 学时" in panel.inner_text()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="课程学习").click()
    assert page.get_by_role("heading", name="待完成的必修课程（5）").is_visible()
    required = page.locator(".course-card-title").all_inner_texts()
    assert "村级“三资”监督实务" in required  # 镇纪委干部
    assert "谈话提醒与诫勉谈话实务" in required  # 新进干部、青年干部
    assert not any("家风" in t for t in required)  # elective for them
    assert serious_axe_violations(page) == []
    screenshot(page, "courses-mine")

    page.get_by_role("link", name="《中国共产党纪律处分条例》要点解读（2023年修订）").click()
    page.get_by_role("link", name="开始学习").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("第一讲")
    assert serious_axe_violations(page) == []
    screenshot(page, "courses-lesson")
    for _ in range(4):
        page.get_by_role("button", name="学完本讲").click()
        page.wait_for_load_state()
    assert page.get_by_text("本课程的课时已全部学完").is_visible()

    page.get_by_role("button", name="开始测验").click()
    _answer(page, _drawn_questions(), right=False)
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="提交答卷").click()
    assert page.get_by_role("heading", name="未通过：0 分").is_visible()
    assert page.get_by_text("解析：").first.is_visible()
    screenshot(page, "courses-quiz-failed")

    page.get_by_role("button", name="再测一次").click()
    _answer(page, _drawn_questions(), right=True)
    page.get_by_role("button", name="提交答卷").click()
    assert page.get_by_role("heading", name="测验通过：100 分").is_visible()
    assert page.get_by_text("4 学时已计入").is_visible()

    page.get_by_role("link", name="我的学时").first.click()
    assert page.get_by_role("heading", name="我的学时").is_visible()
    assert page.locator(".quota-figure strong").first.inner_text() == "4"
    assert page.get_by_role("cell", name="课程学习").is_visible()
    assert page.get_by_text("还差 86 学时").is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "ledger-mine")

    page.get_by_role("link", name="《中国共产党纪律处分条例》要点解读（2023年修订）").last.click()
    assert page.get_by_role("heading", name="结 业 证 书").is_visible()
    screenshot(page, "ledger-certificate")


def test_course_pages_fit_a_phone(live_server, browser):
    _county()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "xueyuan", PASSWORD)
    for path, name in (
        ("/courses/", "courses-mine-phone"),
        (f"/courses/{COURSE}", "courses-detail-phone"),
        (f"/courses/{COURSE}/lessons/xiuding-beijing", "courses-lesson-phone"),
        ("/courses/catalogue", "courses-catalogue-phone"),
        ("/ledger/", "ledger-mine-phone"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert serious_axe_violations(page) == [], path
        screenshot(page, name)
    context.close()
