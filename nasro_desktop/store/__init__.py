"""Storage that never loses an answer: one SQLite file in the user's data folder.

No Qt here, ever. See db.py for the Store, files.py for why WAL + synchronous=FULL.
"""

from nasro_desktop.store.db import Store
from nasro_desktop.store.errors import (
    AssessmentNotFound,
    BackupInfo,
    DamagedAssessment,
    DamagedDatabase,
    DataInUse,
    ImportRefused,
    MissingDatabase,
    NewerDatabase,
    NotOurFile,
    ReadFailed,
    RecoveryNeeded,
    SaveFailed,
    StoreError,
    UnexpectedWal,
)
from nasro_desktop.store.pending import PendingSaves
from nasro_desktop.store.reading import AssessmentSummary

__all__ = [
    "AssessmentNotFound",
    "AssessmentSummary",
    "BackupInfo",
    "DamagedAssessment",
    "DamagedDatabase",
    "DataInUse",
    "ImportRefused",
    "MissingDatabase",
    "NewerDatabase",
    "NotOurFile",
    "ReadFailed",
    "PendingSaves",
    "RecoveryNeeded",
    "SaveFailed",
    "Store",
    "StoreError",
    "UnexpectedWal",
]
