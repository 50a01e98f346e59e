"""Figures read at build time: each report's main targets for its year and its review's results for the year
before, as :class:`~reportqa.index.records.Figure` records with the exact quote that states them.

* **Targets** come from the main-targets statement (``今年经济社会发展主要预期目标是：地区生产总值增长5%左右，…``;
  national and provincial wordings since the 2000s, ``…的主要预期目标是``, ``预期目标为``). The statement is cut
  into clauses (``，；``); in each clause an indicator name (:mod:`.indicators`) is followed, after a few
  linking words (增长, 控制在, 涨幅, 降低 …), by its value (:mod:`.numbers`): ``5%左右``, ``4.5%—5%``,
  ``1.3万亿斤以上``, or a qualitative one (``和经济增长同步``, ``保持合理水平``). An explicitly unset target
  (``不设具体目标``, ``没有提出…具体目标``) is kept with modifier ``unset``. A five-year plan's targets
  (``年均``, ``十五五``, ``到2030年``) are not this year's and are skipped.
* **Results** come from the review (the sections :mod:`.sections` calls review, or paragraphs naming last
  year): ``去年地区生产总值增长5.4%``. Only a clause whose value directly follows its indicator is taken, and
  the first one per indicator (the review's headline figures come first).

Precision first: a clause that is ambiguous (``分别``, ``年均``, a comparison ``比2020年``) gives nothing. Every
figure's quote is asserted to occur in its paragraph and its value in its quote when it is made.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from reportqa.index.reading.sections import REVIEW, paragraph_periods
from reportqa.index.records import Citation, Figure, Paragraph
from reportqa.index.text.indicators import Indicator, IndicatorMention, Vocabulary, builtin
from reportqa.index.text.numbers import find_values, fold
from reportqa.index.text.regions import region_by_name
from reportqa.index.text.years import resolve_years

TARGET_STATEMENT = re.compile(
    r"(?:主要)?预期(?:性)?目标(?:是|为|建议为|定为|如下)?[：:，,]?|主要目标(?:是|为)[：:，,]?|(?:主要)?目标(?:任务)?是[：:]"
    r"|调控目标(?:是|为|定为)[：:，,]?|(?<=今年)计划(?=(?:国内|地区)?生产总值|经济增长)|(?<=增长)预期(?:为|是)(?=[0-9０-９])"
)
"""Where a report states its year's targets (the statement follows); the 1990s wordings too (经济增长速度的调控目标
定为８％, 今年计划国内生产总值增长百分之九, 今年的经济增长预期为7％左右)."""
_PLAN_OTHER = re.compile(r"十[一二三四五六]五|年均|规划|纲要|到20\d\d年|今后五年|\d{4}年[—-]\d{4}年|五年")
"""A statement about a five-year plan, not the year's targets."""
_THIS_YEAR = re.compile(r"今年|本年|全年")
_LAST_YEAR = re.compile(r"去年|上年|过去一年|一年来|过去的一年|全年")
_MANY_YEARS = re.compile(r"五年|十[一二三四五六]五|年均|累计|以来")
_FIVE_YEAR_PARAGRAPH = re.compile(
    r"^[^。]{0,6}(?:[^。]{0,24}。)?[^。]{0,6}"
    r"(?:这五年|过去五年|五年来|过去的五年|“十[一二三四五六]五”(?:时期|期间))"
)
"""A paragraph of the five-year review (这五年，…): its figures are not last year's, nor are those of the
paragraphs after it in its section, until one turns to the last year (:data:`_ONE_YEAR_PARAGRAPH`)."""
_ONE_YEAR_SENTENCE = re.compile(r"^\s*(?:过去一年|一年来|去年|刚刚过去的|(?:19|20)\d\d年[，,])")
_ONE_YEAR_PARAGRAPH = re.compile(r"^\s*.{0,8}(?:过去一年|一年来|去年|刚刚过去的|(?:19|20)\d\d年[，,是])")
_HAS_NUMBER = re.compile(r"[0-9０-９]|百分之")
_CLAUSE = re.compile(r"[，；。！？,;]")
_GAP_TARGET = re.compile(
    r"^(?:总水平|指数|总值|总额)?(?:实际)?(?:的)?(?:调控)?(?:预期)?(?:目标)?(?:为|是|定为|设定为)?(?:分别)?(?:比上年|同比)?(?:实际)?(?:拟)?(?:按)?"
    r"(?:全年)?"
    r"(?:继续)?(?:增长|增速|增幅|上涨幅度|涨幅|上涨|降低|下降|控制在|保持在?|稳定在?|达到|提高|为|在)?(?:控制在|保持在|为|到|达到|在)?"
    r"(?:目标)?(?:为|是)?$"
)
"""Words allowed between an indicator and its target value (``增长``, ``控制在``, ``涨幅``, ``降低`` …)."""
_GAP_ACTUAL = re.compile(
    r"^(?:总水平|指数|总值|总额|人口|人数)?(?:(?:总量|总值|规模)?(?:达到?|突破|超过|为)?[0-9０-９.．]+(?:万亿|亿|万)元?[、，,]?)?(?:全年)?"
    r"(?:分别)?(?:平均值?|比上年|同比|比去年)?(?:实际)?(?:继续)?"
    r"(?:增长|增速|增幅|上涨幅度|涨幅|上涨|降低|下降|降幅|减少|回落到|回落至|下降到|降到|降至|升至|为|是|达到|控制在|保持在|稳定在|"
    r"(?:首次)?(?:跃上|迈上|站上|突破))?"
    r"(?:为|到|了)?$"
)
"""Words allowed between an indicator and its result (``5.2万亿元、增长``, ``比上年增长``, ``平均值为`` …)."""
_QUALITATIVE = re.compile(
    r"^(?:实际)?(?:增长|增速)?(?:要)?(?P<v>(?:和|与|同)(?:经济增长|经济发展|经济增速|地区生产总值增长|国内生产总值增长)"
    r"(?:保持)?(?:基本)?同步(?:增长)?"
    r"|(?:保持在?|稳定在?|运行在?)(?:合理区间|合理水平|基本稳定|总体稳定|稳定))"
)
QUALITATIVE_STANDING: tuple[str, ...] = (
    "高于全国平均水平", "高于全国水平", "不低于全国平均水平", "保持在全国平均水平以上", "在全国平均水平以上",
    "高于全国", "快于全国", "与全国同步", "与全国一致", "高于经济增速", "高于经济增长", "快于经济增长",
    "继续下降", "持续下降", "稳步下降", "有所下降", "稳步增长", "稳步提高", "稳定增长", "合理回升", "温和回升",
    "正增长", "稳中提质", "稳量提质", "稳规模提质量", "只增不减", "不降低", "不减少",
    "基本平衡", "收支平衡", "总体平衡", "持平", "基本持平", "与上年持平",
    "完成国家下达任务", "完成国家下达的任务", "完成国家下达目标", "完成国家下达的目标", "完成国家下达的指标",
    "控制在国家下达指标以内", "控制在国家下达的指标以内", "控制在国家下达的目标以内",
)  # fmt: skip
"""Values stated as a standing against a benchmark or a direction, where a number would stand (高于全国平均水平,
与全国一致, 继续下降, 基本平衡, 完成国家下达任务): part of :data:`QUALITATIVE_VALUE`, longest first."""
_STANDING = "|".join(re.escape(x) for x in sorted(QUALITATIVE_STANDING, key=len, reverse=True))
TREND_MOVES: tuple[str, ...] = (
    "增长", "增加", "下降", "降低", "减少", "提高", "提升", "上升", "上涨", "回升", "回落", "回暖", "回稳", "企稳",
    "趋稳", "改善", "好转", "向好", "扩大", "收窄", "优化", "加快", "放缓", "增强", "壮大", "攀升", "恢复", "升温",
    "平稳", "稳定", "持平",
)  # fmt: skip
"""Words for how a quantity moves or stands (增长, 回升, 改善, 向好, 稳定): the head of a value stated as a trend."""
TREND_MANNERS: tuple[str, ...] = (
    "持续", "继续", "稳步", "逆势", "明显", "大幅", "较快", "快速", "平稳", "稳定", "显著", "不断", "进一步", "逐步",
    "小幅", "有所", "略有", "止跌", "止降", "总体", "基本", "全面", "较大",
)  # fmt: skip
"""Words for how it moves (持续, 逆势, 有所, 止跌): before a :data:`TREND_MOVES` word they make a trend a value
(持续减少, 逆势增长, 有所回升, 止跌回稳); a bare 增长 is not one (推动投资增长 states no value)."""
STANDING_CHARS = frozenset("增降升减涨跌落回高低好差稳快慢缓善优劣强弱丰歉多少扩缩旺冷热松紧宽严充缺超盈亏振衰兴")
"""Characters of how a quantity moves or stands (较低, 再获丰收, 提档升级, 有序改善), read where words no list holds say
it: one of them must be among those words (纳入考核 says what is done with a thing, not how it stands)."""
_MOVE = "|".join(sorted(TREND_MOVES, key=len, reverse=True))
_MANNER = "|".join(sorted(TREND_MANNERS, key=len, reverse=True))
_END = r"(?=$|[，。；、,;])"
"""Where a value in words must end: its clause's end."""
_END_QUOTED = r"”?(?=$|[，。；、,;])"
"""The same, after a closing quote the value may be written in (持续“双下降”)."""
_TREND = (
    rf"(?:保持|实现)?(?:(?:{_MANNER})(?:{_MOVE})|(?:{_MOVE})(?:{_MOVE}))"  # 持续减少, 有所回升, 回暖向好, 企稳回升
    r"|稳中[有向略求提][\u4e00-\u9fff]"  # 稳中有增, 稳中有降, 稳中提质
    r"|(?:促稳|稳量|扩量|增量|稳规模|扩容)提质|提质(?:增效|扩容|扩量|升级)"  # 促稳提质, 提质扩量
)
"""A trend stated in words, where a number would stand; only as the whole rest of its clause (see
:data:`QUALITATIVE_VALUE`)."""
QUALITATIVE_VALUE = re.compile(
    rf"(?:(?:争取|力争|确保|努力)?(?:保持|实现)?(?:{_STANDING})(?:、(?:{_STANDING}))*"
    r"|(?:和|与|同)[\u4e00-\u9fff]{1,10}?(?:保持)?(?:基本)?(?:同步|一致|持平|相适应|相协调|相当)(?:增长)?"
    r"|(?:保持在?|稳定在?|运行在?|控制在)(?:合理区间|合理水平|基本稳定|总体稳定|较低水平|稳定)"
    r"|(?:保持|实现)?(?:总体平稳|基本稳定|总体稳定|基本持平|与上年持平|稳中略升|稳中有升|稳中有进|稳中向好|只增不减|"
    r"稳定增长|合理增长|同步增长|实现增产|基本平衡|总体平衡|温和上涨|稳量提质|提质增效|量质齐升|回稳向好|稳中向好|"
    r"出现下降|持续改善|明显改善|持续好转|稳定|(?:略)?快于[\u4e00-\u9fff]{2,8}|(?:保持|实现|总体|基本)[\u4e00-\u9fff]{2,4}(?=$|[，。；、])))"
    rf"|(?:{_TREND}){_END}"
)
"""A value stated in words where a number would stand (和经济增长同步, 保持合理水平, 与全国一致, 保持稳定): what
an answer highlights for a qualitative figure (:mod:`reportqa.qa.support`), matched where the value starts."""
ANSWER_MANNERS: tuple[str, ...] = ("相对", "较为", "更加", "趋于", "两位数", "适度", "合理")
"""Words before a move or a standing that make it a value in an answer (相对稳定, 保持两位数增长), beside
:data:`TREND_MANNERS`."""
ANSWER_STANDINGS: tuple[str, ...] = ("良好", "较好", "缓慢", "活跃", "充裕")
"""How a quantity stands, said in one word after a manner (相对缓慢, 总体良好; 平稳, 稳定 are :data:`TREND_MOVES`) or
alone after 状况 (国际收支状况良好)."""
QUALITATIVE_ANSWER = re.compile(
    rf"(?:保持|实现)?(?:{_MANNER}|{'|'.join(ANSWER_MANNERS)})+(?:{_MOVE}|{'|'.join(ANSWER_STANDINGS)})(?:{_MOVE})?{_END}"
    rf"|(?:保持|实现)?(?:{_MOVE})(?:{_MOVE}){_END}"
    rf"|(?:状况|形势|态势)?(?:总体|基本|保持)?(?:良好|较好){_END}"
    rf"|(?:均|都)?(?:优于|好于|高于|快于)(?:全国|全省|全市)(?:平均)?(?:水平)?{_END}"
    rf"|(?:基本|全面)?(?:全覆盖|全面覆盖|(?:动态)?清零){_END}"
    rf"|(?:{_MANNER}|实现|逐年)?“?双(?:{_MOVE}|缩减){_END_QUOTED}"  # 起数和死亡人数双下降, 逐年“双下降”
    rf"|逐年(?:{_MOVE}){_END}"  # 逐年下降
    rf"|(?:{_MANNER}|一度)?(?:出现)?负增长{_END}"  # 外贸出口一度出现负增长, 物价持续负增长
    rf"|(?:{_MANNER})?(?:减产|增产){_END}"  # 棉花和油料…略有减产
    # 基本上与同期人均国民收入的增长同步
    rf"|(?:基本上?)?(?:和|与|同)[\u4e00-\u9fff]{{1,16}}?(?:保持)?(?:基本)?(?:同步|一致|相适应|相协调){_END}"
    rf"|{QUALITATIVE_VALUE.pattern}"
)
"""A value in words as an answer shows it (:mod:`reportqa.qa.support`): :data:`QUALITATIVE_VALUE` and, ending its
clause, a longer trend (持续稳定向好, 稳定好转), a manner before a standing (相对稳定, 相对缓慢, 保持两位数增长), a
standing alone (国际收支状况良好), better than the country's (均优于全国), everywhere or nothing left (全覆盖, 动态清零
— a coverage or clearance target), year by year (逐年下降), a fall below zero (一度出现负增长), a harvest's move (略有
减产), in step with a longer benchmark (基本上与同期人均国民收入的增长同步). Figure extraction at build time keeps the
narrower :data:`QUALITATIVE_VALUE`."""
_UNSET = re.compile(r"(?:不设|不提出|没有提出|未提出|不再提出|不设定)[^，。；]{0,10}?具体(?:增长)?目标")
_GENERIC = {"经济增长", "经济增速", "投资增长", "进出口", "外贸", "物价", "新增就业", "失业率", "财政收入", "居民收入",
            "生产总值", "生产总值增长", "工业增加值", "零售总额", "GDP", "GDP增长", "居民收入增长", "人均可支配收入",
            "固定资产投资", "固定资产投资增长", "粮食生产", "物价总水平", "社会消费品零售"}  # fmt: skip
