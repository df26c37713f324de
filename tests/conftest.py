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
