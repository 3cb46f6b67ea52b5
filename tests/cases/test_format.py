"""Every rule of the case file format (shared/specs/case-format.md): a failing and a passing
example each, with the file, line and rule in the error."""

from datetime import date
from pathlib import Path

import pytest

from learn.cases.library import check_files
from learn.content import ContentProblems
from learn.content.cases import (
    CATEGORIES,
    DOMAINS,
    FORMS,
    SUBJECT_LEVELS,
    load_case_file,
    validate_case,
)
from tests.cases.factories import CLEAN_BODY, case_meta, write_case


def _rules(meta: dict, body: str = CLEAN_BODY, **kw) -> list[str]:
    try:
        validate_case(meta, body, **kw)
    except ContentProblems as exc:
        return [e.rule for e in exc.errors]
    return []


PASSING = [
    ("id", {"id": "cun-sanzi-2023-01"}),
    ("id min length", {"id": "abc"}),
    ("id max length", {"id": "a" * 64}),
    ("title max length", {"title": "某" * 120}),
    ("year 1990", {"year": 1990}),
    ("year this year", {"year": date.today().year}),
    ("several categories", {"categories": ["廉洁纪律", "职务违法"]}),
    ("no form", {"form": None}),
    ("no outcome", {"outcome": None}),
    ("no tags", {"tags": None}),
]

FAILING = [
    ("id missing", {"id": ""}, "编号"),
    ("id upper case", {"id": "Cun-2023"}, "编号"),
    ("id underscore", {"id": "cun_2023"}, "编号"),
    ("id too short", {"id": "ab"}, "编号"),
    ("id too long", {"id": "a" * 65}, "编号"),
    ("id not text", {"id": 20230101}, "编号"),
    ("title missing", {"title": ""}, "标题"),
    ("title too long", {"title": "某" * 121}, "标题"),
    ("title with html", {"title": "某镇<b>问题</b>"}, "标题"),
    ("year missing", {"year": None}, "年份"),
    ("year text", {"year": "2023年"}, "年份"),
    ("year too early", {"year": 1989}, "年份"),
    ("year in future", {"year": date.today().year + 1}, "年份"),
    ("categories missing", {"categories": None}, "纪律类别"),
    ("categories empty", {"categories": []}, "纪律类别"),
    ("categories not a list", {"categories": "廉洁纪律"}, "纪律类别"),
    ("category unknown", {"categories": ["廉洁"]}, "纪律类别"),
    ("category repeated", {"categories": ["廉洁纪律", "廉洁纪律"]}, "纪律类别"),
    ("form unknown", {"form": "第五种形态"}, "形态"),
    ("subject level missing", {"subject_level": None}, "对象层级"),
    ("subject level unknown", {"subject_level": "村干部"}, "对象层级"),
    ("domains missing", {"domains": None}, "领域"),
    ("domain unknown", {"domains": ["金融"]}, "领域"),
    ("outcome not plain", {"outcome": "撤职\n开除"}, "处理结果"),
    ("tags not a list", {"tags": "虚报冒领"}, "标签"),
    (
        "tag too long",
        {"tags": ["这是一个远远超过二十个字的标签名称用来测试长度限制是否生效"]},
        "标签",
    ),
    ("unknown field", {"author": "某某"}, "未知字段"),
]


@pytest.mark.parametrize(("label", "overrides"), PASSING, ids=[p[0] for p in PASSING])
def test_valid_field_values_pass(label, overrides):
    assert _rules(case_meta(**overrides)) == []


@pytest.mark.parametrize(("label", "overrides", "rule"), FAILING, ids=[f[0] for f in FAILING])
def test_invalid_field_values_name_the_rule(label, overrides, rule):
    assert rule in _rules(case_meta(**overrides))


@pytest.mark.parametrize("value", CATEGORIES)
def test_every_category_is_accepted(value):
    assert _rules(case_meta(categories=[value])) == []


@pytest.mark.parametrize("value", FORMS)
def test_every_form_is_accepted(value):
    assert _rules(case_meta(form=value)) == []


