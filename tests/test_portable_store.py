"""The store, backups, exports, evidence, the lock and the log, run on Linux as far as Windows
can be imitated here: the POSIX-only calls taken away (os.fchmod, os.getuid, O_NOFOLLOW,
O_TMPFILE, fcntl), sys.platform set to 'win32', msvcrt's byte lock and Windows' refusing
os.rename imitated, and a Windows-like data folder (spaces, a non-ASCII user name, a long
path, a drive letter as far as a path string goes).

Not imitated (only a Windows machine shows them; the CI's windows-latest job runs the whole
default lane there): a file that cannot be renamed or deleted while it is open, ACLs instead of
mode bits, path length limits of 260 characters without the long-path setting."""

from __future__ import annotations

import errno
import hashlib
import os
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from test_portable import FakeMsvcrt

from nasro_desktop.domain.model import Answer, Assessment, Officer, School
from nasro_desktop.problem_log import LOG_NAME, note_problem
from nasro_desktop.store import Store, StoreError, exchange
from nasro_desktop.store.backups import restore_backup


@pytest.fixture
def windows_like(monkeypatch):
    import sqlite_utils  # noqa: F401 - imported here: click picks its console by sys.platform
    for name in ("fchmod", "fchown", "getuid", "geteuid", "O_NOFOLLOW", "O_TMPFILE"):
        monkeypatch.delattr(os, name, raising=False)
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` fails, as on Windows
    monkeypatch.setattr(sys, "platform", "win32")
    real_rename = os.rename

    def windows_rename(src, dst, **kw):
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "Cannot create a file when that file already "
                                  "exists", str(dst))
        real_rename(src, dst, **kw)

    monkeypatch.setattr(os, "rename", windows_rename)
    return fake


def windows_folder(tmp_path: Path, long: bool = False) -> Path:
    user = tmp_path / "C:" / "Users" / "Jos\u00e9 N\u00fa\u00f1ez-\u00d8stergaard \u674e"
    folder = user / "AppData" / "Local" / "nasro desktop"
    if long:
        folder = folder / ("School Resource Officer program files " * 4).strip() / "data"
    return folder


def assessment() -> Assessment:
    return Assessment(title="Review 2026 \u2014 \u00c9cole & Lincoln", agency="Pine Ridge PD",
                      district="Pine Ridge USD", as_of=date(2026, 9, 1), form_id="nasro-2018",
                      form_version=1, officers=[Officer(name="Dana Ru\u00edz")],
                      schools=[School(name="Lincoln")])


@pytest.mark.parametrize("long", [False, True], ids=["profile folder", "long path"])
def test_the_store_round_trip_without_posix_calls(tmp_path, windows_like, long):
    data = windows_folder(tmp_path, long)
    usb = tmp_path / "E:" / "SRO backups (2026)"
    usb.mkdir(parents=True)
    src = tmp_path / "D:" / "Scans \u00e0 garder"
    src.mkdir(parents=True)
    (src / "Signed MOU.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(50_000) + b"\n%%EOF\n")
    with Store.open(data) as store:
        aid = store.create_assessment(assessment()).id
        form = store.load_assessment(aid)
        store.save_answer(aid, Answer(question_id="mou.exists", value="yes"))
        item = store.evidence.attach(aid, src / "Signed MOU.pdf", "question", "mou.exists")
        daily = store.backups.auto(datetime(2026, 9, 2, 9, 0))
        written = store.backups.save_to(usb / "SRO backup.db")
        exported = exchange.export_assessment(store, aid, usb / "review 2026.zip")
        copy = store.evidence.save_copy(item.id, usb)
        opened = store.evidence.open_copy(item.id)
        assert copy.read_bytes() == opened.read_bytes() == (src / "Signed MOU.pdf").read_bytes()
        assert exchange.import_assessment(store, exported) != aid
    assert daily is not None and written.is_file() and form.title.startswith("Review 2026")
    assert sorted(p.name for p in usb.iterdir()) == ["SRO backup.db", "Signed MOU.pdf",
                                                     "review 2026.zip"]
    leftovers = [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    other = tmp_path / "F:" / "restored"
    assert restore_backup(other, written) == []
    with Store.open(other) as restored:
        titles = sorted(s.title for s in restored.list_assessments())
        assert titles == [assessment().title]  # the backup was made before the import
        first = restored.evidence.records(restored.list_assessments()[0].id)[0]
        assert hashlib.sha256(restored.evidence.read_bytes(first.id)).hexdigest() == item.sha256


def test_a_second_copy_of_the_app_on_the_same_folder(tmp_path, windows_like):
    data = windows_folder(tmp_path)
    with Store.open(data) as writer:
        assert len(windows_like.held) == 1  # msvcrt's lock, not fcntl's
        writer.create_assessment(assessment())
        with pytest.raises(StoreError) as refused:  # a second writer, in plain words
            Store.open(data)
        assert "Traceback" not in str(refused.value) and len(str(refused.value)) < 600
        # msvcrt has no shared lock; a viewer still reads what is saved
        with Store.open(data, read_only=True) as viewer:
            assert [s.title for s in viewer.list_assessments()] == [assessment().title]
    assert windows_like.held == {}  # released when the first closed
    with Store.open(data):
        pass


def test_the_log_without_fchmod_in_a_windows_like_folder(tmp_path, windows_like):
    data = windows_folder(tmp_path)
    data.mkdir(parents=True)
    note_problem(data, "saving the text size", OSError(errno.EACCES, "denied"))
    text = (data / LOG_NAME).read_text(encoding="utf-8")
    assert "saving the text size" in text and "denied" in text
