"""The REST API (``/api/v1``): plain HTTP for scripts in any language, served by ``reportqa serve`` beside the chat.

Routes answer outside Gradio's queue (FastAPI runs each in its thread pool) with the JSON of the command line
(:mod:`reportqa.ui.queries`). Errors are ``{"error": message, "code": code}`` with the HTTP status saying
what kind: 400 bad input, 401 no credentials (:mod:`reportqa.ui.auth`), 404 unknown document or route,
413 request too large, 503 no index yet. The OpenAPI description is at ``/api/v1/openapi.json``, a docs
page at ``/api/v1/docs``.

Extension point: a command of its own adds its routes with a :data:`RouteSet` — a function given the API app
and the :class:`ServedIndex` — listed in :data:`ROUTE_SETS` (or passed to :func:`build_api`); see
:func:`_core_routes` for the pattern, and :func:`yoy_routes` (``/diff``, ``/trend``) for one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from reportqa.index.errors import (
    IndexMismatchError,
    IndexMissingError,
    ReportQAError,
    UnknownDocumentError,
    UsageError,
)
from reportqa.qa.engine import DEFAULT_K, DEFAULT_MODE, MAX_K, Engine
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .queries import (
    NoIndex,
    ServedIndex,
    ask_json,
    documents_json,
    index_vocabulary,
    make_filters,
    search_json,
    select_targets,
    targets_csv,
)

log = logging.getLogger("reportqa.api")

PREFIX = "/api/v1"
MAX_BODY_BYTES = 64 * 1024
"""Largest request body the API reads (a question is at most 500 characters; filters are short)."""
Mode = Literal["hybrid", "semantic", "keyword"]
RouteSet = Callable[[FastAPI, ServedIndex], None]
"""Adds routes to the API app; each answers from ``served.engine()`` (see :func:`_core_routes`)."""


class ApiError(Exception):
    """An error answered as ``{"error": message, "code": code}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str, **extra: str) -> JSONResponse:
    return JSONResponse({"error": message, "code": code, **extra}, status_code=status)


def api_error(e: ReportQAError) -> ApiError:
    """The HTTP form of a reportqa error."""
    if isinstance(e, UnknownDocumentError):
        return ApiError(404, "unknown_document", str(e))
    if isinstance(e, UsageError):
        return ApiError(400, "bad_request", str(e))
    if isinstance(e, (IndexMissingError, IndexMismatchError)):
        return ApiError(503, "no_index", str(e))
    return ApiError(500, "server_error", str(e))


def engine_of(served: ServedIndex) -> Engine:
    """The engine to answer with, or 503 (with the command that builds an index) while there is none."""
    engine = served.engine()
    if isinstance(engine, NoIndex):
        raise ApiError(503, "no_index", f"{engine.message} — build one with: {engine.command}")
    return engine


# ---------------------------------------------------------------------------------------------- request models


class AskRequest(BaseModel):
    """``POST /api/v1/ask``: the question and its options (the same as ``reportqa ask``'s)."""

    q: str = Field(description="the question, in Chinese or English (at most 500 characters are read)")
    k: int = Field(DEFAULT_K, ge=1, le=MAX_K, description=f"passages to return, 1–{MAX_K}")
    mode: Mode = Field(DEFAULT_MODE, description="hybrid (dense + keyword), semantic or keyword")
    doc: list[str] = Field(default_factory=list, description="only these documents (names as cited); several compare")
    region: list[str] = Field(default_factory=list, description="only these regions (西藏, Tibet, 全国)")
    year: list[int] = Field(default_factory=list, description="only reports of these years; several compare")


KQuery = Annotated[int, Query(ge=1, le=MAX_K, description=f"passages to return, 1–{MAX_K}")]
Listed = Annotated[list[str] | None, Query(description="repeat to give several")]
Years = Annotated[list[int] | None, Query(description="repeat to give several")]


# ---------------------------------------------------------------------------------------------- body limit


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes gets 413 before any route sees it (by its Content-Length,
    or, for a chunked body, as soon as the bytes read pass the limit)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # read the whole (small) body first, so a body without Content-Length is refused the same way
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({
            "error": f"request body over {self.limit // 1024} KiB; send one question (at most 500 characters) "
                     "and its filters",
            "code": "too_large",
        }).encode("utf-8")  # fmt: skip
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------------------------------- the app


