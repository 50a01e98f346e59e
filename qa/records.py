"""What a question gets back: ranked hits and an answer, in the JSON contract shared by CLI and web chat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from reportqa.index.records import Chunk, Citation, Figure

if TYPE_CHECKING:
    from .diff import Diff
    from .trend import Trend

Language = Literal["zh", "en"]
"""A question's language, by the one rule (:func:`reportqa.index.text.tokens.is_latin_query`, read once into
``Query.language``): ``en`` for a question written mostly in Latin script, else ``zh``. The answer states it
(``Answer.language``) so no door (web page, CLI) guesses it again."""

@dataclass(frozen=True)
class Hit:
    """One retrieved passage."""

    rank: int
    """1-based rank in the answer."""
    score: float
    """Relevance score (higher is better); comparable within one answer, not across questions."""
    chunk: Chunk
    """The passage, with the citation fixed when the index was built."""

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def citation(self) -> Citation:
        return self.chunk.citation

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(float(self.score), 4),
            "text": self.chunk.text,
            "citation": self.chunk.citation.to_json(),
        }


@dataclass(frozen=True)
class ComparisonRow:
    """One named report's side of a comparison answer (a question naming several regions or years)."""

    label: str
    """What the question named, as shown in the table's first column (``北京市 2026``)."""
    region: str | None
    """Full region name of the report (``北京市``, ``全国``); None when the question named only a year."""
    year: int | None
    """The report's year; None when the question named only a region and no report was found."""
    document: str | None
    """Display name of the report the row was answered from; None when the library holds no such report."""
    hits: tuple[Hit, ...]
    """That report's best passages, best first (empty when the report is missing)."""
    sentence: str | None
    """The answer sentence from the best passage (None when abstaining)."""
    highlight: str | None
    """The asked-for figure within ``sentence``, when found."""
    abstained: bool
    """True when this report does not appear to answer the question, or is not in the library."""
    message: str | None = None
    """Why the row is empty ("no 2015 report of 上海市 in this index; it holds 2026"), or why it abstained."""
    reason: str | None = None
    """Why the row abstained: ``scope``, ``topic``, ``no_figure`` (:mod:`reportqa.qa.answerable`)."""
    clause: str | None = None
    """The clause of ``sentence`` carrying the asked figure (shown before the whole sentence), when found."""

    @property
    def hit(self) -> Hit | None:
        """The best passage (None when there is none)."""
        return self.hits[0] if self.hits else None

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] | None = None
        if self.sentence is not None and not self.abstained:
            answer = {"text": self.sentence}
            if self.highlight:
                answer["highlight"] = self.highlight
            if self.clause:
                answer["clause"] = self.clause
        d: dict[str, Any] = {
            "label": self.label,
            "region": self.region,
            "year": self.year,
            "document": self.document,
            "abstained": self.abstained,
            "answer": answer,
            "passage": self.hits[0].to_json() if self.hits else None,
        }
        if self.message:
            d["message"] = self.message
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass(frozen=True)
class PeriodAnswer:
    """One side of a question that may ask for a target or a result ("2025年GDP增长多少"): the answer that
    states the target (from that year's report) or the result (from the next year's review)."""

    period: Literal["target", "actual"]
    """Which side: the plan/target, or the result."""
    sentence: str
    """The answer sentence."""
    highlight: str | None
    """The asked figure within ``sentence``, when found."""
    clause: str | None
    """The clause of ``sentence`` carrying it, when it is not the whole sentence."""
    hit: Hit
    """The passage the sentence comes from (its citation names the report)."""
    year: int | None = None
    """The report's year."""
    fact_year: int | None = None
    """The year the figure is about, when the question named each year with its own period
    ("2025年增长了多少、2026年目标是多少"); None for the two readings of one year."""

    @property
    def label_zh(self) -> str:
        return "目标" if self.period == "target" else "实际"

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.sentence, "citation": self.hit.citation.to_json()}
        if self.highlight:
            d["highlight"] = self.highlight
        if self.clause:
            d["clause"] = self.clause
        if self.year is not None:
            d["year"] = self.year
        if self.fact_year is not None:
            d["fact_year"] = self.fact_year
        return d


@dataclass(frozen=True)
class MissingCell:
    """A cell of a table answer that no figure states (listed, never filled in: :mod:`reportqa.qa.table`)."""

    indicator: str
    """Indicator id (``gdp_growth``)."""
    region: str
    """Full region name (``北京市``, ``全国``)."""
    year: int
    """The year the missing figure would be about."""
    kind: str | None
    """``target`` or ``actual``; None when the library holds no report that could state either."""
    reason: str
    """``no figure found in the report`` or ``no report of 北京市 for 2015 in this index``."""

    def to_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "region": self.region, "year": self.year, "kind": self.kind,
                "reason": self.reason}  # fmt: skip


