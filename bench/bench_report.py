"""Benchmark the readiness report. Prints `name: value unit` lines.

1. Whole process: `python -m nasro_desktop report --sample --out FILE` against a plain reportlab
   script that builds a document with the same page count, in the same run (median of RUNS).
   The plain script is measured twice: with reportlab's built-in Helvetica (the cheapest thing
   reportlab can do) and with the same embedded DejaVu Sans the report must use.
   Target: report / plain <= 1.3.
2. In process: rendering the sample (form loaded, sample built and judged, fonts registered and
   reportlab imported beforehand; the first render is not counted). Target: < 300 ms.

Run: .venv/bin/python bench/bench_report.py [RUNS]
"""

from __future__ import annotations

import compileall
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


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    # An installed app has its .pyc files (pip compiles them); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module in every child process.
    compileall.compile_dir(REPO / "nasro_desktop", quiet=1)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = folder / "sample.pdf"
        plain_script = folder / "plain.py"
        plain_script.write_text(PLAIN)
        ours_cmd = [python, "-m", "nasro_desktop", "report", "--sample", "--out", str(report)]
        wall(ours_cmd)  # warm the file cache and write .pyc files
        pages = page_count(report)
        dejavu = str(REPO / "resources" / "fonts" / "DejaVuSans.ttf")
        plain_helv = [python, str(plain_script), str(pages), str(folder / "p1.pdf"), "Helvetica"]
        plain_ttf = [python, str(plain_script), str(pages), str(folder / "p2.pdf"), dejavu]
        wall(plain_helv)
        assert page_count(folder / "p1.pdf") == pages
        ours, helv, ttf = [], [], []
        for _ in range(runs):  # interleaved, so machine load hits all three alike
            ours.append(wall(ours_cmd))
            helv.append(wall(plain_helv))
            ttf.append(wall(plain_ttf))
        assert page_count(folder / "p2.pdf") == pages
    m_ours, m_helv, m_ttf = (statistics.median(x) for x in (ours, helv, ttf))
    print(f"report_sample_pages: {pages} pages")
    print(f"report_process_sample: {m_ours * 1000:.0f} ms")
    print(f"plain_reportlab_process_helvetica: {m_helv * 1000:.0f} ms")
    print(f"plain_reportlab_process_dejavu: {m_ttf * 1000:.0f} ms")
    print(f"report_vs_plain_helvetica: {m_ours / m_helv:.2f} x")
    print(f"report_vs_plain_dejavu: {m_ours / m_ttf:.2f} x")

    # --- in process ---
    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report

    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    start = time.perf_counter()
    render_report(form, assessment, readiness)  # first render: imports reportlab, loads fonts
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(max(5, runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_report(form, assessment, readiness)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"report_render_first_with_imports: {first * 1000:.0f} ms")
    print(f"report_render_sample: {statistics.median(times) * 1000:.0f} ms")
    print(f"report_render_sample_cpu: {statistics.median(cpu) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
