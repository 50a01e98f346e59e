"""``reportqa ask/eval --llm`` through the real entry point, against the scripted stub server (no model)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import llm_stub
from .conftest import run_cli
from .llm_stub import StubLLM

pytestmark = pytest.mark.slow  # the seed index is built with the real embedder

QUESTION = "2023年新增多少家国家农民合作社示范社？"


def _first_figure_clause(req: dict[str, Any]) -> str:
    """A good reply computed from the request: the first clause with a figure of any passage, cited."""
    for n, text in llm_stub.passages(req).items():
        for clause in re.split(r"[，。；]", text):
            if re.search(r"\d", clause) and len(clause) >= 6:
                return f"{clause}[{n}]。"
    return "资料中未提及。"


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    yield from llm_stub.serve_stub()


def test_ask_json_carries_the_checked_written_answer(seed_index: Path, stub: StubLLM) -> None:
    stub.script = [llm_stub.computed(_first_figure_clause)]
    proc = run_cli("ask", QUESTION, "--json", "-k", "3", "--index-dir", str(seed_index), "--llm", stub.url,
                   "--llm-model", "stub-m", env={"REPORTQA_LLM_API_KEY": "sk-cli"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    g = d["generated"]
    assert g["model"] == "stub-m" and g["dropped"] == 0 and g["sentences"][0]["verified"]
    n = g["sentences"][0]["citations"][0]
    assert g["sentences"][0]["text"].rstrip("。").replace(" ", "") in d["passages"][n - 1]["text"].replace(" ", "")
    sent = stub.requests[0]
    assert sent["headers"]["Authorization"] == "Bearer sk-cli"
    assert all(p["text"][:20] in sent["json"]["messages"][-1]["content"] for p in d["passages"])


def test_ask_text_shows_written_and_unverified_lines(seed_index: Path, stub: StubLLM) -> None:
    stub.script = [llm_stub.computed(lambda r: _first_figure_clause(r) + "全年增长99.9%[1]。")]
    proc = run_cli("ask", QUESTION, "-k", "3", "--index-dir", str(seed_index), "--llm", stub.url)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^W: .+\[\d\]", proc.stdout, re.M)
    assert re.search(r"^\?: 全年增长99\.9%\[1\]。 +\(not verified", proc.stdout, re.M)


def test_model_failure_falls_back_with_one_notice_line(seed_index: Path, stub: StubLLM) -> None:
    stub.script = [llm_stub.http_error(500)]
    proc = run_cli("ask", QUESTION, "--json", "--index-dir", str(seed_index), "--llm", stub.url)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert "generated" not in d and d["passages"] and "HTTP 500" in d["notice"]


def test_without_llm_nothing_changes_and_bad_url_is_a_usage_error(seed_index: Path) -> None:
    proc = run_cli("ask", QUESTION, "--json", "--index-dir", str(seed_index), env={"REPORTQA_LLM_URL": ""})
    assert proc.returncode == 0 and "generated" not in json.loads(proc.stdout)
    proc = run_cli("ask", QUESTION, "--index-dir", str(seed_index), "--llm", "localhost:8080")
    assert proc.returncode == 2 and "http" in proc.stderr and "Traceback" not in proc.stderr


def test_eval_reports_written_answer_metrics(seed_index: Path, stub: StubLLM, tmp_path: Path) -> None:
    stub.script = [llm_stub.computed(_first_figure_clause)]
    rows = [
        {"id": "a", "kind": "zh_lexical", "question": QUESTION, "evidence": "示范社", "answer": "示范社"},
        {"id": "u", "kind": "unanswerable", "question": "报告对登月计划有什么安排？", "evidence": None, "answer": None},
    ]
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    proc = run_cli("eval", str(qfile), "--index-dir", str(seed_index), "--json", "--llm", stub.url)
    assert proc.returncode == 0, proc.stderr
    llm = json.loads(proc.stdout)["llm"]
    assert llm["questions"] == 2 and set(llm["by_kind"]) == {"zh_lexical", "unanswerable"}
    o = llm["overall"]
    assert o["fallback"] == 0 and o["verified"] == 1.0 and o["invented"] == 0.0 and o["total"] is not None
    proc = run_cli("eval", str(qfile), "--index-dir", str(seed_index), "--llm", stub.url, "--llm-limit", "1")
    assert proc.returncode == 0 and "| written answer (default)" in proc.stdout
