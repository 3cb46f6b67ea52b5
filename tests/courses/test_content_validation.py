"""Course files: every problem is reported with its file and line; good files round-trip."""

from pathlib import Path

import pytest

from learn.accounts import Category, RankBand
from learn.config import PROJECT_ROOT
from learn.content import ContentProblems
from learn.content import courses as content
from learn.content.courses import dump_course, load_course, load_courses
from learn.org import UnitType
from tests.courses.factories import course_doc, write_course

SHIPPED = PROJECT_ROOT / "courses"


def _problems(root: Path) -> list:
    with pytest.raises(ContentProblems) as caught:
        load_courses(root)
    return caught.value.errors


def _find(errors, path_end: str, rule: str):
    found = [e for e in errors if e.path.endswith(path_end) and e.rule == rule]
    assert found, f"no {rule} error in {path_end}: {[str(e) for e in errors]}"
    return found[0]


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_shipped_courses_meet_the_content_bar():
    courses = load_courses(SHIPPED)
    assert len(courses) >= 6
    for course in courses:
        assert 3 <= len(course.lessons) <= 6, course.slug
        for lesson in course.lessons:
            assert len(lesson.body) >= 800, (course.slug, lesson.key)
        assert len(course.questions) >= 10, course.slug
        assert course.quiz is not None and course.quiz.draw <= len(course.questions)
        assert {q.qtype for q in course.questions} <= {"single", "multiple", "truefalse"}


def test_vocabularies_match_the_enums():
    assert set(content.CATEGORIES) == {c.value for c in Category}
    assert set(content.RANK_BANDS) == {r.value for r in RankBand}
    assert set(content.UNIT_TYPES) == {t.value for t in UnitType}


def test_round_trip_through_files_is_lossless(tmp_path):
    doc = course_doc("round-trip", hours="1.5", cites_cases=("case-2024-01",))
    folder = write_course(tmp_path, doc)
    loaded, problems = load_course(folder, "courses/round-trip")
    assert problems == []
    assert loaded == doc
    assert dump_course(loaded) == dump_course(doc)


def test_course_md_errors_carry_their_line(tmp_path):
    folder = write_course(tmp_path, course_doc("bad-meta"))
    course_md = folder / "course.md"
    text = course_md.read_text(encoding="utf-8")
    text = text.replace("training_type: 专题培训", "training_type: 专题讲座")
    text = text.replace("- everyone: true", "- categories: [新进干部, 退休干部]")
    text = text.replace("hours: 2", "hours: 1.3\nlevel: 3")
    course_md.write_text(text, encoding="utf-8")

    errors = _problems(tmp_path)
    assert _find(errors, "bad-meta/course.md", "培训类型").line == _line_of(
        course_md, "training_type"
    )
    assert _find(errors, "bad-meta/course.md", "适用对象").line == _line_of(course_md, "退休干部")
    assert _find(errors, "bad-meta/course.md", "学时").line == _line_of(course_md, "hours:")
    assert _find(errors, "bad-meta/course.md", "未知字段").line == _line_of(course_md, "level:")
    for error in errors:
        assert str(error).startswith(f"{error.path}:{error.line}: ")


def test_id_must_match_folder_and_title_is_required(tmp_path):
    folder = write_course(tmp_path, course_doc("right-name"))
    course_md = folder / "course.md"
    text = course_md.read_text(encoding="utf-8")
    text = text.replace("id: right-name", "id: wrong-name").replace("title: 测试课程\n", "")
    course_md.write_text(text, encoding="utf-8")
    errors = _problems(tmp_path)
    assert _find(errors, "right-name/course.md", "id").line == _line_of(course_md, "id:")
    assert "title" in _find(errors, "right-name/course.md", "必填").message


def test_question_errors_point_at_the_question(tmp_path):
    folder = write_course(tmp_path, course_doc("bad-bank", questions=6))
    bank = folder / "questions.yaml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace("answer: A\n", "answer: D\n", 1)  # q01 has three options
    text = text.replace("- A\n  - C\n", "- C\n", 1)  # q02: a multiple choice with one answer
    text = text.replace("id: q06", "id: q03")  # duplicate id
    bank.write_text(text, encoding="utf-8")

    errors = [e for e in _problems(tmp_path) if e.path.endswith("bad-bank/questions.yaml")]
    answer_lines = [e.line for e in errors if e.rule == "答案"]
    lines = bank.read_text(encoding="utf-8").splitlines()
    assert all(lines[n - 1].lstrip().startswith("answer:") for n in answer_lines)
    assert len(answer_lines) == 2
    duplicate = next(e for e in errors if e.rule == "题号")
    assert "q03" in duplicate.message
    assert lines[duplicate.line - 1].strip() == "- id: q03"


def test_yaml_syntax_error_has_a_line(tmp_path):
    folder = write_course(tmp_path, course_doc("broken-yaml"))
    bank = folder / "questions.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    error = _find(_problems(tmp_path), "broken-yaml/questions.yaml", "YAML")
    assert error.line >= len(bank.read_text(encoding="utf-8").splitlines()) - 1


def test_quiz_needs_enough_questions(tmp_path):
    folder = write_course(tmp_path, course_doc("few-questions", questions=2))
    course_md = folder / "course.md"
    course_md.write_text(
        course_md.read_text(encoding="utf-8").replace("draw: 2", "draw: 5"), encoding="utf-8"
    )
    error = _find(_problems(tmp_path), "few-questions/course.md", "测验")
    assert error.line == _line_of(course_md, "draw:")
    assert "只有 2 道题" in error.message


def test_lesson_file_names_and_bodies(tmp_path):
    folder = write_course(tmp_path, course_doc("bad-lessons"))
    (folder / "lessons" / "Lesson Three.md").write_text("---\ntitle: x\n---\n正文\n", "utf-8")
    (folder / "lessons" / "03-empty.md").write_text("---\ntitle: 空\n---\n\n", "utf-8")
    (folder / "lessons" / "04-no-header.md").write_text("只有正文\n", "utf-8")
    errors = _problems(tmp_path)
    assert _find(errors, "lessons/Lesson Three.md", "文件名").line == 1
    assert _find(errors, "lessons/03-empty.md", "正文").line == 4
    assert _find(errors, "lessons/04-no-header.md", "格式").line == 1


def test_every_problem_in_every_file_is_reported(tmp_path):
    for slug in ("first-bad", "second-bad"):
        folder = write_course(tmp_path, course_doc(slug))
        course_md = folder / "course.md"
        course_md.write_text(
            course_md.read_text(encoding="utf-8").replace("requirement: 必修", "requirement: 必须"),
            encoding="utf-8",
        )
    write_course(tmp_path, course_doc("fine-course"))
    errors = _problems(tmp_path)
    assert {e.path.split("/")[-2] for e in errors} == {"first-bad", "second-bad"}


def test_the_drills_folder_is_not_course_content(tmp_path):
    write_course(tmp_path, course_doc("real-course"))
    drills = tmp_path / "drills"
    drills.mkdir()
    (drills / "card.md").write_text("---\nid: card\nsubject_brief: 不是课程\n---\n", "utf-8")
    assert [c.slug for c in load_courses(tmp_path)] == ["real-course"]


def test_a_folder_without_course_md_is_an_error(tmp_path):
    (tmp_path / "half-written" / "lessons").mkdir(parents=True)
    error = _find(_problems(tmp_path), "half-written/course.md", "文件")
    assert error.line == 1
