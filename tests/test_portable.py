"""Every named fallback in nasro_desktop/portable.py, run here on Linux with the POSIX call
taken away (and sys.platform set to 'win32' where the helper branches on it), next to the
POSIX route it replaces."""

from __future__ import annotations

import errno
import os
import stat
import sys
import types

import pytest

from nasro_desktop import portable

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32",
                                reason="the POSIX route; its Windows fallback is tested here too")


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def symlink_or_skip(link, target) -> None:
    """Windows lets only administrators (or developer mode) make symbolic links."""
    try:
        link.symlink_to(target)
    except OSError as error:
        pytest.skip(f"no symbolic links here: {error}")


@POSIX_ONLY  # modes: Windows keeps only a read-only flag
@pytest.mark.parametrize("has_fchmod", [True, False])
def test_open_private_makes_even_an_existing_wide_file_private(tmp_path, monkeypatch, has_fchmod):
    if not has_fchmod:
        monkeypatch.delattr(os, "fchmod")
    path = tmp_path / "Jos\u00e9 notes.log"
    path.write_text("before\n")
    path.chmod(0o666)
    fd = portable.open_private(path, os.O_WRONLY | os.O_APPEND)
    with open(fd, "a") as handle:
        handle.write("after\n")
    assert path.read_text() == "before\nafter\n"
    assert mode_of(path) == 0o600
    fresh = tmp_path / "new.log"
    os.close(portable.open_private(fresh, os.O_WRONLY))
    assert mode_of(fresh) == 0o600


def test_make_private_never_raises_where_modes_cannot_be_set(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fchmod")

    def refuse(path, mode):
        raise PermissionError(errno.EPERM, "no modes on this drive", str(path))

    monkeypatch.setattr(os, "chmod", refuse)
    path = tmp_path / "f"
    path.write_text("x")
    with open(path) as handle:
        portable.make_private(handle.fileno(), path)  # no exception


@POSIX_ONLY
def test_owned_by_me_without_getuid(tmp_path, monkeypatch):
    path = tmp_path / "f"
    path.write_text("x")
    assert portable.owned_by_me(path.stat())
    someone_else = os.stat_result((0o100600, 1, 1, 1, os.getuid() + 1, 0, 1, 0, 0, 0))
    assert not portable.owned_by_me(someone_else)
    monkeypatch.delattr(os, "getuid")
    assert portable.owned_by_me(someone_else)  # Windows: st_uid means nothing; a per-user folder


def test_unnamed_file_route_on_linux_and_none_without_o_tmpfile(tmp_path, monkeypatch):
    fd = portable.open_unnamed(tmp_path)
    if fd is not None:  # a file system with unnamed files (tmpfs, ext4)
        try:
            os.write(fd, b"whole")
            assert list(tmp_path.iterdir()) == []  # nothing to leave behind if killed now
            portable.give_name(fd, tmp_path / "named")
        finally:
            os.close(fd)
        assert (tmp_path / "named").read_bytes() == b"whole"
        assert mode_of(tmp_path / "named") == 0o600
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    assert portable.open_unnamed(tmp_path) is None  # Windows, macOS: the hidden temp file route


def test_unnamed_file_route_is_skipped_on_a_drive_without_unnamed_files(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "O_TMPFILE", 0o20200000, raising=False)
    real_open = os.open

    def no_tmpfile(path, flags, mode=0o777, **kw):
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, "not on this drive")
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(os, "open", no_tmpfile)
    assert portable.open_unnamed(tmp_path) is None


class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking as Windows does it: a byte range locked by one handle refuses another
    (LK_NBLCK raises at once), whatever process holds it."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int], int] = {}

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        assert os.lseek(fd, 0, os.SEEK_CUR) == 0 and nbytes == 1
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            assert self.held.pop(key) == fd


