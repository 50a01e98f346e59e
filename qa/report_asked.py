"""Questions about the report itself: who delivered it, when, and at which meeting.

"2026年北京市政府工作报告是谁作的？", "湖北省长是谁？", "When was Anhui's 2026 government work report delivered?",
"重庆市政府工作报告是在哪次会议上作的？", "…在天津市第几届人民代表大会上作？" ask about the report's front matter (its
dateline and speaker line), not about anything the report says. :func:`report_asked` tells which part is asked;
:func:`~reportqa.qa.query.understand` stores it once on :attr:`Asked.report <reportqa.qa.answer.Asked.report>`,
and :mod:`.about_report` answers it from the report's opening lines.

A question about the body ("中欧班列是什么时候开通的", "who built the bridge") names no report and no office, so it
is none of these: it is checked for a date or a name in the answer sentence like any other (:mod:`.support`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

ReportPart = Literal["speaker", "date", "meeting", "congress", "session"]
"""``speaker``: who delivered it; ``date``: on which day; ``meeting``: at which session of which congress (or
where); ``congress``: which congress (第几届); ``session``: which session of it (第几次会议)."""

_REPORT_ZH = re.compile(r"报告|報告")
_OFFICE_ZH = r"(?:省长|市长|自治区主席|主席|总理|州长|县长|区长|盟长|旗长)"
_WHO_ZH = re.compile(r"谁|何人|哪位|哪一位|报告人")
_DELIVER_ZH = re.compile(r"作|做|发表|宣读|所作|审议|人代会|人民代表大会|会议|会上|大会")
_WHEN_ZH = re.compile(r"什么时候|什么时间|哪天|哪一天|何时|日期|几月几日|几号|哪个日子|哪年哪月")
_MEETING_ZH = re.compile(
    r"(?:哪|什么|何)(?:一)?(?:次|个|届)?(?:会议|会上|大会|人代会)|在哪(?:里|儿)?(?:作|做|发表|召开)"
)
_CONGRESS_ZH = re.compile(r"第几届|哪一?届")
_SESSION_ZH = re.compile(r"第几次(?:全体)?会议|第几次")

_REPORT_EN = re.compile(r"\breport\b|\baddress\b|\bspeech\b", re.I)
_DELIVER_EN = re.compile(
    r"\b(?:deliver(?:ed|s)?|present(?:ed|s)?|gave|give[ns]?|read|ma(?:de|kes?)|hear(?:d|s)?|submit(?:ted|s)?)\b",
    re.I,
)
_OFFICE_EN = re.compile(r"\b(?:governor|mayor|premier|chairman|chairwoman|chair|head of government)\b", re.I)
_WHO_EN = re.compile(r"\bwho(?:m|se)?\b", re.I)
_WHO_IS_OFFICE_EN = re.compile(r"\bwho (?:is|was) (?:the )?\w*\s*(?:governor|mayor|premier|chairman)\b", re.I)
_WHEN_EN = re.compile(r"\bwhen\b|\bwhat date\b|\bwhich date\b|\bwhat day\b|\bon what day\b", re.I)
_MEETING_EN = re.compile(
    r"\b(?:which|what) (?:session|meeting|congress|people'?s congress)\b|\bat which\b|\bwhere\b", re.I
)
_CONGRESS_EN = re.compile(r"\bwhich (?:people'?s )?congress\b|\bwhat (?:term|congress)\b", re.I)


def _zh(q: str) -> ReportPart | None:
    report = bool(_REPORT_ZH.search(q))
    office = re.search(_OFFICE_ZH, q) is not None
    if _WHO_ZH.search(q) and (report or re.search(rf"{_OFFICE_ZH}(?:是|叫)?(?:谁|哪位)|哪一?位{_OFFICE_ZH}", q)):
        return "speaker"
    if not report or not (_DELIVER_ZH.search(q) or office):
        return None
    return _first_part(q, ((_CONGRESS_ZH, "congress"), (_SESSION_ZH, "session"), (_MEETING_ZH, "meeting"),
                           (_WHEN_ZH, "date")))  # fmt: skip


def _en(q: str) -> ReportPart | None:
    report = bool(_REPORT_EN.search(q))
    if _WHO_EN.search(q) and report and (_DELIVER_EN.search(q) or _OFFICE_EN.search(q)):
        return "speaker"
    if _WHO_IS_OFFICE_EN.search(q):
        return "speaker"
    if not report or not _DELIVER_EN.search(q):
        return None
    return _first_part(q, ((_CONGRESS_EN, "congress"), (_MEETING_EN, "meeting"), (_WHEN_EN, "date")))


def _first_part(q: str, parts: tuple[tuple[re.Pattern[str], ReportPart], ...]) -> ReportPart | None:
    """The first part of the report whose words ``q`` holds, in the order given (the most specific first)."""
    return next((part for pattern, part in parts if pattern.search(q)), None)


def report_asked(question: str, latin: bool) -> ReportPart | None:
    """Which part of the report's front matter ``question`` (the cleaned question) asks for, or None when it is
    not about the report itself (see the module docstring)."""
    q = unicodedata.normalize("NFKC", question)
    return _en(q) if latin else _zh(q)


__all__ = ["ReportPart", "report_asked"]
