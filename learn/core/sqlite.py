"""Connection settings for the embedded SQLite database.

WAL lets readers run while one process writes (several gunicorn workers and the
background index writer share the file); the busy timeout makes a second writer
wait for the first instead of failing at once; foreign keys make SQLite enforce
the same ``ON DELETE`` rules as PostgreSQL.
"""

from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_pragmas)


def _set_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
