"""index/'s rooms import in one direction (as tests/test_layering.py checks between the layers): text
knowledge at the bottom, then reading, figures and storage, embedding (its vector cache is on disk), and the build
pipeline on top. Every import is counted (module level and inside functions). Written by the issue-24 restructure
script."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

ALLOWED: dict[str, set[str]] = {
    "text": set(),
    "reading": {'text'},
    "embedding": {'storage', 'text'},
    "figures": {'reading', 'text'},
    "storage": {'reading', 'text'},
    "pipeline": {'embedding', 'figures', 'reading', 'storage', 'text'},
}
"""Room → the rooms it may import (each room may also import index/'s shared errors.py and records.py)."""


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) >= 3 and parts[:2] == ["reportqa", "index"] and parts[2] in ALLOWED else None


def _imports(path: Path, me: str) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = me.split(".")[: len(me.split(".")) - node.level]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(["reportqa", *(parts[:-1] if parts[-1] == "__init__" else parts)])


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_a_room_imports_only_the_rooms_below_it(room: str) -> None:
    files = sorted((ROOT / "index" / room).rglob("*.py"))
    assert len(files) > 1, f"index/{room}/ has no modules"
    bad = sorted(
        f"{f.relative_to(ROOT)} imports {name}"
        for f in files
        for name in _imports(f, _module(f))
        if (other := _room(name)) and other != room and other not in ALLOWED[room]
    )
    assert bad == []


def test_the_allowed_directions_have_no_cycle() -> None:
    def below(room: str, seen: frozenset[str]) -> None:
        assert room not in seen, f"rooms import each other: {' → '.join([*seen, room])}"
        for other in ALLOWED[room]:
            below(other, seen | {room})

    for room in ALLOWED:
        below(room, frozenset())


def test_the_shared_modules_import_no_room() -> None:
    """index/'s errors.py and records.py sit under every room: they import none."""
    for name in ("errors", "records"):
        path = ROOT / "index" / f"{name}.py"
        assert path.exists()
        assert {_room(m) for m in _imports(path, f"reportqa.index.{name}")} <= {None}, name


CLI = ("ui/cli.py", "ui/cli_yoy.py")
"""The command line: it reaches index/ only through index/facade.py (and the shared errors and records)."""


def test_the_command_line_reaches_index_only_through_the_facade() -> None:
    shared = {"reportqa.index.facade", "reportqa.index.errors", "reportqa.index.records"}
    bad = sorted(
        f"{f} imports {name}"
        for f in CLI
        for name in _imports(ROOT / f, _module(ROOT / f))
        if name.startswith("reportqa.index.") and name.rsplit(".", 1)[0] not in shared and name not in shared
    )
    assert bad == []  # (shown to fail with ui/cli.py importing index.storage.status directly)


def test_every_facade_name_is_its_rooms_and_typed() -> None:
    import importlib

    from reportqa.index import facade

    typed: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / "index" / "facade.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            typed |= {a.asname or a.name for n in node.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert typed == set(facade.WHERE)  # mypy sees exactly the names the facade serves
    for name, where in facade.WHERE.items():
        assert getattr(facade, name) is getattr(importlib.import_module(f"reportqa.index.{where}"), name), name
    with pytest.raises(AttributeError):
        facade.__getattr__("no_such_name")


def test_the_facade_loads_no_room_until_a_name_is_asked() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reportqa.index.facade as f\n"
        "rooms = [m for m in sys.modules if m.startswith(('reportqa.index.pipeline', 'reportqa.index.storage',"
        " 'reportqa.index.embedding', 'reportqa.index.figures', 'reportqa.index.reading'))]\n"
        "assert rooms == [], rooms\n"
        "f.index_status\n"
        "assert 'reportqa.index.storage.status' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
