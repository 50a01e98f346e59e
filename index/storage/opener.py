"""The one way in to a served index: :func:`open_index` loads and verifies the index and, when a vector store
other than the index's own FAISS files is chosen (``--store milvus:…``), searches its vectors there. The CLI,
the server and its reloads all open through here (``qa.engine.Engine.open`` / ``Engine.reopen``)."""

from __future__ import annotations

from pathlib import Path

from .milvus_store import StoreSpec
from .milvus_sync import with_store
from .store import LoadedIndex, load_index


def open_index(
    index_dir: Path, *, store: StoreSpec | None = None, check_sources: bool = True, embedder_id: str | None = None
) -> LoadedIndex:
    """Load and verify the index at ``index_dir`` (refusing a stale one when ``check_sources``, or one built
    by another embedder than ``embedder_id``); its vectors searched in ``store`` (None: its FAISS files)."""
    return with_store(load_index(index_dir, embedder_id=embedder_id, check_sources=check_sources), index_dir, store)
