"""What can go wrong with the saved data, each with one plain sentence that says what to do.

`str(error)` is shown to the user as it is: no jargon, no file offsets, no stack traces.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from nasro_desktop import __version__
from nasro_desktop.errors import UserError

_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # the clock's time when it was made (the clock may have been wrong)
    size: int  # bytes
    kind: str  # "daily" | "weekly" | "manual" | "pre-migration"
    # What the file holds, read from inside it (clock-proof): which data file it is a copy of
    # and how many changes that file had seen. Newer content = higher generation.
    store_id: str = ""
    generation: int = 0
    future: bool = False  # its date is later than now: the clock was wrong when it was made


class StoreError(UserError):
    """Base of every storage problem; the message is one plain sentence for the user (a
    `UserError`: a command that meets one prints it as it is and exits 1)."""


class RecoveryNeeded(StoreError):
    """The data file can't be opened as it is. Nothing was deleted: `kept` lists the files put
    aside. The window offers what fits: restore `backups[0]` (newest by content), open without
    the extra -wal file (`without_wal`), view only (`can_view`), start with no saved
    assessments (Store.start_empty), or quit.

    `headline` is one short line for a dialog's title text; str(error) says the rest."""

    headline = "Your saved data could not be opened as it is."

    def __init__(self, message: str, *, kept: list[Path] | None = None,
                 backups: list[BackupInfo] | None = None, can_view: bool = False,
                 without_wal: bool = False) -> None:
        self.kept = list(kept or [])
        self.backups = list(backups or [])
        self.can_view = can_view
        self.without_wal = without_wal
        super().__init__(message)


def _backup_advice(backups: list[BackupInfo], empty: str) -> str:
    if backups:
        return (f"You can restore your newest backup (made "
                f"{backups[0].created:%d %B %Y at %H:%M}), or {empty}.")
    return f"No backup was found; you can {empty}."


class DamagedDatabase(RecoveryNeeded):
    """The data file failed its check on opening. It was moved aside (kept, never deleted)."""

    headline = "Your saved data could not be read: the file is damaged."

    def __init__(self, moved_to: Path, backups: list[BackupInfo]) -> None:
        self.moved_to = moved_to
        advice = _backup_advice(backups, "start with no saved assessments")
        RecoveryNeeded.__init__(
            self,
            f"Your saved data file was damaged, so it was put aside as {moved_to.name} "
            f"(nothing was deleted). {advice}",
            kept=[moved_to], backups=backups,
        )


class MissingDatabase(RecoveryNeeded):
    """nasro.db is missing or empty (0 bytes) while backups exist: offer the newest."""

    headline = "Your saved data file is missing or empty."

    def __init__(self, path: Path, backups: list[BackupInfo], empty_file: bool) -> None:
        self.path = path
        what = "is empty (0 bytes)" if empty_file else "is missing"
        super().__init__(
            f"Your saved data file {path} {what}, but backups of it exist (a sync tool or a "
            "copy may have replaced it). " + _backup_advice(
                backups, "start with no saved assessments (the backups are kept)"),
            backups=backups,
        )


class UnexpectedWal(RecoveryNeeded):
    """A nasro.db-wal beside the data file does not belong to it (another database's, or an
    older one of the same file). Both were copied aside untouched before anything replayed it."""

    headline = "An extra file beside your saved data does not belong to it."

    def __init__(self, why: str, kept: list[Path], backups: list[BackupInfo],
                 fix: str = "without") -> None:
        self.why = why
        self.fix = fix  # "without" | "readable" | "swap": see Store.resolve_wal
        self.headline = {
            "readable": "A file that holds your latest saves is damaged in the middle.",
            "swap": "Two files beside your saved data were mixed up.",
        }.get(fix, UnexpectedWal.headline)
        folder = kept[0].parent if kept else None
        also = ", or restore your newest backup" if backups else ""
        advice = {
            "without": "Open your data without it (recommended: you see your data as it was "
                       "last saved before that file appeared)",
            "readable": "Open your data with the saves that can be read (those before the "
                        "damage; the rest stays in the copies)",
            "swap": "Put the two files back in place (recommended: the saves in them are "
                    "checked again before they are used)",
        }[fix]
        super().__init__(
            f"The file nasro.db-wal beside your saved data {why} (a sync tool or a copy may have "
            f"put it there). It was not applied: both files were copied aside in {folder}, so "
            f"nothing is lost. {advice}{also}.",
            kept=kept, backups=backups, without_wal=True,
        )


