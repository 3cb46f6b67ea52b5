"""The storage interface every backend implements."""

from abc import ABC, abstractmethod
from typing import BinaryIO

from learn.errors import LearnError, NotFound


class StorageError(LearnError):
    """The storage backend could not do what was asked (bad key, full disk …)."""

    status = 500


class StoredFileMissing(NotFound):
    """No file is stored under the key (deleted, or never saved)."""

    def __init__(self, message: str = "文件不存在或已被删除。"):
        super().__init__(message)


class Storage(ABC):
    """Keeps uploaded bytes under opaque keys that the backend generates."""

    @abstractmethod
    def save(self, stream: BinaryIO, original_name: str) -> str:
        """Store everything ``stream`` yields and return the new key.

        ``original_name`` is informational (a backend may keep it for operators);
        it never decides where or under which name the bytes are stored.
        """

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading; raise ``StoredFileMissing`` if absent."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the stored file; deleting a missing key is not an error."""
