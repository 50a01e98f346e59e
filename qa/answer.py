"""Choosing the sentence that answers a question, and the figure or name in it.

The candidate sentences are those of the best passage. Each gets its dense cosine with the question
(computed at build time) plus the idf-weighted share of the question's keyword tokens it contains, plus a
bonus when it holds the kind of thing the question asks for (a number with the asked unit, a date, a name).
The *highlight* is then the exact substring of that sentence carrying the asked-for figure: for
多少/几/how many/how much/what percentage the number (with its unit and qualifier, e.g. ``8%左右``,
``95 万亩以上``, ``2.19 万套（户）``) nearest after the question's words; for 谁/who a person's name after a
title; for when/哪天 a date.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reportqa.index.reading.sentences import CLAUSE_PUNCT
from reportqa.index.text.indicators import Vocabulary, builtin
from reportqa.index.text.numbers import COUNTERS
from reportqa.index.text.numbers import NUM as _NUM
from reportqa.index.text.numbers import QUALIFIER as _QUAL
from reportqa.index.text.numbers import ROUGH as _ROUGH
from reportqa.index.text.numbers import UNIT as _UNIT
from reportqa.index.text.tokens import normalize, tokenize
from reportqa.index.text.years import SOME_YEARS, is_year_token

from .report_asked import ReportPart

# number (ASCII or full-width digits), optional space, a rough count's 多/余 before a unit (6700多公里, 500多万台),
# optional magnitude and unit, optional qualifier: the one number grammar of reportqa.index.text.numbers
FIGURE = re.compile(rf"(?<![0-9A-Za-z.])({_NUM})\s*(?:{_ROUGH}(?={_UNIT}))?({_UNIT})?(（[^（）]{{1,3}}）)?({_QUAL})")
DATE = re.compile(rf"{_NUM}\s*年\s*{_NUM}\s*月\s*(?:{_NUM}\s*日)?")
_TITLE = re.compile(r"(?:主席|副主席|书记|省长|市长|县长|区长|州长|盟长|部长|主任|总理|委员长|局长|厅长)[\s\u3000]*")
_NAME_END = re.compile(r"[^\u4e00-\u9fff]|各位|同志|作|在|代表|向|$")


def titled_name(text: str) -> tuple[int, int] | None:
    """``(start, end)`` of a person's name after a title (省长 王凯, 自治区主席 韦 韬, 总理 李克强各位代表, 市长 殷勇
    殷勇同志…, 艾尔肯·吐尼亚孜): the shortest two-to-four-character name followed by a boundary, or None."""
    for m in _TITLE.finditer(text):
        at = m.end()
        flat = [(i, c) for i, c in enumerate(text[at : at + 12]) if not c.isspace()]
        for n in (2, 3, 4):
            if len(flat) < n or not all("\u4e00" <= c <= "\u9fff" for _, c in flat[:n]):
                break
            end = at + flat[n - 1][0] + 1
            name = "".join(c for _, c in flat[:n])
            tail = text[end:]
            if tail.startswith("·"):
                more = re.match(r"·[\u4e00-\u9fff]{2,6}", tail)
                return (at, end + more.end()) if more else (at, end)
            if _NAME_END.match(tail) or tail.replace(" ", "").startswith(name):
                return at, end
    return None


_FARED = (
    "gr[eo]wn?|change[ds]?|develop(?:ed)?|perform(?:ed)?|behave[ds]?|fared?|move[ds]?|rise|rose|risen|fall|fell|"
    "fallen|increase[ds]?|decrease[ds]?|evolve[ds]?|go|gone|went"
)
"""Verbs of "how did/has … <verb>" asking how a quantity moved (a rate, or a value in words: 相对缓慢)."""
_STATE_EN = "quality|situation|level|conditions?|state|performance|trend|prices|balance|outlook"
"""Nouns of "how was/is … <noun>" asking a quantity's standing (总体稳定, 持续向好)."""
_STATE_ZH = "形势|状况|质量|水平|态势|走势|价格|物价|增速|收支"
"""Nouns before 怎么样/如何 asking a quantity's standing (就业形势怎么样, 物价水平如何)."""
_MEASURE = "concentration|expectancy|density|length|mileage|area|population"
"""Nouns of "what was/is … <noun>" naming a measured level (PM2.5 concentration, life expectancy, road mileage): a
number answers."""
_RATE = r"(?<!exchange )\brate\b"
"""A rate asked in English — a percentage, unless it is an exchange rate."""
_ASK_NUMBER = re.compile(
    r"多少|几[个项家次所条座人户名位枚届倍件种批场年月天]?|多大|多快|多高|多长|多久|比例|比重|增速|增幅|幅度|"
    r"how (?:many|much|fast|big|large|high)|what (?:percentage|proportion|share|rate|amount|number|level)|"
    rf"by how much|growth (?:target|rate)|{_RATE}|"
    rf"\bwhat (?:was|is|were|will be)\b[^?？]*\b(?:output|production|revenue|income|value|volume|capacity|target|"
    rf"sales|throughput|ridership|balance|spending|investment|coverage|{_MEASURE})\b|"
    # a target asked (in words or a number: 与经济增长同步, 5%左右): "what does the report target for …", "目标是什么"
    r"\btargets?\s+(?:for|of)\b|\bwhat\b[^?？]*\btarget(?:s|ed)?\b|目标(?:是什么|为何|是怎样|是如何)|"
    # a goal or requirement asked in other words, and how a quantity fared or stands (a number or a value in words:
    # 保持基本稳定, 增长相对缓慢, 总体稳定) — "how did exports grow", "物价水平怎么样", "要达到什么目标"
    r"\bwhat\b[^?？]*\b(?:aim(?:s|ed)?|goals?|objectives?)\b|(?:达到|实现)什么(?:样的)?目标|"
    rf"(?:{_STATE_ZH})[^?？]{{0,6}}什么(?:样的)?(?:目标|要求)|"
    r"\bhow (?:long|far)\b|"
    rf"\bhow (?:did|does|do|has|have|had|will|would)\b[^?？]*\b(?:{_FARED})\b|"
    rf"\bhow (?:was|is|were|are)\b[^?？]*\b(?:{_STATE_EN})\b|"
    rf"(?:{_STATE_ZH})(?:怎么样|怎样|如何|有何变化|有什么变化)",
    re.I,
)
_ASK_LEVEL = re.compile(
    r"多少|几|多大|多长|how (?:many|much|big|large|long|far)|what (?:amount|number)|"
    rf"\bwhat (?:was|is|were)\b[^?？]*\b(?:output|production|volume|total|amount|revenue|capacity|sales|throughput|"
    rf"income|spending|investment|ridership|{_MEASURE})\b",
    re.I,
)
"""A level or count asked: a number answers it, not a value in words (unless :data:`_ASK_STANDING`)."""
_ASK_MANNER = re.compile(
    r"怎样|怎么样|如何|什么(?:情况|变化)|有何变化|\bhow (?:did|does|do|has|have|was|is|were|are)\b|what happened|"
    r"提出了?什么(?:样的)?要求|\bwhat\b[^?？]*\b(?:aim(?:s|ed)?\s+(?:for|at)|call(?:s|ed)?\s+for)\b",
    re.I,
)
"""How the thing stands or moves asked (:attr:`Asked.manner`), when no level or count is (:data:`_ASK_LEVEL`); or
how it shall stand (对物价提出了什么要求, what did the report aim for regarding the exchange rate)."""
_ASK_STANDING = re.compile(
    r"目标|要求|计划|预期|要达到|要实现|怎么样|怎样|如何|变化|走势|占比|比重|比例|"
    r"涨|跌|降|增长|增加(?!值)|提高|减少|增速|增幅|"  # a change asked: 持平, 稳中略升 answer it
    r"target|goal|aim|objective|plan|expect|share|proportion|rate|how (?:did|does|has|was|is)|"
    r"\b(?:gr[eo]w|rise|rose|fall|fell|increase|decrease|change)",
    re.I,
)
"""A target, a plan, a share, a change or a standing asked: a value in words may answer it (保持稳定, 持平)."""
_ASK_DATE = re.compile(
    r"什么时候|哪天|哪一天|何时|日期|几月几日|^\W*when\b|\bwhen\s+(?:did|was|were|is|are|will|does|do|has|have|had)\b"
    r"|\bwhen\s*[?？]|what date|which date|on what day",
    re.I,
)
"""A date asked: 什么时候, or an English *when* opening the question or asking (when did, when was, … and when?) — not
the *when* of a time clause (how had prices behaved when the bonds were issued)."""
_ASK_WHO = re.compile(r"谁|何人|哪位|\bwho\b|whom|whose", re.I)
_ASKED_UNIT = re.compile(rf"(?:多少|几)\s*({_UNIT})")
COUNT = "#"
"""The unit an English "how many …" question asks when it names none (how many villages, how many draft laws): any
measure word of things or people counted, not a sum of money, a rate or a multiple (:func:`unit_matches`)."""
_HOW_MANY = re.compile(r"\bhow many\b")
_NO_COUNT = re.compile(r"元|%|‰|倍|百分点|成$")
_EN_UNITS = {
    "person-times": "人次", "person-time": "人次",  # 人次 (visits, trainings), not a multiple
    "percent": "%", "percentage": "%", "yuan": "元", "mu": "亩", "tons": "吨", "tonnes": "吨",
    "households": "户", "people": "人", "km": "公里", "kilometers": "公里", "kilometres": "公里",
    "medals": "枚", "times": "倍",
}  # fmt: skip


