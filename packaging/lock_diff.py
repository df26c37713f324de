"""Which installed packages differ from the lock: `python packaging/lock_diff.py LOCK`.

Prints a Markdown table (package, locked, installed) of every package pinned in LOCK whose
installed version is another, or that is not installed on this system; used by
.github/workflows/newest.yml to say what the newest versions changed."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path


def pins(lock: Path) -> dict[str, str]:
    """{normalised name: version} for every `name==version` line of a requirements file whose
    marker (`; sys_platform == 'win32'`) holds on this system."""
    from packaging.markers import Marker

    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)(?: ; ([^\\]+))?", line)
        if match and (match.group(3) is None or Marker(match.group(3).strip()).evaluate()):
            found[normalise(match.group(1))] = match.group(2)
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    return {normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}


def main() -> int:
    locked = pins(Path(sys.argv[1]))
    here = installed()
    rows = [(name, version, here.get(name, "not installed"))
            for name, version in sorted(locked.items()) if here.get(name) != version]
    print("### Newest versions against the lock\n")
    if not rows:
        print("Every locked package is at its locked version.")
        return 0
    print("| package | locked | installed |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
