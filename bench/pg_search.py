"""PostgreSQL backend search latency at a given corpus size (run by ``run.py`` in its own process).

    LEARN_DATABASE_URL=postgresql://…/learn_bench LEARN_SEARCH_BACKEND=postgres \\
        python bench/pg_search.py --cases 200000 --rounds 3

The index is filled with synthetic cases generated in memory (the case library
tables are not needed to answer a search), each row exactly as the backend's
own rebuild makes it, through ``PostgresBackend.rebuild`` (its rate is
reported). The index is kept, and a later run at the same size reuses it.
Prints one JSON line.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import LEARNER, _timed, percentiles, warm
from workload import filters_for, synthetic_documents

from learn import create_app
from learn.extensions import db
from learn.search.plan import build_plan
from learn.search.query import parse_query
from learn.search.services import backend
from learn.search.vocabulary import current_vocabulary


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
            b.rebuild(synthetic_documents(args.cases), current_vocabulary())
            db.session.commit()
            db.session.execute(text("ANALYZE search_documents"))
            db.session.commit()
            result.update(
                rebuilt="rebuild", fill_cases_per_s=args.cases / (time.perf_counter() - start)
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
