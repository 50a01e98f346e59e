"""Index health for ``reportqa status`` and the web page's status line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reportqa.index.errors import IndexMismatchError, IndexMissingError, ReportQAError
from reportqa.index.records import Document

from . import store
from .manifest import Manifest


@dataclass(frozen=True)
class IndexStatus:
    index_dir: Path
    healthy: bool
    """True when the index loads cleanly and its sources are unchanged."""
    problems: tuple[str, ...] = ()
    changed_sources: tuple[str, ...] = ()
    manifest: Manifest | None = None
    exit_code: int = 0
    documents: tuple[Document, ...] = ()
    """The index's document table (empty when it cannot be read)."""

    def to_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "index_dir": str(self.index_dir),
            "healthy": self.healthy,
            "problems": list(self.problems),
            "changed_sources": list(self.changed_sources),
            "build_id": m.build_id if m else None,
            "built_at": m.built_at if m else None,
            "embedder": asdict(m.embedder) if m else None,
            "counts": asdict(m.counts) if m else None,
            "faiss": dict(m.faiss) if m else None,
            "documents": [d.to_json() for d in self.documents],
        }

    def describe(self) -> str:
        fix = store.build_command(self.index_dir)
        lines = [f"index: {self.index_dir}"]
        m = self.manifest
        if m:
            c = m.counts
            lines.append(
                f"built {m.built_at} with {m.embedder.id} (dim {m.embedder.dim}): "
                f"{c.documents} documents, {c.paragraphs} paragraphs, {c.chunks} chunks"
            )
            lines.extend(f"  {_document_line(d)}" for d in self.documents)
        if self.healthy:
            lines.append("status: ok")
        else:
            lines.extend(f"problem: {p}" for p in self.problems)
            lines.extend(f"source changed since the build: {s}" for s in self.changed_sources)
            lines.append(f"fix: run `{fix}`" + (" --force" if self.problems else ""))
        return "\n".join(lines)


def _document_line(d: Document) -> str:
    """``xizang-2026.txt  西藏自治区 2026  2026年西藏自治区政府工作报告 (183 paragraphs, 201 chunks)``."""
    where = " ".join(x for x in (d.region or "region ?", str(d.year) if d.year is not None else "year ?"))
    extra = f"; set by you: {', '.join(d.overridden)}" if d.overridden else ""
    return f"{d.name}  {where}  {d.title} ({d.paragraphs} paragraphs, {d.chunks} chunks{extra})"


def index_status(index_dir: Path) -> IndexStatus:
    """Check the index at ``index_dir`` thoroughly (checksums included) without loading the model."""
    index_dir = Path(index_dir)
    try:
        manifest = store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    except IndexMissingError as e:
        return IndexStatus(index_dir, False, (str(e),), exit_code=e.exit_code)
    except ReportQAError as e:
        return IndexStatus(index_dir, False, (str(e),), exit_code=e.exit_code)
    problems = tuple(store.verify_files(index_dir.resolve(), manifest, deep=True))
    documents: tuple[Document, ...] = ()
    if not any(p.startswith(store.DOCUMENTS_FILE) for p in problems):
        try:
            documents = store.read_documents(index_dir)
        except ReportQAError as e:
            problems = (*problems, str(e))
    changed = tuple(store.source_changes(manifest))
    healthy = not problems and not changed
    return IndexStatus(
        index_dir, healthy, problems, changed, manifest,
        exit_code=0 if healthy else IndexMismatchError.exit_code, documents=documents,
    )  # fmt: skip
