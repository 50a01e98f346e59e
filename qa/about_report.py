"""Answering questions about the report itself from its opening lines (:mod:`.report_asked`).

A report opens with a title block, a dateline and a speaker line before the salutation (``各位代表：``)::

    2026年北京市政府工作报告
    ——2026年1月25日在北京市第十六届人民代表大会第四次会议上      ← date and meeting
    北京市市长 殷勇                                              ← speaker

Each line is a front-matter paragraph of the index (a chunk with an empty section). Who delivered it is the
speaker line's name (read as :func:`~reportqa.index.reading.docmeta.find_speaker` reads it, also for a bare
name line or a caption), when is the dateline's date (:func:`~reportqa.index.reading.docmeta.find_dateline`),
and which meeting is the dateline's congress and session (:mod:`reportqa.index.text.sessions`). The answer
quotes that paragraph with its citation and highlights the value as written.

The report is the one the question names (:func:`~reportqa.qa.scope.scope_named`); a bare year names the
national report when the library holds several of that year. A report without such lines (or a question naming
none, or several) gets no answer here: the question goes the ordinary way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportqa.index.reading.docmeta import SALUTATION, find_dateline, find_speaker
from reportqa.index.records import Chunk, Document
from reportqa.index.text.places import library_places
from reportqa.index.text.regions import NATIONAL
from reportqa.index.text.sessions import Session, find_sessions
from reportqa.index.text.years import find_dates

from .query import Query
from .records import Answer, Hit
from .scope import scope_named

FRONT_CHUNKS = 12
"""At most this many of a report's first paragraphs are read as its front matter."""
CONFIDENCE = 0.9
"""The answer's confidence: the value is read from the line that states it, not found by retrieval."""


@dataclass(frozen=True)
class Found:
    """Where a front-matter paragraph states the asked part."""

    chunk: Chunk
    start: int
    end: int


def front_chunks(document: Document, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The report's front-matter paragraphs: its first chunks before the salutation (section path empty)."""
    out: list[Chunk] = []
    for c in chunks[document.first_chunk : document.first_chunk + min(document.chunks, FRONT_CHUNKS)]:
        if SALUTATION.match(c.text.lstrip()) or c.citation.section:
            break
        out.append(c)
    return out


def _name_span(text: str, name: str) -> tuple[int, int] | None:
    """Where ``name`` (written without spaces) stands in ``text``, spaces between its characters allowed."""
    m = re.search(r"[ \u3000]*".join(map(re.escape, name)), text)
    return (m.start(), m.end()) if m else None


def find_speaker_in(front: Sequence[Chunk], document: Document) -> Found | None:
    """The paragraph naming who delivered the report, and the name in it."""
    lines = [c.text.strip() for c in front]
    dated = find_dateline(lines)
    speaker = find_speaker(lines, dated.index if dated else -1)
    names = [speaker[1]] if speaker else []
    if document.speaker:
        names.append(document.speaker.split()[-1])
    for name in dict.fromkeys(names):
        for c in front:
            span = _name_span(c.text, name)
            if span is not None:
                return Found(c, *span)
    return None


def find_dateline_in(front: Sequence[Chunk]) -> tuple[Chunk, int, int, list[Session]] | None:
    """The dateline paragraph, the date's span in it and the congress sessions it names."""
    for c in front:
        for d in find_dates(c.text):
            if c.text[d.end :].lstrip().startswith("在"):
                return c, d.start, d.end, find_sessions(c.text)
    return None


def find_part(query: Query, document: Document, chunks: Sequence[Chunk]) -> Found | None:
    """Where ``document``'s front matter states what ``query`` asks about it (:attr:`Asked.report`)."""
    part = query.asked.report
    front = front_chunks(document, chunks)
    if not front or part is None:
        return None
    if part == "speaker":
        return find_speaker_in(front, document)
    dated = find_dateline_in(front)
    if dated is None:
        return None
    c, a, b, sessions = dated
    if part == "date":
        return Found(c, a, b)
    s = next((s for s in sessions if s.start >= b), sessions[0] if sessions else None)
    if s is None:
        return None
    if part == "congress":
        return Found(c, *s.term_span)
    if part == "session" and s.session_span is not None:
        return Found(c, *s.session_span)
    return Found(c, s.start, s.end)


def named_report(query: Query, documents: Sequence[Document]) -> Document | None:
    """The one report ``query`` names (a bare year: the national one, when that year has several); None when it
    names none or several, or the library lacks it."""
    docs = tuple(documents)
    if not query.regions and not query.years and not query.filters.documents:
        return docs[0] if len(docs) == 1 else None
    scope = scope_named(
        docs, query.regions, query.years, query.report_named, query.relative, query.filters, "either",
        library_places(d.region for d in docs),
    )  # fmt: skip
    if len(scope.targets) != 1:
        return None
    ids = scope.targets[0].documents
    picked = [d for d in docs if d.id in ids]
    if len(picked) > 1 and not query.regions:
        picked = [d for d in picked if d.level == NATIONAL] or picked
    if len(picked) > 1 and len({d.region for d in picked}) == 1 and not query.years:
        picked = [max(picked, key=lambda d: d.year or 0)]  # 湖北省长是谁: the region's latest report
    return picked[0] if len(picked) == 1 else None


def answer_about_report(
    query: Query, documents: Sequence[Document], chunks: Sequence[Chunk], k: int = 5
) -> Answer | None:
    """The answer to a question about the report itself (who delivered it, when, at which meeting) from its
    front matter, or None when ``query`` asks no such thing or the named report's opening lines do not say."""
    if query.asked.report is None or query.shape != "single" or query.intent != "ask":
        return None
    document = named_report(query, documents)
    if document is None:
        return None
    found = find_part(query, document, chunks)
    if found is None:
        return None
    front = front_chunks(document, chunks)
    shown = [found.chunk, *(c for c in front if c.id != found.chunk.id)][: max(1, k)]
    hits = tuple(Hit(rank=i + 1, score=1.0 if i == 0 else 0.5, chunk=c) for i, c in enumerate(shown))
    text = found.chunk.text
    return Answer(
        query.text, False, hits, sentence=text, sentence_rank=1, highlight=text[found.start : found.end],
        notice=query.notice, confidence=CONFIDENCE,
    )  # fmt: skip


def with_passages(about: Answer, more: Sequence[Hit], k: int) -> Answer:
    """``about`` with its opening-line passages first, then ``more`` (the ordinary search's, without the ones
    already shown) up to ``k``: a question about the report gets as many passages as any other."""
    shown = {h.chunk.id for h in about.hits}
    extra = [h for h in more if h.chunk.id not in shown][: max(0, k - len(about.hits))]
    hits = (*about.hits, *(replace(h, rank=len(about.hits) + i + 1) for i, h in enumerate(extra)))
    return replace(about, hits=hits)


__all__ = [
    "CONFIDENCE", "Found", "answer_about_report", "find_part", "front_chunks", "named_report", "with_passages",
]  # fmt: skip
