"""Smoke-test a built bundle the way a user gets it, with the source tree out of reach.

    python packaging/smoke_test.py dist/nasro-desktop-0.1.0-linux-x86_64.tar.gz
    python packaging/smoke_test.py dist/nasro-desktop          # a built folder

The archive is unpacked (or the folder copied) into a fresh temporary folder, and every
command runs there with an empty environment (no PYTHONPATH, a throwaway HOME, the current
directory inside the temporary folder), so nothing can come from the repository or from a
Python installation:

- `--version` prints this source tree's version, in under VERSION_SECONDS (median of 5; the
  comparison with the pip install is bench/bench_bundle.py's);
- THIRD-PARTY-NOTICES.txt is beside the program and inside the bundle, naming Qt's LGPL with
  its source offer, Python's licence and every package shipped;
- with no display, the window is not tried: one plain line says so and what to run instead,
  exit 1 (Linux; Windows and macOS always have their display);
- (Linux) no bundled library or program needs a newer glibc than the README promises
  (--glibc-floor, default GLIBC_FLOOR: the release is built on Ubuntu 22.04), read with
  `objdump -T` from every ELF file in the folder;
- `--self-test` passes every check (and says it runs from the unpacked copy);
- `report --sample --out x.pdf` writes a PDF that pypdf reads: its title, every page, text;
- `list` on an empty data folder says there is nothing yet and creates nothing;
- (Linux) the desktop entry, AppStream file and icons are in the folder;
- (Linux, when Xvfb is installed) the window opens on a real X display through the bundle's
  own xcb plugin, and --self-test there passes its "window system" check.

Prints one line per check and exits 1 if any failed. Needs pypdf (the test extra).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "nasro-desktop"
GLIBC_FLOOR = "2.35"  # README "Get the app": Ubuntu 22.04 or newer; tests/test_release_files.py
VERSION_SECONDS = 2.0  # a cold start of the interpreter, not a budget (bench/ holds those)
NOTICES = "THIRD-PARTY-NOTICES.txt"
# what THIRD-PARTY-NOTICES.txt must name (each shipped package is checked by name too)
NOTICE_WORDS = ("GNU LESSER GENERAL PUBLIC LICENSE", "Source offer", "PySide6", "shiboken6",
                "PSF", "reportlab", "pypdfium2", "PDFium", "pillow", "PyYAML", "platformdirs",
                "sqlite-utils", "click", "DejaVu")


def source_version() -> str:
    for line in (ROOT / "nasro_desktop" / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=")[1].strip().strip("\"'")
    raise SystemExit("no __version__ in nasro_desktop/__init__.py")


def unpack(source: Path, into: Path) -> Path:
    """The app folder inside `into`: the archive unpacked there, or the folder copied."""
    if source.is_dir():
        target = into / source.name
        shutil.copytree(source, target, symlinks=True)
        return target
    with tarfile.open(source) as archive:
        archive.extractall(into, filter="tar")
    [folder] = [p for p in into.iterdir() if p.is_dir()]
    return folder


def runs_from(lines: list[str], app: Path) -> bool:
    """The self-test's first line names the unpacked copy as the bundle it runs from."""
    match = re.search(r"\(bundle in (.+?); Python", lines[0]) if lines else None
    return bool(match) and Path(match.group(1)).is_dir() and os.path.samefile(match.group(1), app)


