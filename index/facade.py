"""The command line's one door into index/: reading, building, the library, status and store, figures.

``ui/cli.py`` and ``ui/cli_yoy.py`` take what a command needs from here, inside the command (``from
reportqa.index.facade import build_index``), never from index/'s rooms (tests/test_architecture.py holds it). A
name is imported from its room the first time it is asked for (a module ``__getattr__``, PEP 562), so
``reportqa --help`` and ``reportqa paragraphs`` load neither FAISS nor an embedder; mypy sees the real, typed
names through the ``TYPE_CHECKING`` block. Where each name lives is written once, in :data:`WHERE`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

WHERE: dict[str, str] = {
    # reading a report
    "SUPPORTED_SUFFIXES": "reading.readers",
    "read_source": "reading.readers",
    "rebuild": "reading.paragraphs",
    "ChunkSettings": "reading.chunker",
    "OcrEngine": "reading.ocr",
    # building an index (and embedding, here or on a Ray cluster)
    "build_index": "pipeline.build",
    "RayOcrEngine": "pipeline.ray_ocr",
    "Embedder": "embedding.embedders",
    "load_embedder": "embedding.embedders",
    "EmbedderFactory": "embedding.ray_embed",
    "RayEmbedder": "embedding.ray_embed",
    # the library of a served index
    "remove_document": "pipeline.library",
    # status and the store
    "LoadedIndex": "storage.store",
    "default_index_dir": "storage.store",
    "load_index": "storage.store",
    "package_version": "storage.store",
    "read_documents": "storage.store",
    "read_figures": "storage.store",
    "index_status": "storage.status",
    "StoreSpec": "storage.milvus_store",
    "parse_store_spec": "storage.milvus_store",
    "sync_index": "storage.milvus_sync",
    # figures
    "table_lines": "figures.extract",
    "write_csv": "figures.extract",
    "evaluate_figures": "figures.evaluate",
    "read_labels": "figures.evaluate",
}
"""Name → the module of index/ (below ``reportqa.index``) that defines it."""

if TYPE_CHECKING:
    from .embedding.embedders import Embedder as Embedder
    from .embedding.embedders import load_embedder as load_embedder
    from .embedding.ray_embed import EmbedderFactory as EmbedderFactory
    from .embedding.ray_embed import RayEmbedder as RayEmbedder
    from .figures.evaluate import evaluate_figures as evaluate_figures
    from .figures.evaluate import read_labels as read_labels
    from .figures.extract import table_lines as table_lines
    from .figures.extract import write_csv as write_csv
    from .pipeline.build import build_index as build_index
    from .pipeline.library import remove_document as remove_document
    from .pipeline.ray_ocr import RayOcrEngine as RayOcrEngine
    from .reading.chunker import ChunkSettings as ChunkSettings
    from .reading.ocr import OcrEngine as OcrEngine
    from .reading.paragraphs import rebuild as rebuild
    from .reading.readers import SUPPORTED_SUFFIXES as SUPPORTED_SUFFIXES
    from .reading.readers import read_source as read_source
    from .storage.milvus_store import StoreSpec as StoreSpec
    from .storage.milvus_store import parse_store_spec as parse_store_spec
    from .storage.milvus_sync import sync_index as sync_index
    from .storage.status import index_status as index_status
    from .storage.store import LoadedIndex as LoadedIndex
    from .storage.store import default_index_dir as default_index_dir
    from .storage.store import load_index as load_index
    from .storage.store import package_version as package_version
    from .storage.store import read_documents as read_documents
    from .storage.store import read_figures as read_figures


def __getattr__(name: str) -> object:
    """``name`` from its room (:data:`WHERE`), imported on first use and kept."""
    where = WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reportqa.index.{where}"), name)
    globals()[name] = value
    return value


__all__ = sorted(WHERE)
