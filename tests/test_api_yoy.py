"""``/api/v1/diff``, ``/api/v1/trend`` and the MCP tools ``diff`` and ``trend`` against a real server on
127.0.0.1 (uvicorn in a thread, the fake embedder; a diff of two indexed reports uses their stored vectors):
the objects equal ``reportqa diff/trend --json`` through the entry point for the same index, the errors
(400, 404) and the door (401 without credentials)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import requests
from reportqa.index.errors import IndexMissingError
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.live import LiveEngine
from reportqa.ui.auth import Door
from reportqa.ui.queries import ServedIndex

from .conftest import NATIONAL, FakeEmbedder, fake_index, run_cli
from .test_api import BASIC, BEARER, PASSWORD, TOKEN, USER, _served_app, running

FILES = ("national-2023.txt", "national-2024.txt", "national-2025.txt")
TERM = "新质生产力"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_index(tmp_path_factory, "apiyoy", [NATIONAL / f for f in FILES])


@pytest.fixture(scope="module")
def url(index_dir: Path) -> Iterator[str]:
    engine = Engine(store.load_index(index_dir), FakeEmbedder())
    live = LiveEngine(index_dir, engine=engine)
    with running(_served_app(ServedIndex(index_dir, live), Door(USER, PASSWORD, TOKEN))) as u:
        yield u


def _get(url: str, path: str, headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
    return requests.get(url + path, params=params, headers=BEARER if headers is None else headers, timeout=120)


def _cli_json(*args: str) -> dict[str, Any]:
    proc = run_cli(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


# ---------------------------------------------------------------------------------------------- routes


def test_diff_route_is_the_cli_object(url: str, index_dir: Path) -> None:
    want = _cli_json("diff", "national-2024.txt", "national-2025.txt", "--index-dir", str(index_dir))
    assert want["added"] and want["dropped"] and want["changed"], "the two reports differ"
    r = _get(url, "/api/v1/diff", a="national-2024.txt", b="national-2025.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == want
    # the names /documents lists and the file stem both name a document, as on the command line
    assert _get(url, "/api/v1/diff", a="national-2024", b="national-2025").json() == want
    back = _get(url, "/api/v1/diff", a="national-2025.txt", b="national-2024.txt").json()
    assert (back["a"], back["b"]) == ("national-2025.txt", "national-2024.txt")
    assert back["added"] and {i["citation"]["document"] for i in back["added"]} == {"national-2024.txt"}


def test_trend_route_is_the_cli_object(url: str, index_dir: Path) -> None:
    want = _cli_json("trend", TERM, "--index-dir", str(index_dir))
    assert [row["document"] for row in want["rows"]] == list(FILES)
    assert sum(row["count"] for row in want["rows"]) > 0
    r = _get(url, "/api/v1/trend", term=TERM)
    assert r.status_code == 200 and r.json() == want
    regional = _cli_json("trend", TERM, "--region", "全国", "--index-dir", str(index_dir))
    assert _get(url, "/api/v1/trend", term=TERM, region="全国").json() == regional


def test_openapi_lists_diff_and_trend(url: str) -> None:
    paths = _get(url, "/api/v1/openapi.json").json()["paths"]
    assert {"/diff", "/trend"} <= set(paths)
    assert {p["name"] for p in paths["/diff"]["get"]["parameters"]} == {"a", "b"}


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "params, status, code, words",
    [
        ({"a": "national-2024.txt", "b": "no-such-report.txt"}, 404, "unknown_document", "no-such-report.txt"),
        ({"a": "/etc/passwd", "b": "national-2025.txt"}, 404, "unknown_document", "documents"),
        ({"a": "national-2024.txt", "b": "national-2024"}, 400, "bad_request", "same document"),
        ({"a": "national-2024.txt"}, 400, "bad_request", "b"),
        ({}, 400, "bad_request", "a"),
        ({"a": " ", "b": "national-2025.txt"}, 400, "bad_request", "two documents"),
    ],
)
def test_diff_errors(url: str, params: dict[str, str], status: int, code: str, words: str) -> None:
    r = _get(url, "/api/v1/diff", **params)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code and words in body["error"]


@pytest.mark.parametrize(
    "params, words",
    [({"term": "  "}, "empty"), ({"term": "长" * 51}, "at most"), ({}, "term"),
     ({"term": TERM, "region": "Atlantis"}, "unknown region")],
)
def test_trend_errors_are_400(url: str, params: dict[str, str], words: str) -> None:
    r = _get(url, "/api/v1/trend", **params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == "bad_request" and words in body["error"]


@pytest.mark.parametrize("path, params", [("/api/v1/diff", {"a": "national-2024.txt", "b": "national-2025.txt"}),
                                          ("/api/v1/trend", {"term": TERM})])  # fmt: skip
def test_routes_need_credentials(url: str, path: str, params: dict[str, str]) -> None:
    r = _get(url, path, headers={}, **params)
    assert r.status_code == 401
    assert "added" not in r.text and "rows" not in r.text
    assert _get(url, path, headers=BASIC, **params).status_code == 200


# ---------------------------------------------------------------------------------------------- MCP


async def _mcp(url: str, headers: dict[str, str]) -> dict[str, Any]:
    import httpx2
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    out: dict[str, Any] = {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=120) as http,
        streamable_http_client(url + "/mcp", http_client=http) as streams,
        ClientSession(streams[0], streams[1]) as session,
    ):
        await session.initialize()
        out["tools"] = {t.name: t for t in (await session.list_tools()).tools}
        out["diff"] = await session.call_tool("diff", {"a": "national-2024.txt", "b": "national-2025.txt"})
        out["trend"] = await session.call_tool("trend", {"term": TERM})
        out["unknown"] = await session.call_tool("diff", {"a": "national-2024.txt", "b": "nothing.txt"})
        out["same"] = await session.call_tool("diff", {"a": "national-2025", "b": "national-2025.txt"})
        out["long"] = await session.call_tool("trend", {"term": "长" * 51})
    return out


def test_mcp_diff_and_trend_over_http(url: str, index_dir: Path) -> None:
    out = anyio.run(_mcp, url, BEARER)
    tools = out["tools"]
    assert {"diff", "trend"} <= set(tools)
    assert tools["diff"].input_schema["required"] == ["a", "b"]
    assert tools["trend"].input_schema["required"] == ["term"]
    assert "region" in tools["trend"].input_schema["properties"]
    assert "documents" in (tools["diff"].description or "") and "term" in (tools["trend"].description or "")
    assert "documents" in tools["diff"].input_schema["properties"]["a"]["description"]
    diff = out["diff"]
    assert not diff.is_error
    assert diff.structured_content == _cli_json("diff", "national-2024.txt", "national-2025.txt", "--index-dir",
                                                str(index_dir))  # fmt: skip
    assert not out["trend"].is_error
    assert out["trend"].structured_content == _cli_json("trend", TERM, "--index-dir", str(index_dir))
    assert out["unknown"].is_error and "nothing.txt" in out["unknown"].content[0].text
    assert out["same"].is_error and "same document" in out["same"].content[0].text
    assert out["long"].is_error and "at most" in out["long"].content[0].text


def test_mcp_without_credentials_gets_no_tools(url: str) -> None:
    with pytest.raises(BaseException):  # noqa: B017 - the client raises a group around the 401
        anyio.run(_mcp, url, {})
    r = requests.post(url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
                      headers={"accept": "application/json, text/event-stream"}, timeout=30)  # fmt: skip
    assert r.status_code == 401 and "trend" not in r.text


def test_no_index_is_503_with_the_build_command(tmp_path: Path) -> None:
    def opener(path: Path, _store: Any) -> LiveEngine:
        raise IndexMissingError(f"no index at {path}")

    served = ServedIndex(tmp_path / "index", None, "no index yet", opener=opener, retry_every=0)
    with running(_served_app(served, Door())) as u:
        for path, params in (("/api/v1/diff", {"a": "x.txt", "b": "y.txt"}), ("/api/v1/trend", {"term": TERM})):
            r = requests.get(u + path, params=params, timeout=30)
            assert r.status_code == 503, r.text
            assert r.json()["code"] == "no_index" and "reportqa build" in r.json()["error"]
            served.wait_idle(60)
