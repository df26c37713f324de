"""Only folders and files the user owns (issue 27 §1), made real: folders created under umask
000, a data folder swapped by a second user (a real second uid through `setpriv`; the tests
run as root in CI), a data file or folder others may write, and links planted inside the data
folder that the app must never follow."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import Store, StoreError, exchange
from nasro_desktop.store import backups as backup_mod
from nasro_desktop.store import evidence as ev

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_UID = 4242  # a second user of the computer
needs_root = pytest.mark.skipif(not IS_ROOT, reason="a second user (setpriv, chown) needs root")


def _assessment(title: str = "Ours") -> Assessment:
    return Assessment(title=title, as_of=date(2026, 9, 1), form_id="nasro-2018",
                      form_version=1)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _as_other_user(cmd: list[str]) -> list[str]:
    return ["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups", *cmd]


@functools.cache
def _why_other_user_cannot_run() -> str:
    """"" when the second user can run this Python with this checkout importable; else why
    not (a checkout or virtual environment in a folder only root may enter, as a CI clone in
    a private temporary folder is)."""
    probe = subprocess.run(_as_other_user([sys.executable, "-c", "import nasro_desktop.store"]),
                           capture_output=True, text=True, timeout=60, cwd="/",
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    if probe.returncode == 0:
        return ""
    lines = (probe.stderr or probe.stdout or "no output").strip().splitlines()
    return lines[-1] if lines else f"exit {probe.returncode}"


def _python(code: str, env: dict[str, str], *, other_user: bool = False
            ) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", code]
    if other_user:
        why = _why_other_user_cannot_run()
        if why:
            pytest.skip(f"the second user cannot run this checkout's Python here: {why}")
        cmd = _as_other_user(cmd)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nasro_desktop", "--data-dir", str(data),
                           *args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def shared(tmp_path):
    """A folder both users can reach (tmp_path's parents are root's own, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="nasro-shared-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- every folder the app makes is 0700, whatever the umask --------------------------------------


def test_first_start_under_umask_000_makes_every_folder_private(tmp_path):
    """The default data folder under a new HOME: ~/.local, ~/.local/share and the data folder,
    then evidence/, backups/ (and its pool) and a CSV export folder, all 0700."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    source = tmp_path / "mou.pdf"
    source.write_bytes(b"%PDF-1.4 signed\n")
    code = (
        "import os; os.umask(0)\n"
        "from datetime import date\n"
        "from nasro_desktop.domain.model import Assessment\n"
        "from nasro_desktop.store import Store, spreadsheet\n"
        "from nasro_desktop.session import form_for\n"
        "with Store.open() as store:\n"
        "    a = store.create_assessment(Assessment(title='T', as_of=date(2026, 9, 1),"
        " form_id='nasro-2018', form_version=1))\n"
        f"    store.evidence.attach(a.id, {str(source)!r}, 'standard', '01.01.04')\n"
        "    from nasro_desktop.store import backups\n"
        "    backups.auto_backup(store.data_dir)\n"
        "    a = store.load_assessment(a.id)\n"
        f"    spreadsheet.export_csv(a, form_for(a), "
        f"{str(home / 'csv')!r}, store.evidence.records(a.id))\n")
    env = {"HOME": str(home), "XDG_DATA_HOME": "", "NASRO_DATA_DIR": ""}
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    data = home / ".local" / "share" / "nasro-desktop"
    made = [home / ".local", home / ".local" / "share", data, data / "evidence",
            data / "backups", data / "backups" / "evidence", home / "csv"]
    made += [p for p in (data / "evidence").iterdir()] + \
        [p for p in (data / "backups" / "evidence").iterdir()]
    assert {str(p.relative_to(home)): oct(_mode(p)) for p in made} == \
        {str(p.relative_to(home)): "0o700" for p in made}
    assert _mode(data / "nasro.db") == 0o600


@needs_root
def test_a_second_user_under_umask_000_gets_private_folders_too(shared):
    """The same first start run by a real second user (not root: no override of modes)."""
    home = shared / "home"
    home.mkdir()
    os.chown(home, OTHER_UID, OTHER_UID)
    code = "import os; os.umask(0)\nfrom nasro_desktop.store import Store\nStore.open().close()\n"
    result = _python(code, {"HOME": str(home), "XDG_DATA_HOME": "", "NASRO_DATA_DIR": ""},
                     other_user=True)
    assert result.returncode == 0, result.stderr
    for path in (home / ".local", home / ".local/share", home / ".local/share/nasro-desktop"):
        assert _mode(path) == 0o700 and os.stat(path).st_uid == OTHER_UID


# --- a data folder, data file or folder inside that is not the user's own --------------------


@needs_root
def test_a_data_folder_swapped_by_another_user_is_refused(shared):
    parent = shared / "parent"
    parent.mkdir()
    os.chmod(parent, 0o777)  # a parent others may write (a shared or badly set up folder)
    data = parent / "nasro-desktop"
    with Store.open(data) as store:
        store.create_assessment(_assessment("Our 2026 review"))
    # the other user renames ours aside and puts their own folder and data file in its place
    swap = (
        "import os; os.umask(0)\n"
        f"os.rename({str(data)!r}, {str(parent / 'aside')!r})\n"
        "from nasro_desktop.store import Store\n"
        f"Store.open({str(data)!r}).close()\n"
        f"os.chmod({str(data)!r}, 0o777); os.chmod({str(data / 'nasro.db')!r}, 0o666)\n")
    result = _python(swap, {}, other_user=True)
    assert result.returncode == 0, result.stderr
    assert os.stat(data).st_uid == OTHER_UID
    with pytest.raises(StoreError) as caught:
        Store.open(data)
    assert "belongs to another user" in str(caught.value) and str(data) in str(caught.value)
    assert not (data / "nasro.lock").exists() or os.stat(data / "nasro.lock").st_uid == OTHER_UID
    listed = _cli(data, "list")
    assert listed.returncode != 0 and "belongs to another user" in listed.stderr
    assert "Traceback" not in listed.stderr
    imported = _cli(data, "import", str(ROOT / "nothing.json"))
    assert imported.returncode != 0 and "Traceback" not in imported.stderr
    with pytest.raises(StoreError, match="belongs to another user"):
        Store.open(data, read_only=True)


@needs_root
@pytest.mark.parametrize("name", ["", "nasro.db", "evidence", "backups", "backups/evidence"])
def test_a_part_of_the_data_folder_owned_by_another_user_is_refused(data_dir, name):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
    for folder in ("evidence", "backups", "backups/evidence"):
        (data_dir / folder).mkdir(mode=0o700, exist_ok=True)
    os.chown(data_dir / name, OTHER_UID, OTHER_UID)
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    assert "belongs to another user" in str(caught.value)
    assert str(data_dir / name).rstrip("/") in str(caught.value)


@pytest.mark.parametrize(("name", "mode", "fix"), [
    ("", 0o777, "chmod 700"), ("", 0o770, "chmod 700"), ("nasro.db", 0o666, "chmod 600"),
    ("nasro.db", 0o620, "chmod 600"), ("evidence", 0o777, "chmod 700"),
    ("backups", 0o757, "chmod 700"), ("backups/evidence", 0o777, "chmod 700")])
def test_a_part_others_may_write_is_refused_with_what_to_do(data_dir, name, mode, fix):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
    for folder in ("evidence", "backups", "backups/evidence"):
        (data_dir / folder).mkdir(mode=0o700, exist_ok=True)
    target = data_dir / name
    os.chmod(target, mode)
    before = (target.stat().st_mtime_ns, sorted(os.listdir(data_dir)))
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    text = str(caught.value)
    assert "Other users of this computer may change" in text and fix in text
    assert stat.filemode(mode)[1:] in text and "Nothing was changed" in text
    assert (target.stat().st_mtime_ns, sorted(os.listdir(data_dir))) == before
    os.chmod(target, 0o600 if name == "nasro.db" else 0o700)  # the fix the message gives
    with Store.open(data_dir) as store:
        assert [s.title for s in store.list_assessments()] == ["Ours"]


# --- links inside the data folder are never followed -------------------------------------------


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "someone's file"
    victim.parent.mkdir()
    victim.write_bytes(b"not the app's")
    os.chmod(victim, 0o444)
    return victim


def _zip_with(tmp_path: Path, store: Store, content: bytes) -> tuple[Path, str]:
    """An export (.zip) of an assessment holding one file of `content`; its SHA-256."""
    src = tmp_path / "mou.pdf"
    src.write_bytes(content)
    aid = store.create_assessment(_assessment("Exported")).id
    store.evidence.attach(aid, src, "standard", "01.01.04")
    out = exchange.export_assessment(store, aid, tmp_path / "export.json")
    assert zipfile.is_zipfile(out)
    return out, hashlib.sha256(content).hexdigest()


def test_replacing_a_stored_file_never_changes_a_link_planted_in_its_place(tmp_path):
    victim = _victim(tmp_path)
    with Store.open(tmp_path / "first") as first:
        export, sha = _zip_with(tmp_path, first, b"%PDF-1.4 the signed MOU\n")
    data = tmp_path / "data"
    with Store.open(data) as store:
        planted = ev.blob_in(data / "evidence", sha)  # planted while the app runs (the
        planted.parent.mkdir(parents=True, mode=0o700)  # sweep at open removes a link)
        planted.symlink_to(victim)
        aid = exchange.import_assessment(store, export)
        (item,) = store.evidence.records(aid)
        assert store.evidence.read_bytes(item.id) == b"%PDF-1.4 the signed MOU\n"
    assert _mode(victim) == 0o444 and victim.read_bytes() == b"not the app's"
    assert not planted.is_symlink() and _mode(planted) == 0o400


def test_pruning_the_pool_never_changes_a_link_planted_in_it(data_dir, tmp_path):
    victim = _victim(tmp_path)
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
    pool = ev.pool_of(data_dir)
    planted = ev.blob_in(pool, "ab" * 32)
    planted.parent.mkdir(parents=True, mode=0o700)
    planted.symlink_to(victim)
    backup_mod.prune_pool(data_dir)
    assert _mode(victim) == 0o444 and victim.read_bytes() == b"not the app's"
    assert not os.path.lexists(planted)  # the link itself went


def test_a_failed_import_never_changes_a_link_planted_where_its_file_went(tmp_path):
    """exchange.remove_added (the files an import stored, after the database refused it):
    a link found in a file's place is removed, never followed."""
    victim = _victim(tmp_path)
    from nasro_desktop.store import exchange

    live = tmp_path / "live"
    sha = hashlib.sha256(b"x").hexdigest()
    link = ev.blob_in(live, sha)
    link.parent.mkdir(parents=True)
    link.symlink_to(victim)
    exchange.remove_added(live, [sha])
    assert _mode(victim) == 0o444 and victim.exists()


def test_the_sweep_at_open_never_deletes_through_a_linked_folder(data_dir, tmp_path):
    outside = tmp_path / "outside-folder"
    (outside / "ab").mkdir(parents=True)
    theirs = outside / "ab" / ("ab" * 32)
    theirs.write_bytes(b"someone else's file")
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
    (data_dir / "evidence").symlink_to(outside)
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    assert "is a link" in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert theirs.read_bytes() == b"someone else's file"
    # a linked 2-letter folder inside a real evidence folder is not followed either
    (data_dir / "evidence").unlink()
    (data_dir / "evidence").mkdir(mode=0o700)
    (data_dir / "evidence" / "ab").symlink_to(outside / "ab")
    with Store.open(data_dir):
        pass
    assert theirs.read_bytes() == b"someone else's file"
