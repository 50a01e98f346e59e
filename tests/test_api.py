"""The REST API and MCP over HTTP, against a real server on 127.0.0.1 (uvicorn in a thread, the fake embedder).

Each route, each error (400, 401, 404, 413, 503), ``k`` limits, the MCP session (initialize, list tools, call
``ask``) and the one door: no credentials, no answer and no tool list. The real-model server, ``reportqa mcp``
over stdio and README's examples are in ``test_api_readme.py`` (slow).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import requests
from reportqa.index.errors import IndexMissingError
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.live import LiveEngine
from reportqa.ui.auth import Door
from reportqa.ui.queries import ServedIndex, ask_json, make_filters

from tests import harness

from .conftest import SEED, FakeEmbedder

TOKEN = "test-token-0123"
USER, PASSWORD = "ana", "pa55word"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
BASIC = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
QUESTION = "2024年地区生产总值预期增长多少？"


@contextlib.contextmanager
def running(app: Any, timeout: float = 60) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; waits (bounded) until it accepts."""
    import uvicorn

    port = harness.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def _served_app(served: ServedIndex, door: Door, page_engine: Any = None) -> Any:
    import gradio as gr
    from reportqa.ui.app import build_app
    from reportqa.ui.server import build_server_app

    page = build_app(page_engine, served.index_dir) if page_engine is not None else gr.Blocks()
    return build_server_app(page, served, door)


@pytest.fixture(scope="module")
def fake() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, fake: FakeEmbedder) -> Path:
    work = tmp_path_factory.mktemp("api")
    docs = work / "docs"
    docs.mkdir()
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    build_index([docs], work / "index", embedder=fake)
    return work / "index"


@pytest.fixture(scope="module")
def engine(index_dir: Path, fake: FakeEmbedder) -> Engine:
    return Engine(store.load_index(index_dir), fake)


@pytest.fixture(scope="module")
def url(index_dir: Path, engine: Engine) -> Iterator[str]:
    """A server with --auth and a token over the seed (the chat page included)."""
    live = LiveEngine(index_dir, engine=engine)
    with running(_served_app(ServedIndex(index_dir, live), Door(USER, PASSWORD, TOKEN), live)) as u:
        yield u


