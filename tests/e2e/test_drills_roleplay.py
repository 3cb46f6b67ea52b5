"""A role-play session run in the browser by six people: a trainer builds a group and opens
the session, the talkers prepare and record, two assessors score blind, the trainer releases."""

import re

from playwright.sync_api import expect

from learn.accounts import Role
from learn.drills.services import cards
from learn.extensions import db
from tests.e2e.conftest import ARTIFACTS, PHONE, browser_login, screenshot, serious_axe_violations
from tests.factories import PASSWORD, make_user

CARD = "hanxun-dibao-huibi"
CARD_TITLE = "函询说明不实后的再次谈话：村委会主任低保评议未回避"
A_COMMENT = "开场告知规范，追问节奏还可以更稳一些。"
B_COMMENT = "证据出示偏早，安全预案针对性强，值得肯定。"
PEOPLE = [
    ("lead", "林主谈"),
    ("recorder", "苏记录"),
    ("subject", "何扮演"),
    ("assessor_a", "唐评甲"),
    ("assessor_b", "贺评乙"),
]


def _setup():
    cards.sync_cards()
    db.session.commit()
    make_user("peixun", Role.TRAINER, name="宋培训")
    for username, name in PEOPLE:
        make_user(username, name=name)


def _as(browser, server, username, viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 860}, locale="zh-CN"
    )
    page = context.new_page()
    browser_login(page, server, username, PASSWORD)
    return context, page


def _submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _score(page, levels: dict[str, str], comment: str):
    for criterion, level in levels.items():
        group = page.get_by_role("group", name=re.compile(r"^\s*" + criterion + "（"))
        group.get_by_role("radio", name=re.compile(r"^\s*" + level + "：")).check()
    page.get_by_label("拟订谈话方案和工作预案，按程序报批").check()
    page.get_by_label("点评意见", exact=True).fill(comment)
    _submit(page, "提交评分")


