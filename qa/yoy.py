"""Year over year, end to end: the diff of two reports and a term's trend, for the CLI and the chat.

:func:`diff_named` and :func:`trend_in` take what the user named (documents or files, a term and regions);
:func:`answer_yoy` answers a :class:`~reportqa.qa.query.Query` whose :attr:`~reportqa.qa.query.Query.intent`
is ``diff`` or ``trend`` from a loaded index (the chat's path), choosing the two reports from the regions and
years the query names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from reportqa.index.embedding.embedders import Embedder
from reportqa.index.errors import UsageError
from reportqa.index.records import Document
from reportqa.index.storage.store import LoadedIndex, sha256_file

from .diff import Diff, Embed, Side, diff_sides
from .records import Answer
from .reports import (
    Report,
    find_document,
    indexed_reports,
    report_from_file,
    side_from_index,
    side_from_report,
    unknown_document,
)
from .trend import Trend, term_trend

if TYPE_CHECKING:  # the chat's path only: a diff or trend of named reports never reads a question (≈ 0.3 s import)
    from .query import Query

EmbedderLoader = Callable[[], Embedder]


def lazy_embed(load: EmbedderLoader) -> Embed:
    """An :data:`~.diff.Embed` that loads the embedder on first use (a diff of identical texts never does)."""
    held: list[Embedder] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        if not held:
            held.append(load())
        return held[0].embed(list(texts), "passage")

    return embed


def _side(name: str, index: LoadedIndex | None) -> Side:
    if index is not None:
        doc = find_document(name, index.documents)
        if doc is not None:
            return side_from_index(index, doc)
    path = Path(name)
    if path.is_file():
        if index is not None:  # the very file a document of the index was built from: its stored sentences
            sha = sha256_file(path)  # and vectors (nothing to read, reconstruct or embed again)
            same = next((d for d in index.documents if d.sha256 == sha), None)
            if same is not None:
                return replace(side_from_index(index, same), document=path.name)
        return side_from_report(report_from_file(path))
    raise unknown_document(name, index.documents if index is not None else ())


def diff_named(a: str, b: str, index: LoadedIndex | None, load: EmbedderLoader) -> Diff:
    """The diff of B against A, each an indexed document (when ``index`` is given) or a report file."""
    sa, sb = _side(a, index), _side(b, index)
    return diff_sides(sa, sb, lazy_embed(load))


def trend_in(term: str, reports: Sequence[Report], regions: Sequence[str] = ()) -> Trend:
    """``term`` across ``reports`` (see :func:`.trend.term_trend`)."""
    return term_trend(term, reports, regions)


def _pick(documents: Sequence[Document], region: str, year: int) -> Document | None:
    found = [d for d in documents if d.region == region and d.year == year]
    return found[0] if found else None


def diff_pair(query: Query, documents: Sequence[Document]) -> tuple[Document, Document]:
    """The two reports a diff question names: (earlier, later) of its region; one year Y means Y−1 and Y,
    none means the region's two latest. Raises :class:`UsageError` saying which report is missing."""
    if len(query.filters.documents) >= 2:
        named = [find_document(n, documents) for n in query.filters.documents[:2]]
        if all(named):
            a, b = named
            assert a is not None and b is not None
            return a, b
    regions = [r.name for r in query.regions] or sorted({d.region for d in documents if d.region == "全国"})
    if not regions:
        regions = sorted({d.region for d in documents if d.region})[:1]
    if not regions:
        raise UsageError("name the region whose reports to compare, e.g. "
                         "2026年西藏政府工作报告和2025年相比有哪些新提法")  # fmt: skip
    region = regions[0]
    years = sorted(set(query.years))
    have = sorted({d.year for d in documents if d.region == region and d.year is not None})
    if len(years) >= 2:
        ya, yb = years[0], years[-1]
    elif len(years) == 1:
        ya, yb = years[0] - 1, years[0]
    elif len(have) >= 2:
        ya, yb = have[-2], have[-1]
    else:
        raise UsageError(f"the library holds {len(have)} report(s) of {region}; a diff needs two")
    a, b = _pick(documents, region, ya), _pick(documents, region, yb)
    missing = [y for y, d in ((ya, a), (yb, b)) if d is None]
    if missing or a is None or b is None:
        listed = "、".join(str(y) for y in have) or "none"
        raise UsageError(f"the library has no {region} report of {', '.join(map(str, missing))} "
                         f"(its {region} reports: {listed}); name two years it holds")  # fmt: skip
    return a, b


def trend_regions(query: Query, reports: Sequence[Report]) -> list[str]:
    """The regions a trend question counts in: those named; else, for "历年", the national series when the
    library holds it; else every report."""
    if query.regions:
        return [r.name for r in query.regions]
    if query.across_years and not query.all_regions and any(r.region == "全国" for r in reports):
        return ["全国"]
    return []


def answer_yoy(query: Query, index: LoadedIndex, embedder: Embedder) -> Answer:
    """The chat's answer to a diff or trend question (``diff`` or ``trend`` set, no passages)."""
    if query.intent == "trend":
        if not query.term:
            raise UsageError("put the term in quotes, e.g. “新质生产力”在历年政府工作报告中出现了多少次？")
        reports = indexed_reports(index)
        return Answer(question=query.text, abstained=False, hits=(), notice=query.notice,
                      trend=term_trend(query.term, reports, trend_regions(query, reports)))  # fmt: skip
    try:
        a, b = diff_pair(query, index.documents)
    except UsageError as e:  # the library lacks one of the two reports: said, as a scope answer
        return Answer(question=query.text, abstained=True, hits=(), notice=query.notice, reason="scope",
                      message=str(e), confidence=0.0)  # fmt: skip
    d = diff_sides(side_from_index(index, a), side_from_index(index, b), lazy_embed(lambda: embedder))
    return Answer(question=query.text, abstained=False, hits=(), notice=query.notice, diff=d)


__all__ = ["EmbedderLoader", "answer_yoy", "diff_named", "diff_pair", "lazy_embed", "trend_in", "trend_regions"]
