"""Start and stop real server processes for the HTTP benchmarks (loopback only)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


PORTS = range(8200, 8300)  # the range set aside for the benchmarks on this host


def free_port() -> int:
    """The first port of ``PORTS`` nobody listens on."""
    for port in PORTS:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> float:
    """Poll ``url`` until it answers 200; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {seconds}s")


@contextmanager
def learn_server(env: dict, workers: int = 2, threads: int = 4):
    """Run ``learn serve`` and yield (base url, process, seconds to first response)."""
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "learn",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
        yield f"http://127.0.0.1:{port}", proc, time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def hello_server(workers: int = 2, threads: int = 4):
    """The bare Flask app under the same gunicorn settings as ``learn serve``."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "hello_app:app",
        ],
        cwd=ROOT / "bench",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/hello", proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def session_cookie(base: str, username: str, password: str) -> str:
    """Log in through the real form and return the Cookie header value."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = CSRF_RE.search(page).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "username": username, "password": password}
    ).encode()
    opener.open(f"{base}/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def rss_mb(proc: subprocess.Popen) -> list[float]:
    """Resident memory of each child (worker) process of ``proc``, in MB."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    sizes = []
    for pid in children or [str(proc.pid)]:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes
