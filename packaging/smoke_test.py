"""Smoke-test a built bundle the way a user gets it, with the source tree out of reach.

    python packaging/smoke_test.py dist/nasro-desktop-0.1.0-linux-x86_64.tar.gz
    python packaging/smoke_test.py dist/nasro-desktop          # a built folder

The archive is unpacked (or the folder copied) into a fresh temporary folder, and every
command runs there with an empty environment (no PYTHONPATH, a throwaway HOME, the current
directory inside the temporary folder), so nothing can come from the repository or from a
Python installation:

- `--version` prints this source tree's version;
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built folder or its .tar.gz")
    args = parser.parse_args()
    version = source_version()
    with tempfile.TemporaryDirectory(prefix="nasro-smoke-") as temp:
        temp = Path(temp)
        (temp / "unpacked").mkdir()
        app = unpack(args.bundle.resolve(), temp / "unpacked")
        home = temp / "home"
        home.mkdir()
        smoke = Smoke(app, home)

        done = smoke.run("--version")
        smoke.check("--version", done.returncode == 0 and done.stdout.strip() == f"{NAME} {version}",
                    done.stdout.strip() or done.stderr.strip())

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
            wanted = ["share/applications/nasro-desktop.desktop",
                      "share/metainfo/nasro-desktop.metainfo.xml",
                      "share/icons/hicolor/256x256/apps/nasro-desktop.png", "add-to-menu.sh"]
            missing = [w for w in wanted if not (app / w).is_file()]
            smoke.check("desktop entry", not missing,
                        "missing: " + ", ".join(missing) if missing else "entry, metadata, icons")
    print(f"Smoke test: {'all passed' if not smoke.failed else f'{smoke.failed} FAILED'}.")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
