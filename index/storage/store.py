"""The on-disk index: a directory of plain files, written atomically and verified on load.

Layout of an index directory (no pickle anywhere)::

    manifest.json     schema, versions, embedder, chunker settings, sources (file identity), file checksums
    documents.jsonl   one Document per line (title, region, year, date, speaker, chunk and sentence ranges)
    figures.jsonl     one Figure per line: the targets and results each report states (:mod:`.figures`)
    index.faiss       the FAISS search structure over the chunk vectors (+ index.runs.npy: its row map)
    sentences.faiss   the FAISS search structure over the sentence vectors (+ sentences.runs.npy)
    vectors.npy       the chunk vectors themselves (reused by incremental builds)
    chunks.jsonl      one Chunk per line, row i ↔ vector i (``extra.period``: review/plan, when known)
    paragraphs.jsonl  every reconstructed paragraph of every document (for the report view)
    sentences.jsonl   every chunk's sentences as offsets into the chunk text, row i ↔ sentence vector i
    chunk_sentences.npy  where each chunk's sentences start (ids), for reading a chunk's sentences directly
    sentence_vectors.npy  the sentence vectors (dense search at sentence granularity)
    bm25.*            the keyword (BM25) index over chunk tokens, as written by ``bm25s`` (.npy + .json)

``--index-dir`` is a symlink to a versioned sibling directory (``.index.<build-id>``). A build writes a new
sibling and then atomically replaces the symlink, so readers always see one complete index: the old one or
the new one, never a mixture, and a failed build leaves the old one untouched (the lock, the swap and fsync
live in :mod:`.swap`, re-exported here).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.errors import IndexMismatchError, IndexMissingError
from reportqa.index.reading.sections import PLAN, REVIEW
from reportqa.index.reading.sentences import Sentence
from reportqa.index.records import Chunk, Document, Figure, Paragraph

from .bm25 import BM25_FILES, LexicalIndex
from .faiss_store import FaissStore, load_faiss_store
from .jsonl_rows import JsonlRows
from .manifest import Manifest
from .rowfile import save_npy
from .swap import build_lock as build_lock
from .swap import clean_stale_builds as clean_stale_builds
from .swap import fsync_dir as fsync_dir
from .swap import new_build_dir as new_build_dir
from .swap import swap_in as swap_in
from .swap import try_flock as try_flock
from .vectorstore import VectorStore

SCHEMA_VERSION = 5
"""4: two vector stores with row maps, chunk_sentences.npy, chunk_periods.npy (candidate search). 5: figures.jsonl."""
MANIFEST = "manifest.json"
CHUNK_STORE = "index"
SENTENCE_STORE = "sentences"
"""File stems of the two vector stores (:class:`~reportqa.index.storage.faiss_store.FaissStore`)."""
FAISS_FILE = f"{CHUNK_STORE}.faiss"
FAISS_RUNS_FILE = f"{CHUNK_STORE}.runs.npy"
SENTENCE_FAISS_FILE = f"{SENTENCE_STORE}.faiss"
SENTENCE_RUNS_FILE = f"{SENTENCE_STORE}.runs.npy"
VECTORS_FILE = "vectors.npy"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
FIGURES_FILE = "figures.jsonl"
PARAGRAPHS_FILE = "paragraphs.jsonl"
SENTENCES_FILE = "sentences.jsonl"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
CHUNK_PERIODS_FILE = "chunk_periods.npy"
"""int8 per chunk: +1 plan, −1 review, 0 unknown (``Chunk.extra["period"]``), for the retriever's period
adjustment without parsing the candidates' chunk rows."""
CHUNK_SENTENCES_FILE = "chunk_sentences.npy"
"""int64, one more entry than chunks: chunk c's sentences are ids ``[a[c], a[c + 1])`` (sentences are stored in
chunk order), so a question reads its candidates' sentences without parsing ``sentences.jsonl``."""
TOKENS_FILE = "tokens.jsonl"
"""Each chunk's keyword tokens (one JSON list per line): only read by the next build, which reuses the tokens
of unchanged documents instead of running jieba over them again."""
LEXICAL_FILES = tuple(BM25_FILES.values())
STORE_FILES = (FAISS_FILE, FAISS_RUNS_FILE, SENTENCE_FAISS_FILE, SENTENCE_RUNS_FILE)
DATA_FILES = (
    *STORE_FILES,
    VECTORS_FILE, CHUNKS_FILE, DOCUMENTS_FILE, FIGURES_FILE, PARAGRAPHS_FILE, SENTENCES_FILE, SENTENCE_VECTORS_FILE,
    CHUNK_SENTENCES_FILE, CHUNK_PERIODS_FILE, TOKENS_FILE,
    *LEXICAL_FILES,
)  # fmt: skip
DEFAULT_INDEX_DIR = Path(".reportqa") / "index"
PERIOD_SIGN = {PLAN: 1, REVIEW: -1}


