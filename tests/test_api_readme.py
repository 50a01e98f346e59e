"""README's "API for scripts and agents" examples, run as written against a real ``reportqa serve`` (slow: the
real model), and ``reportqa mcp`` over stdio with the MCP SDK's client. The examples are read from README.md,
so an example that stops working fails here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import requests

from tests import harness

from .conftest import ROOT, SEED, run_cli

TOKEN = "readme-token-0123"
README_URL = "http://127.0.0.1:7860"
SECTION = "## API for scripts and agents"


def readme_blocks(language: str) -> list[str]:
    """The fenced ``language`` code blocks of README's API section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return re.findall(rf"```{language}\n(.*?)```", text[start:end], flags=re.S)


def test_readme_has_the_examples() -> None:
    assert len(readme_blocks("sh")) == 2 and any("curl" in b for b in readme_blocks("sh"))
    assert len(readme_blocks("python")) == 1 and "requests" in readme_blocks("python")[0]
    config = json.loads(readme_blocks("json")[0])
    assert {"reportqa", "reportqa-http"} == set(config["mcpServers"])


def test_serving_beyond_loopback_without_credentials_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REPORTQA_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "reportqa.ui", "serve", "--index-dir", str(tmp_path / "none"), "--host", "0.0.0.0",
         "--port", str(harness.free_port())],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "--token" in proc.stderr and "--auth USER:PASS" in proc.stderr and "127.0.0.1" in proc.stderr
    short = run_cli("serve", "--index-dir", str(tmp_path / "none"), "--token", "short")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return harness.build_demo_index(tmp_path_factory.mktemp("api-readme"), SEED, with_xss=False)


@pytest.fixture(scope="module")
def server(index_dir: Path) -> Iterator[harness.Server]:
    log = index_dir.parent / "server.log"
    with harness.serve_subprocess(index_dir, log, "--token", TOKEN, "--auth", "ed:secret-pw") as srv:
        yield srv


