"""An :class:`Engine` that follows rebuilds: a long-running server keeps answering from the index it has
while ``reportqa build`` runs, and switches to the new index once it has been swapped in.

:meth:`LiveEngine.current` is cheap and safe to call from every request thread. At most every
``check_every`` seconds it looks at where the index symlink points (``os.readlink``; for a plain directory,
the manifest's ``build_id``). When that changed, one background thread loads and verifies the new index —
reusing the already loaded embedder when the embedder id is the same — and then replaces the engine with a
single reference assignment. Until then, and for good if the new index fails to load, requests are served
by the previous engine, which is entirely in memory and unaffected by the old build directory being
deleted; the failure is kept in :attr:`LiveEngine.last_error`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportqa.index.errors import ReportQAError
from reportqa.index.storage.milvus_store import StoreSpec
from reportqa.index.storage.milvus_sync import store_key
from reportqa.index.storage.store import MANIFEST

from .engine import DEFAULT_K, DEFAULT_MODE, Engine
from .records import Answer
from .scope import Filters

log = logging.getLogger("reportqa.live")

CHECK_EVERY = 2.0
"""Seconds between two looks at the index symlink."""

EngineFactory = Callable[[Path, Engine], Engine]
"""``factory(index_dir, previous_engine) -> Engine``: how a new index is loaded (see :func:`reload_engine`)."""


def reload_engine(index_dir: Path, previous: Engine) -> Engine:
    """Load and verify the index at ``index_dir`` as ``previous`` was opened (:meth:`Engine.reopen`: same
    store, reranker and parameters; its embedder when the id matches)."""
    return previous.reopen(index_dir)


def index_key(index_dir: Path) -> str | None:
    """What identifies the build ``index_dir`` currently shows: the symlink target, or for a plain directory
    its manifest ``build_id``. None when there is nothing readable there (missing, mid-swap)."""
    try:
        if os.path.islink(index_dir):
            return os.path.realpath(index_dir)
        with open(Path(index_dir) / MANIFEST, encoding="utf-8") as f:
            return f"{os.path.realpath(index_dir)}#{json.load(f).get('build_id')}"
    except (OSError, ValueError, AttributeError):
        return None


def _served_key(index_dir: Path, engine: Engine, seen: str | None) -> str | None:
    """The key of the build ``engine`` actually serves (the symlink may have moved while it loaded)."""
    return str(engine.index.path) if os.path.islink(index_dir) else seen


class LiveEngine:
    """Serves from the newest loadable index at ``index_dir``. See the module docstring."""

    def __init__(
        self,
        index_dir: Path,
        engine: Engine | None = None,
        check_every: float = CHECK_EVERY,
        factory: EngineFactory = reload_engine,
        store: StoreSpec | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.check_every = check_every
        self._factory = factory
        self.store = engine.store if engine is not None else store
        """The vector store the served engines search (a Milvus sync after a build also triggers a reload)."""
        key = self._index_key()
        self._engine: Engine = engine if engine is not None else Engine.open(self.index_dir, store=store)
        self._key: str | None = self._served_key(self._engine, key)
        """The :func:`index_key` of the served index (as seen just before it was loaded)."""
        self._failed_key: str | None = None
        self._lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self._last_check = time.monotonic()
        self.last_error: str | None = None
        """Why the most recent reload failed (None after a successful one)."""
        self.reloads = 0
        """How many times a new index was swapped in."""
        self.last_reload: float | None = None
        """``time.time()`` of the last successful reload."""

    # ------------------------------------------------------------------------------------------ serving

    def current(self) -> Engine:
        """The engine to answer this request with (never blocks on loading)."""
        now = time.monotonic()
        if now - self._last_check >= self.check_every:
            self._maybe_reload(now)
        return self._engine

    def ask(
        self, question: str, k: int = DEFAULT_K, mode: str = DEFAULT_MODE, filters: Filters | None = None
    ) -> Answer:
        """``current().ask(...)``."""
        return self.current().ask(question, k, mode, filters)

    @property
    def loading(self) -> bool:
        loader = self._loader
        return loader is not None and loader.is_alive()

    def status(self) -> dict[str, Any]:
        """For a status line: the served build, whether a reload is running and the last reload error."""
        return {
            "build_id": self._engine.index.build_id,
            "index_path": str(self._engine.index.path),
            "loading": self.loading,
            "reloads": self.reloads,
            "last_reload": self.last_reload,
            "last_error": self.last_error,
        }

    # ------------------------------------------------------------------------------------------ reloading

    def check_now(self) -> bool:
        """Look at the index immediately (ignoring ``check_every``); True when a reload was started."""
        return self._maybe_reload(time.monotonic())

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait for a running reload to finish (for tests and orderly shutdown); True when idle."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)
        return not self.loading

    def _index_key(self) -> str | None:
        key = index_key(self.index_dir)
        return None if key is None else key + store_key(self.index_dir, self.store)

    def _served_key(self, engine: Engine, seen: str | None) -> str | None:
        served = _served_key(self.index_dir, engine, seen)
        if served is None or served == seen:
            return served
        return served + store_key(self.index_dir, self.store)

    def _maybe_reload(self, now: float) -> bool:
        if not self._lock.acquire(blocking=False):
            return False  # another thread is checking right now
        try:
            self._last_check = now
            if self.loading:
                return False
            key = self._index_key()
            if key is None or key == self._key or key == self._failed_key:
                return False
            self._loader = threading.Thread(target=self._reload, args=(key,), name="reportqa-reload", daemon=True)
            self._loader.start()
            return True
        finally:
            self._lock.release()

    def _reload(self, key: str) -> None:
        old = self._engine
        try:
            new = self._factory(self.index_dir, old)
        except ReportQAError as e:
            self._failed_key = key
            self.last_error = str(e)
            log.warning("keeping build %s: the new index did not load: %s", old.index.build_id, e)
            return
        except Exception as e:  # a bug or an unexpected I/O error: keep serving, report it
            self._failed_key = key
            self.last_error = f"{type(e).__name__}: {e}"
            log.exception("keeping build %s: reloading %s failed", old.index.build_id, self.index_dir)
            return
        self._engine = new  # one reference assignment: requests see the old engine or the new one
        self._key = self._served_key(new, key)
        self._failed_key = None
        self.last_error = None
        self.reloads += 1
        self.last_reload = time.time()
        log.warning("now serving build %s (was %s)", new.index.build_id, old.index.build_id)
