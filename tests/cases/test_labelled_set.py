"""The checker on the labelled sets (see docs/anonymization.md): structured identifiers are
always caught, names and places nearly always, and clean-but-tricky files stay clean."""

from pathlib import Path

import pytest

from learn.cases.evaluation import evaluate_folder

HERE = Path(__file__).parent


@pytest.mark.parametrize("folder", ["anonymization_set", "anonymization_holdout"])
def test_checker_on_labelled_set(folder):
    result = evaluate_folder(HERE / folder)
    structured = result.groups["证件、号码、地址等结构化信息"]
    assert structured.fn == 0 and structured.tp > 0
    assert result.total.recall >= 0.95, result.misses
    assert result.total.precision >= 0.95, result.false_alarms
    assert result.clean_flagged <= result.clean_files // 10


def test_main_set_has_at_least_sixty_files_half_leaking():
    result = evaluate_folder(HERE / "anonymization_set")
    assert result.leaking_files >= 30 and result.clean_files >= 30


def test_measure_command_prints_the_table(runner):
    output = runner.invoke(args=["cases", "measure", str(HERE / "anonymization_set")]).output
    assert "查准率" in output and "合计" in output