def _cli_json(index_dir: Path, question: str, k: int) -> dict[str, Any]:
    proc = run_cli("ask", question, "--index-dir", str(index_dir), "--json", "-k", str(k))
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.mark.slow
def test_readme_curl_examples(server: harness.Server, tmp_path: Path) -> None:
    (block,) = (b for b in readme_blocks("sh") if "curl" in b)
    ask_block, targets_block = (c for c in block.replace("\\\n", " ").splitlines() if c.startswith("curl "))
    assert shutil.which("curl"), "curl is needed for README's examples"
    env = {**os.environ, "REPORTQA_TOKEN": TOKEN}
    ask = subprocess.run(["bash", "-c", ask_block.replace(README_URL, server.url)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)  # fmt: skip
    assert ask.returncode == 0, ask.stderr
    question = re.search(r"q=([^\"]+)\"", ask_block)
    assert question is not None
    assert json.loads(ask.stdout) == _cli_json(server.index_dir, question.group(1), 3)
    got = subprocess.run(["bash", "-c", targets_block.replace(README_URL, server.url)], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)  # fmt: skip
    assert got.returncode == 0, got.stderr
    rows = (tmp_path / "targets.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("region,year,kind,indicator") and len(rows) >= 2
    assert all(",target,gdp_growth," in row for row in rows[1:])
    wrong = {**os.environ, "REPORTQA_TOKEN": "wrong-token-00"}
    refused = subprocess.run(["bash", "-c", ask_block.replace(README_URL, server.url)], capture_output=True,
                             text=True, env=wrong, timeout=120)  # fmt: skip
    assert json.loads(refused.stdout)["code"] == "unauthorized"


@pytest.mark.slow
def test_readme_requests_example(server: harness.Server, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    (code,) = readme_blocks("python")
    monkeypatch.setenv("REPORTQA_TOKEN", TOKEN)
    exec(compile(code.replace(README_URL, server.url), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    want = _cli_json(server.index_dir, "How many border trade points were approved to reopen?", 3)
    assert out[0] == (want["answer"]["text"] if want["answer"] else "(not found in the reports)")
    assert len(out) == 1 + len(want["passages"])
    for line, p in zip(out[1:], want["passages"], strict=True):
        assert line.startswith(f"{p['rank']} {p['citation']['document']} ¶ {p['citation']['paragraph']}")


def test_readme_page_and_basic_auth_share_the_door() -> None:
    # the page's login and the API's Basic header take the same --auth (checked end to end in test_api.py)
    from reportqa.ui.auth import door_from_options

    door = door_from_options("ed:secret-pw", TOKEN, {})
    assert door.login("ed", "secret-pw") and door.login("anyone", TOKEN) and not door.login("ed", "nope")


async def _mcp_session(params: Any, question: str) -> dict[str, Any]:
    from mcp import ClientSession

    out: dict[str, Any] = {}
    if isinstance(params, dict):
        import httpx2
        from mcp.client.streamable_http import streamable_http_client

        async with (
            httpx2.AsyncClient(headers=params["headers"], timeout=120) as http,
            streamable_http_client(params["url"], http_client=http) as streams,
            ClientSession(streams[0], streams[1]) as session,
        ):
            await session.initialize()
            out["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
            out["ask"] = await session.call_tool("ask", {"question": question, "k": 3})
        return out
    from mcp.client.stdio import stdio_client

    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        out["server"] = init.server_info.name
        out["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
        out["ask"] = await session.call_tool("ask", {"question": question, "k": 3})
        out["bad"] = await session.call_tool("ask", {"question": question, "doc": ["no-such.txt"]})
    return out


@pytest.mark.slow
def test_readme_mcp_config_stdio_and_http(server: harness.Server) -> None:
    from mcp.client.stdio import StdioServerParameters

    config = json.loads(readme_blocks("json")[0])["mcpServers"]
    question = "2024年地区生产总值预期增长多少？"
    want = _cli_json(server.index_dir, question, 3)

    stdio = config["reportqa"]
    command = shutil.which(stdio["command"]) or str(Path(sys.executable).parent / stdio["command"])
    args = [str(server.index_dir) if a == "/path/to/.reportqa/index" else a for a in stdio["args"]]
    params = StdioServerParameters(command=command, args=args, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    out = anyio.run(_mcp_session, params, question)
    assert out["server"] == "reportqa" and out["tools"] == ["ask", "diff", "documents", "search", "targets", "trend"]
    assert not out["ask"].is_error and out["ask"].structured_content == want
    assert out["bad"].is_error and "no document" in out["bad"].content[0].text

    http = config["reportqa-http"]
    headers = {k: v.replace("YOUR_TOKEN", TOKEN) for k, v in http["headers"].items()}
    out = anyio.run(_mcp_session, {"url": http["url"].replace(README_URL, server.url), "headers": headers}, question)
    assert out["tools"] == ["ask", "diff", "documents", "search", "targets", "trend"]
    assert out["ask"].structured_content == want
    with pytest.raises(BaseException):  # noqa: B017 - no credentials: the SDK raises on the 401, no tool list
        anyio.run(_mcp_session, {"url": server.url + "/mcp", "headers": {}}, question)


@pytest.mark.slow
def test_rest_ask_is_the_cli_json_and_gradio_ask_agrees(server: harness.Server) -> None:
    from gradio_client import Client

    headers = {"Authorization": f"Bearer {TOKEN}"}
    for q, k, mode in (("边贸点获批恢复", 2, "keyword"), ("城镇居民收入增长多少？", 4, "hybrid")):
        r = requests.get(server.url + "/api/v1/ask", params={"q": q, "k": k, "mode": mode}, headers=headers,
                         timeout=120)  # fmt: skip
        proc = run_cli("ask", q, "--index-dir", str(server.index_dir), "--json", "-k", str(k), "--mode", mode)
        assert r.status_code == 200 and r.json() == json.loads(proc.stdout)
        gradio = Client(server.url, verbose=False, auth=("ed", "secret-pw")).predict(q, k, mode, api_name="/ask")
        assert gradio == r.json()


def test_mcp_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    proc = run_cli("mcp", "--index-dir", str(tmp_path / "none"), input="")
    assert proc.returncode == 4 and proc.stdout == ""  # stdout is the protocol's: nothing else may go there
    assert "reportqa build --index-dir" in proc.stderr