"""Names too short to say which total they are about: taken only after a neutral character (全省, ，)."""
_NEUTRAL_BEFORE = set("全省市区国县州年是的和与及为：:，,；;、（(“\"乡") | {""}
_NEUTRAL_VERB_BEFORE = re.compile(r"(?:^|[，,；;])\s*(?:努力|力争|确保)?实现$")
"""A verb opening the clause before a short name (努力实现居民收入增长和经济发展同步): the name is the total."""
_BLOCK_BEFORE = re.compile(r"(?:人均|单位|占|与|较|农村|城镇|工业|民间|制造业|外资|外贸|出口|口径)$")
_UNIT_OK = {
    "percent": lambda u: u == "%",
    "count": lambda u: u.endswith("人") and not u.endswith("人次"),
    "amount": lambda u: u.endswith(("斤", "吨")),
    "ratio": lambda u: u in ("%", "‰", ""),
    "qualitative": lambda u: False,
}


@dataclass(frozen=True)
class _Doc:
    document: str
    region: str
    year: int | None
    document_id: int


def _figure(p: Paragraph, doc: _Doc, indicator: Indicator, kind: str, year: int | None, start: int, end: int,
            value_start: int, low: float | None, high: float | None, unit: str, modifier: str,
            section: str) -> Figure:  # fmt: skip
    """A figure whose quote is ``p.text[start:end]`` and value ``p.text[value_start:end]`` (asserted)."""
    quote = p.text[start:end]
    value = p.text[value_start:end]
    if not (quote and value and quote in p.text and value in quote):
        raise AssertionError(f"figure quote {quote!r} / value {value!r} not in paragraph {p.n} of {p.document}")
    return Figure(
        indicator=indicator.id, kind=kind, year=year, value=value, low=low, high=high, unit=unit, modifier=modifier,
        quote=quote, citation=Citation(doc.document, section, p.n, p.lines, region=doc.region, year=doc.year),
        document_id=doc.document_id,
    )  # fmt: skip


