"""Run a ``learn`` command in a real subprocess and SIGKILL it once it is visibly at work.

"At work" is read from the outside, never from a hook in the application: the
database write lock (SQLite) or a transaction that has written (PostgreSQL), the
search writer's lease, a file appearing. Operations are made big enough that they
are still running when the kill lands; a command that finished first fails the
test, because it proved nothing.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text

from learn.core.db import utcnow
from learn.extensions import db
from learn.search.lease import WRITER
from learn.search.models import SearchLease
from tests.conftest import TEST_DATABASE_URL

WAIT_SECONDS = 120  # for the condition to show; far above what a loaded CI machine needs


def start(*args: str) -> subprocess.Popen:
    """Start ``learn ARGS`` on the test app's data directory and database."""
    env = {
        **os.environ,
        "LEARN_DATA_DIR": current_app.config["DATA_DIR"],
        "LEARN_SEARCH_WORKER": "0",
    }
    if TEST_DATABASE_URL:
        env["LEARN_DATABASE_URL"] = TEST_DATABASE_URL
    db.session.remove()  # hold no lock or snapshot while the command runs
    return subprocess.Popen(
        [sys.executable, "-m", "learn", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_when(process: subprocess.Popen, condition: Callable[[], bool]) -> None:
    """SIGKILL ``process`` as soon as ``condition()`` holds; fail if it ended first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            raise AssertionError(f"the command ended before it could be killed:\n{output}")
        assert time.monotonic() < deadline, "the command never reached the point to kill it"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    _wait_for_server_cleanup()


def _wait_for_server_cleanup() -> None:
    """PostgreSQL ends a dead client's backend (rolling back) once it notices the socket."""
    if db.engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while _other_writers():
        assert time.monotonic() < deadline, "the killed command's transaction never ended"
        time.sleep(0.05)


def _other_writers() -> int:
    with db.engine.connect() as conn:
        return conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        )


def writing() -> bool:
    """Whether another process has an open transaction that has written to the database."""
    if db.engine.dialect.name == "postgresql":
        return _other_writers() > 0
    probe = sqlite3.connect(Path(db.engine.url.database), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True  # "database is locked": a writer holds the reserved lock
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def writer_lease_held() -> bool:
    """Whether some process holds the search writer's lease right now."""
    with db.engine.connect() as conn:
        expires = conn.scalar(select(SearchLease.expires_at).where(SearchLease.name == WRITER))
    return expires is not None and expires > utcnow()


def expire_writer_lease() -> None:
    """Let the lease of a killed writer lapse now instead of after its LEASE_SECONDS."""
    with db.engine.begin() as conn:
        conn.execute(SearchLease.__table__.update().values(expires_at=utcnow()))
