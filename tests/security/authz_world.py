"""The world the authorization matrix runs in: one account per role, and objects owned by
them and by people outside their reach.

Unit A holds the learner, the mentor and the trainer; the leader (at the county) is linked
to unit A only. Unit B holds a second mentor, learner and trainer whose objects ("other_…")
nobody among the role accounts owns, mentors or runs. ``World.ids`` names every object a
route policy may point at.
"""

import io
from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases.models import CaseStatus
from learn.core.timefmt import local_today
from learn.courses import authoring, quiz
from learn.courses import services as courses
from learn.drills.services import cards, groups, practice, sessions
from learn.extensions import db
from learn.lectures import ical, materials, rotas
from learn.ledger import certificates
from learn.mentorship.models import MentorMilestone, MentorTask, VisitKind
from learn.mentorship.services import guidance
from learn.notifications import services as notifications
from learn.org import UnitType
from learn.org import services as org
from tests.cases.factories import make_case
from tests.courses.factories import make_course
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_series, make_session
from tests.mentorship.factories import add_meeting, make_pairing
from tests.search.factories import index_now

ANONYMOUS = "anonymous"
ROLE_USERS = {
    "learner": ("xue", ()),
    "mentor": ("dao", (Role.MENTOR,)),
    "trainer": ("pei", (Role.TRAINER,)),
    "leader": ("ling", (Role.LEADER,)),
    "editor": ("bian", (Role.CASE_EDITOR,)),
    "reviewer": ("shen", (Role.CASE_REVIEWER,)),
    "admin": ("guan", (Role.ADMIN,)),
}
DRILL_CARD = "hanxun-dibao-huibi"


@dataclass
class World:
    """Usernames per role and the ids of every object the policy names."""

    usernames: dict[str, str]
    ids: dict[str, object] = field(default_factory=dict)


def _drill_session(facilitator, name, lead, recorder, subject, *assessors):
    """A group of the five people and a session of the bundled card cast with them."""
    members = [lead, recorder, subject, *assessors]
    group = groups.create_group(facilitator, name, [u.id for u in members])
    casting = sessions.Casting(
        lead=lead.id,
        recorder=recorder.id,
        subject=subject.id,
        assessors=tuple(a.id for a in assessors),
    )
    session = sessions.open_session(facilitator, group, cards.get_card(DRILL_CARD), casting)
    db.session.flush()
    return group, session


def _pairing_with_work(mentor, mentee):
    pairing = make_pairing(mentor, mentee)
    goal = pairing.goals[0]
    goal.milestones.append(MentorMilestone(title="熟悉流程", due_day=30))
    goal.tasks.append(MentorTask(title="研读案例", due_on=local_today()))
    meeting = add_meeting(pairing, days_ago=3, confirmed=False)
    db.session.commit()
    return pairing, goal, meeting


def _web_course(author, slug):
    """A draft course written in the browser by ``author``, with one lesson and one question."""
    fields = authoring.CourseFields(
        slug=slug,
        title="网页课程",
        summary="简介。",
        hours=Decimal("1"),
        training_type="专题培训",
        audiences=[{"requirement": "选修", "everyone": True}],
        quiz=None,
        cites_cases=[],
        intro="导言。",
    )
    course = authoring.create_course(author, fields)
    lesson = authoring.save_lesson(
        author, course, None, title="第一讲", minutes=20, body="正文。", position=None
    )
    question = authoring.save_question(
        author,
        course,
        None,
        {"type": "truefalse", "stem": "判断题", "answer": True, "explanation": "解析"},
    )
    db.session.commit()
    return course, lesson, question


def _handout(trainer, session):
    """A PDF only the session's attendees and managers may download."""
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    material = materials.add_file(trainer, session, pdf, "讲义.pdf", attendees_only=True)
    db.session.commit()
    return material


def build_world(tmp_path: Path) -> World:
    """Create units, accounts and objects; commit them and bring the search index up."""
    county = make_unit("县纪委监委机关", UnitType.COMMISSION)
    unit_a = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=county)
    unit_b = make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=county)
    home = {"learner": unit_a, "mentor": unit_a, "trainer": unit_a}
    users = {
        role: make_user(name, *roles, name=f"{role}用户", unit=home.get(role, county))
        for role, (name, roles) in ROLE_USERS.items()
    }
    org.set_leader_links(None, users["leader"], {unit_a.id})
    others = {
        "mentor": make_user("dao2", Role.MENTOR, name="外单位导师", unit=unit_b),
        "learner": make_user("xue2", name="外单位学员", unit=unit_b),
        "trainer": make_user("pei2", Role.TRAINER, name="外单位培训管理员", unit=unit_b),
        "leader": make_user("ling2", Role.LEADER, name="外单位班子成员", unit=county),
    }
    org.set_leader_links(None, others["leader"], {unit_b.id})
    bystander = make_user("pang", name="旁观者", unit=unit_b)
    world = World(usernames={role: user.username for role, user in users.items()})
    ids = world.ids
    ids.update(county=county.id, unit=unit_a.id, other_unit=unit_b.id)
    ids.update(user=users["learner"].id, other_user=others["learner"].id, bystander=bystander.id)
    _mentorship(ids, users, others, unit_a, unit_b)
    _cases(ids, users)
    _courses(ids, users, others, tmp_path)
    _drills(
        ids, users, others, [make_user(f"tian{n}", name=f"组员{n}", unit=unit_a) for n in range(6)]
    )
    _lectures(ids, users, others, unit_a, unit_b)
    _personal(ids, users["learner"], others["learner"])
    db.session.commit()
    index_now()
    return world


