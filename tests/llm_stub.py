"""A scripted OpenAI-compatible chat server for tests (standard library, 127.0.0.1, a free port).

``StubLLM.script`` is a list of behaviours consumed one per request (the last one repeats). A behaviour is a
callable ``(request_json) -> Reply``; the helpers below build the usual ones: a streamed reply (optionally
computed from the request's passages), a plain JSON reply, an HTTP error, garbage, a hang, a trickle.
Requests are recorded in ``StubLLM.requests`` (headers and JSON body).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_HANG = 5.0
"""No stub handler sleeps longer than this (the server always shuts down quickly)."""


@dataclass
class Reply:
    status: int = 200
    content_type: str = "text/event-stream"
    chunks: list[bytes] = field(default_factory=list)
    delay_before: float = 0.0
    delay_between: float = 0.0


Behaviour = Callable[[dict[str, Any]], Reply]


def sse(text: str, pieces: int = 4, delay: float = 0.0) -> Behaviour:
    """Stream ``text`` as ``pieces`` SSE chunks, then ``[DONE]``."""
    return computed(lambda _req: text, pieces, delay)


def computed(make: Callable[[dict[str, Any]], str], pieces: int = 4, delay: float = 0.0) -> Behaviour:
    def behave(req: dict[str, Any]) -> Reply:
        return Reply(chunks=sse_chunks(make(req), pieces), delay_between=delay)

    return behave


def sse_chunks(text: str, pieces: int) -> list[bytes]:
    size = max(1, -(-len(text) // max(1, pieces)))
    out = [b": keep-alive\n\n"]
    out.append(b'data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n')
    for i in range(0, len(text), size):
        delta = json.dumps({"choices": [{"index": 0, "delta": {"content": text[i : i + size]}}]}, ensure_ascii=False)
        out.append(f"data: {delta}\n\n".encode())
    out.append(b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
    out.append(b"data: [DONE]\n\n")
    return out


def whole_json(text: str) -> Behaviour:
    body = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})
    return lambda _req: Reply(content_type="application/json", chunks=[body.encode()])


def http_error(status: int, body: str = '{"error": "boom"}') -> Behaviour:
    return lambda _req: Reply(status=status, content_type="application/json", chunks=[body.encode()])


def raw(content_type: str, *chunks: bytes) -> Behaviour:
    return lambda _req: Reply(content_type=content_type, chunks=list(chunks))


def hang_before(seconds: float) -> Behaviour:
    return lambda _req: Reply(chunks=sse_chunks("太慢了 [1]。", 1), delay_before=min(seconds, MAX_HANG))


def trickle(text: str, delay: float) -> Behaviour:
    """Each character its own chunk, ``delay`` seconds apart (a slow model that never goes silent for long)."""
    return lambda _req: Reply(chunks=sse_chunks(text, len(text)), delay_between=min(delay, MAX_HANG))


def passages(req: dict[str, Any]) -> dict[int, str]:
    """The numbered passages of the request's last user message (as :mod:`reportqa.qa.prompt` writes them)."""
    text = req["messages"][-1]["content"]
    out: dict[int, str] = {}
    for m in re.finditer(r"^\[(\d+)\] \(.*?\)\n(.*?)(?=\n\n\[\d+\] \(|\n\n(?:问题|Question)[：:])", text, re.M | re.S):
        out[int(m.group(1))] = m.group(2)
    return out


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        req = json.loads(body.decode("utf-8"))
        stub = self.server.stub
        stub.requests.append({"path": self.path, "headers": dict(self.headers), "json": req})
        behave = stub.script[min(len(stub.requests) - 1, len(stub.script) - 1)]
        reply = behave(req)
        time.sleep(min(reply.delay_before, MAX_HANG))
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            for c in reply.chunks:
                self.wfile.write(c)
                self.wfile.flush()
                if reply.delay_between:
                    time.sleep(min(reply.delay_between, MAX_HANG))
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: StubLLM


class StubLLM:
    def __init__(self) -> None:
        self.script: list[Behaviour] = [sse("资料中未提及。")]
        self.requests: list[dict[str, Any]] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> StubLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve_stub() -> Iterator[StubLLM]:
    with StubLLM() as stub:
        yield stub
