"""Number knowledge: the one grammar of numbers with units and qualifiers in reports and questions.

Reports write a figure as digits (ASCII or full-width, ``5.5`` / ``５．５``) or Chinese numerals (``百分之五``,
``一千一百万``), then an optional magnitude (万 / 亿 / 千 / 百, also stacked: ``万亿``), a unit or measure word
(``%``, ``‰``, ``个百分点``, ``人``, ``元``, ``斤``, ``吨`` …) and a qualifier (``左右``, ``以上``, ``以内``,
``以下``, ``上下``) or a leading one (``约``, ``超过``, ``不低于``, ``不超过``); a range joins two numbers with a
dash or a word (``4.5%—5%``, ``4.5-5%``, ``5%到5.5%``).

Three users share the pieces below:

* keyword search (:mod:`.lexical`) tokenises ``number+unit`` with :data:`NUMBER_UNIT` (on normalised text);
* the answer highlight (:mod:`reportqa.qa.answer`) builds its figure pattern from :data:`NUM`, :data:`UNIT`
  and :data:`QUALIFIER`;
* the verifier (:mod:`reportqa.qa.verify`) scales magnitudes with :func:`split_multiplier`;
* figures read at build time (:mod:`.figures`) find values with :func:`find_values` and parse them into
  ``(low, high, unit, modifier)`` with :func:`parse_value`.

Chinese numerals are converted with ``cn2an`` (imported only when one is met).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

DIGITS = "0-9０-９"
NUM = rf"[{DIGITS}]+(?:[ \u3000]?[.．][ \u3000]?[{DIGITS}]+)?"
"""A number in ASCII or full-width digits, with an optional decimal part (no boundaries); a blank may stand on
either side of the decimal point, as in the 1990s reports' text (``8 ．8 ％``) and in a PDF line joined inside
a number (``2. 5%``)."""

MULTIPLIERS: dict[str, float] = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
"""Magnitude words written between a number and its unit (``2300亿元``, ``1.3万亿斤``)."""
MAGNITUDE = "[万亿千百]"

UNIT_WORDS = (
    "个百分点|百分点|人次|艘次|架次|班次|车次|千瓦时|平方公里|平方米|立方米|公里|千米|千瓦|公斤|公顷|小时|分钟|标准箱|美元|欧元|港元|日元|"
    "亩|吨|元|斤|人|户|个|家|项|所|条|座|次|张|台|辆|套|处|名|位|枚|届|倍|件|篇|种|批|场|岁|"
    "[%％‰]|月|日|天|克|米|度|栋|间|头|只|部|本|册|艘|架|列|期|轮|门|支|孔|站|网|片|宗|份|起|例|床"
)
"""Units and measure words that follow a number in Chinese reports (generic, not tied to one report); a longer
word before its prefix (``个百分点`` before ``个``)."""

COUNTERS = frozenset("个件项部种家所座条处批类套")
"""Measure words that count things of any kind: a question's 几部 规章 or 多少种 产品 is asked in the asker's
measure word, which the report may write as another of these (出台政府规章4件, 10个以上特色产品)."""

UNIT = rf"(?:{MAGNITUDE}*(?:{UNIT_WORDS})|{MAGNITUDE}+)"
"""An optional magnitude then a unit word, or a magnitude alone (``万``, ``亿``)."""

ROUGH = r"[多余]"
"""A rough count's word between a number and its magnitude or unit (6700多公里, 500多万台, 30余万人次)."""

QUALIFIER = r"(?:左右|以上|以下|以内|上下|多|余|之多)?"
"""The optional qualifier after a figure (as the answer highlight takes it)."""

NUMBER_UNIT = re.compile(rf"(?<![\d.a-z])(\d+(?:\.\d+)?)\s*({UNIT})?")
"""A number and the unit or magnitude right after it, on text normalised by :func:`reportqa.index.text.tokens.normalize`
(ASCII digits): group 1 the number, group 2 the unit or None."""

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
"""Characters of a number written in Chinese numerals."""
_CN_NUM = rf"[{CN_DIGITS}]*[一二两三四五六七八九十][{CN_DIGITS}]*"

