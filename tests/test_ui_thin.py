"""A thin UI: no function in ui/ over 80 lines (measured with ``ast``), so each tab, panel and command has its
own builder a reader takes in at once.

``WAITING`` lists the functions still over the limit when the limit was set (issue 24); each may only shrink,
and one that got under the limit must leave the list (the list can only get shorter)."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

LIMIT = 80
WAITING: dict[str, int] = {}
"""Over the limit, to be split (one builder per tab / panel); the number is the most lines each may have."""


def function_lengths(root: Path) -> dict[str, int]:
    """``path:qualified name`` → lines (decorators excluded) of every function and method under ``root``/ui."""
    out: dict[str, int] = {}
    for path in sorted((root / "ui").rglob("*.py")):
        rel = path.relative_to(root).as_posix()

        def visit(node: ast.AST, prefix: str, rel: str = rel) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    name = f"{prefix}{child.name}"
                    if not isinstance(child, ast.ClassDef):
                        out[f"{rel}:{name}"] = (child.end_lineno or child.lineno) - child.lineno + 1
                    visit(child, f"{name}.")

        visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return out


def test_no_function_in_ui_is_over_80_lines() -> None:
    lengths = function_lengths(ROOT)
    assert len(lengths) > 100  # the UI was really measured
    too_long = {f: n for f, n in lengths.items() if n > WAITING.get(f, LIMIT)}
    assert too_long == {}, f"split these (at most {LIMIT} lines a function): {too_long}"
    done = sorted(f for f in WAITING if lengths.get(f, 0) <= LIMIT)
    assert done == [], f"under the limit now: remove from WAITING {done}"


def test_the_check_measures_nested_functions(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    inner = "".join(f"        x{i} = {i}\n" for i in range(85))
    (tmp_path / "ui" / "m.py").write_text(f"def outer():\n    def inner():\n{inner}    return inner\n")
    lengths = function_lengths(tmp_path)
    assert lengths["ui/m.py:outer.inner"] == 86 and lengths["ui/m.py:outer"] == 88
