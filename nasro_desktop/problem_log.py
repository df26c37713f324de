"""problems.log beside the data: what went wrong where no one was told (a step that is tried
again later, a setting not saved), so whoever helps the user can read it. Private (0600)."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "problems.log"


def note_problem(folder: Path | str, what: str, error: BaseException) -> None:
    """Append `what` and the error's traceback to folder/problems.log; never raises."""
    try:
        fd = os.open(Path(folder) / LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} {what}\n")
            log.write("".join(traceback.format_exception(type(error), error,
                                                         error.__traceback__)))
    except OSError:
        pass  # a full or read-only disk: the step itself already said what matters