BIG_COUNT = re.compile(
    rf"(?<![{CN_DIGITS}])(?<!党的)(?<!中共)(?!一大)(?:{_CN_NUM})大(?!精神|以来|报告|代表|召开|胜利)(?=“?[\u4e00-\u9fff])"
)
"""A count written with 大 before the things counted (七大行动, “十大民生工程”, 三大攻坚战): a value only where
what follows is what is asked about (the reader checks that); not 一大批 (a large batch) nor a congress (党的二十大,
十三大精神)."""

ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
"""Roman numerals as reports write classes and grades (Ⅱ类水质, Ⅲ级)."""
NUMERAL_VALUE = re.compile(
    rf"第\s*(?:{NUM}|{_CN_NUM})\s*(?P<ounit>{UNIT_WORDS}|年|类|级|批|届)?"
    # 两位数增长: no count; 一度出现负增长: the adverb "at one time", not one degree (一度电 is)
    rf"|(?<![{CN_DIGITS}])(?!一度(?!电))(?:{_CN_NUM})(?P<cunit>{MAGNITUDE}*(?:{UNIT_WORDS}))(?!数)"
    rf"|[{ROMAN}]+\s*(?P<runit>类|级|等)"
    rf"|百分之\s*(?P<pct>{NUM}|{_CN_NUM})"
    rf"|(?<![{CN_DIGITS}])(?P<tenths>{_CN_NUM})成(?![效就果为立员本都长熟交绩型功不])"
)
"""A value written without Arabic digits: an ordinal (第二年, 第七届, 第3批), a Chinese numeral with its unit
(三个, 两千万吨; not the adverb 一度), a Roman-numeral class (Ⅱ类), a percentage in words (百分之五, 百分之七点五:
group ``pct``) or tenths (七成: group ``tenths``). The unit is group ``ounit``, ``cunit`` or ``runit``
(:func:`numeral_unit` reads it)."""


def numeral_unit(m: re.Match[str]) -> str:
    """The unit of a :data:`NUMERAL_VALUE` match: its measure word, ``%`` for 百分之…, ``成`` for tenths."""
    if m.group("pct") is not None:
        return "%"
    if m.group("tenths") is not None:
        return "成"
    return m.group("ounit") or m.group("cunit") or m.group("runit") or ""

_SUFFIX_QUAL = {"左右": "about", "上下": "about", "以上": "at_least", "多": "at_least", "余": "at_least",
                "之多": "at_least", "以内": "at_most", "以下": "at_most"}  # fmt: skip
_PREFIX_QUAL = {"约": "about", "大约": "about", "超过": "at_least", "不低于": "at_least", "不少于": "at_least",
                "不超过": "at_most", "不高于": "at_most", "低于": "at_most", "高于": "at_least"}  # fmt: skip
_PREFIX = "|".join(sorted(_PREFIX_QUAL, key=len, reverse=True))
_SUFFIX = "|".join(sorted(_SUFFIX_QUAL, key=len, reverse=True))
_DASH = r"\s*(?:[-－—–~～]+|至|到)\s*"

_ONE = (
    rf"(?:百分之(?P<{{p}}pct>{NUM}|{_CN_NUM})"
    rf"|(?P<{{p}}num>{NUM})\s*(?P<{{p}}unit>{UNIT})?"
    rf"|(?P<{{p}}cn>(?:{_CN_NUM}))(?P<{{p}}cnunit>{MAGNITUDE}*(?:{UNIT_WORDS})))"
)
VALUE = re.compile(
    rf"(?<![{DIGITS}.．A-Za-z])(?P<pre>{_PREFIX})?\s*"
    + _ONE.format(p="a")
    + rf"(?:{_DASH}"
    + _ONE.format(p="b")
    + rf")?\s*(?P<suf>{_SUFFIX})?"
)
"""A value as reports write it: optional leading qualifier, a number with unit, optionally a range's second
number, optional trailing qualifier. Use :func:`find_values`, which checks the parts."""
_SINGLE = re.compile(
    rf"(?<![{DIGITS}.．A-Za-z])(?P<pre>{_PREFIX})?\s*" + _ONE.format(p="a") + rf"\s*(?P<suf>{_SUFFIX})?"
)


@dataclass(frozen=True)
class Parsed:
    """A value's meaning: bounds in ``unit`` (a magnitude stays in the unit: ``1.3万亿斤`` → 1.3, ``万亿斤``)."""

    low: float | None
    high: float | None
    unit: str
    modifier: str
    """``about`` / ``at_least`` / ``at_most`` / ``range`` / ``exact`` (see :data:`.records.MODIFIERS`)."""


@dataclass(frozen=True)
class ValueMatch:
    """A value found in a text: its span, the text exactly as written, and what it means."""

    start: int
    end: int
    text: str
    parsed: Parsed


