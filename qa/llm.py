"""A client for any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM, a hosted service).

Standard library only (``http.client``): the written answer is optional and must not add dependencies.
Replies are streamed (``"stream": true``, server-sent events); a server that ignores ``stream`` and sends one
JSON body is read as well. Four time limits keep a caller from hanging: ``connect`` (opening the
connection), ``first token`` (until the reply starts: the model reads the prompt first), ``idle`` (the longest
silence between two pieces of the reply) and ``total`` (the whole reply). Every failure — refused connection,
timeout, HTTP error, a body that is not the expected JSON — raises :class:`LLMError` with a one-line message;
:mod:`.generate` turns it into the extractive answer plus a notice.

Configuration: ``--llm URL`` or ``$REPORTQA_LLM_URL`` (the base URL, e.g. ``http://127.0.0.1:8080/v1``, or
the full ``…/chat/completions`` URL), ``--llm-model`` or ``$REPORTQA_LLM_MODEL``, and the API key only from
``$REPORTQA_LLM_API_KEY`` (never from a file or an option, so it stays out of shell history and the repo).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from reportqa.index.errors import ReportQAError, UsageError

from .prompt import Message, build_messages
from .records import Hit, Language

ENV_URL = "REPORTQA_LLM_URL"
ENV_MODEL = "REPORTQA_LLM_MODEL"
ENV_KEY = "REPORTQA_LLM_API_KEY"
CHAT_PATH = "/chat/completions"
MAX_ERROR_BODY = 200


class LLMError(ReportQAError):
    """The language model could not give a usable reply (callers fall back to the extractive answer)."""




class AnswerGenerator(Protocol):
    """Writes an answer to ``question`` from ``hits`` (numbered 1…n in that order), piece by piece.

    Raises :class:`LLMError` when no usable reply can be had (the caller falls back to the extractive answer).
    """

    @property
    def model(self) -> str:
        """The model's name, as reported with the written answer."""
        ...

    def generate(self, question: str, hits: Sequence[Hit], language: Language) -> Iterator[str]:
        """The reply, piece by piece, in ``language`` (the question's, as :mod:`.query` read it)."""
        ...


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to ask the model."""

    url: str
    """The full chat-completions URL (``…/chat/completions``)."""
    model: str
    """Sent as ``model``; servers that serve one model (llama.cpp) ignore it."""
    api_key: str | None = None
    """Sent as ``Authorization: Bearer …`` when set (from ``$REPORTQA_LLM_API_KEY`` only)."""
    connect_timeout: float = 5.0
    """Seconds to open the connection."""
    first_token_timeout: float = 120.0
    """Seconds until the reply starts (a small model on a CPU reads a 2,000-token prompt in 20–60 s)."""
    idle_timeout: float = 30.0
    """Longest silence (seconds) between two pieces of the reply."""
    total_timeout: float = 240.0
    """Seconds for the whole reply."""
    max_tokens: int = 256
    temperature: float = 0.0
    passages: int = 3
    """The model reads the first ``passages`` hits (a small model on a CPU reads ≈ 50 tokens/s; the verifier
    still checks against every hit, so a sentence may be re-pointed to a later one)."""

    @classmethod
    def from_options(
        cls, url: str | None, model: str | None = None, env: Mapping[str, str] | None = None
    ) -> LLMConfig | None:
        """The configuration from ``--llm``/``--llm-model`` or the environment; None when no URL is given."""
        env = os.environ if env is None else env
        url = (url or env.get(ENV_URL) or "").strip()
        if not url:
            return None
        return cls(
            url=chat_url(url),
            model=(model or env.get(ENV_MODEL) or "default").strip() or "default",
            api_key=(env.get(ENV_KEY) or "").strip() or None,
        )


def chat_url(url: str) -> str:
    """``http(s)://host[:port][/prefix]`` → the chat-completions URL; a bad URL is a :class:`UsageError`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--llm {url!r} is not an http(s) URL; give the OpenAI-compatible endpoint, "
            "e.g. http://127.0.0.1:8080/v1 (llama.cpp) or http://127.0.0.1:11434/v1 (Ollama)"
        )
    try:
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as e:
        raise UsageError(f"--llm {url!r}: {e}; give a URL such as http://127.0.0.1:8080/v1") from e
    path = parts.path.rstrip("/")
    if not path.endswith(CHAT_PATH):
        path += CHAT_PATH
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}"


