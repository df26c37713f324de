"""An OS lock on a side file so that only one copy of the app writes a data folder at a time.

The lock belongs to the open file, so the operating system releases it when the app closes the
file or when the process dies in any way (crash, kill, power loss): a stale lock never blocks.
A writer takes it exclusively; a read-only viewer takes it shared.
"""

from __future__ import annotations

import os
from pathlib import Path

from nasro_desktop.portable import lock_file, unlock_file

LOCK_NAME = "nasro.lock"


class LockBusy(Exception):
    pass


class FolderLock:
    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def acquire(cls, folder: Path, *, shared: bool = False) -> FolderLock:
        """Raise LockBusy when another process holds it. In a folder nobody can write, there is
        nothing to protect, and no lock file can be made: an unlocked handle is returned."""
        path = folder / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                return cls(None)
        try:
            lock_file(fd, shared=shared)
        except OSError as error:
            os.close(fd)
            raise LockBusy(str(error)) from error
        return cls(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                unlock_file(fd)
            finally:
                os.close(fd)
