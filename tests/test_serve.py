"""``learn serve`` starts a real server process that answers /healthz (one and two workers)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL, empty_database

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return {"status": response.status, "body": response.read().decode()}
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not answer")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_health_checks(app, tmp_path, workers):
    empty_database()  # `learn init` builds the schema from the migrations
    env = dict(os.environ, LEARN_DATA_DIR=str(tmp_path / "data"))
    if TEST_DATABASE_URL:
        env["LEARN_DATABASE_URL"] = TEST_DATABASE_URL
    learn = [sys.executable, "-m", "learn"]
    subprocess.run([*learn, "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [*learn, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        answer = _wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        assert answer["status"] == 200
        assert '"status":"ok"' in answer["body"].replace(" ", "")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
