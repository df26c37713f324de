"""`nasro-desktop --self-test`: check that this copy of the app works, without changing anything.

Used by CI on the built bundle, and by whoever helps a user over the phone ("run it with
--self-test and read me the lines that say FAIL"). One line per check, each starting with
PASS, FAIL or SKIP; the exit code is 0 only when nothing failed.

The checks, in the order a start-up needs them:
1. the saved data: the data folder's database opened read-only and its list read (nothing is
   written; a folder with no data yet passes and says where the data will be kept);
2. the question set: the current one loads and is valid;
3. the report: the sample's readiness report is rendered to memory with its embedded fonts;
4. printing: the report's first page is turned into an image, as Print… does;
5. the window system (Linux with a display only): Qt's display plugin can be loaded, or
   the line names the missing system library;
6. the window: started offscreen on the saved data (read-only), shown, and closed.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nasro_desktop import DISPLAY_NAME, __version__, paths
from nasro_desktop.display import display_plugin_problem, platform_plugins

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Form
    from nasro_desktop.store import Store

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


class Skip(Exception):
    """A check that does not apply on this computer; its message says why."""


class SelfTest:
    def __init__(self, data_dir: str | None, out: TextIO | None = None) -> None:
        self.data_dir = data_dir
        self.out = out or sys.stdout
        self.failed = 0
        self.form: Form | None = None
        self.pdf: bytes | None = None
        self.store: Store | None = None  # the saved data, opened read-only, when there is any

    def line(self, status: str, name: str, text: str) -> None:
        print(f"{status}  {name}: {text}", file=self.out, flush=True)

    def check(self, name: str, work: Callable[[], str], advice: str) -> None:
        started = time.perf_counter()
        try:
            text = work()
        except Skip as why:
            self.line(SKIP, name, str(why))
            return
        except BaseException as error:  # a check must never stop the others
            if isinstance(error, KeyboardInterrupt):
                raise
            self.failed += 1
            detail = " ".join(str(error).split()) or type(error).__name__
            self.line(FAIL, name, f"{detail} ({type(error).__name__}). {advice}")
            return
        self.line(PASS, name, f"{text} ({(time.perf_counter() - started) * 1000:.0f} ms)")

    # --- the checks ---------------------------------------------------------------------

    def saved_data(self) -> str:
        from nasro_desktop.store import Store, files

        folder = paths.data_dir(self.data_dir)
        if not (folder / files.DB_NAME).exists():
            return f"no saved data yet; it will be kept in {folder}"
        self.store = store = Store.open(self.data_dir, read_only=True)
        count = len(store.list_assessments())
        return f"{count} saved assessment{'s' if count != 1 else ''} read from {folder} (read-only)"

    def question_set(self) -> str:
        from nasro_desktop.domain.forms import current_form

        self.form = form = current_form()
        return f"{form.form_id} version {form.version}, {len(form.questions)} questions"

    def report(self) -> str:
        from nasro_desktop.domain.sample import sample_assessment
        from nasro_desktop.domain.scoring import evaluate
        from nasro_desktop.report import render_report

        if self.form is None:
            raise Skip("not checked: the question set did not load")
        sample = sample_assessment(self.form)
        data = render_report(self.form, sample, evaluate(self.form, sample, None))
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
            raise ValueError("the renderer did not return a whole PDF")
        pages = len(re.findall(rb"/Type /Page\b(?!s)", data))
        self.pdf = data
        return f"sample report made in memory, {pages} pages, {len(data) // 1024} KB"

    def printing(self) -> str:
        import pypdfium2 as pdfium

        if self.pdf is None:
            raise Skip("not checked: the report was not made")
        document = pdfium.PdfDocument(self.pdf)
        try:
            page = document[0]
            bitmap = page.render(scale=50 / 72)
            size = (bitmap.width, bitmap.height)
            bitmap.close()
            page.close()
        finally:
            document.close()
        return f"first page turned into a {size[0]}x{size[1]} image, as Print… does"

    def window_system(self) -> str:
        if not sys.platform.startswith("linux"):
            raise Skip("checked on Linux only; on this system the window check below covers it")
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise Skip("no display on this computer (normal on a test machine)")
        problem = display_plugin_problem()
        if problem is not None:
            raise OSError(problem)
        return "the display plugin loads (libqxcb.so)"

    def window(self) -> str:
        from PySide6.QtCore import qVersion
        from PySide6.QtWidgets import QApplication

        existing = QApplication.instance()
        if existing is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # this process only: never shown
            plugins = platform_plugins()  # without the plugin Qt would end the process
            if not any("offscreen" in path.name for path in plugins.glob("*")):
                raise FileNotFoundError(f"Qt's offscreen display plugin is missing from {plugins}")
        from nasro_desktop.ui import style
        from nasro_desktop.ui.app import app_icon
        from nasro_desktop.ui.main_window import MainWindow

        app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
        app.setApplicationName(DISPLAY_NAME)
        icon = app_icon()
        if icon.isNull() or not icon.availableSizes():
            raise FileNotFoundError("the app icon's files are missing from resources/icons")
        app.setWindowIcon(icon)
        with ExitStack() as stack:
            store = self.store
            if store is None:  # no saved data: a throwaway folder, so nothing is created
                from nasro_desktop.store import Store

                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="nasro-test-"))
                store = Store.open(folder)
                stack.callback(store.close)
            style.apply(app, style.NORMAL)
            window = MainWindow(store)
            window._maintenance_scheduled = True  # no start-up backup: this check writes nothing
            window.show()
            window.show_start()
            app.processEvents()
            shown = window.isVisible()
            window.close()
            app.processEvents()
            window.deleteLater()
            app.processEvents()
        if not shown:
            raise RuntimeError("the window did not show")
        return f"started and closed offscreen ({app.platformName()}, Qt {qVersion()})"

    def run(self) -> int:
        root = paths.frozen_root()
        where = f"bundle in {root.parent}" if root else f"installed in {Path(__file__).parent}"
        print(f"{DISPLAY_NAME} {__version__} self-test ({where}; Python "
              f"{platform.python_version()}, {platform.system()} {platform.machine()})",
              file=self.out, flush=True)
        reinstall = "Reinstall the app (download it again and unpack it over the old copy)."
        try:
            self.check("saved data", self.saved_data,
                       "Your data was not changed. Make a backup copy of the data folder, "
                       "then start the app: it says what to do.")
            self.check("question set", self.question_set, reinstall)
            self.check("report", self.report, reinstall)
            self.check("printing", self.printing,
                       "Saving the report as PDF still works: print the saved file instead.")
            self.check("window system", self.window_system,
                       "Ask whoever looks after this computer to install that library.")
            self.check("window", self.window, reinstall)
        finally:
            if self.store is not None:
                self.store.close()
        verdict = "all checks passed" if not self.failed else f"{self.failed} check(s) FAILED"
        print(f"Self-test: {verdict}.", file=self.out, flush=True)
        return 0 if not self.failed else 1