def default_index_dir() -> Path:
    env = os.environ.get("REPORTQA_INDEX_DIR")
    return Path(env) if env else DEFAULT_INDEX_DIR


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reportqa")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


def sha256_file(path: Path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(bufsize):
            h.update(block)
    return h.hexdigest()


def build_command(index_dir: Path) -> str:
    """The command that (re)builds the index at ``index_dir``, for error messages."""
    default = default_index_dir()
    suffix = "" if Path(index_dir) == default else f" --index-dir {index_dir}"
    return f"reportqa build{suffix}"


@dataclass(frozen=True)
class LoadedIndex:
    """A verified index. Vectors and keyword postings are memory-mapped: pages are read when touched."""

    path: Path
    """The resolved, versioned directory that was read."""
    manifest: Manifest
    chunks: Sequence[Chunk]
    """Parsed when read (:class:`~reportqa.index.storage.jsonl_rows.JsonlRows`)."""
    paragraphs: Sequence[Paragraph]
    vectors: np.ndarray
    """Chunk vectors (row i ↔ chunk i), memory-mapped read-only."""
    chunk_store: VectorStore
    """Nearest-neighbour search over the chunk vectors (ids: chunk ids; documents: :func:`document_ranges`)."""
    sentence_store: VectorStore
    """Nearest-neighbour search over the sentence vectors (ids: sentence ids)."""
    sentences: Sequence[Sentence] = field(default_factory=list)
    """Every chunk's sentences, in chunk order; row i of :attr:`sentence_vectors`."""
    chunk_sentences: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    """Chunk c's sentences are ids ``[chunk_sentences[c], chunk_sentences[c + 1])``."""
    chunk_periods: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    """Per chunk: +1 plan, −1 review, 0 unknown."""
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.float32))
    """Memory-mapped read-only."""
    lexical: LexicalIndex | None = None
    """The BM25 index over the chunks (row i ↔ chunk i), postings memory-mapped."""
    documents: tuple[Document, ...] = ()
    """The document table (``documents.jsonl``): row i is the document with id i."""
    figures: tuple[Figure, ...] = ()
    """The targets and results the documents state (``figures.jsonl``), in document order; select with
    :func:`~reportqa.index.figures.extract.select_figures`."""

    @property
    def embedder_id(self) -> str:
        return self.manifest.embedder.id

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    def document(self, name: str) -> Document | None:
        """The document with display name ``name``, or None."""
        return next((d for d in self.documents if d.name == name), None)

    def document_of_chunk(self, chunk_id: int) -> Document | None:
        """The document chunk ``chunk_id`` belongs to (documents hold contiguous chunk ranges)."""
        import bisect

        i = bisect.bisect_right([d.first_chunk for d in self.documents], chunk_id) - 1
        return self.documents[i] if i >= 0 and chunk_id in self.documents[i].chunk_ids else None

    def document_paragraphs(self, document: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.document == document]