class Smoke:
    def __init__(self, app: Path, home: Path) -> None:
        exe = app / (f"{NAME}-cli.exe" if sys.platform == "win32" else NAME)
        self.exe, self.home, self.failed = exe, home, 0
        self.env = {"HOME": str(home), "PATH": os.defpath, "LANG": "C.UTF-8",
                    "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(home)}
        for key in ("SYSTEMROOT", "TEMP", "TMP"):  # Windows needs these to start anything
            if key in os.environ:
                self.env[key] = os.environ[key]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.exe), *args], capture_output=True, text=True,
                              env=self.env, cwd=self.home, timeout=timeout)

    def check(self, name: str, ok: bool, detail: str) -> None:
        if not ok:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def real_display(smoke: Smoke, home: Path) -> None:
    """Linux with Xvfb installed: the window opens on a real X display, through the bundle's
    own xcb plugin and the X libraries it carries (the probe quits once the start screen is
    shown)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("SKIP  window on an X display: Xvfb is not installed", flush=True)
        return
    number = 100 + os.getpid() % 400
    server = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1366x768x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        env = dict(smoke.env, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb",
                   NASRO_STARTUP_PROBE="1", NASRO_DATA_DIR=str(home / "x11-data"))
        done = subprocess.run([str(smoke.exe)], capture_output=True, text=True, env=env,
                              cwd=home, timeout=120)
        shown = done.returncode == 0 and "startup: shown" in done.stdout
        smoke.check("window on an X display", shown,
                    "start screen shown (xcb)" if shown else done.stdout + done.stderr)
        env.pop("QT_QPA_PLATFORM")
        env.pop("NASRO_STARTUP_PROBE")
        done = subprocess.run([str(smoke.exe), "--self-test"], capture_output=True, text=True,
                              env=env, cwd=home, timeout=120)
        line = next((x for x in done.stdout.splitlines() if "window system:" in x), "")
        smoke.check("--self-test with a display", line.startswith("PASS"), line or done.stderr)
    finally:
        server.terminate()
        server.wait()


def glibc_needed(app: Path) -> dict[str, tuple[int, ...]]:
    """{file: newest GLIBC_x.y it asks for} for every ELF file in the folder (objdump -T)."""
    needed = {}
    for path in sorted(app.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with open(path, "rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        dump = subprocess.run(["objdump", "-T", str(path)], capture_output=True,
                              text=True).stdout
        versions = [tuple(int(n) for n in v.split("."))
                    for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", dump)]
        if versions:
            needed[str(path.relative_to(app))] = max(versions)
    return needed


def check_glibc(smoke: Smoke, app: Path, floor: str) -> None:
    if shutil.which("objdump") is None:
        smoke.check("glibc floor", False, "objdump is missing (apt install binutils)")
        return
    limit = tuple(int(n) for n in floor.split("."))
    needed = glibc_needed(app)
    above = {name: v for name, v in needed.items() if v > limit}
    newest = max(needed.values(), default=())
    smoke.check(f"glibc {floor} or newer is enough", not above and bool(needed),
                f"{len(needed)} ELF files, the newest asks for glibc "
                f"{'.'.join(map(str, newest))}" if not above else "needs more than "
                f"{floor}: " + ", ".join(f"{n} ({'.'.join(map(str, v))})"
                                         for n, v in sorted(above.items())))


def listed(text: str) -> int:
    """How many parts the notices' list names (its "- name version: licence" lines)."""
    part = text.split("What is included", 1)[-1].split("Licence texts", 1)[0]
    return sum(1 for line in part.splitlines() if line.startswith("- "))


def check_notices(smoke: Smoke, app: Path) -> None:
    beside = app / NOTICES
    inside = [p for p in app.rglob(NOTICES) if p != beside]
    if not beside.is_file() or not inside:
        smoke.check("licences file", False, f"{NOTICES} missing "
                    + ("beside the program" if not beside.is_file() else "inside the bundle"))
        return
    text = beside.read_text(encoding="utf-8")
    missing = [w for w in NOTICE_WORDS if w.lower() not in text.lower()]
    smoke.check("licences file", not missing and inside[0].read_text(encoding="utf-8") == text,
                f"{len(text) // 1024} KB, {listed(text)} parts listed"
                if not missing else "does not name: " + ", ".join(missing))


def check_version_time(smoke: Smoke, version: str) -> None:
    times, outputs = [], set()
    for _ in range(5):
        started = time.perf_counter()
        done = smoke.run("--version")
        times.append(time.perf_counter() - started)
        outputs.add((done.returncode, done.stdout.strip()))
    median = sorted(times)[2]
    ok = outputs == {(0, f"{NAME} {version}")} and median < VERSION_SECONDS
    smoke.check("--version", ok, f"{outputs.pop()[1]!s}, median {median * 1000:.0f} ms of 5")