_ASK_PLACE = re.compile(r"哪里|哪儿|在哪|何地|何处|什么地方|哪个地方|\bwhere\b", re.I)
_ASK_LIST = re.compile(r"哪些|哪几|有哪|列举|\bwhat are\b|\bwhich\b|\blist\b", re.I)
_ASK_YESNO = re.compile(
    r"是否|是不是|有没有|能否|吗\s*[？?]?\s*$|^\s*(?:is|are|does|do|did|will|was|were|has|have|can)\b", re.I
)

AskedKind = Literal["number", "date", "who", "place", "list", "yesno", "other"]


@dataclass(frozen=True)
class Term:
    """One defining word (group) of the asked quantity, as the question names it."""

    words: tuple[str, ...]
    """The words (Chinese: an English question's through the glossary), each of which the clause must hold —
    unless ``indicator`` is set and the clause names that indicator by any of its synonyms."""
    indicator: str | None = None
    """The indicator (:mod:`reportqa.index.text.indicators`) these words name, or None for a quantity none lists."""
    alternatives: bool = False
    """Any one of ``words`` will do (an English word's Chinese words in the glossary: rural → 农村 or 乡村)."""
    phrase: int = 0
    """Which of the question's phrases it belongs to (words next to each other in the question, only 的 between:
    冰雪旅游收入 is one phrase; 企业上市“格桑花行动”实现直接融资 three)."""
    bound: bool = False
    """An English question's word for a thing reports count (grain 粮食, cruise 邮轮: :mod:`reportqa.qa.glossary_terms`)
    or Chinese it quotes: the answer's clause must name it, though the passage may not (then nothing answers)."""


