"""index ← qa ← ui: no module imports a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

FORBIDDEN = {"index": ("reportqa.qa", "reportqa.ui"), "qa": ("reportqa.ui",), "ui": ()}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_upward_imports(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no modules in {layer}/"
    offenders = [
        f"{f.relative_to(ROOT)} imports {name}"
        for f in files
        for name in _imports(f)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert offenders == []


def test_relative_imports_stay_inside_their_layer() -> None:
    for layer in FORBIDDEN:
        for f in (ROOT / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level > 1:
                    pytest.fail(f"{f.relative_to(ROOT)} uses a parent-relative import")


def _local_imports(path: Path, layer: str) -> set[str]:
    """Modules of ``layer`` that ``path`` imports at module level (relative or absolute, ``if TYPE_CHECKING:``
    blocks included; an import inside a function, e.g. a fitting script's ``main``, is lazy and not counted)."""
    out: set[str] = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    nodes = [n for stmt in body for n in ([stmt, *stmt.body, *stmt.orelse] if isinstance(stmt, ast.If) else [stmt])]
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                out.add(node.module.split(".")[0])
            elif node.level == 1:
                out.update(a.name for a in node.names)
            elif node.module and node.module.startswith(f"reportqa.{layer}."):
                out.add(node.module.split(".")[2])
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_import_cycles_inside_a_layer(layer: str) -> None:
    graph = {f.stem: _local_imports(f, layer) for f in (ROOT / layer).glob("*.py")}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                pytest.fail(f"import cycle in {layer}/: {' → '.join([*path[path.index(nxt):], nxt])}")
            if not state.get(nxt):
                visit(nxt, [*path, nxt])
        state[node] = 2

    for mod in sorted(graph):
        if not state.get(mod):
            visit(mod, [mod])
