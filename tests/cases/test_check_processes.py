"""A large folder is checked in several processes with exactly the one-process report."""

from learn.cases.library import POOL_MIN_FILES, check_files
from learn.content.cases import RULE_DUPLICATE
from tests.cases.factories import CLEAN_BODY, write_case


def test_processes_report_the_same_problems_in_the_same_order(app, tmp_path):
    for n in range(POOL_MIN_FILES):
        write_case(tmp_path, id=f"case-{n:03d}")
    write_case(tmp_path, CLEAN_BODY.replace("张某，男", "张建军，男"), id="leaky-01")
    write_case(tmp_path, id="year-01", year=1900)
    write_case(tmp_path / "again", id="case-007")

    one = check_files([tmp_path], workers=1)
    two = check_files([tmp_path], workers=2)

    assert two == one
    rules = {e.rule for e in one.errors}
    assert {"姓名", "年份", RULE_DUPLICATE} <= rules
    assert one.cases == []


def test_processes_return_every_clean_case_in_file_order(app, tmp_path):
    for n in range(POOL_MIN_FILES):
        write_case(tmp_path, id=f"case-{n:03d}")

    one = check_files([tmp_path], workers=1)
    two = check_files([tmp_path], workers=2)

    assert two.ok and two == one
    assert [c.id for c in two.cases] == [f"case-{n:03d}" for n in range(POOL_MIN_FILES)]