@dataclass(frozen=True)
class Asked:
    """What the question asks for: its kind, and for a quantity its unit and defining words."""

    kind: AskedKind
    """``number``, ``date``, ``who`` (a person), ``place``, ``list``, ``yesno`` or ``other``."""
    unit: str | None = None
    """The unit asked for (``万亩`` in 多少万亩, ``%`` in what percentage), when given."""
    in_words: bool = True
    """A value in words (保持稳定, 相对缓慢) may answer: a growth, a rate, a target or a standing is asked. False for a
    level or a count asked by 多少 / how much with no unit of change ("2006年粮食产量是多少": 粮食生产稳定发展 is no
    answer)."""
    manner: bool = False
    """The question asks how the thing stands or moves (怎样, 如何, what happened, how did … change), not how much:
    a value in words ending the clause a few words after the thing's name answers it (重点帮扶县数量总体稳定)."""
    phrase: str = ""
    """The question's words for it, region names and years cut (an English question's: the glossary's Chinese
    words and any Chinese it quotes), without spaces: which item of an enumeration it names."""
    terms: tuple[Term, ...] = ()
    """The asked quantity's defining words (:func:`reportqa.qa.support.asked_thing`): the indicators it names
    and the other words that say which quantity (粮食, 乡村旅游…), not how it moves (增长, 目标)."""
    key_phrase: int = 0
    """The phrase (:attr:`Term.phrase`) naming the quantity itself: the one right before the question word
    (安排资金多少亿元 → 资金), else the first after it (生产了多少碳酸锂 → 碳酸锂), else the last."""
    qualifiers: tuple[str, ...] = ()
    """Narrowing words the question names (城镇, 海洋, 规上: :data:`reportqa.index.text.indicators.QUALIFIERS`)."""
    report: ReportPart | None = None
    """The question asks about the report itself — who delivered it, when, at which meeting
    (:func:`reportqa.qa.report_asked.report_asked`, answered by :mod:`reportqa.qa.about_report`); None otherwise."""
    english: bool = False
    """The question is English: its defining words come through the glossary and only approximate it, so the
    support check falls back to those that bind (:func:`reportqa.qa.support.binding`)."""
    year: int | None = None
    """The year the figure is asked for (:attr:`reportqa.qa.query.Query.asked_year`), when the question names one:
    of a run of clauses each opening with a year (１９８２年为２７０元，１９８７年提高到４６３元) the one of that year
    states it."""
    unmapped: tuple[str, ...] = ()
    """An English question's content words the glossary cannot map (:func:`reportqa.qa.glossary_terms.unmapped_words`):
    they bind nothing, and an answer that could not check them is less certain."""

    @property
    def standing(self) -> bool:
        """How the thing stands is asked and a value in words answers it (:attr:`manner` and :attr:`in_words`): a
        sentence saying it in words is the answer's, wherever the question asks no figure."""
        return self.manner and self.in_words


