"""Notice and undo any change to the database, so one world serves every request.

A refused request must leave every table as it was; an allowed one may change things
(submit a case, sign an agreement), and is undone before the next request so that each
outcome is judged on the same world. Works on SQLite and PostgreSQL alike.
"""

from sqlalchemy import Table, and_, null, select


class DatabaseState:
    """The baseline rows of every table, a cheap way to see what changed, and an undo."""

    def __init__(self, engine, metadata):
        self.engine = engine
        self.tables: list[Table] = list(metadata.sorted_tables)
        if engine.dialect.name == "postgresql":
            # one round trip: an order-independent digest per table
            self._digest_sql = " UNION ALL ".join(
                f"SELECT '{t.name}', (SELECT md5(coalesce(string_agg(x::text, '|' "
                f"ORDER BY x::text), '')) FROM \"{t.name}\" x)"
                for t in self.tables
            )
        self.baseline = self._rows(self.tables)
        self.baseline_digest = self.digest()
        self._changed: list[str] = []
        self._watcher = engine.raw_connection()
        self._data_version = None
        self._committed_since_last_look()

    def digest(self) -> dict[str, object]:
        """A value per table that changes whenever any of its rows does."""
        # the driver's own cursor: SQLAlchemy rows would make this the slowest part of the test
        conn = self.engine.raw_connection()
        try:
            cursor = conn.cursor()
            if self.engine.dialect.name == "postgresql":
                cursor.execute(self._digest_sql)
                return dict(cursor.fetchall())
            found = {}
            for table in self.tables:
                cursor.execute(f'SELECT * FROM "{table.name}"')
                found[table.name] = hash(tuple(sorted(map(repr, cursor.fetchall()))))
            return found
        finally:
            conn.rollback()
            conn.close()

    def changed_tables(self) -> list[str]:
        """Tables that differ from the baseline."""
        if not self._committed_since_last_look():
            return self._changed
        now = self.digest()
        self._changed = [n for n, value in now.items() if value != self.baseline_digest[n]]
        return self._changed

    def _committed_since_last_look(self) -> bool:
        """Whether anything may have been written since the last call.

        SQLite counts commits by other connections (``data_version``); PostgreSQL hands out
        a transaction id only to transactions that write, so an unchanged snapshot xmax
        means nothing was written (other databases on the server only cause extra looks).
        """
        cursor = self._watcher.cursor()
        if self.engine.dialect.name == "postgresql":
            cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
        else:
            cursor.execute("PRAGMA data_version")
        version = cursor.fetchone()[0]
        if self.engine.dialect.name == "postgresql":
            self._watcher.rollback()  # a fresh snapshot next time
        changed, self._data_version = version != self._data_version, version
        return changed

    def close(self) -> None:
        self._watcher.close()

    def restore(self, names: list[str]) -> None:
        """Put the rows of tables ``names`` back as they were in the baseline."""
        tables = [t for t in self.tables if t.name in names]
        current = self._rows(tables)
        with self.engine.begin() as conn:
            for table in reversed(tables):
                gone = current[table.name].keys() - self.baseline[table.name].keys()
                for key in gone:
                    conn.execute(table.delete().where(_pk_match(table, key)))
            for table in tables:
                old, new = self.baseline[table.name], current[table.name]
                for key in sorted(old.keys() - new.keys()):
                    conn.execute(table.insert().values(_sql_values(old[key])))
                for key in old.keys() & new.keys():
                    if old[key] != new[key]:
                        where = _pk_match(table, key)
                        conn.execute(table.update().where(where).values(_sql_values(old[key])))

    def _rows(self, tables) -> dict[str, dict[tuple, dict]]:
        with self.engine.connect() as conn:
            return {
                t.name: {
                    tuple(row[c.name] for c in t.primary_key.columns): row
                    for row in (dict(r._mapping) for r in conn.execute(select(t)))
                }
                for t in tables
            }


def _sql_values(row: dict) -> dict:
    # SQL NULL, not the JSON 'null' a JSON column would otherwise store for None
    return {name: null() if value is None else value for name, value in row.items()}


def _pk_match(table: Table, key: tuple):
    return and_(*(c == v for c, v in zip(table.primary_key.columns, key, strict=True)))
