"""Understanding a question once: one typed :class:`Query` that every later step reads.

:func:`understand` reads the question (after :func:`~reportqa.qa.question.clean_question`) and the explicit
filters once: its language, the regions and years it names (and whether a year names the report or a fact's
year, and whether it uses 今年/去年), the period it asks for (target / actual / either), the indicators it
names (:mod:`reportqa.index.text.indicators`), what kind of thing it asks for (a number, a date, a person, a list),
and the shape of the answer it wants (one passage, a comparison of named reports, or a table of figures over
many reports: "2026年各省GDP增长目标", "历年国内生产总值增长目标").

Scope (which documents of a library those regions and years are), retrieval, answer choice, answerability
checks, comparison and the figure table all take the :class:`Query`; none of them re-reads the question's
text for these signals. Knowledge of regions, years, periods, indicators and language lives in
:mod:`reportqa.index` (one place each); this module only combines them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from reportqa.index.text.indicators import Vocabulary, builtin
from reportqa.index.text.periods import (
    AttainmentAsk,
    Period,
    question_attainment,
    question_period,
    question_span,
    year_periods,
)
from reportqa.index.text.regions import Region
from reportqa.index.text.tokens import is_latin_query, tokenize

from .answer import Asked
from .glossary import english_phrases
from .question import clean_question
from .records import Language
from .report_asked import report_asked
from .scope import Filters, fact_year, filter_regions, horizon_years, named_regions, named_years, without_region_names
from .support import asked_thing
from .terms import Searched, marked_terms, searched
from .yoy_intent import Intent, question_intent, question_term

Shape = Literal["single", "comparison", "table"]
"""``single``: one answer; ``comparison``: one row per report the question names; ``table``: figure rows over
many reports (all provinces, or across years)."""

# "各省", "31个省区市", "哪些省份", "全国各地" / "provinces", "which regions": every province-level report
_ALL_REGIONS = re.compile(
    r"各省|各地|各省份|各省区市|各省市|各地区|全国各地|哪些省|哪个省|哪几个省|哪些地区|所有省|31个省|三十一个省|"
    r"每个省|各个省|"
    r"\bprovinces\b|\bprovincial\b|\b(?:every|each) (?:province|region)\b|\ball provinces\b|"
    r"\bprovince by province\b|\bwhich (?:province|region)s?\b|\bregions\b",
    re.I,
)
# "历年", "近几年", "近年来", "历次", "每年", "变化" / "over the years", "each year", "trend", "since 2010"
_ACROSS_YEARS = re.compile(
    r"历年|近几年|近年|近些年|最近几年|历次|每年|各年|逐年|多年来|变化|走势|趋势|"
    r"\bover the years\b|\beach year\b|\bevery year\b|\byear by year\b|\btrend\b|\bhistor(?:y|ical)\b|"
    r"\bin recent years\b|\bover time\b|\bsince (?:19|20)\d\d\b|\b(?:by|per) year\b|\brecent years\b",
    re.I,
)
# "近年", "近几年" / "recent years": the last few years only (:data:`RECENT_YEARS`)
_RECENT = re.compile(
    r"近年|近几年|近些年|最近几年|最近\s*\d+\s*年|\brecent years\b|\blast (?:few|several) years\b", re.I
)
RECENT_YEARS = 8
"""How many years, up to the latest one with a figure, "近年" / "recent years" covers."""
# 高于/超过/低于 5%: a condition on the value (a table filtered by it)
_THRESHOLD = re.compile(
    r"(?P<op>高于|超过|大于|不低于|低于|小于|不高于|above|more than|higher than|over|below|less than|lower than|"
    r"at least|at most)\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%|％|percent)?",
    re.I,
)


@dataclass(frozen=True)
class Threshold:
    """A condition on a figure's value that a table question puts ("高于5%": op ``>``, value 5)."""

    op: Literal[">", ">=", "<", "<="]
    value: float