def _get(url: str, path: str, headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
    return requests.get(url + path, params=params, headers=BEARER if headers is None else headers, timeout=60)


# ---------------------------------------------------------------------------------------------- routes


def test_ask_get_and_post_are_the_ask_json_object(url: str, engine: Engine) -> None:
    want = ask_json(engine, QUESTION, 3, "hybrid")
    r = _get(url, "/api/v1/ask", q=QUESTION, k=3)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == want
    assert len(want["passages"]) == 3
    r = requests.post(url + "/api/v1/ask", json={"q": QUESTION, "k": 3}, headers=BEARER, timeout=60)
    assert r.status_code == 200 and r.json() == want
    keyword = ask_json(engine, QUESTION, 2, "keyword", make_filters(None, ["西藏"], [2024]))
    r = _get(url, "/api/v1/ask", q=QUESTION, k=2, mode="keyword", region="西藏", year=2024)
    assert r.json() == keyword


def test_default_k_filters_and_search_passages_only(url: str, engine: Engine) -> None:
    d = _get(url, "/api/v1/ask", q="粮食产量").json()
    assert len(d["passages"]) == 5  # DEFAULT_K
    s = _get(url, "/api/v1/search", q="粮食产量", k=4).json()
    assert set(s) == {"question", "passages"}
    assert s["passages"] == ask_json(engine, "粮食产量", 4, "hybrid")["passages"]
    doc = engine.index.documents[0].name
    r = requests.post(url + "/api/v1/ask", json={"q": "粮食产量", "doc": [doc]}, headers=BEARER, timeout=60)
    assert {p["citation"]["document"] for p in r.json()["passages"]} == {doc}


def test_targets_json_and_csv(url: str, engine: Engine) -> None:
    every = engine.index.figures
    assert every, "the seed states figures"
    d = _get(url, "/api/v1/targets").json()
    assert d["count"] == len(every) == len(d["figures"])
    growth = _get(url, "/api/v1/targets", indicator="gdp_growth", kind="target").json()
    assert growth["count"] >= 1
    assert all(f["indicator"] == "gdp_growth" and f["kind"] == "target" for f in growth["figures"])
    r = _get(url, "/api/v1/targets", indicator="gdp_growth", kind="target", format="csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == growth["count"] and {row["indicator"] for row in rows} == {"gdp_growth"}
    assert _get(url, "/api/v1/targets", indicator="no_such").status_code == 400
    assert _get(url, "/api/v1/targets", region="Atlantis").status_code == 400


def test_documents_and_status(url: str, engine: Engine, index_dir: Path) -> None:
    d = _get(url, "/api/v1/documents").json()
    assert d["build_id"] == engine.index.build_id
    assert [x["name"] for x in d["documents"]] == [doc.name for doc in engine.index.documents]
    s = _get(url, "/api/v1/status").json()
    assert s["healthy"] is True and s["build_id"] == engine.index.build_id
    assert s["served"]["build_id"] == engine.index.build_id
    assert [x["name"] for x in s["documents"]] == [x["name"] for x in d["documents"]]


def test_openapi_and_docs_page(url: str) -> None:
    spec = _get(url, "/api/v1/openapi.json").json()
    assert {"/ask", "/search", "/targets", "/documents", "/status"} <= set(spec["paths"])
    assert spec["servers"] == [{"url": "/api/v1"}]
    assert {"get", "post"} <= set(spec["paths"]["/ask"])
    page = _get(url, "/api/v1/docs")
    assert page.status_code == 200 and "openapi.json" in page.text


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "params, words",
    [
        ({"q": "  "}, "empty"),
        ({"q": QUESTION, "k": 0}, "k"),
        ({"q": QUESTION, "k": 51}, "k"),
        ({"q": QUESTION, "k": "many"}, "k"),
        ({"q": QUESTION, "mode": "fuzzy"}, "mode"),
        ({"q": QUESTION, "region": "Atlantis"}, "unknown region"),
        ({"q": QUESTION, "year": "next"}, "year"),
        ({}, "q"),
    ],
)
def test_bad_input_is_400_with_a_message(url: str, params: dict[str, Any], words: str) -> None:
    r = _get(url, "/api/v1/ask", **params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == "bad_request" and words in body["error"]


def test_bad_post_bodies_are_400(url: str) -> None:
    for body in (b"{not json", b'{"k": 3}', b'{"q": "x", "k": 100}', b'{"q": "x", "year": ["soon"]}'):
        r = requests.post(url + "/api/v1/ask", data=body, headers={**BEARER, "content-type": "application/json"},
                          timeout=60)  # fmt: skip
        assert r.status_code == 400 and r.json()["code"] == "bad_request", (body, r.text)


def test_unknown_document_and_route_are_404(url: str) -> None:
    r = _get(url, "/api/v1/ask", q=QUESTION, doc="no-such-report.txt")
    assert r.status_code == 404 and r.json()["code"] == "unknown_document"
    assert "reportqa status" in r.json()["error"]
    r = _get(url, "/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_too_large_is_413_and_nothing_is_lost(url: str) -> None:
    big = {"q": "藏" * 40_000}
    r = requests.post(url + "/api/v1/ask", json=big, headers=BEARER, timeout=60)
    assert r.status_code == 413 and r.json()["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused by the bytes read
        yield b'{"q": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    r = requests.post(url + "/api/v1/ask", data=chunks(), headers={**BEARER, "content-type": "application/json"},
                      timeout=60)  # fmt: skip
    assert r.status_code == 413
    assert _get(url, "/api/v1/ask", q=QUESTION, k=1).status_code == 200  # the server still answers


def test_no_index_is_503_until_one_is_built(tmp_path: Path, fake: FakeEmbedder) -> None:
    index_dir = tmp_path / "index"
    attempts: list[int] = []
    gate = threading.Event()

    def opener(path: Path, _store: Any) -> LiveEngine:
        attempts.append(1)
        if not gate.is_set():
            raise IndexMissingError(f"no index at {path}")
        return LiveEngine(path, engine=Engine(store.load_index(path), fake))

    served = ServedIndex(index_dir, None, "no index yet", opener=opener, retry_every=0)
    with running(_served_app(served, Door())) as u:
        for path in ("/api/v1/ask?q=x", "/api/v1/search?q=x", "/api/v1/documents", "/api/v1/targets"):
            r = requests.get(u + path, timeout=30)
            assert r.status_code == 503, path
            assert r.json()["code"] == "no_index" and "reportqa build" in r.json()["error"]
            served.wait_idle(60)  # each request started one attempt to open the index; it failed
        assert f"no index at {index_dir}" in requests.get(u + "/api/v1/ask?q=x", timeout=30).json()["error"]
        assert requests.get(u + "/api/v1/status", timeout=30).json()["healthy"] is False
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / SEED.name).write_bytes(SEED.read_bytes())
        build_index([docs], index_dir, embedder=fake)
        served.wait_idle(60)
        gate.set()
        requests.get(u + "/api/v1/documents", timeout=30)  # starts the attempt that succeeds
        served.wait_idle(60)
        r = requests.get(u + "/api/v1/ask", params={"q": QUESTION}, timeout=30)
        assert r.status_code == 200 and r.json()["passages"]
        assert len(attempts) >= 5


# ---------------------------------------------------------------------------------------------- the one door


@pytest.mark.parametrize("path", ["/api/v1/ask?q=x", "/api/v1/documents", "/api/v1/targets?format=csv",
                                  "/api/v1/status", "/api/v1/openapi.json", "/api/v1/docs", "/mcp"])  # fmt: skip
def test_every_door_refuses_without_credentials(url: str, path: str) -> None:
    wrong_basic = {"Authorization": "Basic " + base64.b64encode(f"{USER}:nope".encode()).decode()}
    for headers in ({}, {"Authorization": "Bearer wrong-token-0000"}, wrong_basic, {"Authorization": "Basic !!"}):
        r = requests.get(url + path, headers=headers, timeout=30)
        assert r.status_code == 401, (path, headers)
        assert r.json()["code"] == "unauthorized" and "Bearer" in r.headers["www-authenticate"]
    r = requests.post(url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=30)
    assert r.status_code == 401 and "ask" not in r.text


def test_basic_and_bearer_both_open_the_api(url: str) -> None:
    for headers in (BEARER, BASIC):
        assert _get(url, "/api/v1/documents", headers=headers).status_code == 200


def test_the_page_and_gradio_api_need_the_login(url: str) -> None:
    from gradio_client import Client

    assert requests.get(url + "/config", timeout=30).status_code == 401
    info = requests.get(url + "/gradio_api/info", timeout=30)  # Gradio's API listing: no schema either
    assert info.status_code == 401 and "ask" not in info.text
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types for a refused login
        Client(url, verbose=False)
    with pytest.raises(Exception):  # noqa: B017
        Client(url, verbose=False, auth=(USER, "wrong"))
    for auth in ((USER, PASSWORD), ("anyone", TOKEN)):  # the token is accepted as a password
        d = Client(url, verbose=False, auth=auth).predict(QUESTION, 2, api_name="/ask")
        assert d["question"] == QUESTION and len(d["passages"]) == 2


def test_door_logic() -> None:
    assert Door().open and Door().admits(None)
    d = Door(USER, PASSWORD, TOKEN)
    assert d.login(USER, PASSWORD) and d.login("x", TOKEN) and not d.login(USER, "no") and not d.login("x", "")
    assert d.admits(f"Bearer {TOKEN}") and d.admits(BASIC["Authorization"]) and d.admits(f"bearer   {TOKEN}")
    assert not d.admits(None) and not d.admits("Bearer ") and not d.admits(f"Token {TOKEN}")
    assert not Door(token=TOKEN).admits(BASIC["Authorization"])
    assert not Door(USER, PASSWORD).admits(f"Bearer {TOKEN}")


# ---------------------------------------------------------------------------------------------- MCP over HTTP


async def _mcp_session(url: str, headers: dict[str, str]) -> dict[str, Any]:
    import httpx2
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    out: dict[str, Any] = {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        streamable_http_client(url + "/mcp", http_client=http) as streams,
        ClientSession(streams[0], streams[1]) as session,
    ):
            init = await session.initialize()
            out["server"] = init.server_info.name
            tools = (await session.list_tools()).tools
            out["tools"] = {t.name: t for t in tools}
            out["ask"] = await session.call_tool("ask", {"question": QUESTION, "k": 3})
            out["bad"] = await session.call_tool("ask", {"question": QUESTION, "doc": ["no-such-report.txt"]})
            out["k"] = await session.call_tool("ask", {"question": QUESTION, "k": 99})
            out["documents"] = await session.call_tool("documents", {})
            out["targets"] = await session.call_tool("targets", {"indicator": ["gdp_growth"]})
            out["search"] = await session.call_tool("search", {"question": QUESTION, "k": 2})
    return out


def test_mcp_session_over_http(url: str, engine: Engine) -> None:
    out = anyio.run(_mcp_session, url, BEARER)
    assert out["server"] == "reportqa"
    assert set(out["tools"]) == {"ask", "search", "targets", "documents", "diff", "trend"}
    schema = out["tools"]["ask"].input_schema
    assert schema["required"] == ["question"] and schema["properties"]["k"]["maximum"] == 50
    assert set(schema["properties"]["mode"]["enum"]) == {"hybrid", "semantic", "keyword"}
    assert all(t.description for t in out["tools"].values())
    ask = out["ask"]
    assert not ask.is_error and ask.structured_content == ask_json(engine, QUESTION, 3, "hybrid")
    assert out["bad"].is_error and "no document" in out["bad"].content[0].text
    assert out["k"].is_error
    assert [d["name"] for d in out["documents"].structured_content["documents"]] == [
        d.name for d in engine.index.documents
    ]
    assert all(f["indicator"] == "gdp_growth" for f in out["targets"].structured_content["figures"])
    assert set(out["search"].structured_content) == {"question", "passages"}


def test_mcp_over_http_with_basic(url: str) -> None:
    out = anyio.run(_mcp_session, url, BASIC)
    assert not out["ask"].is_error


def test_mcp_without_credentials_lists_no_tools(url: str) -> None:
    with pytest.raises(BaseException) as e:  # the SDK raises (in an exception group) on the 401
        anyio.run(_mcp_session, url, {})
    assert "401" in repr(e.value) or "Unauthorized" in repr(e.value) or "error" in repr(e.value).lower()
    r = requests.post(url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
                      headers={"Accept": "application/json, text/event-stream"}, timeout=30)  # fmt: skip
    assert r.status_code == 401 and "question" not in r.text


# ---------------------------------------------------------------------------------------------- rebuilds


def test_api_and_mcp_follow_a_rebuild(tmp_path: Path, fake: FakeEmbedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, embedder=fake)
    live = LiveEngine(index_dir, engine=Engine(store.load_index(index_dir), fake), check_every=3600)
    with running(_served_app(ServedIndex(index_dir, live), Door(token=TOKEN))) as u:
        before = _get(u, "/api/v1/documents").json()
        note = "补充说明\n\n今年新建高原牧区饲草基地十二个，覆盖全部边境县。\n"
        (docs / "extra-note.txt").write_text(note, encoding="utf-8")
        build_index([docs], index_dir, embedder=fake)
        assert live.check_now()
        assert live.wait_idle(60)
        after = _get(u, "/api/v1/documents").json()
        assert after["build_id"] != before["build_id"]
        assert len(after["documents"]) == len(before["documents"]) + 1
        out = anyio.run(_mcp_session, u, BEARER)
        names = [d["name"] for d in out["documents"].structured_content["documents"]]
        assert any(n.endswith("extra-note.txt") for n in names)
