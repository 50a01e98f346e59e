"""The written answer in a real browser: ``reportqa serve --llm`` against the scripted stub server.

The extractive answer and passages appear before the model's text; the text streams in; verified sentences
carry clickable [n] chips that open the report view; an unverified sentence is shown apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests import harness

from . import llm_stub
from .conftest import SEED
from .llm_stub import StubLLM

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


def _reply(req: dict[str, Any]) -> str:
    """Passage 1's first clause with a figure, cited [2] (wrong: re-pointed), then an invented figure."""
    for text in llm_stub.passages(req).values():
        for clause in re.split(r"[，。；]", text):
            if re.search(r"\d", clause) and len(clause) >= 6:
                return f"{clause}[1]。另外还增长了97.5%[1]。"
    return "资料中未提及。"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[harness.Server, StubLLM]]:
    if harness.chromium_path() is None:
        pytest.skip("chromium is not installed (make browser)")
    work = tmp_path_factory.mktemp("llm-browser")
    index_dir = harness.build_demo_index(work, SEED, with_xss=False)
    with StubLLM() as stub:
        stub.script = [llm_stub.computed(_reply, pieces=12, delay=0.4)]
        with harness.serve_subprocess(index_dir, work / "server.log", "--llm", stub.url) as srv:
            yield srv, stub


def test_written_answer_streams_after_the_extractive_one(served: tuple[harness.Server, StubLLM]) -> None:
    from playwright.sync_api import sync_playwright

    srv, _ = served
    with sync_playwright() as p:
        browser = harness.launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(srv.url)
            page.wait_for_selector("#rq-question textarea")
            page.fill("#rq-question textarea", "2024年地区生产总值预期增长多少？")
            page.click("#rq-ask")
            reply = page.locator("#rq-chat .rq-answer").last
            reply.locator(".rq-sentence").wait_for()
            reply.locator(".rq-passages li").first.wait_for()
            # the model is still writing (12 pieces, 0.4 s apart) while the extractive answer is shown
            reply.locator(".rq-streaming").wait_for()
            written = reply.locator(".rq-written:not(.rq-streaming)")
            written.wait_for(timeout=TIMEOUT_MS)
            chips = written.locator(".rq-wtext a.rq-cite")
            assert chips.count() >= 1
            assert "97.5%" not in written.locator(".rq-wtext").first.inner_text()
            assert "97.5%" in written.locator(".rq-unverified").inner_text()
            chips.first.click()
            page.wait_for_selector("#rq-report-panel .rq-cited")
        finally:
            browser.close()
