"""Indicator knowledge: the one vocabulary of the figures government work reports state.

Every report lists the year's main expected targets (主要预期目标) and, in its review, last year's results. An
:class:`Indicator` names one such quantity with an id used everywhere (``gdp_growth``), the Chinese names and
synonyms reports and questions use for it, its English names, and the kind of value it takes. Figures read at
build time (:mod:`.figures`), the question's indicator (:mod:`reportqa.qa.query`), the English glossary and the
answer checks all read this table; nothing else lists indicator words.

Users extend it with a tab-separated table (``id``, ``zh`` names separated by ``|``, ``en`` names separated by
``|``, ``unit``: ``percent`` / ``count`` / ``amount`` / ``ratio`` / ``qualitative``), passed to
:func:`load_indicators`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from reportqa.index.errors import UsageError

UnitKind = Literal["percent", "count", "amount", "ratio", "qualitative"]


@dataclass(frozen=True)
class Indicator:
    """One quantity reports set targets for and report results of."""

    id: str
    """Stable identifier (``gdp_growth``), used in figures, questions and the ``targets`` command."""
    zh: tuple[str, ...]
    """Chinese names and synonyms, the preferred (the report's most usual) first: ``地区生产总值`` …"""
    en: tuple[str, ...]
    """English names, lower case, the preferred first: ``gdp growth``, ``economic growth`` …"""
    unit: UnitKind
    """The kind of value: a growth rate or rate in ``percent``, a ``count`` (jobs), an ``amount`` (grain)."""
    label_zh: str = ""
    """Short Chinese label for tables (defaults to the first Chinese name)."""
    label_en: str = ""
    """Short English label for tables (defaults to the first English name)."""

    @property
    def name_zh(self) -> str:
        return self.label_zh or self.zh[0]

    @property
    def name_en(self) -> str:
        return self.label_en or self.en[0]


# The order matters when names overlap: a longer, more specific name is tried first (see _pattern).
BUILTIN: tuple[Indicator, ...] = (
    Indicator(
        "gdp_growth",
        ("地区生产总值增长", "国内生产总值增长", "生产总值增长", "经济增长", "GDP增长", "地区生产总值", "国内生产总值",
         "生产总值", "GDP", "经济增速", "经济增长速度", "国内生产总值增长率", "经济增长率"),
        ("gdp growth", "economic growth", "growth of gross domestic product", "gross regional product growth",
         "gdp", "gross domestic product", "gross regional product", "economy grow", "economic output"),
        "percent", "GDP增长", "GDP growth",
    ),
    Indicator(
        "cpi",
        ("居民消费价格涨幅", "居民消费价格指数", "居民消费价格", "消费价格涨幅", "物价涨幅", "物价总水平", "CPI",
         "物价", "商品零售价格涨幅", "商品零售价格", "零售物价", "物价上涨幅度"),
        ("consumer price index", "consumer prices", "consumer price", "cpi", "inflation", "prices"),
        "percent", "CPI涨幅", "CPI",
    ),
    Indicator(
        "urban_new_jobs",
        ("城镇新增就业", "新增城镇就业", "城镇新增就业人数", "新增就业"),
        ("new urban jobs", "urban jobs", "new jobs", "jobs created", "urban employment", "employment"),
        "count", "城镇新增就业", "new urban jobs",
    ),
    Indicator(
        "unemployment_rate",
        ("城镇调查失业率", "调查失业率", "城镇登记失业率", "登记失业率", "失业率"),
        ("surveyed urban unemployment rate", "urban unemployment rate", "unemployment rate", "unemployment",
         "jobless rate"),
        "percent", "城镇调查失业率", "unemployment rate",
    ),
    Indicator(
        "income_growth",
        ("居民人均可支配收入增长", "居民人均可支配收入", "城乡居民人均可支配收入", "城镇居民人均可支配收入",
         "农村居民人均可支配收入", "人均可支配收入", "城乡居民收入增长", "城乡居民人均收入", "城乡居民收入",
         "居民收入增长", "居民收入"),
        ("per capita disposable income", "disposable income", "household income", "personal income",
         "income growth", "income"),
        "percent", "居民收入增长", "income growth",
    ),
    Indicator(
        "grain_output",
        ("粮食产量", "粮食总产量", "粮食总产", "粮食生产", "粮食播种面积"),
        ("grain output", "grain production", "grain harvest", "grain"),
        "amount", "粮食产量", "grain output",
    ),
    Indicator(
        "fixed_investment_growth",
        ("固定资产投资增长", "全社会固定资产投资", "固定资产投资", "投资增长"),
        ("fixed-asset investment", "fixed asset investment", "fixed investment", "investment growth", "investment"),
        "percent", "固定资产投资增长", "fixed-asset investment",
    ),
    Indicator(
        "retail_sales_growth",
        ("社会消费品零售总额增长", "社会消费品零售总额", "社会消费品零售", "消费品零售总额", "零售总额"),
        ("retail sales of consumer goods", "total retail sales", "retail sales", "consumption growth"),
        "percent", "社会消费品零售总额增长", "retail sales",
    ),
    Indicator(
        "budget_revenue_growth",
        ("一般公共预算收入增长", "地方一般公共预算收入", "一般公共预算收入", "地方财政收入", "财政收入",
         "公共财政预算收入", "地方公共财政收入"),
        ("general public budget revenue", "budget revenue", "fiscal revenue", "government revenue", "revenue"),
        "percent", "一般公共预算收入增长", "budget revenue",
    ),
    Indicator(
        "energy_intensity",
        ("单位国内生产总值能耗", "单位地区生产总值能耗", "单位生产总值能耗", "单位GDP能耗", "能耗强度",
         "单位国内生产总值能源消耗", "单位地区生产总值能源消耗"),
        ("energy consumption per unit of gdp", "energy intensity", "energy use per unit of gdp",
         "energy consumption per unit"),
        "percent", "单位GDP能耗", "energy intensity",
    ),
    Indicator(
        "industrial_value_added_growth",
        ("规模以上工业增加值", "规上工业增加值", "全部工业增加值", "工业增加值"),
        ("value added of industry above designated size", "industrial value added", "industrial output",
         "value-added industrial output", "industrial production"),
        "percent", "规上工业增加值增长", "industrial value added",
    ),
    Indicator(
        "foreign_trade_growth",
        ("外贸进出口总额", "货物进出口总额", "进出口总额", "外贸进出口", "进出口", "外贸"),
        ("foreign trade", "imports and exports", "total trade", "trade volume"),
        "percent", "进出口增长", "foreign trade",
    ),
    Indicator(
        "deficit_ratio",
        ("赤字率", "财政赤字率"),
        ("deficit-to-gdp ratio", "deficit ratio", "budget deficit", "fiscal deficit"),
        "percent", "赤字率", "deficit ratio",
    ),
    Indicator(
        "rd_intensity",
        ("全社会研发经费投入强度", "研究与试验发展经费投入强度", "研发经费投入强度", "R&D经费投入强度", "研发投入强度",
         "研发经费支出占地区生产总值比重", "研发经费占生产总值比重"),
        ("r&d intensity", "research and development intensity", "r&d spending", "r&d expenditure",
         "research and development spending"),
        "percent", "研发经费投入强度", "R&D intensity",
    ),
    Indicator(
        "urbanization_rate",
        ("常住人口城镇化率", "户籍人口城镇化率", "城镇化率"),
        ("urbanization rate", "urbanisation rate", "urbanization"),
        "percent", "城镇化率", "urbanization rate",
    ),
    Indicator(
        "forest_coverage",
        ("森林覆盖率",),
        ("forest coverage", "forest cover"),
        "percent", "森林覆盖率", "forest coverage",
    ),
    Indicator(
        "life_expectancy",
        ("人均预期寿命", "平均预期寿命", "预期寿命"),
        ("life expectancy",),
        "amount", "人均预期寿命", "life expectancy",
    ),
)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _joined(name: str) -> str:
    """An English name's words joined by spaces (``income-growth`` and ``income growth`` are one name)."""
    return name.replace("-", " ") if name.isascii() else name


@dataclass(frozen=True)
class IndicatorMention:
    """Where a text names an indicator."""

    indicator: Indicator
    start: int
    end: int
    text: str


_DENOMINATOR_BEFORE = re.compile(r"(?:占|于|与|同|和)[^，。；]{0,3}$")
_DENOMINATOR_AFTER = re.compile(r"(?:的)?(?:比重|比例|之比|比率|同步)")


class Vocabulary:
    """A set of indicators with one matcher over all their names (longest name first)."""

    def __init__(self, indicators: Sequence[Indicator]) -> None:
        ids = [i.id for i in indicators]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise UsageError(f"indicator ids must be unique; repeated: {', '.join(sorted(dup))}")
        self.indicators: tuple[Indicator, ...] = tuple(indicators)
        self.by_id: dict[str, Indicator] = {i.id: i for i in indicators}
        names: list[tuple[str, Indicator]] = []
        for ind in indicators:
            names += [(_norm(n), ind) for n in (*ind.zh, *ind.en)]
        names.sort(key=lambda x: -len(x[0]))
        self._by_name: dict[str, Indicator] = {}
        for n, ind in names:
            self._by_name.setdefault(_joined(n), ind)
        alts = []
        for n, _ in names:
            esc = re.escape(n)
            if n.isascii():  # English words joined by a space or a hyphen alike (income-growth, fixed asset)
                esc = esc.replace(r"\ ", "[ -]").replace(r"\-", "[ -]")
            head = r"(?<![a-z])" if n[:1].isascii() and n[:1].isalpha() else ""
            tail = r"(?![a-z])" if n[-1:].isascii() and n[-1:].isalpha() else ""
            alts.append(head + esc + tail)
        # a lookahead on the names' first characters lets the engine skip most positions at once
        firsts = "".join(sorted({re.escape(n[0]) for n, _ in names if n}))
        self._re = re.compile(f"(?=[{firsts}])(?:{'|'.join(alts)})") if alts else re.compile(r"(?!x)x")

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id; :class:`UsageError` naming the known ids otherwise."""
        ind = self.by_id.get(indicator_id)
        if ind is None:
            raise UsageError(f"unknown indicator {indicator_id!r}; known: {', '.join(self.by_id)}")
        return ind

    def mentions(self, text: str) -> list[IndicatorMention]:
        """Indicator names in ``text`` (NFKC, case-insensitive), leftmost-longest, in text order. ``text`` is
        normalised character by character, so offsets index the original text when NFKC keeps lengths (it
        does for full-width letters and digits)."""
        t = _norm(text)
        out = []
        for m in self._re.finditer(t):
            ind = self._by_name.get(_joined(m.group(0)))
            if ind is not None and len(t) == len(text):
                out.append(IndicatorMention(ind, m.start(), m.end(), text[m.start() : m.end()]))
            elif ind is not None:
                out.append(IndicatorMention(ind, m.start(), m.end(), m.group(0)))
        return out

    def subjects(self, text: str) -> list[IndicatorMention]:
        """:meth:`mentions` that are what a statement is about, not a denominator: ``占国内生产总值比重``,
        ``相当于全市生产总值的比例`` name GDP only as the base of another figure."""
        out = []
        for m in self.mentions(text):
            before = text[max(0, m.start - 6) : m.start]
            after = text[m.end : m.end + 4]
            if _DENOMINATOR_BEFORE.search(before) and _DENOMINATOR_AFTER.match(after):
                continue
            out.append(m)
        return out

    def find(self, text: str) -> list[Indicator]:
        """The indicators ``text`` names, in order of first mention, without repeats; a period adverb inside a
        name counts as the name ("经济实际增长了多少" names 经济增长)."""
        found = [m.indicator for m in self.mentions(text)]
        bare = _INSIDE_NAME.sub("", text)
        if bare != text:
            found += [m.indicator for m in self.mentions(bare)]
        return list(dict.fromkeys(found))


_INSIDE_NAME = re.compile(r"(?<=[\u4e00-\u9fff])(?:实际|预期|计划|全年|总共)(?=增长|增速|增加)")
"""Period adverbs a question puts inside an indicator's name (经济实际增长, 生产总值预期增长)."""


@lru_cache(maxsize=1)
def builtin() -> Vocabulary:
    """The built-in vocabulary."""
    return Vocabulary(BUILTIN)


def load_indicators(path: Path | None = None, base: Iterable[Indicator] = BUILTIN) -> Vocabulary:
    """The built-in vocabulary, extended (or overridden id by id) by a user table at ``path``.

    The table is tab-separated with a header row ``id  zh  en  unit``; names within a cell are separated by
    ``|``; ``#`` starts a comment line. A bad row stops with :class:`UsageError` naming the line to fix."""
    items = {i.id: i for i in base}
    if path is None:
        return Vocabulary(tuple(items.values()))
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise UsageError(f"cannot read the indicator table {path}: {e.strerror or e}") from e
    header: list[str] | None = None
    units = ("percent", "count", "amount", "ratio", "qualitative")
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = [c.lower() for c in cells]
            if header[:1] != ["id"] or not {"zh", "en"} & set(header):
                raise UsageError(f"{path}:{n}: the header must start with 'id' and name 'zh' and/or 'en' columns")
            continue
        row = dict(zip(header, cells, strict=False))
        iid = row.get("id", "")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
            raise UsageError(f"{path}:{n}: indicator id {iid!r} must be lower case letters, digits and _")
        zh = tuple(x.strip() for x in row.get("zh", "").split("|") if x.strip())
        en = tuple(x.strip().lower() for x in row.get("en", "").split("|") if x.strip())
        unit = row.get("unit", "") or "percent"
        if unit not in units:
            raise UsageError(f"{path}:{n}: unit {unit!r} must be one of {', '.join(units)}")
        if not zh and not en:
            raise UsageError(f"{path}:{n}: indicator {iid} needs at least one Chinese or English name")
        old = items.get(iid)
        items[iid] = Indicator(iid, zh or (old.zh if old else ()), en or (old.en if old else ()), unit)  # type: ignore[arg-type]
    return Vocabulary(tuple(items.values()))


QUALIFIERS: tuple[str, ...] = (
    "规模以上", "规上", "海洋", "农村", "城镇", "城市", "乡村", "人均", "民间", "外资", "县域", "国有", "民营",
    "制造业", "服务业", "高技术", "战略性新兴", "数字",
)
"""Words that narrow a quantity to another one (海洋生产总值 is not 地区生产总值, 农村居民收入 not 城镇居民收入,
规上工业增加值 not 工业增加值): a clause naming the asked quantity with one of these before it, which the question
does not name, is about another quantity (:mod:`reportqa.qa.support`)."""

NARROWED_BY_PREFIX: dict[str, str] = {"出口": "进", "进口": "出"}
"""A quantity another one contains as a word: 进出口 is neither 出口 nor 进口 (the character before says which)."""

OPPOSED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("城镇", "城市"), ("农村", "乡村")),
    (("生产资料",), ("生活资料", "消费资料")),
    (("出口",), ("进口",)),
    (("收入",), ("支出",)),
    (("存款",), ("贷款",)),
    (("中央财政", "中央预算", "中央政府"), ("地方财政", "地方预算", "地方政府")),
    (("东部",), ("中部",)),
    (("东部",), ("西部",)),
    (("中部",), ("西部",)),
    (("第一产业",), ("第二产业",)),
    (("第一产业",), ("第三产业",)),
    (("第二产业",), ("第三产业",)),
    (("国民生产总值",), ("国内生产总值",)),
)
"""Qualifiers that name two different quantities of one kind (town and countryside, exports and imports, revenue
and spending …): a sentence naming one side only and a sentence naming the other side only do not state the same
thing, however alike their wording (城镇居民人均收入…增长3.3% / 农村居民人均纯收入…增长5.4%). GNP (国民生产总值)
and GDP (国内生产总值) are two measures: the 1994 report moved from one to the other."""

CHANGE_WORDS = frozenset(
    [
        "目标", "计划", "预计", "预期", "超过", "突破", "实现", "完成", "新增", "新建", "增长", "增加", "增速", "增幅",
        "提高", "提升", "下降", "降低", "减少", "达到", "达", "实际", "全年", "累计", "实施", "规模", "总共", "一共",
        "力争", "争取", "主要", "指标", "数字", "数据", "水平", "今年", "去年", "明年", "分别", "同比", "比上年",
        "上年", "年底", "年末", "期间", "左右", "以上", "以内", "报告", "政府", "提出", "要求", "安排", "设定",
        "定为", "定", "当年", "多少", "几", "怎样", "生产", "出台", "安排", "建成", "开展", "扩大", "缩小", "target",
        "growth",
    ]
)
"""Words a question uses for how a quantity moves or for its period ("目标", "增长", "新增"), not for which
quantity it is: left out of the quantity's defining words (:mod:`reportqa.qa.support`)."""


__all__ = [
    "BUILTIN", "CHANGE_WORDS", "NARROWED_BY_PREFIX", "OPPOSED", "QUALIFIERS", "Indicator", "IndicatorMention",
    "Vocabulary",
    "builtin", "load_indicators",
]  # fmt: skip
