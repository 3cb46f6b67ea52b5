"""Query budgets: the home page and a lesson page read the database a bounded number of
times per request, however many courses, sessions, pairings and cases there are.

Each role's page is counted once with one round of data and again after two more
rounds; the count must not move (no query per row) and must stay within the budget.
"""

from datetime import timedelta

import pytest
from sqlalchemy import event

from learn.accounts import Role
from learn.cases.models import CaseStatus
from learn.courses import services as courses
from learn.drills.services import cards, groups
from learn.drills.services import sessions as drills
from learn.extensions import db
from learn.lectures.registration import register
from learn.mentorship.states import PairingState
from learn.org import UnitType
from learn.org import services as org
from tests.cases.factories import make_case
from tests.conftest import login
from tests.courses.factories import course_doc, sync_folder, write_course
from tests.drills.factories import CARD, copy_cards, use_cards
from tests.factories import make_unit, make_user
from tests.lectures.factories import make_series, make_session
from tests.mentorship.factories import add_meeting, make_pairing

# Queries for GET / per role with every panel of the role showing (measured + 2 of slack;
# before the panels were reworked the learner's home page took 57 and the lesson page 22).
HOME_BUDGET = {
    "learner": 23,
    "mentor": 22,
    "trainer": 22,
    "leader": 16,
    "admin": 20,
    "editor": 18,
    "reviewer": 18,
}
LESSON_BUDGET = 13


class World:
    """Units, one user per role and the shared things each round adds rows to."""

    def __init__(self, tmp_path):
        county = make_unit("县纪委监委机关", UnitType.COMMISSION)
        self.town = make_unit("东岭镇纪委", UnitType.TOWNSHIP, parent=county)
        self.users = {
            "learner": make_user("learner", name="林学员", unit=self.town),
            "mentor": make_user("mentor", Role.MENTOR, name="贺导师", unit=county),
            "trainer": make_user("trainer", Role.TRAINER, name="宋培训", unit=county),
            "leader": make_user("leader", Role.LEADER, name="秦领导", unit=county),
            "admin": make_user("admin", Role.ADMIN, name="管理员", unit=county),
            "editor": make_user("editor", Role.CASE_EDITOR, name="卞编辑", unit=county),
            "reviewer": make_user("reviewer", Role.CASE_REVIEWER, name="沈审核", unit=county),
        }
        org.set_leader_links(None, self.users["leader"], {self.town.id})
        self.cast = {
            "subject": make_user("subject", name="何扮演", unit=self.town),
            "assessor_a": make_user("assessor_a", name="唐评甲", unit=self.town),
            "assessor_b": make_user("assessor_b", name="贺评乙", unit=self.town),
        }
        use_cards(copy_cards(tmp_path))
        members = [self.users["learner"], self.users["mentor"], *self.cast.values()]
        self.group = groups.create_group(self.users["trainer"], "测试小组", [u.id for u in members])
        self.series = make_series(self.users["trainer"], county)
        self.courses_dir = tmp_path / "courses"
        self.courses_dir.mkdir()
        make_pairing(self.users["mentor"], self.users["learner"])
        db.session.commit()
        self.rounds = 0

    def add_round(self) -> None:
        """Two courses (one lesson done), two lectures, a drill, a pairing and ten cases."""
        self.rounds += 1
        n, learner, mentor, trainer = (
            self.rounds,
            self.users["learner"],
            self.users["mentor"],
            self.users["trainer"],
        )
        for k in range(2):
            write_course(self.courses_dir, course_doc(f"kecheng-{n}-{k}", title=f"课程{n}{k}"))
        sync_folder(self.courses_dir)
        for k in range(2):
            course = courses.get_course(f"kecheng-{n}-{k}")
            courses.complete_lesson(learner, course, course.active_lessons[0])
            session = make_session(
                trainer, self.series, starts_in=timedelta(days=n + k), speakers=[mentor]
            )
            register(learner, session)
        casting = drills.Casting(
            lead=learner.id,
            recorder=mentor.id,
            subject=self.cast["subject"].id,
            assessors=(self.cast["assessor_a"].id, self.cast["assessor_b"].id),
        )
        drills.open_session(trainer, self.group, cards.get_card(CARD), casting, True)
        mentee = make_user(f"mentee{n}", name=f"徒弟{n}", unit=self.town)
        add_meeting(make_pairing(mentor, mentee, state=PairingState.ACTIVE), days_ago=10)
        for _ in range(5):
            make_case(status=CaseStatus.IN_REVIEW)
            make_case(status=CaseStatus.RETURNED)
        db.session.commit()


@pytest.fixture
def world(app, tmp_path):
    world = World(tmp_path)
    world.add_round()
    return world


def _queries(client, url: str) -> int:
    """How many SQL statements one GET of ``url`` runs."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(statements)


def _clients(app):
    clients = {role: app.test_client() for role in HOME_BUDGET}
    for role, client in clients.items():
        login(client, role)
    return clients


def test_home_page_queries_do_not_grow_with_data(app, world):
    clients = _clients(app)
    first = {role: _queries(client, "/") for role, client in clients.items()}
    world.add_round()
    world.add_round()
    again = {role: _queries(client, "/") for role, client in clients.items()}
    assert again == first
    over = {role: n for role, n in again.items() if n > HOME_BUDGET[role]}
    assert not over, f"over budget: {over} (budget {HOME_BUDGET})"


def test_home_page_shows_every_panel_of_the_roles(app, world):
    """The budgets above are counted with the panels showing, not skipped."""
    clients = _clients(app)
    expected = {
        "learner": ["我的必修课程与学时", "我的讲堂", "模拟谈话", "我的导师：贺导师"],
        "mentor": ["我的讲堂", "待办：", "模拟谈话", "我带的学员：林学员"],
        "trainer": ["模拟谈话", "帮带工作台"],
        "leader": ["我挂联的单位"],
        "reviewer": ["待审核的案例", "还有 5 个"],
        "editor": ["退回修改的案例", "还有 5 个"],
    }
    world.add_round()
    for role, texts in expected.items():
        page = clients[role].get("/").get_data(as_text=True)
        missing = [t for t in texts if t not in page]
        assert not missing, f"{role}: {missing}"


def test_lesson_page_queries_do_not_grow_with_data(app, world):
    client = app.test_client()
    login(client, "learner")
    url = "/courses/kecheng-1-0/lessons/lesson-2"
    first = _queries(client, url)
    world.add_round()
    world.add_round()
    assert _queries(client, url) == first <= LESSON_BUDGET
