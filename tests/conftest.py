import os
import sys
from pathlib import Path

# Test helpers (ui_support, report_fixtures) import by their own name whichever file runs first.
sys.path.insert(0, str(Path(__file__).parent))

# Qt aborts without a display unless told to draw offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test may ever touch the user's real data folder.
os.environ.pop("NASRO_DATA_DIR", None)

import pytest  # noqa: E402


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("NASRO_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(data_dir):
    """The store on the test's own data folder, closed after the test."""
    from nasro_desktop.store import Store

    with Store.open(data_dir) as opened:
        yield opened


# The quick lane is `pytest -m "not slow"` (run it while working); `pytest` runs everything
# (CI, and before landing). Slow: the tests that kill processes, make faults, soak, take
# screenshots or generate examples (hypothesis), found by their file or their name here; the
# tests listed in slow_tests.txt (measured: half a second or more each); and any test marked
# @pytest.mark.slow where it is written.
SLOW_FILES = {
    "test_store_faults.py", "test_store_faults_backups.py", "test_store_faults_hygiene.py",
    "test_store_faults_input.py", "test_store_faults_open.py", "test_store_trust_restore.py",
    "test_screenshots.py", "test_ui_pages_screenshots.py", "test_ui_look.py",
    "test_scoring_properties.py",
}
SLOW_NAME_WORDS = ("kill", "soak", "screenshot", "fault", "random", "libreoffice")


def _measured_slow() -> set[str]:
    listed = Path(__file__).with_name("slow_tests.txt").read_text(encoding="utf-8")
    return {line.strip() for line in listed.splitlines() if line.strip()
            and not line.startswith("#")}


def _mark_slow(items) -> None:
    measured = _measured_slow()
    for item in items:
        name = item.name.lower()
        test_id = item.nodeid.split("/", 1)[-1]
        if (test_id in measured or Path(str(item.fspath)).name in SLOW_FILES
                or any(word in name for word in SLOW_NAME_WORDS)
                or getattr(getattr(item, "obj", None), "is_hypothesis_test", False)):
            item.add_marker(pytest.mark.slow)


def pytest_collection_modifyitems(config, items):
    """Marks the slow lane (above); then, on Windows, a test that makes its fault with a POSIX-only call (SIGKILL, a FIFO, chown,
    a folder made read-only with chmod...) is skipped, naming the call: the app's own fallbacks
    for those calls are tested everywhere (tests/test_portable*.py), the fault needs a Windows
    way of its own. Found with the portability check's reader (tests/test_portability_check.py)."""
    _mark_slow(items)
    if sys.platform != "win32":
        return
    import inspect
    import re
    import textwrap

    from test_portability_check import posix_uses

    for item in items:
        function = getattr(item, "function", None)
        try:
            source = textwrap.dedent(inspect.getsource(function))
            uses = {use.what for use in posix_uses(source)}
        except (OSError, TypeError, SyntaxError):
            continue
        if re.search(r"chmod\(0o[0-5][0-7]{2}\)", source):
            uses.add("chmod to a read-only mode")
        if uses:
            item.add_marker(pytest.mark.skip(
                reason="its fault is made with " + ", ".join(sorted(uses))
                + ", which Windows lacks"))
