"""One web server for the chat, the REST API and MCP (``reportqa serve``).

A FastAPI app holds the REST API at ``/api/v1`` (:mod:`.api`), MCP's streamable HTTP endpoint at ``/mcp``
(:mod:`.mcp_server`) and the Gradio page at ``/`` (mounted with :func:`gradio.mount_gradio_app`). The API
and MCP answer in FastAPI's thread pool, never through Gradio's queue. One :class:`~.auth.Door` guards all
three: Gradio's login for the page, the ``Authorization`` header for the API and MCP (:class:`~.auth.Guard`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import gradio as gr
from fastapi import FastAPI

from .api import PREFIX, build_api
from .auth import Door, Guard
from .mcp_server import build_mcp
from .queries import ServedIndex

MCP_PATH = "/mcp"


def build_server_app(
    page: gr.Blocks, served: ServedIndex, door: Door, host: str = "127.0.0.1", port: int = 7860,
    gradio_options: dict[str, Any] | None = None,
) -> FastAPI:  # fmt: skip
    """The app ``reportqa serve`` runs: ``page`` at ``/``, the API at :data:`PREFIX`, MCP at :data:`MCP_PATH`.
    ``gradio_options``: more keyword arguments for :func:`gradio.mount_gradio_app` (theme, css, head …)."""
    mcp = build_mcp(served)
    mcp_app = mcp.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=host,
    )  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.mount(PREFIX, build_api(served))
    app.router.routes.extend(mcp_app.routes)  # the /mcp route; its session manager runs in the lifespan above
    app.add_middleware(Guard, door=door)
    gr.mount_gradio_app(
        app, page, path="/", server_name=host, server_port=port,
        auth=None if door.open else door.login, **(gradio_options or {}),
    )  # fmt: skip
    return app
