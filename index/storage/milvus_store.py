"""The Milvus :class:`~reportqa.index.storage.vectorstore.VectorStore`: the same seam as FAISS, beyond one machine.

``--store milvus:URI`` (or ``REPORTQA_STORE``) puts an index's vectors into Milvus instead of FAISS. ``URI`` is
a Milvus server or cluster (``http://host:19530``; the token, if any, is read from ``MILVUS_TOKEN``) or a local
Milvus Lite path ending in ``.db`` (``milvus:./lib.db``; for tests and small local use only).

Layout: **two collections per index**, ``<base>_chunks`` and ``<base>_sentences``. One collection with a
``kind`` field was rejected because (1) chunk and sentence ids overlap, (2) Milvus's BM25 statistics (document
frequencies, mean length) are per collection, and sentences repeat their passage's words, so a shared
collection would skew the passages' keyword scores, and (3) every search would carry an extra ``kind`` filter.

Every row holds: ``pk`` (``<document key>:<offset>``), ``doc_key``, ``offset`` (row id minus the document's
first id), the dense vector (``HNSW``, inner product), and the scalar fields ``document`` (id at write time),
``region``, ``year``, ``section`` and ``text``. The chunk collection adds Milvus's own BM25 function over
``text`` with the ``jieba`` tokenizer (search mode, reportqa's stop words) into a sparse field, so
:meth:`MilvusStore.hybrid_search` fuses dense and BM25 inside Milvus with an explicit ``RRFRanker(k)``.

Rows are keyed by **document key** (a hash of the report's name and content), not by the position-dependent
ids of one build: an incremental rebuild (:func:`sync_documents`) deletes the rows of changed or removed
reports and inserts only the new ones; unchanged reports are not touched even when their ids shift. The
store maps the current build's ids to keys with :class:`DocSpan` rows (saved in ``<stem>.milvus.json``).

Collections carry properties ``reportqa.embedder``, ``reportqa.dim`` and ``reportqa.schema``; opening one made
with another embedder or schema is refused with the command that fixes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.errors import IndexMismatchError, StorageError, StoreLockedError, UsageError
from reportqa.index.records import DocFilter
from reportqa.index.text.tokens import CN_STOPWORDS, EN_STOPWORDS

from .store import try_flock
from .vectorstore import VectorHits

STORE_SCHEMA = 1
"""Bump when the collection layout changes: collections of another schema are refused."""
ENV_STORE = "REPORTQA_STORE"
ENV_TOKEN = "MILVUS_TOKEN"
TEXT_MAX = 16_384
"""VARCHAR capacity of ``text`` in bytes (UTF-8: a Chinese character takes 3); longer text is cut for BM25."""
HNSW_PARAMS = {"M": 32, "efConstruction": 40}
"""The same graph as FAISS's HNSW (:mod:`.vectorindex`)."""
EF_MIN = 128
INSERT_BATCH = 1_000
IN_LIST_MAX = 10_000
"""Longest ``doc_key in [...]`` list sent in one expression (delete batches are cut at this size)."""
QUERY_MAX = 16_384
"""Milvus caps one query's answer (offset + limit) at this many rows."""
DEFAULT_RRF_K = 60


@dataclass(frozen=True)
class StoreSpec:
    """Where vectors live: ``faiss`` (in the index directory, the default) or ``milvus`` at ``uri``."""

    kind: str
    uri: str = ""

    @property
    def local(self) -> bool:
        """True for a Milvus Lite database file (one process at a time)."""
        return self.kind == "milvus" and not re.match(r"^[a-z][a-z0-9+.-]*://", self.uri)

    def label(self) -> str:
        return "faiss" if self.kind == "faiss" else f"milvus:{self.uri}"


