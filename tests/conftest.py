import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Test helpers (ui_support, report_fixtures) import by their own name whichever file runs first.
sys.path.insert(0, str(Path(__file__).parent))

# Qt aborts without a display unless told to draw offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test may ever touch the user's real data folder, nor write the user's form cache.
os.environ.pop("NASRO_DATA_DIR", None)
os.environ["NASRO_CACHE_DIR"] = tempfile.mkdtemp(prefix="nasro-test-cache-")
atexit.register(shutil.rmtree, os.environ["NASRO_CACHE_DIR"], True)

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
