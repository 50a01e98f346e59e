"""Which period a passage is about: the review of the past year or the plan for the coming one.

A government work report reviews last year and plans this year. The report's own year is read from its
front matter (the dateline, e.g. ``—2024 年 1 月 7日在…会议上``) or, failing that, from the latest year in its
top-level headings. A chunk's period comes from the headings of its section path: a heading naming a year
before the report year is the review, the report year (or later) the plan; a heading without a year is
classified by generic words (回顾/总结 → review, 安排/计划/任务 → plan). Front matter and sections with
no such signal get no period, and then no score adjustment is ever applied to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportqa.index.records import Paragraph
from reportqa.index.text.years import year_of_first_month, years_before_nian

REVIEW = "review"
PLAN = "plan"

_REVIEW_WORDS = re.compile(r"回顾|总结|成绩|成就|过去|Review|review", re.I)
_PLAN_WORDS = re.compile(r"安排|计划|任务|部署|展望|目标|打算|Plan|Task|Outlook", re.I)


def report_year(paragraphs: Sequence[Paragraph]) -> int | None:
    """The year a report is written for: its dateline year, else the latest year in a top-level heading."""
    for p in paragraphs:
        if p.heading:
            break
        y = year_of_first_month(p.text)
        if y is not None:
            return y
    told = year_from_headings(paragraphs)  # 一、１９９４年国内工作的回顾 → 1995, not 1994
    if told is not None:
        return told
    years = [y for p in paragraphs if p.heading and p.level == 1 for y in years_before_nian(p.text)]
    return max(years) if years else None


def heading_period(heading: str, year: int | None) -> str | None:
    named = years_before_nian(heading)
    if named and year is not None:
        if named[0] == year and heading_kind(heading) == REVIEW:
            return REVIEW  # a review of the named year whatever year the report was taken for
        return REVIEW if named[0] < year else PLAN
    return heading_kind(heading)


def heading_kind(heading: str) -> str | None:
    """Review or plan by the heading's words alone (回顾/总结 … → review, 安排/任务 … → plan), else None."""
    if _REVIEW_WORDS.search(heading):
        return REVIEW
    if _PLAN_WORDS.search(heading):
        return PLAN
    return None


def year_from_headings(paragraphs: Sequence[Paragraph]) -> int | None:
    """The report year told by its headings' years and words: ``2024年工作回顾`` → 2025 (a report reviews the
    year before its own), ``2025年政府工作任务`` → 2025; the most voted year, the later one on a tie."""
    votes: dict[int, int] = {}
    for p in paragraphs:
        if not p.heading:
            continue
        named = years_before_nian(p.text)
        kind = heading_kind(p.text)
        if len(named) != 1 or kind is None:
            continue
        y = named[0] + (1 if kind == REVIEW else 0)
        votes[y] = votes.get(y, 0) + 1
    return max(votes, key=lambda y: (votes[y], y)) if votes else None


def section_period(section: Sequence[str], year: int | None) -> str | None:
    """Period of a section path (outermost heading that says anything decides)."""
    for heading in section:
        period = heading_period(heading, year)
        if period is not None:
            return period
    return None


def paragraph_periods(paragraphs: Sequence[Paragraph]) -> tuple[int | None, dict[int, str | None]]:
    """``(report year, {paragraph n: period})`` for one document's paragraphs."""
    year = report_year(paragraphs)
    return year, {p.n: section_period(p.section, year) for p in paragraphs}
