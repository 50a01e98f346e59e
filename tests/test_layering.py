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
