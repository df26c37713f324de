"""Every menu path the window's words give ("File > Share with the other party > Merge a
returned copy…") is a path a user can follow in the real menus, with an assessment open."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtWidgets import QMenu
from ui_support import make_window

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Owner
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.store import Store, sharing

UI = Path(__file__).parent.parent / "nasro_desktop" / "ui"
TOP = ("File", "Edit", "View", "Go", "Help")
# "File > Share with the other party > Send your copy back…", in a string of the ui code
PATH = re.compile(r"\b(?:" + "|".join(TOP) + r") > [^\"'\n.;:(),]+(?: > [^\"'\n.;:(),]+)*")


def plain(text: str) -> str:
    return text.replace("&", "").replace("…", "").replace("...", "").strip()


def menu_paths(menu: QMenu, above: tuple[str, ...]) -> set[tuple[str, ...]]:
    menu.aboutToShow.emit()  # menus filled when shown (Share with the other party)
    paths = set()
    for action in menu.actions():
        if action.isSeparator():
            continue
        here = above + (plain(action.text()),)
        paths.add(here)
        if action.menu() is not None:
            paths |= menu_paths(action.menu(), here)
    return paths


def strings_of(source: Path) -> list[str]:
    """The string literals of a ui module (f-strings' text parts joined, docstrings left out:
    they talk to developers)."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value for v in node.values if isinstance(v, ast.Constant)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            out.append(node.value)
    return out


def named_paths() -> set[tuple[str, ...]]:
    named = set()
    for source in UI.glob("*.py"):
        for text in strings_of(source):
            for match in PATH.finditer(text):
                named.add(tuple(plain(part) for part in match.group(0).split(" > ")))
    return named


def follows(named: tuple[str, ...], real: set[tuple[str, ...]]) -> bool:
    """Each part names a menu item (the words may go on after the item's own: "Merge a
    returned copy… in this assessment"); after an item that is not a submenu, the rest is
    the words of the sentence."""
    here: tuple[str, ...] = (named[0],)
    if here not in real:
        return False
    for part in named[1:]:
        below = [r for r in real if len(r) == len(here) + 1 and r[:-1] == here]
        if not below:  # `here` is an action: the rest is prose
            return True
        item = max((r for r in below if part.startswith(r[-1])), key=lambda r: len(r[-1]),
                   default=None)
        if item is None:
            return False
        here = item
    return True


def test_every_menu_path_the_window_names_is_in_its_menus(qtbot, tmp_path):
    """The menus are read twice: with a plain assessment open and with a shared copy open
    (Share with the other party offers Send your copy back… there)."""
    with Store.open(tmp_path / "data") as store, Store.open(tmp_path / "other") as other:
        aid = store.create_assessment(sample_assessment(current_form())).id
        shared = sharing.write_exchange(store, aid, tmp_path / "s.nasro-share",
                                        party=Owner.AGENCY, name="Chief")
        linked = sharing.open_shared(other, shared, party=Owner.DISTRICT)
        real: set[tuple[str, ...]] = set()
        for data, which in ((store, aid), (other, linked)):
            window = make_window(qtbot, data)
            window.open_assessment(which)
            for action in window.menuBar().actions():
                top = (plain(action.text()),)
                real |= {top} | menu_paths(action.menu(), top)
            window.close()
        named = named_paths()
        assert len(named) >= 5  # the pattern finds the paths the words give
        wrong = sorted(" > ".join(p) for p in named if not follows(p, real))
        assert not wrong, f"menu paths named in the window's words that the menus lack: {wrong}"


