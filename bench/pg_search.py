"""PostgreSQL backend search latency at a given corpus size (run by ``run.py`` in its own process).

    LEARN_DATABASE_URL=postgresql://…/learn_bench LEARN_SEARCH_BACKEND=postgres \\
        python bench/pg_search.py --cases 200000 --rounds 3

The index is filled with synthetic cases generated in memory (the case library
tables are not needed to answer a search), each row exactly as the backend's
own ``_row`` makes it. Up to 10,000 cases through ``PostgresBackend.rebuild``
itself (its rate is reported); beyond, in batched inserts, because ``rebuild``
inserts one row per statement, which at 200,000 cases would take well over
an hour on this host. The index is kept, and a later run at the same size
reuses it. Prints one JSON line.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import bindparam, cast, delete, insert, text
from sqlalchemy.dialects.postgresql import TSVECTOR

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import LEARNER, _timed, percentiles, warm
from workload import filters_for, synthetic_documents

from learn import create_app
from learn.extensions import db
from learn.search.models import SearchDocument, SearchIndexState
from learn.search.plan import build_plan
from learn.search.query import parse_query
from learn.search.services import backend
from learn.search.vocabulary import current_vocabulary

BACKEND_REBUILD_UP_TO = 10_000  # larger indexes are filled in batches (see above)


def _bound_value(value):
    """The text inside ``cast(literal(text), TSVECTOR)`` as ``_row`` builds it."""
    return value.clause.value if hasattr(value, "clause") else value


def fill(b, documents, vocabulary, batch: int = 1_000) -> None:
    """Replace the index with ``documents`` in batched inserts, then record the vocabulary."""
    db.session.execute(delete(SearchDocument))
    rows = []
    statement = insert(SearchDocument).values(
        words=cast(bindparam("words_text"), TSVECTOR),
        bigrams=cast(bindparam("bigrams_text"), TSVECTOR),
    )
    for doc in documents:
        row = b._row(doc, vocabulary)
        row["words_text"] = _bound_value(row.pop("words"))
        row["bigrams_text"] = _bound_value(row.pop("bigrams"))
        rows.append(row)
        if len(rows) == batch:
            db.session.execute(statement, rows)
            rows = []
    if rows:
        db.session.execute(statement, rows)
    state = db.session.get(SearchIndexState, b.name) or SearchIndexState(backend=b.name)
    state.vocabulary = vocabulary.to_json()
    state.fingerprint = vocabulary.fingerprint
    db.session.add(state)
    db.session.commit()
    db.session.execute(text("ANALYZE search_documents"))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        b = backend()
        result = {"cases": args.cases, "rebuilt": False}
        if b.status().documents != args.cases:
            start = time.perf_counter()
            documents = synthetic_documents(args.cases)
            if args.cases <= BACKEND_REBUILD_UP_TO:
                b.rebuild(documents, current_vocabulary())
                db.session.commit()
                db.session.execute(text("ANALYZE search_documents"))
                db.session.commit()
            else:
                fill(b, documents, current_vocabulary())
            result.update(
                rebuilt="rebuild" if args.cases <= BACKEND_REBUILD_UP_TO else "batched",
                fill_cases_per_s=args.cases / (time.perf_counter() - start),
            )

        def search(words, facets):
            plan = build_plan(parse_query(words), b.vocabulary())
            page = b.search(plan, filters_for(facets), LEARNER, limit=10)
            db.session.rollback()
            return page

        result["totals"] = warm(search)
        result.update(percentiles(_timed(search, args.rounds)))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
