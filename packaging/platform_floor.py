"""The oldest system the installed wheels run on, read from their tags (the WHEEL file of each
installed package): `macosx_13_0_universal2` means macOS 13 or newer, `manylinux_2_34` glibc
2.34 or newer. The bundle can never start on an older system than its most demanding wheel.

    python packaging/platform_floor.py macos     # 13.0: the .app's LSMinimumSystemVersion
    python packaging/platform_floor.py glibc     # 2.34

Used by packaging/nasro-desktop.spec (LSMinimumSystemVersion) and the smoke test."""

from __future__ import annotations

import re
import sys
from importlib import metadata

OLD_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def tags() -> list[str]:
    found = []
    for dist in metadata.distributions():
        wheel = dist.read_text("WHEEL") or ""
        found += [line.split(":", 1)[1].strip() for line in wheel.splitlines()
                  if line.startswith("Tag:")]
    return found


def floor(kind: str, wheel_tags: list[str] | None = None) -> tuple[int, int] | None:
    """The highest `kind` ("macos" or "glibc") version any wheel needs; None if none says."""
    versions = []
    for tag in tags() if wheel_tags is None else wheel_tags:
        platform = tag.rsplit("-", 1)[-1]
        for part in platform.split("."):
            if kind == "macos" and (m := re.match(r"macosx_(\d+)_(\d+)_", part)):
                versions.append((int(m.group(1)), int(m.group(2))))
            elif kind == "glibc" and (m := re.match(r"manylinux_(\d+)_(\d+)_", part)):
                versions.append((int(m.group(1)), int(m.group(2))))
            elif kind == "glibc" and (old := OLD_MANYLINUX.get(part.split("_")[0])):
                versions.append(old)
    # a package with several tags (manylinux2014 + manylinux_2_17) needs the lowest of its own,
    # but across packages the highest counts; tags of one wheel name the same floor in practice
    return max(versions) if versions else None


def main() -> int:
    found = floor(sys.argv[1])
    print("" if found is None else f"{found[0]}.{found[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