def asked(question: str) -> Asked:
    """The kind (and unit) asked for; :func:`reportqa.qa.support.asked_thing` adds the defining words."""
    q = SOME_YEARS.sub("", unicodedata.normalize("NFKC", question))  # 这几年 names a time, asks no count
    if _ASK_WHO.search(q):
        return Asked("who")
    if _ASK_DATE.search(q):
        return Asked("date")
    if _ASK_NUMBER.search(q):
        m = _ASKED_UNIT.search(q)
        unit = m.group(1) if m else None
        level = bool(_ASK_LEVEL.search(q))
        manner = not level and bool(_ASK_MANNER.search(q))
        if unit is None:
            low = q.lower()
            if re.search(r"percent|percentage|百分之|比例|(?:增长|提高|下降|降低|上涨|涨|降)了?多少|增速|增幅|涨幅|"
                         rf"{_RATE}|\bgr[eo]w(?:th)?\b|\brise\b|\brose\b|\bincrease\b", low):
                unit = "%"
            elif not manner:  # "how did assistance for people … change" asks how it fared, not a count of people
                for word, u in _EN_UNITS.items():
                    if re.search(rf"\b{word}\b", low):
                        unit = u
                        break
                else:
                    unit = COUNT if _HOW_MANY.search(low) else None
        return Asked("number", unit, in_words=unit == "%" or not level or bool(_ASK_STANDING.search(q)),
                     manner=manner)  # fmt: skip
    if _ASK_PLACE.search(q):
        return Asked("place")
    if _ASK_LIST.search(q):
        return Asked("list")
    if _ASK_YESNO.search(q):
        return Asked("yesno")
    return Asked("other", manner=bool(_ASK_MANNER.search(q)))


_IN_CODE = re.compile(r"[A-Za-z]|.[A-Za-z]")
"""A Latin letter right after a number or right before it: the number is part of a code (5G, PM2.5, G318)."""


def figures(sentence: str) -> list[re.Match[str]]:
    """Number(+unit+qualifier) spans of ``sentence`` that are not bare years or list numbering."""
    out = []
    for m in FIGURE.finditer(sentence):
        num, unit = m.group(1), m.group(2)
        tail = sentence[m.end() : m.end() + 1]
        if unit is None and is_year_token(num) and tail in ("年", " ", ""):
            continue
        if unit is None and tail == "年":
            continue
        if unit is None and _IN_CODE.match(tail + sentence[max(0, m.start() - 1) : m.start()]):
            continue  # a number inside a code (5G, PM2.5, G318): a name, no figure
        out.append(m)
    return out


