"""The OpenAI-compatible client and the written answer against a scripted stub server (fast, no model)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest
from reportqa.index.errors import UsageError
from reportqa.index.records import Chunk, Citation
from reportqa.qa.generate import generate_answer
from reportqa.qa.llm import ENV_KEY, ENV_URL, ChatClient, LLMConfig, LLMError, LLMGenerator, chat_url
from reportqa.qa.prompt import build_messages
from reportqa.qa.records import Answer, Hit

from . import llm_stub
from .llm_stub import StubLLM

TEXTS = (
    "全年地区生产总值增长6.1%，一般公共预算收入达到2300亿元。",
    "城镇新增就业5万人以上，居民消费价格涨幅控制在2%左右。",
    "加快推进滇藏铁路前期工作，新改建农村公路1.2万公里。",
)


def _hits() -> tuple[Hit, ...]:
    return tuple(
        Hit(i + 1, 1.0 - i / 10, Chunk(i, t, Citation("某省报告.txt", "一、回顾", 10 + i, (20 + i, 20 + i))))
        for i, t in enumerate(TEXTS)
    )


def _answer(question: str = "今年城镇新增就业目标是多少？") -> Answer:
    hits = _hits()
    return Answer(question, False, hits, hits[1].text, 2, None, None, 0.9)


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    yield from llm_stub.serve_stub()


def _gen(stub: StubLLM, **kw: float) -> LLMGenerator:
    cfg = LLMConfig(url=chat_url(stub.url), model="stub-1", **kw)  # type: ignore[arg-type]
    return LLMGenerator(cfg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------------------------- configuration


def test_config_from_options_env_and_key() -> None:
    assert LLMConfig.from_options(None, None, env={}) is None
    cfg = LLMConfig.from_options(None, None, env={ENV_URL: "http://127.0.0.1:8080/v1", ENV_KEY: "sk-x"})
    assert cfg is not None and cfg.url == "http://127.0.0.1:8080/v1/chat/completions" and cfg.api_key == "sk-x"
    cfg = LLMConfig.from_options("http://h:1/v1/chat/completions", "qwen", env={ENV_URL: "http://other"})
    assert cfg is not None and cfg.url == "http://h:1/v1/chat/completions" and cfg.model == "qwen"


@pytest.mark.parametrize("bad", ["localhost:8080", "ftp://x/v1", "http://", "http://h:notaport/v1"])
def test_bad_url_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="http"):
        chat_url(bad)


def test_prompt_numbers_passages_and_has_both_examples() -> None:
    msgs = build_messages("今年城镇新增就业目标是多少？", _hits(), "zh")
    last = msgs[-1]["content"]
    assert "[1] (某省报告.txt" in last and "[3] (" in last and "城镇新增就业5万人以上" in last
    assert msgs[0]["role"] == "system" and "[编号]" in msgs[0]["content"]
    assert sum(m["role"] == "assistant" for m in msgs) == 2
    assert any("未提及" in m["content"] for m in msgs if m["role"] == "assistant")
    en = build_messages("What is this year's target for new urban jobs?", _hits(), "en")
    assert "English" in en[0]["content"] and "Question:" in en[-1]["content"]


# ---------------------------------------------------------------------------------------------- the client


def test_streams_pieces_and_sends_model_key_and_stream(stub: StubLLM) -> None:
    stub.script = [llm_stub.sse("城镇新增就业5万人以上[2]。", pieces=5)]
    cfg = LLMConfig(url=chat_url(stub.url), model="m", api_key="sk-test")
    pieces = list(ChatClient(cfg).stream([{"role": "user", "content": "q"}]))
    assert len(pieces) >= 3 and "".join(pieces) == "城镇新增就业5万人以上[2]。"
    req = stub.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["json"]["stream"] is True and req["json"]["model"] == "m" and req["json"]["max_tokens"] > 0
    assert req["headers"]["Authorization"] == "Bearer sk-test"


def test_reads_a_non_streaming_json_reply(stub: StubLLM) -> None:
    stub.script = [llm_stub.whole_json("城镇新增就业5万人以上[2]。")]
    assert "".join(_gen(stub).generate("q", _hits(), "zh")) == "城镇新增就业5万人以上[2]。"


@pytest.mark.parametrize(
    "behaviour, message",
    [
        (llm_stub.http_error(500), "HTTP 500"),
        (llm_stub.http_error(401, '{"error":"bad key"}'), "HTTP 401"),
        (llm_stub.raw("text/event-stream", b"data: {not json\n\n"), "not JSON"),
        (llm_stub.raw("text/event-stream", b'data: {"foo": 1}\n\n'), "unexpected"),
        (llm_stub.raw("text/event-stream", b'data: {"error": {"message": "overloaded"}}\n\n'), "overloaded"),
        (llm_stub.raw("application/json", b"<html>gateway</html>"), "not JSON"),
        (llm_stub.raw("text/event-stream", b"data: [DONE]\n\n"), "no text"),
    ],
)
def test_failures_raise_one_line_llm_errors(stub: StubLLM, behaviour: llm_stub.Behaviour, message: str) -> None:
    stub.script = [behaviour]
    with pytest.raises(LLMError, match=message) as e:
        "".join(_gen(stub).generate("q", _hits(), "zh"))
    assert "\n" not in str(e.value)


def test_connection_refused_is_an_llm_error() -> None:
    cfg = LLMConfig(url=f"http://127.0.0.1:{_free_port()}/v1/chat/completions", model="m", connect_timeout=1)
    with pytest.raises(LLMError, match="refused"):
        list(ChatClient(cfg).stream([{"role": "user", "content": "q"}]))


def test_silent_server_hits_the_idle_limit(stub: StubLLM) -> None:
    stub.script = [llm_stub.hang_before(3.0)]  # it would answer after 3 s: only the limit raises
    with pytest.raises(LLMError, match="in time|stopped sending"):
        list(_gen(stub, first_token_timeout=0.4).generate("q", _hits(), "zh"))


def test_stall_after_the_first_piece_hits_the_idle_limit(stub: StubLLM) -> None:
    stub.script = [llm_stub.trickle("城镇新增就业", 0.6)]
    with pytest.raises(LLMError, match=r"no data for 0\.3 s"):
        list(_gen(stub, first_token_timeout=3.0, idle_timeout=0.3).generate("q", _hits(), "zh"))


def test_trickling_server_hits_the_total_limit(stub: StubLLM) -> None:
    stub.script = [llm_stub.trickle("城镇新增就业5万人以上，" * 5, 0.1)]  # only the total limit raises
    with pytest.raises(LLMError, match="total time"):
        list(_gen(stub, first_token_timeout=1.0, idle_timeout=1.0, total_timeout=0.6).generate("q", _hits(), "zh"))


# ---------------------------------------------------------------------------------------------- written answers


def _from_passage_two(req: dict[str, object]) -> str:
    """A good reply computed from the request: passage 2's first clause, cited [2]."""
    text = llm_stub.passages(req)[2]  # type: ignore[arg-type]
    return text.split("，")[0] + "[2]。"


