"""Cards are validated before anything is written; every problem names its file and line."""

from pathlib import Path

import pytest

from learn.content import ContentProblems
from learn.content.drills import TALK_TYPES, load_cards
from learn.drills.models import DrillCard
from learn.drills.services import cards
from learn.extensions import db
from tests.drills.factories import BUNDLED, CARD, copy_cards, edit, line_of

CARD_FILE = f"{CARD}.md"


def _problems(folder: Path, **known) -> list:
    with pytest.raises(ContentProblems) as caught:
        load_cards(folder, **known)
    return caught.value.errors


def _only(errors, rule: str):
    found = [e for e in errors if e.rule == rule]
    assert found, f"no {rule} error in {[str(e) for e in errors]}"
    return found[0]


def test_the_bundled_cards_are_valid(app):
    criteria, docs = cards.load_content(BUNDLED)
    assert {"plan", "policy", "strategy", "evidence", "rapport", "safety", "record"} <= set(
        criteria
    )
    assert len(docs) >= 8
    assert {d.talk_type for d in docs} == set(TALK_TYPES)


def test_bundled_simulations_are_big_enough(app):
    _criteria, docs = cards.load_content(BUNDLED)
    sims = [d.simulation for d in docs if d.simulation]
    assert len(sims) >= 3
    for sim in sims:
        assert len(sim.nodes) >= 12
        assert len(sim.endings) >= 3


def test_checklists_cite_the_rules_they_come_from(app):
    _criteria, docs = cards.load_content(BUNDLED)
    for doc in docs:
        assert all(len(item.rule) >= 10 for item in doc.checklist), doc.id
        named = [item for item in doc.checklist if "《" in item.rule]
        assert len(named) * 2 >= len(doc.checklist), doc.id


@pytest.mark.parametrize(
    ("old", "new", "rule", "anchor"),
    [
        ("talk_type: 函询后谈话", "talk_type: 聊天", "取值", "talk_type:"),
        ("difficulty: 进阶", "difficulty: 很难", "取值", "difficulty:"),
        ("duration: 40", "duration: 5", "取值", "duration:"),
        ("hours: 2\n", "hours: 1.3\n", "取值", "hours: 1.3"),
        ("    weight: 20", "    weight: 25", "权重", "rubric:"),
        ("  - criterion: rapport", "  - criterion: charm", "引用", "criterion: charm"),
        ("  - id: secret\n", "  - id: approval\n", "重复", "- id: approval\n    phase: 谈话中"),
        (
            "    rule: 《规则》关于严格保密",
            "    rulez: 《规则》关于严格保密",
            "必填",
            "- id: secret",
        ),
        ("## 证据材料", "## 附件", "章节", "## 附件"),
        (
            "cites_cases: [dibao-maoling-2022-01",
            "cites_cases: [no-such-case",
            "引用",
            "cites_cases:",
        ),
        (
            "simulation: hanxun-dibao-huibi.sim.yaml",
            "simulation: missing.sim.yaml",
            "引用",
            "simulation:",
        ),
        (
            "县民政局通知**（本县规范性文件）",
            "县民政局通知**（13912345678）",
            "匿名化",
            "13912345678",
        ),
        ("title: 函询说明不实", "colour: red\ntitle: 函询说明不实", "格式", "colour: red"),
    ],
)
def test_a_bad_card_is_rejected_with_file_and_line(app, tmp_path, old, new, rule, anchor):
    folder = copy_cards(tmp_path)
    path = folder / CARD_FILE
    edit(path, old, new)
    errors = _problems(folder, known_case_ids={"dibao-maoling-2022-01", "yiliao-jiuzhu-2021-03"})
    error = _only(errors, rule)
    assert error.path.endswith(CARD_FILE)
    if "\n" in anchor:
        text = path.read_text(encoding="utf-8")
        expected = text[: text.index(anchor)].count("\n") + 1
    else:
        expected = line_of(path, anchor)
    assert error.line == expected, str(error)


def test_a_missing_section_is_reported(app, tmp_path):
    folder = copy_cards(tmp_path)
    path = folder / CARD_FILE
    text = path.read_text(encoding="utf-8")
    start = text.index("## 参考方案")
    path.write_text(text[:start], encoding="utf-8")
    error = _only(_problems(folder), "章节")
    assert "参考方案" in error.message


def test_an_id_must_match_the_file_name(app, tmp_path):
    folder = copy_cards(tmp_path)
    edit(folder / CARD_FILE, f"id: {CARD}", "id: another-card")
    error = _only(_problems(folder), "取值")
    assert error.line == 2
    assert "文件名" in error.message


def test_a_broken_yaml_header_names_its_line(app, tmp_path):
    folder = copy_cards(tmp_path)
    path = folder / CARD_FILE
    edit(path, "difficulty: 进阶", "difficulty: [进阶")
    error = _only(_problems(folder), "YAML")
    assert error.path.endswith(CARD_FILE)
    assert error.line >= line_of(path, "difficulty: [进阶")


def test_criteria_errors_name_the_criteria_file(app, tmp_path):
    folder = copy_cards(tmp_path)
    edit(folder / "criteria.yaml", "- id: safety", "- id: Safety!")
    errors = _problems(folder)
    error = next(e for e in errors if e.path.endswith("criteria.yaml"))
    assert error.line == line_of(folder / "criteria.yaml", "- id: Safety!")


def test_unknown_course_in_criteria_is_reported(app, tmp_path):
    folder = copy_cards(tmp_path)
    errors = _problems(folder, known_course_ids={"sizhong-xingtai"})
    error = _only(errors, "引用")
    assert error.path.endswith("criteria.yaml")
    assert "jiandu-zhiji-guize" in error.message


def test_every_problem_in_every_file_is_collected(app, tmp_path):
    folder = copy_cards(tmp_path)
    edit(folder / CARD_FILE, "talk_type: 函询后谈话", "talk_type: 聊天")
    edit(folder / CARD_FILE, "duration: 40", "duration: 999")
    edit(folder / f"{CARD}.sim.yaml", "start: prep", "start: nowhere")
    errors = _problems(folder)
    assert {e.rule for e in errors} >= {"取值", "引用"}
    assert {Path(e.path).name for e in errors} == {CARD_FILE, f"{CARD}.sim.yaml"}
    assert all(str(e).count(":") >= 3 for e in errors)  # path:line: rule: message


def test_sync_writes_nothing_when_any_card_is_bad(app, tmp_path, runner):
    folder = copy_cards(tmp_path, names=(CARD, "tixing-chuangkou-zuofeng"))
    edit(folder / "tixing-chuangkou-zuofeng.md", "difficulty: 基础", "difficulty: 超难")
    result = runner.invoke(args=["drills", "sync", "--dir", str(folder)])
    assert result.exit_code != 0
    assert "tixing-chuangkou-zuofeng.md:" in result.output
    assert "未写入任何内容" in result.output
    assert db.session.scalars(db.select(DrillCard)).all() == []


def test_check_command_reports_and_passes(app, tmp_path, runner):
    folder = copy_cards(tmp_path)
    assert "校验通过：1 张" in runner.invoke(args=["drills", "check", "--dir", str(folder)]).output
    edit(folder / CARD_FILE, "duration: 40", "duration: 4")
    result = runner.invoke(args=["drills", "check", "--dir", str(folder)])
    assert result.exit_code != 0
    assert f"{CARD_FILE}:{line_of(folder / CARD_FILE, 'duration: 4')}: 取值" in result.output
