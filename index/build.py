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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import store
from .chunker import ChunkSettings, embed_texts, make_chunks
from .docmeta import assign_sentences, make_document, read_meta
from .embedders import Embedder, embedder_id_for, load_embedder
from .errors import IndexMismatchError, ReportQAError, SourceError, UsageError
from .faiss_store import FaissStore
from .lexical import LexicalIndex, init_jieba, tokenize
from .metaoverride import apply_override, override_for, read_table, unused_rows
from .paragraphs import reconstruct
from .readers import read_sources
from .records import Chunk, Document, Paragraph, SkippedSource, SourceText
from .sections import paragraph_periods
from .sentences import Sentence, sentence_spans

# Bump when paragraph reconstruction, chunking, sentence splitting, tokenisation or period inference changes
# in a way that changes what is stored.
PIPELINE_VERSION = 3

DERIVE_CHUNK_VECTORS = False
"""True: a chunk's vector is the length-weighted mean of its sentence vectors (renormalised) instead of an
embedding of the whole chunk, which halves the embedding work of a cold build. Measured on the seed
(bench/RESULTS-retrieval.md): see the comparison there; embedding chunks directly is kept as the default."""

LEXICAL_SECTION_CONTEXT = True
"""Index the chunk's section path with its text for keyword search (as the embedder also sees it)."""


def retrieval_settings() -> dict[str, Any]:
    """Recorded in the manifest: changing any of these means the stored vectors/tokens differ."""
    return {
        "sentence_vectors": True,
        "chunk_vectors": "derived" if DERIVE_CHUNK_VECTORS else "embedded",
        "lexical": {"tokenizer": "jieba-search+numbers", "bm25": "lucene", "section_context": LEXICAL_SECTION_CONTEXT},
    }

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
    sentences: int = 0
    """Sentences stored (each with its own vector)."""
    texts_embedded: int = 0
    """Distinct texts (chunks and sentences) sent to the embedder in this build."""


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
        and manifest.get("retrieval") == retrieval_settings()
    )


def _up_to_date(manifest: dict[str, Any], sources: Sequence[SourceText], skipped: Sequence[SkippedSource]) -> bool:
    recorded = sorted((s["name"], s["sha256"]) for s in manifest.get("sources", []))
    current = sorted((s.name, s.sha256) for s in sources)
    recorded_skips = sorted((s["path"], s["reason"]) for s in manifest.get("skipped", []))
    return recorded == current and recorded_skips == sorted((s.path, s.reason) for s in skipped)


@dataclass(frozen=True)
class _Previous:
    """What the previous build can give this one: vectors by embedding text, and each unchanged document's
    paragraphs, chunks and keyword tokens (keyed by document name and sha256)."""

    vectors: dict[str, np.ndarray]
    documents: dict[tuple[str, str], tuple[list[Paragraph], list[Chunk], list[list[str]], int | None]]


def _previous_build(index_dir: Path, manifest: dict[str, Any], settings: ChunkSettings) -> _Previous:
    """Read the previous build once (empty if it cannot be read cleanly: everything is then recomputed)."""
    try:
        old = store.load_index(index_dir, check_sources=False, deep=True)
    except ReportQAError:
        return _Previous({}, {})
    old_settings = ChunkSettings.from_json(manifest["chunker"])
    vectors: dict[str, np.ndarray] = {}
    for s in old.sentences:
        vectors[sentence_embed_text(old.chunks[s.chunk], s, old_settings)] = old.sentence_vectors[s.id]
    if manifest.get("retrieval", {}).get("chunk_vectors") != "derived":
        texts = embed_texts(old.chunks, old_settings)
        vectors.update({t: old.vectors[i] for i, t in enumerate(texts)})
    documents: dict[tuple[str, str], tuple[list[Paragraph], list[Chunk], list[list[str]], int | None]] = {}
    tokens = store.read_tokens(old)
    if tokens is not None:
        paras_by_doc: dict[str, list[Paragraph]] = {}
        for p in old.paragraphs:
            paras_by_doc.setdefault(p.document, []).append(p)
        for d in old.documents:
            first, count, name = d.first_chunk, d.chunks, d.name
            chunks = list(old.chunks[first : first + count])
            if len(chunks) != count or any(c.citation.document != name for c in chunks):
                continue
            documents[(name, d.sha256)] = (paras_by_doc.get(name, []), chunks, tokens[first : first + count], d.year)
    return _Previous(vectors, documents)