class NotOurFile(RecoveryNeeded):
    """nasro.db is not this app's file (another program's database, or a link to a file
    outside the data folder): it is never written to."""

    headline = "The saved data file is not one this app may change."

    def __init__(self, message: str, path: Path, backups: list[BackupInfo],
                 can_view: bool = False) -> None:
        self.path = path
        super().__init__(message, backups=backups, can_view=can_view)


class NewerDatabase(StoreError):
    """The file was written by a newer version of the app (data format `version`, by the app
    version `file_app` when the file says); it can be opened read-only only."""

    def __init__(self, version: int, file_app: str) -> None:
        self.file_version = file_app or f"with data format {version}"
        self.app_version = __version__
        super().__init__(
            f"Your data was saved by a newer version of this app ({self.file_version}) and this "
            f"copy is version {__version__}, so it will not change it. Please install version "
            f"{self.file_version} or later to keep working on it; you can still view it here."
        )


class DataInUse(StoreError):
    """Another copy of the app has this data folder open."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        super().__init__(
            "Your data is open in another copy of this app (or a backup or export command is "
            "working on it). Close the other window first (check the taskbar), or wait a "
            "moment, then try again."
        )


class SaveFailed(StoreError):
    """A change could not be written (disk full, read-only folder). The caller keeps it and retries."""

    def __init__(self, message: str, *, reason: str = "") -> None:
        self.reason = reason  # the technical cause, for a log; never shown as the message
        super().__init__(message)


class ImportRefused(StoreError):
    """The file to import is not a sound export from this app; nothing was changed."""


class AssessmentNotFound(StoreError):
    def __init__(self, assessment_id: object) -> None:
        self.assessment_id = assessment_id
        super().__init__(
            f"There is no assessment number {assessment_id}. Check the list of saved "
            "assessments for the right number."
        )


class DamagedAssessment(StoreError):
    """One assessment holds a value that can't be read; the others are fine."""

    def __init__(self, assessment_id: int, title: str, what: str) -> None:
        self.assessment_id = assessment_id
        self.title = title
        self.what = what
        name = f"“{title}”" if title else f"number {assessment_id}"
        super().__init__(
            f"The assessment {name} can't be opened: {what} in it can't be read (the data file "
            "was damaged there). Your other assessments are fine. Restore it from a backup "
            "(File > Restore from a backup…), or save what can be read with "
            f"`nasro-desktop export {assessment_id} --out FILE` and import that file."
        )


class ReadFailed(StoreError):
    """The saved data could not be read just now (a damaged page, a disk that went away)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason  # the technical cause, for a log; never shown as the message
        super().__init__(
            "The saved data could not be read just now. Close the app and open it again; if "
            "this keeps happening, restore the newest backup (File > Restore from a backup)."
        )


def reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A Store method that reads: an sqlite3 error leaves it as ReadFailed, so no caller
    above the store needs to know SQLite."""

    @functools.wraps(method)
    def reading(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            raise ReadFailed(f"{type(error).__name__}: {error}") from error

    return reading


def save_failed(error: BaseException, folder: Path) -> StoreError:
    """A plain sentence for a failed write; the technical cause is kept in `.reason`."""
    name = getattr(error, "sqlite_errorname", "") or type(error).__name__
    reason = f"{name}: {error}"
    errno = getattr(error, "errno", None)
    if name.startswith("SQLITE_FULL") or errno == 28:
        text = (
            "Could not save: the disk is full. Your change is kept in this window and will be "
            "saved as soon as there is room; delete some files or empty the recycle bin."
        )
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or (
        errno in (1, 13, 30)
    ):
        text = (
            f"Could not save: the folder {folder} cannot be written to (is the drive "
            "write-protected or removed?). Your change is kept in this window and saving will "
            "be tried again."
        )
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        text = "Could not save because the data file was busy. Your change is kept and will be saved in a moment."
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        text = (
            "Could not save: the data file looks damaged. Your change is kept in this window; "
            "close the app and open it again so it can check the file and offer your backups."
        )
    elif name.startswith(("SQLITE_IOERR", "SQLITE_NOMEM", "SQLITE_PROTOCOL")) or errno:
        text = (
            "Could not save because the disk reported a problem. Your change is kept in this "
            "window and saving will be tried again; if it keeps failing, use Back up now."
        )
    else:
        # Not the disk: the change itself was refused (a fault in the app). Retrying would not
        # help, so this is a plain StoreError, not SaveFailed.
        error_out = StoreError(
            "This change could not be saved because the app made a mistake. Your other "
            "answers are safe; please note what you were doing and report the problem."
        )
        error_out.reason = reason  # type: ignore[attr-defined]
        return error_out
    return SaveFailed(text, reason=reason)
