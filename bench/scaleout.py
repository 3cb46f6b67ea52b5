"""Load per endpoint for the embedded and the scale-out shape; results into docs/performance.md.

    .venv/bin/python bench/scaleout.py [--seconds 10] [--connections 8]

embedded: SQLite + Whoosh, one ``learn serve --workers 2``. scale-out: two app hosts
(``learn serve --workers 2`` each, ports of their own, one secret key) on PostgreSQL
(database and search backend, database ``learn_scaleout_bench``) and Redis (DB 1). Both
start from ``learn demo``. Each endpoint is driven with wrk for ``--seconds`` with the same
number of connections in total; in the scale-out shape they are split over both hosts,
which wrk drives at the same time, as a reverse proxy would. Loopback only. On one
machine both "hosts" share its cores with PostgreSQL and Redis, so the scale-out rows
show the cost of the shared services, not the gain of a second machine.
"""

import argparse
import datetime
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers
from http_load import wrk
from report import commit, machine
from run import learn_cli, lesson_path
from servers import learn_server, session_cookie
from workload import QUERIES, query_string

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:scaleout -->", "<!-- /bench:scaleout -->"
HEADING = "## Deployment shapes under load (`bench/scaleout.py`)"
PG_URL = "postgresql://postgres@127.0.0.1:5432/learn_scaleout_bench"
REDIS_URL = "redis://127.0.0.1:6379/1"
LEARNER = ("xueyuan", "learn2026")
LOADS: dict[str, float] = {}  # 1-minute load average as each shape's measurement began
# This script's share of the loopback ports on this host (bench/run.py uses 8200–8299).
servers.PORTS = range(8100, 8200)


def log(message: str) -> None:
    print(f"[scaleout {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def reset_postgres() -> None:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE learn_scaleout_bench",
        ],
        capture_output=True,
    )
    drop = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
    subprocess.run(["psql", PG_URL, "-qc", drop], check=True, capture_output=True)


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()  # DB 1 only: this benchmark's own
    client.close()