def _unit_of(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", (m.group(2) or "").strip())


def unit_matches(asked_unit: str | None, figure_unit: str) -> bool:
    if not asked_unit:
        return True
    if asked_unit == COUNT:  # how many: a count of things or people, never a sum of money, a rate or a multiple
        return not _NO_COUNT.search(unicodedata.normalize("NFKC", figure_unit))
    a = unicodedata.normalize("NFKC", asked_unit)
    if a == "%" and figure_unit.endswith("百分点"):  # a rate asked, a difference of rates given
        return True
    if a == "%" and figure_unit == "倍":  # a growth asked, given as a multiple (增加了2.3倍)
        return True
    if a in COUNTERS and figure_unit in COUNTERS:  # 几部规章 asked, 规章4件 written: the asker's measure word
        return True
    if a == "人" and figure_unit.endswith("人次"):  # how many people trained or received, counted in 人次
        return True
    return figure_unit == a or figure_unit.endswith(a) or (a.endswith(figure_unit) and bool(figure_unit))


def has_asked_figure(question: str, text: str, kind: Asked | None = None) -> bool:
    """Whether ``text`` holds something of the kind (and unit) the question asks for."""
    return holds_asked(kind or asked(question), text)


def holds_asked(a: Asked, text: str) -> bool:
    """Whether ``text`` holds something of the kind (and unit) ``a`` asks for (a question's asked thing, read
    once: ``Searched.asked``)."""
    if a.kind == "number":
        return any(unit_matches(a.unit, _unit_of(m)) for m in figures(text))
    if a.kind == "date":
        return bool(DATE.search(text))
    if a.kind == "who":
        return titled_name(text) is not None
    return True


# a clause of a sentence: between these marks (、 separates items of one list and is left to the next indicator)
_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]")


@dataclass(frozen=True)
class Located:
    """Where a sentence carries what a question asks: the figure (or name, date) and the clause holding it."""

    figure: str | None
    """The exact substring carrying the asked figure, name or date; None when none is found."""
    clause: str | None
    """The clause of the sentence (between ，；：。) holding the asked indicator and its figure; None when the
    question names no indicator the sentence mentions, or the clause is the whole sentence."""


def _clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``(a, b)``: the clause of ``sentence`` around ``[start, end)``."""
    a = 0
    for m in _CLAUSE_END.finditer(sentence, 0, start):
        a = m.end()
    m2 = _CLAUSE_END.search(sentence, end)
    b = m2.start() if m2 else len(sentence)
    return a, b


def _clause_text(sentence: str, lo: int, hi: int) -> str | None:
    clause = sentence[lo:hi].strip()
    return clause if clause and clause != sentence.strip() else None


def indicator_figure(
    question: str, sentence: str, vocabulary: Vocabulary | None = None, kind: Asked | None = None,
    wanted: frozenset[str] | None = None,
) -> Located | None:  # fmt: skip
    """The figure right after the question's indicator words in ``sentence`` (the CPI target in a sentence
    listing ten targets): for each mention of an indicator the question names (by any of its synonyms in
    :mod:`reportqa.index.text.indicators`), the figures after it up to the next indicator mention; the first whose
    unit is the asked one (any unit when none is asked), in its own clause if there is one there, else in a
    following clause. None when the question names no indicator or no mention has a figure after it."""
    vocab = vocabulary or builtin()
    if wanted is None:  # (``wanted``: the question's indicator ids when the caller has read them already)
        wanted = frozenset(i.id for i in vocab.find(question))
    if not wanted:
        return None
    a = kind or asked(question)
    mentions = vocab.subjects(sentence)
    figs = figures(sentence)
    if not mentions or not figs:
        return None
    fallback: Located | None = None
    for i, mention in enumerate(mentions):
        if mention.indicator.id not in wanted:
            continue
        lo, hi = _clause_span(sentence, mention.start, mention.end)
        # figures after the indicator's words, up to the next indicator named (or the sentence's end); those of
        # its own clause first ("国内生产总值超过126万亿元，增长5.2%": the rate is in the next clause)
        nxt = next((m.start for m in mentions[i + 1 :] if m.start >= mention.end), len(sentence))
        after = [f for f in figs if mention.end <= f.start() < nxt]
        if not after:
            continue
        fitting = [f for f in after if a.kind != "number" or unit_matches(a.unit, _unit_of(f))]
        in_clause = [f for f in fitting if f.start() < hi]
        pick = in_clause[0] if in_clause else fitting[0] if fitting else None
        if pick is None:
            if fallback is None and after[0].start() < hi:
                fallback = Located(after[0].group(0).strip(), _clause_text(sentence, lo, hi))
            continue
        end = hi if pick.start() < hi else _clause_span(sentence, pick.start(), pick.end())[1]
        return Located(pick.group(0).strip(), _clause_text(sentence, lo, end))
    return fallback


def located_value(sentence: str, value: str, quote: str = "") -> Located | None:
    """``value`` (a stored figure's value as written) in ``sentence`` and its clause; None if absent. With the
    figure's ``quote`` (its indicator's words to its value), the value inside the quote — not another indicator's
    equal value earlier in the sentence ("规上工业增加值增长5.5%左右，固定资产投资增长5.5%左右") — and the clause from
    the indicator's words when they are in an earlier clause of the same run ("地区生产总值67665亿元，增长5.5%")."""
    at = sentence.find(quote) if quote else -1
    i = sentence.find(value, at) if at >= 0 else sentence.find(value)
    if i < 0:
        return None
    lo, hi = _clause_span(sentence, i, i + len(value))
    if at >= 0:
        lo = min(lo, _clause_span(sentence, at, at)[0])
    return Located(value, _clause_text(sentence, lo, hi))


