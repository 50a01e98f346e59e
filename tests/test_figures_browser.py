"""Figures in a real browser (Playwright driving Debian's Chromium against ``reportqa serve``): a table question
gets a table with a chip per row and a chart whose points open the report view at their paragraph; the
指标 Figures view filters the index's figures and downloads them as CSV with a UTF-8 byte-order mark.

The index is built with the real embedder through the CLI from short excerpts of real reports (front matter,
headings and the paragraphs stating GDP figures: :func:`tests.harness.figure_excerpts`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import harness

from .conftest import ROOT
from .test_browser import TIMEOUT_MS, _require_chromium, ask

pytestmark = pytest.mark.browser

CORPUS = ROOT / "tests" / "data" / "corpus"
PROVINCES = ("beijing-2026.txt", "shanghai-2026.txt", "hebei-2026.txt", "guangdong-2026.txt", "xizang-2026.txt")
NATIONAL = ("national-2023.txt", "national-2024.txt", "national-2025.txt")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    _require_chromium()
    work = tmp_path_factory.mktemp("fig-browser")
    sources = [CORPUS / "provincial-2026" / n for n in PROVINCES] + [CORPUS / "national" / n for n in NATIONAL]
    harness.figure_excerpts(sources, work / "docs")
    index_dir = harness.build_index_of(work / "docs", work / "index")
    with harness.serve_subprocess(index_dir, work / "server.log") as srv:
        yield srv


@pytest.fixture
def page(server: harness.Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
            pg = context.new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            pg.goto(server.url)
            pg.wait_for_selector("#rq-question textarea")
            yield pg
        finally:
            browser.close()


def test_table_answer_with_chips_and_a_chart_whose_points_open_the_report(page: Any) -> None:
    reply = ask(page, "2026年各省地区生产总值增长目标分别是多少？")
    rows = reply.locator(".rq-figtable tbody tr")
    assert rows.count() >= 3
    for i in range(rows.count()):
        assert rows.nth(i).locator("a.rq-cite").count() == 1
    points = reply.locator("svg.rq-chart a.rq-cite")
    assert points.count() >= 3
    assert reply.locator("ol.rq-passages li").count() >= 1  # the passages still come
    point = points.nth(1)
    target = (point.get_attribute("href") or "").lstrip("#")
    assert target.startswith("p-")
    point.locator(".rq-pt").click()
    page.wait_for_selector(f"#rq-report-panel #{target}.rq-cited")
    # the cell chip of a row opens its paragraph too
    chip = rows.nth(0).locator("a.rq-cite")
    cell_target = (chip.get_attribute("href") or "").lstrip("#")
    chip.click()
    page.wait_for_selector(f"#rq-report-panel #{cell_target}.rq-cited")


def test_across_years_chart_draws_lines(page: Any) -> None:
    reply = ask(page, "全国历年国内生产总值增长目标是多少？")
    assert reply.locator("svg.rq-chart polyline").count() >= 1
    assert reply.locator("svg.rq-chart .rq-pt").count() >= 2


def test_figures_view_filters_and_downloads_csv_with_bom(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="指标 Figures").click()
    view = page.locator("#rq-fig-view")
    view.locator("table.rq-figtable tbody tr").first.wait_for()
    every = view.locator("tbody tr").count()
    regions = {view.locator("tbody tr").nth(i).locator("th").inner_text() for i in range(every)}
    assert len(regions) >= 3
    page.locator("#rq-fig-region input").click()
    page.get_by_role("option", name="北京市").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "n => document.querySelectorAll('#rq-fig-view tbody tr').length < n", arg=every, timeout=TIMEOUT_MS
    )
    shown = view.locator("tbody tr")
    assert shown.count() >= 1
    assert {shown.nth(i).locator("th").inner_text() for i in range(shown.count())} == {"北京市"}
    with page.expect_download() as info:
        page.locator("#rq-fig-csv").click()
    path = tmp_path / "figures.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("region,") and len(lines) - 1 == shown.count()
    assert all(line.startswith("北京市,") for line in lines[1:])
