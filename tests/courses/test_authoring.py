"""Trainers write courses in the browser, publish them, export them to the file format."""

import io
import zipfile

import pytest

from learn.accounts import Role
from learn.content.courses import load_courses
from learn.courses import services
from learn.courses.audience import Standing
from learn.courses.models import CourseSource, CourseStatus
from learn.extensions import db
from learn.org import UnitType
from tests.conftest import csrf_token, login, post_form
from tests.courses.factories import make_course
from tests.factories import make_unit, make_user

COURSE_FORM = {
    "slug": "xiangzhen-jiandu",
    "title": "乡镇日常监督入门",
    "summary": "面向新进镇纪委干部的日常监督方法。",
    "hours": "1.5",
    "training_type": "初任培训",
    "intro": "## 为什么学\n\n日常监督是镇纪委的主责。",
    "audiences-0-requirement": "必修",
    "audiences-0-categories": ["新进干部"],
    "audiences-0-unit_types": ["镇纪委"],
    "audiences-1-requirement": "选修",
    "audiences-1-everyone": "y",
    "quiz_enabled": "y",
    "quiz_draw": "1",
    "quiz_pass_mark": "100",
    "quiz_max_attempts": "2",
    "cites_cases": "cun-sanzi-2023-01",
}
LESSON_FORM = {
    "title": "第一讲　日常监督从哪里入手",
    "minutes": "25",
    "body": "## 一、摸清底数\n\n- 建台账",
}
QUESTION_FORM = {
    "qtype": "multiple",
    "stem": "日常监督的常用方式有哪些？",
    "options": "谈心谈话\n列席会议\n查阅资料\n直接立案",
    "answer": "abc",
    "explanation": "A、B、C 都是日常监督的方式；立案须经审批程序。",
}


@pytest.fixture
def trainer_client(app, client):
    make_user("peixun", Role.TRAINER)
    login(client, "peixun")
    return client


def _create(client, **changes):
    return post_form(client, "/courses/manage/new", {**COURSE_FORM, **changes})


def test_trainer_writes_publishes_and_exports_a_course(trainer_client, tmp_path):
    client = trainer_client
    created = _create(client)
    assert created.status_code == 302, created.get_data(as_text=True)
    course = services.get_course("xiangzhen-jiandu")
    assert (course.source, course.status) == (CourseSource.WEB, CourseStatus.DRAFT)
    first_rule = course.audiences[0]
    assert (first_rule.requirement, first_rule.categories, first_rule.unit_types) == (
        "必修",
        ["新进干部"],
        ["镇纪委"],
    )
    page = client.get("/courses/manage/xiangzhen-jiandu").get_data(as_text=True)
    assert "至少需要一个课时" in page

    base = "/courses/manage/xiangzhen-jiandu"
    assert post_form(client, f"{base}/lessons/new", LESSON_FORM).status_code == 302
    assert post_form(client, f"{base}/questions/new", QUESTION_FORM).status_code == 302
    assert post_form(client, f"{base}/publish", token_from=base).status_code == 302
    db.session.expire_all()
    course = services.get_course("xiangzhen-jiandu")
    assert course.status == CourseStatus.PUBLISHED
    assert course.active_questions[0].answer == ["A", "B", "C"]
    assert "<h2" in course.active_lessons[0].body_html

    exported = client.get(f"{base}/export")
    assert exported.status_code == 200
    root = tmp_path / "exported"
    zipfile.ZipFile(io.BytesIO(exported.data)).extractall(root)
    [doc] = load_courses(root)
    assert (doc.slug, doc.title, str(doc.hours)) == ("xiangzhen-jiandu", "乡镇日常监督入门", "1.5")
    assert [lesson.title for lesson in doc.lessons] == [LESSON_FORM["title"]]
    assert doc.questions[0].answer == ("A", "B", "C")
    assert doc.cites_cases == ("cun-sanzi-2023-01",)


def test_course_form_errors_are_shown_in_chinese(trainer_client):
    bad = _create(
        trainer_client,
        slug="Bad Id",
        **{"audiences-0-requirement": "", "audiences-1-requirement": ""},
    )
    assert bad.status_code == 200
    page = bad.get_data(as_text=True)
    assert "id 须为 3–64 位小写字母" in page
    assert "缺少 audiences" in page
    assert services.published_courses() == []