def make_sentences(chunks: Sequence[Chunk]) -> list[Sentence]:
    """Every chunk's sentences, numbered in chunk order (row of ``sentence_vectors.npy``)."""
    out: list[Sentence] = []
    for c in chunks:
        for a, b in sentence_spans(c.text) or [(0, len(c.text))]:
            out.append(Sentence(id=len(out), chunk=c.id, start=a, end=b))
    return out


def sentence_embed_text(chunk: Chunk, sentence: Sentence, settings: ChunkSettings) -> str:
    """What is embedded for a sentence: like its chunk, the section path then the sentence. A chunk of one
    sentence thus has the same embedding text as its sentence, and is embedded once."""
    text = chunk.text[sentence.start : sentence.end]
    if settings.context and chunk.citation.section:
        return f"{chunk.citation.section}\n{text}"
    return text


def lexical_text(chunk: Chunk) -> str:
    if LEXICAL_SECTION_CONTEXT and chunk.citation.section:
        return f"{chunk.citation.section}\n{chunk.text}"
    return chunk.text


def derive_chunk_vectors(chunks: Sequence[Chunk], sentences: Sequence[Sentence], svecs: np.ndarray) -> np.ndarray:
    """Length-weighted mean of each chunk's sentence vectors, L2-normalised."""
    out = np.zeros((len(chunks), svecs.shape[1]), dtype=np.float32)
    for s in sentences:
        out[s.chunk] += (s.end - s.start) * svecs[s.id]
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def with_periods(chunks: Sequence[Chunk], paragraphs: Sequence[Paragraph]) -> tuple[list[Chunk], int | None]:
    """The chunks with ``extra["period"]`` (review/plan) set where the section path says; and the report year."""
    year, periods = paragraph_periods(paragraphs)
    out = []
    for c in chunks:
        period = periods.get(c.citation.paragraph)
        out.append(replace(c, extra={**c.extra, "period": period}) if period else c)
    return out, year


