"""The results table in docs/performance.md, merged across runs part by part.

Each part (library, search, http, pg) keeps its latest rows in
``bench/results.json`` with the date, commit and size of the run that measured
it, so ``--only`` re-measures one part without dropping the others.
"""

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
STORE = Path(__file__).with_name("results.json")
RESULTS_START = "<!-- bench:results -->"
RESULTS_END = "<!-- /bench:results -->"
PART_ORDER = ("search", "http", "library", "pg")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{out}+changes" if dirty else out


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def sized_verdict(ok: bool, at_target: bool) -> str:
    """Below the target size only a miss counts: a bigger corpus is never faster."""
    if at_target:
        return verdict(ok)
    return "not at target size" if ok else "**missed** already at this size"


def save(part: str, size: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Record ``rows`` (what, measured, target, verdict) as the latest figures of ``part``."""
    store = json.loads(STORE.read_text()) if STORE.exists() else {}
    store[part] = {
        "date": datetime.date.today().isoformat(),
        "commit": commit(),
        "size": size,
        "load": round(os.getloadavg()[0], 1),
        "rows": rows,
    }
    STORE.write_text(json.dumps(store, ensure_ascii=False, indent=1) + "\n")


def write_report() -> None:
    store = json.loads(STORE.read_text()) if STORE.exists() else {}
    lines = [RESULTS_START, f"Machine: {machine()}.", ""]
    lines += ["| what | corpus | measured | target | |", "|---|---|---|---|---|"]
    for part in (p for p in PART_ORDER if p in store):
        entry = store[part]
        load = f", load {entry['load']}" if "load" in entry else ""
        size = f"{entry['size']} ({entry['date']}, `{entry['commit']}`{load})"
        lines += [f"| {a} | {size} | {b} | {c} | {d} |" for a, b, c, d in entry["rows"]]
    lines.append(RESULTS_END)
    text = (
        REPORT.read_text()
        if REPORT.exists()
        else f"# Performance\n\n{RESULTS_START}\n{RESULTS_END}\n"
    )
    head, _, rest = text.partition(RESULTS_START)
    _, _, tail = rest.partition(RESULTS_END)
    REPORT.write_text(head + "\n".join(lines) + tail)
