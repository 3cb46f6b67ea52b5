"""The upload storage: generated names outside the web root, safe keys, pluggable backends."""

import io
from pathlib import Path

import pytest

from learn.storage import (
    FileSystemStorage,
    StorageError,
    StoredFileMissing,
    get_storage,
    register_backend,
)
from tests.conftest import make_app


def test_saves_under_a_generated_name_and_reads_back(tmp_path):
    storage = FileSystemStorage(tmp_path / "uploads")
    key = storage.save(io.BytesIO(b"%PDF-1.4 hello"), "../../etc/passwd.pdf")
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    files = [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [key]
    assert "passwd" not in str(files[0])
    with storage.open(key) as handle:
        assert handle.read() == b"%PDF-1.4 hello"


def test_two_saves_of_the_same_name_never_collide(tmp_path):
    storage = FileSystemStorage(tmp_path)
    first = storage.save(io.BytesIO(b"one"), "讲义.pdf")
    second = storage.save(io.BytesIO(b"two"), "讲义.pdf")
    assert first != second
    assert storage.open(first).read() == b"one"
    assert storage.open(second).read() == b"two"


def test_delete_removes_the_file_and_is_idempotent(tmp_path):
    storage = FileSystemStorage(tmp_path)
    key = storage.save(io.BytesIO(b"x"), "a.png")
    storage.delete(key)
    storage.delete(key)
    with pytest.raises(StoredFileMissing):
        storage.open(key)


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "ab/../../x", "", "A" * 32])
def test_keys_it_did_not_generate_are_refused(tmp_path, key):
    (tmp_path / "secret_key").write_text("s3cret")
    storage = FileSystemStorage(tmp_path / "uploads")
    with pytest.raises(StoredFileMissing):
        storage.open(key)
    storage.delete(key)
    assert (tmp_path / "secret_key").exists()


def test_default_backend_keeps_files_in_the_data_directory(tmp_path):
    app = make_app(tmp_path)
    storage = get_storage(app)
    assert isinstance(storage, FileSystemStorage)
    assert storage.root == Path(app.config["DATA_DIR"]) / "uploads"
    static = Path(app.static_folder).resolve()
    assert static not in storage.root.resolve().parents


def test_backend_is_chosen_by_config_and_unknown_names_are_explained(tmp_path):
    class MemoryStorage(FileSystemStorage):
        pass

    register_backend("memory-test", lambda app: MemoryStorage(tmp_path / "mem"))
    app = make_app(tmp_path, STORAGE="memory-test")
    assert isinstance(get_storage(app), MemoryStorage)
    broken = make_app(tmp_path / "other", STORAGE="nosuch")
    with pytest.raises(StorageError, match="LEARN_STORAGE=nosuch"):
        get_storage(broken)


def test_uploads_dir_can_point_at_a_shared_directory(tmp_path):
    shared = tmp_path / "nfs" / "learn-uploads"
    app = make_app(tmp_path, UPLOADS_DIR=str(shared))
    key = get_storage(app).save(io.BytesIO(b"x"), "a.pdf")
    assert (shared / key[:2] / key).exists()
