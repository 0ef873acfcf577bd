"""The house stays as drawn: which package of okrctl may import which, read from the import graph.

Every ``import`` in okrctl/ is found with ``ast`` (at module level and inside functions alike, since
a lazy import is still a dependency), and each one is checked against the layers below. A package
may import its own layer and the layers under it, never one above; the core never imports typer or
rich; and no two modules import each other, even through others.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "okrctl"

# Bottom to top. A name is a top-level module or package of okrctl.
LAYERS: list[set[str]] = [
    {"__init__", "errors", "findings", "fsutil", "forked", "catalog", "kinds", "safetext", "spelling", "lfs"},
    {"model"},
    {"load", "gitio", "metrics", "schema", "values", "repofiles"},
    {"analysis"},
    {"rules", "views"},  # side by side: neither imports the other
    {"checkin", "scaffold", "measure"},  # write-side tasks built on rules and views
    {"render"},
    {"cli", "__main__"},
]
# Modules that sit in a lower layer than their package. ``render/numbers.py`` imports nothing from
# okrctl, so that a rule's message or a commit message shows a number as every renderer does.
LEAVES = {"okrctl.render.numbers": "numbers"}
LAYERS[0].add("numbers")
SIDE_BY_SIDE = [("rules", "views"), ("checkin", "scaffold")]
CORE = {name for layer in LAYERS[:6] for name in layer}
UI_LIBRARIES = {"typer", "rich", "click"}
# Each command module registers itself on the app, which imports every command module at its end:
# the one cycle by design (typer's registration), so imports of the app are left out of the cycle check.
REGISTRY = "okrctl.cli.app"


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


@functools.cache  # the three checks read the same files
def _imports(path: Path, root: Path = PACKAGE) -> tuple[tuple[str, int, bool], ...]:
    """(imported module, line, only for type checking) for every import of one file."""
    module = _module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        typing_only = _type_checking_only(node, parents)
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno, typing_only) for alias in node.names)
        else:
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from okrctl.views import report`` may name a module: keep the name, trimmed later when not one
            out.extend((f"{target}.{alias.name}", node.lineno, typing_only) for alias in node.names)
    return tuple(out)


def _top(module: str) -> str:
    for leaf, name in LEAVES.items():
        if module == leaf or module.startswith(leaf + "."):
            return name
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _rank(name: str) -> int:
    for rank, layer in enumerate(LAYERS):
        if name in layer:
            return rank
    raise AssertionError(f"okrctl/{name} is in no layer: add it to LAYERS in {Path(__file__).name}")


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def layer_violations(root: Path = PACKAGE) -> list[str]:
    """Imports of a layer above, or between packages that sit side by side."""
    wrong = []
    for path in _files(root):
        source = _top(_module_name(path, root))
        for target, line, _typing in _imports(path, root):
            if not target.startswith("okrctl.") or target.startswith("okrctl.__version__"):
                continue
            imported = _top(target)
            where = f"{path.relative_to(root.parent)}:{line}"
            if _rank(imported) > _rank(source):
                wrong.append(f"{where}: {source} imports {imported}, a layer above it")
            elif imported != source and {source, imported} in [set(pair) for pair in SIDE_BY_SIDE]:
                wrong.append(f"{where}: {source} imports {imported}, which sits beside it")
    return wrong


def ui_imports(root: Path = PACKAGE) -> list[str]:
    """Imports of typer, rich or click from the core."""
    wrong = []
    for path in _files(root):
        if _top(_module_name(path, root)) not in CORE:
            continue
        for target, line, _typing in _imports(path, root):
            if target.split(".")[0] in UI_LIBRARIES:
                wrong.append(f"{path.relative_to(root.parent)}:{line}: imports {target}")
    return wrong


def import_cycles(root: Path = PACKAGE) -> list[str]:
    """Modules that import each other, directly or through others (type-checking imports aside)."""
    modules = {_module_name(path, root): path for path in _files(root)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target, _line, typing_only in _imports(path, root):
            if typing_only:
                continue
            while target and target not in modules:  # from okrctl.x import name -> okrctl.x
                target = target.rpartition(".")[0]
            if target and target not in (name, REGISTRY) and not name.startswith(target + "."):
                targets.add(target)
        graph[name] = targets
    cycles: list[str] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_every_package_sits_in_a_layer() -> None:
    for path in _files(PACKAGE):
        _rank(_top(_module_name(path)))


@pytest.mark.slow
def test_nothing_imports_a_layer_above_it() -> None:
    assert layer_violations() == []


@pytest.mark.slow
def test_the_core_never_imports_typer_or_rich() -> None:
    assert ui_imports() == []


def test_no_modules_import_each_other() -> None:
    assert import_cycles() == []


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """Each check fails on a small package that breaks its rule."""
    root = tmp_path / "okrctl"
    files = {
        "__init__.py": "",
        "model/__init__.py": "",
        "model/config.py": "from okrctl.views.report import build_report\n",
        "views/__init__.py": "",
        "views/report.py": "import rich.table\nfrom . import map as other\n",
        "views/map.py": "def f():\n    from okrctl.views import report\n",
        "rules/__init__.py": "from okrctl.views.map import f\nfrom okrctl.render import numbers\n",
        "render/numbers.py": "from okrctl.model import config\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    assert layer_violations(root) == [
        "okrctl/model/config.py:1: model imports views, a layer above it",
        "okrctl/render/numbers.py:1: numbers imports model, a layer above it",
        "okrctl/rules/__init__.py:1: rules imports views, which sits beside it",
    ]
    assert ui_imports(root) == ["okrctl/views/report.py:1: imports rich.table"]
    assert import_cycles(root) == ["okrctl.views.report -> okrctl.views.map -> okrctl.views.report"]