def fold(text: str) -> str:
    """Full-width digits, letters and signs to ASCII and every dash to ``-`` (for comparing values as written)."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[—–－~～―‐‑‒]+", "-", t).replace(" ", "")


def split_multiplier(unit: str) -> tuple[float, str]:
    """``亿元`` → ``(1e8, "元")``; ``万亿斤`` → ``(1e12, "斤")``; ``%`` → ``(1.0, "%")``."""
    factor = 1.0
    rest = unit
    while rest and rest[0] in MULTIPLIERS and rest not in ("百分点",):
        factor *= MULTIPLIERS[rest[0]]
        rest = rest[1:]
    return factor, rest


def cn_number(s: str) -> float | None:
    """``十一点八`` → 11.8, ``一千一百`` → 1100.0, ``两千亿`` → 2e11; None when it is not a Chinese number."""
    s = s.strip()
    if not s:
        return None
    try:
        import cn2an  # deferred: its import costs most of a second

        v = cn2an.cn2an(s, "normal")
    except Exception:  # cn2an raises ValueError, KeyError, IndexError … for what is not a number
        return None
    return float(v)


def _num(s: str) -> float | None:
    t = unicodedata.normalize("NFKC", s).replace(" ", "")
    try:
        return float(t)
    except ValueError:
        return cn_number(s)


def _side(m: re.Match[str], p: str) -> tuple[float, str] | None:
    """The number and unit of one side of a value match (``p``: ``a`` or ``b``)."""
    if m.group(f"{p}pct") is not None:
        v = _num(m.group(f"{p}pct"))
        return None if v is None else (v, "%")
    if m.group(f"{p}num") is not None:
        v = _num(m.group(f"{p}num"))
        return None if v is None else (v, unicodedata.normalize("NFKC", m.group(f"{p}unit") or ""))
    cn, unit = m.group(f"{p}cn") or "", m.group(f"{p}cnunit") or ""
    # a magnitude at the end of the numeral belongs to the unit: 一千一百万人 → 1100, 万人
    while cn and cn[-1] in "万亿" and len(cn) > 1:
        unit = cn[-1] + unit
        cn = cn[:-1]
    if not cn or not re.search("[一二两三四五六七八九十]", cn):
        return None
    v = cn_number(cn)
    return None if v is None else (v, unicodedata.normalize("NFKC", unit))


def _has_range(m: re.Match[str]) -> bool:
    return m.re is VALUE and any(m.group(g) is not None for g in ("bpct", "bnum", "bcnunit"))


def _parsed(m: re.Match[str]) -> Parsed | None:
    a = _side(m, "a")
    if a is None:
        return None
    b = _side(m, "b") if _has_range(m) else None
    pre, suf = m.group("pre"), m.group("suf")
    if b is not None:
        unit = b[1] or a[1]
        if (a[1] and a[1] != b[1]) or not unit:  # 5%到2030年 is no range
            return None
        lo, hi = sorted((a[0], b[0]))
        return Parsed(lo, hi, unit, "range")
    modifier = _SUFFIX_QUAL.get(suf or "") or _PREFIX_QUAL.get(pre or "") or "exact"
    return Parsed(a[0], a[0], a[1], modifier)


def find_values(text: str) -> list[ValueMatch]:
    """Every value in ``text`` with its exact span (ranges and qualifiers included), in text order. Bare numbers
    without a unit are included (unit ``""``); Chinese numerals only with a unit or as 百分之…."""
    out: list[ValueMatch] = []
    pos = 0
    while (m := VALUE.search(text, pos)) is not None:
        p = _parsed(m)
        if p is None and _has_range(m):
            single = _SINGLE.match(text, m.start())
            if single is not None:
                m, p = single, _parsed(single)
        pos = max(m.end(), m.start() + 1)
        if p is None:
            continue
        start, end = m.start(), m.end()
        s = m.group(0)
        # trailing blanks belong to no value
        stripped = s.rstrip()
        end -= len(s) - len(stripped)
        lead = len(s) - len(s.lstrip())
        out.append(ValueMatch(start + lead, end, text[start + lead : end], p))
    return out


def parse_value(text: str) -> Parsed | None:
    """What a value written as ``text`` means (``5%左右`` → 5, 5, ``%``, about; ``4.5%—5%`` → 4.5, 5, ``%``,
    range; ``1.1万亿斤以上`` → 1.1, 1.1, ``万亿斤``, at least); None when ``text`` is not one value."""
    t = text.strip()
    m = VALUE.fullmatch(t)
    p = _parsed(m) if m else None
    if p is None and (single := _SINGLE.fullmatch(t)) is not None:
        p = _parsed(single)
    return p


LIST_GAP = re.compile(r"\s*(?:、|和|及|与|以及)\s*")
"""What stands between two values of one list (``x、y和z``)."""


def shared_units(text: str, found: Sequence[tuple[int, int, str]]) -> list[str]:
    """The unit of each figure of ``text`` (``(start, end, unit as written)``, in order), a list's unit written once,
    after its last value, read into the values before it: a figure with no unit, or with the opening of the next
    one's (个 of 个百分点, 亿 of 亿元), followed by a list separator alone, takes the next one's unit
    (``15、22个百分点``; ``12.7个、12个百分点``; ``3、4万吨``)."""
    units = [u for _, _, u in found]
    for i in range(len(found) - 2, -1, -1):
        nxt, own = units[i + 1], units[i]
        if nxt and own != nxt and nxt.startswith(own) and LIST_GAP.fullmatch(text[found[i][1] : found[i + 1][0]]):
            units[i] = nxt
    return units


__all__ = [
    "BIG_COUNT", "CN_DIGITS", "LIST_GAP", "MULTIPLIERS", "NUM", "NUMBER_UNIT", "NUMERAL_VALUE", "QUALIFIER", "ROMAN",
    "ROUGH", "UNIT", "UNIT_WORDS", "VALUE", "Parsed",
    "ValueMatch", "cn_number", "find_values", "fold", "numeral_unit", "parse_value", "shared_units",
    "split_multiplier",
]  # fmt: skip
