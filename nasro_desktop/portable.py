"""The one home of every operating-system call that Windows or macOS lacks or does differently.

Each helper uses the POSIX call where Python has it and a named fallback where it does not;
the fallback is decided when the helper is called (not when this module is imported), so the
tests run every fallback on Linux with the call monkeypatched away (tests/test_portable.py),
and tests/test_portability_check.py fails when a POSIX-only call appears anywhere else in
`nasro_desktop/`.

What a user's files rely on, everywhere:
- the data folder is in the user's own profile (%LOCALAPPDATA% on Windows, ~/Library on a
  Mac), which only that user can read: on Windows, where a file's mode bits are only a
  read-only flag, the folder's permissions (inherited by every file in it) are what keep the
  files private;
- a file is never trusted just for being where we left it: see `owned_by_me`.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def is_windows() -> bool:
    return sys.platform == "win32"


def make_private(fd: int, path: str | os.PathLike[str], mode: int = PRIVATE_FILE) -> None:
    """Set an open file's permissions to `mode` (0600: the user only).

    POSIX: os.fchmod on the open file (no name is looked up again). Windows (no os.fchmod
    before Python 3.13): os.chmod on the name, which only sets or clears the read-only flag; the
    file stays private through the user's profile folder it sits in. Never raises OSError: a
    file system that keeps no modes (FAT on a USB stick) leaves the file as it is."""
    try:
        fchmod = getattr(os, "fchmod", None)
        if fchmod is not None:
            fchmod(fd, mode)
        else:
            os.chmod(path, mode)
    except OSError:
        pass


def open_private(path: str | os.PathLike[str], flags: int) -> int:
    """os.open(path, flags | O_CREAT) with the file private (0600) even when it already existed
    (a file made earlier by another program keeps no wider mode). Returns the descriptor."""
    fd = os.open(path, flags | os.O_CREAT, PRIVATE_FILE)
    make_private(fd, path)
    return fd


def owned_by_me(info: os.stat_result) -> bool:
    """Whether a file's owner (from os.stat/os.lstat/os.fstat) is the user running the app.

    POSIX: st_uid == os.getuid(). Windows (no getuid; st_uid is always 0): True, because the
    places this is asked about (the user's temp, cache and data folders) are in the user's own
    profile, which other users cannot write into."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return bool(info.st_uid == getuid())


def open_unnamed(folder: Path) -> int | None:
    """A new private file in `folder` with no name yet (read-write descriptor), or None.

    Linux: O_TMPFILE, so nothing is left behind if the process is killed before the file is
    complete; `give_name` then links it into the folder. Windows and macOS (no O_TMPFILE), and
    Linux file systems without unnamed files (some network drives), or without /proc: None; the
    caller writes a hidden temporary file instead (see store/files.temp_beside), which the next
    run removes if it is left over."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, PRIVATE_FILE)
    except OSError:
        return None


def give_name(fd: int, name: Path) -> None:
    """Link the unnamed file `fd` (from `open_unnamed`) into the folder as `name`.

    linkat(AT_SYMLINK_FOLLOW) through /proc; CPython calls linkat (not link, which would not
    follow /proc's link) when a folder descriptor is passed. Only reached where `open_unnamed`
    returned a descriptor, i.e. on Linux (never on Windows or macOS)."""
    folder_fd = os.open(name.parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=folder_fd, follow_symlinks=True)
    finally:
        os.close(folder_fd)


def place_new(tmp: Path, dest: Path) -> None:
    """Give the finished file `tmp` the name `dest`, refusing (FileExistsError) if anything
    is at `dest`, a link planted there included (never followed, never replaced).

    POSIX: os.link then removing `tmp` (atomic; a hard link refuses an existing name).
    Windows: os.rename, which refuses an existing name there (and needs no hard links, which
    FAT-formatted USB sticks lack). Where hard links are refused (a FAT stick on Linux or a
    Mac, os.link missing): the bytes are copied into a new file made with O_EXCL (refuses an
    existing name or link), then `tmp` is removed."""
    if is_windows():
        os.rename(tmp, dest)
        return
    link = getattr(os, "link", None)
    try:
        if link is None:
            raise OSError(errno.ENOTSUP, "no hard links here")
        link(tmp, dest)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK,
                               errno.ENOSYS, errno.EXDEV):
            raise
        _copy_exclusive(tmp, dest)
    tmp.unlink()


def _copy_exclusive(tmp: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with open(tmp, "rb") as source, open(fd, "wb", closefd=False) as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.close(fd)
        dest.unlink(missing_ok=True)
        raise
    os.close(fd)


def lock_file(fd: int, *, shared: bool) -> None:
    """Take a lock on an open file without waiting; OSError (BlockingIOError on POSIX) if
    another process holds a lock that excludes it. Released by `unlock_file` or by closing.

    POSIX: fcntl.flock, shared or exclusive. Windows (no fcntl): msvcrt.locking on the file's
    first byte, which has no shared mode: a viewer and a writer then exclude each other (two
    windows on one data folder are refused instead of one of them being read-only)."""
    if is_windows():
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)


def unlock_file(fd: int) -> None:
    """Release `lock_file`'s lock (see there for Windows)."""
    if is_windows():
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


# --- who else may write, and files read or chmod'ed never through a link (issue 27) -------------


def others_can_write(info: os.stat_result) -> bool:
    """Whether anyone but the owner may write the file or folder `info` describes (its group
    or everyone: st_mode's group/other write bits).

    Windows: False. Its st_mode bits are made up from the read-only flag (0o666 for every
    writable file); who else may write is the folder's access list, and the user's profile
    folder, where the data lives, lets no other user in."""
    if is_windows():
        return False
    return bool(info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class NotRegular(OSError):
    """The name is a link, a folder, a pipe, a device or a socket: not a regular file."""


def open_regular(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor (blocking reads) on the regular file `path`: never through a
    link, never blocking on a pipe, never a device. NotRegular for anything but a regular file.

    POSIX: O_NOFOLLOW | O_NONBLOCK, then fstat must show a regular file. Windows (no
    O_NOFOLLOW, no O_NONBLOCK): the name is looked at first (lstat: a link, a folder or a
    device is refused without opening it), then opened, and fstat must show that same file
    (volume and file index)."""
    nofollow = getattr(os, "O_NOFOLLOW", None)
    before = None
    if nofollow is None:
        before = os.lstat(path)
        if not stat.S_ISREG(before.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", os.fspath(path))
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
             | (nofollow or 0))
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise NotRegular(errno.ELOOP, "a link is in the place of the file",
                             os.fspath(path)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (
                before is not None
                and (info.st_ino, info.st_dev) != (before.st_ino, before.st_dev)):
            raise NotRegular(errno.EINVAL, "not a regular file", os.fspath(path))
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def chmod_regular(path: str | os.PathLike[str], mode: int) -> bool:
    """Set the mode of the regular file `path`, never through a link planted in its place.
    False (nothing done) when it is missing, a link or not a regular file.

    POSIX: fchmod on a descriptor from open_regular (O_NOFOLLOW). Windows (no fchmod before
    Python 3.13, no O_NOFOLLOW): lstat says it is a regular file, then os.chmod by name, which
    there only sets or clears the read-only flag."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    fchmod = getattr(os, "fchmod", None)
    if fchmod is None or getattr(os, "O_NOFOLLOW", None) is None:
        os.chmod(path, mode)
        return True
    try:
        fd = open_regular(path)
    except OSError:
        return False
    try:
        fchmod(fd, mode)
    finally:
        os.close(fd)
    return True


def make_private_folders(folder: Path) -> list[Path]:
    """Create `folder` and every missing parent, each 0700 whatever the umask (mkdir's mode
    applies to the last folder only, less the umask); a folder already there is never
    changed. The folders made, outermost first. Windows: the same calls (mode bits mean
    nothing there; the folders inherit the user's profile folder's access list)."""
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    made = []
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        try:
            os.chmod(path, PRIVATE_FOLDER)  # the umask took bits off: add none back
        except OSError:
            pass
        made.append(path)
    if not os.path.isdir(folder):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", os.fspath(folder))
    return made
