"""`learn content sync`: all-or-nothing, idempotent, archives without losing anyone's progress."""

import shutil

from sqlalchemy import func, select

from learn.audit import AuditEvent
from learn.config import PROJECT_ROOT
from learn.courses import services
from learn.courses.models import Course, CourseStatus, Lesson, LessonProgress, Question
from learn.extensions import db
from learn.ledger import entries_for
from tests.conftest import login, post_form
from tests.courses.factories import course_doc, make_course, sync_folder, write_course
from tests.courses.helpers import finish_course
from tests.factories import make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _run_sync(runner, root):
    return runner.invoke(args=["content", "sync", "--dir", str(root)])


def test_sync_command_loads_the_shipped_courses_and_is_idempotent(app, runner):
    result = _run_sync(runner, PROJECT_ROOT / "courses")
    assert result.exit_code == 0, result.output
    assert "新增 6 门" in result.output
    courses = list(db.session.scalars(select(Course)))
    stamps = {c.slug: (c.updated_at, c.content_hash) for c in courses}
    lessons, questions = _count(Lesson), _count(Question)

    again = _run_sync(runner, PROJECT_ROOT / "courses")
    assert again.exit_code == 0
    assert "新增 0 门，更新 0 门，未变 6 门，归档 0 门" in again.output
    db.session.expire_all()
    assert {c.slug: (c.updated_at, c.content_hash) for c in db.session.scalars(select(Course))} == (
        stamps
    )
    assert (_count(Lesson), _count(Question)) == (lessons, questions)
    synced = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "courses_synced"))
    assert len(list(synced)) == 1  # an unchanged sync records nothing


def test_one_bad_file_means_nothing_is_written(app, runner, tmp_path):
    root = tmp_path / "courses"
    write_course(root, course_doc("good-one"))
    bad = write_course(root, course_doc("bad-one"))
    lesson = bad / "lessons" / "01-lesson-1.md"
    lesson.write_text("---\ntitle: [unclosed\n---\n正文\n", encoding="utf-8")

    result = _run_sync(runner, root)
    assert result.exit_code == 1
    assert "courses/bad-one/lessons/01-lesson-1.md:2: YAML:" in result.output
    assert "未写入任何内容" in result.output
    assert _count(Course) == 0 and _count(Lesson) == 0


def test_a_bad_edit_leaves_the_synced_course_as_it_was(app, runner, tmp_path):
    root = tmp_path / "courses"
    folder = write_course(root, course_doc("stable", title="原标题"))
    assert _run_sync(runner, root).exit_code == 0
    course_md = folder / "course.md"
    text = course_md.read_text(encoding="utf-8").replace("原标题", "新标题")
    course_md.write_text(text.replace("training_type: 专题培训", "training_type: 不存在"), "utf-8")
    assert _run_sync(runner, root).exit_code == 1
    db.session.expire_all()
    assert services.get_course("stable").title == "原标题"


def test_only_changed_courses_are_updated(app, tmp_path):
    root = tmp_path / "courses"
    write_course(root, course_doc("kept"))
    changed = write_course(root, course_doc("changed"))
    sync_folder(root)
    lesson = changed / "lessons" / "02-lesson-2.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    report = sync_folder(root)
    assert (report.updated, report.unchanged) == (["changed"], ["kept"])
    body = services.get_lesson(services.get_course("changed"), "lesson-2").body_html
    assert "新增一段" in body


def test_removed_course_is_archived_and_progress_survives(app, client, tmp_path):
    course = make_course(tmp_path, "leaving", quiz=None, questions=0)
    make_course(tmp_path, "staying")
    done = make_user("done")
    started = make_user("started")
    stranger = make_user("stranger")
    finish_course(done, course)
    services.complete_lesson(started, course, course.active_lessons[0])
    db.session.commit()

    shutil.rmtree(tmp_path / "courses" / "leaving")
    report = sync_folder(tmp_path / "courses")
    assert report.archived == ["leaving"]
    db.session.expire_all()
    course = services.get_course("leaving")
    assert course.status == CourseStatus.ARCHIVED
    assert services.enrollment_for(done.id, course.id).completed_at is not None
    assert [e.source_id for e in entries_for(done.id)] == ["leaving"]
    assert _count(LessonProgress) == len(course.active_lessons) + 1
    # archived: no longer required, still in the history of those who took it
    mine = {p.slug: p for p in services.my_courses(done)}
    assert mine["leaving"].completed and not mine["leaving"].required
    assert "leaving" not in {p.slug for p in services.my_courses(stranger)}

    login(client, "started")
    page = client.get("/courses/leaving")
    assert page.status_code == 200 and "已归档" in page.get_data(as_text=True)
    refused = post_form(
        client, "/courses/leaving/lessons/lesson-2/done", token_from="/courses/leaving"
    )
    assert refused.status_code == 302
    assert "不能继续学习" in client.get("/courses/leaving").get_data(as_text=True)
    assert _count(LessonProgress) == len(course.active_lessons) + 1
    other = client.application.test_client()
    login(other, "stranger")
    assert other.get("/courses/leaving").status_code == 404

    write_course(tmp_path / "courses", course_doc("leaving", quiz=None, questions=0))
    assert sync_folder(tmp_path / "courses").updated == ["leaving"]
    db.session.expire_all()
    assert services.get_course("leaving").status == CourseStatus.PUBLISHED


def test_removed_lesson_is_archived_not_deleted(app, tmp_path):
    course = make_course(tmp_path, "shrinking", lessons=3)
    user = make_user("reader")
    services.complete_lesson(user, course, course.active_lessons[2])
    db.session.commit()
    (tmp_path / "courses" / "shrinking" / "lessons" / "03-lesson-3.md").unlink()
    sync_folder(tmp_path / "courses")
    db.session.expire_all()
    course = services.get_course("shrinking")
    assert [lesson.key for lesson in course.active_lessons] == ["lesson-1", "lesson-2"]
    assert [lesson.archived for lesson in course.lessons] == [False, False, True]
    assert _count(LessonProgress) == 1


def test_markdown_is_rendered_once_and_sanitized(app, client, tmp_path):
    body = (
        "## 标题\n\n<script>alert('x')</script>\n\n[链接](javascript:alert(1))\n\n"
        "正文<img src=x onerror=alert(1)>\n"
    )
    make_course(tmp_path, "hostile", lesson_body=body)
    lesson = services.get_lesson(services.get_course("hostile"), "lesson-1")
    assert "<h2" in lesson.body_html
    for bad in ("<script", "javascript:", "onerror"):
        assert bad not in lesson.body_html
    make_user("reader")
    login(client, "reader")
    page = client.get("/courses/hostile/lessons/lesson-1").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror" not in page


def test_check_command_reports_without_writing(app, runner, tmp_path):
    root = tmp_path / "courses"
    write_course(root, course_doc("checked"))
    result = runner.invoke(args=["content", "check", "--dir", str(root)])
    assert result.exit_code == 0 and "1 门课程" in result.output
    assert _count(Course) == 0
