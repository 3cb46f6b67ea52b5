"""Learner pages: my courses, the catalogue and its filters, lessons with prev/next."""

import re

from learn.accounts import services as accounts
from learn.content.courses import AudienceRule
from learn.core.progress import progress_sections
from learn.core.slots import render_slot
from learn.courses import course_progress, required_completion
from learn.extensions import db
from learn.org import UnitType
from tests.conftest import login, post_form
from tests.courses.factories import EVERYONE_ELECTIVE, make_course
from tests.courses.helpers import finish_course
from tests.factories import make_unit, make_user


def _titles(html: str) -> list[str]:
    return re.findall(r'class="course-card-title"><a href="/courses/([a-z0-9-]+)"', html)


def test_my_courses_lists_required_then_electives_then_completed(app, client, tmp_path):
    make_course(tmp_path, "bixiu-yi", title="必修一")
    second = make_course(tmp_path, "bixiu-er", title="必修二", quiz=None, questions=0)
    elective = make_course(tmp_path, "xuanxiu", title="选修课", audiences=EVERYONE_ELECTIVE)
    user = make_user("cadre")
    finish_course(user, second)
    login(client, "cadre")
    page = client.get("/courses/").get_data(as_text=True)
    assert _titles(page) == ["bixiu-yi", "bixiu-er"]
    assert "待完成的必修课程（1）" in page and "已完成（1）" in page
    enrolled = post_form(client, f"/courses/{elective.slug}/enroll", token_from="/courses/xuanxiu")
    assert enrolled.status_code == 302
    page = client.get("/courses/").get_data(as_text=True)
    assert _titles(page) == ["bixiu-yi", "xuanxiu", "bixiu-er"]


def test_catalogue_filters_and_search(app, client, tmp_path):
    make_course(tmp_path, "sanzi", title="村级三资监督", training_type="专题培训")
    make_course(
        tmp_path,
        "tanhua",
        title="谈话实务",
        training_type="在职培训",
        audiences=(AudienceRule("必修", categories=("青年干部",)), *EVERYONE_ELECTIVE),
        lesson_body="## 谈话前\n\n要制定安全预案。\n",
    )
    make_user("older", birth_year=1970)
    login(client, "older")

    def catalogue(query=""):
        return _titles(client.get(f"/courses/catalogue{query}").get_data(as_text=True))

    assert catalogue() == ["sanzi", "tanhua"]
    assert catalogue("?type=在职培训") == ["tanhua"]
    assert catalogue("?req=必修") == ["sanzi"]
    assert catalogue("?req=选修") == ["tanhua"]
    assert catalogue("?audience=青年干部") == ["tanhua"]
    assert catalogue("?q=安全预案") == ["tanhua"]  # found in a lesson body
    assert catalogue("?q=三资") == ["sanzi"]
    assert catalogue("?status=已完成") == []
    assert catalogue("?status=未开始&type=没有这种类型") == ["sanzi", "tanhua"]


def test_lesson_pages_have_progress_and_prev_next(app, client, tmp_path):
    course = make_course(tmp_path, "sanjiang", lessons=3, quiz=None, questions=0)
    make_user("reader")
    login(client, "reader")
    first = client.get("/courses/sanjiang/lessons/lesson-1").get_data(as_text=True)
    assert 'rel="prev"' not in first and 'href="/courses/sanjiang/lessons/lesson-2"' in first
    assert 'value="0"' in first  # the progress bar starts empty
    moved = post_form(
        client, "/courses/sanjiang/lessons/lesson-1/done", token_from="/courses/sanjiang"
    )
    assert moved.headers["Location"].endswith("/courses/sanjiang/lessons/lesson-2")
    second = client.get("/courses/sanjiang/lessons/lesson-2").get_data(as_text=True)
    assert 'rel="prev" href="/courses/sanjiang/lessons/lesson-1"' in second
    assert 'value="33"' in second
    for key in ("lesson-2", "lesson-3"):
        post_form(client, f"/courses/sanjiang/lessons/{key}/done", token_from="/courses/sanjiang")
    detail = client.get("/courses/sanjiang").get_data(as_text=True)
    assert "已完成本课程" in detail and "结业证书" in detail
    reader = _user("reader")
    assert required_completion(reader) == (1, 1)
    [progress] = course_progress(reader)
    assert (progress.title, progress.required, progress.percent) == (course.title, True, 100)
    assert progress.completed_at is not None


def _user(username):
    db.session.expire_all()
    return accounts.get_user_by_username(username)


def test_unknown_course_and_lesson_are_404(app, client, tmp_path):
    make_course(tmp_path, "real")
    make_user("reader")
    login(client, "reader")
    assert client.get("/courses/nothing").status_code == 404
    assert client.get("/courses/real/lessons/nothing").status_code == 404
    assert client.get("/courses/real/quiz/999").status_code == 404


def test_elective_lessons_need_enrolment_first(app, client, tmp_path):
    make_course(tmp_path, "xuanxiu", audiences=EVERYONE_ELECTIVE)
    make_user("reader")
    login(client, "reader")
    page = client.get("/courses/xuanxiu/lessons/lesson-1")
    assert page.status_code == 302 and page.headers["Location"].endswith("/courses/xuanxiu")
    post_form(client, "/courses/xuanxiu/lessons/lesson-1/done", token_from="/courses/xuanxiu")
    assert "请先报名" in client.get("/courses/xuanxiu").get_data(as_text=True)


def test_cited_by_slot_lists_published_citing_courses(app, tmp_path):
    make_course(tmp_path, "yinyong", title="引用课程", cites_cases=("cun-sanzi-2023-01",))
    make_course(tmp_path, "buyinyong", title="不引用课程")
    with app.test_request_context("/"):
        html = str(render_slot("case_cited_by", case_id="cun-sanzi-2023-01"))
        assert "引用课程" in html and "不引用课程" not in html
        assert 'href="/courses/yinyong"' in html
        assert str(render_slot("case_cited_by", case_id="other-case")) == ""


def test_home_panel_and_progress_section(app, client, tmp_path):
    township = make_unit("东岭镇纪委", UnitType.TOWNSHIP)
    make_course(tmp_path, "bixiu", title="必修课程甲")
    user = make_user("cadre", unit=township)
    login(client, "cadre")
    home = client.get("/").get_data(as_text=True)
    assert "我的必修课程与学时" in home and "必修课程甲" in home
    section = next(s for s in progress_sections(app, user) if s.key == "courses")
    assert [p.title for p in section.context["outstanding"]] == ["必修课程甲"]
    assert "累计学时" in section.series
