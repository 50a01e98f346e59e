"""``reportqa serve`` as a real server: the ``/ask`` API's JSON contract, and the page without an index."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import harness

from .conftest import SEED, run_cli

SLOW = pytest.mark.slow  # a real server over a real-model index


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    work = tmp_path_factory.mktemp("serve-api")
    index_dir = harness.build_demo_index(work, SEED, with_xss=False)
    with harness.serve_subprocess(index_dir, work / "server.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: harness.Server) -> Any:
    from gradio_client import Client

    return Client(server.url, verbose=False)


def _check_contract(d: dict[str, Any], question: str, k: int) -> None:
    assert set(d) <= {"question", "abstained", "answer", "passages", "notice", "confidence"}
    assert 0.0 <= d.get("confidence", 0.5) <= 1.0
    assert d["question"] == question
    assert isinstance(d["abstained"], bool)
    assert 1 <= len(d["passages"]) <= k
    for rank, p in enumerate(d["passages"], 1):
        assert set(p) == {"rank", "score", "text", "citation"}
        assert p["rank"] == rank and isinstance(p["score"], float) and p["text"]
        c = p["citation"]
        assert set(c) == {"document", "section", "paragraph", "lines", "region", "year"}
        assert c["document"] == SEED.name and c["paragraph"] >= 1 and c["lines"][0] <= c["lines"][1]
        assert (c["region"], c["year"]) == ("西藏自治区", 2024)
    if d["answer"] is not None:
        assert not d["abstained"]
        assert d["answer"]["text"] and 1 <= d["answer"]["passage"] <= len(d["passages"])


@SLOW
def test_ask_api_matches_cli_json(client: Any, server: harness.Server) -> None:
    q = "2024年地区生产总值预期增长多少？"
    d = client.predict(q, 3, api_name="/ask")
    _check_contract(d, q, 3)
    assert not d["abstained"]
    proc = run_cli("ask", q, "--index-dir", str(server.index_dir), "--json", "-k", "3")
    assert proc.returncode == 0, proc.stderr
    assert d == json.loads(proc.stdout)


@SLOW
def test_ask_api_default_k_and_english(client: Any) -> None:
    q = "How many border trade points were approved to reopen?"
    d = client.predict(q, api_name="/ask")
    _check_contract(d, q, 5)


@SLOW
def test_ask_api_takes_a_search_mode(client: Any, server: harness.Server) -> None:
    q = "边贸点获批恢复"
    d = client.predict(q, 2, "keyword", api_name="/ask")
    _check_contract(d, q, 2)
    proc = run_cli("ask", q, "--index-dir", str(server.index_dir), "--json", "-k", "2", "--mode", "keyword")
    assert proc.returncode == 0, proc.stderr
    assert d == json.loads(proc.stdout)
    bad = client.predict(q, 2, "fuzzy", api_name="/ask")
    assert "unknown search mode" in bad["error"] and "hybrid" in bad["error"]


@SLOW
def test_ask_api_errors_are_json(client: Any) -> None:
    d = client.predict("   ", 3, api_name="/ask")
    assert d["question"] == "   " and "empty" in d["error"]
    d = client.predict("问题", 0, api_name="/ask")
    assert "error" in d


@SLOW
def test_ask_api_is_listed_and_internal_events_are_not(client: Any) -> None:
    info = client.view_api(print_info=False, return_format="dict")
    names = set(info["named_endpoints"])
    assert names == {"/ask", "/add_report", "/remove_report", "/library_status"}, names
    assert not info["unnamed_endpoints"]


@SLOW
def test_page_and_no_file_access(server: harness.Server) -> None:
    with urllib.request.urlopen(server.url + "/", timeout=10) as r:
        page = r.read().decode("utf-8")
    assert "reportqa" in page
    for path in ("/gradio_api/file=/etc/passwd", "/file=/etc/passwd", f"/gradio_api/file={SEED}"):
        try:
            with urllib.request.urlopen(server.url + path, timeout=10) as r:
                assert "root:" not in r.read().decode("utf-8", "replace")
                raise AssertionError(f"{path} answered {r.status}")
        except urllib.error.HTTPError as e:
            assert e.code in (403, 404)


@SLOW
def test_server_without_index_explains_how_to_build(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "index"
    with harness.serve_subprocess(missing, tmp_path / "server.log") as srv:
        from gradio_client import Client

        d = Client(srv.url, verbose=False).predict("问题", 3, api_name="/ask")
        assert d["question"] == "问题"
        assert "reportqa build" in d["error"] and str(missing) in d["error"]
        config = json.loads(urllib.request.urlopen(srv.url + "/config", timeout=10).read())
        text = json.dumps(config, ensure_ascii=False)
        assert "reportqa build --index-dir" in text
        assert '"chatbot"' not in text


# ---------------------------------------------------------------------------------------------- in-process


class _Index:
    def __init__(self) -> None:
        self.manifest: dict[str, Any] = {"counts": {}, "sources": [{"name": "r.txt"}], "embedder": {"id": "fake"}}
        self.paragraphs: list[Any] = []
        self.documents: tuple[Any, ...] = ()
        self.build_id = "b1"


class _PlainEngine:
    """A stand-in for the engine as the doors ask it (:class:`reportqa.ui.queries.Asking`)."""

    def __init__(self) -> None:
        self.index = _Index()
        self.calls: list[dict[str, Any]] = []

    def ask(self, question: str, k: int = 5, mode: str = "semantic", filters: Any = None) -> Any:
        from reportqa.index.errors import UsageError
        from reportqa.qa.records import Answer

        if not question.strip():
            raise UsageError("the question is empty")
        self.calls.append({"question": question, "k": k, "mode": mode})
        return Answer(question, True, ())


def test_the_mode_is_passed_when_chosen_and_the_engine_default_otherwise() -> None:
    from reportqa.ui import app

    e = _PlainEngine()
    app.ask_engine(e, "问题", 3, "keyword")
    app.ask_engine(e, "问题", 3, None)
    assert e.calls == [
        {"question": "问题", "k": 3, "mode": "keyword"}, {"question": "问题", "k": 3, "mode": "semantic"},
    ]  # fmt: skip


def test_api_answer_contract_and_errors() -> None:
    from reportqa.ui import app

    assert app.api_answer(_PlainEngine(), "问题", 2) == {
        "question": "问题", "abstained": True, "answer": None, "passages": [],
    }  # fmt: skip
    assert "empty" in app.api_answer(_PlainEngine(), "", 2)["error"]
    assert "error" in app.api_answer(_PlainEngine(), "问题", 0)


def test_build_app_offers_the_search_modes(tmp_path: Path) -> None:
    from reportqa.qa.engine import DEFAULT_MODE, MODES
    from reportqa.ui import app

    demo = app.build_app(_PlainEngine(), tmp_path / "index")  # type: ignore[arg-type]
    radios = [b for b in demo.blocks.values() if type(b).__name__ == "Radio"]
    assert len(radios) == 1 and radios[0].visible is True and radios[0].value == DEFAULT_MODE
    assert [c[1] for c in radios[0].choices] == list(MODES)
    chatbots = [b for b in demo.blocks.values() if type(b).__name__ == "Chatbot"]
    assert chatbots[0].render_markdown is False and chatbots[0].sanitize_html is True


def test_feedback_is_appended_beside_the_index_from_many_threads(tmp_path: Path) -> None:
    import threading

    from reportqa.index.records import Chunk, Citation
    from reportqa.qa.records import Answer, Hit
    from reportqa.ui.feedback import FeedbackLog, feedback_path, feedback_record

    index_dir = tmp_path / "store" / "index"
    path = feedback_path(index_dir)
    assert path == tmp_path / "store" / "feedback.jsonl"
    log = FeedbackLog(path)
    hit = Hit(1, 0.9, Chunk(0, "段落" * 500, Citation("r.txt", "一、总体", 3, (4, 6))))
    answer = Answer("问题", False, (hit,), "段落", 1)

    def vote(i: int) -> None:
        for j in range(20):
            log.append(feedback_record(answer, (i + j) % 2 == 0, "b1"))

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 160
    assert {r["vote"] for r in rows} == {"up", "down"}
    assert rows[0]["passages"][0]["citation"] == "r.txt · 一、总体 · ¶ 3 · lines 4–6"
    assert rows[0]["build_id"] == "b1" and rows[0]["question"] == "问题"
