"""The Library view end to end in a real browser: upload a real .docx, check its preview and correct its record,
index it, ask about it in the chat and see it cited; remove it with the confirmation and see it gone.

The server is the real command (``reportqa serve --manage``) over a small index built with the real embedder
(the server and its child builds load the index's own embedder, so the fake one cannot be used here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import harness

from .conftest import SEED
from .test_browser import _require_chromium

pytestmark = pytest.mark.browser

TIMEOUT_MS = 240_000  # a build with the real embedder on a busy two-core machine
DOCX_NAME = "qingke-2026.docx"
POLICY = "实施高原蜂蜜产业振兴计划，新建蜂蜜加工厂十二座，培育养蜂合作社八十家，带动两千户蜂农增收。"
QUESTION = "青稞市新建多少座蜂蜜加工厂？"
EDITED_TITLE = "2026年青稞市政府工作报告（网页上传）"


def make_docx(path: Path) -> Path:
    """A small real .docx report (python-docx) with a distinctive policy paragraph."""
    import docx

    d = docx.Document()
    for text in (
        "2026年青稞市政府工作报告",
        "——2026年1月10日在青稞市第一届人民代表大会第三次会议上",
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。",
        "一、2025年工作回顾",
        "过去一年，全市坚持稳中求进，经济运行总体平稳，城乡居民收入稳步增长，民生保障不断加强。",
        "二、2026年工作安排",
        POLICY,
        "推进全民健身设施建设，新建社区健身步道三十公里，改造公共体育场馆五座。",
    ):
        d.add_paragraph(text)
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    _require_chromium()
    work = tmp_path_factory.mktemp("library-browser")
    src = work / "docs"
    src.mkdir()
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (src / SEED.name).write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")  # a short index: quick builds
    index_dir = work / "index"
    proc = harness.run_reportqa("build", str(src), "--index-dir", str(index_dir), "--quiet")
    assert proc.returncode == 0, proc.stderr
    with harness.serve_subprocess(index_dir, work / "server.log", "--manage", "--library-folder",
                                  str(work / "library")) as srv:  # fmt: skip
        yield srv


@pytest.fixture
def page(server: harness.Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch_chromium(p)
        pg = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(server.url)
        pg.wait_for_selector("#rq-question textarea")
        yield pg
        browser.close()


def ask(page: Any, question: str) -> Any:
    page.get_by_role("tab", name=re.compile("Ask")).click()
    before = page.locator("#rq-chat .rq-answer").count()
    page.fill("#rq-question textarea", question)
    page.click("#rq-ask")
    page.wait_for_function(
        "n => document.querySelectorAll('#rq-chat .rq-answer').length > n", arg=before, timeout=TIMEOUT_MS
    )
    return page.locator("#rq-chat .rq-answer").last


def cited_documents(reply: Any) -> list[str]:
    """The document of each citation chip (``[1] name (region year) · section · ¶ n · lines``)."""
    return [re.sub(r"^\[\d+\] | \(.*\)$", "", t.split(" · ")[0]) for t in reply.locator("a.rq-cite").all_inner_texts()]


def test_upload_docx_ask_about_it_then_remove_it(page: Any, server: harness.Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    path = make_docx(tmp_path / DOCX_NAME)
    reply = ask(page, QUESTION)
    assert DOCX_NAME not in cited_documents(reply)

    page.get_by_role("tab", name=re.compile("Library")).click()
    rows = page.locator("#rq-lib-reports tr[data-doc]")
    expect(rows).to_have_count(1)
    page.set_input_files("#rq-lib-upload input[type=file]", str(path))
    # the preview: the paragraphs as `reportqa paragraphs` shows them, and the record read from the report
    preview = page.locator("#rq-lib-preview")
    expect(preview).to_contain_text(POLICY)
    expect(preview.locator("table.rq-lib-paras tr")).to_have_count(9)
    expect(page.locator("#rq-lib-year input, #rq-lib-year textarea").first).to_have_value("2026")
    title = page.locator("#rq-lib-title input, #rq-lib-title textarea").first
    expect(title).to_have_value(re.compile("青稞市"))
    title.fill(EDITED_TITLE)
    page.click("#rq-lib-index")
    # the build runs in the background, the queue shows it; the list changes when the server has switched
    expect(page.locator("#rq-lib-queue .rq-lib-job").first).to_be_visible()
    new_row = page.locator(f'#rq-lib-reports tr[data-doc="{DOCX_NAME}"]')
    expect(new_row).to_be_visible(timeout=TIMEOUT_MS)
    expect(new_row).to_contain_text(EDITED_TITLE)
    expect(page.locator("#rq-lib-queue .rq-job-done")).to_have_count(1)

    reply = ask(page, QUESTION)
    assert cited_documents(reply)[0] == DOCX_NAME
    expect(reply).to_contain_text("十二座")

    page.get_by_role("tab", name=re.compile("Library")).click()
    new_row.locator("button.rq-lib-remove").click()
    confirm = page.locator(".rq-lib-confirm-text")
    expect(confirm).to_contain_text(DOCX_NAME)
    page.click("#rq-lib-confirm-remove")
    expect(new_row).to_have_count(0, timeout=TIMEOUT_MS)
    expect(rows).to_have_count(1)

    reply = ask(page, QUESTION)
    assert DOCX_NAME not in cited_documents(reply)
    # no passage of the removed report (its words that the question does not repeat; the abstention message may
    # repeat the question's own words)
    assert "养蜂合作社八十家" not in reply.inner_text()
    moved = list((server.index_dir.parent / "library" / ".removed").iterdir())
    assert [p.name for p in moved if p.name.endswith(DOCX_NAME)], moved
