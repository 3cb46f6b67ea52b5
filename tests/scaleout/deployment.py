"""Start the two deployment shapes as real server processes with the installed ``learn`` CLI.

scale-out (``LEARN_TEST_DATABASE_URL`` set): two app processes on two ports, each with its
own data directory, sharing that PostgreSQL database (also the search backend) and Redis.
embedded (default): SQLite + Whoosh in one data directory, ``learn serve --workers 2``;
the two "hosts" are two clients of the same port, so requests land on either worker.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8100, 8200)
REDIS_URL = os.environ.get("LEARN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
LOGIN_LIMIT = 6  # failed logins per username and minute, small so the test reaches it
PASSWORD = "learn2026"  # of the demo accounts


@dataclass
class Deployment:
    shape: str
    hosts: list[str]  # base URL of host A and host B
    env: dict[str, str]  # the LEARN_* settings every process of the deployment shares
    secret_key: str
    database_url: str
    search_backend: str
    data_dir: Path
    redis_url: str | None
    logs: list[Path] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def log_tail(self, lines: int = 80) -> str:
        parts = []
        for log in self.logs:
            text = log.read_text(errors="replace").splitlines() if log.exists() else []
            parts.append(f"--- {log.name} (last {lines} lines)\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)

    def stop(self) -> None:
        stop_processes(self.processes)


def learn_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m learn``."""
    script = Path(sys.executable).with_name("learn")
    return [str(script)] if script.exists() else [sys.executable, "-m", "learn"]


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {PORTS.start}–{PORTS.stop - 1}")


def clean_env(settings: dict[str, str]) -> dict[str, str]:
    """This environment without any inherited LEARN_* setting, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARN_")}
    return {**env, "PYTHONUNBUFFERED": "1", **settings}


def run_cli(settings: dict[str, str], log: Path, *args: str) -> None:
    with log.open("a") as out:
        out.write(f"$ learn {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [*learn_command(), *args],
            cwd=ROOT,
            env=clean_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=180,
        )
    if result.returncode:
        raise RuntimeError(f"learn {' '.join(args)} failed:\n{log.read_text()[-4000:]}")


def start_server(settings: dict[str, str], port: int, workers: int, log: Path):
    out = log.open("w")
    # A session of its own, so stopping it also stops gunicorn's worker processes.
    proc = subprocess.Popen(
        [*learn_command(), "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=clean_env(settings),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    out.close()
    return proc


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """Stop servers together (each shutdown takes seconds); kill what does not stop."""
    running = [proc for proc in processes if proc.poll() is None]
    for proc in running:
        # The whole session: gunicorn's master and its workers.
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in running:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{base} exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not answer /healthz within {seconds:.0f} s")


def common_settings(secret_key: str) -> dict[str, str]:
    return {
        "LEARN_SECRET_KEY": secret_key,
        "LEARN_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        # One (simulated) reverse proxy in front: X-Forwarded-For is the client address.
        "LEARN_PROXY_COUNT": "1",
    }


def start(deployment: Deployment, settings_per_host: list[dict], workers: int) -> None:
    ports = free_ports(len(settings_per_host))
    for index, (settings, port) in enumerate(zip(settings_per_host, ports, strict=True)):
        log = deployment.data_dir.parent / f"host-{'AB'[index]}.log"
        deployment.logs.append(log)
        deployment.processes.append(start_server(settings, port, workers, log))
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, proc, log in zip(
            bases, deployment.processes, deployment.logs[-len(bases) :], strict=True
        ):
            wait_healthy(base, proc, log)
    except BaseException:
        deployment.stop()
        raise
    deployment.hosts = bases if len(bases) == 2 else bases * 2


def scale_out(workdir: Path, database_url: str) -> Deployment:
    """Two app hosts (`learn serve --workers 2` each, as docs/deployment.md shows) on
    PostgreSQL (database and search) and Redis."""
    secret_key = secrets.token_hex(32)
    shared = {
        **common_settings(secret_key),
        "LEARN_DATABASE_URL": database_url,
        "LEARN_REDIS_URL": REDIS_URL,
        "LEARN_SEARCH_BACKEND": "postgres",
    }
    hosts = [{**shared, "LEARN_DATA_DIR": str(workdir / f"host-{name}")} for name in "ab"]
    deployment = Deployment(
        "scale-out", [], shared, secret_key, database_url, "postgres", workdir / "host-a", REDIS_URL
    )
    prepare = workdir / "prepare.log"
    deployment.logs.append(prepare)
    run_cli(hosts[0], prepare, "init")
    run_cli(hosts[0], prepare, "demo")
    start(deployment, hosts, workers=2)
    return deployment


def embedded(workdir: Path) -> Deployment:
    """One host: SQLite + Whoosh in one data directory, two gunicorn workers."""
    secret_key = secrets.token_hex(32)
    data_dir = workdir / "data"
    settings = {**common_settings(secret_key), "LEARN_DATA_DIR": str(data_dir)}
    deployment = Deployment(
        "embedded",
        [],
        settings,
        secret_key,
        f"sqlite:///{data_dir / 'learn.sqlite3'}",
        "whoosh",
        data_dir,
        None,
    )
    prepare = workdir / "prepare.log"
    deployment.logs.append(prepare)
    run_cli(settings, prepare, "init")
    run_cli(settings, prepare, "demo")
    start(deployment, [settings], workers=2)
    return deployment
