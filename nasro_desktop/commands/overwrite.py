"""`export`, `backup`, `report` and `rollup` keep a file that is already there unless given
--force."""

from __future__ import annotations

from pathlib import Path

from nasro_desktop.errors import UserError


def refuse_to_overwrite(paths: list[Path], force: bool) -> None:
    """Without --force, a file already there is kept: say which and how to replace it."""
    there = [p for p in paths if (p.exists() and not p.is_dir()) or p.is_symlink()]
    if there and not force:
        more = f" (and {len(there) - 1} more)" if len(there) > 1 else ""
        raise UserError(f"{there[0]}{more} already exists. Choose another name, or add --force "
                        "to replace it.")
