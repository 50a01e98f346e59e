"""Places below the province: the counties, cities and districts a library holds reports of, and county-level
names a question uses for a report.

:mod:`.regions` tables the 31 province-level regions, the nation and 45 big cities. A library may also hold a
county's (``林周县``), a district's or a smaller city's report; its record names the place (``Document.region``,
read from the title or dateline by :mod:`.docmeta`, or set with ``--meta``). :func:`library_places` turns those
records into :class:`~.regions.Region` s — the full name, the short name without its suffix (``林周``), and the
pinyin (``Linzhou``, from :mod:`pypinyin`) — so that a question naming one in Chinese, pinyin or English is
routed to that report as a province's question is. :func:`place_mentions` finds them in a question.

A county-like name the library holds no report of, named as a report's government ("墨竹工卡县2024年…",
"Motuo County's 2026 target"), is found by :func:`county_mentions`, so that the question gets the ``scope``
answer (what the library holds) instead of an answer from another report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .regions import CITY, CITY_ENGLISH, NATION, NATIONAL, PROVINCE, Region, RegionMention, region_by_name

COUNTY = "county"
"""The level of a county, district or banner (县, 区, 旗) and of a place no suffix tells."""

_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "旗", "区", "市", "州", "盟")
"""Suffixes cut from a place's full name to give its short name (longest first)."""

_NOT_PLACES = ("自治区", "地区", "新区", "开发区", "园区", "景区", "社区", "山区", "牧区", "市区", "城区",
               "灾区", "矿区", "库区", "示范区", "试验区", "保护区", "功能区", "片区", "辖区", "边境区",
               "经济区", "合作区")  # fmt: skip
"""Endings of words that end in 区 without naming a district's government."""

# after a short name (林周) the question must go on with a year, a report or a possessive for it to be the place:
# a short name alone is often part of another word
_SHORT_NEXT = re.compile(
    r"\s*(?:\d{4}|[〇一二三四五六七八九]{4}|的|今年|去年|明年|政府|人民政府|报告|地区生产总值|GDP)"
)
# "墨竹工卡县2024年", "林周县政府工作报告", "林周县的地区生产总值": a county-level name as a report's government
_COUNTY_BEFORE = re.compile(
    r"((?![年在的和与及])[\u4e00-\u9fff]{2,6}?(?:自治县|自治旗|县|旗|区))(?=\s*(?:\d{4}|[〇一二三四五六七八九]{4})\s*年|"
    r"政府|人民政府|的?(?:今年|去年|明年|地区生产总值|GDP|经济增长|城镇新增就业|政府工作报告))"
)
# "Motuo County's 2026 target", "Chaoyang District 2025": an English county or district name
_COUNTY_EN = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+(County|District|Banner)\b")
_EN_NOT_NAMES = frozenset({"the", "a", "this", "that", "each", "every", "which", "what", "economic",
                           "development", "new", "high", "special", "industrial", "central", "business", "free",
                           "trade", "pilot", "demonstration", "tech", "technology", "zone", "urban", "rural",
                           "one", "any", "our"})  # fmt: skip