Verdict = Literal["met", "missed", "not_judged"]
"""Whether a year's target was met by its result (:mod:`reportqa.qa.attainment`)."""


@dataclass(frozen=True)
class Attainment:
    """One target paired with its result and judged (:mod:`reportqa.qa.attainment`)."""

    region: str
    """Full region name (``西藏自治区``, ``全国``)."""
    year: int
    """The year the target is for and the result is of."""
    indicator: str
    """Indicator id (``gdp_growth``)."""
    target: Figure
    """The target, from report ``year`` when the library holds it."""
    actual: Figure
    """The result, from report ``year + 1`` when the library holds it."""
    verdict: Verdict
    """``met``, ``missed``, or ``not_judged`` (qualitative target, result in words, units that differ)."""
    gap: float | None
    """Result less the stated target, in :attr:`unit`, positive above it; None when not judged."""
    unit: str
    """The target's unit (``%``, ``万人``, ``万亿斤``)."""
    rule: str
    """The rule applied: ``floor``, ``ceiling``, ``about-floor``, ``range-ceiling`` … or ``none``."""
    reason: str
    """Why, in a few words: ``6.9 ≥ 7 − 0.5``, ``qualitative target``."""

    def to_json(self) -> dict[str, Any]:
        """One row of ``ask --json``'s ``attainment`` and of ``reportqa targets --attainment --json``."""
        return {
            "region": self.region, "year": self.year, "indicator": self.indicator, "target": self.target.value,
            "actual": self.actual.value, "verdict": self.verdict, "gap": self.gap, "unit": self.unit,
            "rule": self.rule, "reason": self.reason, "target_citation": self.target.citation.to_json(),
            "actual_citation": self.actual.citation.to_json(),
        }  # fmt: skip


@dataclass(frozen=True)
class GeneratedSentence:
    """One sentence of a written answer, as checked by :mod:`reportqa.qa.verify`."""

    text: str
    """The sentence without its citation markers."""
    citations: tuple[int, ...]
    """The passages (answer ranks, 1-based) it cites — after re-pointing, when it was re-pointed."""
    verified: bool
    """Every figure and name in it occurs in a cited passage, and (Chinese) the passage says what it says."""
    repointed: bool = False
    """The model cited another passage; exactly one passage supports the sentence, and it now cites that one."""
    reason: str | None = None
    """Why it is not verified (None when verified)."""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "citations": list(self.citations), "verified": self.verified}
        if self.repointed:
            d["repointed"] = True
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass(frozen=True)
class Generated:
    """A written answer from a language model (``--llm``), checked sentence by sentence."""

    text: str
    """What is shown as the written answer: the verified sentences, each followed by its ``[n]`` markers."""
    sentences: tuple[GeneratedSentence, ...]
    """Every sentence of the reply but refusals, verified or not, in order."""
    model: str
    """The model's name (``--llm-model``)."""
    dropped: int
    """Sentences left out of :attr:`text` because they could not be verified (the chat shows them apart)."""
    refused: bool = False
    """The model said the passages do not answer the question (a written abstention)."""
    raw: str = ""
    """The model's reply as received."""
    invented: tuple[str, ...] = ()
    """Figures in the reply that occur in none of the passages."""
    first_token_seconds: float | None = None
    """Seconds from the request to the first piece of the reply."""
    total_seconds: float = 0.0
    """Seconds for the whole reply."""

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentences": [s.to_json() for s in self.sentences],
            "model": self.model,
            "dropped": self.dropped,
            "refused": self.refused,
            "raw": self.raw,
            "invented": list(self.invented),
            "first_token_seconds": None if self.first_token_seconds is None else round(self.first_token_seconds, 3),
            "total_seconds": round(self.total_seconds, 3),
        }