def build_api(served: ServedIndex, route_sets: Sequence[RouteSet] | None = None, version: str = "1") -> FastAPI:
    """The ``/api/v1`` app (mount it at :data:`PREFIX`) answering from ``served``."""
    api = FastAPI(
        title="reportqa API",
        version=version,
        description="Questions, passages, figures and documents of the reports this server indexes. "
        "Errors: {error, code} with status 400, 401, 404, 413 or 503.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )

    @api.exception_handler(ApiError)
    async def on_api_error(request: Request, e: ApiError) -> JSONResponse:
        return error_response(e.status, e.code, e.message)

    @api.exception_handler(ReportQAError)
    async def on_reportqa_error(request: Request, e: ReportQAError) -> JSONResponse:
        err = api_error(e)
        return error_response(err.status, err.code, err.message)

    @api.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        parts = []
        for err in e.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body"))
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(400, "bad_request", "; ".join(parts) + " (see /api/v1/docs)")

    @api.exception_handler(HTTPException)
    async def on_http(request: Request, e: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(e.status_code, "http_error")
        message = f"no route {request.url.path}; see /api/v1/docs" if e.status_code == 404 else str(e.detail)
        return error_response(e.status_code, code, message)

    @api.exception_handler(Exception)
    async def on_bug(request: Request, e: Exception) -> JSONResponse:
        log.exception("API request %s failed", request.url.path)
        return error_response(500, "internal", "internal error; see the server log")

    _core_routes(api, served)
    for add in ROUTE_SETS if route_sets is None else route_sets:
        add(api, served)
    api.add_middleware(BodyLimit)
    return api


def _ask(served: ServedIndex, q: str, k: int, mode: str, doc: Sequence[str], region: Sequence[str],
         year: Sequence[int]) -> dict[str, object]:  # fmt: skip
    engine = engine_of(served)
    return ask_json(engine, q, k, mode, make_filters(list(doc), list(region), list(year)), served.generator)


def _core_routes(api: FastAPI, served: ServedIndex) -> None:
    """ask (GET and POST), search, targets, documents, status."""

    @api.get("/ask", summary="Answer a question (the `reportqa ask --json` object)")
    def ask_get(
        q: Annotated[str, Query(description="the question")], k: KQuery = DEFAULT_K, mode: Mode = DEFAULT_MODE,
        doc: Listed = None, region: Listed = None, year: Years = None,
    ) -> dict[str, object]:  # fmt: skip
        return _ask(served, q, k, mode, doc or (), region or (), year or ())

    @api.post("/ask", summary="Answer a question (JSON body; the `reportqa ask --json` object)")
    def ask_post(body: AskRequest) -> dict[str, object]:
        return _ask(served, body.q, body.k, body.mode, body.doc, body.region, body.year)

    @api.get("/search", summary="The passages only: question and passages of the ask object")
    def search(
        q: Annotated[str, Query(description="the question or keywords")], k: KQuery = DEFAULT_K,
        mode: Mode = DEFAULT_MODE, doc: Listed = None, region: Listed = None, year: Years = None,
    ) -> dict[str, object]:  # fmt: skip
        engine = engine_of(served)
        return search_json(engine, q, k, mode, make_filters(doc, region, year))

    @api.get("/targets", summary="Targets and results the reports state (`reportqa targets`), JSON or CSV",
             response_model=None)  # fmt: skip
    def targets(
        indicator: Listed = None, region: Listed = None, year: Years = None,
        kind: Annotated[list[Literal["target", "actual"]] | None, Query(description="target or actual")] = None,
        format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json",
    ) -> dict[str, object] | Response:  # fmt: skip
        engine = engine_of(served)
        figures = getattr(getattr(engine, "index", None), "figures", ())
        vocabulary = index_vocabulary(served.index_dir)
        chosen = select_targets(figures, vocabulary, indicator or (), region or (), year or (), kind or ())
        if format == "csv":
            return Response(targets_csv(chosen, vocabulary), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'attachment; filename="targets.csv"'})  # fmt: skip
        return {"count": len(chosen), "figures": [f.to_json() for f in chosen]}

    @api.get("/documents", summary="The reports the served index holds (region, year, title, counts)")
    def documents() -> dict[str, object]:
        return documents_json(engine_of(served))

    @api.get("/status", summary="The index's health (`reportqa status --json`) and the served build")
    def status() -> dict[str, object]:
        from reportqa.index.storage.status import index_status

        out: dict[str, object] = index_status(served.index_dir).to_json()
        live = served.live
        out["served"] = live.status() if live is not None else None
        return out


def yoy_routes(api: FastAPI, served: ServedIndex) -> None:
    """``/diff`` and ``/trend``: the objects of ``reportqa diff --json`` and ``reportqa trend --json``
    (:mod:`reportqa.ui.yoy_json`); a diff names documents of the served index only, never files."""
    from .yoy_json import diff_json, trend_json

    @api.get("/diff", summary="What report b says that report a does not (the `reportqa diff --json` object)")
    def diff(
        a: Annotated[str, Query(description="the earlier report, a document name as /documents lists it")],
        b: Annotated[str, Query(description="the later report, a document name as /documents lists it")],
    ) -> dict[str, object]:  # fmt: skip
        engine = engine_of(served)
        index = getattr(engine, "index", None)
        embedder = getattr(engine, "embedder", None)
        return diff_json(a, b, index, lambda: embedder, files=False)

    @api.get("/trend", summary="How often every report writes a term (the `reportqa trend --json` object)")
    def trend(
        term: Annotated[str, Query(description="the word or phrase, counted exactly as written (新质生产力)")],
        region: Listed = None,
    ) -> dict[str, object]:  # fmt: skip
        engine = engine_of(served)
        return trend_json(term, getattr(engine, "index", None), region or ())


ROUTE_SETS: tuple[RouteSet, ...] = (yoy_routes,)
"""Routes beyond :func:`_core_routes`, added by :func:`build_api`: :func:`yoy_routes` (``/diff``, ``/trend``).
Another command adds ``def x_routes(api: FastAPI, served: ServedIndex) -> None`` answering from
``engine_of(served)`` with the command's JSON function, and lists it here."""
