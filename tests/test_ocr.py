"""Scanned reports (index/reading/ocr.py): layout of recognised boxes, the page cache, readers, upload limits; and,
with the real engine (marker ``ocr``), a small scanned fixture through build → ask and the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from reportqa.index.errors import UnreadableSourceError, UploadRefusedError
from reportqa.index.reading.ocr import FakeOcrEngine, OcrLine, OcrPage, PageCache, PageReader, image_key, page_lines
from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source
from reportqa.index.records import LOW_CONFIDENCE, Citation

from .conftest import ROOT, SEED, run_cli

SCAN = ROOT / "tests" / "data" / "scan" / "tibet-2024-scan.pdf"
"""Two pages of the seed typeset and scanned black-and-white at 150 dpi (bench/scan_render.py --pages 2
--two-column 2 --bilevel): page 1 one column, page 2 two columns."""

EM = 30.0  # pixels per character in the synthetic pages below


def box(text: str, x: float, y: float, conf: float = 0.99) -> OcrLine:
    """A box for ``text`` at (x, y), as wide as its characters (CJK one em, ASCII half)."""
    width = sum(EM if ord(ch) > 0x2000 else EM / 2 for ch in text)
    return OcrLine(text, (x, y, x + width, y + EM), conf)


def png(width: int = 60, height: int = 40, shade: int = 255) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (width, height), shade).save(buf, "PNG")
    return buf.getvalue()


BODY = "经济运行持续向好预计地区生产总值增长百分之九左右城乡居民人均可支配收入稳步增长"  # 40 characters


def one_column_page() -> OcrPage:
    lines = [
        box(BODY[:18], 100 + 2 * EM, 100),  # first line, indented two characters
        box(BODY[:20], 100, 150),
        box(BODY[:7] + "。", 100, 200),  # short last line
        box("二、今年工作安排", 100 + 6 * EM, 250),  # a centred heading
        box(BODY[:18], 100 + 2 * EM, 300),
        box(BODY[:20], 100, 350),
    ]
    return OcrPage(1000, 1400, tuple(reversed(lines)))  # the engine's order is not reading order


def test_page_lines_keep_reading_order_and_first_line_indents() -> None:
    lines = page_lines(one_column_page())
    texts = [ln.text for ln in lines]
    assert [t.lstrip("\u3000") for t in texts] == [BODY[:18], BODY[:20], BODY[:7] + "。", "二、今年工作安排",
                                                   BODY[:18], BODY[:20]]
    indents = [len(t) - len(t.lstrip("\u3000")) for t in texts]
    assert indents[0] == 2 and indents[1] == 0 and indents[2] == 0 and indents[3] >= 4


def test_boxes_of_one_visual_line_are_joined_and_number_gaps_restored() -> None:
    left = box("预计增长", 100, 100)
    # the engine dropped the thin space of "增长 9%": the box is wider than its characters
    right = OcrLine("9%左右,居民收入", (left.box[2] + 5, 102, left.box[2] + 5 + 8 * EM, 102 + EM), 0.9)
    [line] = page_lines(OcrPage(1000, 1400, (right, left)))
    assert line.text.replace(" ", "") == "预计增长9%左右，居民收入"  # half-width comma between hanzi → full
    assert " " in line.text  # a thin gap put back where the box is wider than the text
    assert line.confidence == 0.9  # the lowest score of the merged boxes


def test_two_column_page_reads_left_column_first_and_rewraps_at_page_width() -> None:
    page_w, left_x, right_x = 1240, 100.0, 660.0
    rows = []
    for i in range(8):
        rows.append(box(("左" if i % 2 else "甲") * 16, left_x + (2 * EM if i == 0 else 0), 200 + i * 50))
        rows.append(box(("右" if i % 2 else "乙") * 16, right_x + (2 * EM if i == 0 else 0), 200 + i * 50))
    rows.append(box("一整行的标题横跨两栏之上", 400, 100))
    lines = page_lines(OcrPage(page_w, 1754, tuple(rows)))
    text = "".join(ln.text.strip("\u3000") for ln in lines)
    assert text.index("标题") < text.index("甲") < text.index("左") < text.index("乙") < text.index("右")
    body = [ln.text for ln in lines[1:]]
    # a column is ~16 characters wide; its paragraphs come back in lines about as wide as the page (~31)
    assert max(len(t) for t in body) > 24
    assert body[0].startswith("\u3000\u3000")


def test_page_cache_recognises_each_page_image_once(tmp_path: Path) -> None:
    engine = FakeOcrEngine([one_column_page()])
    seen: list[tuple[int, int, bool]] = []
    reader = PageReader(engine, PageCache(tmp_path / "cache"), progress=lambda *a: seen.append(a))
    data = png()
    first = reader.read(data, 1, 2)
    again = PageReader(engine, PageCache(tmp_path / "cache")).read(data)  # a new build, the same cache
    assert engine.calls == 1 and first == again
    assert seen == [(1, 2, False)]
    # a torn cache file (a killed build) is ignored and the page recognised again
    [torn] = (tmp_path / "cache").rglob(f"{image_key(data)}.json")
    torn.write_text('{"width": 10, "lines": [[', "utf-8")
    assert PageReader(engine, PageCache(tmp_path / "cache")).read(data) == first
    assert engine.calls == 2


def test_page_image_is_read_into_paragraphs_with_page_and_confidence(tmp_path: Path) -> None:
    lines = list(one_column_page().lines)
    lines[0] = OcrLine(lines[0].text, lines[0].box, 0.55)  # the last body line (engine order reversed)
    engine = FakeOcrEngine([OcrPage(1000, 1400, tuple(lines))])
    path = tmp_path / "page.png"
    path.write_bytes(png())
    source = read_source(path, ocr=PageReader(engine, PageCache(tmp_path / "cache")))
    assert source.format == "image" and len(source.confidence) == len(source.text.split("\n"))
    paras = rebuild(source).paragraphs
    body = [p for p in paras if not p.heading]
    assert [p.text for p in body] == [BODY[:18] + BODY[:20] + BODY[:7] + "。", BODY[:18] + BODY[:20]]
    assert all(p.page == 1 for p in paras)
    assert body[0].confidence == 0.99 and body[1].confidence == 0.55
    cite = Citation(body[1].document, "", body[1].n, body[1].lines, page=body[1].page,
                    confidence=body[1].confidence)
    assert cite.uncertain and "⚠" in cite.label() and "p. 1" in cite.label()
    assert Citation.from_json(json.loads(json.dumps(cite.to_json()))) == cite
    assert body[0].confidence >= LOW_CONFIDENCE


def test_pdf_without_text_or_images_says_what_to_do(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    path = tmp_path / "blank.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    with pytest.raises(UnreadableSourceError, match="no text layer and no page images"):
        read_source(path)


def test_image_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    with pytest.raises(UnreadableSourceError, match="not a readable image"):
        read_source(path, ocr=PageReader(FakeOcrEngine([one_column_page()]), PageCache(tmp_path / "c")))


def test_upload_limits_for_scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportqa.index.pipeline.library import Limits, check_upload

    monkeypatch.setenv("REPORTQA_OCR_CACHE", str(tmp_path / "cache"))
    with pytest.raises(UploadRefusedError, match="megapixels"):
        check_upload(png(3000, 2000), "scan.png", Limits(max_image_pixels=5_000_000))
    pages = [Image.new("L", (50, 50), 255) for _ in range(3)]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    with pytest.raises(UploadRefusedError, match="3 pages, more than the 2"):
        check_upload(buf.getvalue(), "scan.tif", Limits(max_scanned_pages=2))
    with pytest.raises(UploadRefusedError, match="2 scanned pages, more than the 1"):
        check_upload(SCAN.read_bytes(), "scan.pdf", Limits(max_scanned_pages=1))


# ------------------------------------------------------------------------------------------- real engine


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One page cache for the real-engine tests of a session: the fixture's pages are recognised once."""
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.mark.ocr
def test_scanned_fixture_builds_and_answers_and_rebuild_recognises_nothing(
    tmp_path: Path, ocr_cache: Path, fake_embedder: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportqa.index.pipeline.build import build_index
    from reportqa.index.storage.opener import open_index
    from reportqa.qa.engine import Engine

    monkeypatch.setenv("REPORTQA_OCR_CACHE", str(ocr_cache))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / SCAN.name).write_bytes(SCAN.read_bytes())
    idx = tmp_path / "index"
    seen: list[tuple[int, int, bool]] = []
    report = build_index([docs], idx, embedder=fake_embedder, pages=lambda *a: seen.append(a))  # type: ignore[arg-type]
    assert report.documents == 1 and not report.skipped
    assert [(p, n) for p, n, _ in seen] == [(1, 2), (2, 2)]
    # what was read matches the text the pages were typeset from
    seed = "".join(SEED.read_text("utf-8").split())
    index = open_index(idx)
    passages = [index.chunks[i] for i in range(len(index.chunks))]
    good = [c for c in passages if "".join(c.text.split()) in seed]
    assert len(good) >= 0.8 * len(passages)
    assert {c.citation.page for c in passages} == {1, 2}
    answer = Engine(index, fake_embedder).ask("这份政府工作报告是由哪位自治区主席作的？")  # type: ignore[arg-type]
    assert any("严金海" in h.text and h.citation.page == 1 for h in answer.hits[:5])
    # a rebuild (forced: every document read again) takes every page from the cache
    seen.clear()
    build_index([docs], idx, embedder=fake_embedder, force=True, pages=lambda *a: seen.append(a))  # type: ignore[arg-type]
    assert seen == [(1, 2, True), (2, 2, True)]


@pytest.mark.ocr
def test_cli_paragraphs_shows_what_was_read_from_a_scan(ocr_cache: Path) -> None:
    proc = run_cli("paragraphs", str(SCAN), env={"REPORTQA_OCR_CACHE": str(ocr_cache)})
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()
    assert any("自治区主席" in r and "[p. 1 · OCR" in r for r in rows)
    assert any("[p. 2 · OCR" in r for r in rows)
    proc = run_cli("paragraphs", str(SCAN), "--json", env={"REPORTQA_OCR_CACHE": str(ocr_cache)})
    paras = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {p.get("page") for p in paras} == {1, 2}
    assert any("confidence" in p for p in paras) and all(0 < p.get("confidence", 1) <= 1 for p in paras)


def test_stored_paragraph_keeps_page_and_confidence() -> None:
    from reportqa.index.records import Paragraph
    from reportqa.index.storage.store import _paragraph_from_row, _paragraph_row

    p = Paragraph("scan.pdf", 3, "正文。", False, 0, ("一、总结",), (10, 12), page=2, confidence=0.61)
    assert _paragraph_from_row(json.loads(json.dumps(_paragraph_row(p)))) == p
