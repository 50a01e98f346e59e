"""Paragraphs → chunks. One chunk per body paragraph; long paragraphs are split on sentence punctuation.

The citation of every chunk is fixed here, from its paragraph, and never rebuilt later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from reportqa.index.records import Chunk, Citation, Paragraph

# Sentence punctuation, strongest first: the splitter tries each in turn.
NOTES_KEY = "notes"
"""Key of :attr:`Chunk.extra` holding the text of the endnotes the chunk's paragraph cites."""
SENTENCE_SEPARATORS = ["\n", "。", "！", "？", "；", "!", "?", ";", "，", ",", " ", ""]


@dataclass(frozen=True)
class ChunkSettings:
    """How paragraphs become chunks. Recorded in the manifest: changing it means a full re-embed."""

    max_chars: int = 400
    """A paragraph longer than this is split into parts of at most this many characters."""
    overlap: int = 0
    """Characters repeated between consecutive parts of a split paragraph."""
    context: bool = True
    """Prefix the section path to the text that is embedded (not to the text shown)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ChunkSettings:
        return cls(
            max_chars=int(d.get("max_chars", 400)),
            overlap=int(d.get("overlap", 0)),
            context=bool(d.get("context", True)),
        )


def split_long(text: str, settings: ChunkSettings) -> list[str]:
    """Split ``text`` into sentence-aligned parts no longer than ``settings.max_chars``."""
    if len(text) <= settings.max_chars:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=SENTENCE_SEPARATORS,
        keep_separator="end",
        chunk_size=settings.max_chars,
        chunk_overlap=settings.overlap,
        strip_whitespace=True,
    )
    parts = [p for p in splitter.split_text(text) if p.strip()]
    return parts or [text]


def _has_body(paragraphs: Sequence[Paragraph], i: int) -> bool:
    """True when the heading at ``i`` is followed by a body paragraph before the next heading of its level
    or above (so the heading lives on in that paragraph's section path)."""
    level = paragraphs[i].level
    for p in paragraphs[i + 1 :]:
        if p.heading and p.level <= level:
            return False
        if not p.heading:
            return True
    return False


def make_chunks(
    paragraphs: Sequence[Paragraph],
    settings: ChunkSettings,
    start_id: int = 0,
    region: str = "",
    year: int | None = None,
) -> list[Chunk]:
    """Chunks for one document's paragraphs, numbered from ``start_id``; every citation carries the
    document's ``region`` and report ``year`` (:class:`~.records.Document`).

    Headings become part of their section path; a heading with no body under it is kept as its own chunk so
    that every word of the document stays findable. Front matter (title, dateline, speaker) are chunks.
    """
    chunks: list[Chunk] = []
    next_id = start_id
    by_n = {p.n: p for p in paragraphs}
    for i, p in enumerate(paragraphs):
        if p.heading and _has_body(paragraphs, i):
            continue
        section = p.section_path if not p.heading else " › ".join(p.section[:-1])
        citation = Citation(p.document, section, p.n, p.lines, region=region, year=year, page=p.page,
                            confidence=p.confidence)
        parts = [p.text] if p.heading else split_long(p.text, settings)
        notes = "\n".join(by_n[k].text for k in p.notes if k in by_n)
        extra: dict[str, Any] = {NOTES_KEY: notes} if notes else {}
        for j, part in enumerate(parts):
            chunks.append(
                Chunk(
                    id=next_id,
                    text=part,
                    citation=citation,
                    part=0 if len(parts) == 1 else j + 1,
                    parts=len(parts),
                    heading=p.heading,
                    extra=dict(extra),
                )
            )
            next_id += 1
    return chunks


def notes_text(chunk: Chunk) -> str:
    """The text of the endnotes the chunk's paragraph cites (``［3］`` → 注释 ［3］), or ''."""
    return str(chunk.extra.get(NOTES_KEY, ""))


def embed_text(chunk: Chunk, settings: ChunkSettings) -> str:
    """The text given to the embedder for ``chunk``: its section path as context, then the passage, then the
    text of the endnotes it cites (so a question worded like the note finds the citing passage)."""
    text = chunk.text
    notes = notes_text(chunk)
    if notes:
        text = f"{text}\n{notes}"
    if settings.context and chunk.citation.section:
        return f"{chunk.citation.section}\n{text}"
    return text


def embed_text_offset(chunk: Chunk, settings: ChunkSettings) -> int:
    """Where ``chunk.text`` starts inside :func:`embed_text` (after the section path line, if any)."""
    return len(chunk.citation.section) + 1 if settings.context and chunk.citation.section else 0


def embed_texts(chunks: Iterable[Chunk], settings: ChunkSettings) -> list[str]:
    return [embed_text(c, settings) for c in chunks]
