"""Time loading the question set, building the sample and judging it.

Run: .venv/bin/python bench/form_and_sample.py   (prints `name: value unit` lines; best of N runs)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a plain checkout

from nasro_desktop.domain.forms import load_form  # noqa: E402
from nasro_desktop.domain.sample import sample_assessment  # noqa: E402
from nasro_desktop.domain.scoring import evaluate  # noqa: E402

FORM = Path(__file__).resolve().parent.parent / "forms" / "nasro-2018" / "v1.yaml"
RUNS = 7


def best_ms(action) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    form = load_form(FORM)
    sample = sample_assessment(form)
    print(f"form_questions: {len(form.questions)} questions")
    print(f"form_standards: {len(form.standards)} standards")
    print(f"form_load_nasro_2018_v1: {best_ms(lambda: load_form(FORM)):.1f} ms")
    print(f"sample_build: {best_ms(lambda: sample_assessment(form)):.2f} ms")
    print(f"evaluate_sample: {best_ms(lambda: evaluate(form, sample)):.2f} ms")


if __name__ == "__main__":
    main()
