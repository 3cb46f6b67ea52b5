"""Upgrading keeps every row: walk the Alembic chain one revision at a time, filling
each table as soon as it exists, and check at the head that every row is still
there with the values of the columns it was written with.

``PREVIOUS_RELEASE`` is the schema head of the last release: a site upgrading from
it is the upgrade that matters most, so it has a test of its own.
"""

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from learn.extensions import db
from tests.conftest import empty_database
from tests.reliability.rows import fill_empty_tables, fingerprint, reflect, snapshot

PREVIOUS_RELEASE = "c893549feb44"


def _chain() -> list[str]:
    """Every revision from the first to the single head, in upgrade order."""
    script = ScriptDirectory(current_app.config["MIGRATIONS_DIR"])
    assert len(script.get_heads()) == 1, "the migrations must have a single head"
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def _upgrade(revision: str) -> None:
    upgrade(directory=current_app.config["MIGRATIONS_DIR"], revision=revision)


def _fill() -> dict[str, dict]:
    """Fill the empty tables; return their fingerprints as written."""
    with db.engine.begin() as conn:
        filled = fill_empty_tables(conn)
    with db.engine.connect() as conn:
        return snapshot(conn, filled)


def _assert_kept(written: dict[str, dict]) -> None:
    with db.engine.connect() as conn:
        meta = reflect(conn)
        missing = sorted(set(written) - set(meta.tables))
        assert not missing, f"tables dropped by the upgrade: {missing}"
        now = {name: fingerprint(conn, meta, name, fp["columns"]) for name, fp in written.items()}
    changed = {name: (written[name], now[name]) for name in written if written[name] != now[name]}
    assert not changed, f"rows lost or altered by the upgrade (before, after): {changed}"


def _fresh_database() -> None:
    db.session.remove()
    empty_database()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_every_step_from_base_to_head_keeps_every_row(app):
    _fresh_database()
    written = {}
    chain = _chain()
    for revision in chain:
        _upgrade(revision)
        written |= _fill()
    assert set(written) >= {"users", "case_studies", "drill_sessions"}
    assert all(fp["rows"] > 0 for fp in written.values())
    _assert_kept(written)


def test_upgrade_from_the_previous_release_keeps_every_row(app):
    _fresh_database()
    assert PREVIOUS_RELEASE in _chain()
    _upgrade(PREVIOUS_RELEASE)
    written = _fill()
    assert "users" in written
    _upgrade("heads")
    _assert_kept(written)
