"""Backup → restore reproduces the data exactly (row counts and checksums)."""

import io
import tarfile

import pytest
from sqlalchemy import select

from learn.accounts import User
from learn.backup import table_fingerprint
from learn.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="learn backup is for the embedded SQLite shape"
)


def _fingerprint():
    with db.engine.connect() as conn:
        return table_fingerprint(conn)


def test_backup_then_restore_reproduces_every_row(app, runner, tmp_path):
    runner.invoke(args=["demo"])
    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "abc.pdf").write_bytes(b"%PDF-1.4 test")
    db.session.commit()
    before = _fingerprint()
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    make_user("after_backup")
    (uploads / "abc.pdf").unlink()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _fingerprint() == before
    assert db.session.scalar(select(User).where(User.username == "after_backup")) is None
    assert (uploads / "abc.pdf").read_bytes() == b"%PDF-1.4 test"


def test_a_damaged_archive_changes_nothing(app, runner, tmp_path):
    make_user("keeper")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not an archive")
    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code != 0
    assert "已损坏" in result.output
    db.session.remove()
    assert db.session.scalar(select(User).where(User.username == "keeper")) is not None


def test_tampered_archive_is_refused(app, runner, tmp_path):
    make_user("keeper")
    archive = tmp_path / "b.tar.gz"
    runner.invoke(args=["backup", str(archive)])
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            if member.name == "manifest.json":
                text = data.read().replace(b'"rows": 1', b'"rows": 2', 1)
                member.size = len(text)
                data = io.BytesIO(text)
            dst.addfile(member, data)
    result = runner.invoke(args=["restore", str(tampered), "--yes"])
    assert result.exit_code != 0
    assert "校验失败" in result.output