def build_index(
    sources: Sequence[Path],
    index_dir: Path,
    embedder: str | Embedder | None = None,
    settings: ChunkSettings | None = None,
    force: bool = False,
    progress: Progress | None = None,
    meta: Path | None = None,
) -> BuildReport:
    """Build the index at ``index_dir`` from ``sources`` (files and folders).

    Raises :class:`SourceError` when no usable document is found, :class:`BuildLockedError` when another
    build holds the directory; in every failure the previous index stays in place. ``meta``: a table of
    document descriptions overriding what is read from the documents (:mod:`.metaoverride`).
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

        table = read_table(meta) if meta is not None else None
        if table and (unknown := unused_rows(table, [d.name for d in docs])):
            raise UsageError(f"--meta {meta} names {unknown[0]!r}, which is not among the documents found; "
                             "use the names `reportqa status` lists")  # fmt: skip
        overrides = {d.name: override_for(Path(d.path), d.name, table) for d in docs}
        overrides_json = {n: o.to_json() for n, o in overrides.items() if o is not None}
        previous = _previous_manifest(index_dir)
        compatible = previous is not None and _settings_match(previous, embedder_id, settings)
        if (compatible and not force and previous is not None and _up_to_date(previous, docs, skipped)
                and previous.get("overrides", {}) == overrides_json):  # fmt: skip
            chunks_n = int(previous.get("counts", {}).get("chunks", 0))
            paras_n = int(previous.get("counts", {}).get("paragraphs", 0))
            return BuildReport(
                index_dir, len(docs), paras_n, chunks_n, 0, chunks_n, time.perf_counter() - t0,
                tuple(skipped), up_to_date=True, cleaned=cleaned,
            )  # fmt: skip

        prev = _Previous({}, {})
        if compatible and not force and previous is not None:
            prev = _previous_build(index_dir, previous, settings)
        paragraphs: list[Paragraph] = []
        chunks: list[Chunk] = []
        tokens: list[list[str]] = []
        documents: list[Document] = []
        init_jieba()
        for doc in docs:
            same = prev.documents.get((doc.name, doc.sha256))
            paras = same[0] if same is not None else reconstruct(doc)
            info = apply_override(read_meta(doc.name, doc.text, paras), overrides[doc.name])
            region, year = (info.region.name if info.region else ""), info.year
            if same is not None:  # unchanged since the last build: no reconstruction, no tokenising
                _, old_chunks, doc_tokens, _ = same
                doc_chunks = [replace(c, id=len(chunks) + i, citation=replace(c.citation, region=region, year=year))
                              for i, c in enumerate(old_chunks)]  # fmt: skip
            else:
                doc_chunks, _ = with_periods(make_chunks(paras, settings, len(chunks), region, year), paras)
                doc_tokens = [tokenize(lexical_text(c)) for c in doc_chunks]
            if not doc_chunks:
                skipped.append(SkippedSource(doc.path, "no text left after removing page clutter"))
                continue
            try:
                st = os.stat(doc.path)
            except OSError as e:  # vanished or became unreadable after it was read: skip, never abort
                skipped.append(SkippedSource(doc.path, f"disappeared while building ({e.strerror or e}) — "
                                             "run the build again once the file is back"))
                continue
            documents.append(make_document(
                len(documents), doc, info, bytes=st.st_size, mtime_ns=st.st_mtime_ns,
                paragraphs=len(paras), chunks=len(doc_chunks), first_chunk=len(chunks),
            ))  # fmt: skip
            paragraphs.extend(paras)
            chunks.extend(doc_chunks)
            tokens.extend(doc_tokens)
        if not chunks:
            raise SourceError("every source was empty after reconstruction; check the files with `reportqa paragraphs`")

        sentences = make_sentences(chunks)
        documents = assign_sentences(documents, sentences)
        chunk_texts = embed_texts(chunks, settings)
        sentence_texts = [sentence_embed_text(chunks[s.chunk], s, settings) for s in sentences]
        lexical = LexicalIndex.build(tokens)
        reuse = prev.vectors
        wanted = list(sentence_texts) if DERIVE_CHUNK_VECTORS else [*chunk_texts, *sentence_texts]
        todo: list[str] = list(dict.fromkeys(t for t in wanted if t not in reuse))
        model: Embedder | None = embedder if isinstance(embedder, Embedder) else None
        dim = int(previous["embedder"]["dim"]) if (previous and compatible and not todo) else 0
        if todo or not dim:
            model = model or load_embedder(embedder if isinstance(embedder, str) else None)
            dim = model.dim
        fresh: dict[str, np.ndarray] = {}
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
            computed = model.embed_batched(todo, "passage", on_batch=tick)
            fresh = {t: computed[i] for i, t in enumerate(todo)}

        def vector(t: str) -> np.ndarray:
            return fresh[t] if t in fresh else reuse[t]

        sentence_vectors = np.empty((len(sentences), dim), dtype=np.float32)
        for s in sentences:
            sentence_vectors[s.id] = vector(sentence_texts[s.id])
        if DERIVE_CHUNK_VECTORS:
            vectors = derive_chunk_vectors(chunks, sentences, sentence_vectors)
            changed = {s.chunk for s in sentences if sentence_texts[s.id] in fresh}
            embedded_chunks = len(changed)
        else:
            vectors = np.empty((len(chunks), dim), dtype=np.float32)
            for i, t in enumerate(chunk_texts):
                vectors[i] = vector(t)
            embedded_chunks = sum(1 for t in chunk_texts if t in fresh)

        chunk_docs = store.chunk_documents(documents, len(chunks))
        chunk_store = FaissStore.build(vectors, chunk_docs, stem=store.CHUNK_STORE)
        sentence_docs = chunk_docs[np.array([s.chunk for s in sentences], dtype=np.int64)]
        sentence_store = FaissStore.build(sentence_vectors, sentence_docs, stem=store.SENTENCE_STORE)
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
                "retrieval": retrieval_settings(),
                "faiss": chunk_store.info,
                "sentence_faiss": sentence_store.info,
                "counts": {
                    "documents": len(documents),
                    "paragraphs": len(paragraphs),
                    "chunks": len(chunks),
                    "sentences": len(sentences),
                },
                "sources": store.source_rows(documents),
                "overrides": overrides_json,
                "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
            }
            if model is not None and manifest["embedder"]["id"] != embedder_id:
                raise IndexMismatchError(f"embedder id changed while loading ({embedder_id} → {model.id})")
            store.write_index_files(
                tmp, manifest, chunks, paragraphs, vectors, chunk_store, sentence_store=sentence_store,
                sentences=sentences, sentence_vectors=sentence_vectors, lexical=lexical, tokens=tokens,
                documents=documents,
            )  # fmt: skip
            store.swap_in(tmp, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return BuildReport(
            index_dir, len(documents), len(paragraphs), len(chunks), embedded_chunks, len(chunks) - embedded_chunks,
            time.perf_counter() - t0, tuple(skipped), cleaned=cleaned, sentences=len(sentences),
            texts_embedded=len(todo),
        )  # fmt: skip
