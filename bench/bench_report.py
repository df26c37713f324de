"""Benchmark the readiness report, both editions. Prints `name: value unit` lines.

1. Whole process: `python -m nasro_desktop report --sample --edition E --out FILE` against a
   plain reportlab script that lays out the same text (the report's own text, taken from its
   PDF page by page) over the same page count with the same embedded DejaVu Sans, in the same
   run, interleaved (median of RUNS), wall and CPU time (user + system of the child process).
   Also against the same script with built-in Helvetica, for reference.
   Target: report / plain (DejaVu) <= 1.3 for each edition.
2. In process: rendering the sample (form loaded, sample built and judged, fonts registered
   and reportlab imported beforehand; the first render is not counted), wall and CPU time.
   Targets: board < 100 ms, full < 300 ms.
3. Printing: the report rendered and painted page by page onto a high-resolution QPrinter
   writing a PDF (offscreen), as Print… does. Targets: board handed to the printer in < 2 s;
   full edition <= 150 ms a page.

4. Tagged and Word (issue 24): the tagged PDF and the Word edition of both editions for the
   sample and a 60-officer, 25-school assessment, and the board edition untagged for the
   structure tree's cost. Targets: tagged board edition < 300 ms, Word edition < 1 s.

5. Large (issue 20): a 60-officer, 25-school assessment, and the same with hostile text at
   every field's input limit, both editions. Targets (large): board < 300 ms, full < 1 s.

Run: .venv/bin/python bench/bench_report.py [RUNS] [process|render|large|tagged|print ...]
The machine's load matters: the CPU-time lines are the steadier figures on a busy machine.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The report's text, page by page (a JSON list of lists of lines), laid out as paragraphs of
# six lines each with a page break after each of the report's pages.
PLAIN = r"""
import json, sys
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from xml.sax.saxutils import escape

pages_file, out, font = sys.argv[1], sys.argv[2], sys.argv[3]
if font != "Helvetica":
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    font = "DejaVuSans"
style = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=12)
with open(pages_file, encoding="utf-8") as handle:
    pages = json.load(handle)
story = []
for lines in pages:
    for first in range(0, len(lines), 6):
        story.append(Paragraph(escape(" ".join(lines[first:first + 6])), style))
    story.append(PageBreak())
doc = SimpleDocTemplate(out, pagesize=LETTER, title="plain", author="bench")
doc.build(story[:-1])
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process; cpu is its user + system time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime


def page_texts(path: Path) -> list[list[str]]:
    import pypdf

    pages = []
    for page in pypdf.PdfReader(path).pages:
        pages.append([line for line in page.extract_text().splitlines() if line.strip()])
    return pages


def page_count(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples))


def process(runs: int) -> None:
    # An installed app has its .pyc files (pip compiles them); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module in every child process.
    compileall.compile_dir(REPO / "nasro_desktop", quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    dejavu = str(REPO / "resources" / "fonts" / "DejaVuSans.ttf")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        plain_script = folder / "plain.py"
        plain_script.write_text(PLAIN)
        for edition in ("board", "full"):
            report = folder / f"{edition}.pdf"
            ours_cmd = [python, "-m", "nasro_desktop", "report", "--sample", "--edition",
                        edition, "--out", str(report)]  # fmt: skip
            timed(ours_cmd, env)  # warm the file cache and write .pyc files
            pages = page_count(report)
            text_file = folder / f"{edition}.json"
            text_file.write_text(json.dumps(page_texts(report)), encoding="utf-8")
            plain_helv = [python, str(plain_script), str(text_file), str(folder / "p1.pdf"),
                          "Helvetica"]  # fmt: skip
            plain_ttf = [python, str(plain_script), str(text_file), str(folder / "p2.pdf"), dejavu]
            timed(plain_ttf)
            assert page_count(folder / "p2.pdf") == pages, "the plain script's page count differs"
            ours, helv, ttf = [], [], []
            for _ in range(runs):  # interleaved, so machine load hits all of them alike
                ours.append(timed(ours_cmd, env))
                ttf.append(timed(plain_ttf))
                helv.append(timed(plain_helv))
            w_ours, c_ours = _medians(ours)
            (w_ttf, c_ttf), (w_helv, c_helv) = _medians(ttf), _medians(helv)
            print(f"report_{edition}_sample_pages: {pages} pages")
            print(f"report_process_{edition}: {w_ours * 1000:.0f} ms")
            print(f"report_process_{edition}_cpu: {c_ours * 1000:.0f} ms")
            print(f"plain_reportlab_process_dejavu_{edition}: {w_ttf * 1000:.0f} ms")
            print(f"plain_reportlab_process_dejavu_{edition}_cpu: {c_ttf * 1000:.0f} ms")
            print(f"plain_reportlab_process_helvetica_{edition}: {w_helv * 1000:.0f} ms")
            print(f"plain_reportlab_process_helvetica_{edition}_cpu: {c_helv * 1000:.0f} ms")
            print(f"report_{edition}_vs_plain_dejavu: {w_ours / w_ttf:.2f} x")
            print(f"report_{edition}_vs_plain_dejavu_cpu: {c_ours / c_ttf:.2f} x")
            print(f"report_{edition}_vs_plain_helvetica: {w_ours / w_helv:.2f} x")
            print(f"report_{edition}_vs_plain_helvetica_cpu: {c_ours / c_helv:.2f} x")


def in_process(runs: int) -> None:
    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report
    from nasro_desktop.report.options import ReportOptions

    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    start = time.perf_counter()
    render_report(form, assessment, readiness)  # first render: imports reportlab, loads fonts
    print(f"report_render_first_with_imports: {(time.perf_counter() - start) * 1000:.0f} ms")
    for edition in ("board", "full"):
        render_report(form, assessment, readiness, ReportOptions(edition=edition))
        times, cpu = [], []
        for _ in range(max(7, runs)):
            start, start_cpu = time.perf_counter(), time.process_time()
            render_report(form, assessment, readiness, ReportOptions(edition=edition))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"report_render_{edition}: {statistics.median(times) * 1000:.0f} ms")
        print(f"report_render_{edition}_cpu: {statistics.median(cpu) * 1000:.0f} ms")


