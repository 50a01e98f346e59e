"""End to end in a real browser: Debian's Chromium drives ``reportqa serve`` through Playwright.

The server is the real command (``python -m reportqa.ui serve``) on a free loopback port, over an index of
the seed plus a document full of HTML/Markdown injection, built with the real embedder through the CLI.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportqa.ui import render

from tests import harness

from .conftest import SEED

pytestmark = pytest.mark.browser

ABSTAIN_QUESTION = "What is the GDP growth target for 2031?"  # a year no indexed document mentions
GDP_QUESTION = "2024年地区生产总值预期增长多少？"
TIMEOUT_MS = 60_000
FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
"""Resolves once the page has painted two more frames: the work queued by the last change (focus, handlers,
re-render) has run. An event of the page, not a guess at how fast the machine is."""


def _require_chromium() -> None:
    if harness.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; the browser tests must run in CI (make browser)")
        pytest.skip("chromium is not installed (run `make browser` as root to install Debian's chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    _require_chromium()
    work = tmp_path_factory.mktemp("browser")
    index_dir = harness.build_demo_index(work, SEED)
    with harness.serve_subprocess(index_dir, work / "server.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def browser(server: harness.Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch_chromium(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, server: harness.Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server.url)
    pg.wait_for_selector("#rq-question textarea")
    pg.wait_for_function(FRAMES)  # the page has painted twice since: autofocus has settled
    yield pg
    context.close()
    assert not [e for e in errors if "__xss" in e], errors


def ask(page: Any, question: str) -> Any:
    """Type a question, press Ask, and return the locator of the new reply."""
    before = page.locator("#rq-chat .rq-answer").count()
    page.fill("#rq-question textarea", question)
    page.click("#rq-ask")
    page.wait_for_function(
        "n => document.querySelectorAll('#rq-chat .rq-answer').length > n", arg=before, timeout=TIMEOUT_MS
    )
    return page.locator("#rq-chat .rq-answer").last


def test_cited_answer_and_jump_to_report(page: Any, server: harness.Server) -> None:
    from playwright.sync_api import expect

    reply = ask(page, GDP_QUESTION)
    expect(reply.locator(".rq-sentence")).to_contain_text("地区生产总值")
    first = reply.locator(".rq-passage").first
    expect(first.locator(".rq-ptext mark").first).to_be_visible()
    chip = first.locator("a.rq-cite")
    expect(chip).to_contain_text("[1] tibet-2024-government-work-report.txt")
    expect(chip).to_contain_text("¶")
    expect(chip).to_contain_text("line")
    target = chip.get_attribute("href").lstrip("#")
    where = "() => [window.scrollY, document.querySelector('#rq-question textarea').getBoundingClientRect().bottom]"
    chip.scroll_into_view_if_needed()  # what a reader does first; the click itself then scrolls nothing
    before = page.evaluate(where)
    chip.click()
    cited = page.locator(f"#rq-report-panel #{target}.rq-cited")
    expect(cited).to_be_visible()
    expect(cited).to_be_in_viewport()
    assert page.locator("#rq-report-panel .rq-cited").count() == 1
    # The whole document is there, headings as headings, with the cited paragraph's neighbours around it.
    assert page.locator("#rq-report-panel .rq-para").count() > 20
    assert page.locator("#rq-report-panel .rq-heading").count() >= 3
    n = int(target.rsplit("-", 1)[1])
    prev = page.locator(f"#rq-report-panel #{target.rsplit('-', 1)[0]}-{n - 1}")
    expect(prev).to_be_attached()
    # The chat stays where it was at desktop width: the jump scrolls the report panel, never the window.
    after = page.evaluate(where)
    assert after[0] == before[0], f"the window scrolled: (scrollY, input bottom) {before} -> {after}"
    expect(page.locator("#rq-question textarea")).to_be_in_viewport()


def test_copy_citation(page: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(page, GDP_QUESTION)
    label = reply.locator("a.rq-cite").first.inner_text()
    button = reply.locator("button.rq-copy").first
    button.click()
    expect(button).to_contain_text("已复制")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == label.split("] ", 1)[1]


def test_abstain_shows_message_and_low_confidence_passages(page: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(page, ABSTAIN_QUESTION)
    expect(reply.locator(".rq-abstain")).to_have_text(render.ABSTAIN_EN)
    assert reply.locator(".rq-passage.rq-low").count() >= 1
    expect(reply.locator(".rq-lowtag").first).to_be_visible()


def test_document_text_is_shown_literally_never_executed(page: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(page, harness.XSS_QUESTION)
    expect(reply).to_contain_text("<script>window.__xss=1</script>")
    expect(reply).to_contain_text('<img src=x onerror="window.__xss=2">')
    expect(reply).to_contain_text("[点我](javascript:window.__xss=3)")
    page.get_by_text("<script>window.__xss=1</script>", exact=False).first.wait_for(state="visible")
    # Open the hostile document in the report view too.
    reply.locator("a.rq-cite", has_text="xss-note.txt").first.click()
    expect(page.locator("#rq-report-panel .rq-cited")).to_be_visible()
    expect(page.locator("#rq-report-panel")).to_contain_text("[点我](javascript:window.__xss=3)")
    page.wait_for_function(FRAMES)  # any injected script or onerror handler would have run by now
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#rq-chat a[href^='javascript'], #rq-report-panel a[href^='javascript']").count() == 0


def test_empty_question_shows_a_notice(page: Any) -> None:
    from playwright.sync_api import expect

    page.fill("#rq-question textarea", "   ")
    page.click("#rq-ask")
    expect(page.get_by_text("Type a question first").first).to_be_visible()
    assert page.locator("#rq-chat .rq-answer").count() == 0


def test_example_button_and_like_writes_feedback(page: Any, server: harness.Server) -> None:
    from playwright.sync_api import expect

    feedback = server.index_dir.parent / "feedback.jsonl"
    before = len(feedback.read_text(encoding="utf-8").splitlines()) if feedback.exists() else 0
    # the examples are made from the indexed report: click the first one
    first = page.locator(".rq-examples button").first
    example = first.inner_text().strip()
    assert example
    first.click()
    expect(page.locator("#rq-chat .rq-answer")).to_have_count(1)
    expect(page.locator("#rq-chat .rq-answer .rq-passage").first).to_be_visible()
    # the streamed reply's last re-render has landed (no message still generating); a click before it can be lost
    page.wait_for_function("() => !document.querySelector('#rq-chat .generating, #rq-chat .pending')")
    expect(page.locator("#rq-chat button[aria-label='Like']").last).to_be_visible()
    page.wait_for_function(FRAMES)

    def written(seconds: float) -> list[str]:
        deadline = time.monotonic() + seconds
        lines: list[str] = []
        while time.monotonic() < deadline:
            lines = feedback.read_text(encoding="utf-8").splitlines() if feedback.exists() else []
            if len(lines) > before:
                break
            time.sleep(0.2)
        return lines

    page.locator("#rq-chat button[aria-label='Like']").last.click()
    lines = written(10)
    if len(lines) == before:  # the click met a re-rendering message on a loaded machine: a reader clicks again
        page.locator("#rq-chat button[aria-label='Like']").last.click()
        lines = written(20)
    assert len(lines) == before + 1
    record = json.loads(lines[-1])
    assert record["question"] == example
    assert record["vote"] == "up"
    assert record["build_id"] and record["time"]
    assert record["passages"] and {"text", "citation"} <= set(record["passages"][0])
    # Never inside the versioned index directory, which a rebuild replaces.
    assert not list(server.index_dir.resolve().glob("feedback*"))


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_layout_and_screenshots(browser: Any, server: harness.Server, tmp_path: Path, width: int, height: int) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        pg.goto(server.url)
        pg.wait_for_selector("#rq-question textarea")
        expect(pg.locator(".rq-status")).to_contain_text("paragraphs")
        reply = ask(pg, GDP_QUESTION)
        expect(reply.locator("a.rq-cite").first).to_be_visible()
        pg.screenshot(path=str(tmp_path / f"chat-{width}.png"))
        reply.locator("a.rq-cite").first.click()
        expect(pg.locator("#rq-report-panel .rq-cited")).to_be_in_viewport()
        pg.screenshot(path=str(tmp_path / f"report-{width}.png"))
        overflow = pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page is {overflow}px wider than the {width}px viewport"
        # Chinese text actually renders with a CJK font (not tofu): glyphs have width.
        assert pg.evaluate(
            "() => { const c = document.createElement('canvas').getContext('2d');"
            " c.font = '16px sans-serif'; return c.measureText('报告').width > 20; }"
        )
        assert (tmp_path / f"chat-{width}.png").stat().st_size > 10_000
    finally:
        context.close()


def test_show_scores_and_passage_count_settings(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_text("设置 Settings").click()
    # the slider itself (its number box did not always commit the value in CI: the range stayed at 5)
    slider = page.get_by_label("range slider for 段落数 Passages")
    for _ in range(3):  # a reader sets it again if the page reset it while loading
        slider.fill("2")
        page.wait_for_function(FRAMES)  # the page's re-render of the value has been painted
        if slider.input_value() == "2":
            break
    expect(slider).to_have_value("2")
    expect(page.locator("input[type='number']").first).to_have_value("2")
    reply = ask(page, GDP_QUESTION)
    expect(reply.locator(".rq-passage")).to_have_count(2)
    assert reply.locator(".rq-score").count() == 0
    page.get_by_label("显示分数 Show scores").check()
    expect(page.locator("#rq-chat .rq-answer").last.locator(".rq-score").first).to_have_text(
        re.compile(r"score \d+\.\d{3}")
    )
