"""Drive a URL with wrk (bounded in time, loopback only) and return its figures."""

import json
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("wrk_report.lua")


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 8,
    threads: int = 2,
    cookie: str | None = None,
) -> dict:
    """Run wrk against ``url``; return requests/s, p50/p95/p99 in ms and the error count."""
    if not url.startswith("http://127.0.0.1"):
        raise ValueError("benchmarks only target loopback addresses")
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result
