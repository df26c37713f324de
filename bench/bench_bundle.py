"""The one-folder bundle: its size, what fills it, and its cold start against the pip-installed app.

Prints `name: value unit` lines:
- bundle_size_on_disk (du-style, allocated blocks) and bundle_size_files (the sum of file
  sizes); bundle_size_packed (the tar.gz; made here with gzip's default level if not given);
  target: under 150 MB on disk;
- size_<part>: the biggest parts (ICU's data, the Qt libraries, Python, pdfium, Pillow, the
  fonts…), largest first, so it is clear what dominates;
- cold_start_bundle / cold_start_pip: process start until the start screen is on screen with
  its list loaded (NASRO_STARTUP_PROBE=1), median of interleaved runs on the same three saved
  assessments; the pip-installed app is this Python environment's `python -m nasro_desktop`;
  cold_start_ratio = bundle / pip (target <= 1.2);
- version_bundle / version_pip: `--version`, the command line's start-up.

usage: python bench/bench_bundle.py dist/nasro-desktop [--archive FILE.tar.gz] [--runs N]
(build the bundle first: bash packaging/build_linux.sh)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_startup import fill_data, run_once  # noqa: E402

MB = 1024 * 1024

# (line name, test on the path inside the bundle), first match wins
PARTS = (
    ("icu_data", lambda p: "libicudata" in p.name),
    ("icu_code", lambda p: p.name.startswith(("libicuuc", "libicui18n"))),
    ("qt_libraries", lambda p: p.name.startswith("libQt6") or p.name.startswith("Qt6")),
    ("qt_python_bindings", lambda p: "PySide6" in p.parts or "shiboken6" in p.parts),
    ("python_runtime", lambda p: p.name.startswith(("libpython", "python3")) or
        "python3.11" in p.parts or p.name == "base_library.zip"),
    ("pdfium_printing", lambda p: "pypdfium2_raw" in p.parts or "pypdfium2" in p.parts),
    ("pillow", lambda p: "PIL" in p.parts or "pillow.libs" in p.parts),
    ("fonts", lambda p: p.suffix.lower() in (".ttf", ".otf")),
    ("question_sets", lambda p: "forms" in p.parts),
    ("app_code_and_libraries", lambda p: p.suffix in (".pyz", "") and p.parent.name != "_internal"),
)


def on_disk(path: Path) -> int:
    return path.lstat().st_blocks * 512


def sizes(folder: Path) -> tuple[int, int, dict[str, int]]:
    disk = files = 0
    parts: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        disk += on_disk(path)
        files += path.stat().st_size
        relative = path.relative_to(folder)
        name = next((n for n, test in PARTS if test(relative)), "other_system_libraries")
        parts[name] = parts.get(name, 0) + path.stat().st_size
    return disk, files, parts


def packed_size(folder: Path, archive: Path | None) -> int:
    if archive is not None:
        return archive.stat().st_size
    with tempfile.TemporaryDirectory() as temp:
        made = Path(temp) / "bundle.tar.gz"
        with tarfile.open(made, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return made.stat().st_size


def child_env(data_dir: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NASRO_DATA_DIR"] = data_dir
    env["NASRO_STARTUP_PROBE"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def cold_start(exe: Path, runs: int) -> None:
    import compileall

    compileall.compile_dir(ROOT / "nasro_desktop", quiet=1)  # as pip does on install
    with tempfile.TemporaryDirectory() as folder:
        data_dir = str(Path(folder) / "data")
        fill_data(data_dir)
        env = child_env(data_dir)
        bundle, pip = [str(exe)], [sys.executable, "-m", "nasro_desktop"]
        run_once(bundle, env)  # warm the OS file cache for both
        run_once(pip, env)
        bundle_s, pip_s, bundle_v, pip_v = [], [], [], []
        for _ in range(runs):  # interleaved: both see the same machine load
            bundle_s.append(run_once(bundle, env)[0])
            pip_s.append(run_once(pip, env)[0])
            bundle_v.append(timed([*bundle, "--version"], env))
            pip_v.append(timed([*pip, "--version"], env))
    b, p = statistics.median(bundle_s), statistics.median(pip_s)
    print(f"cold_start_bundle: {b * 1000:.0f} ms")
    print(f"cold_start_pip: {p * 1000:.0f} ms")
    print(f"cold_start_ratio: {b / p:.2f} x")
    print(f"version_bundle: {statistics.median(bundle_v) * 1000:.0f} ms")
    print(f"version_pip: {statistics.median(pip_v) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built one-folder bundle")
    parser.add_argument("--archive", type=Path, help="its tar.gz (default: packed here)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = args.bundle.resolve()
    exe = folder / ("nasro-desktop.exe" if sys.platform == "win32" else "nasro-desktop")
    disk, files, parts = sizes(folder)
    print(f"bundle_size_on_disk: {disk / MB:.1f} MB")
    print(f"bundle_size_files: {files / MB:.1f} MB")
    print(f"bundle_size_packed: {packed_size(folder, args.archive) / MB:.1f} MB")
    for name, size in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"size_{name}: {size / MB:.1f} MB")
    cold_start(exe, args.runs)


if __name__ == "__main__":
    main()
