"""One door for ``reportqa serve``: the same credentials protect the page, the REST API and MCP.

``--auth USER:PASS`` and/or a bearer token (``--token`` or ``$REPORTQA_TOKEN``). The page keeps Gradio's login
form (USER:PASS, or any user name with the token as password); the REST API and MCP take the HTTP header
``Authorization: Basic …`` (USER:PASS) or ``Authorization: Bearer TOKEN``. Without a valid header they answer
401 before anything else runs: no answer, no OpenAPI description, no MCP tool list. A server off 127.0.0.1
with neither is refused at start (:func:`check_exposure`).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportqa.index.errors import UsageError
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_ENV = "REPORTQA_TOKEN"
LOOPBACK = "127.0.0.1"
PROTECTED = ("/api/v1", "/mcp")
"""Path prefixes the header check guards (Gradio guards its own page and routes with its login)."""
REALM = 'Basic realm="reportqa", Bearer realm="reportqa"'


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


@dataclass(frozen=True)
class Door:
    """The credentials a server accepts; no credentials at all means an open door (loopback only)."""

    user: str | None = None
    """``--auth``'s user name (None without ``--auth``)."""
    password: str | None = None
    """``--auth``'s password."""
    token: str | None = None
    """The bearer token (``--token`` or ``$REPORTQA_TOKEN``); None without one."""

    @property
    def open(self) -> bool:
        return self.user is None and self.token is None

    def login(self, user: str, password: str) -> bool:
        """The page's login form: USER:PASS of ``--auth``, or any user name with the token as password."""
        if self.user is not None and self.password is not None and _same(user, self.user):
            return _same(password, self.password) or (self.token is not None and _same(password, self.token))
        return self.token is not None and _same(password, self.token)

    def admits(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header value opens the door (always, when the door is open)."""
        if self.open:
            return True
        scheme, _, value = (authorization or "").strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer":
            return self.token is not None and bool(value) and _same(value, self.token)
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return False
            user, sep, password = decoded.partition(":")
            return bool(sep) and self.login(user, password)
        return False


def door_from_options(auth: str | None, token: str | None, env: Mapping[str, str] | None = None) -> Door:
    """The door of ``serve --auth USER:PASS --token TOKEN`` (the token falls back to ``$REPORTQA_TOKEN``)."""
    env = os.environ if env is None else env
    user = password = None
    if auth:
        if ":" not in auth:
            raise UsageError("--auth takes USER:PASS")
        user, _, password = auth.partition(":")
        if not user or not password:
            raise UsageError("--auth takes USER:PASS with neither empty")
    tok = token if token is not None else env.get(TOKEN_ENV) or None
    if tok is not None and len(tok.strip()) < 8:
        raise UsageError(f"the token (--token or ${TOKEN_ENV}) must be at least 8 characters; "
                         "e.g. python -c 'import secrets; print(secrets.token_urlsafe())'")  # fmt: skip
    return Door(user, password, tok.strip() if tok else None)


def check_exposure(host: str, door: Door) -> None:
    """Refuse to serve beyond this machine with an open door."""
    if host != LOOPBACK and door.open:
        raise UsageError(
            f"serving on {host} would let anyone who reaches the server read the library through the page, "
            f"the API and MCP; add --auth USER:PASS or --token TOKEN (or ${TOKEN_ENV}), or serve on --host {LOOPBACK}"
        )


def is_protected(path: str, prefixes: Sequence[str] = PROTECTED) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


class Guard:
    """ASGI middleware: a request to a :data:`PROTECTED` path without a header the :class:`Door` admits gets
    401 with a JSON ``{error, code}`` body; everything else passes through untouched."""

    def __init__(self, app: ASGIApp, door: Door, prefixes: Sequence[str] = PROTECTED) -> None:
        self.app = app
        self.door = door
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.door.open or not is_protected(scope.get("path", ""), self.prefixes):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        header = headers.get(b"authorization")
        if self.door.admits(header.decode("latin-1") if header is not None else None):
            await self.app(scope, receive, send)
            return
        body = json.dumps({
            "error": "credentials required: send Authorization: Bearer TOKEN (the server's --token) "
                     "or HTTP Basic USER:PASS (its --auth)",
            "code": "unauthorized",
        }).encode("utf-8")  # fmt: skip
        await send({
            "type": "http.response.start", "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"www-authenticate", REALM.encode())],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": body})
