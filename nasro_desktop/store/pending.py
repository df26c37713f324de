"""Changes that could not be saved yet (disk full, read-only folder), kept in memory and retried.

No Qt: the window calls `submit()` for every change and `retry()` from a timer, and shows
`last_error` while `pending` is not zero. Only the latest change per key is kept (typing the
same answer again replaces the older, unsaved one), and retries run in the order first queued.
"""

from __future__ import annotations

from collections.abc import Callable

from nasro_desktop.store.errors import SaveFailed, StoreError


class PendingSaves:
    def __init__(self) -> None:
        self._waiting: dict[str, Callable[[], object]] = {}
        self.last_error: StoreError | None = None

    def submit(self, key: str, operation: Callable[[], object]) -> bool:
        """Run `operation` now. True when it saved; False when it failed with SaveFailed and was
        kept to retry. Other errors (a bug, a deleted assessment) are raised to the caller."""
        self._waiting.pop(key, None)  # this change supersedes an older unsaved one
        try:
            operation()
        except SaveFailed as error:
            self._waiting[key] = operation
            self.last_error = error
            return False
        if not self._waiting:
            self.last_error = None
        return True

    def retry(self) -> bool:
        """Try the waiting changes again; True when nothing is waiting any more. Stops at the
        first that still fails (the disk is still full: no point trying the rest now)."""
        for key, operation in list(self._waiting.items()):
            if self._waiting.get(key) is not operation:
                continue
            try:
                operation()
            except SaveFailed as error:
                self.last_error = error
                return False
            except StoreError as error:
                # It can never succeed (its assessment was deleted, say): drop it, but say so.
                del self._waiting[key]
                self.last_error = error
                continue
            del self._waiting[key]
        if not self._waiting and isinstance(self.last_error, SaveFailed):
            self.last_error = None
        return not self._waiting

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def keys(self) -> list[str]:
        return list(self._waiting)
