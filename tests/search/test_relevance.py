"""Relevance on the judged query set (bench/relevance/judgments.yaml) does not regress."""

from learn.search.commands import DEFAULT_JUDGMENTS as JUDGMENTS
from learn.search.documents import documents_from_folder
from learn.search.evaluation import evaluate, load_judgments, mean, ndcg_at, recall_at
from tests.search.factories import LIBRARY

TARGET = 0.85


def test_metrics():
    grades = {"a": 3, "b": 1}
    assert ndcg_at(["a", "b"], grades) == 1.0
    assert ndcg_at(["b", "a"], grades) < 1.0
    assert ndcg_at(["x"], grades) == 0.0
    assert recall_at(["a", "x"], grades) == 0.5


def test_the_engine_meets_the_target_and_beats_the_baselines():
    judgments = load_judgments(JUDGMENTS)
    assert len(judgments) >= 40
    results = evaluate(documents_from_folder(LIBRARY), judgments)
    ndcg = {name: mean(s.ndcg for s in scores) for name, scores in results.items()}
    assert ndcg["engine"] >= TARGET
    assert ndcg["engine"] > ndcg["plain"] > ndcg["whoosh-default"]
