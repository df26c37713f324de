"""The layers contract: a module imports only from its own layer or the layers below it,
`ui > commands > report > session > store > domain > base`, counting every import in the
file (inside functions and under TYPE_CHECKING too). The entry points (`cli.py`, `selftest.py`,
`__main__.py`) sit above all of them."""

import ast
import os
import subprocess
import sys
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


# --- no import ring --------------------------------------------------------------------------


def _module_name(source: Path) -> str:
    relative = source.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def _is_package_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    """Every module of the package -> the package's modules it imports, anywhere in the file
    (inside functions and under TYPE_CHECKING too). `from nasro_desktop.store import files`
    is an import of `nasro_desktop.store.files`; `from x import name` of `x`."""
    graph: dict[str, set[str]] = {}
    for source in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(source)
        package = module if source.name == "__init__.py" else module.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    name = ".".join(parts + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                modules = {f"{name}.{a.name}" for a in node.names
                           if _is_package_module(f"{name}.{a.name}")}
                found.update(modules)
                if len(modules) < len(node.names):
                    found.add(name)
        graph[module] = {name for name in found if name.split(".")[0] == "nasro_desktop"
                         and name != module and _is_package_module(name)}
    return graph


def import_rings(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    rings: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                rings.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return rings


# Packages where a ring is tolerated for now: none since the window's and the renderer's
# mixins went (issue 21). A package listed here fails the test once it has no ring left.
RINGS_STILL_OPEN_IN: set[str] = set()


def test_no_import_ring():
    """No module imports, even inside a function or for a type, one that imports it back
    (directly or through others): the package reads from the bottom up."""
    found = [{name.removeprefix("nasro_desktop.") for name in ring}
             for ring in import_rings(import_graph())]
    new = [ring for ring in found
           if not any(all(m.split(".")[0] == package for m in ring)
                      for package in RINGS_STILL_OPEN_IN)]
    assert not new, "import rings:\n" + "\n".join(" <-> ".join(sorted(r)) for r in new)
    gone = {package for package in RINGS_STILL_OPEN_IN
            if not any(all(m.split(".")[0] == package for m in ring) for ring in found)}
    assert not gone, f"no ring left in {gone}: delete it from RINGS_STILL_OPEN_IN"


def test_the_ring_check_sees_a_ring_through_a_function_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_rings(graph) == [{"a", "b", "c"}]
    assert import_rings({"a": {"b"}, "b": set()}) == []


# --- composition, not mixins ------------------------------------------------------------------

# typing's markers may sit beside the one real base (`class Rows(QObject, Generic[T])`)
TYPING_BASES = {"Protocol", "Generic"}


def mixed_bases(tree: ast.AST) -> list[str]:
    """`Class(A, B)` for every class with more than one base besides typing's markers."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            real = [b for b in bases if b.split("[")[0].split(".")[-1] not in TYPING_BASES]
            if len(real) > 1:
                found.append(f"{node.name}({', '.join(bases)})")
    return found


def test_no_class_is_made_of_mixins():
    """A part of the window, the store or the report is an object given what it needs (like
    ui/file_actions.FileActions or ui/readiness_report.ReportButtons), never a mixin base that
    reads attributes its host is trusted to provide (issue 21): one base class each, the Qt
    class for a widget."""
    found = [f"{source.relative_to(PACKAGE.parent)}: {name}"
             for source in sorted(PACKAGE.rglob("*.py"))
             for name in mixed_bases(ast.parse(source.read_text(encoding="utf-8")))]
    assert not found, "classes with more than one base:\n" + "\n".join(found)


def test_the_mixin_check_sees_a_second_base():
    tree = ast.parse("class A(QWidget, Buttons): pass\n"
                     "class B(QObject, Generic[T]): pass\n"
                     "class C(typing.Protocol): pass\n")
    assert mixed_bases(tree) == ["A(QWidget, Buttons)"]


# --- imports inside functions ----------------------------------------------------------------

# Imports sit at the top of their module, except at the boundaries CONTRIBUTING.md names
# ("Speed, and where imports sit"). The count may only go down: lower it when one goes.
FUNCTION_IMPORTS_CEILING = 45


def function_imports() -> list[str]:
    """`path:line` of every import whose nearest enclosing scope is a function."""
    found = []

    def visit(node: ast.AST, source: Path, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(f"{source.relative_to(PACKAGE.parent)}:{child.lineno}")
            visit(child, source, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    for source in sorted(PACKAGE.rglob("*.py")):
        visit(ast.parse(source.read_text(encoding="utf-8")), source, False)
    return found


def test_imports_inside_functions_stay_at_the_named_boundaries():
    found = function_imports()
    assert len(found) <= FUNCTION_IMPORTS_CEILING, (
        f"{len(found)} imports inside functions (at most {FUNCTION_IMPORTS_CEILING}): put the "
        "new one at the top of its module, or name its boundary in CONTRIBUTING.md")


def test_the_spreadsheet_libraries_load_when_a_workbook_is_read_or_written():
    """openpyxl and XlsxWriter take about half a second to import: the roster dialog and the
    spreadsheet export load them when a workbook is read or written, not when built."""
    code = ("import sys\nimport nasro_desktop.store.roster, nasro_desktop.store.workbook\n"
            "print(sorted(m for m in ('openpyxl', 'xlsxwriter') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
