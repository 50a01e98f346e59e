"""Index health for ``reportqa status`` and the web page's status line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import store
from .errors import IndexMismatchError, IndexMissingError, ReportQAError


@dataclass(frozen=True)
class IndexStatus:
    index_dir: Path
    healthy: bool
    """True when the index loads cleanly and its sources are unchanged."""
    problems: tuple[str, ...] = ()
    changed_sources: tuple[str, ...] = ()
    manifest: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 0

    def to_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "index_dir": str(self.index_dir),
            "healthy": self.healthy,
            "problems": list(self.problems),
            "changed_sources": list(self.changed_sources),
            "build_id": m.get("build_id"),
            "built_at": m.get("built_at"),
            "embedder": m.get("embedder"),
            "counts": m.get("counts"),
            "faiss": m.get("faiss"),
            "documents": [
                {"name": s["name"], "paragraphs": s["paragraphs"], "chunks": s["chunks"], "sha256": s["sha256"]}
                for s in m.get("sources", [])
            ],
        }

    def describe(self) -> str:
        fix = store.build_command(self.index_dir)
        lines = [f"index: {self.index_dir}"]
        m = self.manifest
        if m:
            c = m.get("counts", {})
            lines.append(
                f"built {m.get('built_at')} with {m['embedder']['id']} (dim {m['embedder']['dim']}): "
                f"{c.get('documents')} documents, {c.get('paragraphs')} paragraphs, {c.get('chunks')} chunks"
            )
            lines.extend(f"  {s['name']}: {s['paragraphs']} paragraphs, {s['chunks']} chunks" for s in m["sources"])
        if self.healthy:
            lines.append("status: ok")
        else:
            lines.extend(f"problem: {p}" for p in self.problems)
            lines.extend(f"source changed since the build: {s}" for s in self.changed_sources)
            lines.append(f"fix: run `{fix}`" + (" --force" if self.problems else ""))
        return "\n".join(lines)


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
    changed = tuple(store.source_changes(manifest))
    healthy = not problems and not changed
    return IndexStatus(
        index_dir, healthy, problems, changed, manifest, exit_code=0 if healthy else IndexMismatchError.exit_code
    )