def parse_store_spec(text: str | None) -> StoreSpec:
    """``faiss``, ``milvus:http://host:19530`` or ``milvus:./lib.db``; ``None``/empty reads ``REPORTQA_STORE``."""
    text = (text or os.environ.get(ENV_STORE, "") or "faiss").strip()
    if text == "faiss":
        return StoreSpec("faiss")
    if text.startswith("milvus:") and text[len("milvus:") :].strip():
        uri = text[len("milvus:") :].strip()
        spec = StoreSpec("milvus", uri)
        if spec.local and not uri.endswith(".db"):
            raise UsageError(f"a Milvus Lite path must end in .db (got {uri!r}); use --store milvus:./library.db")
        if not spec.local and not re.match(r"^(https?|tcp|grpc)://", uri):
            raise UsageError(f"unsupported Milvus address {uri!r}; use --store milvus:http://host:19530")
        return spec
    raise UsageError(f"unknown store {text!r}; use --store faiss, --store milvus:http://host:19530 or "
                     "--store milvus:./library.db")  # fmt: skip


def collection_base(index_dir: Path) -> str:
    """``rq_<index name>_<8 hex of its absolute path>``: one pair of collections per index directory."""
    path = os.path.abspath(index_dir)
    name = re.sub(r"[^A-Za-z0-9_]", "_", Path(path).name)[:40] or "index"
    return f"rq_{name}_{hashlib.sha256(path.encode()).hexdigest()[:8]}"


