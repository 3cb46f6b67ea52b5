"""Drive a URL with wrk (bounded in time, loopback only) and return its figures."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

LUA = Path(__file__).with_name("wrk_report.lua")


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 8,
    threads: int = 2,
    cookie: str | None = None,
    headers: dict[str, str] | None = None,
    paths: list[str] | None = None,
) -> dict:
    """Run wrk against ``url`` (cycling through ``paths`` on that host if given).

    Returns requests/s, p50/p95/p99 in ms and the error count (socket errors,
    timeouts and non-2xx/3xx answers).
    """
    if not url.startswith("http://127.0.0.1"):
        raise ValueError("benchmarks only target loopback addresses")
    headers = dict(headers or {})
    if cookie:
        headers["Cookie"] = cookie
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd += ["--timeout", "10s", "-s", str(LUA), url]
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths or []))
    try:
        env = {**os.environ, "WRK_PATHS": listing.name} if paths else None
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    finally:
        os.unlink(listing.name)
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result
