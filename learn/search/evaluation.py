"""Relevance evaluation: nDCG@10 and recall@10 over a judged query set.

Three engines are compared on the same case files, each in a temporary index:

- ``engine``: this search (domain dictionary, synonyms, bigram field, phrases);
- ``plain``: the same code with jieba's own dictionary only, no synonyms and
  no bigram field — what the domain vocabulary and the recall field add;
- ``whoosh-default``: Whoosh's default analyzer and query parser on the raw
  text — what an untuned Whoosh index does with Chinese.

Judgments are graded 0–3 (3: the case is about this; 2: substantially
relevant; 1: touches on it); unjudged cases count as 0.
"""

import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser

from learn.search.backends.base import Access, Filters
from learn.search.backends.whoosh_index import WhooshBackend
from learn.search.documents import IndexDocument
from learn.search.plan import build_plan
from learn.search.query import parse_query
from learn.search.vocabulary import Vocabulary, shipped_stopwords, shipped_vocabulary

K = 10
VARIANTS = {
    "engine": "本引擎（词典 + 同义词 + 二元组）",
    "plain": "同一引擎，去掉词典、同义词和二元组",
    "whoosh-default": "Whoosh 默认分析器",
}


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str
    grades: dict[str, int]


@dataclass(frozen=True)
class QueryScore:
    query: str
    kind: str
    ndcg: float
    recall: float
    ranked: tuple[str, ...]


def load_judgments(path: Path) -> list[Judgment]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [
        Judgment(str(item["q"]), str(item.get("kind", "")), dict(item["relevant"])) for item in data
    ]


def ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(gains):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(doc, 0) for doc in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


class _EngineRunner:
    def __init__(self, docs: list[IndexDocument], root: Path, full: bool):
        self.full = full
        self.vocabulary = (
            shipped_vocabulary() if full else Vocabulary(stopwords=shipped_stopwords())
        )
        self.backend = WhooshBackend(root, bigrams=full)
        self.backend.rebuild(docs, self.vocabulary)

    def __call__(self, query: str) -> list[str]:
        plan = build_plan(parse_query(query), self.vocabulary, expand=self.full)
        page = self.backend.search(
            plan, Filters(), Access(None, everything=True), limit=K, facets=False
        )
        return [hit.id for hit in page.hits]


class _WhooshDefaultRunner:
    def __init__(self, docs: list[IndexDocument], root: Path):
        schema = whoosh_fields.Schema(
            id=whoosh_fields.ID(stored=True),
            title=whoosh_fields.TEXT(),
            keywords=whoosh_fields.TEXT(),
            text=whoosh_fields.TEXT(),
        )
        root.mkdir(parents=True, exist_ok=True)
        self.index = whoosh_index.create_in(str(root), schema)
        with self.index.writer() as writer:
            for doc in docs:
                writer.add_document(
                    id=doc.id, title=doc.title, keywords=doc.keywords, text=doc.body
                )
        self.parser = MultifieldParser(["title", "keywords", "text"], schema)

    def __call__(self, query: str) -> list[str]:
        with self.index.searcher() as searcher:
            results = searcher.search(self.parser.parse(query), limit=K)
            return [hit["id"] for hit in results]


def evaluate(
    docs: list[IndexDocument], judgments: list[Judgment], variants: Sequence[str] = tuple(VARIANTS)
) -> dict[str, list[QueryScore]]:
    """Score every variant on every judged query."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in variants:
            root = Path(tmp) / name
            if name == "whoosh-default":
                run = _WhooshDefaultRunner(docs, root)
            else:
                run = _EngineRunner(docs, root, full=name == "engine")
            scores = []
            for j in judgments:
                ranked = run(j.query)
                scores.append(
                    QueryScore(
                        j.query,
                        j.kind,
                        ndcg_at(ranked, j.grades),
                        recall_at(ranked, j.grades),
                        tuple(ranked),
                    )
                )
            out[name] = scores
    return out


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
