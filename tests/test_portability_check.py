"""The portability check: every POSIX-only call in nasro_desktop/ sits in portable.py, inside a
named fallback whose docstring says what happens on Windows and which tests/test_portable.py
runs. Read from the source's syntax tree (no import, nothing run), so it fails here on Linux
for code that would only fail on a chief's Windows laptop."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nasro_desktop"
PORTABLE = PACKAGE / "portable.py"

# Modules Windows (or macOS) does not have, or has only there.
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "syslog", "posix",
                 "crypt", "spwd", "nis", "posixpath", "msvcrt", "winreg", "_winapi", "winsound"}
# os names missing on Windows (or on macOS: O_TMPFILE), or which behave there unlike here.
POSIX_OS = {"fchmod", "fchown", "chown", "lchown", "lchmod", "chflags", "lchflags", "chroot",
            "getuid", "geteuid", "getgid", "getegid", "getgroups", "setuid", "setgid",
            "getpwuid", "O_TMPFILE", "O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NOCTTY",
            "O_SYNC", "O_DSYNC", "mkfifo", "mknod", "fork", "forkpty", "killpg", "setsid",
            "getpgid", "getsid", "sync", "link", "symlink", "uname", "statvfs", "fstatvfs",
            "getloadavg", "sched_getaffinity", "posix_fadvise", "posix_fallocate", "pipe2",
            "openpty", "nice", "WNOHANG", "pathconf", "fpathconf", "sysconf", "ttyname",
            "initgroups", "memfd_create", "sendfile", "splice", "getxattr",
            "setxattr", "listxattr"}
POSIX_SIGNALS = {"SIGKILL", "SIGPIPE", "SIGHUP", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD",
                 "SIGQUIT", "SIGSTOP", "SIGCONT", "SIGTSTP", "alarm", "setitimer", "pause",
                 "pthread_kill", "sigwait", "siginterrupt"}
DEVICE_TESTS = {"S_ISFIFO", "S_ISCHR", "S_ISBLK", "S_ISSOCK", "S_ISDOOR", "S_ISPORT"}
POSIX_SHUTIL = {"chown"}
# pathlib methods that raise or need rights on Windows (owner/group: NotImplementedError).
POSIX_METHODS = {"owner", "symlink_to", "hardlink_to", "lchmod"}
# keywords os functions refuse on Windows (os.supports_dir_fd is empty there)
POSIX_KEYWORDS = {"dir_fd", "src_dir_fd", "dst_dir_fd"}
# paths that exist on Linux only (or mean something else elsewhere)
POSIX_PATHS = ("/proc/", "/dev/", "/tmp/", "/etc/", "/var/", "/run/", "/sys/")


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    what: str
    function: str | None  # the top-level function it sits in


def posix_uses(source: str, path: str = "<source>") -> list[Use]:
    """Every POSIX-only name, module, keyword or path in this source."""
    tree = ast.parse(source)
    found: list[Use] = []
    owner: dict[ast.AST, str] = {}
    for top in tree.body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(top):
                owner[node] = top.name
    aliases = {"os": "os", "signal": "signal", "stat": "stat", "shutil": "shutil"}

    def add(node: ast.AST, what: str) -> None:
        found.append(Use(path, getattr(node, "lineno", 0), what, owner.get(node)))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                root = name.name.split(".")[0]
                if root in POSIX_MODULES:
                    add(node, f"import {name.name}")
                if root in aliases and name.asname:
                    aliases[name.asname] = root
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in POSIX_MODULES:
                add(node, f"from {node.module} import")
            table = {"os": POSIX_OS, "signal": POSIX_SIGNALS, "stat": DEVICE_TESTS,
                     "shutil": POSIX_SHUTIL}.get(node.module, set())
            for name in node.names:
                if name.name in table:
                    add(node, f"from {node.module} import {name.name}")
        elif isinstance(node, ast.Attribute):
            base = node.value.id if isinstance(node.value, ast.Name) else None
            module = aliases.get(base or "")
            if module == "os" and node.attr in POSIX_OS \
                    or module == "signal" and node.attr in POSIX_SIGNALS \
                    or module == "stat" and node.attr in DEVICE_TESTS \
                    or module == "shutil" and node.attr in POSIX_SHUTIL:
                add(node, f"{module}.{node.attr}")
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                    and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) \
                    and aliases.get(node.args[0].id) in ("os", "signal") \
                    and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value in POSIX_OS | POSIX_SIGNALS:
                add(node, f"getattr({node.args[0].id}, {node.args[1].value!r})")
            if isinstance(node.func, ast.Attribute) and node.func.attr in POSIX_METHODS \
                    and not (isinstance(node.func.value, ast.Name)
                             and node.func.value.id in aliases):
                add(node, f".{node.func.attr}()")
            for keyword in node.keywords:
                if keyword.arg in POSIX_KEYWORDS:
                    add(node, f"{keyword.arg}=")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.startswith(POSIX_PATHS):
            add(node, f"the path {node.value!r}")
    return found


def test_the_check_finds_each_kind_of_posix_only_call():
    sample = (
        "import os, fcntl, signal\nimport os as system\nfrom pwd import getpwuid\n"
        "from os import fchmod\nimport stat\nimport shutil\n"
        "def f(fd, path, info):\n"
        "    os.fchmod(fd, 0o600)\n"
        "    system.getuid()\n"
        "    flag = getattr(os, 'O_TMPFILE', None)\n"
        "    os.open(path, os.O_RDONLY | os.O_NOFOLLOW)\n"
        "    os.kill(1, signal.SIGKILL)\n"
        "    stat.S_ISFIFO(info.st_mode)\n"
        "    os.link('/proc/self/fd/3', path, src_dir_fd=fd)\n"
        "    shutil.chown(path, 'me')\n"
        "    path.hardlink_to(info)\n"
        "    return path.owner()\n"
        "os.mkfifo('x')\n"
    )
    uses = posix_uses(sample)
    found = {use.what for use in uses}
    assert found == {
        "import fcntl", "from pwd import", "from os import fchmod", "os.fchmod", "os.getuid",
        "getattr(os, 'O_TMPFILE')", "os.O_NOFOLLOW", "signal.SIGKILL", "stat.S_ISFIFO",
        "os.link", "the path '/proc/self/fd/3'", "src_dir_fd=", "shutil.chown", ".owner()", ".hardlink_to()",
        "os.mkfifo"}
    assert {use.function for use in uses if use.what == "os.mkfifo"} == {None}
    assert {use.function for use in uses if use.what == "os.fchmod"} == {"f"}
    # portable calls are not flagged
    assert posix_uses("import os, sys\nos.chmod('x', 0o600)\nos.replace('a', 'b')\n"
                      "sys.platform == 'win32'\nos.path.islink('x')\n"
                      "item.owner\nitem.owner.strip()\n") == []


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_posix_only_call_outside_portable_py():
    outside = [use for path in sources() if path != PORTABLE
               for use in posix_uses(path.read_text(encoding="utf-8"),
                                     str(path.relative_to(ROOT)))]
    assert outside == [], (
        "POSIX-only calls outside nasro_desktop/portable.py (move each into a named fallback "
        "there, with a test in tests/test_portable.py):\n"
        + "\n".join(f"  {u.path}:{u.line}: {u.what}" for u in outside))


def test_each_posix_call_in_portable_py_is_in_a_documented_tested_fallback():
    tree = ast.parse(PORTABLE.read_text(encoding="utf-8"))
    docs = {node.name: ast.get_docstring(node) or "" for node in tree.body
            if isinstance(node, ast.FunctionDef)}
    tests = (ROOT / "tests" / "test_portable.py").read_text(encoding="utf-8")
    uses = posix_uses(PORTABLE.read_text(encoding="utf-8"), "nasro_desktop/portable.py")
    assert uses, "the check itself found nothing in portable.py"
    for use in uses:
        assert use.function is not None, f"line {use.line}: {use.what} outside a function"
        assert "Windows" in docs[use.function], (
            f"{use.function}'s docstring does not say what it does on Windows")
        assert f"portable.{use.function}(" in tests, f"{use.function} has no test"
