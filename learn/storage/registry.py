"""Choose the storage backend named by the ``STORAGE`` setting, once per app."""

from pathlib import Path

from flask import Flask, current_app

from learn.storage.base import Storage, StorageError
from learn.storage.filesystem import FileSystemStorage

_BACKENDS = {}


def register_backend(name: str, factory) -> None:
    """Make ``factory(app) -> Storage`` selectable as ``LEARN_STORAGE=name``."""
    _BACKENDS[name] = factory


def _filesystem(app: Flask) -> Storage:
    return FileSystemStorage(Path(app.config["UPLOADS_DIR"]))


register_backend("filesystem", _filesystem)


def get_storage(app: Flask | None = None) -> Storage:
    """The configured backend of ``app`` (default: the current app)."""
    app = app or current_app._get_current_object()
    storage = app.extensions.get("learn_storage")
    if storage is None:
        name = app.config.get("STORAGE", "filesystem")
        factory = _BACKENDS.get(name)
        if factory is None:
            known = "、".join(sorted(_BACKENDS))
            raise StorageError(f"未知的存储方式 LEARN_STORAGE={name}；可选：{known}。")
        storage = app.extensions["learn_storage"] = factory(app)
    return storage
