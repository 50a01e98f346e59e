"""Period knowledge: the one place that knows how reports and questions say *plan/target* versus *result*.

A government work report reviews last year (去年/上年/过去五年 … 完成/实现/增长了) and sets this year's targets
(今年 … 预期目标/力争/左右). Questions ask for one or the other: "提出的目标是多少" (a target), "增长了多少"
(a result), "2025年GDP增长多少" (either). Section-level periods (from headings) live in :mod:`.sections`;
this module holds the cue vocabularies for sentences and questions.
"""

from __future__ import annotations

import re
from typing import Literal

Period = Literal["target", "actual", "either"]
"""What a question asks for: a plan/target, a result, or (no cue) either."""

QUESTION_ACTUAL_CUES = re.compile(
    r"去年|上年|上一年|过去一年|一年来|已经|完成了|实现了|取得了|达到了|突破了|建成了|增长了|达到|实现|完成|实际|"
    r"\blast year\b|\bprevious year\b|\bachieved\b|\bcompleted\b|\bwas\b|\bwere\b|\bdid\b|\bhad\b|\bearned?\b|"
    r"\bactual(?:ly)?\b|\bgrew\b|\breached\b|\brose\b|\bfell\b|\bresult(?:s|ed)?\b",
    re.I,
)
"""Words of a question asking what happened (a result)."""

QUESTION_TARGET_CUES = re.compile(
    r"今年|本年|明年|计划|预期|力争|目标|打算|准备|将要|提出|要求|安排|争取|"
    r"\bthis year\b|\btarget(?:ed|s)?\b|\bplan(?:ned|s)?\b|\bwill\b|\bgoal\b|\baim(?:s|ed)?\b|\bstrive\b|"
    r"\bexpected\b|\bset\b",
    re.I,
)
"""Words of a question asking for a plan or target."""


def question_period(question: str) -> Period:
    """``target`` / ``actual`` by the question's cue words (the side with more cues wins), else ``either``."""
    t = len(QUESTION_TARGET_CUES.findall(question))
    a = len(QUESTION_ACTUAL_CUES.findall(question))
    if t > a:
        return "target"
    if a > t:
        return "actual"
    return "either"


__all__ = ["QUESTION_ACTUAL_CUES", "QUESTION_TARGET_CUES", "Period", "question_period"]