@dataclass(frozen=True)
class Query:
    """What a question asks, read once (see the module docstring)."""

    text: str
    """The cleaned question (control characters removed, cut to the length limit)."""
    notice: str | None
    """Why the question was altered (cut), or None."""
    language: Language
    """``en`` for a question written mostly in Latin script, else ``zh``."""
    regions: tuple[Region, ...]
    """Regions that name reports, in the question's order (filters' regions when given)."""
    years: tuple[int, ...]
    """Explicit years in order without repeats (filters' years when given)."""
    report_named: bool
    """A year names the report itself ("2025年政府工作报告"), not the year of a fact."""
    relative: bool
    """The question uses 今年/去年/明年 (resolved against each report's own year)."""
    period: Period
    """What it asks for: a ``target`` (plan), an ``actual`` (result), or ``either``."""
    span: bool
    """It asks a figure over several years (今后五年, 过去五年, 年均, "over the next five years":
    :func:`~reportqa.index.text.periods.question_span`): a statement over several years answers it, not one
    year's."""
    indicators: tuple[str, ...]
    """Indicator ids it names (:mod:`reportqa.index.text.indicators`), in order."""
    asked: Asked
    """What is asked, read once (:func:`~reportqa.qa.support.asked_thing`): a number (its unit and the quantity's
    defining words as the question names them — an English question's through the glossary), a date, a person,
    a place, a list, yes/no or other. The answer, answerability and verification checks read this, never the
    question's text again (:mod:`.support`)."""
    shape: Shape
    """One answer, a comparison of the named reports, or a table of figures."""
    searched: Searched
    """What a search over the whole library looks for: the question's own words, read once (:mod:`.terms`)."""
    narrowed: Searched
    """What a search restricted to the reports the question names looks for: the question without the region
    names that name them (:func:`~reportqa.qa.scope.without_region_names`; the filter already says which
    reports); :attr:`searched` itself when it names none."""
    all_regions: bool = False
    """It asks about every province-level region ("各省", "which provinces")."""
    across_years: bool = False
    """It asks across years ("历年", "近几年", "over the years")."""
    recent: bool = False
    """It asks about recent years only ("近年", "近几年", "in recent years"; implies ``across_years``)."""
    fact_year: int | None = None
    """A year of the asked fact the question names beside the report it names ("cut in 2016, according to the 2017
    report": 2016; :func:`~reportqa.qa.scope.fact_year`); None when no year names a report."""
    threshold: Threshold | None = None
    """A condition on the value ("高于5%"), for table questions."""
    keywords: tuple[str, ...] = field(default=())
    """Keyword tokens (:func:`reportqa.index.text.tokens.tokenize` with ``question=True``)."""
    filters: Filters = field(default_factory=Filters)
    """The explicit filters given with the question."""
    year_periods: tuple[tuple[int, Period], ...] = ()
    """Each named year with its own period when the question asks one year's result and another's target
    ("2025年增长了多少、2026年目标是多少": ``((2025, "actual"), (2026, "target"))``; :mod:`.mixed_period`);
    with no explicit year and 去年/今年 (``relative``), offsets from the report's year (``((-1, "actual"), (0,
    "target"))``); empty otherwise."""
    intent: Intent = "ask"
    """``diff``: what changed between two reports; ``trend``: how often reports write :attr:`term`
    (:mod:`.yoy_intent`); ``ask`` otherwise."""
    term: str | None = None
    """The term a ``trend`` question counts, as written."""
    marked: tuple[str, ...] = ()
    """The words its passages are marked with on the page (:func:`~reportqa.qa.terms.marked_terms`)."""
    horizons: tuple[int, ...] = ()
    """Years it names as a plan's horizon (到2030年, 2035年前, "by 2030": :func:`~reportqa.qa.scope.horizon_years`):
    an earlier report's targets answer them when the library holds no report of that year."""
    attainment: AttainmentAsk | None = None
    """It asks whether targets were met (``all``: "…目标完成了吗", "were the targets met") or which were missed
    (``missed``: "哪些省份没有完成…", "which provinces missed …"); None otherwise (:mod:`.attainment`)."""

    @property
    def latin(self) -> bool:
        return self.language == "en"

    def searched_in(self, narrowed: bool) -> Searched:
        """:attr:`narrowed` when the search is restricted to the named reports, else :attr:`searched`."""
        return self.narrowed if narrowed else self.searched

    @property
    def asked_year(self) -> int | None:
        """The year the asked figure is about: the first explicit year when it names no report, else the year
        named beside the report (:attr:`fact_year`); read once, into the asked thing's ``year``."""
        return self.asked.year

    @property
    def asks_figure(self) -> bool:
        """It asks for a number, or names an indicator (a figure is the answer)."""
        return self.asked.kind == "number" or bool(self.indicators)


