"""Term trends (qa/trend.py): exact counts of the reconstructed text on every national report in tests/data,
rates, the first year, sentences with citations, region filters, a term cut by a line break, and the
question intent (qa/yoy_intent.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportqa.index.errors import UsageError
from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source
from reportqa.qa.query import understand
from reportqa.qa.reports import Report, report_from_file
from reportqa.qa.trend import MAX_SENTENCES, term_trend

from .conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus"
TERMS = ("改革开放", "高质量发展", "新质生产力", "人民公社", "共同富裕", "%")


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    paths = sorted((CORPUS / "national").glob("*.txt")) + sorted((CORPUS / "provincial-2026").glob("*.txt"))[:4]
    return [report_from_file(p) for p in paths]


@pytest.fixture(scope="module")
def texts(reports: list[Report]) -> dict[str, str]:
    """Each report's text as `reportqa paragraphs` reconstructs it, read again independently."""
    out = {}
    for r in reports:
        path = next(CORPUS.rglob(r.document))
        out[r.document] = "\n".join(p.text for p in rebuild(read_source(path)).paragraphs)
    return out


@pytest.mark.parametrize("term", TERMS)
def test_counts_equal_exact_substring_counts_of_the_reconstructed_text(
    reports: list[Report], texts: dict[str, str], term: str
) -> None:
    trend = term_trend(term, reports)
    assert len(trend.rows) == len(reports)
    for row in trend.rows:
        text = texts[row.document]
        assert row.count == text.count(term)
        assert row.chars == len(text)
        assert row.per_10k == pytest.approx(row.count * 10_000 / len(text), abs=1e-3)
        assert (row.first_citation is None) == (row.count == 0)
        assert len(row.sentences) <= MAX_SENTENCES
        for s in row.sentences:
            assert term in s.text and s.citation.document == row.document and s.citation.year == row.year
    with_term = [r for r in trend.rows if r.count and r.year is not None]
    first = trend.first
    assert (first.year if first else None) == (min(r.year for r in with_term) if with_term else None)  # type: ignore[type-var]


def test_new_quality_productive_forces_first_appears_in_2024(reports: list[Report]) -> None:
    trend = term_trend("新质生产力", reports, ["全国"])
    assert trend.by_year and {r.region for r in trend.rows} == {"全国"}
    assert [r.year for r in trend.rows] == sorted(r.year for r in trend.rows)  # type: ignore[type-var]
    assert trend.first is not None and trend.first.year == 2024
    assert all(r.count == 0 for r in trend.rows if (r.year or 0) < 2024)
    assert trend.to_json()["first_year"] == 2024
    row = trend.to_json()["rows"][-1]
    assert set(row) >= {"document", "region", "year", "count", "per_10k", "first_citation"}


def test_a_term_cut_by_a_line_break_is_counted(tmp_path: Path) -> None:
    f = tmp_path / "wrapped.txt"
    body = "　　我们要因地制宜发展新质生产力，" + "推进" * 10 + "，发展新质生\n产力。\n　　新质生产力稳步发展。\n"
    f.write_text("政府工作报告\n" + body, encoding="utf-8")
    trend = term_trend("新质生产力", [report_from_file(f)])
    assert trend.rows[0].count == 3
    assert f.read_text(encoding="utf-8").count("新质生产力") == 2  # the raw text alone would miss one


def test_bad_terms_and_regions_are_clear_errors(reports: list[Report]) -> None:
    with pytest.raises(UsageError, match="empty"):
        term_trend("  ", reports)
    with pytest.raises(UsageError, match="at most"):
        term_trend("字" * 80, reports)
    with pytest.raises(UsageError, match="unknown region 'Atlantis'"):
        term_trend("改革", reports, ["Atlantis"])


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("新质生产力在历年政府工作报告中出现了多少次？", "新质生产力"),
        ("“共同富裕”出现的次数", "共同富裕"),
        ("高质量发展一词在各省报告中提到了几次", "高质量发展"),
        ('How many times does "new quality productive forces" appear in the reports?', "new quality productive forces"),
    ],
)
def test_a_trend_question_states_its_term(question: str, term: str) -> None:
    q = understand(question)
    assert q.intent == "trend" and q.term == term


ORDINARY = (
    "2025年GDP增长目标是多少？", "西藏2024年新建多少高标准农田", "新质生产力是什么", "2025年要培育哪些新兴产业？",
    "2019年与2021年政府工作报告的经济增长目标有何不同？", "How often is the GDP target met?",
    # "变化"/"difference between" about something other than the reports: ordinary (answered or declined)
    "北京高考录取率有什么变化？", "What is the difference between RAM and storage?",
)  # fmt: skip


@pytest.mark.parametrize("question", ORDINARY)
def test_ordinary_questions_are_not_trends_or_diffs(question: str) -> None:
    q = understand(question)
    assert q.intent == "ask" and q.term is None
