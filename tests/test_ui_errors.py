"""An unexpected error inside the window reaches the user as a plain message and a log file.

Run in a child process: pytest-qt replaces sys.excepthook inside tests, and the point here is
what Qt does with an exception raised in a slot of the real app."""

import os
import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from nasro_desktop.ui import app as app_module

qt = QApplication([])
QMessageBox.warning = staticmethod(lambda parent, title, text: print("SHOWN:", text))
app_module.install_last_resort(sys.argv[1])

def broken_slot():
    raise RuntimeError("database column foo missing")

QTimer.singleShot(0, broken_slot)
QTimer.singleShot(50, qt.quit)
qt.exec()
print("STILL RUNNING")
"""


def test_an_error_in_a_slot_is_logged_and_explained_plainly(tmp_path):
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert "STILL RUNNING" in out.stdout  # the app carries on
    shown = [line for line in out.stdout.splitlines() if line.startswith("SHOWN:")]
    assert len(shown) == 1
    assert "database" not in shown[0] and "RuntimeError" not in shown[0]
    assert "did not finish" in shown[0] and str(tmp_path / "problems.log") in shown[0]
    log = (tmp_path / "problems.log").read_text(encoding="utf-8")
    assert "RuntimeError: database column foo missing" in log and "broken_slot" in log
    assert "Traceback" not in out.stderr
