"""Regenerate the figures screenshots in docs/: ``.venv/bin/python docs/figures_screenshots.py [WORKDIR]``.

Builds a throw-away index (real embedder) of short excerpts of the corpus reports — every 2026 provincial
report and the national reports since 2005: front matter, headings and the paragraphs stating GDP figures
(:func:`tests.harness.figure_excerpts`) — starts ``reportqa serve`` on a free loopback port and
photographs two table answers with Debian's Chromium, as the browser tests do: ``figures.png`` (the
provinces' 2026 GDP growth targets, bars) and ``figures-years.png`` (national targets and results, lines).
``WORKDIR`` (default: a temporary directory) keeps the excerpts, the index and its vector cache, so a second
run embeds nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
CORPUS = DOCS.parent / "tests" / "data" / "corpus"
SHOTS = (
    ("figures.png", "2026年各省地区生产总值增长目标分别是多少？"),
    ("figures-years.png", "历年政府工作报告提出的国内生产总值增长目标和实际增长"),
)


def ask(page: Any, question: str) -> Any:
    page.fill("#rq-question textarea", question)
    page.click("#rq-ask")
    page.wait_for_selector("#rq-chat .rq-answer svg.rq-chart", timeout=120_000)
    page.wait_for_timeout(1200)  # let the reply scroll into place
    return page.locator("#rq-chat .rq-answer").last


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    sources = sorted((CORPUS / "provincial-2026").glob("*.txt"))
    sources += [p for p in sorted((CORPUS / "national").glob("national-*.txt")) if int(p.stem[-4:]) >= 2005]
    with tempfile.TemporaryDirectory(prefix="reportqa-figshots-") as tmp:
        work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp)
        harness.figure_excerpts(sources, work / "docs")
        index_dir = harness.build_index_of(work / "docs", work / "index", timeout=7200)
        with harness.serve_subprocess(index_dir, work / "server.log") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                for name, question in SHOTS:
                    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                    page.goto(srv.url)
                    page.wait_for_selector("#rq-question textarea", timeout=60_000)
                    reply = ask(page, question)
                    reply.locator("svg.rq-chart a.rq-cite").nth(2).locator(".rq-pt").click()
                    page.wait_for_selector("#rq-report-panel .rq-cited", timeout=30_000)
                    page.wait_for_timeout(1500)  # the highlight flash fades
                    reply.locator(".rq-chart-box").scroll_into_view_if_needed()
                    page.screenshot(path=str(DOCS / name))
                    page.close()
            finally:
                browser.close()
    for name, _ in SHOTS:
        print(DOCS / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
