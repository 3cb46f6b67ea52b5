"""Run the benchmark suite and write the results table to docs/performance.md.

    .venv/bin/python bench/run.py [--seconds 10]

Every figure comes from this machine in this run; ratios between parts measured
side by side are more meaningful than absolute times on a shared 2-core host.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import wrk
from servers import hello_server, learn_server, rss_mb, session_cookie

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
RESULTS_START = "<!-- bench:results -->"
RESULTS_END = "<!-- /bench:results -->"


def learn_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "learn", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cores = os.cpu_count()
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {cores} cores{mem}, Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def http_pages(env: dict, seconds: int) -> list[tuple[str, str, str, str]]:
    """Page throughput against a bare hello app, cold start and worker memory."""
    rows = []
    with hello_server() as (hello_base, _proc):
        hello = wrk(f"{hello_base}/hello", seconds=seconds)
    with learn_server(env) as (base, proc, cold_start):
        cookie = session_cookie(base, "xueyuan", "learn2026")
        pages = {"首页 /": "/"}
        pages.update(extra_pages(base, cookie))
        for label, path in pages.items():
            result = wrk(f"{base}{path}", seconds=seconds, cookie=cookie)
            share = result["rps"] / hello["rps"] * 100
            rows.append(
                (
                    f"{label} throughput, 2 workers",
                    f"{result['rps']:.0f} req/s = {share:.0f}% of hello "
                    f"({hello['rps']:.0f} req/s); "
                    f"p95 {result['p95_ms']:.0f} ms; errors {result['errors']}",
                    "≥ 40% of hello",
                    "met" if share >= 40 and not result["errors"] else "missed",
                )
            )
        memory = rss_mb(proc)
    rows.append(
        (
            "cold start: `learn serve` to first response",
            f"{cold_start:.2f} s",
            "≤ 2 s",
            "met" if cold_start <= 2 else "missed",
        )
    )
    rows.append(
        (
            "memory per worker after the load run",
            ", ".join(f"{m:.0f} MB" for m in memory),
            "≤ 200 MB RSS",
            "met" if memory and max(memory) <= 200 else "missed",
        )
    )
    return rows


def extra_pages(base: str, cookie: str) -> dict[str, str]:
    """Pages of the domains that exist in this checkout (e.g. a lesson page)."""
    return {}


def write_report(rows: list[tuple[str, str, str, str]]) -> None:
    lines = [
        RESULTS_START,
        f"Run {datetime.date.today().isoformat()} at commit `{commit()}` on {machine()}; "
        "demo content (`learn demo`).",
        "",
        "| what | measured | target | |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        RESULTS_END,
    ]
    text = (
        REPORT.read_text()
        if REPORT.exists()
        else "# Performance\n\n" + RESULTS_START + "\n" + RESULTS_END + "\n"
    )
    head, _, rest = text.partition(RESULTS_START)
    _, _, tail = rest.partition(RESULTS_END)
    REPORT.write_text(head + "\n".join(lines) + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="learn-bench-") as tmp:
        env = {"LEARN_DATA_DIR": tmp, "LEARN_LOGIN_RATE_LIMIT": "100000 per minute"}
        env.pop("LEARN_DATABASE_URL", None)
        learn_cli(env, "init")
        learn_cli(env, "demo")
        rows = http_pages(env, args.seconds)
    write_report(rows)
    print(REPORT.read_text())


if __name__ == "__main__":
    main()
