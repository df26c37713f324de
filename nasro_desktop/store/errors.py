"""What can go wrong with the saved data, each with one plain sentence that says what to do.

`str(error)` is shown to the user as it is: no jargon, no file offsets, no stack traces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int  # bytes
    kind: str  # "daily" | "weekly" | "manual" | "pre-migration"


class StoreError(Exception):
    """Base of every storage problem; the message is one plain sentence for the user."""


class DamagedDatabase(StoreError):
    """The data file failed its check on opening. It was moved aside (kept, never deleted)."""

    def __init__(self, moved_to: Path, backups: list[BackupInfo]) -> None:
        self.moved_to = moved_to
        self.backups = backups
        if backups:
            advice = (
                f"You can restore your newest backup (made {backups[0].created:%d %B %Y at %H:%M}), "
                "or start with an empty file."
            )
        else:
            advice = "No backup was found; the app will start with an empty file."
        super().__init__(
            f"Your saved data file was damaged, so it was put aside as {moved_to.name} "
            f"(nothing was deleted). {advice}"
        )


class NewerDatabase(StoreError):
    """The file was written by a newer version of the app; it can be opened read-only only."""

    def __init__(self, file_version: str, app_version: str, schema_version: int = 0) -> None:
        self.file_version = file_version
        self.app_version = app_version
        self.schema_version = schema_version
        super().__init__(
            f"Your data was saved by a newer version of this app ({file_version}) and this copy "
            f"is version {app_version}, so it will not change it. Please install version "
            f"{file_version} or later to keep working on it; you can still view it here."
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
