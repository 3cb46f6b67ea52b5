"""In-process search latency: our Whoosh backend against SQLite FTS5 on the same corpus.

The Whoosh figures go through ``SearchBackend.search`` exactly as a request
does (parse, plan with the index's vocabulary, search with facet counts and
highlighted hits). The FTS5 comparison point indexes the same documents,
segmented by the same ``Segmenter`` (tokens joined by spaces), answers the
same words (each a phrase of its segmented tokens, all required) under the
same filters, ranks by ``bm25`` with the same field weights, counts the same
facets and highlights its ten hits with the same functions. It has no
synonym or bigram expansion: that is the part of our engine FTS5 lacks.
"""

import json
import sqlite3
import statistics
import time
from pathlib import Path

from workload import QUERIES, filters_for

from learn.search.backends.base import Access, Filters
from learn.search.backends.whoosh_index import FIELD_BOOSTS, WhooshBackend
from learn.search.documents import IndexDocument
from learn.search.highlight import highlight_title, snippets
from learn.search.plan import build_plan
from learn.search.query import parse_query

LEARNER = Access(user_id=None, everything=False)


def percentiles(samples: list[tuple[float, float]]) -> dict:
    """p50/p95 of (wall ms, CPU ms) samples; CPU time shows the cost without other load."""
    out = {"n": len(samples)}
    for key, values in (("", [w for w, _c in samples]), ("cpu_", [c for _w, c in samples])):
        cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
        out[f"{key}p50_ms"], out[f"{key}p95_ms"] = cuts[49], cuts[94]
    return out


def segmentation_rate(docs: list[IndexDocument], segmenter) -> dict:
    """Cases/s and MB/s of cutting title, keywords and body: the ceiling for indexing."""
    segmenter.words("预热")
    size = 0
    start, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        for text in (doc.title, doc.keywords, doc.body):
            segmenter.words(text)
            size += len(text.encode())
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    return {
        "cases_per_s": len(docs) / seconds,
        "mb_per_s": size / seconds / 1e6,
        "cpu_cases_per_s": len(docs) / cpu_seconds,
    }


def _timed(call, rounds: int) -> list[tuple[float, float]]:
    samples = []
    for _ in range(rounds):
        for words, facets in QUERIES:
            start, cpu = time.perf_counter(), time.process_time()
            call(words, facets)
            wall = (time.perf_counter() - start) * 1000
            samples.append((wall, (time.process_time() - cpu) * 1000))
    return samples


def warm(call) -> dict[str, int]:
    """Run every query once (caches warm, as in a long-running worker); matches per query."""
    totals = {}
    for words, facets in QUERIES:
        result = call(words, facets)
        totals[words] = result if isinstance(result, int) else result.total
    return totals


def whoosh_latency(backend: WhooshBackend, rounds: int) -> dict:
    def search(words, facets):
        plan = build_plan(parse_query(words), backend.vocabulary())
        return backend.search(plan, filters_for(facets), LEARNER, limit=10)

    totals = warm(search)
    return {**percentiles(_timed(search, rounds)), "totals": totals}