_NEUTRAL_VERB_END = re.compile(r"(?:保持|实现|推动|促进|确保|力争|努力|完成|带动|拉动|其中)$")
"""A verb or 其中 right before a short name: the name is the total (保持进出口基本平衡, 保持固定资产投资适度增长)."""


def generic_name_ok(text: str, start: int, name: str) -> bool:
    """``name`` at ``start`` of ``text`` names the total it stands for (the answer check's reading, wider than the
    figure reader's :func:`_mention_ok`): a name too short to say which total (投资增长, 居民收入, 进出口:
    :data:`_GENERIC`) only after a neutral character (全省), a verb (保持, 实现) or punctuation — 工业技改投资增长 and
    民间投资增长 are other quantities' growth. A longer name is its indicator's wherever it stands."""
    if name not in _GENERIC and name.upper() not in _GENERIC:
        return True
    prev = text[start - 1 : start] if start else ""
    return (prev in _NEUTRAL_BEFORE or not re.match(r"[\u4e00-\u9fff]", prev)
            or bool(_NEUTRAL_VERB_END.search(text[:start])))  # fmt: skip


def _mention_ok(text: str, m: IndicatorMention) -> bool:
    before = text[max(0, m.start - 4) : m.start]
    if _BLOCK_BEFORE.search(before) and m.text not in ("城镇调查失业率", "城镇登记失业率", "城镇新增就业"):
        return False
    if m.text in _GENERIC or m.text.upper() in _GENERIC:
        prev = text[m.start - 1 : m.start] if m.start else ""
        if (prev not in _NEUTRAL_BEFORE and re.match(r"[\u4e00-\u9fff]", prev)
                and not _NEUTRAL_VERB_BEFORE.search(text[: m.start])):  # fmt: skip
            return False
    return True


