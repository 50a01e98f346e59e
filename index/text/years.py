"""Year knowledge: the one place that knows how reports and questions write years and dates.

* Explicit years 1949–2100 in Arabic digits (``2026``, ``2026年``, full-width digits) or Chinese numerals
  written digit by digit (``二〇二六年``, ``一九七九年``; the year needs its 年 then).
* Relative years (今年 / 本年 / 去年 / 上年 / 前年 / 明年 / 来年, this / last / next year, the year before
  last) resolved against a report's own year: a report of 2026 says 去年 for 2025.
* Dates ``2026年1月31日`` and ``一九七九年六月十八日`` (Chinese numerals for month and day: 六, 十八, 三十一).

Hand-written rather than ``cn2an``: only digit-by-digit years and numbers up to 31 are needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

YEAR_MIN = 1949
YEAR_MAX = 2100

YEAR_PATTERN = r"(?:19(?:49|[5-9]\d)|20\d\d|2100)"
"""A year 1949–2100 in Arabic digits (no boundaries: embed it in a larger pattern)."""

YEAR_TOKEN = re.compile(rf"^{YEAR_PATTERN}$")
"""A whole token that is a year."""

# not an amount: "2000亿元", "2030万人", "1978.5" are figures, not years
_YEAR_IN_TEXT = re.compile(
    rf"(?<![\d.]){YEAR_PATTERN}(?!\d|\.\d|\s*(?:万|亿|千|百|元|%|‰|人|个|家|项|吨|公里|多|余|亩|户|名|辆|台|套))"
)
_YEAR_NIAN = re.compile(rf"(?<!\d)({YEAR_PATTERN})\s*年")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGIT = "[〇○零Ｏ一二三四五六七八九]"
_CN_YEAR = re.compile(rf"({_CN_DIGIT}{{4}})\s*年")
_CN_SMALL = "[一二三四五六七八九十两]{1,3}"

_RELATIVE: tuple[tuple[str, int], ...] = (
    (r"今年|本年|当年|this year|the current year", 0),
    (r"去年|上年|上一年|last year|the previous year|previous year|a year ago", -1),
    (r"前年|the year before last", -2),
    (r"明年|来年|下一年|next year|the coming year|the following year", 1),
)
SOME_YEARS = re.compile(r"(?:这|那|近|前|头|最近|过去|今后|未来|以后|后)\s*几\s*年")
"""A stretch of years named loosely (这几年, 近几年, 今后几年): a time, not a count asked (几年)."""
_RELATIVE_RE = re.compile(
    "|".join(f"(?P<r{i}>{pat})" for i, (pat, _) in enumerate(_RELATIVE)), re.I
)

_DATE = re.compile(
    rf"(?<!\d)(?P<y>{YEAR_PATTERN})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    rf"|(?P<cy>{_CN_DIGIT}{{4}})\s*年\s*(?P<cm>{_CN_SMALL})\s*月\s*(?P<cd>{_CN_SMALL})\s*日"
)


def is_year(n: int) -> bool:
    return YEAR_MIN <= n <= YEAR_MAX


def is_year_token(token: str) -> bool:
    """True for a token that is exactly a year (``2026``)."""
    return bool(YEAR_TOKEN.match(token))


def cn_year(s: str) -> int | None:
    """``二〇二六`` → 2026 (Chinese numerals digit by digit); None when not four such digits or out of range."""
    if len(s) != 4 or any(c not in _CN_DIGITS for c in s):
        return None
    y = int("".join(str(_CN_DIGITS[c]) for c in s))
    return y if is_year(y) else None


def cn_small_int(s: str) -> int | None:
    """``六`` → 6, ``十八`` → 18, ``二十一`` → 21, ``三十`` → 30 (1–99); digits are accepted too."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    vals = {**{k: v for k, v in _CN_DIGITS.items() if v}, "两": 2}
    if not s or any(c not in vals and c != "十" for c in s):
        return None
    if "十" not in s:
        return vals[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = vals.get(tens, 0) if tens else 1
    o = vals.get(ones, 0) if ones else 0
    if (tens and tens not in vals) or (ones and ones not in vals) or len(ones) > 1:
        return None
    return t * 10 + o


@dataclass(frozen=True)
class YearMention:
    """A year a text names, explicitly or relative to a report's year."""

    year: int
    start: int
    end: int
    relative: bool


def _norm(text: str) -> str:
    # full-width digits → ASCII, same length per character so offsets stay valid
    return "".join(unicodedata.normalize("NFKC", c) if "０" <= c <= "９" else c for c in text)


def year_mentions(text: str, report_year: int | None = None) -> list[YearMention]:
    """Explicit years (Arabic or Chinese digits), and relative ones when ``report_year`` is given, in text order."""
    t = _norm(text)
    out = [YearMention(int(m.group(0)), m.start(), m.end(), False) for m in _YEAR_IN_TEXT.finditer(t)]
    for m in _CN_YEAR.finditer(t):
        y = cn_year(m.group(1))
        if y is not None:
            out.append(YearMention(y, m.start(), m.end(), False))
    if report_year is not None:
        for m in _RELATIVE_RE.finditer(t):
            i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
            out.append(YearMention(report_year + _RELATIVE[i][1], m.start(), m.end(), True))
    out.sort(key=lambda x: x.start)
    return out


def explicit_years(text: str) -> list[int]:
    """Years written out in ``text`` (``2026``, ``2026年``, ``二〇二六年``), in order, with repeats."""
    return [m.year for m in year_mentions(text)]


def years_before_nian(text: str) -> list[int]:
    """Arabic-digit years followed by 年 (``2024 年``): the form headings and datelines use."""
    return [int(y) for y in _YEAR_NIAN.findall(_norm(text))]


_YEAR_MONTH = re.compile(rf"(?<!\d)({YEAR_PATTERN})\s*年\s*\d{{1,2}}\s*月")


def year_of_first_month(text: str) -> int | None:
    """The year of the first ``YYYY年M月`` in ``text`` (a dateline: ``—2024 年 1 月 7日在…会议上``), or None."""
    m = _YEAR_MONTH.search(_norm(text))
    return int(m.group(1)) if m else None


def resolve_years(text: str, report_year: int | None) -> list[int]:
    """Every year ``text`` names, explicit or relative (今年 → ``report_year``, 去年 → the year before …), in
    order of first mention, without repeats. Relative words are ignored when ``report_year`` is None."""
    return list(dict.fromkeys(m.year for m in year_mentions(text, report_year)))


@dataclass(frozen=True)
class DateMention:
    year: int
    month: int
    day: int
    start: int
    end: int

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_WHEN = re.compile(
    rf"(?<!\d)(?:{YEAR_PATTERN}|(?P<cy>{_CN_DIGIT}{{4}}))\s*年(?:\s*(?:\d{{1,2}}|{_CN_SMALL})\s*月(?:\s*(?:\d{{1,2}}|{_CN_SMALL})\s*日)?"
    rf"|底|初|末|年底|年初|上半年|下半年)?"
    rf"|(?<![\d.])\d{{1,2}}\s*月\s*(?:\d{{1,2}}\s*日|份|底|初|中旬|上旬|下旬)"
)


def when_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every time a text states, most precise first at each place: a date (2026年1月25日),
    a year and month (2025年6月), a year (2025年, 二〇二五年, 2025年底), a month and day (6月26日, 9月份). What a
    *when* question about the body ("…是什么时候开通的") is answered with."""
    t = _norm(text)
    out = []
    for m in _WHEN.finditer(t):
        if m.group("cy") and cn_year(m.group("cy")) is None:
            continue
        out.append((m.start(), m.end()))
    return out


def find_dates(text: str) -> list[DateMention]:
    """Full dates (year, month and day) in ``text``, Arabic or Chinese numerals, valid ones only."""
    out: list[DateMention] = []
    for m in _DATE.finditer(_norm(text)):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            cy, cm, cd = cn_year(m.group("cy")), cn_small_int(m.group("cm")), cn_small_int(m.group("cd"))
            if cy is None or cm is None or cd is None:
                continue
            y, mo, d = cy, cm, cd
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out.append(DateMention(y, mo, d, m.start(), m.end()))
    return out