def case_paths(base: str, token: str) -> list[str]:
    """Detail pages of the published cases the search API returns."""
    paths = []
    for words, _facets in QUERIES[:8]:
        request = urllib.request.Request(
            f"{base}/api/v1/cases/search?{query_string(words, {})}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request) as response:
            paths += [f"/cases/{hit['id']}" for hit in json.load(response)["results"]]
    return sorted(set(paths)) or ["/cases/"]


def endpoints(base: str, cookie: str, token: str) -> list[dict]:
    """What each endpoint run sends: a path or paths in turn, and its credentials."""
    session = {"cookie": cookie}
    bearer = {"headers": {"Authorization": f"Bearer {token}"}}
    lesson = lesson_path(base, cookie)
    if lesson is None:
        raise RuntimeError("no lesson page is open to the demo learner")
    return [
        {"label": "首页 `/`", "path": "/", **session},
        {"label": f"课程学习页 `{lesson}`", "path": lesson, **session},
        {
            "label": f"案例检索页 `/search/?q=…` ({len(QUERIES)} queries in turn)",
            "path": "/search/",
            "paths": [f"/search/?{query_string(w, f)}" for w, f in QUERIES],
            **session,
        },
        {
            "label": "检索 API `/api/v1/cases/search` (bearer token)",
            "path": "/api/v1/cases/search",
            "paths": [f"/api/v1/cases/search?{query_string(w, f)}" for w, f in QUERIES],
            **bearer,
        },
        {
            "label": "案例详情 `/cases/<id>` (cases in turn)",
            "path": "/cases/",
            "paths": case_paths(base, token),
            **session,
        },
        {"label": "登录页 `/login` (anonymous)", "path": "/login"},
    ]


def warm_up(bases: list[str], endpoint: dict) -> None:
    """Open every path once on every host: a first request pays for lazy set-up, and a
    redirect or error here would make wrk measure the wrong thing."""
    headers = dict(endpoint.get("headers", {}))
    if "cookie" in endpoint:
        headers["Cookie"] = endpoint["cookie"]
    opener = urllib.request.build_opener(NoRedirect)
    for base in bases:
        for path in endpoint.get("paths", [endpoint["path"]]):
            request = urllib.request.Request(base + path, headers=headers)
            with opener.open(request, timeout=60) as response:
                if response.status != 200:
                    raise RuntimeError(f"{base}{path} answered {response.status}, not 200")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def drive(bases: list[str], endpoint: dict, seconds: int, connections: int) -> list[dict]:
    """wrk against every base at once, ``connections`` split evenly; one result per base."""
    share = max(1, connections // len(bases))
    options = {k: endpoint[k] for k in ("cookie", "headers", "paths") if k in endpoint}

    def one(base: str) -> dict:
        threads = min(2, share)
        return wrk(
            base + endpoint["path"], seconds=seconds, connections=share, threads=threads, **options
        )

    with ThreadPoolExecutor(len(bases)) as pool:
        return list(pool.map(one, bases))


def combined(results: list[dict]) -> dict:
    """Throughput adds up; latency percentiles cannot be merged, so take the worse host."""
    return {
        "rps": sum(r["rps"] for r in results),
        "errors": sum(r["errors"] for r in results),
        **{p: max(r[p] for r in results) for p in ("p50_ms", "p95_ms", "p99_ms")},
    }


def measure(shape: str, env: dict, hosts: int, seconds: int, connections: int) -> list[tuple]:
    """Start the shape's hosts and drive each endpoint; rows of (endpoint, where, result)."""
    rows = []
    LOADS[shape] = os.getloadavg()[0]
    with ExitStack() as stack:
        bases = [stack.enter_context(learn_server(env, workers=2))[0] for _ in range(hosts)]
        log(f"{shape}: {', '.join(bases)}")
        cookie = session_cookie(bases[0], *LEARNER)
        token = learn_cli(env, "users", "token", LEARNER[0], "--name", "bench").stdout.strip()
        for endpoint in endpoints(bases[0], cookie, token):
            log(f"{shape}: {endpoint['label']}")
            warm_up(bases, endpoint)
            results = drive(bases, endpoint, seconds, connections)
            if hosts == 1:
                rows.append((endpoint["label"], shape, results[0]))
                continue
            for name, result in zip("AB", results, strict=False):
                rows.append((endpoint["label"], f"{shape}, host {name}", result))
            rows.append((endpoint["label"], f"{shape}, both hosts", combined(results)))
    return rows


def embedded(work: Path, seconds: int, connections: int) -> list[tuple]:
    env = {
        "LEARN_DATA_DIR": str(work / "embedded"),
        "LEARN_LOGIN_RATE_LIMIT": "100000 per minute",
        "LEARN_SECRET_KEY": secrets.token_hex(32),
        "LEARN_SEARCH_BACKEND": "whoosh",
    }
    log("embedded: learn init, learn demo")
    learn_cli(env, "init")
    learn_cli(env, "demo")
    return measure("embedded (SQLite + Whoosh, 1 host × 2 workers)", env, 1, seconds, connections)


def scale_out(work: Path, seconds: int, connections: int) -> list[tuple]:
    env = {
        "LEARN_DATA_DIR": str(work / "scale-out"),
        "LEARN_LOGIN_RATE_LIMIT": "100000 per minute",
        "LEARN_SECRET_KEY": secrets.token_hex(32),
        "LEARN_DATABASE_URL": PG_URL,
        "LEARN_REDIS_URL": REDIS_URL,
        "LEARN_SEARCH_BACKEND": "postgres",
    }
    log("scale-out: fresh schema, learn init, learn demo")
    reset_postgres()
    flush_redis()
    learn_cli(env, "init")
    learn_cli(env, "demo")
    return measure(
        "scale-out (PostgreSQL + Redis, 2 hosts × 2 workers)", env, 2, seconds, connections
    )


def table(rows: list[tuple], seconds: int, connections: int) -> str:
    loads = "; ".join(f"{shape.split(' (')[0]} {load:.1f}" for shape, load in LOADS.items())
    lines = [
        START,
        f"Run {datetime.date.today().isoformat()} at commit `{commit()}` on {machine()}; "
        f"demo content (40 cases); 1-minute load average as each shape began: {loads}. "
        f"wrk, {seconds} s per endpoint and shape, {connections} connections in total "
        f"(scale-out: {connections // 2} per host, both hosts at once). "
        "Both shapes on this one machine: the scale-out rows measure the cost of "
        "PostgreSQL and Redis, not the gain of a second machine. "
        "“both hosts”: throughput added, latency of the slower host.",
        "",
        "| endpoint | shape | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, where, r in rows:
        lines.append(
            f"| {label} | {where} | {r['rps']:.0f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
            f"| {r['p99_ms']:.0f} | {r['errors']} |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_block(block: str) -> None:
    """Replace the text between the markers, adding them at the end of the file if absent."""
    text = REPORT.read_text()
    if START not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    REPORT.write_text(head + block + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=8, help="in total, per shape")
    args = parser.parse_args()
    for name in [n for n in os.environ if n.startswith("LEARN_")]:
        del os.environ[name]  # each shape says everything it uses
    with tempfile.TemporaryDirectory(prefix="learn-scaleout-") as tmp:
        work = Path(tmp)
        rows = embedded(work, args.seconds, args.connections)
        rows += scale_out(work, args.seconds, args.connections)
    block = table(rows, args.seconds, args.connections)
    write_block(block)
    print(block)


if __name__ == "__main__":
    main()