def document_key(name: str, sha256: str) -> str:
    """A report's key in Milvus: the same name with the same bytes gives the same key in every build."""
    return hashlib.sha256(f"{name}\0{sha256}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class DocSpan:
    """One document of the current build: its id, its Milvus key and the first row id of its rows."""

    id: int
    key: str
    first: int


@dataclass(frozen=True)
class RowMeta:
    """Scalar fields stored with one row (filters and keyword search use them; search returns only ids)."""

    text: str = ""
    region: str = ""
    year: int | None = None
    section: str = ""


# ---------------------------------------------------------------------------------------------- connecting


def _pymilvus() -> Any:
    try:
        import pymilvus
    except ImportError as e:
        raise UsageError("the Milvus store needs the optional dependencies: pip install 'reportqa[milvus]'") from e
    return pymilvus


@contextlib.contextmanager
def _lite_lock_probe(path: Path) -> Iterator[None]:
    """Refuse a Milvus Lite database that another process has open (Lite holds ``<db>/LOCK`` while open)."""
    if not path.exists():
        yield
        return
    fd = os.open(path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not try_flock(fd):
            raise StoreLockedError(
                f"the Milvus Lite database {path} is open in another process (Milvus Lite allows one process at "
                "a time); stop that process (e.g. `reportqa serve`) and run the command again, or use a Milvus "
                "server (--store milvus:http://host:19530) for concurrent use"
            )
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    yield


_OPEN_LITE: dict[str, Any] = {}


def connect(spec: StoreSpec) -> Any:
    """A ``MilvusClient`` for ``spec`` (a Lite database is opened once per process and shared)."""
    pymilvus = _pymilvus()
    if spec.local:
        path = Path(spec.uri).expanduser().resolve()
        if str(path) in _OPEN_LITE:
            return _OPEN_LITE[str(path)]
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path} is not a Milvus Lite database; give a new .db path")
        with _lite_lock_probe(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            client = pymilvus.MilvusClient(str(path))
        except Exception as e:  # pymilvus wraps Lite's start failure in a generic error
            with _lite_lock_probe(path):
                pass  # a process that opened it in the meantime: the clear message
            raise StorageError(f"cannot open the Milvus Lite database {path} ({e}); check the path") from e
        _OPEN_LITE[str(path)] = client
        return client
    try:
        return pymilvus.MilvusClient(uri=spec.uri, token=os.environ.get(ENV_TOKEN, ""), timeout=30)
    except Exception as e:
        raise StorageError(
            f"cannot reach Milvus at {spec.uri} ({e}); start it or check the address, and set {ENV_TOKEN} when "
            "the server has authentication enabled"
        ) from e


def analyzer_params() -> dict[str, Any]:
    """jieba in search mode (long compounds also yield their parts, as :mod:`.lexical` does), reportqa's stop
    words removed."""
    return {
        "tokenizer": {"type": "jieba", "mode": "search"},
        "filter": [{"type": "stop", "stop_words": sorted(CN_STOPWORDS | EN_STOPWORDS)}],
    }


# ---------------------------------------------------------------------------------------------- the store


class MilvusStore:
    """One Milvus collection of vectors (chunks or sentences) behind the :class:`VectorStore` protocol."""

    def __init__(
        self, client: Any, collection: str, dim: int, *, uri: str = "", keyword: bool = False,
        spans: Sequence[DocSpan] | None = None,
    ) -> None:  # fmt: skip
        self.client = client
        self.collection = collection
        self.uri = uri
        self.keyword = keyword
        """True when the collection has the BM25 sparse field (the chunk collection)."""
        self._dim = int(dim)
        self.set_spans(spans or ())

    # ------------------------------------------------------------------------------------------ creating

    @classmethod
    def open(
        cls, spec: StoreSpec, collection: str, dim: int, embedder_id: str, *, keyword: bool,
        create: bool, fix: str,
    ) -> MilvusStore:  # fmt: skip
        """Open ``collection`` (creating it when ``create``), refusing one made for another embedder or schema;
        ``fix`` is the command named in the refusal."""
        client = connect(spec)
        want = {"reportqa.embedder": embedder_id, "reportqa.dim": str(dim), "reportqa.schema": str(STORE_SCHEMA),
                "reportqa.keyword": str(keyword).lower()}  # fmt: skip
        if client.has_collection(collection):
            props = client.describe_collection(collection).get("properties", {}) or {}
            wrong = {k: props.get(k) for k, v in want.items() if str(props.get(k)) != v}
            if wrong:
                have = ", ".join(f"{k.split('.', 1)[1]}={v}" for k, v in wrong.items())
                raise IndexMismatchError(
                    f"the Milvus collection {collection} at {spec.uri} was built differently ({have}; this index "
                    f"needs embedder {embedder_id}, dim {dim}, store schema v{STORE_SCHEMA}); rebuild it with `{fix}`"
                )
        elif create:
            cls._create(client, collection, dim, keyword, want)
        else:
            raise IndexMismatchError(f"the Milvus collection {collection} does not exist at {spec.uri}; "
                                     f"build it with `{fix}`")  # fmt: skip
        client.load_collection(collection)
        return cls(client, collection, dim, uri=spec.uri, keyword=keyword)

    @staticmethod
    def _create(client: Any, collection: str, dim: int, keyword: bool, properties: dict[str, str]) -> None:
        pymilvus = _pymilvus()
        dt = pymilvus.DataType
        schema = pymilvus.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", dt.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("doc_key", dt.VARCHAR, max_length=32)
        schema.add_field("offset", dt.INT64)
        schema.add_field("document", dt.INT64)
        schema.add_field("region", dt.VARCHAR, max_length=64)
        schema.add_field("year", dt.INT64, nullable=True)
        schema.add_field("section", dt.VARCHAR, max_length=1024)
        text_opts: dict[str, Any] = {"enable_analyzer": True, "analyzer_params": analyzer_params()} if keyword else {}
        schema.add_field("text", dt.VARCHAR, max_length=TEXT_MAX, **text_opts)
        schema.add_field("dense", dt.FLOAT_VECTOR, dim=dim)
        index = client.prepare_index_params()
        index.add_index(field_name="dense", index_type="HNSW", metric_type="IP", params=dict(HNSW_PARAMS))
        index.add_index(field_name="doc_key", index_type="INVERTED")
        if keyword:
            schema.add_field("sparse", dt.SPARSE_FLOAT_VECTOR)
            schema.add_function(pymilvus.Function(
                name="bm25", function_type=pymilvus.FunctionType.BM25,
                input_field_names=["text"], output_field_names=["sparse"],
            ))  # fmt: skip
            index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        client.create_collection(collection, schema=schema, index_params=index, properties=properties)

    # ------------------------------------------------------------------------------------------ id mapping

    def set_spans(self, spans: Sequence[DocSpan]) -> None:
        """The current build's documents. Without spans a document ``d`` is keyed ``d<d>`` with first id 0
        (row ids are then stored as they are: the plain protocol use)."""
        self.spans = list(spans)
        self._by_id = {s.id: s for s in self.spans}
        self._by_key = {s.key: s for s in self.spans}

    def _span(self, document: int) -> DocSpan:
        span = self._by_id.get(int(document))
        return span if span is not None else DocSpan(int(document), f"d{int(document)}", 0)

    def _id_of(self, key: str, offset: int) -> int | None:
        span = self._by_key.get(key)
        if span is not None:
            return span.first + offset
        if not self._by_key and key.startswith("d"):
            return offset
        return None  # a row of a report this build does not hold (left by an interrupted sync)

    def _keys_expr(self, documents: Collection[int]) -> str:
        keys = sorted({self._span(d).key for d in documents})
        return "doc_key in [" + ", ".join(json.dumps(k) for k in keys) + "]"

    # ------------------------------------------------------------------------------------------ protocol

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        rows = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def add(
        self, ids: np.ndarray, vectors: np.ndarray, documents: np.ndarray, meta: Sequence[RowMeta] | None = None
    ) -> None:
        """Insert rows (upsert: a row with the same document key and offset is replaced)."""
        vectors = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        if len(vectors) == 0:
            return
        if vectors.shape[1] != self.dim or len(ids) != len(vectors) or len(documents) != len(vectors):
            raise ValueError(f"add needs one id and document per row of dimension {self.dim}")
        if meta is not None and len(meta) != len(vectors):
            raise ValueError("add needs one RowMeta per row")
        empty = RowMeta()
        for a in range(0, len(vectors), INSERT_BATCH):
            rows = []
            for i in range(a, min(a + INSERT_BATCH, len(vectors))):
                span = self._span(int(documents[i]))
                m = meta[i] if meta is not None else empty
                offset = int(ids[i]) - span.first
                rows.append({
                    "pk": f"{span.key}:{offset}", "doc_key": span.key, "offset": offset, "document": span.id,
                    "region": m.region[:60], "year": m.year, "section": _cut(m.section, 1024),
                    "text": _cut(m.text, TEXT_MAX), "dense": vectors[i].tolist(),
                })  # fmt: skip
            self.client.upsert(self.collection, rows)

    def flush(self) -> None:
        """Seal what was written so Milvus builds its indexes over it (until then new rows are searched by
        brute force, in Lite by Python code); call after a bulk insert."""
        self.client.flush(self.collection)

    def delete_documents(self, documents: Collection[int]) -> int:
        return self.delete_keys([self._span(d).key for d in documents])

    def delete_keys(self, keys: Sequence[str]) -> int:
        """Remove every row of these document keys; returns how many rows went."""
        gone = 0
        keys = sorted(set(keys))
        for a in range(0, len(keys), IN_LIST_MAX):
            expr = "doc_key in [" + ", ".join(json.dumps(k) for k in keys[a : a + IN_LIST_MAX]) + "]"
            before = self._count(expr)
            if before:
                self.client.delete(self.collection, filter=expr)
            gone += before
        return gone

    def _count(self, expr: str) -> int:
        rows = self.client.query(self.collection, filter=expr, output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def search(self, query: np.ndarray, k: int, documents: DocFilter | None = None) -> VectorHits:
        if k <= 0 or (documents is not None and not documents):
            return _empty()
        q = np.asarray(query, dtype=np.float32).reshape(-1).tolist()
        res = self.client.search(
            self.collection, data=[q], anns_field="dense", limit=int(k), output_fields=["doc_key", "offset"],
            filter=self._keys_expr(documents) if documents is not None else "",
            search_params={"metric_type": "IP", "params": {"ef": max(EF_MIN, int(k))}},
        )  # fmt: skip
        return self._hits(res[0] if res else [])

    def hybrid_search(
        self, query: np.ndarray, text: str, k: int, documents: DocFilter | None = None, rrf_k: int = DEFAULT_RRF_K,
        depth: int | None = None,
    ) -> VectorHits:  # fmt: skip
        """Dense search fused with Milvus's BM25 over ``text`` by reciprocal rank (``RRFRanker(rrf_k)``), each
        side searched ``depth`` deep (default ``k``). Scores are RRF scores, not cosines."""
        if not self.keyword:
            raise ValueError(f"{self.collection} has no keyword field (only the chunk collection has)")
        if k <= 0 or (documents is not None and not documents):
            return _empty()
        pymilvus = _pymilvus()
        expr = self._keys_expr(documents) if documents is not None else ""
        n = max(int(depth or k), int(k))
        dense = pymilvus.AnnSearchRequest(
            data=[np.asarray(query, dtype=np.float32).reshape(-1).tolist()], anns_field="dense",
            param={"metric_type": "IP", "params": {"ef": max(EF_MIN, n)}}, limit=n, expr=expr,
        )  # fmt: skip
        sparse = pymilvus.AnnSearchRequest(data=[text], anns_field="sparse", param={"metric_type": "BM25"},
                                           limit=n, expr=expr)  # fmt: skip
        res = self.client.hybrid_search(
            self.collection, [dense, sparse], ranker=pymilvus.RRFRanker(int(rrf_k)), limit=int(k),
            output_fields=["doc_key", "offset"],
        )  # fmt: skip
        return self._hits(res[0] if res else [])

    def keyword_search(self, text: str, k: int, documents: DocFilter | None = None) -> VectorHits:
        """Milvus's BM25 alone (scores are Milvus's, comparable only within one result list)."""
        if not self.keyword:
            raise ValueError(f"{self.collection} has no keyword field (only the chunk collection has)")
        if k <= 0 or (documents is not None and not documents):
            return _empty()
        res = self.client.search(
            self.collection, data=[text], anns_field="sparse", limit=int(k), output_fields=["doc_key", "offset"],
            filter=self._keys_expr(documents) if documents is not None else "", search_params={"metric_type": "BM25"},
        )  # fmt: skip
        return self._hits(res[0] if res else [])

    def _hits(self, rows: Sequence[dict[str, Any]]) -> VectorHits:
        ids: list[int] = []
        scores: list[float] = []
        for r in rows:
            ent = r.get("entity", {})
            rid = self._id_of(str(ent.get("doc_key")), int(ent.get("offset", 0)))
            if rid is not None:
                ids.append(rid)
                scores.append(float(r["distance"]))
        return VectorHits(np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float32))

    def save(self, directory: Path, stem: str = "vectors") -> list[str]:
        """Milvus persists the rows itself; this writes ``<stem>.milvus.json`` (address without token,
        collection, dimension, the id ↔ key spans) so the manifest records and checksums what Milvus holds."""
        name = f"{stem}.milvus.json"
        desc = {
            "uri": self.uri, "collection": self.collection, "dim": self.dim, "keyword": self.keyword,
            "schema": STORE_SCHEMA, "spans": [[s.id, s.key, s.first] for s in self.spans],
        }  # fmt: skip
        (Path(directory) / name).write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
        return [name]

    def present_keys(self) -> set[str]:
        """The document keys that have rows in the collection (each document has a row at offset 0)."""
        keys: set[str] = set()
        prefixes = [""]
        while prefixes:  # a query returns at most QUERY_MAX rows: split a full answer by the keys' next character
            prefix = prefixes.pop()
            expr = "offset == 0" + (f' and doc_key like "{prefix}%"' if prefix else "")
            rows = self.client.query(self.collection, filter=expr, output_fields=["doc_key"], limit=QUERY_MAX)
            if len(rows) >= QUERY_MAX:
                prefixes.extend(prefix + c for c in "0123456789abcdef")
                continue
            keys.update(str(r["doc_key"]) for r in rows)
        return keys


def load_milvus_store(directory: Path, stem: str, spec: StoreSpec, embedder_id: str, fix: str) -> MilvusStore:
    """Reopen the store described by ``<stem>.milvus.json`` in ``directory``, at ``spec``'s address."""
    desc = json.loads((Path(directory) / f"{stem}.milvus.json").read_text(encoding="utf-8"))
    if desc.get("schema") != STORE_SCHEMA:
        raise IndexMismatchError(f"{directory} records a Milvus store of schema {desc.get('schema')}; run `{fix}`")
    store = MilvusStore.open(spec, str(desc["collection"]), int(desc["dim"]), embedder_id,
                             keyword=bool(desc["keyword"]), create=False, fix=fix)  # fmt: skip
    store.set_spans([DocSpan(int(i), str(k), int(f)) for i, k, f in desc["spans"]])
    return store


def _cut(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= max_bytes else data[:max_bytes].decode("utf-8", errors="ignore")


def _empty() -> VectorHits:
    return VectorHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
