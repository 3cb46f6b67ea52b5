"""Backup → restore gives back exactly the data of the moment of the backup, in every table.

tests/backup checks the archive's own manifest (the tables the models declare) on the
demo content. Here the schema comes from the migrations, as on a real site, every
table (reflected from the database, ``alembic_version`` included) holds rows, and the
comparison is made by an independent fingerprint: row count and a checksum of every
row in primary-key order. On PostgreSQL the documented pg_dump / pg_restore procedure
(docs/deployment.md) is held to the same standard.
"""

import shutil
import subprocess
import uuid

import pytest
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from learn.config import sqlalchemy_url
from learn.extensions import db
from tests.conftest import TEST_DATABASE_URL, empty_database
from tests.reliability.rows import fill_empty_tables, reflect, snapshot


def _every_table_filled() -> None:
    db.session.remove()
    empty_database()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(directory=current_app.config["MIGRATIONS_DIR"], revision="heads")
    with db.engine.begin() as conn:
        fill_empty_tables(conn)


def _state(engine) -> dict:
    with engine.connect() as conn:
        return {
            "tables": snapshot(conn),
            "revision": conn.scalars(text("SELECT version_num FROM alembic_version")).all(),
        }


def _change_everything() -> None:
    """Delete a row from each table nothing points at; add a user; move the revision."""
    with db.engine.begin() as conn:
        meta = reflect(conn)
        users = meta.tables["users"]
        row = conn.execute(select(users).limit(1)).mappings().one()
        conn.execute(insert(users).values({**row, "username": "after_backup"} | {"id": 10_000}))
        conn.execute(text("UPDATE alembic_version SET version_num = 'elsewhere'"))
        for table in reversed(meta.sorted_tables):
            if table.name in ("users", "alembic_version"):
                continue
            first = conn.execute(select(*table.primary_key.columns).limit(1)).first()
            if first is None:
                continue
            try:
                with conn.begin_nested():
                    conn.execute(
                        delete(table).where(
                            *(
                                col == v
                                for col, v in zip(table.primary_key.columns, first, strict=True)
                            )
                        )
                    )
            except IntegrityError:
                pass  # another table's rows point at it


def test_backup_then_restore_gives_back_every_table_exactly(app, runner, tmp_path):
    if TEST_DATABASE_URL:
        pytest.skip("learn backup is for the embedded SQLite shape; see the pg_dump test")
    _every_table_filled()
    before = _state(db.engine)
    assert len(before["tables"]) > 50 and all(t["rows"] for t in before["tables"].values())
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    _change_everything()
    assert _state(db.engine) != before
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    db.engine.dispose()
    assert _state(db.engine) == before


@pytest.mark.skipif(
    not (TEST_DATABASE_URL and shutil.which("pg_dump")),
    reason="needs LEARN_TEST_DATABASE_URL on PostgreSQL and pg_dump",
)
def test_pg_dump_and_restore_give_back_every_table_exactly(app, tmp_path):
    _every_table_filled()
    before = _state(db.engine)
    url = make_url(sqlalchemy_url(TEST_DATABASE_URL))
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "learn.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), plain], check=True)
    _change_everything()
    copy_name = f"learn_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{copy_name}"'))
    copy_url = url.set(database=copy_name)
    try:
        target = copy_url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], check=True)
        copy_engine = create_engine(copy_url)
        assert _state(copy_engine) == before
        copy_engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{copy_name}"'))
        admin.dispose()
