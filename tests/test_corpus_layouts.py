"""Clean reading of every real report in tests/data/corpus (web scrapes and Wikisource transcriptions).

Every check runs on every file, against the source text itself (never on these files' line numbers):
no page furniture left as a paragraph, no body line lost, numbered headings found, every paragraph's
source lines slice back to its text, appendices in their own section, endnote markers linked to their notes,
front matter (title, dateline, speaker, salutation) kept as paragraphs.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from reportqa.index.reading.layout import strip_line
from reportqa.index.reading.paragraphs import Reconstruction, analyze, clean_text, source_slice, split_document
from reportqa.index.reading.readers import read_source

CORPUS = Path(__file__).parent / "data" / "corpus"
FILES = sorted([*CORPUS.glob("provincial-2026/*.txt"), *CORPUS.glob("national/*.txt")])

# What page furniture says, written down independently of the code's own table.
FURNITURE_LINES = {
    "下载", "打印", "全屏", "收藏", "【字号：", "【字体：", "加大", "还原", "减小", "】", "【", "|", "×",
    "相关报道：", "相关文档：", "相关链接>>", "相关附件>>", "打印本页", "关闭窗口", "扫一扫在手机打开当前页",
    "分享:", "分享：", "分享到:", "分享到微信", "当前位置：", "您的位置:", "首页", ">", "Public domain", "false",
    "阅读量：", "来源：", "来源:",
}  # fmt: skip
FURNITURE_RES = [
    re.compile(p)
    for p in (
        r"公有领域|维基文库|Public domain",
        r"本报记者|记者\s*\S{2,4}\s*摄$",
        r"^（?来源[:：]",
        r"^(?:责任)?编辑[:：]",
        r"^(?:发表)?时间[:：]",
        r"^\d{4}-\d\d-\d\d \d\d:\d\d",
        r"^[0-9a-f]{32}:$",
    )
]
SALUTATION = re.compile(r"^各位代表[：:！!，,]")
CN_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
CN_PAREN_HEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）")
NUM_HEADING = re.compile(r"^\d{1,2}[.．、](?!\d)")
APPENDIX_LINE = re.compile(r"^(?:附件\d?|注释|名词解释|.{2,20}名词注释)$")
MARKER = re.compile(r"(?<!^)［(\d{1,2})］")


@cache
def rebuilt(path: Path) -> tuple[str, Reconstruction]:
    src = read_source(path)
    return src.text, split_document(src.text, src.name)


def furniture_like(text: str) -> bool:
    return text in FURNITURE_LINES or any(r.search(text) for r in FURNITURE_RES)


def ids(p: Path) -> str:
    return f"{p.parent.name}/{p.stem}"


def test_corpus_is_there() -> None:
    assert len(FILES) == 83


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_no_furniture_left_and_no_line_lost(path: Path) -> None:
    text, r = rebuilt(path)
    lines = text.split("\n")
    clutter = analyze(text).clutter
    left = [p.text for p in r.paragraphs if furniture_like(p.text)]
    assert left == []
    covered: set[int] = set()
    for a, b in [p.lines for p in r.paragraphs] + [f.lines for f in r.furniture]:
        assert not covered & set(range(a, b + 1)), "a line in two paragraphs/furniture"
        covered |= set(range(a, b + 1))
    lost = [
        (i, ln)
        for i, ln in enumerate(lines, start=1)
        if strip_line(ln) and i not in covered and clutter.is_clutter_line(ln.strip()) is False
    ]
    assert lost == []
    # furniture is reported with the text its lines hold, and is never the author's salutation or a heading
    for f in r.furniture:
        assert clean_text(source_slice(text, f.lines), clutter) == f.text
        assert f.reason
        assert not re.search(r"注释|名词解释|^附件|^[［\[]\d+[］\]]|^＠?[①-⑳]", f.text), f"appendix lost as {f.reason}"
    tail_repeats = [f for f in r.furniture if SALUTATION.match(f.text) and f.reason != "repeated text"]
    assert tail_repeats == []


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_paragraphs_slice_back_to_their_text(path: Path) -> None:
    text, r = rebuilt(path)
    clutter = analyze(text).clutter
    last = 0
    for i, p in enumerate(r.paragraphs, start=1):
        assert p.n == i
        a, b = p.lines
        assert last < a <= b
        last = b
        assert clean_text(source_slice(text, p.lines), clutter) == p.text
        assert p.text and not p.text.isspace()


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_numbered_headings_found(path: Path) -> None:
    """Every short standalone line numbered 一、, （一） or 1. in the source is (the start of) a heading."""
    text, r = rebuilt(path)
    starts = {p.lines[0]: p for p in r.paragraphs}
    expected = 0
    for i, ln in enumerate(text.split("\n"), start=1):
        s = strip_line(ln)
        if not (CN_HEADING.match(s) or CN_PAREN_HEADING.match(s) or NUM_HEADING.match(s)):
            continue
        if len(s) > 40 or s[-1] in "。！？；：，" or s.count("“") != s.count("”"):
            continue  # a numbered sentence, or a line cut inside a quotation
        if NUM_HEADING.match(s) and i in starts and starts[i].section and APPENDIX_LINE.match(starts[i].section[0]):
            continue  # a numbered entry of a glossary or annex
        if not ("一" in s[:3] or expected):
            continue
        if CN_HEADING.fullmatch(s) or CN_PAREN_HEADING.fullmatch(s):
            # only the number: the item runs on in the next line (a heading or a numbered paragraph)
            assert i in starts and starts[i].text.startswith(s) and len(starts[i].text) > len(s)
            continue
        expected += 1
        assert i in starts and starts[i].heading, f"line {i} {s!r} is not a heading"
        assert starts[i].section[-1] == starts[i].text
    if expected:
        assert [p for p in r.paragraphs if p.heading and p.level == 1], "no top-level heading"


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_front_matter_kept(path: Path) -> None:
    """The salutation and the dateline stay findable paragraphs before the first heading."""
    text, r = rebuilt(path)
    first_heading = next((p.n for p in r.paragraphs if p.heading), len(r.paragraphs) + 1)
    front = [p for p in r.paragraphs if p.n < first_heading]
    if any(SALUTATION.match(strip_line(ln)) for ln in text.split("\n")[:60]):
        assert any(SALUTATION.match(p.text) for p in r.paragraphs[: first_heading + 3])
    dateline = re.compile(r"^[—―（(]*\s*(?:\d{4}|[一二〇零]{4})年.{1,8}日在.{4,40}会议上")
    if any(dateline.match(strip_line(ln)) for ln in text.split("\n")[:30]):
        assert any(dateline.match(p.text) for p in front)
    assert not any(furniture_like(p.text) for p in front)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_appendices_have_their_own_section(path: Path) -> None:
    text, r = rebuilt(path)
    heads = [p for p in r.paragraphs if p.heading and APPENDIX_LINE.match(p.text)]
    in_source = [ln for ln in text.split("\n") if APPENDIX_LINE.match(strip_line(ln))]
    assert len(heads) == len(in_source)
    if not heads:
        return
    first = heads[0]
    assert first.level == 1 and first.section == (first.text,)
    after = [p for p in r.paragraphs if p.n > first.n]
    assert after and all(p.section[0] in {h.text for h in heads if h.level == 1} for p in after)
    body_sections = {p.section[0] for p in r.paragraphs if p.n < first.n and p.section}
    assert not body_sections & {h.text for h in heads}


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_endnote_markers_link_to_their_notes(path: Path) -> None:
    text, r = rebuilt(path)
    by_n = {p.n: p for p in r.paragraphs}
    citing = [p for p in r.paragraphs if MARKER.search(p.text)]
    for p in citing:
        numbers = [int(k) for k in MARKER.findall(p.text)]
        assert p.notes, f"paragraph {p.n} cites {numbers} but links no note"
        labels = [by_n[k].text for k in p.notes if by_n[k].text.startswith("［")]
        assert [int(re.match(r"［(\d+)］", t).group(1)) for t in labels] == numbers  # type: ignore[union-attr]
        assert all(by_n[k].section[0] != p.section[0] for k in p.notes)
    if "［1］" in text:
        assert citing
