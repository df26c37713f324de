"""Work around a PySide6 reference-count bug that crashes the app after many signals.

On the PySide6 build we ship against (6.12 with CPython 3.11), `SignalInstance.emit()` returns
`True` without taking a reference to it. Each emit from Python code drops the interpreter's count
of `True` by one; after a few hundred edits (every answer emits signals) the count reaches zero
and Python aborts with "Fatal Python error: bool_dealloc", at the latest when the app exits.

`install()` checks for the bug with one probe emit and, only if the count dropped, wraps `emit`
to add back the missing reference. Importing any window module installs it.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_installed = False


class _Probe(QObject):
    fired = Signal()


def emit_leaks() -> bool:
    """True when emit() loses a reference to its return value (checked over a few emits)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    return sys.getrefcount(True) < before - 4


def install() -> bool:
    """Patch SignalInstance.emit if this PySide6 needs it. True when the patch is in place."""
    global _installed
    if _installed:
        return True
    if not emit_leaks():
        return False
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self, *args):
        result = original(self, *args)
        incref(result)  # the reference PySide6 forgot to give us
        return result

    # (no emit.__doc__ copy: reading it loads PySide6's signature machinery, ~45 ms)
    SignalInstance.emit = emit
    _installed = True
    return True


install()
