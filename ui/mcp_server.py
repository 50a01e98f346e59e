"""The MCP server: the same answers as the REST API, as tools an agent can call.

Tools ``ask``, ``search``, ``targets`` and ``documents`` return the JSON of ``reportqa ask --json`` (and of
the other commands) as structured content. Served over streamable HTTP at ``/mcp`` by ``reportqa serve``
(behind the same credentials as the page, :mod:`reportqa.ui.auth`) and over stdio by ``reportqa mcp`` for
desktop agents. Built with the official ``mcp`` SDK (:class:`mcp.server.mcpserver.MCPServer`).

Extension point: more tools are a :data:`ToolSet` listed in :data:`TOOL_SETS`, like :func:`_core_tools`;
``diff`` and ``trend`` (:func:`yoy_tools`) are one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from reportqa.index.errors import ReportQAError
from reportqa.qa.engine import DEFAULT_K, DEFAULT_MODE, MAX_K, Engine

from .queries import (
    NoIndex,
    ServedIndex,
    ask_json,
    documents_json,
    index_vocabulary,
    make_filters,
    search_json,
    select_targets,
)

ToolSet = Callable[[MCPServer[Any], ServedIndex], None]
"""Adds tools to the server; each answers from ``served.engine()`` (see :func:`_core_tools`)."""

INSTRUCTIONS = (
    "Search and question answering over Chinese government work reports (政府工作报告), with citations. "
    "Call `documents` to see which reports (region, year) are indexed; `ask` for an answer sentence with the "
    "passages it comes from (cite document, paragraph and lines); `search` for passages only; `targets` for "
    "the numeric targets and results (GDP growth, CPI, jobs …) as rows; `diff` for what one report says that "
    "another does not; `trend` for how often every report writes a term. Questions may be Chinese or English."
)

Question = Annotated[str, Field(description="the question, Chinese or English, e.g. '2024年GDP预期增长多少？'")]
K = Annotated[int, Field(ge=1, le=MAX_K, description=f"how many passages to return (1–{MAX_K})")]
Mode = Annotated[Literal["hybrid", "semantic", "keyword"],
                 Field(description="hybrid (default: dense + keyword), semantic or keyword")]  # fmt: skip
Docs = Annotated[list[str] | None, Field(description="only these documents (names from `documents`); several compare")]
Regions = Annotated[list[str] | None, Field(description="only these regions (西藏, Tibet, 全国); several compare")]
YearsF = Annotated[list[int] | None, Field(description="only reports of these years; several compare")]


def _engine(served: ServedIndex) -> Engine:
    engine = served.engine()
    if isinstance(engine, NoIndex):
        raise ToolError(f"{engine.message} — build one with: {engine.command}")
    return engine


def _run(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A reportqa error becomes a tool error the agent reads (what went wrong and what to do)."""
    try:
        return fn()
    except ReportQAError as e:
        raise ToolError(str(e)) from e