_GROWTH_NEXT = re.compile(
    r"^(?:(?:按可比价格计算|扣除价格因素)[，,])?(?:比上年|同比|比去年)?(?:实际)?(?:增长|下降|上涨)"
)
"""A clause continuing a level with its growth: 国内生产总值达到63.6万亿元，比上年增长7.4%; also after a clause
on how it is counted (国内生产总值达到４３８００亿元，按可比价格计算，比上年增长百分之十一点八)."""
_COUNTED = re.compile(r"^\s*(?:按可比价格计算|扣除价格因素)\s*$")


_DIRECTION = re.compile(r"(?:继续)?(?:下降|降低|减少|降幅|上涨|回落到|回落至|下降到|突破)$")
"""A direction word right before a value belongs to it (``下降3.3%``, ``上涨0.2%``); a fall makes the bounds
negative (``下降到``/``回落到`` name a level and do not)."""
_PAIR = re.compile(r"^\s*[、和与及]\s*")
_RESTATED_TARGET = re.compile(r"(?:年初|原定|预定)?(?:确定|提出|制定|设定)的[^。！？]{1,60}?目标")
"""A target restated in the review (没有实现年初确定的单位国内生产总值能耗降低4%左右…的目标): no result."""
_EXPLAINS_TARGET = re.compile(r"^\s*(?:这里要着重说明，)?提出")
"""A sentence explaining a target just set (提出国内生产总值增长8％左右，主要是…): its 去年 is no result's."""


