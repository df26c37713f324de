"""Run by tests as a subprocess: opens the store (as a second copy of the app would) and keeps
it open until its standard input closes or it is killed.

usage: holder.py DATA_DIR   prints "open" once the store is open, or "error <message>".
"""

import sys

from nasro_desktop.store import Store, StoreError


def main() -> None:
    try:
        store = Store.open(sys.argv[1])
    except StoreError as error:
        print(f"error {type(error).__name__} {error}", flush=True)
        return
    print("open", flush=True)
    sys.stdin.read()
    store.close()


if __name__ == "__main__":
    main()
