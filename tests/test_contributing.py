"""CONTRIBUTING.md is the map: every file, folder and name it mentions in `code` exists.

A path (with a slash or a file suffix) must exist under the repository, the package or the
folder named just before it in the same sentence (`domain/pages.py`, `entries.py`); a bare
name (`RULES`, `evaluate`, `Session.record_evidence`) must be defined in the package, the
tests or the benches. Placeholders (`v<N>.yaml`) and command lines are read for their paths.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nasro_desktop"
SUFFIXES = (".py", ".yaml", ".md", ".txt", ".toml", ".log", ".db", ".spec", ".sh")
WORDS = {"pytest", "python", "bash", "mypy", "ruff", "pip", "git", "-m", "not", "slow"}


def _sources() -> str:
    texts = [p.read_text(encoding="utf-8") for folder in (PACKAGE, ROOT / "tests", ROOT / "bench")
             for p in folder.rglob("*.py")]
    return "\n".join(texts)


def _path_exists(token: str, near: list[Path]) -> bool:
    token = token.rstrip("/").rstrip(".,:;")
    candidates = [ROOT / token, PACKAGE / token, *(folder / token for folder in near)]
    if any(c.exists() for c in candidates):
        return True
    if "/" not in token:  # a file named on its own, after its folder in a list
        return any(ROOT.rglob(token))
    return False


def _pieces(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def test_every_path_and_name_in_contributing_exists():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    sources = _sources()
    missing = []
    for paragraph in re.split(r"\n\s*\n|\n\|", text):
        near: list[Path] = []
        for piece in _pieces(paragraph):
            for token in piece.split():
                token = token.strip("()[],;:\"'")
                if not token or "<" in token or token in WORDS or token.startswith("-"):
                    continue
                if "::" in token:  # tests/test_x.py::test_name
                    path, _, test = token.partition("::")
                    if not (ROOT / path).is_file() or f"def {test}(" not in (
                            ROOT / path).read_text(encoding="utf-8"):
                        missing.append(token)
                    continue
                if "/" in token or token.endswith(SUFFIXES) or token.startswith("."):
                    if re.fullmatch(r"[\w./-]+", token) and not token.startswith(("http", "..")):
                        if not _path_exists(token, near):
                            missing.append(token)
                        head = token.rstrip("/").split("/")[0]
                        for base in (ROOT, PACKAGE):
                            if (base / head).is_dir():
                                near.append(base / head)
                    continue
                if (PACKAGE / token).is_dir():  # a layer named on its own (`ui`)
                    continue
                name = re.match(r"[A-Za-z_][\w.]*", token)
                if name is None or name.group(0) != token.split("(")[0]:
                    continue
                last = name.group(0).rstrip(".").split(".")[-1]
                if len(last) < 3 or not re.search(rf"\b{re.escape(last)}\b", sources):
                    missing.append(token)
    assert not missing, f"CONTRIBUTING.md mentions what does not exist: {missing}"
