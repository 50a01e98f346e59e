"""Period knowledge: the one place that knows how reports and questions say *plan/target* versus *result*.

A government work report reviews last year (去年/上年/过去五年 … 完成/实现/增长了) and sets this year's targets
(今年 … 预期目标/力争/左右). Questions ask for one or the other: "提出的目标是多少" (a target), "增长了多少"
(a result), "2025年GDP增长多少" (either). Section-level periods (from headings) live in :mod:`.sections`;
this module holds the cue vocabularies for sentences and questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .years import year_mentions

Period = Literal["target", "actual", "either"]
"""What a question asks for: a plan/target, a result, or (no cue) either."""

QUESTION_ACTUAL_CUES = re.compile(
    r"去年|上年|上一年|过去一年|一年来|已经|完成了|实现了|取得了|达到了|突破了|建成了|增长了|(?<!要)(?:达到|实现|完成)|实际(?!(?:增长|增速|上涨)要)|"
    r"上涨了|涨了|下降了|降了|提高了|增加了|减少了|降低了|表现(?:如何|怎样|怎么样)|走势(?:如何|怎样|怎么样)|"
    r"(?:有|发生了?)什么变化|出现了?(?:什么|哪些)(?:情况|变化|问题)|(?:这|过去|近)(?:五|几)年|五年来|"
    r"\bwhat happened\b|\bbehaved?\b|"
    r"\blast year\b|\bprevious year\b|\bachieved\b|\bcompleted\b|\bearned?\b|\bexceeded\b|"
    r"\bactual(?:ly)?\b|\bgrew\b|\breached\b|\brose\b|\bfell\b|\bresult(?:s|ed)?\b",
    re.I,
)
"""Words of a question asking what happened (a result: 表现如何, 走势如何, 有什么变化, 出现了什么情况 ask how it did;
这五年, 过去五年 a review); 达到/实现/完成 after 要 ask what shall be (a target)."""

QUESTION_WEAK_ACTUAL_CUES = re.compile(
    r"\bwas\b|\bwere\b|\bdid\b|\bhad\b|\bha(?:s|ve) been\b|\bha(?:s|ve)\b(?=[^?]*\b\w+ed\b)|\bset up\b", re.I
)
"""Past-tense and perfect auxiliaries (how much land has been upgraded, how many parks have opened, what has the
province set up): a result unless the question also names a target ("What was the 2024 target?")."""

QUESTION_TARGET_CUES = re.compile(
    r"今年|本年|明年|(?<!五年)(?<![一二三四五六七八九十]五)(?<![一二三四五六七八九十]五”)计划|预期|力争|目标|打算|准备|将要|提出|"
    r"要求|安排|争取|要(?:达到|实现|完成|保持|控制)|"
    r"\bthis year\b|\btarget(?:ed|s)?\b|(?<!five-year )(?<!five year )\bplan(?:ned|s)?\b|\bwill\b|\bgoal\b|"
    r"\baim(?:s|ed)?\b|\bstrive\b|"
    r"\bexpected\b|\bset\b(?! up\b)",
    re.I,
)
"""Words of a question asking for a plan or target (要达到, 要保持: what shall be; 实际增长要达到 asks the target of
real growth, not a result); a five-year plan's name (六五计划, the 14th Five-Year Plan) is a period, not a plan
asked."""


QUESTION_BOTH = re.compile(
    r"目标[^，。？?]{0,8}(?:和|与|及|、|同|对比|比较)[^，。？?]{0,4}(?:实际|完成|结果)|"
    r"(?:实际|完成情况|结果)[^，。？?]{0,8}(?:和|与|及|、|同|对比|比较)[^，。？?]{0,6}目标|"
    r"目标[^。？?]{0,12}[，,、；;][^。？?]{0,8}(?:实际|完成了?多少|结果)|"  # two asks: "目标是多少，实际上涨了多少"
    r"(?:实际|结果)[^。？?]{0,12}[，,、；;][^。？?]{0,8}目标|"
    r"\btargets?\b[^,.?]{0,20}\b(?:and|versus|vs\.?|against|compared with)\b[^,.?]{0,12}"
    r"\b(?:actual|results?|outcomes?)\b|"
    r"\btargets?\b[^.?]{0,60}[,;] *(?:and|but)\b[^.?]{0,40}\b(?:actual(?:ly)?|in fact)\b|"  # "…target…, and how many
    # were actually created"
    r"\b(?:actual|results?|outcomes?)\b[^,.?]{0,20}\b(?:and|versus|vs\.?|against|compared with)\b[^,.?]{0,12}"
    r"\btargets?\b",
    re.I,
)
"""A question asking for both, side by side: "目标和实际增长", "targets versus actual growth"."""


QUESTION_SPAN = re.compile(
    r"(?:今后|未来|过去|近|这|前|后)[五十]年|[五十]年(?:来|间|中|内|里|累计)|年均|累计|“十[一二三四五六七八九]五”|"
    r"\b(?:over|in|during|for|across) the (?:next|past|previous|last|coming|following) (?:five|5|ten|10) years\b|"
    r"\b(?:five|5|ten|10) years (?:from|before|to|since|through|up to|ending)\b|\bfive-year\b|\bten-year\b|"
    r"\bannual(?:ly)? average\b|\bon average\b|\bcumulative(?:ly)?\b|\bin total over\b",
    re.I,
)
"""Words of a question asking a figure over several years (今后五年, 过去五年, 五年来, 年均, 累计, "over the next five
years", "in the five years before 2013"): a statement over several years answers it, one year's does not."""


def question_span(question: str) -> bool:
    """The question asks about several years (:data:`QUESTION_SPAN`)."""
    return bool(QUESTION_SPAN.search(question))


def question_period(question: str) -> Period:
    """``either`` when the question asks for targets and results side by side (:data:`QUESTION_BOTH`); else
    ``target`` / ``actual`` by its cue words (the side with more cues wins), else ``either``."""
    if QUESTION_BOTH.search(question):
        return "either"
    t = len(QUESTION_TARGET_CUES.findall(question))
    a = len(QUESTION_ACTUAL_CUES.findall(question)) + 0.5 * len(QUESTION_WEAK_ACTUAL_CUES.findall(question))
    if t > a:
        return "target"
    if a > t:
        return "actual"
    return "either"


# ---------------------------------------------------------------------------------------------- sentences

Stated = Literal["target", "actual"]
"""What a sentence states: a plan/target, or a result."""

SENTENCE_TARGET_CUES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"预期目标|主要目标|目标是|目标为|目标任务是"), 2.0),
    (re.compile(r"今年|本年|明年"), 1.5),
    (re.compile(r"力争|争取|确保|计划|拟|预期|将要|要实现|努力实现|目标"), 1.0),
    (re.compile(r"左右|以上|以内|不低于|不超过|控制在"), 0.5),
)
"""Words of a sentence stating a plan or target, with their weights (今年/预期目标/力争 strong, the qualifiers
左右/以上 that targets put after a figure weak: results use them too)."""

