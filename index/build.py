"""Build (or update) an index from source files.

Sources are read and reconstructed into paragraphs, chunked, embedded (reusing the vectors of any chunk
whose embedding text is unchanged since the last build), and written to a fresh directory that is swapped in
atomically. Any failure leaves the previous index exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import store
from .chunker import ChunkSettings, embed_texts, make_chunks
from .embedders import Embedder, embedder_id_for, load_embedder
from .errors import IndexMismatchError, ReportQAError, SourceError
from .paragraphs import reconstruct
from .readers import read_sources
from .records import Chunk, Paragraph, SkippedSource, SourceText
from .vectorindex import make_faiss_index

# Bump when paragraph reconstruction or chunking changes in a way that changes chunk texts.
PIPELINE_VERSION = 1

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called while embedding."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI summary and for tests."""

    index_dir: Path
    documents: int
    paragraphs: int
    chunks: int
    embedded: int
    """Chunks whose vectors were computed in this build."""
    reused: int
    """Chunks whose vectors were reused from the previous build."""
    seconds: float
    skipped: tuple[SkippedSource, ...] = ()
    up_to_date: bool = False
    """True when nothing changed and the existing index was kept as is."""
    cleaned: tuple[str, ...] = field(default=())
    """Half-written directories of earlier failed builds that were removed."""


def _previous_manifest(index_dir: Path) -> dict[str, Any] | None:
    try:
        return store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    except ReportQAError:
        return None


def _settings_match(manifest: dict[str, Any], embedder_id: str, settings: ChunkSettings) -> bool:
    return (
        manifest.get("embedder", {}).get("id") == embedder_id
        and manifest.get("chunker") == settings.to_json()
        and manifest.get("pipeline_version") == PIPELINE_VERSION
    )


def _up_to_date(manifest: dict[str, Any], sources: Sequence[SourceText], skipped: Sequence[SkippedSource]) -> bool:
    recorded = sorted((s["name"], s["sha256"]) for s in manifest.get("sources", []))
    current = sorted((s.name, s.sha256) for s in sources)
    recorded_skips = sorted((s["path"], s["reason"]) for s in manifest.get("skipped", []))
    return recorded == current and recorded_skips == sorted((s.path, s.reason) for s in skipped)


def _reusable_vectors(index_dir: Path, manifest: dict[str, Any], settings: ChunkSettings) -> dict[str, np.ndarray]:
    """Map embedding text → vector from the previous build (empty if it cannot be read cleanly)."""
    try:
        old = store.load_index(index_dir, check_sources=False, deep=True)
    except ReportQAError:
        return {}
    texts = embed_texts(old.chunks, ChunkSettings.from_json(manifest["chunker"]))
    return {t: old.vectors[i] for i, t in enumerate(texts)}