def test_a_role_play_runs_with_two_assessors_to_release(live_server, browser):
    _setup()
    contexts = []

    trainer_ctx, trainer = _as(browser, live_server, "peixun")
    contexts.append(trainer_ctx)
    trainer.goto(f"{live_server.url}/drills/")
    trainer.get_by_role("link", name="培训小组与演练").click()
    trainer.get_by_role("link", name="建立小组").click()
    expect(trainer.get_by_label("小组名称")).to_be_visible()
    assert serious_axe_violations(trainer) == []
    trainer.get_by_label("小组名称").fill("第一期模拟谈话小组")
    for _username, name in PEOPLE:
        trainer.get_by_label(re.compile(r"^\s*" + name)).check()
    _submit(trainer, "保存")
    expect(trainer.get_by_role("heading", name="第一期模拟谈话小组")).to_be_visible()
    assert serious_axe_violations(trainer) == []
    trainer.get_by_role("link", name="发起演练").click()
    trainer.get_by_label("案例卡").select_option(CARD)
    trainer.get_by_label("主谈人").select_option(label="林主谈")
    trainer.get_by_label("记录人").select_option(label="苏记录")
    trainer.get_by_label("被谈话人扮演者").select_option(label="何扮演")
    assessors = trainer.get_by_role("group", name="评分人")
    for _username, name in PEOPLE:
        box = assessors.get_by_label(name, exact=True)
        if name in ("唐评甲", "贺评乙"):
            box.check()
        else:
            box.uncheck()
    assert serious_axe_violations(trainer) == []
    screenshot(trainer, "drills-session-form")
    _submit(trainer, "发起演练")
    expect(trainer.get_by_role("heading", name=f"演练：{CARD_TITLE}")).to_be_visible()
    session_url = trainer.url
    expect(trainer.get_by_text("谈话人尚未提交谈话方案")).to_be_visible()

    lead_ctx, lead = _as(browser, live_server, "lead")
    contexts.append(lead_ctx)
    lead.goto(session_url)
    expect(lead.get_by_text("您的角色：主谈人")).to_be_visible()
    assert lead.get_by_role("heading", name="被谈话人角色说明").count() == 0
    lead.get_by_label("谈话方案", exact=True).fill(
        "一、目的……二、顺序：评议经过→亲属关系与回避→收入填报。"
    )
    lead.get_by_label("安全预案", exact=True).fill(
        "刘某某有高血压：备血压计，安全员值守，谈后由村党支部书记接回。"
    )
    _submit(lead, "提交方案")
    expect(lead.get_by_text("谈话方案和安全预案已提交")).to_be_visible()

    subject_ctx, subject = _as(browser, live_server, "subject")
    contexts.append(subject_ctx)
    subject.goto(session_url)
    expect(subject.get_by_role("heading", name="被谈话人角色说明")).to_be_visible()
    expect(subject.get_by_text("仅被谈话人扮演者可见")).to_be_visible()
    assert subject.get_by_text("备血压计").count() == 0  # the talkers' plan is not theirs to read
    assert serious_axe_violations(subject) == []
    screenshot(subject, "drills-session-subject")

    trainer.reload()
    _submit(trainer, "开始谈话")
    expect(trainer.locator(".clock")).to_be_visible()

    recorder_ctx, recorder = _as(browser, live_server, "recorder")
    contexts.append(recorder_ctx)
    recorder.goto(session_url)
    recorder.get_by_role("textbox", name="谈话笔录").fill(
        "问：请你讲讲评议经过。\n答：名单是小组长报的，会是我主持的。"
    )
    _submit(recorder, "保存笔录")
    expect(recorder.get_by_text("笔录已保存")).to_be_visible()

    trainer.reload()
    _submit(trainer, "结束谈话，进入评分")

    a_ctx, assessor_a = _as(browser, live_server, "assessor_a")
    b_ctx, assessor_b = _as(browser, live_server, "assessor_b")
    contexts += [a_ctx, b_ctx]
    assessor_a.goto(session_url)
    expect(assessor_a.get_by_role("heading", name="独立评分")).to_be_visible()
    assert serious_axe_violations(assessor_a) == []
    screenshot(assessor_a, "drills-session-scoring")
    _score(
        assessor_a,
        {
            "方案与预案": "优秀",
            "政策把握": "良好",
            "谈话策略": "良好",
            "证据运用": "基本合格",
            "心理把握与沟通": "良好",
            "安全与程序规范": "优秀",
            "笔录质量": "良好",
        },
        A_COMMENT,
    )
    expect(assessor_a.get_by_role("heading", name="我的评分（已提交）")).to_be_visible()

    assessor_b.goto(session_url)
    assert assessor_b.get_by_text(A_COMMENT).count() == 0
    expect(assessor_b.get_by_text("已提交 1 / 2")).to_be_visible()
    _score(
        assessor_b,
        {
            "方案与预案": "良好",
            "政策把握": "良好",
            "谈话策略": "不足",
            "证据运用": "基本合格",
            "心理把握与沟通": "基本合格",
            "安全与程序规范": "良好",
            "笔录质量": "优秀",
        },
        B_COMMENT,
    )
    assessor_a.reload()
    assert assessor_a.get_by_text(B_COMMENT).count() == 0
    lead.reload()
    assert lead.get_by_text(A_COMMENT).count() == 0

    trainer.reload()
    assert trainer.get_by_text(A_COMMENT).count() == 0
    _submit(trainer, "发布评分结果")
    expect(trainer.get_by_role("heading", name=re.compile("^评分结果：平均"))).to_be_visible()
    expect(trainer.get_by_text(A_COMMENT)).to_be_visible()
    expect(trainer.get_by_text(B_COMMENT)).to_be_visible()
    expect(trainer.get_by_text("分歧较大，建议讨论").first).to_be_visible()
    expect(trainer.get_by_role("heading", name="参考方案")).to_be_visible()
    assert serious_axe_violations(trainer) == []
    screenshot(trainer, "drills-session-results")

    lead.reload()
    expect(lead.get_by_role("heading", name="被谈话人角色说明")).to_be_visible()
    expect(lead.get_by_text(B_COMMENT)).to_be_visible()

    phone_ctx, phone = _as(browser, live_server, "lead", viewport=PHONE)
    contexts.append(phone_ctx)
    phone.goto(session_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "drills-session-results-phone")
    phone.locator("section.results").screenshot(
        path=str(ARTIFACTS / "drills-results-table-phone.png")
    )

    _submit(trainer, "结束演练")
    expect(trainer.get_by_text("已为参与人各记 2 学时")).to_be_visible()
    for context in contexts:
        context.close()