def _pick(clause: str, m: IndicatorMention, limit: int, kind: str) -> tuple[int, int, float | None, float | None,
                                                                          str, str] | None:  # fmt: skip
    """The value for mention ``m`` in ``clause``: ``(value start, end, low, high, unit, modifier)`` or None."""
    ind = m.indicator
    gap_re = _GAP_TARGET if kind == "target" else _GAP_ACTUAL
    values = [v for v in find_values(clause[: max(limit, m.end)]) if v.start >= m.end]
    for k, v in enumerate(values[:3]):
        gap = clause[m.end : v.start].strip()
        if not gap_re.match(gap) or not _UNIT_OK[ind.unit](v.parsed.unit):
            continue
        start, end = v.start, v.end
        low, high, modifier = v.parsed.low, v.parsed.high, v.parsed.modifier
        d = _DIRECTION.search(clause[m.end : v.start].rstrip())
        if d is not None:
            start = m.end + d.start()
            if d.group(0).endswith(("下降", "降低", "减少", "降幅")) and low is not None and high is not None:
                low, high = -high, -low
        nxt = values[k + 1] if k + 1 < len(values) else None
        if "分别" in gap:
            # two values for two groups (城镇、农村): 分别增长4.4%、5.9%
            if nxt is None or not _PAIR.fullmatch(clause[v.end : nxt.start]) or nxt.parsed.unit != v.parsed.unit:
                return None
            lows = [x for x in (v.parsed.low, nxt.parsed.low) if x is not None]
            return start, nxt.end, min(lows), max(lows), v.parsed.unit, "pair"
        return start, end, low, high, v.parsed.unit, modifier
    return None


_QUALITATIVE_RESULT = re.compile(
    r"^(?:保持)?(?:总体平稳|基本稳定|总体稳定|基本持平|与上年持平|稳中略升|稳中有升|保持较低水平|温和上涨|实现增产|出现下降"
    r"|(?:都|均)?比上年下降|(?:达到|实现|完成)了?(?:预期|预定)?目标)$"
)
"""A result stated in words (居民消费价格总体平稳), taken only as a whole clause."""
_QUALITATIVE_REST = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
_LEAD = re.compile(r"\s*(?:——)?(?:去年|上年|全年)?(?:我国|全国|全省|全市|全区)?")
"""What may stand before the indicator of a clause that states its value in words (去年我国进出口总额出现下降)."""
_RESULT_WORDS = re.compile(_QUALITATIVE_RESULT.pattern.replace("^", "").replace("$", "") + "(?=$|[，。；])")
"""A sentence with no number may still state a result in words (居民消费价格涨幅保持较低水平)."""


def _qualitative_clause(clause: str, m: IndicatorMention, kind: str) -> int | None:
    """Where the value of a clause that is only an indicator and words starts (粮食产量只增不减 → 只增不减), or None:
    in a targets statement any short rest of the clause, in a review only the known result phrases."""
    if (m.start > 2 and not _LEAD.fullmatch(clause[: m.start])) or not _mention_ok(clause, m):
        return None
    rest = clause[m.end :].strip()
    ok = _QUALITATIVE_RESULT.match(rest) if kind == "actual" else _QUALITATIVE_REST.match(rest)
    if not ok:
        return None
    if kind == "target" and (re.match(r"^(?:增长|下降|提高|降低|达到|比|实现|完成|率)", rest) or "目标" in rest):
        return None
    return m.end + (len(clause[m.end :]) - len(clause[m.end :].lstrip()))


_LATER_PAIR = re.compile(
    r"[，,](?:[^，,。；;%％]{1,20}[，,]){0,2}\s*(?:扣除价格因素[，,]\s*)?(?:分别(?:比上年)?(?:实际)?|(?:比上年)?实际)增长\s*"
)
"""Two groups' levels, then both growths: 城镇居民人均可支配收入9422元，农村居民人均纯收入2936元，扣除价格因素，分别
实际增长7.7%和6.8% (or without 分别: …5153元，实际增长9.8%和8.5%, the two values joined by 和/、)."""


def _later_pair(p: Paragraph, m_start: int, b: int, end: int, vocab: Vocabulary, ind: Indicator) -> tuple[
        int, int, float, float, str] | None:  # fmt: skip
    """``(value start, value end, low, high, unit)`` of a pair of growths stated clauses after ``b``, or None."""
    g = _LATER_PAIR.match(p.text, b, end)
    if g is None or any(x.indicator is not ind for x in vocab.mentions(p.text[b : g.end()])):
        return None
    vals = find_values(p.text[g.end() : end])
    if len(vals) < 2 or vals[0].start != 0:
        return None
    v, w = vals[0], vals[1]
    if not _PAIR.fullmatch(p.text[g.end() + v.end : g.end() + w.start]):
        return None
    if v.parsed.unit != "%" or w.parsed.unit != "%" or v.parsed.low is None or w.parsed.low is None:
        return None
    return g.end() + v.start, g.end() + w.end, min(v.parsed.low, w.parsed.low), max(v.parsed.low, w.parsed.low), "%"