def _core_tools(server: MCPServer[Any], served: ServedIndex) -> None:
    def ask(
        question: Question, k: K = DEFAULT_K, mode: Mode = DEFAULT_MODE, doc: Docs = None, region: Regions = None,
        year: YearsF = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Answer a question about the indexed reports. Returns the `reportqa ask --json` object: `answer`
        (the sentence, or null when `abstained` is true), `passages` (rank, score, text and `citation`:
        document, section, paragraph, lines, region, year), `confidence`, and for several regions or years a
        `comparison`. Cite the passage the answer points to."""
        return _run(lambda: ask_json(_engine(served), question, k, mode, make_filters(doc, region, year),
                                     served.generator))  # fmt: skip

    def search(
        question: Question, k: K = DEFAULT_K, mode: Mode = DEFAULT_MODE, doc: Docs = None, region: Regions = None,
        year: YearsF = None,
    ) -> dict[str, Any]:  # fmt: skip
        """The passages that best match a question or keywords, without an answer sentence: `question` and
        `passages` (rank, score, text, citation), best first."""
        return _run(lambda: search_json(_engine(served), question, k, mode, make_filters(doc, region, year)))

    def targets(
        indicator: Annotated[list[str] | None, Field(description="indicator ids: gdp_growth, cpi, urban_new_jobs, "
                                                    "unemployment_rate …")] = None,
        region: Regions = None,
        year: Annotated[list[int] | None, Field(description="the year a target is for or a result is of")] = None,
        kind: Annotated[list[Literal["target", "actual"]] | None, Field(description="target or actual")] = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Numeric targets and results the reports state (as `reportqa targets --json`): `count` and
        `figures`, each with region, year, kind, indicator, value, unit and its citation."""

        def rows() -> dict[str, Any]:
            engine = _engine(served)
            vocabulary = index_vocabulary(served.index_dir)
            chosen = select_targets(engine.index.figures, vocabulary, indicator or (), region or (), year or (),
                                    kind or ())  # fmt: skip
            return {"count": len(chosen), "figures": [f.to_json() for f in chosen]}

        return _run(rows)

    def documents() -> dict[str, Any]:
        """The reports in the index: name, title, region, year, paragraphs and passages of each. Use the names
        as `doc` filters."""
        return _run(lambda: documents_json(_engine(served)))

    for fn in (ask, search, targets, documents):
        server.add_tool(fn, name=fn.__name__, structured_output=True)


def yoy_tools(server: MCPServer[Any], served: ServedIndex) -> None:
    """``diff`` and ``trend``: the objects of ``reportqa diff --json`` / ``reportqa trend --json``
    (:mod:`reportqa.ui.yoy_json`); a diff names documents of the served index only."""
    from .yoy_json import diff_json, trend_json

    def diff(
        a: Annotated[str, Field(description="the earlier report: a document name from `documents`, e.g. the "
                                            "region's report of year Y-1")],
        b: Annotated[str, Field(description="the later report: a document name from `documents` (not a)")],
    ) -> dict[str, Any]:  # fmt: skip
        """What report b says that report a does not. Returns `a`, `b` (document names), `added` (sentences
        only in b), `dropped` (only in a), each {text, citation}; `changed` (the same commitment with another
        figure: before/after with text, value and citation); `new_terms` (terms b writes and a does not, with
        count and the sentence). Call `documents` first to get the names; cite paragraphs from the citations."""

        def run() -> dict[str, Any]:
            engine = _engine(served)
            return diff_json(a, b, engine.index, lambda: engine.embedder, files=False)

        return _run(run)

    def trend(
        term: Annotated[str, Field(min_length=1, description="the word or phrase (at most 50 characters), counted "
                                                             "exactly as written, e.g. 新质生产力")],
        region: Regions = None,
    ) -> dict[str, Any]:  # fmt: skip
        """How often every indexed report writes a term: `term`, `first_year` (the first year it is written)
        and `rows`, one per report (region, year, document, count, per_10k characters, the first citation and
        sentences). Use it for "since when" and "how much more often" questions."""
        return _run(lambda: trend_json(term, _engine(served).index, region or ()))

    for fn in (diff, trend):
        server.add_tool(fn, name=fn.__name__, structured_output=True)


TOOL_SETS: tuple[ToolSet, ...] = (yoy_tools,)
"""Tools beyond :func:`_core_tools`: :func:`yoy_tools` (``diff``, ``trend``). Another command adds
``def x_tools(server: MCPServer, served: ServedIndex) -> None`` and lists it here."""


def build_mcp(served: ServedIndex, tool_sets: Sequence[ToolSet] | None = None) -> MCPServer[Any]:
    """The MCP server answering from ``served`` (the transport is the caller's: HTTP or stdio)."""
    from reportqa.index.storage.store import package_version

    server: MCPServer[Any] = MCPServer(
        name="reportqa", title="reportqa · 报告问答", instructions=INSTRUCTIONS, version=package_version(),
        log_level="WARNING",
    )  # fmt: skip
    _core_tools(server, served)
    for add in TOOL_SETS if tool_sets is None else tool_sets:
        add(server, served)
    return server


def run_stdio(index_dir: Path, store: Any = None) -> None:
    """``reportqa mcp``: serve the index at ``index_dir`` over stdio until the client closes the pipe. The
    index is opened now (an error is raised before the first message) and followed across rebuilds."""
    from reportqa.qa.live import LiveEngine

    live = LiveEngine(Path(index_dir), store=store)
    build_mcp(ServedIndex(Path(index_dir), live, store=store)).run("stdio")