def chunk_sentence_starts(sentences: Sequence[Sentence], n_chunks: int) -> np.ndarray:
    """``a`` with chunk c's sentences at ids ``[a[c], a[c + 1])``; sentences must be numbered in chunk order."""
    owner = np.fromiter((s.chunk for s in sentences), dtype=np.int64, count=len(sentences))
    ids = np.fromiter((s.id for s in sentences), dtype=np.int64, count=len(sentences))
    if len(owner) and (np.any(np.diff(owner) < 0) or not np.array_equal(ids, np.arange(len(ids)))):
        raise ValueError("sentences must be numbered 0.. in chunk order")
    if len(owner) and not (owner[0] >= 0 and owner[-1] < n_chunks):
        raise ValueError("a sentence belongs to no chunk")
    return np.searchsorted(owner, np.arange(n_chunks + 1), side="left").astype(np.int64)


def document_chunk_ranges(documents: Sequence[Document]) -> np.ndarray:
    """``(first chunk, chunk count)`` of every document, row = document id.

    The one place that derives document id ranges (from the document table)."""
    rows = [(d.first_chunk, d.chunks) for d in documents]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def chunk_documents(documents: Sequence[Document], n_chunks: int) -> np.ndarray:
    """Document id of every chunk (int64, −1 for a chunk no document claims)."""
    out = np.full(n_chunks, -1, dtype=np.int64)
    for d, (first, count) in enumerate(document_chunk_ranges(documents)):
        out[first : first + count] = d
    return out


# ---------------------------------------------------------------------------------------------- writing


def _write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    """One JSON value per line, written as ``rows`` yields them (no second copy of the rows in memory)."""
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")


def save_vector_store(tmp: Path, vector_store: FaissStore) -> dict[str, Any]:
    """Write a chunk or sentence store's files into ``tmp``; returns its manifest entry."""
    stored = sorted(vector_store.save(tmp))
    expected = {CHUNK_STORE: [FAISS_FILE, FAISS_RUNS_FILE], SENTENCE_STORE: [SENTENCE_FAISS_FILE, SENTENCE_RUNS_FILE]}
    if stored != sorted(expected.get(vector_store.stem, [])):
        raise RuntimeError(f"the {vector_store.stem!r} vector store wrote {stored}")
    return vector_store.info


def save_lexical(tmp: Path, lexical: LexicalIndex) -> None:
    """Write the keyword index's files into ``tmp``."""
    written = lexical.save(tmp)
    if sorted(written) != sorted(LEXICAL_FILES):
        raise RuntimeError(f"bm25s wrote {sorted(written)}, expected {sorted(LEXICAL_FILES)}")


def write_index_files(
    tmp: Path,
    manifest: dict[str, Any],
    chunks: Sequence[Chunk],
    paragraphs: Sequence[Paragraph],
    vectors: np.ndarray,
    *,
    sentences: Sequence[Sentence],
    sentence_vectors: np.ndarray,
    tokens: Sequence[Sequence[str]],
    documents: Sequence[Document],
    figures: Sequence[Figure] = (),
) -> dict[str, Any]:
    """Write the remaining files of an index into ``tmp`` (the vector stores and the keyword index are
    already there: :func:`save_vector_store`, :func:`save_lexical`) and complete ``manifest`` with every
    file's checksum."""
    missing = [n for n in (*STORE_FILES, *LEXICAL_FILES) if not (tmp / n).is_file()]
    if missing:
        raise RuntimeError(f"the index files {missing} were not written before the others")
    save_npy(tmp / VECTORS_FILE, vectors)
    _write_jsonl(tmp / CHUNKS_FILE, (c.to_json() for c in chunks))
    _write_jsonl(tmp / DOCUMENTS_FILE, (d.to_json() for d in documents))
    _write_jsonl(tmp / FIGURES_FILE, (f.to_json() for f in figures))
    _write_jsonl(tmp / PARAGRAPHS_FILE, (_paragraph_row(p) for p in paragraphs))
    _write_jsonl(tmp / SENTENCES_FILE, (x.to_json() for x in sentences))
    np.save(tmp / CHUNK_SENTENCES_FILE, chunk_sentence_starts(sentences, len(chunks)), allow_pickle=False)
    periods = np.array([PERIOD_SIGN.get(str(c.extra.get("period")), 0) for c in chunks], dtype=np.int8)
    np.save(tmp / CHUNK_PERIODS_FILE, periods, allow_pickle=False)
    save_npy(tmp / SENTENCE_VECTORS_FILE, sentence_vectors)
    _write_jsonl(tmp / TOKENS_FILE, (list(t) for t in tokens))
    manifest = dict(manifest)
    manifest["files"] = {
        name: {"sha256": sha256_file(tmp / name), "bytes": (tmp / name).stat().st_size} for name in DATA_FILES
    }
    with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    for name in DATA_FILES:
        with open(tmp / name, "rb") as data:
            os.fsync(data.fileno())
    return manifest


