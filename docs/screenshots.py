"""Regenerate the web chat screenshots in docs/: ``.venv/bin/python docs/screenshots.py``.

Builds a throw-away index of the seed with the real embedder, starts ``reportqa serve`` on a free loopback
port and photographs it with Debian's Chromium (``make browser`` installs it), the same way the browser
tests do.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
SEED = DOCS.parent / "seeds" / "tibet-2024-government-work-report.txt"
QUESTION = "2024年地区生产总值预期增长多少？"
PHONE_QUESTION = "孩子上学今年有什么新举措？"


def ask(page: Any, question: str) -> Any:
    page.fill("#rq-question textarea", question)
    page.click("#rq-ask")
    page.wait_for_selector("#rq-chat .rq-answer a.rq-cite", timeout=60_000)
    page.wait_for_timeout(1200)  # let the reply scroll into place
    return page.locator("#rq-chat .rq-answer").last


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="reportqa-shots-") as tmp:
        work = Path(tmp)
        index_dir = harness.build_demo_index(work, SEED, with_xss=False)
        with harness.serve_subprocess(index_dir, work / "server.log") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                desk = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
                desk.goto(srv.url)
                desk.wait_for_selector("#rq-question textarea", timeout=60_000)
                reply = ask(desk, QUESTION)
                desk.screenshot(path=str(DOCS / "chat.png"))
                reply.locator("a.rq-cite").first.click()
                desk.wait_for_selector("#rq-report-panel .rq-cited", timeout=30_000)
                desk.wait_for_timeout(1500)  # the highlight flash fades
                desk.screenshot(path=str(DOCS / "report-view.png"))

                phone = browser.new_page(
                    viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
                    locale="zh-CN",
                )  # fmt: skip
                phone.goto(srv.url)
                phone.wait_for_selector("#rq-question textarea", timeout=60_000)
                ask(phone, PHONE_QUESTION)
                phone.locator("#rq-chat").scroll_into_view_if_needed()
                phone.screenshot(path=str(DOCS / "phone.png"))
            finally:
                browser.close()
    for name in ("chat.png", "report-view.png", "phone.png"):
        print(DOCS / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
