"""A ``learn`` command SIGKILLed in the middle of its work loses nothing.

- a case import and a course content sync: all or nothing, so every table is as it was;
- a search index rebuild: the previous index keeps serving, the next rebuild works;
- an outbox drain (the index sync): the index keeps serving and every change is
  still pending, applied by the next drain;
- a backup: no archive at the final name (it is written aside and renamed).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bench.casegen import generate
from learn.accounts import Role
from learn.accounts import services as accounts
from learn.cases import CaseStudy
from learn.cases import services as cases
from learn.cases.models import CaseStatus
from learn.config import PROJECT_ROOT
from learn.content.cases import load_case_files
from learn.extensions import db
from learn.search.backends.base import Filters
from learn.search.backends.whoosh_index import CURRENT_FILE, WhooshBackend
from learn.search.indexer import Writer
from learn.search.outbox import SearchOutbox, record_change
from learn.search.params import SearchParams
from learn.search.services import backend, search_cases
from tests.factories import make_user
from tests.reliability.killing import (
    expire_writer_lease,
    kill_when,
    start,
    writer_lease_held,
    writing,
)
from tests.reliability.rows import snapshot
from tests.search.factories import index_now, library_files, publish

LIBRARY = ("gongkuan-chihe-2021-01", "gongche-siyong-2017-01", "dibao-maoling-2022-01")
GENERATED = 60  # enough that each command is still at work when the kill lands
COURSE_COPIES = 3  # of each bundled course, under new ids


def _every_table() -> dict:
    with db.engine.connect() as conn:
        return snapshot(conn)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _found(username: str, q: str) -> set[str]:
    user = accounts.get_user_by_username(username)
    outcome = search_cases(user, SearchParams(q=q, filters=Filters(), per_page=50))
    return {hit.id for hit in outcome.hits}


def _whoosh_only():
    if backend().name != "whoosh":
        pytest.skip("index directories: Whoosh backend only")


@pytest.fixture
def indexed(app):
    """An admin (its username) and an index of three published cases."""
    admin = make_user("importer", Role.ADMIN, name="导入管理员")
    publish(admin, library_files(*LIBRARY))
    index_now()
    assert _found(admin.username, "公款吃喝") >= {"gongkuan-chihe-2021-01"}
    return admin.username


def _published_generated(tmp_path: Path, with_changes: bool = False) -> list[str]:
    """Many published cases, cheaply: imported for review, then marked published.

    Publishing each through the anonymization gate would take far longer and is
    not what is under test here.
    """
    folder = tmp_path / "generated"
    generate(folder, GENERATED)
    files, errors = load_case_files([folder])
    assert not errors
    cases.import_cases(None, files)
    ids = [f.id for f in files]
    db.session.execute(
        update(CaseStudy).where(CaseStudy.id.in_(ids)).values(status=CaseStatus.PUBLISHED)
    )
    for case_id in ids if with_changes else ():
        record_change("case", case_id)
    db.session.commit()
    return ids


def test_a_killed_case_import_imports_nothing(app, runner, tmp_path):
    make_user("importer", Role.ADMIN, name="导入管理员")
    folder = tmp_path / "cases"
    generate(folder, GENERATED)
    before = _every_table()
    process = start("cases", "import", str(folder), "--publish", "--user", "importer")
    kill_when(process, writing)
    assert _every_table() == before
    small = tmp_path / "small"
    generate(small, 2, seed=3)
    result = runner.invoke(args=["cases", "import", str(small), "--user", "importer"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _count(CaseStudy) == 2


def _course_copies(folder: Path) -> None:
    """COURSE_COPIES of every bundled course, each under a new id and title."""
    for n in range(COURSE_COPIES):
        for course in (PROJECT_ROOT / "courses").glob("*/course.md"):
            copy = folder / f"{course.parent.name}-{n}"
            shutil.copytree(course.parent, copy)
            text = (copy / "course.md").read_text("utf-8")
            text = re.sub(r"^(id|title): (.+)$", rf"\1: \2-{n}", text, count=2, flags=re.M)
            (copy / "course.md").write_text(text, "utf-8")


def test_a_killed_content_sync_writes_no_course(app, runner, tmp_path):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    folder = tmp_path / "courses"
    _course_copies(folder)
    before = _every_table()
    process = start("content", "sync", "--dir", str(folder))
    kill_when(process, writing)
    assert _every_table() == before  # the bundled courses are neither archived nor changed


def test_a_killed_rebuild_leaves_the_previous_index_serving(indexed, tmp_path):
    _whoosh_only()
    root = backend().root
    serving = (root / CURRENT_FILE).read_text()
    generated = _published_generated(tmp_path)
    process = start("search", "rebuild")
    kill_when(process, lambda: len(list(root.glob("idx-*"))) > 1)
    assert (root / CURRENT_FILE).read_text() == serving
    fresh = WhooshBackend(root)  # as a process starting now would open it
    assert fresh.status().ok and fresh.status().documents == len(LIBRARY)
    assert _found(indexed, "公款吃喝") >= {"gongkuan-chihe-2021-01"}
    expire_writer_lease()
    assert Writer(backend()).rebuild() == len(LIBRARY) + len(generated)
    assert len(list(root.glob("idx-*"))) == 2  # the killed one's directory is gone


def test_a_killed_drain_keeps_the_index_and_every_change(indexed, tmp_path):
    _whoosh_only()
    root = backend().root
    live = root / (root / CURRENT_FILE).read_text()
    files_before = set(os.listdir(live))
    generated = _published_generated(tmp_path, with_changes=True)
    process = start("search", "drain")
    # New files in the live index: the writer is adding the changes to it.
    kill_when(process, lambda: writer_lease_held() and set(os.listdir(live)) - files_before)
    assert WhooshBackend(root).status().ok
    assert _found(indexed, "公款吃喝") >= {"gongkuan-chihe-2021-01"}
    db.session.remove()
    assert _count(SearchOutbox) == len(generated)
    expire_writer_lease()
    assert Writer(backend()).drain() == len(generated)
    assert WhooshBackend(root).status().documents == len(LIBRARY) + len(generated)


def test_a_killed_backup_leaves_no_archive(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("learn backup is for the embedded SQLite shape (PostgreSQL: pg_dump)")
    make_user("keeper")
    uploads = Path(app.config["DATA_DIR"]) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    # Incompressible, so that writing the archive takes a while.
    (uploads / "scan.pdf").write_bytes(os.urandom(32 * 1024 * 1024))
    target = tmp_path / "backup.tar.gz"
    partial = target.with_name(target.name + ".partial")
    process = start("backup", str(target))
    kill_when(process, lambda: partial.exists() and partial.stat().st_size > 0)
    assert not target.exists()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["restore", str(target), "--yes"]).exit_code == 0
