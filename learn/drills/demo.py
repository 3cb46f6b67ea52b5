"""Demo content for mock talks: sync the cards, a training group, one finished and one
new role-play session, and a finished self-practice run. Idempotent; all fictitious."""

from datetime import date

import click
from sqlalchemy import select

from learn.accounts import services as accounts
from learn.content import ContentProblems
from learn.content.drills import simulation_from_data
from learn.demo import DEMO_PASSWORD
from learn.drills.models import DrillGroup
from learn.drills.services import cards, groups, practice, sessions
from learn.extensions import db
from learn.org import services as org

GROUP_NAME = "2026年新进干部模拟谈话小组"
# (username, name, unit, position, birth year, joined)
EXTRA_USERS = [
    ("hemu", "何沐", "河湾镇纪委", "纪委委员", 1998, date(2024, 9, 1)),
    ("tangning", "唐宁", "第二纪检监察室", "科员", 1995, date(2020, 7, 1)),
]
DONE_CARD = "hanxun-dibao-huibi"
NEXT_CARD = "jiemian-cunwu-gongkai"
PLAN = (
    "一、目的：查明刘某某是否应回避而未回避、收入填报是否属实、函询回复为何未说明亲属关系。\n"
    "二、顺序：评议经过→亲属关系与回避→收入填报→函询回复。\n"
    "三、证据：先锁定陈述，再出示会议记录、县民政局通知和比对结果。"
)
SAFETY = (
    "刘某某有高血压，谈话室备血压计，请其带药；安全员在室外值守并看监控；"
    "出现不适立即暂停；谈后由村党支部书记接回。"
)
TRANSCRIPT = (
    "时间：2026年3月12日9时至10时10分　地点：镇纪委谈话室\n"
    "问：今天根据监督执纪工作规则与你谈话，你有如实说明问题的义务，听清楚了吗？\n"
    "答：听清楚了。\n"
    "问：请你讲讲2024年低保评议的经过。\n"
    "答：名单是小组长报的，入户是我和文书去的，会是我主持的……\n"
    "（以下略）\n"
    "以上笔录我已看过，与我说的一致。刘某某（签名）"
)


def _users() -> dict[str, object]:
    for username, name, unit, position, born, joined in EXTRA_USERS:
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
            ),
            DEMO_PASSWORD,
        )
    names = ["peixun", "xueyuan", "qingnian", "hemu", "tangning"]
    return {n: accounts.get_user_by_username(n) for n in names}


def _group(people: dict) -> DrillGroup:
    group = db.session.scalar(select(DrillGroup).where(DrillGroup.name == GROUP_NAME))
    if group is None:
        members = [people[n].id for n in ("xueyuan", "qingnian", "hemu", "tangning")]
        group = groups.create_group(people["peixun"], GROUP_NAME, members)
    return group


def _finished_session(group: DrillGroup, people: dict) -> None:
    trainer = people["peixun"]
    casting = sessions.Casting(
        lead=people["xueyuan"].id,
        recorder=people["qingnian"].id,
        subject=people["hemu"].id,
        assessors=(people["tangning"].id, trainer.id),
    )
    session = sessions.open_session(trainer, group, cards.get_card(DONE_CARD), casting)
    sessions.submit_plan(people["xueyuan"], session, PLAN, SAFETY)
    sessions.advance(trainer, session)
    sessions.save_transcript(people["qingnian"], session, TRANSCRIPT)
    sessions.advance(trainer, session)
    scores = {
        "tangning": (
            {
                "plan": 3,
                "policy": 3,
                "strategy": 2,
                "evidence": 3,
                "rapport": 3,
                "safety": 4,
                "record": 3,
            },
            "开场告知规范，安全预案针对高血压很具体；追问收入时节奏偏快，可以先让对方多说。",
        ),
        "peixun": (
            {
                "plan": 4,
                "policy": 3,
                "strategy": 2,
                "evidence": 2,
                "rapport": 3,
                "safety": 3,
                "record": 3,
            },
            "方案扎实。会议记录出示得早了一些，被谈话人有了准备；笔录问答对应，格式规范。",
        ),
    }
    for username, (levels, comments) in scores.items():
        ticked = {item["id"] for item in session.checklist} - {"close"}
        sessions.submit_assessment(people[username], session, ticked, levels, comments)
    sessions.advance(trainer, session)
    sessions.advance(trainer, session)


def _practice_run(user) -> None:
    if practice.runs_of(user, DONE_CARD):
        return
    card = cards.get_card(DONE_CARD)
    run = practice.start_run(user, card)
    sim = simulation_from_data(card.simulation)
    while not run.finished:
        node = sim.node(run.node_id)
        practice.choose(run, node.options[0].id)


def load_demo(app, echo) -> None:
    """Sync the bundled cards and add a demo group with sessions (idempotent)."""
    try:
        report = cards.sync_cards()
    except ContentProblems as exc:
        for error in exc.errors:
            echo(str(error))
        raise click.ClickException("模拟谈话案例卡有误，未载入。") from exc
    echo(f"模拟谈话案例卡：{report.summary()}。")
    people = _users()
    group = _group(people)
    if not sessions.group_sessions(group):
        _finished_session(group, people)
        casting = sessions.suggest_casting(group, people["peixun"])
        sessions.open_session(
            people["peixun"],
            group,
            cards.get_card(NEXT_CARD),
            sessions.Casting(
                lead=casting.lead,
                recorder=casting.recorder,
                subject=casting.subject,
                assessors=casting.assessors,
            ),
        )
    _practice_run(people["qingnian"])
    echo("模拟谈话示例小组和演练已就绪。")