def test_good_reply_is_verified_and_in_the_json(stub: StubLLM) -> None:
    stub.script = [llm_stub.computed(_from_passage_two)]
    seen: list[str] = []
    a = generate_answer(_answer(), _gen(stub), on_token=seen.append)
    g = a.generated
    assert g is not None and g.model == "stub-1" and g.dropped == 0 and not g.refused
    assert g.text == "城镇新增就业5万人以上[2]。" and "".join(seen) == g.raw
    assert g.first_token_seconds is not None and g.total_seconds >= g.first_token_seconds
    d = json.loads(json.dumps(a.to_json(), ensure_ascii=False))
    assert d["generated"]["sentences"] == [{"text": "城镇新增就业5万人以上。", "citations": [2], "verified": True}]
    assert d["answer"]["passage"] == 2  # the extractive answer stays


def test_wrong_marker_is_repointed_and_invented_figure_dropped(stub: StubLLM) -> None:
    stub.script = [llm_stub.sse("城镇新增就业5万人以上[1]。居民消费价格涨幅控制在3%左右[2]。")]
    g = generate_answer(_answer(), _gen(stub)).generated
    assert g is not None
    assert [(s.citations, s.verified, s.repointed) for s in g.sentences] == [((2,), True, True), ((2,), False, False)]
    assert g.dropped == 1 and g.invented == ("3%",) and "3%" not in g.text


def test_refusal_becomes_a_written_abstention(stub: StubLLM) -> None:
    stub.script = [llm_stub.sse("资料中未提及。")]
    g = generate_answer(_answer("今年计划新建几个机场？"), _gen(stub)).generated
    assert g is not None and g.refused and g.text == "" and g.sentences == ()


@pytest.mark.parametrize(
    "behaviour",
    [llm_stub.http_error(500), llm_stub.raw("text/event-stream", b"data: garbage\n\n"), llm_stub.hang_before(3.0)],
)
def test_failure_falls_back_to_the_extractive_answer_with_a_notice(
    stub: StubLLM, behaviour: llm_stub.Behaviour
) -> None:
    stub.script = [behaviour]
    before = _answer()
    after = generate_answer(before, _gen(stub, first_token_timeout=0.5))
    assert after.generated is None
    assert after.notice and "written answer is unavailable" in after.notice and "\n" not in after.notice
    assert replace(after, notice=None) == before


def test_reply_of_only_markers_falls_back(stub: StubLLM) -> None:
    stub.script = [llm_stub.sse("[1][2]")]
    after = generate_answer(_answer(), _gen(stub))
    assert after.generated is None and after.notice and "no sentence" in after.notice