def place_short(name: str) -> str:
    """``林周县`` → ``林周``, ``鄂温克族自治旗`` → ``鄂温克族``; the name itself when too little would remain."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def place_level(name: str) -> str:
    """``city`` for a ``<名>市``, else ``county`` (县, 区, 旗 or no suffix)."""
    return CITY if name.endswith("市") else COUNTY


def pinyin_name(short: str) -> str:
    """``林周`` → ``Linzhou``: the short name in pinyin, written as one capitalised word."""
    from pypinyin import lazy_pinyin  # deferred: its import is ≈ 0.17 s, and reading a report needs no pinyin

    return "".join(lazy_pinyin(short)).capitalize()


def _english(name: str, short: str) -> tuple[str, ...]:
    tabled = [e for zh, names in CITY_ENGLISH if zh == short for e in names.split("|")]
    return tuple(dict.fromkeys([*tabled, pinyin_name(short)]))


def place_region(name: str) -> Region:
    """The :class:`Region` of a place the library holds a report of (full name as its record writes it)."""
    short = place_short(name)
    return Region(name, short, place_level(name), _english(name, short))


def library_places(regions: Iterable[str]) -> tuple[Region, ...]:
    """The places below the province among the regions of a library's records (``Document.region`` values),
    each once; province-level regions and the nation are left to :mod:`.regions`."""
    return _library_places(tuple(sorted({r for r in regions if r})))


@lru_cache(maxsize=16)
def _library_places(names: tuple[str, ...]) -> tuple[Region, ...]:
    out: list[Region] = []
    for name in names:
        if name == NATION.name:
            continue
        tabled = region_by_name(name)
        if tabled is not None and tabled.level in (PROVINCE, NATIONAL):
            continue
        out.append(place_region(name))
    return tuple(out)


@lru_cache(maxsize=16)
def _place_patterns(places: tuple[Region, ...]) -> tuple[re.Pattern[str], dict[str, Region], re.Pattern[str] | None]:
    zh: dict[str, Region] = {}
    en: dict[str, Region] = {}
    for p in places:
        for n in (p.name, p.short):
            zh.setdefault(n, p)
        for e in p.english:
            en.setdefault(e.lower(), p)
    zh_re = re.compile("|".join(re.escape(n) for n in sorted(zh, key=len, reverse=True)))
    en_re = None
    if en:
        words = "|".join(re.escape(w) for w in sorted(en, key=len, reverse=True))
        en_re = re.compile(rf"(?<![A-Za-z])({words})(?:\s+(?:county|district|city|banner))?(?![A-Za-z])", re.I)
    return zh_re, {**zh, **{f"en:{k}": v for k, v in en.items()}}, en_re


def place_mentions(text: str, places: Sequence[Region]) -> list[RegionMention]:
    """Where ``text`` names one of ``places`` (:func:`library_places`): its full name anywhere, its short name
    when a year, 的, 政府 or a report follows, or its pinyin/English name; in text order, without overlaps."""
    if not places:
        return []
    zh_re, table, en_re = _place_patterns(tuple(places))
    found: list[RegionMention] = []
    for z in zh_re.finditer(text):
        p = table[z.group(0)]
        if z.group(0) == p.name or _SHORT_NEXT.match(text, z.end()):
            found.append(RegionMention(p, z.start(), z.end(), z.group(0)))
    if en_re is not None:
        for e in en_re.finditer(text):
            found.append(RegionMention(table[f"en:{e.group(1).lower()}"], e.start(), e.end(), e.group(0)))
    found.sort(key=lambda f: (f.start, f.start - f.end))
    out: list[RegionMention] = []
    for f in found:
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out


_COUNTY_IN = re.compile(
    r"((?![年在])[\u4e00-\u9fff]{2,6}?(?:自治县|自治旗|县|旗|区))(?:第|县长|区长|旗长|人民政府|政府工作报告)"
)


def county_in(text: str) -> Region | None:
    """The county, district or banner a title, dateline or speaker's office names as its own
    (``2024年林周县政府工作报告``, ``在林周县第十八届…``), or None."""
    for m in _COUNTY_IN.finditer(text):
        name = m.group(1)
        if not any(name.endswith(w) for w in _NOT_PLACES) and region_by_name(name) is None:
            return place_region(name)
    return None


OUTSIDE = "outside"
"""The level of a place outside the mainland that no report in a library of government work reports is of."""

OUTSIDE_PLACES: tuple[tuple[str, str], ...] = (
    ("台湾", "Taiwan"), ("台北", "Taipei"), ("日本", "Japan"), ("美国", "United States|USA|US|America"),
    ("英国", "United Kingdom|UK|Britain"), ("法国", "France"), ("德国", "Germany"), ("韩国", "South Korea|Korea"),
    ("俄罗斯", "Russia"), ("印度", "India"), ("巴西", "Brazil"), ("加拿大", "Canada"), ("澳大利亚", "Australia"),
    ("新加坡", "Singapore"), ("越南", "Vietnam|Viet Nam"), ("泰国", "Thailand"), ("意大利", "Italy"),
    ("西班牙", "Spain"), ("墨西哥", "Mexico"), ("印度尼西亚", "Indonesia"), ("马来西亚", "Malaysia"),
    ("菲律宾", "Philippines"), ("土耳其", "Turkey|Türkiye"), ("沙特阿拉伯", "Saudi Arabia"), ("南非", "South Africa"),
    ("阿根廷", "Argentina"), ("埃及", "Egypt"), ("新西兰", "New Zealand"), ("瑞士", "Switzerland"),
    ("荷兰", "Netherlands"), ("瑞典", "Sweden"), ("挪威", "Norway"), ("欧盟", "European Union|EU"),
)
"""Countries and places outside the mainland a question may ask a government's figures of (Hong Kong and Macau
are tabled regions in :mod:`.regions`)."""

# a place outside the mainland named as a government whose figures are asked: followed by a possessive, 的 or
# a year ("日本的失业率", "Japan's inflation", "印度2024年GDP"), not as a partner ("对美国出口", "visit Japan")
_OUTSIDE_NEXT = re.compile(r"\s*(?:的|['’]s\b|\d{4}|[〇一二三四五六七八九]{4}\s*年|政府|央行|联邦|federal\b)", re.I)
# … or preceded by "in" / "of" ("the retirement age in France", "the population of Russia")
_OUTSIDE_BEFORE = re.compile(r"\b(?:in|of)\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=1)
def _outside_table() -> tuple[re.Pattern[str], dict[str, Region]]:
    table: dict[str, Region] = {}
    for zh, en in OUTSIDE_PLACES:
        names = en.split("|")
        r = Region(zh, zh, OUTSIDE, tuple(names))
        table[zh] = r
        for n in names:
            table[n.lower()] = r
    zh_words = sorted((k for k in table if not k.isascii()), key=len, reverse=True)
    en_words = sorted((k for k in table if k.isascii()), key=len, reverse=True)
    pattern = "|".join(re.escape(w) for w in zh_words) + "|" + "|".join(
        rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" for w in en_words
    )
    return re.compile(pattern, re.I), table


def outside_mentions(text: str) -> list[RegionMention]:
    """Places outside the mainland (:data:`OUTSIDE_PLACES`) ``text`` names as the government whose figures
    it asks about (see :data:`_OUTSIDE_NEXT`); a library holds no report of them."""
    pattern, table = _outside_table()
    out = []
    for m in pattern.finditer(text):
        word = m.group(0)
        if word.isascii() and word.isupper() is False and len(word) <= 3:
            continue  # "us", "eu" written in lower case are words, not places
        if _OUTSIDE_NEXT.match(text, m.end()) or _OUTSIDE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            out.append(RegionMention(table[word.lower()], m.start(), m.end(), word))
    return out


def county_mentions(text: str) -> list[RegionMention]:
    """County-level names ``text`` uses for a report's government ("墨竹工卡县2024年…", "林周县政府…",
    "Motuo County's 2026 target"), whether or not the library holds their report."""
    out: list[RegionMention] = []
    for m in _COUNTY_BEFORE.finditer(text):
        name = m.group(1)
        if any(name.endswith(w) for w in _NOT_PLACES) or region_by_name(name) is not None:
            continue
        out.append(RegionMention(place_region(name), m.start(1), m.end(1), name))
    for m in _COUNTY_EN.finditer(text):
        if any(w.lower() in _EN_NOT_NAMES for w in re.split(r"[ -]", m.group(1))):
            continue
        name = f"{m.group(1)} {m.group(2)}"
        out.append(RegionMention(Region(name, m.group(1), COUNTY, (name,)), m.start(), m.end(), m.group(0)))
    return out


__all__ = [
    "COUNTY",
    "OUTSIDE",
    "OUTSIDE_PLACES",
    "county_in",
    "county_mentions",
    "library_places",
    "outside_mentions",
    "pinyin_name",
    "place_level",
    "place_mentions",
    "place_region",
    "place_short",
]