def _clause_figures(p: Paragraph, a: int, b: int, doc: _Doc, vocab: Vocabulary, kind: str, year: int | None,
                    section: str, follow: int | None = None, words: bool = False,
                    sentence_end: int | None = None) -> list[Figure]:  # fmt: skip
    """Figures of the clause ``p.text[a:b]``: each indicator with the value right after it. ``follow``: the
    end of the next clause, where a result's growth may follow its level (``…万亿元，比上年增长7.4%``).
    ``words``: a clause of an indicator and words only is a qualitative value (:func:`_qualitative_clause`)."""
    clause = p.text[a:b]
    if "年均" in clause or re.search(r"比\s*(?:19|20)\d\d\s*年", clause):
        return []
    mentions = vocab.mentions(clause)
    if words and len(mentions) == 1 and not any(v.parsed.unit for v in find_values(clause)):
        at = _qualitative_clause(clause.rstrip(), mentions[0], kind)
        if at is not None:
            m = mentions[0]
            end = a + len(clause.rstrip())
            return [_figure(p, doc, m.indicator, kind, year, a + m.start, end, a + at, None, None, "", "qualitative",
                            section)]  # fmt: skip
    if "分别" in clause and len(mentions) != 1:
        return []  # 居民消费价格涨幅、城镇调查失业率分别控制在3%和5%以内: which is which is not for a rule
    out: list[Figure] = []
    consumed = 0
    for i, m in enumerate(mentions):
        if m.start < consumed or not _mention_ok(clause, m):
            continue
        limit = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
        ind = m.indicator
        rest = clause[m.end :]
        if kind == "target" and (q := _QUALITATIVE.match(rest)):
            e = m.end + q.end()
            out.append(_figure(p, doc, ind, kind, year, a + m.start, a + e, a + m.end + q.start("v"), None, None, "",
                               "qualitative", section))  # fmt: skip
            consumed = e
            continue
        got = _pick(clause, m, limit, kind)
        if got is not None:
            vs, ve, low, high, unit, modifier = got
            # a pair's quote names both groups: 城镇、农村居民人均可支配收入分别增长4.3%、5.7%
            qs = m.start - 3 if modifier == "pair" and clause[: m.start].endswith("城镇、") else m.start
            out.append(_figure(p, doc, ind, kind, year, a + qs, a + ve, a + vs, low, high, unit, modifier,
                               section))  # fmt: skip
            consumed = ve
            continue
        if kind == "actual" and sentence_end is not None and i + 1 == len(mentions) and ind.unit == "percent":
            pair = _later_pair(p, a + m.start, b, sentence_end, vocab, ind)
            if pair is not None:
                vs, ve, low, high, unit = pair
                out.append(_figure(p, doc, ind, kind, year, a + m.start, ve, vs, low, high, unit, "pair", section))
                consumed = len(clause)
                continue
        # a level, then its growth in the next clause: 国内生产总值达到63.6万亿元，比上年增长7.4%
        nxt_clause = p.text[b + 1 : follow] if follow is not None and i + 1 == len(mentions) else ""
        g = _GROWTH_NEXT.match(nxt_clause)
        w = next(iter(find_values(nxt_clause)), None) if g else None
        if g is None or w is None or w.start > g.end() + 1 or not _UNIT_OK[ind.unit](w.parsed.unit):
            continue
        e = b + 1 + w.end
        if vocab.mentions(p.text[b + 1 : e]) or not re.search(r"[0-9０-９]", rest):
            continue
        out.append(_figure(p, doc, ind, kind, year, a + m.start, e, b + 1 + w.start, w.parsed.low, w.parsed.high,
                           w.parsed.unit, w.parsed.modifier, section))  # fmt: skip
        consumed = len(clause)
    return out


def _unset_figures(p: Paragraph, a: int, b: int, doc: _Doc, vocab: Vocabulary, year: int | None,
                   section: str) -> list[Figure]:  # fmt: skip
    out = []
    for u in _UNSET.finditer(p.text, a, b):
        window = p.text[max(a, u.start() - 12) : u.end()]
        ms = [m for m in vocab.mentions(window) if m.indicator.unit != "qualitative"]
        if not ms:
            continue
        m = ms[-1]
        s = max(a, u.start() - 12) + m.start
        start = min(s, u.start())
        out.append(_figure(p, doc, m.indicator, "target", year, start, u.end(), u.start(), None, None, "",
                           "unset", section))  # fmt: skip
    return out


def _spans(text: str, a: int, b: int) -> Iterable[tuple[int, int]]:
    last = a
    for m in _CLAUSE.finditer(text, a, b):
        yield last, m.start()
        last = m.end()
    if last < b:
        yield last, b