def large(runs: int) -> None:
    """Issue 20: the 60-officer, 25-school assessment of tests/report_fixtures.py (real-length
    texts) and the same with hostile text at every field's input limit, both editions, in
    process. Targets (large): board < 300 ms, full < 1 s."""
    sys.path.insert(0, str(REPO / "tests"))
    from report_fixtures import hostile_assessment, large_assessment

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report
    from nasro_desktop.report.options import ReportOptions

    form = current_form()
    for name, build, count in (("large", large_assessment, max(5, runs)),
                               ("hostile", hostile_assessment, 3)):  # fmt: skip
        a = build(form)
        r = evaluate(form, a)
        for edition in ("board", "full"):
            render_report(form, a, r, ReportOptions(edition=edition))
            times, cpu = [], []
            for _ in range(count if not (name == "hostile" and edition == "full") else 1):
                start, start_cpu = time.perf_counter(), time.process_time()
                render_report(form, a, r, ReportOptions(edition=edition))
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            print(f"report_render_{edition}_{name}: {statistics.median(times) * 1000:.0f} ms")
            print(f"report_render_{edition}_{name}_cpu: {statistics.median(cpu) * 1000:.0f} ms")


def tagged_and_word(runs: int) -> None:
    """The tagged PDF and the Word edition (issue 24) for the sample and a 60-officer,
    25-school assessment (tests/report_fixtures.py). Targets: tagged board edition < 300 ms,
    Word edition < 1 s. Also the structure tree's share: the same PDF untagged."""
    sys.path.insert(0, str(REPO / "tests"))
    from report_fixtures import assessment

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report, render_word
    from nasro_desktop.report import renderer as renderer_module
    from nasro_desktop.report.options import ReportOptions

    form = current_form()
    cases = {"sample": sample_assessment(form), "60_officers": assessment(form, officers=60,
                                                                          schools=25)}
    render_word(form, cases["sample"], evaluate(form, cases["sample"]))  # imports python-docx
    for name, a in cases.items():
        r = evaluate(form, a)
        for edition in ("board", "full"):
            for label, render in (("tagged_pdf", render_report), ("word", render_word)):
                render(form, a, r, ReportOptions(edition=edition))
                times, cpu = [], []
                for _ in range(max(5, runs)):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    render(form, a, r, ReportOptions(edition=edition))
                    times.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - start_cpu)
                print(f"report_{label}_{edition}_{name}: {statistics.median(times) * 1000:.0f} ms")
                print(f"report_{label}_{edition}_{name}_cpu: "
                      f"{statistics.median(cpu) * 1000:.0f} ms")  # fmt: skip
        untagged = renderer_module.numbered_canvas

        def plain_canvas(*args: object, untagged=untagged, **kwargs: object) -> type:
            return untagged(*args, **{**kwargs, "tagged": False})  # type: ignore[arg-type]

        renderer_module.numbered_canvas = plain_canvas  # type: ignore[assignment]
        try:
            times = []
            for _ in range(max(5, runs)):
                start = time.perf_counter()
                render_report(form, a, r, ReportOptions(edition="board"))
                times.append(time.perf_counter() - start)
            print(f"report_untagged_pdf_board_{name}: {statistics.median(times) * 1000:.0f} ms")
        finally:
            renderer_module.numbered_canvas = untagged


def printing(runs: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report
    from nasro_desktop.report.options import ReportOptions
    from nasro_desktop.ui import report_actions

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    with tempfile.TemporaryDirectory() as tmp:
        for edition in ("board", "full"):
            options = ReportOptions(edition=edition)
            times, cpu, pages = [], [], 0
            for _ in range(max(3, runs // 2)):
                printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
                printer.setOutputFileName(str(Path(tmp) / f"{edition}.pdf"))
                start, start_cpu = time.perf_counter(), time.process_time()
                data = render_report(form, assessment, readiness, options)
                pages = report_actions.print_pdf_bytes(data, printer)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            wall_s, cpu_s = statistics.median(times), statistics.median(cpu)
            dpi = report_actions.print_dpi(QPrinter(QPrinter.PrinterMode.HighResolution), pages)
            print(f"print_{edition}_pages: {pages} pages at {dpi} dpi")
            print(f"print_{edition}_to_pdf_printer: {wall_s:.2f} s")
            print(f"print_{edition}_to_pdf_printer_cpu: {cpu_s:.2f} s")
            print(f"print_{edition}_per_page: {wall_s * 1000 / pages:.0f} ms")
            print(f"print_{edition}_per_page_cpu: {cpu_s * 1000 / pages:.0f} ms")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    parts = sys.argv[2:] or ["process", "render", "large", "tagged", "print"]
    if "process" in parts:
        process(runs)
    if "render" in parts:
        in_process(runs)
    if "large" in parts:
        large(runs)
    if "tagged" in parts:
        tagged_and_word(runs)
    if "print" in parts:
        printing(runs)


if __name__ == "__main__":
    main()
