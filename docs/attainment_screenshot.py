"""Regenerate the attainment screenshot in docs/: ``.venv/bin/python docs/attainment_screenshot.py [WORKDIR]``.

Builds a throw-away index (real embedder) of short excerpts of the national reports since 2005 — front matter,
headings and the paragraphs stating the main indicators' figures (:func:`tests.harness.figure_excerpts`)
— starts ``reportqa serve`` on a free loopback port and photographs the answer to "近年全国经济增长目标完成
情况如何？" with Debian's Chromium, as the browser tests do: ``attainment.png`` (target against result per year,
the verdicts, both citations). ``WORKDIR`` (default: a temporary directory) keeps the excerpts, the index and
its vector cache, so a second run embeds nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
CORPUS = DOCS.parent / "tests" / "data" / "corpus"
NAME = "attainment.png"
QUESTION = "近年全国经济增长目标完成情况如何？"


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    sources = [p for p in sorted((CORPUS / "national").glob("national-*.txt")) if int(p.stem[-4:]) >= 2005]
    with tempfile.TemporaryDirectory(prefix="reportqa-attshot-") as tmp:
        work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp)
        harness.figure_excerpts(sources, work / "docs", indicators=("gdp_growth", "cpi", "urban_new_jobs"))
        index_dir = harness.build_index_of(work / "docs", work / "index", timeout=7200)
        with harness.serve_subprocess(index_dir, work / "server.log") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
                page.goto(srv.url)
                page.wait_for_selector("#rq-question textarea", timeout=60_000)
                page.fill("#rq-question textarea", QUESTION)
                page.click("#rq-ask")
                page.wait_for_selector("#rq-chat .rq-att-answer svg.rq-chart", timeout=120_000)
                page.wait_for_timeout(1200)  # let the reply scroll into place
                reply = page.locator("#rq-chat .rq-answer").last
                reply.locator("svg.rq-chart a.rq-cite:has(.rq-att-actual)").first.locator(".rq-bar").click()
                page.wait_for_selector("#rq-report-panel .rq-cited", timeout=30_000)
                page.wait_for_timeout(1500)  # the highlight flash fades
                reply.locator(".rq-att-answer").scroll_into_view_if_needed()
                page.screenshot(path=str(DOCS / NAME))
                page.close()
            finally:
                browser.close()
    print(DOCS / NAME)
    return 0


if __name__ == "__main__":
    sys.exit(main())
