"""The app's version in the forms each system's packaging wants.

    python packaging/versions.py windows 0.2.0rc1    # 0.2.0.0 (Windows' four numbers)

The full version (with its suffix: 0.2.0rc1, 0.2.0.dev3) stays in every version string and
file name; only Windows' numeric file version, which must be four integers, drops the suffix."""

from __future__ import annotations

import re
import sys


def windows_numbers(version: str) -> tuple[int, int, int, int]:
    """0.2.0rc1 -> (0, 2, 0, 0); 1.4 -> (1, 4, 0, 0); a version without a number: ValueError."""
    match = re.match(r"^v?(\d+(?:\.\d+)*)", version.strip())
    if not match:
        raise ValueError(f"not a version: {version!r}")
    numbers = [int(n) for n in match.group(1).split(".")][:4]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def main() -> int:
    kind, version = sys.argv[1], sys.argv[2]
    if kind != "windows":
        raise SystemExit(f"unknown form {kind!r}")
    print(".".join(str(n) for n in windows_numbers(version)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