@pytest.mark.parametrize("value", SUBJECT_LEVELS)
def test_every_subject_level_is_accepted(value):
    assert _rules(case_meta(subject_level=value)) == []


@pytest.mark.parametrize("value", DOMAINS)
def test_every_default_domain_is_accepted(value):
    assert _rules(case_meta(domains=[value])) == []


def test_a_site_may_extend_the_domains():
    meta = case_meta(domains=["国有企业"])
    assert _rules(meta) == ["领域"]
    assert _rules(meta, extra_domains=("国有企业",)) == []


def test_required_sections():
    without_analysis = CLEAN_BODY.replace("## 问题剖析", "## 原因分析")
    assert _rules(case_meta(), without_analysis) == ["章节"]
    without_facts = CLEAN_BODY.replace("## 基本案情", "## 案情")
    assert _rules(case_meta(), without_facts) == ["章节"]
    without_lessons = CLEAN_BODY.split("## 警示启示")[0]
    assert _rules(case_meta(), without_lessons) == []  # expected, not required


def test_errors_carry_file_line_and_rule(tmp_path):
    path = write_case(tmp_path, id="bad-year-01", year=1980)
    with pytest.raises(ContentProblems) as exc:
        load_case_file(path)
    (error,) = exc.value.errors
    assert error.path == str(path)
    assert error.line == 4  # --- / id / title / year
    assert error.rule == "年份"
    assert str(error).startswith(f"{path}:4: 年份: ")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    path = write_case(tmp_path, id="many-01", year=1980, categories=["无"], domains=["无"])
    with pytest.raises(ContentProblems) as exc:
        load_case_file(path)
    assert {e.rule for e in exc.value.errors} == {"年份", "纪律类别", "领域"}


def test_file_name_should_match_the_id(tmp_path):
    good = write_case(tmp_path, id="name-ok-01")
    assert load_case_file(good).id == "name-ok-01"
    bad = write_case(tmp_path, id="name-ok-02", name="other-name.md")
    with pytest.raises(ContentProblems) as exc:
        load_case_file(bad)
    assert [e.rule for e in exc.value.errors] == ["文件名"]


def test_ids_are_unique_across_the_library(tmp_path):
    write_case(tmp_path / "a", id="same-id-01")
    write_case(tmp_path / "b", id="same-id-01")
    report = check_files([tmp_path])
    assert [e.rule for e in report.errors] == ["编号重复"]
    assert report.cases == []
    write_case(tmp_path / "c", id="other-id-01")
    (tmp_path / "b" / "same-id-01.md").unlink()
    assert check_files([tmp_path]).ok


def test_malformed_front_matter_is_reported_with_a_line(tmp_path):
    path = tmp_path / "broken-01.md"
    path.write_text("---\nid: broken-01\ntitle: [未闭合\n---\n\n## 基本案情\n", encoding="utf-8")
    report = check_files([path])
    assert report.errors[0].rule == "YAML"
    assert report.errors[0].line >= 2
    no_header = tmp_path / "plain-01.md"
    no_header.write_text("## 基本案情\n", encoding="utf-8")
    assert check_files([no_header]).errors[0].rule == "格式"


def test_body_line_numbers_point_at_the_offending_line(tmp_path):
    body = CLEAN_BODY.replace("张某，男", "王建国，男")
    path = write_case(tmp_path, body, id="line-01")
    report = check_files([path])
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    (error,) = [e for e in report.errors if e.message == "王建国"]
    assert "王建国" in lines[error.line - 1]
    assert error.rule == "姓名"


def test_shipped_library_is_clean():
    library = Path(__file__).resolve().parents[2] / "cases_library"
    report = check_files([library])
    assert report.errors == []
    assert len(report.cases) >= 40
    cases = report.cases
    assert {c for case in cases for c in case.categories} == set(CATEGORIES)
    assert {case.form for case in cases if case.form} == set(FORMS)
    assert {case.subject_level for case in cases} == set(SUBJECT_LEVELS)
    assert {d for case in cases for d in case.domains} == set(DOMAINS)