def _extend_statement(text: str, end: int, vocab: Vocabulary) -> int:
    """The end of a targets statement that goes on in the next sentences (地区生产总值增长6%。规模以上工业增加值
    增长7.5%左右，…): each next sentence that opens with an indicator and its value is part of it."""
    while end < len(text):
        nxt = text.find("。", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        first = _CLAUSE.split(text[end + 1 : nxt], maxsplit=1)[0]
        ms = vocab.mentions(first)
        if not ms or ms[0].start > 2 or _pick(first, ms[0], ms[1].start if len(ms) > 1 else len(first),
                                             "target") is None:  # fmt: skip
            return end
        end = nxt
    return end


def _statement_end(text: str, start: int) -> int:
    """The end of the statement starting at ``start``: its full stop (the whole list of targets)."""
    e = text.find("。", start)
    return len(text) if e < 0 else e


def extract_figures(
    paragraphs: Sequence[Paragraph],
    *,
    region: str = "",
    year: int | None = None,
    document_id: int = -1,
    vocabulary: Vocabulary | None = None,
) -> list[Figure]:
    """The targets and results one report states (see the module docstring). ``year`` is the report's year
    (its dateline's); ``region`` its full region name, both copied into each figure's citation."""
    vocab = vocabulary or builtin()
    found_year, periods = paragraph_periods(paragraphs)
    year = year if year is not None else found_year
    doc = _Doc(paragraphs[0].document if paragraphs else "", region, year, document_id)
    targets: list[Figure] = []
    actuals: list[Figure] = []
    five_year: tuple[str, ...] | None = None  # the section whose five-year review we are in
    pending = False  # a cue ended its paragraph (主要预期目标是：): the statement is the next paragraph
    goes_on = False  # a statement ran to its paragraph's end: the next paragraph may go on with it
    previous = ""
    for p in paragraphs:
        text_before, previous = previous, p.text
        if p.heading:
            continue
        section = " › ".join(p.section)
        period = periods.get(p.n)
        # targets: the statement after a cue, up to its full stop
        if period != REVIEW:
            statements: list[tuple[int, int]] = []
            if pending or (re.match(r"\s*是[：:]", p.text) and text_before.rstrip().endswith("目标")):
                statements.append((0, _statement_end(p.text, 0)))
            elif goes_on and (e := _extend_statement(p.text, -1, vocab)) > -1:
                statements.append((0, e))
            pending = goes_on = False
            for cue in TARGET_STATEMENT.finditer(p.text):
                s0 = p.text.rfind("。", 0, cue.start()) + 1
                head = p.text[s0 : cue.start()]
                if _PLAN_OTHER.search(head) and not _THIS_YEAR.search(head):
                    continue
                named = [y for y in resolve_years(head, year) if y != year]
                if named or _LAST_YEAR.search(head.replace("全年", "")):
                    continue
                end = _statement_end(p.text, cue.end())
                if not p.text[cue.end() : end].strip():
                    pending = True
                    continue
                # the clause holding the cue (今年经济增长预期目标为7%左右), then the statement after it
                c0 = max(p.text.rfind(x, s0, cue.start()) for x in "，；,;") + 1
                c0 = max(c0, s0)
                statements.append((c0, end))
            for s0, end in statements:
                end = _extend_statement(p.text, end, vocab)
                goes_on = goes_on or end >= len(p.text.rstrip()) - 1
                for a, b in _spans(p.text, s0, end):
                    targets += _clause_figures(p, a, b, doc, vocab, "target", year, section, words=True)
                targets += _unset_figures(p, s0, end, doc, vocab, year, section)
            # a target stated where its policy is: 赤字率拟按3%安排
            for s in re.finditer(r"[^。！？]*赤字率[^。！？]*", p.text):
                named = resolve_years(s.group(0), year)
                if not named or named[0] != year or _MANY_YEARS.search(s.group(0)):
                    continue
                for a, b in _spans(p.text, s.start(), s.end()):
                    targets += [f for f in _clause_figures(p, a, b, doc, vocab, "target", year, section)
                                if f.indicator == "deficit_ratio"]  # fmt: skip
        # results: review paragraphs (or ones naming last year), sentence by sentence
        last = year - 1 if year is not None else None
        if _FIVE_YEAR_PARAGRAPH.match(p.text):
            five_year = p.section
        elif five_year != p.section or _ONE_YEAR_PARAGRAPH.match(p.text):
            five_year = None
        told_last = False  # an earlier sentence of this paragraph turned to last year (过去一年，…。国内生产总值增长…)
        for s in re.finditer(r"[^。！？]+", p.text):
            sent = s.group(0)
            plain = sent.replace("全年", "")
            carried = (told_last and not _THIS_YEAR.search(plain) and not resolve_years(sent, year)
                       and "目标" not in sent)  # 没有实现年初确定的…降低4%左右…的目标: a target restated
            told_last = (told_last or bool(_LAST_YEAR.search(plain))) and not _THIS_YEAR.search(plain)
            if five_year is not None and s.start() > 0 and _ONE_YEAR_SENTENCE.match(sent):
                five_year = None  # …。2012年，…: back to the last year
            if five_year is not None:
                continue
            if not (_HAS_NUMBER.search(sent) or _RESULT_WORDS.search(sent)) or (
                    TARGET_STATEMENT.search(sent) and period != REVIEW):  # fmt: skip
                continue
            if period != REVIEW and _EXPLAINS_TARGET.match(sent):  # 提出居民消费价格涨幅3％左右，综合考虑了去年…
                continue
            if not vocab.mentions(sent):
                continue
            spans = list(_spans(p.text, s.start(), s.end()))
            for k, (a, b) in enumerate(spans):
                # the years named up to this clause (a later 为今年… does not make it about this year), and no
                # five-year words before it (a later 累计… is about something else)
                before = p.text[s.start() : b]
                named = resolve_years(before, year)
                if any(y != last for y in named) or _MANY_YEARS.search(before):
                    continue
                says_last = _LAST_YEAR.search(plain) or (last is not None and last in named) or carried
                if period != REVIEW and not says_last:
                    continue
                follow = spans[k + 1][1] if k + 1 < len(spans) and spans[k + 1][0] == b + 1 else None
                if follow is not None and k + 2 < len(spans) and _COUNTED.match(p.text[b + 1 : follow]):
                    follow = spans[k + 2][1]
                got = _clause_figures(p, a, b, doc, vocab, "actual", last, section, follow, words=True,
                                      sentence_end=s.end())  # fmt: skip
                restated = [(r.start(), r.end()) for r in _RESTATED_TARGET.finditer(p.text, s.start(), s.end())]
                actuals += [f for f in got if not any(r0 <= p.text.find(f.quote, a) < r1 for r0, r1 in restated)]
    return _first_each(targets) + _first_each(actuals)


def _first_each(figures: Sequence[Figure]) -> list[Figure]:
    """The first figure of each (indicator, year): the headline statement comes before later mentions; a number
    before words (物价总水平基本稳定 …，居民消费价格涨幅控制在3%以内: the 3%)."""
    best: dict[tuple[str, int | None], Figure] = {}
    for f in figures:
        key = (f.indicator, f.year)
        old = best.get(key)
        if old is None or (old.low is None and f.low is not None):
            best[key] = f
    return [f for f in figures if best.get((f.indicator, f.year)) is f]


def select_figures(
    figures: Iterable[Figure],
    indicators: Iterable[str] = (),
    regions: Iterable[str] = (),
    years: Iterable[int] = (),
    kinds: Iterable[str] = (),
) -> list[Figure]:
    """The figures matching every non-empty filter (any value within one filter). ``regions`` accept any form
    :func:`~reportqa.index.text.regions.region_by_name` knows (``西藏``, ``Tibet``, ``xizang``, ``全国``)."""
    want_ind = set(indicators)
    want_years = set(years)
    want_kinds = set(kinds)
    want_regions: set[str] = set()
    for r in regions:
        reg = region_by_name(r)
        want_regions.add(reg.name if reg is not None else r)
    return [
        f
        for f in figures
        if (not want_ind or f.indicator in want_ind)
        and (not want_years or f.year in want_years)
        and (not want_kinds or f.kind in want_kinds)
        and (not want_regions or f.region in want_regions)
    ]


CSV_COLUMNS = (
    "region", "year", "kind", "indicator", "indicator_zh", "value", "low", "high", "unit", "modifier",
    "document", "section", "paragraph", "line_start", "line_end", "quote",
)  # fmt: skip
"""Columns of ``reportqa targets --csv`` (one row per figure; plain names for pandas, Excel and Stata)."""


def sort_figures(figures: Iterable[Figure]) -> list[Figure]:
    """By region, year, kind (target first), indicator (vocabulary order), then document and paragraph."""
    order = {ind.id: i for i, ind in enumerate(builtin().indicators)}
    return sorted(
        figures,
        key=lambda f: (f.region, f.year if f.year is not None else 0, f.kind != "target",
                       order.get(f.indicator, len(order)), f.indicator, f.document, f.citation.paragraph),
    )  # fmt: skip


def csv_row(f: Figure, vocabulary: Vocabulary | None = None) -> dict[str, str | int | float | None]:
    """One ``--csv`` row (:data:`CSV_COLUMNS`)."""
    vocab = vocabulary or builtin()
    ind = vocab.by_id.get(f.indicator)
    return {
        "region": f.region, "year": f.year, "kind": f.kind, "indicator": f.indicator,
        "indicator_zh": ind.name_zh if ind else "", "value": f.value, "low": f.low, "high": f.high, "unit": f.unit,
        "modifier": f.modifier, "document": f.document, "section": f.citation.section,
        "paragraph": f.citation.paragraph, "line_start": f.citation.lines[0], "line_end": f.citation.lines[1],
        "quote": f.quote,
    }  # fmt: skip


def write_csv(figures: Iterable[Figure], out: IO[str], vocabulary: Vocabulary | None = None) -> None:
    """The figures as CSV, UTF-8 with a byte-order mark (so Excel reads the Chinese right), one row each."""
    import csv

    out.write("\ufeff")
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for f in figures:
        w.writerow(csv_row(f, vocabulary))


def table_lines(figures: Sequence[Figure], vocabulary: Vocabulary | None = None) -> list[str]:
    """A terminal table: region, year, kind, indicator, value, document ¶."""
    vocab = vocabulary or builtin()
    rows = [("region", "year", "kind", "indicator", "value", "document ¶")]
    for f in figures:
        ind = vocab.by_id.get(f.indicator)
        rows.append((f.region or "?", str(f.year or "?"), f.kind, ind.name_zh if ind else f.indicator, f.value,
                     f"{f.document} ¶{f.citation.paragraph}"))  # fmt: skip

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [c + " " * (widths[i] - width(c)) for i, c in enumerate(r[:-1])]
        out.append("  ".join([*cells, r[-1]]).rstrip())
    return out


def same_value(a: str, b: str) -> bool:
    """Two values as written are the same after folding full-width characters, dashes and spaces."""
    return fold(a) == fold(b)


__all__ = [
    "CSV_COLUMNS", "QUALITATIVE_ANSWER", "QUALITATIVE_STANDING", "QUALITATIVE_VALUE", "TARGET_STATEMENT", "csv_row",
    "extract_figures",
    "same_value", "select_figures", "sort_figures", "table_lines", "write_csv",
]  # fmt: skip
