"""Regenerate docs/comparison.png, a comparison answer in the web chat: see below.

Run ``.venv/bin/python docs/screenshot_library.py``.

Indexes the title blocks and target paragraphs of three real 2026 provincial reports from
``tests/data/corpus/`` (excerpts keep the build short) with the real embedder, serves them, asks a question
naming two regions and photographs the answer's comparison table with Debian's Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
CORPUS = DOCS.parent / "tests" / "data" / "corpus" / "provincial-2026"
QUESTION = "北京和上海2026年地区生产总值增长目标分别是多少？"
EXCERPTS = {  # file: 1-based inclusive line ranges (title block; the year's targets)
    "beijing-2026.txt": [(1, 12), (44, 52)],
    "shanghai-2026.txt": [(1, 12), (58, 66)],
    "xizang-2026.txt": [(1, 12), (48, 54)],
}


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="reportqa-lib-shots-") as tmp:
        work = Path(tmp)
        src = work / "docs"
        src.mkdir()
        for name, keep in EXCERPTS.items():
            lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
            text = "\n".join(x for a, b in keep for x in lines[a - 1 : b]) + "\n"
            (src / name).write_text(text, encoding="utf-8")
        index_dir = work / "index"
        proc = harness.run_reportqa("build", str(src), "--index-dir", str(index_dir), "--quiet")
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        with harness.serve_subprocess(index_dir, work / "server.log") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
                page.goto(srv.url)
                page.wait_for_selector("#rq-question textarea", timeout=60_000)
                page.fill("#rq-question textarea", QUESTION)
                page.click("#rq-ask")
                page.wait_for_selector("#rq-chat .rq-answer table.rq-compare a.rq-cite", timeout=120_000)
                page.wait_for_timeout(1500)
                page.locator("#rq-chat .rq-answer table.rq-compare").last.scroll_into_view_if_needed()
                page.screenshot(path=str(DOCS / "comparison.png"))
            finally:
                browser.close()
    print(DOCS / "comparison.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