@dataclass(frozen=True)
class Answer:
    """The reply to one question."""

    question: str
    """The question as asked (after trimming and length limiting)."""
    abstained: bool
    """True when the report does not appear to answer the question; hits are then the nearest passages."""
    hits: tuple[Hit, ...]
    """Passages, best first."""
    sentence: str | None = None
    """The single sentence of the best passage that best answers the question (None when abstaining)."""
    sentence_rank: int | None = None
    """Rank of the hit the sentence comes from."""
    highlight: str | None = None
    """The exact substring of ``sentence`` that carries the asked-for figure or name, when one is found."""
    notice: str | None = None
    """A note for the user about how the question was handled (e.g. it was truncated)."""
    confidence: float | None = None
    """A 0–1 score that ranks answers: answered with the asked thing above answered without it above a subject
    the library does not discuss (:func:`reportqa.qa.answerable.confidence`). Not a calibrated probability."""
    comparison: tuple[ComparisonRow, ...] = ()
    """For a question naming several reports (regions or years): one row per report, in the question's
    order; empty otherwise. The answer's own hits and sentence are then those of the first row."""
    generated: Generated | None = None
    """The written answer, when a language model was asked (``--llm``); None otherwise or when it failed."""
    reason: str | None = None
    """Why it abstained (None when answered): ``scope`` (a region, city or year the library has no report of),
    ``topic`` (the library does not discuss the subject), ``no_figure`` (the report mentions what is asked about
    but gives no figure, date or name for it; :attr:`sentence` is then the sentence that mentions it),
    ``no_passage`` (nothing to search). See :mod:`reportqa.qa.answerable`."""
    message: str | None = None
    """What the user is told about an abstention, in the question's language (None when answered)."""
    clause: str | None = None
    """The clause of ``sentence`` carrying the asked figure (the CPI target's clause in a sentence listing ten
    targets), shown before the whole sentence; None when it is the whole sentence or not found."""
    by_period: tuple[PeriodAnswer, ...] = ()
    """For a question that may ask for a target or a result ("2025年GDP增长多少"): the target and the result,
    each from the report that states it (target first); empty otherwise."""
    table: tuple[Figure, ...] | None = None
    """For a question over many reports ("2026年各省GDP增长目标", "历年…目标", a comparison naming an indicator):
    the figure rows answering it, in table order (:mod:`reportqa.qa.table`); None for other questions."""
    table_missing: tuple[MissingCell, ...] = ()
    """The cells such a question asks for that no figure states."""
    table_by_year: bool = False
    """The table runs across years (drawn as lines) rather than across regions for one year (bars)."""
    attainment: tuple[Attainment, ...] | None = None
    """For a question asking whether targets were met ("西藏2024年GDP增长目标完成了吗？"): the targets paired
    with their results and judged (:mod:`reportqa.qa.attainment`); None for other questions."""
    attainment_missing: tuple[MissingCell, ...] = ()
    """The targets (or results) such a question asks about whose other half the library lacks, and why."""
    diff: Diff | None = None
    """For a question asking what changed between two reports (:mod:`reportqa.qa.diff`); None otherwise."""
    trend: Trend | None = None
    """For a question asking how often reports write a term (:mod:`reportqa.qa.trend`); None otherwise."""
    marked: tuple[str, ...] = ()
    """The question's words the page marks in the passages (``Query.marked``; set with :attr:`language`, not part
    of :meth:`to_json`)."""
    language: Language = "zh"
    """The question's language as :mod:`.query` read it: the language every message to the user is in. Set by
    :meth:`reportqa.qa.engine.Engine.ask`; not part of :meth:`to_json` (the JSON contract is unchanged)."""

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] | None = None
        shown = not self.abstained or self.reason == "no_figure"
        if self.sentence is not None and self.sentence_rank is not None and shown:
            answer = {"text": self.sentence, "passage": self.sentence_rank}
            if self.highlight:
                answer["highlight"] = self.highlight
            if self.clause:
                answer["clause"] = self.clause
        d: dict[str, Any] = {
            "question": self.question,
            "abstained": self.abstained,
            "answer": answer,
            "passages": [h.to_json() for h in self.hits],
        }
        if self.reason:
            d["reason"] = self.reason
        if self.message:
            d["message"] = self.message
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.notice:
            d["notice"] = self.notice
        if self.comparison:
            d["comparison"] = [row.to_json() for row in self.comparison]
        if self.table is not None:
            d["table"] = [f.to_json() for f in self.table]
            d["table_missing"] = [c.to_json() for c in self.table_missing]
        if self.attainment is not None:
            d["attainment"] = [r.to_json() for r in self.attainment]
            d["attainment_missing"] = [c.to_json() for c in self.attainment_missing]
        if self.generated is not None:
            d["generated"] = self.generated.to_json()
        if self.by_period:
            d["answers_by_period"] = {p.period: p.to_json() for p in self.by_period}
        if self.diff is not None:
            d["diff"] = self.diff.to_json()
        if self.trend is not None:
            d["trend"] = self.trend.to_json()
        return d
