"""The app never touches the network: proven with a Python audit hook.

A child process (this file run as a script) installs `sys.addaudithook` before anything of
the app is imported. The hook records, and refuses by raising, every socket creation,
connect, bind or send, every DNS lookup, every URL or HTTP/FTP/mail connection and every
browser launch. Then it runs the command line (list, report, export, import, backup,
--self-test, --version) and a full window session (open the sample, answer a question by
keyboard, save the PDF report, print it to a PDF printer, export, import, back up, through
the window's own file dialogs). Anything recorded fails the test, even when the code that
tried swallowed the refusal. Audit hooks cannot be removed, hence the separate process.

Qt's C++ code is not audited by Python; the bundle leaves QtNetwork out
(packaging/nasro-desktop.spec), and the child also checks that QtNetwork was never loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 240

# audit events that mean "the network": refused and recorded
NETWORK_EVENTS = {
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.gethostbyname_ex", "socket.getnameinfo", "urllib.Request", "http.client.connect",
    "http.client.send", "ftplib.connect", "smtplib.connect", "poplib.connect",
    "imaplib.open", "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open",
}


def run_child(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp_path / "home")  # QFileDialog and the report start in the home folder
    env.pop("NASRO_DATA_DIR", None)
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, __file__, *args, str(tmp_path)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=TIMEOUT)


def test_cli_and_a_full_window_session_never_touch_the_network(tmp_path):
    done = run_child("session", tmp_path=tmp_path)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    steps = [line for line in done.stdout.splitlines() if line.startswith("step ")]
    assert [s.split()[1] for s in steps] == [
        "canary", "cli-list-empty", "cli-report-sample", "window-open-sample", "window-answer",
        "window-save-pdf", "window-print", "window-export", "window-import", "window-backup",
        "window-close", "cli-list", "cli-export", "cli-import", "cli-backup", "cli-report",
        "cli-self-test", "cli-version", "no-qtnetwork"], report
    assert "network events: 0" in done.stdout, report


def test_the_hook_catches_a_url_open_even_when_it_is_swallowed(tmp_path):
    """The guard itself works: a swallowed urlopen (as a dependency might do) still fails."""
    done = run_child("offender", tmp_path=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "NETWORK urllib.Request" in done.stdout
    assert "network events: 1" in done.stdout


# --- the child process ----------------------------------------------------------------------

def _install_guard() -> list[str]:
    seen: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if event in NETWORK_EVENTS:
            seen.append(event)
            os.write(1, f"NETWORK {event} {args!r:.200}\n".encode())
            raise PermissionError(f"network use refused by the test: {event}")

    sys.addaudithook(hook)
    return seen


def _child_offender(folder: Path) -> int:
    seen = _install_guard()
    import urllib.request

    try:
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    except Exception:
        pass  # swallowed, as careless code would
    print(f"network events: {len(seen)}")
    return 1 if seen else 0


def _child_session(folder: Path) -> int:
    seen = _install_guard()
    step = lambda name: print(f"step {name}", flush=True)  # noqa: E731

    # the guard is live: a lookup is refused and recorded
    import socket

    try:
        socket.getaddrinfo("localhost", 80)
        raise SystemExit("the audit hook did not refuse a DNS lookup")
    except PermissionError:
        pass
    assert seen == ["socket.getaddrinfo"], seen
    seen.clear()
    step("canary")

    from nasro_desktop.cli import main

    data = folder / "data"

    def cli(*args: str) -> None:
        code = main([*args, "--data-dir", str(data)] if args[0] != "--self-test" else
                    ["--data-dir", str(data), *args])
        assert code == 0, (args, code)

    cli("list")
    step("cli-list-empty")
    cli("report", "--sample", "--out", str(folder / "sample.pdf"))
    assert (folder / "sample.pdf").read_bytes().startswith(b"%PDF-")
    step("cli-report-sample")

    _window_session(folder, data, step)

    from nasro_desktop.store import Store

    with Store.open(data, read_only=True) as store:
        ids = [s.id for s in store.list_assessments()]
    cli("list")
    step("cli-list")
    cli("export", str(ids[0]), "--out", str(folder / "cli-export.json"))
    step("cli-export")
    cli("import", str(folder / "cli-export.json"), "--copy")  # in the list already
    step("cli-import")
    cli("backup", "--out", str(folder / "cli-backup.db"))
    step("cli-backup")
    cli("report", str(ids[0]), "--out", str(folder / "cli-report.pdf"))
    step("cli-report")
    cli("--self-test")
    step("cli-self-test")
    try:
        main(["--version"])
    except SystemExit as done:
        assert done.code in (0, None)
    step("cli-version")
    assert "PySide6.QtNetwork" not in sys.modules
    step("no-qtnetwork")
    print(f"network events: {len(seen)}", flush=True)
    return 1 if seen else 0


def _window_session(folder: Path, data: Path, step) -> None:
    import time

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

    from nasro_desktop.store import Store
    from nasro_desktop.ui import report_actions, style
    from nasro_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    style.apply(app, style.NORMAL)

    def wait_until(condition, what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.01)

    # the window's own file dialogs and message boxes, answered as a person would
    files: list[Path] = []
    messages: list[str] = []

    def answer_dialogs() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog) and files:
            chosen = files.pop(0)  # as typed: the folder, then the name in the name box
            dialog.setDirectory(str(chosen.parent))
            dialog.findChild(QLineEdit, "fileNameEdit").setText(chosen.name)
            dialog.accept()
        elif isinstance(dialog, QMessageBox):
            messages.append(dialog.text())
            copy = next((b for b in dialog.buttons() if b.text() == "Import as a copy"), None)
            if copy is not None:  # the file is already in the list: import it again
                copy.click()
            else:
                dialog.accept()

    driver = QTimer()
    driver.setInterval(50)
    driver.timeout.connect(answer_dialogs)
    driver.start()

    store = Store.open(data)
    window = MainWindow(store)
    window.resize(1366, 768)
    window.show()
    window.show_start()
    window.open_sample()
    session = window.session
    assert session is not None
    step("window-open-sample")

    first = session.pages[0]
    window.go_to(first.id)
    window.activateWindow()
    app.processEvents()

    def answers() -> dict:
        return {k: (a.value, a.note) for k, a in session.assessment.answers.items()}

    before = answers()
    focus = QApplication.focusWidget()
    assert focus is not None, "no answer has keyboard focus"
    QTest.keyClick(focus, Qt.Key.Key_Right)  # from the sample's answer to the next one
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_until(lambda: answers() != before, "the answer")
    assert session.save_now()
    step("window-answer")

    form, assessment, readiness = session.form, session.assessment, session.readiness
    saved: list = []
    report_actions.save_pdf_report(window, form, assessment, readiness,
                                   path=folder / "window.pdf", open_when_done=False,
                                   on_finished=saved.append)
    wait_until(lambda: saved, "the saved report")
    assert saved[0] and (folder / "window.pdf").read_bytes().startswith(b"%PDF-"), saved
    step("window-save-pdf")

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(folder / "printed.pdf"))
    printed: list = []
    report_actions.print_report(window, form, assessment, readiness, printer=printer,
                                on_finished=printed.append)
    wait_until(lambda: printed, "the print job")
    assert printed[0] and printed[0] > 1, printed
    step("window-print")

    exported = folder / "window-export.json"
    files.append(exported)
    window.files.export_current()
    wait_until(lambda: exported.is_file() and any("saved to" in m for m in messages),
               "the export")
    step("window-export")

    files.append(exported)
    count = len(store.list_assessments())
    window.files.import_file()
    wait_until(lambda: len(store.list_assessments()) == count + 1, "the import")
    step("window-import")

    backup = folder / "window-backup.db"
    files.append(backup)
    window.files.backup_now()
    wait_until(lambda: backup.is_file() and any("copied to" in m for m in messages), "the backup")
    step("window-backup")

    wait_until(lambda: not window.files.backup_running, "the automatic backup", seconds=30)
    window.close()
    driver.stop()
    app.processEvents()
    window.store.close()
    store.close()
    step("window-close")


if __name__ == "__main__":
    kind, where = sys.argv[1], Path(sys.argv[2])
    if kind == "offender":
        raise SystemExit(_child_offender(where))
    raise SystemExit(_child_session(where))
