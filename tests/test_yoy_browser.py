"""The chat's diff (two columns, citations that open the report view) and trend (chart and table) in a real
browser: Debian's Chromium drives ``reportqa serve`` over the national reports of 2024 and 2025, indexed with
the real embedder through the CLI (the tests/test_browser.py pattern)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import harness

from .conftest import ROOT

pytestmark = pytest.mark.browser

NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"
DIFF_QUESTION = "2025年政府工作报告和2024年相比有哪些新提法？"
TREND_QUESTION = "新质生产力在历年政府工作报告中出现了多少次？"
TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    if harness.chromium_path() is None:
        pytest.skip("chromium is not installed (run `make browser` as root to install Debian's chromium)")
    work = tmp_path_factory.mktemp("yoy-browser")
    src = work / "docs"
    src.mkdir()
    for name in ("national-2024.txt", "national-2025.txt"):
        (src / name).write_bytes((NATIONAL / name).read_bytes())
    index_dir = harness.build_index_of(src, work / "index")
    with harness.serve_subprocess(index_dir, work / "server.log") as srv:
        yield srv


@pytest.fixture
def page(server: harness.Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch_chromium(p)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.set_default_timeout(TIMEOUT_MS)
            pg.goto(server.url)
            pg.wait_for_selector("#rq-question textarea")
            yield pg
        finally:
            browser.close()


def ask(page: Any, question: str, selector: str) -> Any:
    page.fill("#rq-question textarea", question)
    page.click("#rq-ask")
    page.wait_for_selector(f"#rq-chat .rq-answer {selector}", timeout=TIMEOUT_MS)
    return page.locator("#rq-chat .rq-answer").last


def test_diff_shows_two_columns_whose_citations_open_the_report(page: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(page, DIFF_QUESTION, ".rq-diff")
    dropped = reply.locator(".rq-diff-dropped")
    added = reply.locator(".rq-diff-added")
    expect(dropped).to_contain_text("national-2024.txt")
    expect(added).to_contain_text("national-2025.txt")
    # Both boxes are read in one script run: two bounding_box() calls are two moments, and the chat may scroll
    # between them (it did on CI: the tops differed by the distance scrolled), so only one layout is compared.
    left, right = reply.evaluate(
        """r => ['.rq-diff-dropped', '.rq-diff-added'].map(s => {
            const b = r.querySelector(s).getBoundingClientRect();
            return {x: b.left, y: b.top, width: b.width};
        })"""
    )
    assert right["x"] >= left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 5  # side by side
    assert added.locator("li.rq-diff-item").count() > 5 and dropped.locator("li.rq-diff-item").count() > 5
    expect(reply.locator(".rq-diff-changed")).to_contain_text("→")
    assert reply.locator(".rq-diff-terms li").count() > 3
    chip = added.locator("a.rq-cite").first
    expect(chip).to_contain_text("national-2025.txt")
    target = chip.get_attribute("href").lstrip("#")
    text = added.locator("li.rq-diff-item").first.evaluate("e => e.firstChild.textContent")
    chip.click()
    cited = page.locator(f"#rq-report-panel #{target}.rq-cited")
    expect(cited).to_be_visible()
    expect(cited).to_contain_text(text[:12])


def test_trend_shows_a_line_chart_and_a_table(page: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(page, TREND_QUESTION, ".rq-trend")
    expect(reply.locator(".rq-trend .rq-sentence")).to_contain_text("2024")
    chart = reply.locator("svg.rq-trend-chart")
    expect(chart).to_be_visible()
    assert chart.locator("circle.rq-pt").count() == 2 and chart.locator("polyline").count() == 1
    rows = reply.locator(".rq-trend-table tbody tr")
    assert rows.count() == 2
    expect(rows.first).to_contain_text("新质生产力")
    rows.first.locator("a.rq-cite").click()
    expect(page.locator("#rq-report-panel .rq-cited")).to_contain_text("新质生产力")