def test_question_form_rejects_a_bad_answer(trainer_client):
    _create(trainer_client)
    page = post_form(
        trainer_client,
        "/courses/manage/xiangzhen-jiandu/questions/new",
        {**QUESTION_FORM, "qtype": "single", "answer": "E"},
    ).get_data(as_text=True)
    assert "单选题的 answer 须为一个字母" in page


def test_slug_is_unique(trainer_client):
    _create(trainer_client)
    again = _create(trainer_client, title="另一门")
    assert "已被使用" in again.get_data(as_text=True)


def test_preview_returns_sanitized_html(trainer_client):
    token = csrf_token(trainer_client, "/courses/manage/new")
    response = trainer_client.post(
        "/courses/manage/preview",
        data={"text": "**重点**<script>alert(1)</script>"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>重点</strong>" in html and "<script" not in html
    assert trainer_client.post("/courses/manage/preview", data={"text": "x"}).status_code == 400


def test_only_the_author_or_an_admin_edits_a_browser_course(app, client, trainer_client):
    _create(trainer_client)
    make_user("other", Role.TRAINER)
    make_user("boss", Role.ADMIN)
    other = app.test_client()
    login(other, "other")
    assert other.get("/courses/manage/xiangzhen-jiandu/edit").status_code == 403
    assert other.get("/courses/manage/xiangzhen-jiandu/lessons/new").status_code == 403
    refused = post_form(
        other, "/courses/manage/xiangzhen-jiandu/publish", token_from="/courses/manage/"
    )
    assert refused.status_code == 403
    boss = app.test_client()
    login(boss, "boss")
    assert boss.get("/courses/manage/xiangzhen-jiandu/edit").status_code == 200


def test_file_courses_are_read_only_in_the_browser(app, trainer_client, tmp_path):
    make_course(tmp_path, "wenjian")
    assert trainer_client.get("/courses/manage/wenjian/edit").status_code == 403
    page = trainer_client.get("/courses/manage/wenjian").get_data(as_text=True)
    assert "learn content sync" in page


def test_learners_cannot_reach_course_management(app, tmp_path, trainer_client):
    make_course(tmp_path, "wenjian")
    _create(trainer_client)
    make_user("learner")
    client = app.test_client()
    login(client, "learner")
    assert client.get("/courses/xiangzhen-jiandu").status_code == 404  # a draft
    for url in (
        "/courses/manage/",
        "/courses/manage/new",
        "/courses/manage/wenjian",
        "/courses/manage/wenjian/export",
        "/courses/manage/wenjian/assign",
        "/courses/manage/xiangzhen-jiandu/edit",
        "/courses/manage/xiangzhen-jiandu/lessons/new",
        "/courses/manage/xiangzhen-jiandu/questions/new",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        post_form(client, "/courses/manage/preview", {"text": "x"}, token_from="/").status_code
        == 403
    )


def test_assignment_page_assigns_within_scope(app, client, tmp_path):
    course = make_course(tmp_path, "zhiding")
    root = make_unit("县纪委监委机关", UnitType.COMMISSION)
    town = make_unit("河湾镇纪委", UnitType.TOWNSHIP, parent=root)
    other_town = make_unit("柳坪镇纪委", UnitType.TOWNSHIP, parent=root)
    make_user("zhenpeixun", Role.TRAINER, unit=town)
    member = make_user("member", unit=town)
    make_user("outsider", unit=other_town)
    login(client, "zhenpeixun")
    form = client.get("/courses/manage/zhiding/assign").get_data(as_text=True)
    assert "河湾镇纪委" in form and "柳坪镇纪委" not in form
    refused = post_form(
        client, "/courses/manage/zhiding/assign", {"unit_id": "0", "usernames": "outsider"}
    )
    assert "不在您负责的单位" in refused.get_data(as_text=True)
    done = post_form(client, "/courses/manage/zhiding/assign", {"unit_id": str(town.id)})
    assert done.status_code == 302
    db.session.expire_all()
    assert services.standing_for(member, course) == Standing.UNIT_ASSIGNED