SENTENCE_ACTUAL_CUES: tuple[tuple[re.Pattern[str], float], ...] = (
    # targets reached are a result (顺利完成全年主要目标任务; not 确保完成…目标, a plan): as strong as the target
    # words they hold
    (
        re.compile(r"(?:(?:顺利|超额|圆满)(?:完成|实现)了?|(?:完成|实现)了)(?:全年|年度)?(?:主要)?(?:预期)?目标(?:任务)?"),
        3.0,
    ),
    (re.compile(r"去年|上年|上一年|过去一年|过去五年|过去的一年|一年来|五年来|刚刚过去|比上年|同比"), 2.0),
    (re.compile(r"完成了|实现了|达到了|增长了|下降了|提高了|突破了|取得了|建成了|累计|预计全年|初步核算"), 1.5),
    (re.compile(r"完成|实现|达到|突破|超过|建成|新建|投产|开通|预计"), 0.5),
)
"""Words of a sentence stating a result (去年/上年/过去五年 strong, 完成/实现/达到 weaker: plans say them too)."""

SECTION_WEIGHT = 1.0
"""Weight of the section's period (review → result, plan → target) against the sentence's own words."""
YEAR_WEIGHT = 2.0
"""Weight of a named year before (result) or at/after (target) the report's own year."""


@dataclass(frozen=True)
class SentencePeriod:
    """What a sentence (or passage) states and the year it is about."""

    period: Stated | None
    """``target`` or ``actual``; None when nothing says."""
    year: int | None
    """The year the statement is about (a target's year, a result's year); None when unknown."""
    score: float = 0.0
    """The evidence: positive for a target, negative for a result (the sum of the weighted cues)."""
    span: bool = False
    """It states a figure over several years (年均, 五年来, 累计): not the answer for one year's figure."""


SPAN_CUES = re.compile(
    r"年均(?!浓度|气温|降水)|五年来|十年来|五年|十年|累计|以来|“十[一二三四五六七八九]五”时期|期间"
    r"|连续\s*[\d一二两三四五六七八九十]+\s*年(?:稳定|保持|位居|居|超过|突破|在)"
)
"""Words of a statement about several years (an average or a total over a plan period, a level held for years:
连续9年稳定在1300亿斤以上); 年均浓度 (PM2.5's annual mean) is one year's level."""


