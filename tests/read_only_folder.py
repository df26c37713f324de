"""A really read-only folder for fault tests: chmod, and for root (who ignores chmod) a
read-only bind mount. Shared by the tests that need one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A really read-only folder: chmod, and for root (who ignores chmod) a read-only bind mount.
    Windows: skipped (chmod sets only a file's read-only flag there, never a folder's; a
    read-only folder needs an access-control list)."""
    if sys.platform == "win32":
        pytest.skip("a read-only folder on Windows needs an access-control list, not chmod")
    folder.chmod(0o500)
    mounted = False
    try:
        if IS_ROOT:
            if subprocess.run(["mount", "--bind", str(folder), str(folder)],
                              capture_output=True).returncode != 0:  # fmt: skip
                pytest.skip("running as root and cannot bind-mount a folder here")
            mounted = True
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)],
                              capture_output=True).returncode != 0:  # fmt: skip
                pytest.skip("running as root and cannot remount a folder read-only here")
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")
        yield
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        folder.chmod(0o700)