class ChatClient:
    """Streams one chat completion at a time from :attr:`config` ``.url``; thread-safe (no shared state)."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config

    def stream(self, messages: Sequence[Message], max_tokens: int | None = None) -> Iterator[str]:
        """The reply's text, piece by piece as the server sends it. Raises :class:`LLMError`."""
        cfg = self.config
        deadline = time.monotonic() + cfg.total_timeout
        body = json.dumps(
            {
                "model": cfg.model,
                "messages": list(messages),
                "stream": True,
                "max_tokens": max_tokens or cfg.max_tokens,
                "temperature": cfg.temperature,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream, application/json"}
        if cfg.api_key:
            headers["Authorization"] = f"Bearer {cfg.api_key}"
        parts = urlsplit(cfg.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_cls(parts.hostname or "", parts.port, timeout=cfg.connect_timeout)
        where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
        try:
            try:
                conn.connect()
                sock = conn.sock  # kept: http.client drops conn.sock when the reply will close the connection
                assert sock is not None
                sock.settimeout(_remaining(deadline, cfg.first_token_timeout, where))
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
            except TimeoutError as e:
                raise LLMError(f"the language model at {where} did not answer in time") from e
            except (OSError, http.client.HTTPException) as e:
                raise LLMError(f"cannot reach the language model at {where}: {_reason(e)}") from e
            if resp.status != 200:
                detail = _read_some(resp)
                raise LLMError(f"the language model at {where} answered HTTP {resp.status}{detail}")
            ctype = (resp.getheader("Content-Type") or "").lower()
            if "text/event-stream" in ctype:
                yield from _read_events(resp, sock, deadline, cfg.first_token_timeout, cfg.idle_timeout, where)
            else:
                yield _read_whole(resp, where)
        finally:
            conn.close()


def _remaining(deadline: float, idle: float, where: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise LLMError(f"the language model at {where} took longer than the total time limit")
    return max(0.01, min(idle, left))


def _reason(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    return str(e) or type(e).__name__


def _read_some(resp: http.client.HTTPResponse) -> str:
    try:
        text = resp.read(MAX_ERROR_BODY).decode("utf-8", "replace").strip().replace("\n", " ")
    except (OSError, http.client.HTTPException):
        return ""
    return f": {text}" if text else ""


def _read_events(
    resp: http.client.HTTPResponse, sock: socket.socket, deadline: float, first: float, idle: float, where: str
) -> Iterator[str]:
    """Server-sent events: ``data: {json}`` lines until ``data: [DONE]`` or the end of the body. The limit
    is ``first`` seconds until the first text arrives (servers may send role-only events at once), then
    ``idle`` seconds between pieces."""
    got_any = False
    while True:
        wait = idle if got_any else first
        sock.settimeout(_remaining(deadline, wait, where))
        try:
            raw = resp.readline()
        except TimeoutError as e:
            if time.monotonic() >= deadline - 0.05:
                raise LLMError(f"the language model at {where} took longer than the total time limit") from e
            raise LLMError(f"the language model at {where} stopped sending (no data for {wait:g} s)") from e
        except (OSError, http.client.HTTPException) as e:
            raise LLMError(f"the connection to the language model at {where} broke: {_reason(e)}") from e
        if not raw:
            break
        line = raw.decode("utf-8", "replace").strip()
        if not line.startswith("data:"):
            continue  # comments (": ping"), event names, blank separators
        data = line[5:].strip()
        if data == "[DONE]":
            break
        piece = _delta_text(data, where)
        if piece:
            got_any = True
            yield piece
    if not got_any:
        raise LLMError(f"the language model at {where} sent no text")


def _delta_text(data: str, where: str) -> str:
    try:
        obj = json.loads(data)
    except ValueError as e:
        raise LLMError(f"the language model at {where} sent something that is not JSON: {data[:80]!r}") from e
    if isinstance(obj, dict) and "error" in obj:
        raise LLMError(f"the language model at {where} reported an error: {str(obj['error'])[:MAX_ERROR_BODY]}")
    try:
        choice = obj["choices"][0]
        delta = choice.get("delta") or choice.get("message") or {}
        content = delta.get("content")
    except (KeyError, IndexError, TypeError, AttributeError) as e:
        raise LLMError(f"the language model at {where} sent an unexpected reply: {data[:80]!r}") from e
    if content is None:
        return ""
    if not isinstance(content, str):
        raise LLMError(f"the language model at {where} sent non-text content")
    return content


def _read_whole(resp: http.client.HTTPResponse, where: str) -> str:
    try:
        raw = resp.read()
    except TimeoutError as e:
        raise LLMError(f"the language model at {where} stopped sending") from e
    except (OSError, http.client.HTTPException) as e:
        raise LLMError(f"the connection to the language model at {where} broke: {_reason(e)}") from e
    text = _delta_text(raw.decode("utf-8", "replace"), where)
    if not text.strip():
        raise LLMError(f"the language model at {where} sent no text")
    return text


class LLMGenerator:
    """The :class:`AnswerGenerator` that asks an OpenAI-compatible endpoint with :mod:`.prompt`'s messages."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self.client = ChatClient(config)

    @property
    def model(self) -> str:
        return self.config.model

    def generate(self, question: str, hits: Sequence[Hit], language: Language) -> Iterator[str]:
        return self.client.stream(build_messages(question, hits[: self.config.passages], language))