def locate(question: str, sentence: str, vocabulary: Vocabulary | None = None) -> Located:
    """The asked figure (or name, date) in ``sentence`` and the clause carrying it (see :class:`Located`)."""
    a = asked(question)
    if a.kind == "number" or a.kind == "other":
        found = indicator_figure(question, sentence, vocabulary, a)
        if found is not None and (a.kind == "number" or found.figure):
            return found if a.kind == "number" else Located(found.figure, found.clause)
    fig = _highlight(question, sentence, a)
    clause = None
    if fig is not None:
        i = sentence.find(fig)
        if i >= 0:
            lo, hi = _clause_span(sentence, i, i + len(fig))
            c = sentence[lo:hi].strip()
            clause = c if c and c != sentence.strip() and a.kind == "number" else None
    return Located(fig, clause)


def highlight(question: str, sentence: str) -> str | None:
    """The exact substring of ``sentence`` carrying what the question asks for, or None: for a question naming
    an indicator, the figure right after that indicator's words (:func:`indicator_figure`)."""
    return locate(question, sentence).figure


def _highlight(question: str, sentence: str, a: Asked) -> str | None:
    """By the question's words: the figure of the asked unit nearest after them."""
    return highlight_by_words(tokenize(question, question=True), sentence, a)


ASKED_WEIGHT = 2.0
"""How much more a defining word of the asked quantity (:attr:`Asked.terms`) counts than another question word
when :func:`highlight_by_words` picks the figure a question's words stand nearest before."""


def highlight_by_words(keywords: Sequence[str], sentence: str, a: Asked) -> str | None:
    """The figure of the asked kind (and unit) of ``sentence`` nearest after the question's ``keywords``; a
    name for *who*, a date for *when*; None for other kinds or when there is none."""
    if a.kind == "who":
        span = titled_name(sentence)
        return sentence[span[0] : span[1]] if span else None
    if a.kind == "date":
        m = DATE.search(sentence)
        return m.group(0).strip() if m else None
    if a.kind != "number":
        return None
    figs = figures(sentence)
    if not figs:
        return None
    defining = {w for t in a.terms for w in t.words}  # the asked quantity's own words weigh more than the
    weight = {t: 1.0 for t in keywords if not t[:1].isdigit()}  # question's others (复线 over 建成)
    weight.update({w: ASKED_WEIGHT for w in defining if w})
    best: tuple[float, re.Match[str]] | None = None
    prev_end = 0
    for m in figs:
        # question words in the clause before the figure (back to the previous figure, at most 24 chars),
        # nearer words counting more
        start = max(prev_end, m.start() - 24)
        before = normalize(sentence[start : m.start()]).rstrip()
        score = 0.0
        for t, w in weight.items():
            pos = before.rfind(t)
            if pos >= 0:
                score += w / (1.0 + (len(before) - pos - len(t)) / 8.0)
        if unit_matches(a.unit, _unit_of(m)) and a.unit:
            score += 1.5
        elif a.unit:
            score -= 1.0
        score -= 0.001 * m.start()  # earlier wins ties
        if best is None or score > best[0]:
            best = (score, m)
        prev_end = m.end()
    assert best is not None
    return best[1].group(0).strip()


def token_overlap(q_tokens: Sequence[str], text: str, idf: dict[str, float]) -> float:
    """idf-weighted share of the question tokens that occur in ``text`` (normalised for spaces/width)."""
    if not q_tokens:
        return 0.0
    t = normalize(text).replace(" ", "")
    total = sum(idf.get(x, 1.0) for x in q_tokens)
    got = sum(idf.get(x, 1.0) for x in q_tokens if x.replace(" ", "") in t)
    return got / total if total > 0 else 0.0


def idf_weights(tokens: Sequence[str], df: dict[str, int], n_docs: int) -> dict[str, float]:
    return {t: math.log(1 + (n_docs + 1) / (df.get(t, 0) + 0.5)) for t in tokens}
