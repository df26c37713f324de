"""Benchmark the readiness report, both editions. Prints `name: value unit` lines.

1. Whole process: `python -m nasro_desktop report --sample --edition E --out FILE` against a
   plain reportlab script that lays out the same kind of text over the same page count with the
   same embedded DejaVu Sans, in the same run, interleaved (median of RUNS). Also against the
   cheapest thing reportlab can do (built-in Helvetica), for reference.
   Target: report / plain (DejaVu) <= 1.3 for each edition.
2. In process: rendering the sample (form loaded, sample built and judged, fonts registered
   and reportlab imported beforehand; the first render is not counted), wall and CPU time.
   Targets: board < 100 ms, full < 300 ms.
3. Printing: the report rendered and painted page by page onto a high-resolution QPrinter
   writing a PDF (offscreen), as Print… does. Targets: board handed to the printer in < 2 s;
   full edition <= 150 ms a page.

Run: .venv/bin/python bench/bench_report.py [RUNS]
The machine's load matters: the CPU-time lines are the steadier figures on a busy machine.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PLAIN = r"""
import sys
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

pages, out, font = int(sys.argv[1]), sys.argv[2], sys.argv[3]
if font != "Helvetica":
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    font = "DejaVuSans"
style = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=13)
text = ("The school resource officer met the principal to review the training plan, "
        "the memorandum of understanding and the dates that fall due this year. ") * 6
story = []
for page in range(pages):
    story += [Paragraph(f"Page {page + 1}: {text}", style) for _ in range(4)]
    story.append(PageBreak())
doc = SimpleDocTemplate(out, pagesize=LETTER, title="plain", author="bench")
doc.build(story[:-1])
"""


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def page_count(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def process(runs: int) -> None:
    # An installed app has its .pyc files (pip compiles them); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module in every child process.
    compileall.compile_dir(REPO / "nasro_desktop", quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    dejavu = str(REPO / "resources" / "fonts" / "DejaVuSans.ttf")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain_script = folder / "plain.py"
        plain_script.write_text(PLAIN)
        for edition in ("board", "full"):
            report = folder / f"{edition}.pdf"
            ours_cmd = [python, "-m", "nasro_desktop", "report", "--sample", "--edition",
                        edition, "--out", str(report)]  # fmt: skip
            wall(ours_cmd)  # warm the file cache and write .pyc files
            pages = page_count(report)
            plain_helv = [python, str(plain_script), str(pages), str(folder / "p1.pdf"), "Helvetica"]
            plain_ttf = [python, str(plain_script), str(pages), str(folder / "p2.pdf"), dejavu]
            wall(plain_ttf)
            assert page_count(folder / "p2.pdf") == pages
            ours, helv, ttf = [], [], []
            for _ in range(runs):  # interleaved, so machine load hits all three alike
                ours.append(wall(ours_cmd))
                ttf.append(wall(plain_ttf))
                helv.append(wall(plain_helv))
            m_ours, m_helv, m_ttf = (statistics.median(x) for x in (ours, helv, ttf))
            print(f"report_{edition}_sample_pages: {pages} pages")
            print(f"report_process_{edition}: {m_ours * 1000:.0f} ms")
            print(f"plain_reportlab_process_dejavu_{edition}_pages: {m_ttf * 1000:.0f} ms")
            print(f"plain_reportlab_process_helvetica_{edition}_pages: {m_helv * 1000:.0f} ms")
            print(f"report_{edition}_vs_plain_dejavu: {m_ours / m_ttf:.2f} x")
            print(f"report_{edition}_vs_plain_helvetica: {m_ours / m_helv:.2f} x")


def in_process(runs: int) -> None:
    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report

    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    start = time.perf_counter()
    render_report(form, assessment, readiness)  # first render: imports reportlab, loads fonts
    print(f"report_render_first_with_imports: {(time.perf_counter() - start) * 1000:.0f} ms")
    for edition in ("board", "full"):
        render_report(form, assessment, readiness, edition=edition)
        times, cpu = [], []
        for _ in range(max(7, runs)):
            start, start_cpu = time.perf_counter(), time.process_time()
            render_report(form, assessment, readiness, edition=edition)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"report_render_{edition}: {statistics.median(times) * 1000:.0f} ms")
        print(f"report_render_{edition}_cpu: {statistics.median(cpu) * 1000:.0f} ms")


def printing(runs: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.ui import report_actions

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    with tempfile.TemporaryDirectory() as tmp:
        for edition in ("board", "full"):
            choice = report_actions.Edition(edition)
            times, cpu, pages = [], [], 0
            for _ in range(max(3, runs // 2)):
                printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
                printer.setOutputFileName(str(Path(tmp) / f"{edition}.pdf"))
                start, start_cpu = time.perf_counter(), time.process_time()
                data = report_actions.render_pdf(form, assessment, readiness, "letter",
                                                 lambda _f: None, choice)  # fmt: skip
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
    process(runs)
    in_process(runs)
    printing(runs)


if __name__ == "__main__":
    main()