def over_years(text: str) -> bool:
    """``text`` states a figure over several years (:data:`SPAN_CUES`: 年均, 五年来, 今后五年, 累计)."""
    return bool(SPAN_CUES.search(text))


def _cue_score(text: str, cues: tuple[tuple[re.Pattern[str], float], ...]) -> float:
    return sum(w * len(p.findall(text)) for p, w in cues)


def sentence_period(text: str, report_year: int | None, section: str | None = None) -> SentencePeriod:
    """Whether ``text`` (a sentence or passage of a report of ``report_year``) states a target or a result,
    and for which year.

    The sentence's own cue words (:data:`SENTENCE_TARGET_CUES`, :data:`SENTENCE_ACTUAL_CUES`), the years it
    names (before the report's year: a result; the report's year or later: a target; 今年/去年 resolved against
    the report's year) and the period of its section (``review``/``plan`` from :mod:`.sections`) are summed;
    the sign decides. The year is the first year named on the winning side, else the report's year (target)
    or the year before it (result)."""
    score = _cue_score(text, SENTENCE_TARGET_CUES) - _cue_score(text, SENTENCE_ACTUAL_CUES)
    if section == "review":
        score -= SECTION_WEIGHT
    elif section == "plan":
        score += SECTION_WEIGHT
    past: list[int] = []
    future: list[int] = []
    if report_year is not None:
        for m in year_mentions(text, report_year):
            if m.relative and m.year > report_year + 1:
                continue
            (past if m.year < report_year else future).append(m.year)
        # the years named count once each side (a list of years is one signal)
        score += YEAR_WEIGHT * (bool(future) - bool(past))
    span = over_years(text)
    if abs(score) < 1e-9:
        return SentencePeriod(None, None, 0.0, span)
    if score > 0:
        year = future[0] if future else report_year
        return SentencePeriod("target", year, score, span)
    year = past[-1] if past else (report_year - 1 if report_year is not None else None)
    return SentencePeriod("actual", year, score, span)


def period_agrees(asked: Period, asked_year: int | None, stated: SentencePeriod, report_year: int | None) -> int:
    """+1 when a statement answers a question asking for ``asked`` (about ``asked_year``, if named), −1 when it
    is the other period (or another year's), 0 when either side does not say.

    A question naming no year asks about the report's own plan (target) or its review (result): the
    statement's year is then checked against the report's year for a target and the year before for a result.
    """
    if asked_year is not None and stated.span:
        return -1  # one year's figure is asked; this one is over several years
    if asked == "either" or stated.period is None:
        if asked_year is not None and stated.year is not None and stated.period is not None:
            return 1 if stated.year == asked_year else -1
        return 0
    if stated.period != asked:
        return -1
    want = asked_year
    if want is None and report_year is not None:
        want = report_year if asked == "target" else report_year - 1
    if want is not None and stated.year is not None and stated.year != want:
        return -1
    return 1


_ASKING = re.compile(r"多少|几|怎样|怎么样|如何|情况|\bhow\b|\bwhat\b|\bwhich\b", re.I)
"""A clause that asks something of its own (a year in it with no period cue may take the other side's opposite)."""
_CLAUSE_SPLIT = re.compile(r"[，,、；;？?]|以及|同时|而|和|与|及|\band\b|\bwhile\b|\bwhereas\b|\bbut\b", re.I)
"""Where a question's clauses part: each named year is asked about in its own clause."""


def year_periods(question: str, relative: bool = False) -> tuple[tuple[int, Period], ...]:
    """Each explicit year with the period its own clause asks for, when the question asks one year's result and
    another's target ("2025年增长了多少、2026年目标是多少" → ``((2025, "actual"), (2026, "target"))``, "what was
    GDP growth in 2025 and what is the 2026 target" the same); ``()`` for any other question.

    A year's clause runs from the previous clause break to the next (:data:`_CLAUSE_SPLIT`); its period is
    :func:`question_period` of that clause. A clause with no cue of its own that still asks something
    (:data:`_ASKING`) takes the other side's opposite by the order of the years: an earlier year than a
    target's is asked for its result, a later year than a result's for its target
    ("2025年GDP增长多少，2026年目标多少").

    ``relative``: read 去年/今年/明年 ("last year", "this year") instead of explicit years; the years returned are
    then offsets from the report's own year ("去年增长多少，今年目标多少" → ``((-1, "actual"), (0, "target"))``)."""
    mentions = [m for m in year_mentions(question, report_year=0 if relative else None) if m.relative == relative]
    years = list(dict.fromkeys(m.year for m in mentions))
    if len(years) < 2:
        return ()
    breaks = [0, *(b for m in _CLAUSE_SPLIT.finditer(question) for b in (m.start(), m.end())), len(question)]
    asked: dict[int, Period] = {}
    asks: dict[int, bool] = {}
    for m in mentions:
        start = max(b for b in breaks if b <= m.start)
        end = min(b for b in breaks if b >= m.end)
        clause = question[start:end]
        p = question_period(clause)
        if asked.get(m.year, "either") == "either":
            asked[m.year] = p
        asks[m.year] = asks.get(m.year, False) or bool(_ASKING.search(clause))
    if "target" not in asked.values() and "actual" not in asked.values():
        return ()
    for y in years:
        if asked[y] == "either" and asks[y]:
            targets = [t for t, p in asked.items() if p == "target"]
            actuals = [a for a, p in asked.items() if p == "actual"]
            if targets and y < min(targets):
                asked[y] = "actual"
            elif actuals and y > max(actuals):
                asked[y] = "target"
    if set(asked.values()) != {"target", "actual"}:
        return ()
    return tuple((y, asked[y]) for y in years)


