"""``learn cases check|import|export``: exit codes, messages, all-or-nothing, revisions,
round trips."""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from learn.accounts import Role
from learn.cases.models import CaseRevision, CaseStatus, CaseStudy
from learn.extensions import db
from tests.cases.factories import CLEAN_BODY, write_case
from tests.factories import make_user

LIBRARY = Path(__file__).resolve().parents[2] / "cases_library"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _cases() -> dict[str, CaseStudy]:
    db.session.expire_all()
    return {c.id: c for c in db.session.scalars(select(CaseStudy))}


def test_check_exits_zero_on_the_shipped_library(runner):
    result = runner.invoke(args=["cases", "check", str(LIBRARY)])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_check_prints_path_line_rule_and_text_and_fails(runner, tmp_path):
    write_case(tmp_path, id="clean-01")
    leaky = write_case(tmp_path, CLEAN_BODY.replace("张某，男", "张建军，男"), id="leaky-01")
    bad_year = write_case(tmp_path, id="year-01", year=1900)
    result = runner.invoke(args=["cases", "check", str(tmp_path)])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert any(line.startswith(f"{leaky}:") and ": 姓名: 张建军" in line for line in lines)
    assert f"{bad_year}:4: 年份: " in result.output
    assert not any("clean-01" in line for line in lines)


def test_check_accepts_single_files(runner, tmp_path):
    path = write_case(tmp_path, id="single-01")
    assert runner.invoke(args=["cases", "check", str(path)]).exit_code == 0


def test_check_touches_no_database(runner, tmp_path):
    write_case(tmp_path, id="nodb-01")
    runner.invoke(args=["cases", "check", str(tmp_path)])
    assert _count(CaseStudy) == 0


def test_import_puts_cases_in_the_review_queue(runner, tmp_path):
    write_case(tmp_path, id="queue-01")
    write_case(tmp_path, id="queue-02")
    result = runner.invoke(args=["cases", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    cases = _cases()
    assert {c.status for c in cases.values()} == {CaseStatus.IN_REVIEW}
    assert _count(CaseRevision) == 2


def test_one_bad_file_among_many_leaves_the_library_unchanged(runner, tmp_path):
    make_user("root", Role.ADMIN)
    good = tmp_path / "good"
    for n in range(5):
        write_case(good, id=f"good-{n:02d}")
    assert runner.invoke(args=["cases", "import", str(good)]).exit_code == 0
    before = {c.id: (c.status, c.content_hash) for c in _cases().values()}
    revisions = _count(CaseRevision)

    mixed = tmp_path / "mixed"
    for n in range(5):
        write_case(mixed, CLEAN_BODY + f"\n补充说明第{n}条。\n", id=f"good-{n:02d}")
    for n in range(5, 10):
        write_case(mixed, id=f"good-{n:02d}")
    write_case(mixed, CLEAN_BODY.replace("张某，男", "张某，男，手机13912345678"), id="phone-01")
    for publish in ([], ["--publish", "--user", "root"]):
        result = runner.invoke(args=["cases", "import", str(mixed), *publish])
        assert result.exit_code != 0
        assert "phone-01.md" in result.output and "手机号: 13912345678" in result.output
        assert "未导入任何案例" in result.output
        after = {c.id: (c.status, c.content_hash) for c in _cases().values()}
        assert after == before
        assert _count(CaseRevision) == revisions


def test_reimporting_unchanged_files_changes_nothing(runner, tmp_path):
    write_case(tmp_path, id="same-01")
    runner.invoke(args=["cases", "import", str(tmp_path)])
    first = _cases()["same-01"].updated_at
    result = runner.invoke(args=["cases", "import", str(tmp_path)])
    assert "未变 1 个" in result.output
    assert _count(CaseRevision) == 1
    assert _cases()["same-01"].updated_at == first


def test_a_changed_file_becomes_a_new_revision(runner, tmp_path):
    make_user("root", Role.ADMIN)
    path = write_case(tmp_path, id="change-01")
    runner.invoke(args=["cases", "import", str(tmp_path), "--publish", "--user", "root"])
    path.write_text(
        path.read_text(encoding="utf-8") + "\n2. **新增一条启示。**\n", encoding="utf-8"
    )
    result = runner.invoke(args=["cases", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    case = _cases()["change-01"]
    assert [r.number for r in case.revisions] == [1, 2]
    assert "新增一条启示" in case.body
    assert case.status == CaseStatus.IN_REVIEW  # changed text goes back to the reviewers


def test_publish_needs_an_admin(runner, tmp_path):
    make_user("editor", Role.CASE_EDITOR)
    write_case(tmp_path, id="pub-01")
    result = runner.invoke(args=["cases", "import", str(tmp_path), "--publish"])
    assert result.exit_code != 0 and "系统管理员" in result.output
    result = runner.invoke(args=["cases", "import", str(tmp_path), "--publish", "--user", "editor"])
    assert result.exit_code != 0
    assert _count(CaseStudy) == 0


def test_export_then_import_round_trips_the_shipped_library(runner, tmp_path):
    make_user("root", Role.ADMIN)
    result = runner.invoke(args=["cases", "import", str(LIBRARY), "--publish", "--user", "root"])
    assert result.exit_code == 0, result.output
    exported = tmp_path / "exported"
    result = runner.invoke(args=["cases", "export", str(exported)])
    assert result.exit_code == 0, result.output
    originals = sorted(LIBRARY.glob("*.md"))
    assert len(originals) >= 40
    for original in originals:
        copy = exported / original.name
        assert copy.read_text(encoding="utf-8") == original.read_text(encoding="utf-8"), (
            original.name
        )
    revisions = _count(CaseRevision)
    result = runner.invoke(args=["cases", "import", str(exported)])
    assert f"未变 {len(originals)} 个" in result.output
    assert _count(CaseRevision) == revisions
    assert runner.invoke(args=["cases", "check", str(exported)]).exit_code == 0


def test_export_leaves_out_restricted_and_unpublished_cases(runner, tmp_path):
    make_user("root", Role.ADMIN)
    source = tmp_path / "source"
    for n in range(3):
        write_case(source, id=f"exp-{n:02d}")
    runner.invoke(args=["cases", "import", str(source), "--publish", "--user", "root"])
    cases = _cases()
    cases["exp-01"].restricted = True
    cases["exp-02"].status = CaseStatus.WITHDRAWN
    db.session.commit()
    out = tmp_path / "out"
    runner.invoke(args=["cases", "export", str(out)])
    assert sorted(p.name for p in out.glob("*.md")) == ["exp-00.md"]
    shutil.rmtree(out)
    runner.invoke(args=["cases", "export", str(out), "--include-restricted"])
    assert sorted(p.name for p in out.glob("*.md")) == ["exp-00.md", "exp-01.md"]


def test_reserved_ids_are_refused_whole(runner, tmp_path):
    write_case(tmp_path, id="fine-01")
    write_case(tmp_path, id="desk")
    result = runner.invoke(args=["cases", "import", str(tmp_path)])
    assert result.exit_code != 0 and "保留" in result.output
    assert _count(CaseStudy) == 0
