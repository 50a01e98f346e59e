"""Regenerate the diff and trend screenshots in docs/: ``.venv/bin/python docs/yoy_screenshots.py [WORKDIR]``.

Builds a throw-away index (real embedder) of the national reports of 2023, 2024 and 2025, starts ``reportqa
serve`` on a free loopback port and photographs two chat answers with Debian's Chromium, as the browser
tests do: ``diff.png`` ("2025年政府工作报告和2024年相比有哪些新提法？": two columns, a citation opened in the
report view) and ``trend.png`` ("新质生产力在历年政府工作报告中出现了多少次？"). ``WORKDIR`` (default: a
temporary directory) keeps the index and its vector cache, so a second run embeds nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
NATIONAL = DOCS.parent / "tests" / "data" / "corpus" / "national"
SHOTS = (
    ("diff.png", "2025年政府工作报告和2024年相比有哪些新提法？", ".rq-diff", ".rq-diff-added a.rq-cite"),
    ("trend.png", "新质生产力在历年政府工作报告中出现了多少次？", ".rq-trend", ".rq-trend-table a.rq-cite"),
)


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="reportqa-yoyshots-") as tmp:
        work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp)
        src = work / "docs"
        src.mkdir(parents=True, exist_ok=True)
        for year in (2023, 2024, 2025):
            (src / f"national-{year}.txt").write_bytes((NATIONAL / f"national-{year}.txt").read_bytes())
        index_dir = harness.build_index_of(src, work / "index", timeout=3600)
        with harness.serve_subprocess(index_dir, work / "server.log") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                for name, question, selector, chip in SHOTS:
                    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                    page.goto(srv.url)
                    page.wait_for_selector("#rq-question textarea", timeout=60_000)
                    page.fill("#rq-question textarea", question)
                    page.click("#rq-ask")
                    page.wait_for_selector(f"#rq-chat .rq-answer {selector}", timeout=180_000)
                    reply = page.locator("#rq-chat .rq-answer").last
                    reply.locator(chip).nth(1).click()
                    page.wait_for_selector("#rq-report-panel .rq-cited", timeout=30_000)
                    page.wait_for_timeout(1500)  # the highlight flash fades
                    reply.locator(selector).scroll_into_view_if_needed()
                    page.screenshot(path=str(DOCS / name))
                    page.close()
            finally:
                browser.close()
    for name, *_ in SHOTS:
        print(DOCS / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
