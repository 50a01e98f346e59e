"""How often reports write a term: per report, the exact count in the reconstructed text and the rate.

A report's text is its reconstructed paragraphs (page furniture set aside by
:func:`reportqa.index.reading.paragraphs.rebuild`) joined by newlines; the count is the number of non-overlapping
occurrences of the term exactly as given (``str.count``), so it equals what a reader finds with Ctrl-F in
``reportqa paragraphs``. A term cut by a line break in the source is whole again in the reconstruction;
one that would span two paragraphs is not counted. The rate is per 10,000 characters of that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportqa.index.errors import UsageError
from reportqa.index.reading.sentences import split_sentences
from reportqa.index.records import Citation, Paragraph
from reportqa.index.text.regions import region_by_name

from .reports import Report

MAX_TERM = 50
"""Longest term counted (a longer one is a sentence, not a term)."""
MAX_SENTENCES = 20
"""Sentences kept per report (the count is always exact)."""


@dataclass(frozen=True)
class TermSentence:
    """One sentence that writes the term, with its paragraph's citation."""

    text: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citation": self.citation.to_json()}


@dataclass(frozen=True)
class TrendRow:
    """One report: how often it writes the term."""

    document: str
    region: str
    year: int | None
    count: int
    """Occurrences in the reconstructed text."""
    chars: int
    """Characters of the reconstructed text."""
    sentences: tuple[TermSentence, ...] = ()
    """The first :data:`MAX_SENTENCES` sentences that write it, in order."""

    @property
    def per_10k(self) -> float:
        return round(self.count * 10_000 / self.chars, 3) if self.chars else 0.0

    @property
    def first_citation(self) -> Citation | None:
        return self.sentences[0].citation if self.sentences else None

    def to_json(self) -> dict[str, Any]:
        c = self.first_citation
        return {
            "document": self.document, "region": self.region, "year": self.year, "count": self.count,
            "per_10k": self.per_10k, "first_citation": c.to_json() if c else None,
            "sentences": [s.to_json() for s in self.sentences],
        }  # fmt: skip


@dataclass(frozen=True)
class Trend:
    """A term across reports (the ``reportqa trend --json`` object)."""

    term: str
    rows: tuple[TrendRow, ...]
    """One per report, by region then year."""

    @property
    def first(self) -> TrendRow | None:
        """The earliest report that writes the term (by year), or None."""
        hits = [r for r in self.rows if r.count and r.year is not None]
        return min(hits, key=lambda r: (r.year or 0, r.document)) if hits else None

    @property
    def by_year(self) -> bool:
        """One region over several years (a line chart) rather than several regions (bars)."""
        return len({r.region for r in self.rows}) == 1 and len({r.year for r in self.rows}) > 1

    def to_json(self) -> dict[str, Any]:
        first = self.first
        return {
            "term": self.term,
            "first_year": first.year if first else None,
            "rows": [r.to_json() for r in self.rows],
        }


def body_text(paragraphs: Sequence[Paragraph]) -> str:
    """The reconstructed text a trend counts in."""
    return "\n".join(p.text for p in paragraphs)


def check_term(term: str) -> str:
    """``term`` stripped; :class:`UsageError` when empty or too long."""
    t = term.strip()
    if not t:
        raise UsageError("the term is empty; give a word or phrase, e.g. reportqa trend 新质生产力")
    if len(t) > MAX_TERM:
        raise UsageError(f"the term is {len(t)} characters long; give a word or phrase of at most {MAX_TERM}")
    return t


def report_row(term: str, report: Report) -> TrendRow:
    """How often ``report`` writes ``term``, with its sentences."""
    text = body_text(report.paragraphs)
    found: list[TermSentence] = []
    for p in report.paragraphs:
        if len(found) >= MAX_SENTENCES or term not in p.text:
            continue
        c = Citation(p.document, p.section_path, p.n, p.lines, region=report.region, year=report.year)
        found.extend(TermSentence(s, c) for s in split_sentences(p.text) if term in s)
    if not found and term in text:  # the term spans sentences of one paragraph (rare): cite the paragraph
        p = next(p for p in report.paragraphs if term in p.text)
        found.append(TermSentence(p.text, Citation(p.document, p.section_path, p.n, p.lines, report.region,
                                                   report.year)))  # fmt: skip
    return TrendRow(report.document, report.region, report.year, text.count(term), len(text),
                    tuple(found[:MAX_SENTENCES]))  # fmt: skip


def term_trend(term: str, reports: Sequence[Report], regions: Sequence[str] = ()) -> Trend:
    """``term`` in every report (of ``regions`` when given: 西藏, 西藏自治区, Tibet, 全国)."""
    t = check_term(term)
    wanted: set[str] = set()
    for r in regions:
        region = region_by_name(r)
        if region is None:
            raise UsageError(f"unknown region {r!r}; give a province or 全国 (西藏, 西藏自治区, Tibet, xizang)")
        wanted.add(region.name)
    chosen = [r for r in reports if not wanted or r.region in wanted]
    if wanted and not chosen:
        raise UsageError(f"no report of {', '.join(sorted(wanted))} in the index; `reportqa status` lists them")
    rows = sorted((report_row(t, r) for r in chosen), key=lambda r: (r.region, r.year or 0, r.document))
    return Trend(t, tuple(rows))


__all__ = [
    "MAX_SENTENCES", "MAX_TERM", "TermSentence", "Trend", "TrendRow", "body_text", "check_term", "report_row",
    "term_trend",
]  # fmt: skip