class Fts5Index:
    """The same corpus in an SQLite FTS5 table with a side table for the facets."""

    def __init__(self, path: Path, segmenter):
        self.segmenter = segmenter
        self.db = sqlite3.connect(path)

    def build(self, docs: list[IndexDocument]) -> float:
        """Index ``docs``; return cases/s (segmentation included, as for Whoosh)."""
        cut = self.segmenter.words
        start = time.perf_counter()
        self.db.executescript(
            """
            CREATE VIRTUAL TABLE fts USING fts5(title, keywords, text, tokenize='unicode61');
            CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, year INT, form TEXT,
                subject_level TEXT, restricted INT, stored TEXT);
            CREATE TABLE labels (rowid INT, name TEXT, value TEXT);
            """
        )
        for n, doc in enumerate(docs, start=1):
            self.db.execute(
                "INSERT INTO fts(rowid, title, keywords, text) VALUES (?, ?, ?, ?)",
                (n, " ".join(cut(doc.title)), " ".join(cut(doc.keywords)), " ".join(cut(doc.body))),
            )
            stored = {"title": doc.title, "text": doc.body, "tags": list(doc.tags)}
            self.db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    n,
                    doc.id,
                    doc.year,
                    doc.form or "",
                    doc.subject_level,
                    int(doc.restricted),
                    json.dumps(stored, ensure_ascii=False),
                ),
            )
            labels = [("categories", c) for c in doc.categories]
            labels += [("domains", d) for d in doc.domains]
            self.db.executemany(
                "INSERT INTO labels VALUES (?, ?, ?)", [(n, k, v) for k, v in labels]
            )
        self.db.executescript(
            """
            CREATE INDEX labels_by_value ON labels (name, value, rowid);
            CREATE INDEX labels_by_row ON labels (rowid);
            CREATE INDEX docs_facets ON docs (year, form, subject_level);
            """
        )
        self.db.commit()
        return len(docs) / (time.perf_counter() - start)

    def _match(self, words: str) -> str:
        phrases = []
        for term in words.split():
            tokens = self.segmenter.words(term)
            if tokens:
                phrases.append('"' + " ".join(t.replace('"', '""') for t in tokens) + '"')
        return " AND ".join(phrases)

    def _where(self, filters: Filters) -> tuple[str, list]:
        clauses, args = ["d.restricted = 0"], []
        for name in ("categories", "domains"):
            for value in getattr(filters, name):
                clauses.append(
                    "EXISTS (SELECT 1 FROM labels l WHERE l.rowid = d.rowid "
                    "AND l.name = ? AND l.value = ?)"
                )
                args += [name, value]
        for name in ("form", "subject_level"):
            if getattr(filters, name):
                clauses.append(f"d.{name} = ?")
                args.append(getattr(filters, name))
        if filters.year_from is not None:
            clauses.append("d.year >= ?")
            args.append(filters.year_from)
        if filters.year_to is not None:
            clauses.append("d.year <= ?")
            args.append(filters.year_to)
        return " AND ".join(clauses), args

    def search(self, words: str, filters: Filters, limit: int = 10) -> int:
        """Top hits with highlights, the total and the five facet counts, like ``search``."""
        where, args = self._where(filters)
        weights = ", ".join(str(b) for b in FIELD_BOOSTS.values())
        self.db.execute("DROP TABLE IF EXISTS temp.matched")
        self.db.execute(
            "CREATE TEMP TABLE matched AS SELECT d.rowid AS rowid, "
            f"bm25(fts, {weights}) AS score FROM fts JOIN docs d ON d.rowid = fts.rowid "
            f"WHERE fts MATCH ? AND {where}",
            [self._match(words), *args],
        )
        total = self.db.execute("SELECT count(*) FROM matched").fetchone()[0]
        top = self.db.execute(
            "SELECT d.stored FROM matched m JOIN docs d ON d.rowid = m.rowid "
            "ORDER BY m.score LIMIT ?",
            (limit,),
        ).fetchall()
        for name in ("year", "form", "subject_level"):
            self.db.execute(
                f"SELECT d.{name}, count(*) FROM matched m JOIN docs d ON d.rowid = m.rowid "
                f"GROUP BY d.{name}"
            ).fetchall()
        self.db.execute(
            "SELECT l.name, l.value, count(*) FROM matched m JOIN labels l ON l.rowid = m.rowid "
            "GROUP BY l.name, l.value"
        ).fetchall()
        terms = tuple(self.segmenter.words(words))
        for (stored,) in top:
            doc = json.loads(stored)
            highlight_title(doc["title"], terms)
            snippets(doc["text"], terms)
            [highlight_title(tag, terms) for tag in doc["tags"]]
        return total


def fts5_latency(index: Fts5Index, rounds: int) -> dict:
    def search(words, facets):
        return index.search(words, filters_for(facets))

    totals = warm(search)
    return {**percentiles(_timed(search, rounds)), "totals": totals}
