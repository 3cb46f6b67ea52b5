"""Create and restore backup archives (tar.gz with manifest.json, learn.sqlite3, uploads/)."""

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from learn.core.db import utcnow
from learn.errors import LearnError
from learn.extensions import db

DB_NAME = "learn.sqlite3"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
UPLOADS = "uploads"
INDEX_PREFIX = "index"  # search index directories under the data directory


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: dict[str, dict]


def _sqlite_path() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise LearnError(
            "learn backup 仅用于内置 SQLite 部署；"
            "PostgreSQL 请使用 pg_dump / pg_restore（见 docs/deployment.md）。"
        )
    return Path(url.database)


def table_fingerprint(connection) -> dict[str, dict]:
    """Row count and a SHA-256 over every row (in primary-key order) of each table."""
    result = {}
    meta_tables = db.metadata.sorted_tables
    present = set(inspect(connection).get_table_names())
    for table in meta_tables:
        if table.name not in present:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        count = 0
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
            count += 1
        result[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def create_backup(data_dir: Path, target: Path) -> BackupReport:
    """Write a consistent archive of the database and uploads to ``target``."""
    source = _sqlite_path()
    target = target.resolve()
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        copy = Path(tmp) / DB_NAME
        _snapshot(source, copy)
        snapshot = create_engine(f"sqlite:///{copy}")
        with snapshot.connect() as conn:
            tables = table_fingerprint(conn)
            revision = []
            if inspect(conn).has_table("alembic_version"):
                revision = (
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                )
        snapshot.dispose()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": utcnow().isoformat(),
            "alembic_revisions": revision,
            "tables": tables,
        }
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / MANIFEST, MANIFEST)
            archive.add(copy, DB_NAME)
            uploads = data_dir / UPLOADS
            if uploads.is_dir():
                archive.add(uploads, UPLOADS)
        os.replace(partial, target)  # a killed backup never leaves a truncated archive
    return BackupReport(target, tables)


def _snapshot(source: Path, copy: Path) -> None:
    """Copy a consistent snapshot while the site keeps running (sqlite3's backup API).

    The copy is switched out of WAL mode so that the single file holds everything.
    """
    src, dst = sqlite3.connect(source), sqlite3.connect(copy)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or member.issym() or member.islnk():
            raise LearnError(f"备份文件包含不安全的路径：{member.name}")
        yield member


def restore_backup(data_dir: Path, source: Path) -> BackupReport:
    """Replace the database and uploads with the archive's, after verifying its manifest.

    Run with the site stopped. The search index is removed so that it is rebuilt
    from the restored database on the next start.
    """
    target_db = _sqlite_path()
    if not source.is_file():
        raise LearnError(f"找不到备份文件：{source}")
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(tmp, members=list(_safe_members(archive)))
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise LearnError(f"备份文件已损坏或格式不对：{exc}") from exc
        manifest_path = Path(tmp) / MANIFEST
        if not manifest_path.is_file() or not (Path(tmp) / DB_NAME).is_file():
            raise LearnError("备份文件缺少 manifest.json 或数据库文件，无法恢复。")
        manifest = json.loads(manifest_path.read_text())
        check = create_engine(f"sqlite:///{Path(tmp) / DB_NAME}")
        with check.connect() as conn:
            found = table_fingerprint(conn)
        check.dispose()
        if found != manifest["tables"]:
            raise LearnError("备份文件校验失败：数据与清单不一致，未做任何更改。")
        db.session.remove()
        db.engine.dispose()
        # Stale WAL files of the old database would be replayed into the restored one.
        for suffix in ("-wal", "-shm"):
            Path(f"{target_db}{suffix}").unlink(missing_ok=True)
        os.replace(Path(tmp) / DB_NAME, target_db)
        uploads = data_dir / UPLOADS
        if uploads.exists():
            shutil.rmtree(uploads)
        if (Path(tmp) / UPLOADS).is_dir():
            os.replace(Path(tmp) / UPLOADS, uploads)
    for index_dir in data_dir.glob(f"{INDEX_PREFIX}*"):
        if index_dir.is_dir():
            shutil.rmtree(index_dir)
    return BackupReport(source, manifest["tables"])
