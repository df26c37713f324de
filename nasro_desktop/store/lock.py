"""An OS lock on a side file so that only one copy of the app writes a data folder at a time.

The lock belongs to the open file, so the operating system releases it when the app closes the
file or when the process dies in any way (crash, kill, power loss): a stale lock never blocks.
A writer takes it exclusively; a read-only viewer takes it shared.
"""

from __future__ import annotations

import os
from pathlib import Path

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
            _lock(fd, shared)
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
                _unlock(fd)
            finally:
                os.close(fd)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int, shared: bool) -> None:
        # Windows has no shared byte lock in msvcrt; a viewer and a writer then exclude each other.
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

else:
    import fcntl

    def _lock(fd: int, shared: bool) -> None:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