def source_rows(documents: Sequence[Document]) -> list[dict[str, Any]]:
    """The manifest's ``sources``: each document's file identity (what the staleness check compares); the
    full records live in ``documents.jsonl``."""
    return [
        {"name": d.name, "path": d.path, "sha256": d.sha256, "bytes": d.bytes, "mtime_ns": d.mtime_ns}
        for d in documents
    ]


# ---------------------------------------------------------------------------------------------- reading


def _paragraph_row(p: Paragraph) -> dict[str, Any]:
    row = p.to_json()
    row["document"] = p.document
    row["level"] = p.level
    row["section_path"] = list(p.section)
    return row


def _paragraph_from_row(row: dict[str, Any]) -> Paragraph:
    return Paragraph(
        document=str(row["document"]),
        n=int(row["n"]),
        text=str(row["text"]),
        heading=bool(row["heading"]),
        level=int(row.get("level", 0)),
        section=tuple(str(s) for s in row.get("section_path", [])),
        lines=(int(row["lines"][0]), int(row["lines"][1])),
        notes=tuple(int(n) for n in row.get("notes", [])),
        page=int(row.get("page") or 0),
        confidence=float(row.get("confidence", 1.0)),
    )


_BUILD_DIR = re.compile(r"\.(.+)\.\d{8}T\d{6}-[0-9a-f]{8}")


def shown_index_dir(directory: Path) -> Path:
    """The name users know a versioned build directory by: ``idx`` for ``.idx.<build-id>`` when the ``idx``
    symlink points at it (messages must never tell anyone to rebuild into ``.idx.<build-id>``)."""
    m = _BUILD_DIR.fullmatch(directory.name)
    if m is not None:
        link = directory.parent / m.group(1)
        if link.is_symlink() and os.path.realpath(link) == os.path.realpath(directory):
            return link
    return directory