def preferred_report_year(asked: Period, year: int) -> int:
    """Which report states what a question asks about ``year``: the target for a year is in that year's report,
    its result in the next year's review."""
    return year + 1 if asked == "actual" else year


AttainmentAsk = Literal["all", "missed"]
"""A question asks whether targets were met (``all``), or which were missed (``missed``)."""

QUESTION_ATTAINMENT_CUES = re.compile(
    r"(?:完成|实现|达到|达成|达标|兑现)(?:了|得)?(?:吗|么|没有|了没|与否|情况|如何|怎么样|怎样)|"
    r"是否(?:完成|实现|达到|达成|达标|兑现)|(?:有没有|有无)(?:完成|实现|达到|达成|达标)|"
    r"(?:哪些|哪个|哪几个|几个|多少个)[^，。？?]{0,20}(?:完成|实现|达到|达成|达标)|落空|"
    r"\bmet\b|\bmeet\b|\bmiss(?:ed|es)?\b|\bachieved\b|\bhit\b|\bfell short\b|\bfail(?:ed|s)? to\b|"
    r"\bon target\b|\battain(?:ed|ment)\b|"
    r"\b(?:keep|kept|stay(?:ed)?|remain(?:ed)?)\b[^?.]{0,40}\b(?:within|below|under|above)\b",
    re.I,
)
"""Words of a question asking whether a target was met (with a target word: :data:`QUESTION_ATTAINMENT_TARGET`)."""
QUESTION_ATTAINMENT_TARGET = re.compile(r"目标|预期|计划|\btargets?\b|\bgoals?\b|\bplan(?:ned)?\b", re.I)
QUESTION_MISSED_CUES = re.compile(
    r"未完成|没有完成|没完成|未能完成|没能完成|未实现|没有实现|没实现|未能实现|没能实现|未达到|没有达到|没达到|"
    r"未达标|没有达标|落空|\bmiss(?:ed|es)?\b|\bfell short\b|\bfail(?:ed|s)? to\b|\bnot (?:met|meet|achieve)",
    re.I,
)
"""Words of a question asking which targets were missed."""


def question_attainment(question: str) -> AttainmentAsk | None:
    """Whether ``question`` asks if a target was met ("西藏2024年GDP增长目标完成了吗？", "各省2025年经济增长目标
    完成情况", "Which provinces missed their 2025 GDP growth target?"): ``missed`` when it asks which were
    missed, ``all`` otherwise, None when it does not ask (it must name a target and an attaining word)."""
    if not QUESTION_ATTAINMENT_TARGET.search(question):
        return None
    if QUESTION_MISSED_CUES.search(question):
        return "missed"
    return "all" if QUESTION_ATTAINMENT_CUES.search(question) else None


__all__ = [
    "QUESTION_ACTUAL_CUES",
    "QUESTION_ATTAINMENT_CUES",
    "QUESTION_ATTAINMENT_TARGET",
    "QUESTION_BOTH",
    "QUESTION_MISSED_CUES",
    "QUESTION_SPAN",
    "QUESTION_TARGET_CUES",
    "QUESTION_WEAK_ACTUAL_CUES",
    "SENTENCE_ACTUAL_CUES",
    "SENTENCE_TARGET_CUES",
    "SPAN_CUES",
    "AttainmentAsk",
    "Period",
    "SentencePeriod",
    "Stated",
    "over_years",
    "period_agrees",
    "preferred_report_year",
    "question_attainment",
    "question_period",
    "question_span",
    "sentence_period",
    "year_periods",
]
