"""Upload storage: where uploaded files (lecture handouts, slides …) live.

Callers see an interface of three methods — ``save(stream, original_name) -> key``,
``open(key)`` and ``delete(key)`` — and keep only the opaque key. The original
file name is never used on disk, so an upload can neither choose nor guess a path.

Backends are chosen by ``LEARN_STORAGE`` (config ``STORAGE``):

- ``filesystem`` (default): files with generated names under ``LEARN_UPLOADS_DIR``
  (default ``DATA_DIR/uploads``), outside the web root. Pointing ``LEARN_UPLOADS_DIR``
  at a directory every host mounts (NFS/SMB) is the shared-directory deployment.
- further backends (e.g. database blobs or object storage for scale-out) are added
  with ``register_backend(name, factory)``; ``factory(app) -> Storage``.

Public names: Storage, StorageError, StoredFileMissing, FileSystemStorage,
get_storage, register_backend.
"""

from learn.storage.base import Storage, StorageError, StoredFileMissing
from learn.storage.filesystem import FileSystemStorage
from learn.storage.registry import get_storage, register_backend

__all__ = [
    "FileSystemStorage",
    "Storage",
    "StorageError",
    "StoredFileMissing",
    "get_storage",
    "register_backend",
]
