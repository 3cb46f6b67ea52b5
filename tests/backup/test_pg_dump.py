"""The documented PostgreSQL procedure (pg_dump -Fc → pg_restore) reproduces every row."""

import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from learn.backup import table_fingerprint
from learn.config import sqlalchemy_url
from learn.extensions import db
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not (TEST_DATABASE_URL and shutil.which("pg_dump")),
    reason="needs LEARN_TEST_DATABASE_URL on PostgreSQL and pg_dump",
)


def test_pg_dump_and_restore_round_trip(app, runner, tmp_path):
    assert runner.invoke(args=["demo"]).exit_code == 0
    url = make_url(sqlalchemy_url(TEST_DATABASE_URL))
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "learn.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), plain], check=True)
    copy_name = f"learn_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{copy_name}"'))
    copy_url = url.set(database=copy_name)
    try:
        target = copy_url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], check=True)
        copy_engine = create_engine(copy_url)
        with copy_engine.connect() as copy_conn, db.engine.connect() as conn:
            assert table_fingerprint(copy_conn) == table_fingerprint(conn)
        copy_engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{copy_name}"'))
        admin.dispose()
