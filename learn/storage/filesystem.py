"""Files with generated names in a directory outside the web root.

Keys are 32 random hex digits; a file lives at ``root/ab/abcdef…`` (two-level
fan-out keeps directories small). Writes go to a temporary file in the same
directory and are renamed into place, so a reader never sees half a file and
two hosts sharing the directory never write the same name.
"""

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from learn.storage.base import Storage, StorageError, StoredFileMissing

KEY_RE = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 1024 * 1024


class FileSystemStorage(Storage):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        # Only keys this backend generated are accepted: no "..", no separators.
        if not isinstance(key, str) or not KEY_RE.match(key):
            raise StoredFileMissing()
        return self.root / key[:2] / key

    def save(self, stream: BinaryIO, original_name: str) -> str:
        key = secrets.token_hex(16)
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            raise StorageError("文件保存失败，请稍后重试；如持续出现请联系系统管理员。") from exc
        return key

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise StoredFileMissing() from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except StoredFileMissing:
            return