def test_lock_file_on_windows_has_no_shared_mode(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delitem(sys.modules, "fcntl", raising=False)
    path = tmp_path / "nasro.lock"
    path.write_bytes(b"")
    first = os.open(path, os.O_RDWR)
    second = os.open(path, os.O_RDWR)
    try:
        portable.lock_file(first, shared=True)
        os.lseek(first, 0, os.SEEK_END)  # unlocking seeks back to the first byte
        with pytest.raises(OSError):
            portable.lock_file(second, shared=True)  # a second viewer is refused
        portable.unlock_file(first)
        portable.lock_file(second, shared=False)
        portable.unlock_file(second)
    finally:
        os.close(first)
        os.close(second)
    assert fake.held == {}


@POSIX_ONLY
def test_lock_file_on_posix_shares_readers_and_excludes_a_writer(tmp_path):
    path = tmp_path / "nasro.lock"
    path.write_bytes(b"")
    fds = [os.open(path, os.O_RDWR) for _ in range(3)]
    try:
        portable.lock_file(fds[0], shared=True)
        portable.lock_file(fds[1], shared=True)
        with pytest.raises(BlockingIOError):
            portable.lock_file(fds[2], shared=False)
        portable.unlock_file(fds[0])
        portable.unlock_file(fds[1])
        portable.lock_file(fds[2], shared=False)
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.parametrize("route", [pytest.param("posix", marks=POSIX_ONLY), "no hard links",
                                   "os.link missing", "windows"])
def test_place_new_names_a_file_and_never_replaces_or_follows(tmp_path, monkeypatch, route):
    if route == "no hard links":  # a FAT-formatted stick on Linux or a Mac
        def refuse(src, dst, **kw):
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", refuse)
    elif route == "os.link missing":
        monkeypatch.delattr(os, "link")
    elif route == "windows":
        real_rename = os.rename

        def windows_rename(src, dst):  # Windows' rename refuses an existing name
            if os.path.lexists(dst):
                raise FileExistsError(errno.EEXIST, "Cannot create a file when that file "
                                      "already exists", str(dst))
            real_rename(src, dst)

        monkeypatch.setattr(os, "rename", windows_rename)
        monkeypatch.setattr(sys, "platform", "win32")
    folder = tmp_path / "Program Files (x86)" / "Jos\u00e9's copies"
    folder.mkdir(parents=True)
    tmp = folder / ".x.tmp"
    tmp.write_bytes(b"checked copy")
    portable.place_new(tmp, folder / "MOU signed.pdf")
    assert (folder / "MOU signed.pdf").read_bytes() == b"checked copy"
    assert not tmp.exists()
    secret = tmp_path / "secret"
    secret.write_text("not yours")
    symlink_or_skip(folder / "planted.pdf", secret)
    tmp.write_bytes(b"another")
    with pytest.raises(FileExistsError):
        portable.place_new(tmp, folder / "planted.pdf")
    with pytest.raises(FileExistsError):
        portable.place_new(tmp, folder / "MOU signed.pdf")
    assert secret.read_text() == "not yours"
    assert (folder / "MOU signed.pdf").read_bytes() == b"checked copy"


# --- issue 27: others' write bits, reads and chmod never through a link, private folders ------


@pytest.fixture
def places(tmp_path):
    regular = tmp_path / "regular"
    regular.write_bytes(b"plain")
    os.chmod(regular, 0o444)
    link = tmp_path / "link"
    link.symlink_to(regular)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    return regular, link, fifo


@pytest.mark.parametrize("has_nofollow", [True, False])
def test_open_regular_opens_a_file_and_refuses_a_link_a_pipe_a_device(places, monkeypatch,
                                                                      has_nofollow):
    if not has_nofollow:
        monkeypatch.delattr(os, "O_NOFOLLOW")
    regular, link, fifo = places
    fd = portable.open_regular(regular)
    try:
        assert os.read(fd, 10) == b"plain"
    finally:
        os.close(fd)
    for path in (link, fifo, "/dev/zero", regular.parent):  # never blocks on the pipe
        with pytest.raises(OSError):
            os.close(portable.open_regular(path))
    with pytest.raises(portable.NotRegular):
        portable.open_regular(link)


@pytest.mark.parametrize("has_fchmod", [True, False])
def test_chmod_regular_never_changes_what_a_link_points_to(places, monkeypatch, has_fchmod):
    if not has_fchmod:
        monkeypatch.delattr(os, "fchmod")
    regular, link, fifo = places
    assert portable.chmod_regular(link, 0o600) is False
    assert portable.chmod_regular(fifo, 0o600) is False
    assert portable.chmod_regular(regular.parent / "none", 0o600) is False
    assert mode_of(regular) == 0o444
    assert portable.chmod_regular(regular, 0o600) is True
    assert mode_of(regular) == 0o600


def test_others_can_write_and_its_windows_fallback(tmp_path, monkeypatch):
    path = tmp_path / "f"
    path.write_bytes(b"")
    for mode, expected in ((0o600, False), (0o620, True), (0o602, True), (0o644, False)):
        os.chmod(path, mode)
        assert portable.others_can_write(os.stat(path)) is expected
    monkeypatch.setattr(sys, "platform", "win32")  # made-up bits (0o666): taken as private
    os.chmod(path, 0o666)
    assert portable.others_can_write(os.stat(path)) is False


def test_make_private_folders_under_umask_000(tmp_path):
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = ("import os, sys; os.umask(0); from pathlib import Path\n"
            "from nasro_desktop import portable\n"
            "print(len(portable.make_private_folders(Path(sys.argv[1]))))\n")
    deep = tmp_path / "a" / "b" / "c"
    result = subprocess.run([sys.executable, "-c", code, str(deep)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(root)}, check=True)
    assert result.stdout.strip() == "3"
    for path in (tmp_path / "a", tmp_path / "a" / "b", deep):
        assert mode_of(path) == 0o700
    os.chmod(tmp_path / "a", 0o755)  # a folder already there is never changed
    assert portable.make_private_folders(deep) == []
    assert mode_of(tmp_path / "a") == 0o755
