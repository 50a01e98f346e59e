"""The ask and build paths never import gradio, torch or sentence-transformers (start-up cost, not timing).

Each check runs the real CLI entry point in a fresh interpreter and then inspects ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

HEAVY = ("gradio", "gradio_client", "torch", "sentence_transformers", "transformers")


def modules_after_cli(*argv: str) -> tuple[int, set[str]]:
    code = (
        "import io, contextlib, json, sys\n"
        "from reportqa.ui.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    rc = main({list(argv)!r})\n"
        f"print(json.dumps([rc, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rc, mods = json.loads(proc.stdout.strip().splitlines()[-1])
    return int(rc), set(mods)


def test_ask_on_a_missing_index_imports_nothing_heavy(tmp_path: Path) -> None:
    rc, mods = modules_after_cli("ask", "增长目标？", "--index-dir", str(tmp_path / "none"))
    assert rc != 0
    assert mods == set()


def test_build_path_imports_nothing_heavy(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, mods = modules_after_cli("build", str(empty), "--index-dir", str(tmp_path / "idx"), "--quiet")
    assert rc != 0  # nothing to index; the build module and its imports were loaded all the same
    assert mods == set()


def test_status_and_paragraphs_import_nothing_heavy(tmp_path: Path, seed_path: Path) -> None:
    assert modules_after_cli("status", "--index-dir", str(tmp_path / "none"))[1] == set()
    rc, mods = modules_after_cli("paragraphs", str(seed_path))
    assert rc == 0 and mods == set()


@pytest.mark.slow
def test_answering_a_question_imports_nothing_heavy(seed_index: Path) -> None:
    rc, mods = modules_after_cli("ask", "2024年地区生产总值增长目标是多少？", "--index-dir", str(seed_index), "--json")
    assert rc == 0
    assert mods == set()


@pytest.mark.slow
def test_importtime_of_ask_lists_no_heavy_module(seed_index: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reportqa.ui", "ask", "增长目标是多少？", "--index-dir",
         str(seed_index), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
