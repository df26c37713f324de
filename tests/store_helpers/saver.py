"""Run by tests as a subprocess: saves answers through the store and reports each one *after*
save_answer returned (that is when the window would say "Saved"). The test kills it with
SIGKILL at a random moment and checks every reported answer is there on reopening.

usage: saver.py DATA_DIR ROUND
prints: "ready ASSESSMENT_ID", then "saved QUESTION_ID VALUE" per answer, flushed at once.
"""

import sys
from datetime import date

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store


def main() -> None:
    data_dir, round_no = sys.argv[1], int(sys.argv[2])
    store = Store.open(data_dir)
    found = store.list_assessments()
    if found:
        assessment_id = found[-1].id
    else:
        assessment_id = store.create_assessment(
            Assessment(title="Kill test", as_of=date(2025, 9, 1), form_id="nasro-2018", form_version=1)
        ).id
    print(f"ready {assessment_id}", flush=True)
    number = 0
    while True:
        number += 1
        qid = f"r{round_no}.q{number}"
        store.save_answer(assessment_id, Answer(qid, number, note="x" * (number % 700)))
        print(f"saved {qid} {number}", flush=True)
        # one key overwritten again and again: its value must never go back in time
        store.save_answer(assessment_id, Answer("shared.counter", round_no * 1_000_000 + number))
        print(f"saved shared.counter {round_no * 1_000_000 + number}", flush=True)


if __name__ == "__main__":
    main()
