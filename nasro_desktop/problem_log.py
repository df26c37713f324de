"""problems.log beside the data: what went wrong where no one was told (a step that is tried
again later, a setting not saved, a cache that could not be used), so whoever helps the user
can read it.

Standard `logging`: every module logs to `logging.getLogger(__name__)` (all under the
`nasro_desktop` logger); once the window knows the data folder, `log_to(folder)` sends
warnings and errors to folder/problems.log through a size-capped RotatingFileHandler
(MAX_BYTES, then problems.log.1 and .2; older text is dropped). The file is private (0600, see
portable.make_private) and writing it never raises: a full or read-only disk loses the note,
never the step. Nothing is ever printed on the terminal (the CLI's output stays plain).
"""

from __future__ import annotations

import logging
import os
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from nasro_desktop import portable

LOG_NAME = "problems.log"
MAX_BYTES = 1_000_000  # about ten thousand notes; a year of a bad disk stays readable
BACKUP_COUNT = 2
FORMAT = "--- %(asctime)s %(name)s %(levelname)s: %(message)s"

app_log = logging.getLogger("nasro_desktop")
app_log.addHandler(logging.NullHandler())  # never logging's last resort (stderr)
_problems = logging.getLogger("nasro_desktop.problems")


class PrivateRotatingFileHandler(RotatingFileHandler):
    """RotatingFileHandler whose files are created private (0600), and which never raises or
    prints when the file cannot be written."""

    def _open(self) -> TextIOWrapper:
        fd = portable.open_private(self.baseFilename, os.O_WRONLY | os.O_APPEND)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        """A disk that is full or read-only: the note is lost, the step already said what
        matters (logging would print a traceback on the terminal instead)."""
        if self.stream is not None:
            try:
                self.stream.close()
            except OSError:
                pass
            self.stream = None  # opened again at the next note


def log_to(folder: Path | str) -> None:
    """Send the app's warnings and errors to folder/problems.log (replacing any other folder's
    file). The file is opened at the first note, so a read-only folder costs nothing."""
    path = os.path.abspath(Path(folder) / LOG_NAME)
    for handler in list(app_log.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            if handler.baseFilename == path:
                return
            app_log.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                         encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT, "%Y-%m-%d %H:%M:%S"))
    handler.setLevel(logging.WARNING)
    app_log.addHandler(handler)
    if app_log.getEffectiveLevel() > logging.WARNING:
        app_log.setLevel(logging.WARNING)


def note_problem(folder: Path | str, what: str, error: BaseException) -> None:
    """Write `what` and the error's traceback to folder/problems.log; never raises."""
    try:
        log_to(folder)
        _problems.error(what, exc_info=(type(error), error, error.__traceback__))
    except Exception:  # noqa: BLE001 - the last resort of the last resort must not fail
        pass
