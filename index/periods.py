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


QUESTION_BOTH = re.compile(
    r"目标[^，。？?]{0,8}(?:和|与|及|、|同|对比|比较)[^，。？?]{0,4}(?:实际|完成|结果)|"
    r"(?:实际|完成情况|结果)[^，。？?]{0,8}(?:和|与|及|、|同|对比|比较)[^，。？?]{0,6}目标|"
    r"\btargets?\b[^,.?]{0,20}\b(?:and|versus|vs\.?|against|compared with)\b[^,.?]{0,12}"
    r"\b(?:actual|results?|outcomes?)\b|"
    r"\b(?:actual|results?|outcomes?)\b[^,.?]{0,20}\b(?:and|versus|vs\.?|against|compared with)\b[^,.?]{0,12}"
    r"\btargets?\b",
    re.I,
)
"""A question asking for both, side by side: "目标和实际增长", "targets versus actual growth"."""


def question_period(question: str) -> Period:
    """``either`` when the question asks for targets and results side by side (:data:`QUESTION_BOTH`); else
    ``target`` / ``actual`` by its cue words (the side with more cues wins), else ``either``."""
    if QUESTION_BOTH.search(question):
        return "either"
    t = len(QUESTION_TARGET_CUES.findall(question))
    a = len(QUESTION_ACTUAL_CUES.findall(question))
    if t > a:
        return "target"
    if a > t:
        return "actual"
    return "either"


__all__ = ["QUESTION_ACTUAL_CUES", "QUESTION_BOTH", "QUESTION_TARGET_CUES", "Period", "question_period"]
