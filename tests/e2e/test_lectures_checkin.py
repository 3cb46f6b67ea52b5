"""A trainer creates a 小课堂 session, a cadre registers, the trainer shows the check-in
code, the cadre checks in and the hours reach the cadre's 学时 ledger."""

from datetime import datetime, timedelta
from decimal import Decimal

from learn.core.timefmt import LOCAL_TZ
from learn.extensions import db
from learn.lectures.models import SeriesType
from learn.ledger import SourceType, entries_for
from tests.e2e.conftest import PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_user
from tests.lectures.factories import make_org, make_series


def _people():
    county, township, _resident, trainer = make_org()
    series = make_series(trainer, county, kind=SeriesType.SMALL, name="业务小课堂")
    make_user("daoshi", name="贺知远", unit=county)
    cadre = make_user("xueyuan", name="林一帆", unit=township, birth_year=2001)
    return series, cadre


def test_small_class_from_creation_to_credited_hours(live_server, browser):
    _series, cadre = _people()
    trainer_ctx = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    cadre_ctx = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    trainer, learner = trainer_ctx.new_page(), cadre_ctx.new_page()

    # the trainer schedules a session that starts in a few minutes
    browser_login(trainer, live_server, "peixun", PASSWORD)
    trainer.get_by_role("navigation", name="主导航").get_by_role("link", name="讲堂").click()
    trainer.get_by_role("navigation", name="讲堂栏目").get_by_role("link", name="讲堂系列").click()
    trainer.get_by_role("link", name="业务小课堂").click()
    trainer.get_by_role("link", name="安排讲座").click()
    starts = (datetime.now(LOCAL_TZ) + timedelta(minutes=10)).replace(second=0, microsecond=0)
    trainer.get_by_label("讲座题目").fill("问题线索的五类处置方式怎么选")
    trainer.get_by_label("内容简介").fill("结合**三个案例**讲清谈话函询、初步核实等处置方式。")
    trainer.get_by_label("日期", exact=True).fill(starts.strftime("%Y-%m-%d"))
    trainer.get_by_label("开始时间（北京时间）").fill(starts.strftime("%H:%M"))
    trainer.get_by_label("地点").fill("县纪委监委机关第一会议室")
    trainer.get_by_label("主讲人（平台用户）").fill("daoshi")
    assert serious_axe_violations(trainer) == []
    screenshot(trainer, "lectures-session-form")
    trainer.get_by_role("button", name="保存").click()
    assert trainer.get_by_text("讲座已保存").is_visible()
    session_url = trainer.url

    # the cadre registers
    browser_login(learner, live_server, "xueyuan", PASSWORD)
    learner.get_by_role("navigation", name="主导航").get_by_role("link", name="讲堂").click()
    learner.get_by_role("link", name="问题线索的五类处置方式怎么选").click()
    learner.get_by_role("button", name="报名参加").click()
    assert learner.get_by_text("报名成功").is_visible()
    assert serious_axe_violations(learner) == []
    screenshot(learner, "lectures-session-registered")

    # the trainer puts the code on the projector
    trainer.goto(session_url)
    trainer.get_by_role("link", name="显示签到码").click()
    code = trainer.locator("[data-code]").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    assert trainer.get_by_role("img", name="签到二维码：用手机扫描后确认签到").is_visible()
    assert serious_axe_violations(trainer) == []
    screenshot(trainer, "lectures-projector")

    # the cadre types it in and sees the hours credited
    learner.reload()
    learner.get_by_label("签到码").fill(code)
    learner.get_by_role("button", name="签到", exact=True).click()
    screenshot(learner, "lectures-session-checked-in")
    assert learner.get_by_text("签到成功，已计入 2 学时").is_visible()
    assert learner.get_by_text("已计入 2 学时", exact=True).is_visible()
    screenshot(learner, "lectures-session-checked-in")

    db.session.expire_all()
    entries = [e for e in entries_for(cadre.id) if e.source_type == SourceType.LECTURE_ATTENDANCE]
    assert [(e.hours, e.title) for e in entries] == [
        (Decimal("2.0"), "业务小课堂：问题线索的五类处置方式怎么选")
    ]

    # the trainer's attendance list shows the check-in
    trainer.goto(session_url + "/attendance")
    assert trainer.get_by_role("row", name="林一帆").get_by_text("签到码").is_visible()
    assert serious_axe_violations(trainer) == []
    screenshot(trainer, "lectures-attendance")
    trainer_ctx.close()
    cadre_ctx.close()


def test_calendar_pages_fit_a_phone_and_pass_axe(live_server, browser):
    from learn import demo as platform_demo
    from learn.lectures.demo import load_demo

    platform_demo._load_units()
    platform_demo._load_users()
    db.session.commit()
    load_demo(None, echo=lambda _text: None)
    db.session.commit()
    for viewport, suffix in ((None, "desktop"), (PHONE, "phone")):
        options = {"locale": "zh-CN"}
        if viewport:
            options.update(viewport=viewport, is_mobile=True)
        else:
            options.update(viewport={"width": 1280, "height": 860})
        context = browser.new_context(**options)
        page = context.new_page()
        browser_login(page, live_server, "xueyuan", "learn2026")
        for path, name in (
            ("/lectures/", "list"),
            ("/lectures/calendar?scope=all", "month"),
            ("/lectures/series", "series"),
            ("/", "home"),
        ):
            page.goto(f"{live_server.url}{path}")
            assert serious_axe_violations(page) == [], path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], (path, width)
            screenshot(page, f"lectures-{name}-{suffix}")
        page.goto(f"{live_server.url}/lectures/series")
        page.get_by_role("link", name="东片区人人登讲台").click()
        page.get_by_role("link", name="本年度轮值").click()
        assert page.get_by_role("heading", name="从未讲过", exact=False).is_visible()
        assert serious_axe_violations(page) == []
        screenshot(page, f"lectures-rota-{suffix}")
        context.close()