def read_manifest(index_dir: Path) -> Manifest:
    """Read and sanity-check ``manifest.json``; errors name the command that fixes the index."""
    real_dir = Path(index_dir)
    index_dir = shown_index_dir(real_dir)
    fix = build_command(index_dir)
    if not real_dir.exists():
        raise IndexMissingError(f"no index at {index_dir}; build one with `{fix}`")
    if not real_dir.is_dir():
        raise IndexMismatchError(f"{index_dir} is a file, not an index folder; move it away or pass another "
                                 "--index-dir")
    path = index_dir / MANIFEST
    if not (real_dir / MANIFEST).exists():
        raise IndexMismatchError(f"{index_dir} has no {MANIFEST}; it is not a reportqa index — run `{fix} --force`")
    try:
        manifest = json.loads((real_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise IndexMismatchError(f"{path} is unreadable ({e}); rebuild with `{fix} --force`") from e
    if not isinstance(manifest, dict) or "schema_version" not in manifest:
        raise IndexMismatchError(f"{path} is not a reportqa manifest; rebuild with `{fix} --force`")
    schema = manifest.get("schema_version")
    if schema != SCHEMA_VERSION:
        newer = isinstance(schema, int) and schema > SCHEMA_VERSION
        what = "a newer" if newer else "an older"
        raise IndexMismatchError(
            f"the index at {index_dir} uses {what} schema (v{schema}; this reportqa reads v{SCHEMA_VERSION}); "
            f"rebuild it with `{fix} --force`" + (" or upgrade reportqa" if newer else "")
        )
    for key in ("embedder", "chunker", "sources", "files", "build_id"):
        if key not in manifest:
            raise IndexMismatchError(f"{path} lacks '{key}'; rebuild with `{fix} --force`")
    try:
        return Manifest.from_json(manifest)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise IndexMismatchError(f"{path} has a malformed field ({type(e).__name__}: {e}); rebuild with "
                                 f"`{fix} --force`") from e


VERIFIED_FILE = "verified.json"
"""Written into an index folder after its data files passed a full checksum: each file's size, mtime and
inode then. A later load re-hashes only a file whose stat differs (not part of the index's data: deleting it
only costs one full check)."""


def _file_stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _read_stamps(index_dir: Path, manifest: Manifest) -> dict[str, Any]:
    try:
        stamps = json.loads((index_dir / VERIFIED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stamps, dict) or stamps.get("build_id") != manifest.build_id:
        return {}
    files = stamps.get("files")
    return files if isinstance(files, dict) else {}


def _write_stamps(index_dir: Path, manifest: Manifest, stamps: dict[str, list[int]]) -> None:
    tmp = index_dir / f".{VERIFIED_FILE}.{os.getpid()}"
    try:
        tmp.write_text(json.dumps({"build_id": manifest.build_id, "files": stamps}), encoding="utf-8")
        os.replace(tmp, index_dir / VERIFIED_FILE)
    except OSError:  # a read-only index: every load checks in full, which is only slower
        with contextlib.suppress(OSError):
            tmp.unlink()


def verify_files(index_dir: Path, manifest: Manifest, deep: bool = True, remember: bool = False) -> list[str]:
    """Problems with the data files: missing, wrong size, or (``deep``) wrong checksum. Empty when healthy.

    ``remember``: skip hashing a file whose size, mtime and inode are those it had when it last passed a full
    check here (:data:`VERIFIED_FILE`), and record the files that pass now. A file that was edited, replaced
    or truncated since has another stat and is hashed again; ``reportqa status`` always hashes everything."""
    problems = []
    files = manifest.files
    known = _read_stamps(index_dir, manifest) if remember and deep else {}
    passed: dict[str, list[int]] = {}
    for name in DATA_FILES:
        info = files.get(name)
        path = index_dir / name
        if info is None:
            problems.append(f"{name} is not listed in the manifest")
        elif not path.exists():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != info.get("bytes"):
            problems.append(f"{name} has {path.stat().st_size} bytes, the manifest says {info.get('bytes')}")
        elif deep:
            stamp = _file_stamp(path)
            if known.get(name) != stamp and sha256_file(path) != info.get("sha256"):
                problems.append(f"{name} does not match its checksum (edited or corrupted)")
            else:
                passed[name] = stamp
    if remember and deep and not problems and passed != known:
        _write_stamps(index_dir, manifest, passed)
    return problems


def source_changes(manifest: Manifest) -> list[str]:
    """Which recorded sources changed or vanished since the build (cheap: size+mtime first, then sha256)."""
    changes = []
    for src in manifest.sources:
        path = Path(src.path)
        try:
            st = path.stat()
        except OSError:
            changes.append(f"{src.name} is gone")
            continue
        if st.st_size == src.bytes and st.st_mtime_ns == src.mtime_ns:
            continue
        try:
            if sha256_file(path) != src.sha256:
                changes.append(f"{src.name} changed")
        except OSError:
            changes.append(f"{src.name} is unreadable")
    return changes


def load_index(
    index_dir: Path,
    embedder_id: str | None = None,
    check_sources: bool = True,
    deep: bool = True,
) -> LoadedIndex:
    """Load and verify the index at ``index_dir``.

    Refuses (with the command that fixes it) an index that is missing, was built by another embedder than
    ``embedder_id``, has a different schema, fails its checksums, or whose sources changed since the build.
    """
    index_dir = Path(index_dir)
    resolved = index_dir.resolve()
    manifest = read_manifest(resolved if resolved.exists() else index_dir)
    fix = build_command(index_dir)
    if embedder_id is not None and manifest.embedder.id != embedder_id:
        raise IndexMismatchError(
            f"the index at {index_dir} was built with embedder {manifest.embedder.id}, not {embedder_id}; "
            f"rebuild it with `{fix} --embedder …` or use the index's embedder"
        )
    problems = verify_files(resolved, manifest, deep=deep, remember=True)
    if problems:
        raise IndexMismatchError(f"the index at {index_dir} is damaged: {'; '.join(problems)}; run `{fix} --force`")
    if check_sources:
        changes = source_changes(manifest)
        if changes:
            raise IndexMismatchError(
                f"the index at {index_dir} is stale: {'; '.join(changes[:5])}"
                f"{' …' if len(changes) > 5 else ''}; run `{fix}` to update it"
            )
    try:
        chunks = JsonlRows(resolved / CHUNKS_FILE, Chunk.from_json)
        paragraphs = JsonlRows(resolved / PARAGRAPHS_FILE, _paragraph_from_row)
        vectors = np.load(resolved / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        chunk_store = load_faiss_store(resolved, CHUNK_STORE, dict(manifest.faiss))
        sentence_store = load_faiss_store(resolved, SENTENCE_STORE, dict(manifest.sentence_faiss))
        sentences = JsonlRows(resolved / SENTENCES_FILE, Sentence.from_json)
        chunk_sentences = np.load(resolved / CHUNK_SENTENCES_FILE, allow_pickle=False)
        chunk_periods = np.load(resolved / CHUNK_PERIODS_FILE, mmap_mode="r", allow_pickle=False)
        sentence_vectors = np.load(resolved / SENTENCE_VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        lexical = LexicalIndex.load(resolved, mmap=True)
        documents = tuple(Document.from_json(json.loads(line)) for line in _lines(resolved / DOCUMENTS_FILE))
        figures = read_figures_file(resolved / FIGURES_FILE)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, IndexError) as e:
        raise IndexMismatchError(f"the index at {index_dir} cannot be read ({e}); run `{fix} --force`") from e
    dim = manifest.embedder.dim
    if (
        vectors.ndim != 2
        or vectors.shape != (len(chunks), dim)
        or len(chunk_store) != len(chunks)
        or chunk_store.dim != dim
        or len(sentence_store) != len(sentences)
        or (len(sentences) > 0 and sentence_store.dim != dim)
        or sentence_vectors.shape != (len(sentences), dim)
        or lexical.num_docs != len(chunks)
        or chunk_sentences.shape != (len(chunks) + 1,)
        or chunk_periods.shape != (len(chunks),)
        or (len(chunks) > 0 and (int(chunk_sentences[0]) != 0 or int(chunk_sentences[-1]) != len(sentences)))
    ):
        raise IndexMismatchError(
            f"the index at {index_dir} is inconsistent ({len(chunks)} chunks, vectors {vectors.shape}, "
            f"chunk store {len(chunk_store)}×{chunk_store.dim}, {len(sentences)} sentences, sentence store "
            f"{len(sentence_store)}, sentence vectors "
            f"{sentence_vectors.shape}, keyword index over {lexical.num_docs}); run `{fix} --force`"
        )
    bad_table = _check_documents(documents, len(chunks), len(sentences)) or _check_figures(figures, documents)
    if bad_table is not None:
        raise IndexMismatchError(f"the index at {index_dir} is inconsistent ({bad_table}); run `{fix} --force`")
    return LoadedIndex(
        resolved, manifest, chunks, paragraphs, vectors, chunk_store, sentence_store, sentences, chunk_sentences,
        chunk_periods, sentence_vectors, lexical, documents, figures,
    )  # fmt: skip


def read_documents(index_dir: Path) -> tuple[Document, ...]:
    """The document table of the index at ``index_dir`` alone (for ``status``: no vectors loaded). Raises
    :class:`IndexMismatchError` when it cannot be read."""
    index_dir = Path(index_dir)
    try:
        return tuple(Document.from_json(json.loads(line)) for line in _lines(index_dir.resolve() / DOCUMENTS_FILE))
    except (OSError, ValueError, KeyError, TypeError) as e:
        fix = build_command(shown_index_dir(index_dir.resolve()))
        raise IndexMismatchError(f"the document table of {index_dir} cannot be read ({e}); run `{fix} --force`") from e


def read_figures(index_dir: Path) -> tuple[Figure, ...]:
    """The figures of the index at ``index_dir`` alone (for ``reportqa targets``: no vectors loaded), checked
    against the manifest's checksum. Raises :class:`IndexMissingError` / :class:`IndexMismatchError` with the
    command that fixes the index."""
    index_dir = Path(index_dir)
    resolved = index_dir.resolve()
    manifest = read_manifest(resolved if resolved.exists() else index_dir)
    fix = build_command(index_dir)
    info = manifest["files"].get(FIGURES_FILE)
    path = resolved / FIGURES_FILE
    if info is None or not path.exists() or sha256_file(path) != info.get("sha256"):
        raise IndexMismatchError(f"the figures of the index at {index_dir} are missing or damaged; run `{fix} --force`")
    try:
        return read_figures_file(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IndexMismatchError(f"the figures of {index_dir} cannot be read ({e}); run `{fix} --force`") from e


def read_figures_file(path: Path) -> tuple[Figure, ...]:
    """The figures stored in ``figures.jsonl`` at ``path``."""
    return tuple(Figure.from_json(json.loads(line)) for line in _lines(path))


def _check_figures(figures: Sequence[Figure], documents: Sequence[Document]) -> str | None:
    """What is wrong with the figures against the document table, or None."""
    for f in figures:
        if not (0 <= f.document_id < len(documents)) or documents[f.document_id].name != f.document:
            return f"figure {f.indicator} of {f.document!r} points at document row {f.document_id}"
    return None


def _check_documents(documents: Sequence[Document], chunks: int, sentences: int) -> str | None:
    """What is wrong with the document table against the chunk and sentence counts, or None."""
    next_chunk = next_sentence = 0
    for i, d in enumerate(documents):
        if d.id != i or d.first_chunk != next_chunk or d.first_sentence != next_sentence:
            return f"document {d.name!r} (row {i}) does not start where the previous one ends"
        next_chunk += d.chunks
        next_sentence += d.sentences
    if next_chunk != chunks or next_sentence != sentences:
        return f"the documents hold {next_chunk} chunks and {next_sentence} sentences, not {chunks} and {sentences}"
    return None


def read_tokens(index: LoadedIndex) -> list[list[str]] | None:
    """The stored keyword tokens of every chunk of a loaded index (None if they cannot be read or do not
    match its chunks)."""
    try:
        rows = [json.loads(line) for line in _lines(index.path / TOKENS_FILE)]
    except (OSError, ValueError):
        return None
    if len(rows) != len(index.chunks) or not all(isinstance(r, list) for r in rows):
        return None
    return [[str(t) for t in r] for r in rows]


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield line
