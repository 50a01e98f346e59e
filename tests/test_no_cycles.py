"""No import cycles anywhere in index/, qa/ and ui/: the module graph is drawn from the source with ``ast``,
every import counted (module level, inside functions, under ``if TYPE_CHECKING:``), relative and absolute,
across sub-packages. A cycle hidden inside a function is still a cycle a reader must untangle."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

LAYERS = ("index", "qa", "ui")


def module_name(root: Path, path: Path) -> str:
    """``index/text/years.py`` → ``reportqa.index.text.years``; a package's ``__init__.py`` → the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["reportqa", *parts])


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module named by a ``from`` import (``from ..x import y`` in ``reportqa.a.b`` → ``reportqa.x``)."""
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path, layers: tuple[str, ...] = LAYERS) -> dict[str, set[str]]:
    """Module → the modules of ``layers`` it imports (a ``from P import X`` of a sub-module X counts as X)."""
    files = {module_name(root, f): f for layer in layers for f in sorted((root / layer).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, is_package, node)
                subs = {f"{target}.{a.name}" for a in node.names} & files.keys()
                out.update(subs or {target})
        graph[name] = {m for m in out if m in files and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (``[a, b, …, a]``), or ``None``."""
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt) and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for mod in sorted(graph):
        if not state.get(mod) and (found := visit(mod, [mod])):
            return found
    return None


def test_no_import_cycles_anywhere() -> None:
    graph = import_graph(ROOT)
    assert len(graph) > 50 and sum(map(len, graph.values())) > 100  # the graph was really drawn
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_check_finds_a_cycle_hidden_in_a_function_and_across_sub_packages(tmp_path: Path) -> None:
    (tmp_path / "qa" / "sub").mkdir(parents=True)
    (tmp_path / "qa" / "__init__.py").write_text("")
    (tmp_path / "qa" / "sub" / "__init__.py").write_text("")
    (tmp_path / "qa" / "a.py").write_text("from .sub import b\n")
    (tmp_path / "qa" / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (tmp_path / "qa" / "c.py").write_text("import reportqa.qa.a\n")
    graph = import_graph(tmp_path, ("qa",))
    assert graph["reportqa.qa.a"] == {"reportqa.qa.sub.b"} and graph["reportqa.qa.sub.b"] == {"reportqa.qa.c"}
    assert find_cycle(graph) == ["reportqa.qa.a", "reportqa.qa.sub.b", "reportqa.qa.c", "reportqa.qa.a"]
    (tmp_path / "qa" / "c.py").write_text("import json\n")
    assert find_cycle(import_graph(tmp_path, ("qa",))) is None
