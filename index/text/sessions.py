"""People's congress sessions: the one place that knows how reports name the meeting they were delivered at.

A report's dateline names the session of the people's congress that heard it::

    ——2026年1月25日在北京市第十六届人民代表大会第四次会议上
    ——2024年3月5日在第十四届全国人民代表大会第二次会议上
    ——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上      (no 第 before the term)
    1957年6月26日在第一届全国人民代表大会第四次會議上                    (traditional 會議)

:func:`find_sessions` reads each such mention: the term of the congress (第十六届 → 16), the session (第四次会议 →
4), whether it is the National People's Congress, and the region named before it. Chinese numerals are read with
:func:`~reportqa.index.text.numbers.cn_number` (cn2an), Arabic ones as digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .numbers import cn_number
from .regions import find_regions

_N = r"[一二三四五六七八九十\d０-９]{1,3}"
SESSION = re.compile(
    rf"(?P<term>第?\s*(?P<c>{_N})\s*[届屆])\s*(?P<nat>全[国國])?\s*人民代表大[会會]"
    rf"(?:\s*(?P<sess>第\s*(?P<s>{_N})\s*次\s*(?:全体)?\s*(?:[会會][议議]|大[会會])))?"
)
"""A congress (第十四届全国人民代表大会) and, when given, its session (第二次会议)."""
_REGION_BEFORE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:省|市|自治区|特别行政区|自治州|州|县|区|盟|旗)$")
_CUT = re.compile(r"[在于—\-\s，,。；]")


@dataclass(frozen=True)
class Session:
    """One mention of a people's congress (and its session) in a text."""

    congress: int
    """The congress's term (第十六届 → 16)."""
    session: int | None
    """The session of that term (第四次会议 → 4); None when only the congress is named."""
    national: bool
    """The National People's Congress (全国人民代表大会)."""
    region: str
    """The region written before it (``北京市``), ``全国`` for the national congress, else ""."""
    start: int
    """Offset of the mention in the text (its region prefix included)."""
    end: int
    term_span: tuple[int, int]
    """Where the term (第十六届) is written."""
    session_span: tuple[int, int] | None
    """Where the session (第四次会议) is written, when given."""


def _int(s: str) -> int | None:
    t = unicodedata.normalize("NFKC", s)
    if t.isdigit():
        return int(t)
    v = cn_number(s)
    return int(v) if v is not None and v == int(v) and v > 0 else None


def find_sessions(text: str) -> list[Session]:
    """Every congress (and session) mention in ``text``, in order (see the module docstring)."""
    out: list[Session] = []
    for m in SESSION.finditer(text):
        congress = _int(m.group("c"))
        if congress is None:
            continue
        session = _int(m.group("s")) if m.group("s") else None
        national = bool(m.group("nat"))
        start, region = m.start(), ""
        if national:
            region = "全国"
        else:
            before = text[max(0, m.start() - 14) : m.start()]
            cuts = [c.end() for c in _CUT.finditer(before)]
            before = before[cuts[-1] :] if cuts else before
            cand = _REGION_BEFORE.search(before)
            if cand is not None:
                named = find_regions(cand.group(0))
                region = named[0].name if named else cand.group(0)
                start = m.start() - len(before) + cand.start()
        sess_span = (m.start("sess"), m.end("sess")) if m.group("sess") else None
        out.append(Session(congress, session, national, region, start, m.end(), (m.start("term"), m.end("term")),
                           sess_span))  # fmt: skip
    return out


__all__ = ["SESSION", "Session", "find_sessions"]
