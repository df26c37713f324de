"""The app keeps no cache (issue 21: the pickle caches of the question set and of the fonts'
metrics are gone; issue 27 §1: a pickle is code that runs when it is loaded).

Pickles that would create a marker file when loaded, and symlinks to them, are planted
everywhere the caches used to live ($NASRO_CACHE_DIR, $XDG_CACHE_HOME/nasro-desktop,
~/.cache/nasro-desktop, with the old file names and header); then the window is started, an
assessment opened and its report saved, and the command line prints a report: no marker
appears, and nothing in those folders is read into the app or changed."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OLD_NAMES = ("forms/nasro-2018-v1.pickle", "forms/nasro-2018-v2.pickle",
             "fonts/DejaVuSans.pickle", "fonts/DejaVuSans-Bold.pickle",
             "fonts/DejaVuSans-Oblique.pickle", "fonts/DejaVuSans-BoldOblique.pickle")


class _Planted:
    """Unpickling this creates the marker file (what a planted pickle could do instead)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant(folder: Path, marker: Path, elsewhere: Path) -> None:
    payload = pickle.dumps(_Planted(marker))
    for name in OLD_NAMES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # the old files' header (magic, a key, a newline), then the pickle
        target.write_bytes(b"nasro-cache 1\n" + b"0" * 64 + b"\n" + payload)
        os.chmod(target, 0o600)
        link = target.with_name("link-" + target.name)
        link.symlink_to(elsewhere)
    (folder / "forms.pickle").write_bytes(payload)  # a bare pickle too


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from nasro_desktop.store import Store
from nasro_desktop.ui.main_window import MainWindow
from nasro_desktop.ui import report_actions
store = Store.open(sys.argv[1])
window = MainWindow(store)
window.show()
window.show_start()
deadline = __import__("time").monotonic() + 1.0
while __import__("time").monotonic() < deadline:  # the start screen's idle work runs
    app.processEvents()
window.open_sample()
app.processEvents()
session = window.session
done = []
report_actions.save_pdf_report(None, session.form, session.assessment, session.readiness,
                               path=Path(sys.argv[2]), open_when_done=False,
                               on_finished=done.append)
while not done:
    app.processEvents()
window.close()
store.close()
print("window done")
"""


def test_planted_cache_pickles_are_never_loaded(tmp_path):
    marker = tmp_path / "MARKER-a-pickle-ran"
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(pickle.dumps(_Planted(marker)))
    pickle.loads(elsewhere.read_bytes()).close()  # the planted payload is live: loading it
    assert marker.exists()  # makes the marker
    marker.unlink()
    home = tmp_path / "home"
    folders = [tmp_path / "nasro-cache", tmp_path / "xdg" / "nasro-desktop",
               home / ".cache" / "nasro-desktop"]
    for folder in folders:
        _plant(folder, marker, elsewhere)
    # the cache folder itself a symlink to a planted one, as a second place
    (tmp_path / "xdg-linked").mkdir()
    (tmp_path / "xdg-linked" / "nasro-desktop").symlink_to(folders[0], target_is_directory=True)
    before = {folder: _snapshot(folder) for folder in folders}
    for nasro_cache, xdg in ((folders[0], tmp_path / "xdg"), (folders[0].parent / "none",
                                                              tmp_path / "xdg-linked")):
        env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(xdg),
                   NASRO_CACHE_DIR=str(nasro_cache), NASRO_DATA_DIR=str(tmp_path / "data"),
                   QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        # (the test run's own Python, not a pickled one: sys.executable)
        report = subprocess.run(
            [sys.executable, "-m", "nasro_desktop", "report", "--sample", "--out",
             str(tmp_path / "cli.pdf"), "--force"], capture_output=True, text=True, env=env, timeout=300)
        assert report.returncode == 0, report.stderr
        shown = subprocess.run(
            [sys.executable, "-c", WINDOW, str(tmp_path / "data"), str(tmp_path / "w.pdf")],
            capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
        assert "window done" in shown.stdout, shown.stderr[-3000:]
        assert (tmp_path / "cli.pdf").stat().st_size > 1000
        assert (tmp_path / "w.pdf").stat().st_size > 1000
    assert not marker.exists(), "a planted pickle was loaded"
    for folder in folders:
        assert _snapshot(folder) == before[folder], f"{folder} was changed"
    assert not (tmp_path / "none").exists()
