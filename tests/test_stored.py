"""Single answers from the stored figures (``qa/stored.py``): exactly the asked indicator, period, year and
report, and only when unambiguous."""

from __future__ import annotations

from dataclasses import replace

from reportqa.index.records import Chunk, Citation, Document, Figure
from reportqa.qa.query import understand
from reportqa.qa.stored import stored_figure

from .conftest import library_document

REVIEW = "2025年，实现地区生产总值67665亿元，增长5.5%。"
PLAN = "2026年主要预期目标是：地区生产总值增长5%左右。"


def _chunk(i: int, doc: str, paragraph: int, text: str) -> Chunk:
    return Chunk(id=i, text=text, citation=Citation(doc, "", paragraph, (paragraph, paragraph), "四川省", 2026))


def _figure(kind: str, year: int, value: str, quote: str, paragraph: int, doc_id: int = 0) -> Figure:
    return Figure(
        indicator="gdp_growth", kind=kind, year=year, value=value, low=None, high=None, unit="%", modifier="exact",
        quote=quote, citation=Citation("sichuan-2026.txt", "", paragraph, (paragraph, paragraph), "四川省", 2026),
        document_id=doc_id,
    )  # fmt: skip


def _docs() -> tuple[Document, ...]:  # one report holding two chunks (ids 0 and 1)
    return (replace(library_document(0, "sichuan-2026.txt", "四川", 2026), chunks=2, first_chunk=0),)


CHUNKS = (_chunk(0, "sichuan-2026.txt", 3, REVIEW), _chunk(1, "sichuan-2026.txt", 9, PLAN))
FIGS = (
    _figure("actual", 2025, "5.5%", "地区生产总值67665亿元，增长5.5%", 3),
    _figure("target", 2026, "5%左右", "地区生产总值增长5%左右", 9),
)


def test_a_result_question_gets_the_stored_result_and_a_target_question_the_target() -> None:
    got = stored_figure(understand("四川2025年地区生产总值实际增长了多少？"), FIGS, frozenset({0}), _docs(), CHUNKS)
    assert got is not None and got.figure.value == "5.5%" and got.chunk == 0
    assert REVIEW[got.start :].startswith(got.figure.quote)
    got = stored_figure(understand("四川2026年地区生产总值增长目标是多少？"), FIGS, frozenset({0}), _docs(), CHUNKS)
    assert got is not None and got.figure.value == "5%左右" and got.chunk == 1


def test_no_stored_answer_when_the_question_is_open_or_unscoped_or_ambiguous() -> None:
    either = understand("四川2025年地区生产总值增长多少？")
    assert either.period == "either"
    assert stored_figure(either, FIGS, frozenset({0}), _docs(), CHUNKS) is None
    result = understand("四川2025年地区生产总值实际增长了多少？")
    assert stored_figure(result, FIGS, None, _docs(), CHUNKS) is None  # no report named: no filter
    assert stored_figure(result, FIGS, frozenset({5}), _docs(), CHUNKS) is None  # another report searched
    clash = (*FIGS, _figure("actual", 2025, "5.6%", "地区生产总值67665亿元，增长5.5%", 3))
    assert stored_figure(result, clash, frozenset({0}), _docs(), CHUNKS) is None  # two values: retrieval decides
    wrong_year = understand("四川2024年地区生产总值实际增长了多少？")
    assert stored_figure(wrong_year, FIGS, frozenset({0}), _docs(), CHUNKS) is None


def _income(value: str, quote: str) -> tuple[tuple[Figure, ...], tuple[Chunk, ...]]:
    fig = replace(_figure("actual", 2025, value, quote, 3), indicator="income_growth")
    return (fig,), (_chunk(0, "sichuan-2026.txt", 3, f"2025年，{quote}。"), CHUNKS[1])


def test_no_stored_answer_for_a_narrower_quantity_than_the_figure() -> None:
    # the stored income figure is all residents' (or the town/country pair): a rural question is left to support
    rural = understand("How much did rural residents' per capita disposable income grow in Sichuan in 2025?")
    everyone = understand("How much did residents' per capita disposable income grow in Sichuan in 2025?")
    assert rural.period == everyone.period == "actual"
    figs, chunks = _income("4.4%", "居民人均可支配收入增长4.4%")
    assert stored_figure(rural, figs, frozenset({0}), _docs(), chunks) is None
    got = stored_figure(everyone, figs, frozenset({0}), _docs(), chunks)
    assert got is not None and got.figure.value == "4.4%"
    figs, chunks = _income("4.4%、5.6%", "城乡居民人均可支配收入分别增长4.4%、5.6%")
    assert stored_figure(rural, figs, frozenset({0}), _docs(), chunks) is None
