"""Example questions made from the documents an index holds (the web chat's examples and empty state).

Nothing is fixed: each example is built from one document's record (region, year) and its own text — the
sentence that sets the year's main targets (主要预期目标 …) gives a growth question, a section heading of the
year's plan gives a "what measures" question — in Chinese and in English, plus a comparison when the library
holds two reports of one year or of one region. A document without a known region or year still gives
heading questions. The same index always gives the same examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportqa.index.records import Document
from reportqa.index.storage.store import LoadedIndex
from reportqa.index.text.regions import english_name, region_by_name

from .scope import library_documents

MAX_EXAMPLES = 6

# "主要预期目标是：地区生产总值增长5%左右": the target sentence and what grows in it
_TARGET = re.compile(r"(?:主要预期目标|主要目标|预期目标)[^。；]{0,12}?[：:][^。]*?"
                     r"((?:地区|国内|全市|全省|全区)?生产总值|经济)(?:按)?增长")  # fmt: skip
# a plan section heading: "（一）深入落实城市总体规划，推动…" → its first clause
_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*([^，,。；]{4,18})")
_EN_SUBJECT = {"经济": "economic", "国内生产总值": "GDP"}


@dataclass(frozen=True)
class Example:
    """One example question and the document it was made from."""

    question: str
    language: str
    """``zh`` or ``en``."""
    document: str
    kind: str
    """``target``, ``heading`` or ``comparison``."""


def _chunks(index: LoadedIndex, d: Document) -> list[str]:
    return [index.chunks[i].text for i in range(d.first_chunk, min(d.first_chunk + d.chunks, len(index.chunks)))]


def _name(d: Document) -> str:
    return d.region_short or ""


def _target_subject(texts: Sequence[str]) -> str | None:
    for t in texts:
        m = _TARGET.search(t)
        if m:
            return m.group(1)
    return None


def _heading(index: LoadedIndex, d: Document) -> str | None:
    """The first clause of the first numbered section heading of the document's plan part."""
    seen: set[str] = set()
    for i in range(d.first_chunk, min(d.first_chunk + d.chunks, len(index.chunks))):
        section = index.chunks[i].citation.section
        for part in section.split(" › "):
            if part in seen:
                continue
            seen.add(part)
            m = _HEADING.match(part.strip())
            if m:
                return m.group(1)
    return None


def _english(d: Document) -> str | None:
    r = region_by_name(d.region) if d.region else None
    return english_name(r) if r is not None and r.english else None


def examples_for(index: LoadedIndex, limit: int = MAX_EXAMPLES) -> list[Example]:
    """Up to ``limit`` example questions over the documents of ``index``: Chinese first, then English, then a
    comparison; documents are taken newest first so a library's examples spread over its regions."""
    docs = sorted(library_documents(index), key=lambda d: (-(d.year or 0), d.name))
    zh: list[Example] = []
    en: list[Example] = []
    headings: list[Example] = []
    subjects: dict[int, str] = {}
    for d in docs:
        texts = _chunks(index, d)
        subject = _target_subject(texts)
        year = f"{d.year}年" if d.year else "今年"
        where = _name(d)
        if subject:
            subjects[d.id] = subject
            if len(zh) < 2:
                zh.append(Example(f"{where}{year}{subject}预期增长多少？", "zh", d.name, "target"))
            eng = "national" if d.level == "national" else _english(d)
            if eng and len(en) < 2:
                what = _EN_SUBJECT.get(subject, "GDP")
                owner = "China's" if d.level == "national" else f"{eng}'s"
                when = f" for {d.year}" if d.year else " this year"
                en.append(Example(f"What is {owner} {what} growth target{when}?", "en", d.name, "target"))
        h = _heading(index, d)
        if h and len(headings) < 2:
            headings.append(Example(f"{where}{year if where else ''}在“{h}”方面有哪些举措？", "zh", d.name, "heading"))
        if len(zh) >= 2 and len(en) >= 2 and len(headings) >= 2:
            break
    out = [*zh[:1], *headings[:1], *en[:1], *zh[1:], *headings[1:], *en[1:]]
    pair = _comparison_pair([d for d in docs if d.id in subjects])
    if pair is not None:
        a, b = pair
        if a.year == b.year:
            q = f"{_name(a)}和{_name(b)}{a.year}年{subjects[a.id]}增长目标分别是多少？"
        else:
            q = f"{_name(a)}{b.year}年和{a.year}年的{subjects[a.id]}增长目标分别是多少？"
        out.insert(min(3, len(out)), Example(q, "zh", a.name, "comparison"))
    return out[:limit]


def _comparison_pair(docs: Sequence[Document]) -> tuple[Document, Document] | None:
    """Two reports with regions: one region's two latest years, else two regions of one year."""
    named = [d for d in docs if d.region_short and d.year]
    by_region: dict[str, list[Document]] = {}
    for d in named:
        by_region.setdefault(d.region_short, []).append(d)
    for ds in by_region.values():
        years = sorted({d.year for d in ds if d.year}, reverse=True)
        if len(years) >= 2:
            a = next(d for d in ds if d.year == years[0])
            b = next(d for d in ds if d.year == years[1])
            return a, b
    by_year: dict[int, list[Document]] = {}
    for d in named:
        if d.year:
            by_year.setdefault(d.year, []).append(d)
    for ds in by_year.values():
        regions = list(dict.fromkeys(d.region_short for d in ds))
        if len(regions) >= 2:
            a = next(d for d in ds if d.region_short == regions[0])
            b = next(d for d in ds if d.region_short == regions[1])
            return a, b
    return None
