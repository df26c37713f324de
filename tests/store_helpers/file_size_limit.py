"""Run by tests as a subprocess: the OS refuses to let the data files grow (RLIMIT_FSIZE, the
per-process file size limit; works without root), so saving fails as on a full disk. Then the
limit is lifted and the kept change is saved by PendingSaves.retry().

usage: file_size_limit.py DATA_DIR ASSESSMENT_ID
prints: "refused <message>", "still pending <n>", "retried <True|False>"
"""

import resource
import signal
import sys

from nasro_desktop.domain.model import Answer
from nasro_desktop.store import PendingSaves, Store


def main() -> None:
    data_dir, assessment_id = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write then fails with EFBIG
    store = Store.open(data_dir)
    pending = PendingSaves()
    big = Answer("q.big", "partly", note="a long note " * 20_000)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    sizes = [p.stat().st_size for p in store.path.parent.glob("nasro.db*")]
    resource.setrlimit(resource.RLIMIT_FSIZE, (max(sizes) + 8192, hard))
    saved = pending.submit("answer:q.big", lambda: store.save_answer(assessment_id, big))
    print(f"refused {not saved} {pending.last_error}", flush=True)
    pending.retry()
    print(f"still pending {pending.pending}", flush=True)
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    print(f"retried {pending.retry()}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
