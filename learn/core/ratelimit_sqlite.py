"""Rate-limit counters in a SQLite file of the data directory (embedded shape).

Flask-Limiter's ``memory://`` store lives inside one process, so ``learn serve
--workers N`` without Redis would count every worker's login attempts apart and
allow N times the limit. This store is shared by every process of the host.
Fixed windows only (Flask-Limiter's default strategy).
"""

import sqlite3
import threading
import time
from typing import ClassVar

from limits.storage import Storage

SCHEME = "learn+sqlite"


class SqliteStorage(Storage):
    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self._local = threading.local()
        conn = self._db()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS limits "
            "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
        )
        conn.execute("DELETE FROM limits WHERE expires <= ?", (time.time(),))

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        # One statement, so two workers cannot both read the old count.
        return (
            self._db()
            .execute(
                "INSERT INTO limits (key, count, expires) VALUES (?1, ?2, ?3) "
                "ON CONFLICT(key) DO UPDATE SET "
                "count = CASE WHEN expires <= ?4 THEN ?2 ELSE count + ?2 END, "
                "expires = CASE WHEN expires <= ?4 THEN ?3 ELSE expires END "
                "RETURNING count",
                (key, amount, now + expiry, now),
            )
            .fetchone()[0]
        )

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute("SELECT count FROM limits WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires FROM limits WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM limits").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM limits WHERE key = ?", (key,))
