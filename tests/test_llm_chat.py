"""The written answer in the web chat and the terminal: streaming, chips, unverified sentences apart, no hang."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reportqa.index.records import Chunk, Citation
from reportqa.qa.generate import generate_answer
from reportqa.qa.llm import LLMError
from reportqa.qa.records import Answer, Hit, Language
from reportqa.ui import app
from reportqa.ui.render_llm import chips_in, generated_lines, render_written
from reportqa.ui.stream_llm import stream_written

TEXTS = ("全年地区生产总值增长6.1%，粮食产量达到120万吨。", "城镇新增就业5万人以上，居民消费价格涨幅控制在2%左右。")


def _hits() -> tuple[Hit, ...]:
    return tuple(
        Hit(i + 1, 0.9, Chunk(i, t, Citation("某省报告.txt", "一、回顾", 7 + i, (30 + i, 30 + i))))
        for i, t in enumerate(TEXTS)
    )


class _Scripted:
    """An AnswerGenerator that yields scripted pieces, then fails if told to."""

    def __init__(self, pieces: Sequence[str], error: str | None = None) -> None:
        self.pieces = list(pieces)
        self.error = error

    @property
    def model(self) -> str:
        return "scripted"

    def generate(self, question: str, hits: Sequence[Hit], language: Language) -> Iterator[str]:
        yield from self.pieces
        if self.error:
            raise LLMError(self.error)


class _Index:
    def __init__(self) -> None:
        self.manifest: dict[str, Any] = {"counts": {}, "sources": [{"name": "某省报告.txt"}], "embedder": {"id": "f"}}
        self.paragraphs: list[Any] = []
        self.chunks: list[Any] = []
        self.documents: tuple[Any, ...] = ()
        self.build_id = "b1"


class _Engine:
    def __init__(self) -> None:
        self.index = _Index()

    def ask(self, question: str, k: int = 5, mode: str = "hybrid", filters: Any = None) -> Answer:
        hits = _hits()[:k]
        return Answer(question, False, hits, hits[1].text, 2, None, None, 0.9)


REPLY = ["城镇新增就业", "5万人以上[1]。", "居民消费价格涨幅", "控制在3%左右[2]。"]


def test_written_block_shows_verified_with_chips_and_unverified_apart() -> None:
    a = generate_answer(_Engine().ask("今年就业目标？"), _Scripted(REPLY))
    html = render_written(a)
    verified, _, unverified = html.partition("rq-unverified")
    # the wrong [1] was re-pointed to passage 2, and its chip opens passage 2's paragraph
    assert "城镇新增就业5万人以上" in verified and 'data-target="p-' in verified and 'data-n="8"' in verified
    assert "3%" not in verified and "3%" in unverified and "not verified" in unverified
    lines = generated_lines(a.generated)  # type: ignore[arg-type]
    assert lines[0].startswith("W: 城镇新增就业5万人以上[2]。") and lines[1].startswith("?: ")


def test_model_text_is_escaped_and_markers_become_chips() -> None:
    html = chips_in("<img src=x onerror=alert(1)>见[1]与［２］和[9]", _hits())
    assert "<img" not in html and "&lt;img" in html
    assert html.count('class="rq-cite rq-inline"') == 2 and "&#91;9&#93;" in html


def test_stream_written_redraws_while_writing_then_stores_the_checked_answer() -> None:
    answer = _Engine().ask("今年就业目标？")
    session: dict[str, Any] = {"messages": [{}, {}], "answers": {1: answer}}
    partials = []
    for _ in stream_written(session, 1, _Scripted(REPLY), redraw=0.0):  # a re-draw after every piece
        partials.append(session.get("partial", {}).get(1))
    assert len(partials) == len(REPLY) + 1
    assert any(p and "城镇新增就业" in p for p in partials[:-1])  # partial text shown before the end
    final = session["answers"][1]
    assert final.generated is not None and final.generated.dropped == 1 and 1 not in session["partial"]


def test_stream_written_gives_up_after_the_guard_and_on_errors() -> None:
    answer = _Engine().ask("今年就业目标？")
    session: dict[str, Any] = {"messages": [{}, {}], "answers": {1: answer}}
    stuck = _Stuck()  # a model that sends one piece, then nothing until released: only the guard ends the reply
    list(stream_written(session, 1, stuck, guard=0.3))
    stuck.release.set()
    assert session["answers"][1].generated is None and "too long" in session["answers"][1].notice
    session["answers"][1] = answer
    list(stream_written(session, 1, _Scripted(["半句"], error="connection refused")))
    assert "connection refused" in session["answers"][1].notice


class _Stuck:
    """A model that stalls after its first piece until the test releases it (the guard, not the clock, ends it)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    @property
    def model(self) -> str:
        return "stuck"

    def generate(self, question: str, hits: Sequence[Hit], language: Language) -> Iterator[str]:
        yield "慢"
        self.release.wait()


def _respond_llm(demo: Any) -> Any:
    fns = demo.fns.values() if isinstance(demo.fns, dict) else demo.fns
    return next(f.fn for f in fns if getattr(f.fn, "__name__", "") == "respond_llm")


def test_chat_shows_the_extractive_answer_first_then_streams_the_written_one(tmp_path: Path) -> None:
    demo = app.build_app(_Engine(), tmp_path / "index", _Scripted(REPLY))
    updates = list(_respond_llm(demo)("今年就业目标？", 2, False, None, None, None, None, None))
    first = updates[0][1][-1]["content"]
    assert "rq-sentence" in first and "rq-written" not in first  # before the model is asked
    assert any("rq-streaming" in u[1][-1]["content"] for u in updates[1:-1])
    last = updates[-1][1][-1]["content"]
    assert "rq-written" in last and "rq-streaming" not in last and "rq-unverified" in last
    assert updates[-1][2]["answers"][1].generated is not None


def test_chat_without_llm_is_unchanged(tmp_path: Path) -> None:
    demo = app.build_app(_Engine(), tmp_path / "index")
    updates = list(_respond_llm(demo)("今年就业目标？", 2, False, None, None, None, None, None))
    assert len(updates) == 1 and "rq-written" not in updates[0][1][-1]["content"]
    assert app.api_answer(_Engine(), "今年就业目标？", 2).get("generated") is None
    d = app.api_answer(_Engine(), "今年就业目标？", 2, generator=_Scripted(REPLY))
    assert d["generated"]["dropped"] == 1