def _mentorship(ids, users, others, unit_a, unit_b):
    pairing, goal, meeting = _pairing_with_work(users["mentor"], users["learner"])
    other_pairing, other_goal, other_meeting = _pairing_with_work(
        others["mentor"], others["learner"]
    )
    ids.update(pairing=pairing.id, goal=goal.id, meeting=meeting.id)
    ids.update(task=goal.tasks[0].id, milestone=goal.milestones[0].id)
    ids.update(other_pairing=other_pairing.id, other_goal=other_goal.id)
    ids.update(other_meeting=other_meeting.id, other_task=other_goal.tasks[0].id)
    ids.update(other_milestone=other_goal.milestones[0].id)
    yesterday = local_today() - timedelta(days=1)
    for key, leader, unit in (
        ("visit", users["leader"], unit_a),
        ("other_visit", others["leader"], unit_b),
    ):
        visit = guidance.log_visit(
            leader, unit, visited_on=yesterday, kind=VisitKind.FORUM, topic="座谈"
        )
        ids[key] = visit.id
    db.session.commit()


def _cases(ids, users):
    published = make_case(id="gongkai-anli-2024-01")
    restricted = make_case(id="shouxian-anli-2024-02", restricted=True, readers=[users["learner"]])
    draft = make_case(users["editor"], CaseStatus.DRAFT, id="caogao-anli-2024-03")
    ids.update(case=published.id, restricted_case=restricted.id, draft_case=draft.id)
    ids.update(case_revision=1, fmt="csv", filename="css/app.css")


def _courses(ids, users, others, tmp_path):
    course = make_course(tmp_path, "ceshi-kecheng")
    for learner in (users["learner"], others["learner"]):
        courses.ensure_enrollment(learner, course)
    attempt = quiz.start_attempt(users["learner"], course)
    other_attempt = quiz.start_attempt(others["learner"], course)
    ids.update(course=course.slug, lesson_key=course.lessons[0].key)
    ids.update(lesson=course.lessons[0].id, question=course.active_questions[0].id)
    ids.update(attempt=attempt.id, other_attempt=other_attempt.id)
    web, web_lesson, web_question = _web_course(users["trainer"], "wangye-kecheng")
    other_web, other_lesson, other_question = _web_course(others["trainer"], "waidanwei-kecheng")
    ids.update(web_course=web.slug, web_lesson=web_lesson.id, web_question=web_question.id)
    ids.update(other_web_course=other_web.slug, other_web_lesson=other_lesson.id)
    ids.update(other_web_question=other_question.id)


def _drills(ids, users, others, fillers):
    cards.sync_cards()
    card = cards.get_card(DRILL_CARD)
    # the learner leads, the mentor records, the leader assesses; none of them is in the other
    group, drill = _drill_session(
        users["trainer"], "一组", users["learner"], users["mentor"], *fillers[:2], users["leader"]
    )
    other_group, other_drill = _drill_session(
        others["trainer"], "外单位小组", others["learner"], *fillers[2:6]
    )
    run = practice.start_run(users["learner"], card)
    other_run = practice.start_run(others["learner"], card)
    ids.update(card=card.id, group=group.id, drill=drill.id, run=run.id)
    ids.update(other_group=other_group.id, other_drill=other_drill.id, other_run=other_run.id)
    db.session.commit()


def _lectures(ids, users, others, unit_a, unit_b):
    for prefix, trainer, member, unit, mark in (
        ("", users["trainer"], users["learner"], unit_a, "甲"),
        ("other_", others["trainer"], others["learner"], unit_b, "乙"),
    ):
        series = make_series(trainer, unit, name=f"业务小课堂{mark}")
        session = make_session(trainer, series, title=f"谈话笔录制作要点{mark}")
        rota = rotas.create_rota(trainer, series, f"轮值{mark}", time(15), 90, "第一会议室")
        rotas.set_members(trainer, rota, {member.id})
        rotas.add_slots(trainer, rota, [local_today() + timedelta(days=30)])
        ids[f"{prefix}series"] = series.id
        ids[f"{prefix}lecture"] = session.id
        ids[f"{prefix}handout"] = _handout(trainer, session).id
        ids[f"{prefix}rota"] = rota.id
        ids[f"{prefix}slot"] = rota.slots[0].id
    db.session.commit()


def _personal(ids, learner, other_learner):
    """Feeds, certificates, notifications and API tokens of the learner and of another."""
    ids["feed"] = ical.new_feed_token(learner)
    ids["other_feed"] = ical.new_feed_token(other_learner)
    ical.new_feed_token(other_learner)  # replaces, and so revokes, the token above
    year = local_today().year
    ids["document"] = certificates.issue_year_statement(learner, year).code
    ids["other_document"] = certificates.issue_year_statement(other_learner, year).code
    ids["notification"] = notifications.notify(learner.id, "通知").id
    ids["other_notification"] = notifications.notify(other_learner.id, "通知").id
    ids["token"] = accounts.issue_token(learner, "脚本")[0].id
    ids["other_token"] = accounts.issue_token(other_learner, "脚本")[0].id
