"""Guard against a Qt binding that corrupts Python's reference counts (PySide6 6.12.0 on 3.11).

Such a build aborts the app with "none_dealloc" after a few thousand calls, i.e. minutes into
a real session. Run in a child process so a broken build fails this test, not the whole run.
"""

import subprocess
import sys

CHECK = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
class Emitter(QObject):
    fired = Signal(bool)
emitter = Emitter()
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(3000):
    label.setText("x")
    label.setEnabled(True)
    emitter.fired.emit(True)
after = sys.getrefcount(None), sys.getrefcount(True)
print(before[0] - after[0], before[1] - after[1])
"""


def test_qt_calls_do_not_leak_references_to_none_or_true():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    none_lost, true_lost = (int(x) for x in out.stdout.split())
    # a few references may move as objects are created; a broken build loses thousands
    assert none_lost < 100 and true_lost < 100, (
        f"this PySide6 build loses references to None ({none_lost}) / True ({true_lost}): "
        "install another version (see pyproject.toml)"
    )
