"""Attainment in a real browser (Playwright driving Debian's Chromium against ``reportqa serve``) and through
``reportqa ask --json`` with the real model: "…目标完成了吗" gets a table (target, result, verdict, a citation
chip for each) and a chart of target against result whose bars open the report view at their paragraph; a
question whose result needs a report the library lacks says so.

The index is built with the real embedder through the CLI from short excerpts of real national reports and of
the seed (front matter, headings, the paragraphs stating the figures: :func:`tests.harness.figure_excerpts`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import harness

from .conftest import ROOT, SEED, run_cli
from .test_browser import TIMEOUT_MS, _require_chromium, ask

NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"
YEARS = (2021, 2022, 2023)


def _excerpt_index(work: Path) -> Path:
    sources = [NATIONAL / f"national-{y}.txt" for y in (*YEARS, YEARS[-1] + 1)] + [SEED]
    harness.figure_excerpts(sources, work / "docs", indicators=("gdp_growth", "cpi", "urban_new_jobs"))
    return harness.build_index_of(work / "docs", work / "index")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _excerpt_index(tmp_path_factory.mktemp("att-real"))


@pytest.mark.slow
def test_ask_json_has_attainment_rows_with_both_citations(index_dir: Path) -> None:
    year = YEARS[1]
    proc = run_cli("ask", f"{year}年全国经济增长目标完成了吗？", "--json", "--index-dir", str(index_dir))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    rows = out["attainment"]
    assert rows and all(r["indicator"] == "gdp_growth" and r["year"] == year for r in rows)
    for r in rows:
        assert r["verdict"] in ("met", "missed", "not_judged")
        assert r["target_citation"]["year"] == year and r["actual_citation"]["year"] == year + 1
    # the targets command gives the same row
    proc = run_cli("targets", "--attainment", "--json", "--indicator", "gdp_growth", "--year", str(year),
                   "--index-dir", str(index_dir))  # fmt: skip
    assert [json.loads(line) for line in proc.stdout.splitlines()] == rows
    text = run_cli("ask", f"{year}年全国经济增长目标完成了吗？", "--index-dir", str(index_dir)).stdout
    assert f"attainment ({len(rows)})" in text and rows[0]["verdict"] in text and rows[0]["target"] in text
    proc = run_cli("ask", "西藏2024年GDP增长目标完成了吗？", "--json", "--index-dir", str(index_dir))
    tibet = json.loads(proc.stdout)
    assert tibet["attainment"] == [] and "no 2025 report of 西藏自治区" in tibet["attainment_missing"][0]["reason"]
    text = run_cli("ask", "西藏2024年GDP增长目标完成了吗？", "--index-dir", str(index_dir)).stdout
    assert "note: 本库中没有西藏自治区2025年的报告" in text


@pytest.fixture(scope="module")
def server(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    _require_chromium()
    with harness.serve_subprocess(index_dir, tmp_path_factory.mktemp("att-log") / "server.log") as srv:
        yield srv


@pytest.fixture
def page(server: harness.Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch_chromium(p)
        try:
            pg = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            pg.goto(server.url)
            pg.wait_for_selector("#rq-question textarea")
            yield pg
        finally:
            browser.close()


@pytest.mark.browser
def test_attainment_table_and_chart_open_the_report(page: Any) -> None:
    reply = ask(page, "近年全国经济增长目标完成情况如何？")
    rows = reply.locator(".rq-atttable tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):
        assert rows.nth(i).locator("a.rq-cite").count() == 2  # the target's paragraph and the result's
        assert rows.nth(i).locator(".rq-verdict").inner_text().strip() in ("完成", "未完成", "不判断")
    assert reply.locator(".rq-table-answer").count() == 0  # the attainment table is the table
    bars = reply.locator(".rq-att-answer svg.rq-chart a.rq-cite")
    assert bars.count() == 2 * rows.count()
    result_bar = reply.locator("svg.rq-chart a.rq-cite:has(.rq-att-actual)").first
    target = (result_bar.get_attribute("href") or "").lstrip("#")
    result_bar.locator(".rq-bar").click()
    page.wait_for_selector(f"#rq-report-panel #{target}.rq-cited")
    chip = rows.nth(0).locator("a.rq-cite").first
    chip_target = (chip.get_attribute("href") or "").lstrip("#")
    chip.click()
    page.wait_for_selector(f"#rq-report-panel #{chip_target}.rq-cited")


@pytest.mark.browser
def test_a_missing_report_is_said_not_judged(page: Any) -> None:
    reply = ask(page, "西藏2024年GDP增长目标完成了吗？")
    note = reply.locator(".rq-att-note")
    assert note.count() == 1
    text = note.inner_text()
    assert "西藏自治区" in text and "2025" in text
    assert reply.locator(".rq-atttable").count() == 0


@pytest.mark.browser
def test_figures_view_shows_attainment_and_downloads_it(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="指标 Figures").click()
    view = page.locator("#rq-fig-view")
    view.locator("table.rq-figtable tbody tr").first.wait_for()
    page.locator("#rq-fig-kind input").click()
    page.get_by_role("option", name="完成情况 attainment").click()
    page.keyboard.press("Escape")
    view.locator("table.rq-atttable tbody tr").first.wait_for()
    rows = view.locator("table.rq-atttable tbody tr")
    assert rows.count() >= len(YEARS)
    assert all(rows.nth(i).locator("a.rq-cite").count() == 2 for i in range(rows.count()))
    with page.expect_download() as info:
        page.locator("#rq-fig-csv").click()
    path = tmp_path / "attainment.csv"
    info.value.save_as(path)
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("region,year,indicator,") and "verdict" in lines[0]
    assert len(lines) - 1 == rows.count()