def build_index(
    sources: Sequence[Path],
    index_dir: Path,
    embedder: str | Embedder | None = None,
    settings: ChunkSettings | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the index at ``index_dir`` from ``sources`` (files and folders).

    Raises :class:`SourceError` when no usable document is found, :class:`BuildLockedError` when another
    build holds the directory; in every failure the previous index stays in place.
    """
    t0 = time.perf_counter()
    settings = settings or ChunkSettings()
    index_dir = Path(index_dir)
    embedder_id = embedder.id if isinstance(embedder, Embedder) else embedder_id_for(embedder)

    with store.build_lock(index_dir):
        cleaned = tuple(str(p) for p in store.clean_stale_builds(index_dir))
        docs, skipped = read_sources(sources)
        if not docs:
            reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:5]) or "no .txt/.md/.pdf/.docx/.html files"
            raise SourceError(f"nothing to index in {', '.join(map(str, sources))} ({reasons}); add documents")
        names = [d.name for d in docs]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise SourceError(f"two sources share the name {dup[0]!r}; give the folders distinct names")

        previous = _previous_manifest(index_dir)
        compatible = previous is not None and _settings_match(previous, embedder_id, settings)
        if compatible and not force and previous is not None and _up_to_date(previous, docs, skipped):
            chunks_n = sum(int(s.get("chunks", 0)) for s in previous["sources"])
            paras_n = sum(int(s.get("paragraphs", 0)) for s in previous["sources"])
            return BuildReport(
                index_dir, len(docs), paras_n, chunks_n, 0, chunks_n, time.perf_counter() - t0,
                tuple(skipped), up_to_date=True, cleaned=cleaned,
            )  # fmt: skip

        paragraphs: list[Paragraph] = []
        chunks: list[Chunk] = []
        source_rows: list[dict[str, Any]] = []
        for doc in docs:
            paras = reconstruct(doc)
            doc_chunks = make_chunks(paras, settings, start_id=len(chunks))
            if not doc_chunks:
                skipped.append(SkippedSource(doc.path, "no text left after removing page clutter"))
                continue
            st = os.stat(doc.path)
            source_rows.append(
                {
                    "path": doc.path,
                    "name": doc.name,
                    "sha256": doc.sha256,
                    "bytes": st.st_size,
                    "mtime_ns": st.st_mtime_ns,
                    "encoding": doc.encoding,
                    "format": doc.format,
                    "paragraphs": len(paras),
                    "chunks": len(doc_chunks),
                    "first_chunk": len(chunks),
                    "title": paras[0].text if paras else doc.name,
                }
            )
            paragraphs.extend(paras)
            chunks.extend(doc_chunks)
        if not chunks:
            raise SourceError("every source was empty after reconstruction; check the files with `reportqa paragraphs`")

        texts = embed_texts(chunks, settings)
        reuse: dict[str, np.ndarray] = {}
        if compatible and not force and previous is not None:
            reuse = _reusable_vectors(index_dir, previous, settings)
        todo = [i for i, t in enumerate(texts) if t not in reuse]
        model: Embedder | None = embedder if isinstance(embedder, Embedder) else None
        dim = int(previous["embedder"]["dim"]) if (previous and compatible and not todo) else 0
        if todo or not dim:
            model = model or load_embedder(embedder if isinstance(embedder, str) else None)
            dim = model.dim
        vectors = np.empty((len(chunks), dim), dtype=np.float32)
        for i, t in enumerate(texts):
            if t in reuse:
                vectors[i] = reuse[t]
        if todo:
            assert model is not None
            done = 0

            def tick(n: int) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, len(todo))

            if progress is not None:
                progress(0, len(todo))
            vectors[todo] = model.embed_batched([texts[i] for i in todo], "passage", on_batch=tick)

        faiss_index, faiss_info = make_faiss_index(vectors)
        tmp = store.new_build_dir(index_dir)
        try:
            manifest: dict[str, Any] = {
                "schema_version": store.SCHEMA_VERSION,
                "reportqa_version": store.package_version(),
                "pipeline_version": PIPELINE_VERSION,
                "build_id": tmp.name.split(".tmp-", 1)[1],
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "embedder": {"id": embedder_id if model is None else model.id, "dim": dim, "normalized": True},
                "chunker": settings.to_json(),
                "faiss": faiss_info,
                "counts": {"documents": len(source_rows), "paragraphs": len(paragraphs), "chunks": len(chunks)},
                "sources": source_rows,
                "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
            }
            if model is not None and manifest["embedder"]["id"] != embedder_id:
                raise IndexMismatchError(f"embedder id changed while loading ({embedder_id} → {model.id})")
            store.write_index_files(tmp, manifest, chunks, paragraphs, vectors, faiss_index)
            store.swap_in(tmp, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return BuildReport(
            index_dir, len(source_rows), len(paragraphs), len(chunks), len(todo), len(chunks) - len(todo),
            time.perf_counter() - t0, tuple(skipped), cleaned=cleaned,
        )  # fmt: skip
