"""The layers contract: a module imports only from its own layer or the layers below it,
`ui > commands > report > session > store > domain > base`, counting every import in the
file (inside functions and under TYPE_CHECKING too). The entry points (`cli.py`, `selftest.py`,
`__main__.py`) sit above all of them."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nasro_desktop"

# top first; a module may import its own layer and any layer after it
LAYERS = ["entry", "ui", "commands", "report", "session", "store", "domain", "base"]
ENTRY = {"cli", "selftest", "__main__"}
BASE = {"", "display", "errors", "events", "notices", "paths", "portable", "problem_log"}


def layer_of(module: str) -> str:
    """The layer of `nasro_desktop.<module>` (a dotted name inside the package)."""
    head = module.split(".")[0]
    if head in ENTRY:
        return "entry"
    if head in BASE:
        return "base"
    return head


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()


def imports_of(source: Path, module: str) -> list[tuple[int, str]]:
    """Every `nasro_desktop` module `source` imports, with its line, anywhere in the file."""
    found = []
    package = module.rsplit(".", 1)[0] if source.name != "__init__.py" else module
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package this file is in
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # `from nasro_desktop import cli` imports the module `cli`
            names = [name] + [f"{name}.{alias.name}" for alias in node.names
                              if name == "nasro_desktop" and _is_module(alias.name)]
        else:
            continue
        for name in names:
            if name == "nasro_desktop" or name.startswith("nasro_desktop."):
                found.append((node.lineno, name.removeprefix("nasro_desktop").lstrip(".")))
    return found


def test_every_module_imports_only_its_own_layer_or_lower():
    wrong = []
    for source in sorted(PACKAGE.rglob("*.py")):
        relative = source.relative_to(PACKAGE).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__").removesuffix("__init__")
        mine = layer_of(module)
        assert mine in LAYERS, f"{source}: in no layer; add it to LAYERS, ENTRY or BASE"
        for line, imported in imports_of(source, "nasro_desktop." + module if module else
                                         "nasro_desktop"):
            theirs = layer_of(imported)
            assert theirs in LAYERS, f"{source}:{line}: {imported} is in no layer"
            if LAYERS.index(theirs) < LAYERS.index(mine):
                wrong.append(f"{relative}.py:{line} ({mine}) imports {imported} ({theirs})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_contract_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from nasro_desktop.ui import app\n"
                      "    import nasro_desktop.session\n")
    assert imports_of(source, "nasro_desktop.store.x") == [(2, "ui"), (3, "session")]


def test_only_the_store_knows_sqlite():
    """The window and the session speak of StoreError, never of sqlite3 (the store wraps it:
    store/errors.py `reads`, `SaveFailed`)."""
    sources = [*sorted((PACKAGE / "ui").glob("*.py")), PACKAGE / "session.py"]
    for source in sources:
        names = [name for _line, name in _stdlib_imports(source)]
        assert "sqlite3" not in names, source


def _stdlib_imports(source: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module.split(".")[0]))
    return found
