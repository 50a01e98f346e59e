"""Regenerate docs/library.png: the web chat's 资料库 Library view with ``serve --manage``.

Run ``.venv/bin/python docs/screenshot_manage.py``. Indexes the first lines of the seed with the real
embedder, serves it with ``--manage``, uploads a small real .docx in the Library view, indexes it and
photographs the view (the list, the queue with the finished job) with Debian's Chromium.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from tests import harness

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from tests.test_library_browser import DOCX_NAME, make_docx  # noqa: E402

SEED = ROOT / "seeds" / "tibet-2024-government-work-report.txt"


def main() -> int:
    if harness.chromium_path() is None:
        print("chromium is not installed; run `make browser` (as root) first", file=sys.stderr)
        return 1
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory(prefix="reportqa-manage-shots-") as tmp:
        work = Path(tmp)
        src = work / "docs"
        src.mkdir()
        lines = SEED.read_text(encoding="utf-8").splitlines()
        (src / SEED.name).write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
        proc = harness.run_reportqa("build", str(src), "--index-dir", str(work / "index"), "--quiet")
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        docx = make_docx(work / DOCX_NAME)
        with harness.serve_subprocess(work / "index", work / "server.log", "--manage") as srv, sync_playwright() as p:
            browser = harness.launch_chromium(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page.set_default_timeout(300_000)
                page.goto(srv.url)
                page.get_by_role("tab", name=re.compile("Library")).click()
                page.set_input_files("#rq-lib-upload input[type=file]", str(docx))
                expect(page.locator("#rq-lib-preview table.rq-lib-paras")).to_be_visible(timeout=60_000)
                page.click("#rq-lib-index")
                expect(page.locator(f'#rq-lib-reports tr[data-doc="{DOCX_NAME}"]')).to_be_visible(timeout=300_000)
                page.set_input_files("#rq-lib-upload input[type=file]", str(docx))  # same bytes: refused
                expect(page.locator("#rq-lib-refused")).to_contain_text(DOCX_NAME, timeout=60_000)
                page.wait_for_timeout(500)
                page.screenshot(path=str(DOCS / "library.png"), full_page=True)
            finally:
                browser.close()
    print(f"wrote {DOCS / 'library.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
