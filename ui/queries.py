"""What the command line, the REST API and the MCP server answer, built in one place for all three.

Each function takes typed values (already parsed by the CLI, the REST route or the MCP tool) and returns the
JSON object that ``reportqa ask --json`` (``targets --json``, ``status --json``) prints, so a script gets the
same object whichever door it uses. Errors are the :mod:`reportqa.index.errors` classes; each door turns them
into its own form (an exit code, an HTTP status, an MCP tool error). No gradio, no web framework here.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reportqa.index.errors import ReportQAError, UsageError
from reportqa.index.records import Figure

if TYPE_CHECKING:
    from reportqa.index.storage.milvus_store import StoreSpec
    from reportqa.index.storage.store import LoadedIndex
    from reportqa.index.text.indicators import Vocabulary
    from reportqa.qa.engine import Engine
    from reportqa.qa.live import LiveEngine
    from reportqa.qa.llm import AnswerGenerator
    from reportqa.qa.records import Answer
    from reportqa.qa.scope import Filters

log = logging.getLogger("reportqa.ui")

RETRY_EVERY = 2.0
"""Seconds between two attempts to open an index that was missing or unusable when the server started."""


# ---------------------------------------------------------------------------------------------- asking


class Asking(Protocol):
    """The engine as every door asks it: :class:`~reportqa.qa.engine.Engine` and
    :class:`~reportqa.qa.live.LiveEngine` (and a test's stand-in). The answer states the question's language
    (``Answer.language``), so no door guesses it."""

    def ask(self, question: str, k: int = ..., mode: str = ..., filters: Filters | None = None) -> Answer: ...


class Serving(Asking, Protocol):
    """An :class:`Asking` engine over one loaded index (the reports it lists)."""

    @property
    def index(self) -> LoadedIndex: ...


def listed_values(value: Any) -> tuple[str, ...]:
    """A filter field from the API or a picker: None, one value, or a list of values."""
    if value is None or value == "":
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(str(v).strip() for v in items if str(v).strip())


def make_filters(doc: Any = None, region: Any = None, year: Any = None) -> Filters | None:
    """Filters from API fields or picker values (each None, one value or a list); None when all are empty."""
    from reportqa.qa.scope import Filters

    years: list[int] = []
    for y in listed_values(year):
        try:
            years.append(int(float(y)))
        except ValueError as e:
            raise UsageError(f"year must be a number such as 2026, not {y!r}") from e
    f = Filters(listed_values(doc), listed_values(region), tuple(years))
    return f if f else None


def ask_answer(
    engine: Asking, question: str, k: int, mode: str | None = None, filters: Filters | None = None,
    generator: AnswerGenerator | None = None,
) -> Answer:  # fmt: skip
    """The answer to ``question`` (and, with a ``generator``, its written answer); no ``mode``: the engine's
    default one."""
    k = max(1, int(k))
    if mode:
        answer = engine.ask(question, k=k, mode=mode, filters=filters or None)
    else:
        answer = engine.ask(question, k=k, filters=filters or None)
    if generator is not None:  # --llm: the written answer (falls back to the extractive one)
        from reportqa.qa.generate import generate_answer

        answer = generate_answer(answer, generator)
    return answer


def ask_json(
    engine: Asking, question: str, k: int, mode: str | None = None, filters: Filters | None = None,
    generator: AnswerGenerator | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``reportqa ask --json`` object: the same for the CLI, ``/api/v1/ask``, Gradio's ``/ask`` and MCP."""
    return ask_answer(engine, question, k, mode, filters, generator).to_json()


def search_json(
    engine: Asking, question: str, k: int, mode: str | None = None, filters: Filters | None = None
) -> dict[str, Any]:  # fmt: skip
    """Passages only: the ``question`` and ``passages`` of the ``ask --json`` object, no answer sentence."""
    full = ask_json(engine, question, k, mode, filters)
    return {"question": full["question"], "passages": full["passages"]}


# ---------------------------------------------------------------------------------------------- library


def documents_json(engine: Serving) -> dict[str, Any]:
    """The served index's reports (as ``status --json`` lists them) and its build id."""
    from reportqa.qa.scope import library_documents

    index = engine.index
    return {"build_id": index.build_id, "documents": [d.to_json() for d in library_documents(index)]}


def index_vocabulary(index_dir: Path) -> Vocabulary:
    """The indicator vocabulary the index was built with (its ``--indicators`` table, when still readable)."""
    from reportqa.index.storage.store import read_manifest
    from reportqa.index.text.indicators import load_indicators

    row = read_manifest(index_dir.resolve() if index_dir.exists() else index_dir).get("indicators")
    table = Path(row["path"]) if isinstance(row, dict) and row.get("path") else None
    return load_indicators(table if table is not None and table.is_file() else None)


def select_targets(
    figures: Sequence[Figure], vocabulary: Vocabulary, indicators: Sequence[str] = (), regions: Sequence[str] = (),
    years: Sequence[int] = (), kinds: Sequence[str] = (),
) -> list[Figure]:  # fmt: skip
    """``reportqa targets``' rows: the figures matching every non-empty filter, in the table's order. An unknown
    indicator, region or kind is a :class:`UsageError` naming what is known."""
    from reportqa.index.figures.extract import select_figures, sort_figures

    check_target_filters(vocabulary, indicators, regions, kinds)
    return sort_figures(select_figures(figures, indicators, regions, years, kinds))


def check_target_filters(
    vocabulary: Vocabulary, indicators: Sequence[str] = (), regions: Sequence[str] = (), kinds: Sequence[str] = ()
) -> None:
    """A :class:`UsageError` naming what is known for an unknown indicator, region or kind of ``targets``."""
    from reportqa.index.text.regions import region_by_name

    for i in indicators:
        vocabulary.get(i)  # UsageError naming the known ids
    for r in regions:
        if region_by_name(r) is None:
            raise UsageError(f"unknown region {r!r}; give a province or 全国 (西藏, 西藏自治区, Tibet, xizang)")
    for kind in kinds:
        if kind not in ("target", "actual"):
            raise UsageError(f"unknown kind {kind!r}; give target or actual")


def targets_csv(figures: Sequence[Figure], vocabulary: Vocabulary) -> str:
    """``reportqa targets --csv`` as a string (UTF-8 text; the BOM is the writer's, as on the command line)."""
    from reportqa.index.figures.extract import write_csv

    buf = io.StringIO()
    write_csv(figures, buf, vocabulary)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------- the served index


@dataclass(frozen=True)
class NoIndex:
    """Why the server has no index to answer from, and the command that builds one."""

    message: str
    command: str


class ServedIndex:
    """The engine the REST API and MCP answer from: the chat's :class:`LiveEngine` (which follows rebuilds), or,
    while there is no usable index, :class:`NoIndex` — and a retry every :data:`RETRY_EVERY` seconds in the
    background, so the API starts answering once ``reportqa build`` has made one (no restart)."""

    def __init__(
        self, index_dir: Path, live: LiveEngine | None = None, problem: str | None = None,
        store: StoreSpec | None = None, generator: AnswerGenerator | None = None,
        opener: Callable[[Path, StoreSpec | None], LiveEngine] | None = None, retry_every: float = RETRY_EVERY,
    ) -> None:  # fmt: skip
        self.index_dir = Path(index_dir)
        self.store = store
        self.generator = generator
        self._live = live
        self._problem = problem or "no index loaded"
        self._opener = opener or _open_live
        self._lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self._retry_every = retry_every
        self._last_try = time.monotonic()

    def engine(self) -> Engine | NoIndex:
        """The engine to answer this request with, or why there is none (never blocks on loading)."""
        live = self._live
        if live is not None:
            return live.current()
        self._maybe_retry()
        from reportqa.index.storage.store import build_command

        return NoIndex(self._problem, build_command(self.index_dir))

    @property
    def live(self) -> LiveEngine | None:
        return self._live

    def wait_idle(self, timeout: float | None = None) -> None:
        """Wait for a running retry (tests)."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)

    def _maybe_retry(self) -> None:
        now = time.monotonic()
        with self._lock:
            busy = self._loader is not None and self._loader.is_alive()
            if busy or now - self._last_try < self._retry_every:
                return
            self._last_try = now
            self._loader = threading.Thread(target=self._retry, name="reportqa-api-open", daemon=True)
            self._loader.start()

    def _retry(self) -> None:
        try:
            self._live = self._opener(self.index_dir, self.store)
        except ReportQAError as e:
            self._problem = str(e)
        except Exception:  # a bug: keep serving 503 and say so in the log
            log.exception("opening %s failed", self.index_dir)


def _open_live(index_dir: Path, store: StoreSpec | None) -> LiveEngine:
    from reportqa.qa.live import LiveEngine

    return LiveEngine(index_dir, store=store)