def check_no_display(smoke: Smoke, home: Path) -> None:
    env = {k: v for k, v in smoke.env.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run([str(smoke.exe), "--data-dir", str(home / "no-display")],
                          capture_output=True, text=True, env=env, cwd=home, timeout=120)
    lines = done.stderr.strip().splitlines()
    ok = (done.returncode == 1 and len(lines) == 1 and "no window can be opened" in lines[0]
          and "--self-test" in lines[0] and not (home / "no-display").exists())
    smoke.check("no display", ok, f"exit {done.returncode}: " + (done.stderr.strip()
                                                               or done.stdout.strip()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built folder or its .tar.gz")
    parser.add_argument("--glibc-floor", default=GLIBC_FLOOR,
                        help=f"the oldest glibc the bundle must run on (default {GLIBC_FLOOR}, "
                        "as the README says; a bundle built on a newer system needs that "
                        "system's)")
    args = parser.parse_args()
    version = source_version()
    with tempfile.TemporaryDirectory(prefix="nasro-smoke-") as temp:
        temp = Path(temp)
        (temp / "unpacked").mkdir()
        app = unpack(args.bundle.resolve(), temp / "unpacked")
        home = temp / "home"
        home.mkdir()
        smoke = Smoke(app, home)

        check_version_time(smoke, version)
        check_notices(smoke, app)
        if sys.platform.startswith("linux"):
            check_glibc(smoke, app, args.glibc_floor)
            check_no_display(smoke, home)

        started = time.perf_counter()
        done = smoke.run("--self-test")
        seconds = time.perf_counter() - started
        lines = done.stdout.strip().splitlines()
        ok = (done.returncode == 0 and runs_from(lines, app)
              and not any(line.startswith("FAIL") for line in lines))
        smoke.check("--self-test", ok, f"{len(lines) - 2} checks in {seconds:.1f} s, exit "
                    f"{done.returncode}" + ("" if ok else "\n" + done.stdout + done.stderr))

        out = home / "x.pdf"
        done = smoke.run("report", "--sample", "--out", "x.pdf")
        detail = done.stderr.strip()
        ok = done.returncode == 0 and out.is_file()
        if ok:
            from pypdf import PdfReader

            reader = PdfReader(out)
            text = "".join(page.extract_text() for page in reader.pages)
            title = (reader.metadata or {}).get("/Title", "")
            # the board edition (the default): 2-4 pages with the verdict and the signatures
            ok = (2 <= len(reader.pages) <= 4 and "Pine Ridge" in title and "Pine Ridge" in text
                  and "NOT READY" in text and "Signatures" in text)
            detail = f"{len(reader.pages)} pages, title “{title}”, {out.stat().st_size // 1024} KB"
        smoke.check("report --sample", ok, detail)

        empty = home / "empty-data"
        done = smoke.run("list", "--data-dir", str(empty))
        ok = (done.returncode == 0 and "No saved assessments yet" in done.stdout
              and not (empty / "nasro.db").exists())
        smoke.check("list (empty data folder)", ok, done.stdout.strip() or done.stderr.strip())

        if sys.platform.startswith("linux"):
            real_display(smoke, home)
            wanted = ["share/applications/org.nasro_desktop.readiness.desktop",
                      "share/metainfo/org.nasro_desktop.readiness.metainfo.xml",
                      "share/icons/hicolor/256x256/apps/nasro-desktop.png", "add-to-menu.sh"]
            missing = [w for w in wanted if not (app / w).is_file()]
            smoke.check("desktop entry", not missing,
                        "missing: " + ", ".join(missing) if missing else "entry, metadata, icons")
    print(f"Smoke test: {'all passed' if not smoke.failed else f'{smoke.failed} FAILED'}.")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
