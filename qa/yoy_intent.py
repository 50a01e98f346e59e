"""Whether a question asks what changed between two reports (a diff) or how often reports write a term
(a trend), and which term. Read once by :func:`reportqa.qa.query.understand`.

- diff: "2026年西藏政府工作报告和2025年相比有哪些新提法？", "今年报告有什么新变化", "What is new in the 2025
  report compared with 2024?"
- trend: "新质生产力在历年政府工作报告中出现了多少次？", "“共同富裕”出现的次数", "How many times does
  'new quality productive forces' appear in the reports?" The term is the quoted phrase, else the words
  before 在/出现/一词/这个词 (Chinese) or between "does"/"is" and "appear"/"mentioned" (English).
"""

from __future__ import annotations

import re
from typing import Literal

Intent = Literal["ask", "diff", "trend"]
"""``ask``: an ordinary question; ``diff``: what changed between two reports; ``trend``: a term's counts."""

_DIFF = re.compile(
    r"新提法|新表述|新说法|新变化|新内容|哪些变化|什么变化|有何变化|哪些不同|什么不同|有何不同|不同之处|新增了哪些|"
    r"删去了哪些|删掉了哪些|去掉了哪些|多了哪些|少了哪些|"
    r"\bwhat(?:'s| is| was)? new\b.*\b(?:compared|than|versus|vs\.?|since|from)\b|\bwhat (?:has )?changed\b|"
    r"\bdifferences? between\b",
    re.I,
)
_REPORTS = re.compile(r"报告|提法|表述|说法|\breports?\b|\bspeech\b", re.I)
"""A diff compares reports: "北京高考录取率有什么变化" or "the difference between RAM and storage" ask about
something else and are ordinary questions (answered or declined as such)."""
_TREND = re.compile(
    r"出现了?(?:多少|几)次|出现(?:的)?次数|提到了?(?:多少|几)次|提及了?(?:多少|几)次|提了(?:多少|几)次|"
    r"出现频率|出现频次|词频|被提及(?:多少|几)次|"
    r"\bhow (?:many times|often)\b.*\b(?:appear|mention|occur|used|written|said)|\bnumber of (?:times|mentions)\b|"
    r"\bword frequency\b",
    re.I,
)
_QUOTED = re.compile(r"[“\"「『‘'《]([^”\"」』’'》]{1,50})[”\"」』’'》]")
_ZH_TERM = re.compile(
    r"^(?:请问)?\s*(?P<t>[^\s，,。？?]{1,50}?)(?:这个词|一词|这个提法|这一提法)?\s*(?:在|于|出现|被提|提到|提及)"
)
_EN_TERM = re.compile(
    r"\b(?:does|did|do|is|was|are|were)\s+(?P<t>.{1,50}?)\s+(?:appear|occur|get mentioned|mentioned|used)\b", re.I
)


def question_intent(text: str, names_indicator: bool = False) -> Intent:
    """``trend``, ``diff`` or ``ask`` for a cleaned question. A question that names an indicator asks how its
    figures differ ("2019年与2021年的经济增长目标有何不同？": a comparison), not for a diff of the reports; a
    question that names no report, statement or wording is not a diff either (:data:`_REPORTS`)."""
    if _TREND.search(text):
        return "trend"
    if _DIFF.search(text) and _REPORTS.search(text) and not names_indicator:
        return "diff"
    return "ask"


def question_term(text: str) -> str | None:
    """The term a trend question counts, as written; None when none is found."""
    m = _QUOTED.search(text)
    if m:
        return m.group(1).strip() or None
    m = _ZH_TERM.search(text) or _EN_TERM.search(text)
    return m.group("t").strip() if m else None


__all__ = ["Intent", "question_intent", "question_term"]
