"""The reports a diff or a trend reads: indexed documents (by the name ``reportqa status`` lists) or files
read and reconstructed on the fly with the index's own readers, so both give the same sentences.

A report's sentences are those the index stores (:func:`reportqa.index.pipeline.build.make_sentences` over
:func:`reportqa.index.reading.chunker.make_chunks`): headings with body under them live in the section path and are
not sentences of their own. A file is cut the same way, so a file and its indexed copy pair sentence by
sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportqa.index.errors import UsageError
from reportqa.index.pipeline.build import make_sentences
from reportqa.index.reading.chunker import ChunkSettings, make_chunks
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source
from reportqa.index.records import Chunk, Document, Paragraph
from reportqa.index.storage.store import LoadedIndex

from .diff import Side, Unit


@dataclass(frozen=True)
class Report:
    """One report's reconstructed text: what a trend counts in and a diff compares."""

    document: str
    """Display name (``reportqa status``), or the file name."""
    region: str
    """Full region name (``西藏自治区``, ``全国``), ``""`` unknown."""
    year: int | None
    paragraphs: tuple[Paragraph, ...]
    """Reconstructed paragraphs (page furniture already set aside)."""


def units_from_chunks(chunks: Sequence[Chunk]) -> tuple[Unit, ...]:
    """The sentences of ``chunks`` exactly as the index cuts and stores them."""
    by_id = {c.id: c for c in chunks}
    return tuple(
        Unit(by_id[s.chunk].text[s.start : s.end], by_id[s.chunk].citation, by_id[s.chunk].heading)
        for s in make_sentences(chunks, 0 if not chunks else chunks[0].id)
    )


def find_document(name: str, documents: Sequence[Document]) -> Document | None:
    """The document called ``name``: its display name, its file name, or its file name without extension."""
    for match in (
        lambda d: d.name == name,
        lambda d: Path(d.name).name == name,
        lambda d: Path(d.name).stem == name,
    ):
        found = [d for d in documents if match(d)]
        if len(found) == 1:
            return found[0]
    return None


def unknown_document(name: str, documents: Sequence[Document]) -> UsageError:
    shown = ", ".join(d.name for d in documents[:3])
    more = f" (e.g. {shown})" if shown else ""
    return UsageError(f"{name!r} is neither a document of the index nor a file; give a name as `reportqa status` "
                      f"lists it{more}, or the path of a .txt, .md, .pdf, .docx or .html report")  # fmt: skip


def report_from_file(path: Path) -> Report:
    """A report file read and reconstructed (region and year read from it as a build would)."""
    source = read_source(path)
    paragraphs = rebuild(source).paragraphs
    meta = read_meta(source.name, source.text, paragraphs)
    return Report(source.name, meta.region.name if meta.region else "", meta.year, paragraphs)


def side_from_report(report: Report, settings: ChunkSettings | None = None) -> Side:
    """A report's sentences cut as the index cuts them (no stored vectors: they are embedded on demand)."""
    chunks = make_chunks(report.paragraphs, settings or ChunkSettings(), 0, report.region, report.year)
    return Side(report.document, units_from_chunks(chunks))


def side_from_index(index: LoadedIndex, document: Document) -> Side:
    """An indexed report's stored sentences and their stored vectors."""
    first, n = document.first_sentence, document.sentences
    rows = [index.sentences[i] for i in range(first, first + n)]
    chunks = {c: index.chunks[c] for c in {s.chunk for s in rows}}
    units = tuple(
        Unit(chunks[s.chunk].text[s.start : s.end], chunks[s.chunk].citation, chunks[s.chunk].heading) for s in rows
    )
    vectors = index.sentence_vectors[first : first + n] if len(index.sentence_vectors) >= first + n else None
    return Side(document.name, units, vectors)


def indexed_reports(index: LoadedIndex) -> list[Report]:
    """Every document of ``index`` with its reconstructed paragraphs, in the index's order."""
    by_doc: dict[str, list[Paragraph]] = defaultdict(list)
    for p in index.paragraphs:
        by_doc[p.document].append(p)
    return [Report(d.name, d.region, d.year, tuple(by_doc.get(d.name, ()))) for d in index.documents]


__all__ = [
    "Report",
    "find_document",
    "indexed_reports",
    "report_from_file",
    "side_from_index",
    "side_from_report",
    "units_from_chunks",
    "unknown_document",
]  # fmt: skip