def _named_indicators(text: str, vocab: Vocabulary, latin: bool) -> tuple[str, ...]:
    """The indicators ``text`` names (:meth:`~reportqa.index.text.indicators.Vocabulary.find`); in English, not one
    named only inside a longer glossary phrase that means something else ("per unit of GDP" names no GDP: the
    emissions or energy use per unit of it are asked)."""
    found = vocab.find(text)
    if not latin:
        return tuple(i.id for i in found)
    names = {e.lower() for i in found for e in i.en}
    longer = [(a, b) for a, b, p in english_phrases(text) if p not in names]
    mentions = vocab.mentions(text)
    # an indicator stays when one of its mentions stands outside every longer glossary phrase
    outside = {m.indicator.id for m in mentions
               if not any(a <= m.start and m.end <= b and (b - a) > (m.end - m.start) for a, b in longer)}  # fmt: skip
    only_inside = {m.indicator.id for m in mentions} - outside
    return tuple(i.id for i in found if i.id not in only_inside)


def _threshold(text: str) -> Threshold | None:
    m = _THRESHOLD.search(text)
    if not m:
        return None
    op_word = m.group("op").lower()
    value = float(m.group("num"))
    if op_word in ("高于", "超过", "大于", "above", "more than", "higher than", "over"):
        return Threshold(">", value)
    if op_word in ("不低于", "at least"):
        return Threshold(">=", value)
    if op_word in ("低于", "小于", "below", "less than", "lower than"):
        return Threshold("<", value)
    return Threshold("<=", value)


def understand(
    question: str, filters: Filters | None = None, vocabulary: Vocabulary | None = None,
    places: Sequence[Region] = (),
) -> Query:  # fmt: skip
    """Read ``question`` (and the explicit ``filters``) once into a :class:`Query`. ``places``: the library's
    places below the province (:func:`~reportqa.index.text.places.library_places`), which name reports too.

    Raises :class:`~reportqa.index.errors.UsageError` for an empty question."""
    text, notice = clean_question(question)
    f = filters or Filters()
    vocab = vocabulary or builtin()
    regions = tuple(filter_regions(f.regions, places) if f.regions else named_regions(text, places))
    years, report_named, relative = named_years(text)
    if f.years:
        years, report_named, relative = list(dict.fromkeys(f.years)), True, False
    indicators = _named_indicators(text, vocab, is_latin_query(text))
    all_regions = bool(_ALL_REGIONS.search(text))
    across_years = bool(_ACROSS_YEARS.search(text)) or (len(years) > 2 and not regions)
    threshold = _threshold(text)
    mixed = year_periods(text) if len(years) > 1 and not report_named else ()
    if not years and relative:
        mixed = year_periods(text, relative=True)
    latin = is_latin_query(text)
    the_fact_year = fact_year(text) if report_named and not f.years else None
    whole = searched(text, latin)
    narrow = without_region_names(text, regions)
    n_reports = max(len(regions), 1) * max(len(years), 1)
    shape: Shape
    if indicators and (all_regions or across_years or threshold is not None):
        shape = "table"
    elif n_reports > 1 or len(f.documents) > 1:
        shape = "comparison"
    else:
        shape = "single"
    return Query(
        text=text,
        notice=notice,
        language="en" if latin else "zh",
        regions=regions,
        years=tuple(years),
        report_named=report_named,
        relative=relative,
        period="either" if mixed else question_period(text),
        span=question_span(text),
        indicators=indicators,
        asked=replace(asked_thing(text, latin, indicators, vocab), report=report_asked(text, latin),
                      year=years[0] if years and not report_named else the_fact_year),
        shape=shape,
        searched=whole,
        narrowed=whole if narrow == text else searched(narrow, latin),
        all_regions=all_regions,
        across_years=across_years,
        fact_year=the_fact_year,
        recent=bool(_RECENT.search(text)),
        threshold=threshold,
        keywords=tuple(tokenize(text, question=True)),
        filters=f,
        year_periods=mixed,
        intent=(intent := question_intent(text, bool(indicators))),
        term=question_term(text) if intent == "trend" else None,
        attainment=question_attainment(text),
        marked=marked_terms(text),
        horizons=() if report_named or f.years else horizon_years(text),
    )


__all__ = ["RECENT_YEARS", "Language", "Query", "Searched", "Shape", "Threshold", "understand"]
