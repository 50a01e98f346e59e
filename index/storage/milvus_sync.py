"""Put a built index's vectors into Milvus, touching only the reports that changed.

Called once after a build (``reportqa build --store milvus:URI``): the local index stays the record of what
the library holds (manifest: embedder, settings, sources and their hashes); Milvus gets the chunk and sentence
vectors with their scalar fields. Rows are keyed by document key (:func:`.milvus_store.document_key`), so
a report whose bytes did not change keeps its rows even when its ids moved; the rows of changed and removed
reports are deleted, new reports' rows inserted. The id ↔ key spans of the build are written next to the
index (``<index>.milvus.json``) for the query side (:func:`open_stores`).
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from reportqa.index.errors import IndexMismatchError
from reportqa.index.records import Document

from .milvus_store import DocSpan, MilvusStore, RowMeta, StoreSpec, collection_base, connect, document_key
from .store import LoadedIndex, build_command


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    collection: str
    """Base name of the two collections (``<base>_chunks``, ``<base>_sentences``)."""
    kept: int
    """Reports whose rows were already there and were not touched."""
    added: int
    """Reports whose rows were inserted."""
    removed: int
    """Reports (changed or gone) whose rows were deleted."""
    rows_added: int
    rows_removed: int


def descriptor_path(index_dir: Path) -> Path:
    """``<index>.milvus.json`` beside the index directory (the index itself is swapped whole by every build)."""
    index_dir = Path(index_dir)
    return index_dir.parent / f"{index_dir.name}.milvus.json"


def _fix(index_dir: Path, spec: StoreSpec) -> str:
    return f"{build_command(index_dir)} --store {spec.label()} --force"


def _documents(index: LoadedIndex) -> list[tuple[DocSpan, DocSpan, Document]]:
    """Per document of the index's table: its chunk span, its sentence span and the Document itself."""
    out = []
    for doc in index.documents:
        key = document_key(doc.name, doc.sha256)
        out.append((DocSpan(doc.id, key, doc.first_chunk), DocSpan(doc.id, key, doc.first_sentence), doc))
    return out


def sync_index(index: LoadedIndex, index_dir: Path, spec: StoreSpec, force: bool = False) -> SyncReport:
    """Make the Milvus collections of ``index_dir`` hold exactly ``index``'s vectors (``force``: drop and
    refill them)."""
    embedder = index.embedder_id
    dim = index.manifest.embedder.dim
    base = collection_base(index_dir)
    fix = _fix(index_dir, spec)
    docs = _documents(index)
    stores: list[MilvusStore] = []
    for kind, keyword in (("chunks", True), ("sentences", False)):
        name = f"{base}_{kind}"
        if force and connect(spec).has_collection(name):
            connect(spec).drop_collection(name)
        stores.append(MilvusStore.open(spec, name, dim, embedder, keyword=keyword, create=True, fix=fix))
    chunks_store, sentences_store = stores
    chunks_store.set_spans([c for c, _, _ in docs])
    sentences_store.set_spans([s for _, s, _ in docs])
    wanted = {c.key for c, _, _ in docs}
    present = chunks_store.present_keys() & sentences_store.present_keys()
    stale = sorted((chunks_store.present_keys() | sentences_store.present_keys()) - (wanted & present))
    rows_removed = chunks_store.delete_keys(stale) + sentences_store.delete_keys(stale)
    rows_added = 0
    added = 0
    for cspan, sspan, doc in docs:
        if cspan.key in present:
            continue
        added += 1
        region = doc.region
        year = doc.year
        ids = np.arange(doc.first_chunk, doc.first_chunk + doc.chunks, dtype=np.int64)
        metas = [RowMeta(index.chunks[int(i)].text, region, year, index.chunks[int(i)].citation.section) for i in ids]
        chunks_store.add(ids, index.vectors[ids], np.full(len(ids), cspan.id), metas)
        sids = np.arange(doc.first_sentence, doc.first_sentence + doc.sentences, dtype=np.int64)
        smeta = []
        for s in sids:
            sent = index.sentences[int(s)]
            chunk = index.chunks[sent.chunk]
            smeta.append(RowMeta(chunk.text[sent.start : sent.end], region, year, chunk.citation.section))
        sentences_store.add(sids, index.sentence_vectors[sids], np.full(len(sids), sspan.id), smeta)
        rows_added += len(ids) + len(sids)
    if rows_added or rows_removed:
        chunks_store.flush()
        sentences_store.flush()
    _write_descriptor(index_dir, spec, index, base, chunks_store, sentences_store)
    return SyncReport(base, len(docs) - added, added, len(stale), rows_added, rows_removed)


def _write_descriptor(
    index_dir: Path, spec: StoreSpec, index: LoadedIndex, base: str, chunks: MilvusStore, sentences: MilvusStore
) -> None:
    desc = {
        "store": spec.label(), "collection": base, "build_id": index.build_id, "embedder": index.embedder_id,
        "dim": chunks.dim, "chunks": [[s.id, s.key, s.first] for s in chunks.spans],
        "sentences": [[s.id, s.key, s.first] for s in sentences.spans],
    }  # fmt: skip
    path = descriptor_path(index_dir)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def open_stores(index: LoadedIndex, index_dir: Path, spec: StoreSpec) -> tuple[MilvusStore, MilvusStore]:
    """The (chunk, sentence) stores of ``index`` in Milvus, for the query path. Refuses a store synced from
    another build, embedder or schema with the command that fixes it."""
    fix = f"{build_command(index_dir)} --store {spec.label()}"
    path = descriptor_path(index_dir)
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexMismatchError(f"the index at {index_dir} has no Milvus store record ({e}); run `{fix}`") from e
    if desc.get("build_id") != index.build_id or desc.get("store") != spec.label():
        raise IndexMismatchError(
            f"Milvus ({desc.get('store')}) holds build {desc.get('build_id')}, the index at {index_dir} is build "
            f"{index.build_id}; run `{fix}` to bring Milvus up to date"
        )
    dim = index.manifest.embedder.dim
    out = []
    for kind, keyword in (("chunks", True), ("sentences", False)):
        store = MilvusStore.open(spec, f"{desc['collection']}_{kind}", dim, index.embedder_id, keyword=keyword,
                                 create=False, fix=fix)  # fmt: skip
        store.set_spans([DocSpan(int(i), str(k), int(f)) for i, k, f in desc[kind]])
        out.append(store)
    return out[0], out[1]


def with_store(index: LoadedIndex, index_dir: Path, spec: StoreSpec | None) -> LoadedIndex:
    """``index`` searching through the store ``spec`` names: unchanged for FAISS (or None), else the same index
    with its chunk and sentence stores swapped for the Milvus collections synced from it (:func:`open_stores`).
    Text, documents and the keyword index stay local: the manifest remains the record of what is indexed."""
    if spec is None or spec.kind != "milvus":
        return index
    chunk_store, sentence_store = open_stores(index, index_dir, spec)
    return dataclasses.replace(index, chunk_store=chunk_store, sentence_store=sentence_store)


def store_key(index_dir: Path, spec: StoreSpec | None) -> str:
    """Changes whenever a sync rewrites Milvus's record for ``index_dir`` (``""`` for FAISS): a server following
    rebuilds reloads after the sync that follows a build, not only after the build itself."""
    if spec is None or spec.kind != "milvus":
        return ""
    try:
        return f"#milvus@{descriptor_path(index_dir).stat().st_mtime_ns}"
    except OSError:
        return "#milvus@none"
