"""Page furniture, appendices and endnotes on generated pages (other wrap widths, other words), so that
nothing depends on the corpus files alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportqa.index.reading.chunker import ChunkSettings, embed_text, make_chunks
from reportqa.index.reading.furniture import CONTROL, LICENCE, METADATA, NAVIGATION, furniture_reason
from reportqa.index.reading.layout import text_width
from reportqa.index.reading.paragraphs import analyze, clean_text, source_slice, split_document
from reportqa.index.records import Paragraph
from reportqa.index.storage.store import _paragraph_from_row, _paragraph_row

from tests.conftest import run_cli

TITLE = "2031年某某省政府工作报告"
DATELINE = "——2031年1月20日在某某省第十五届人民代表大会第二次会议上"
SPEAKER = "省长 张某某"
BODY = [
    ("各位代表：", False),
    ("现在，我代表省人民政府，向大会报告工作，请予审议。", False),
    ("一、2030年工作回顾", True),
    (
        "过去一年，全省经济稳中有进，地区生产总值增长百分之五点二，城乡居民收入稳步提高，实施“双百工程”［1］成效明显。",
        False,
    ),
    ("（一）坚持创新驱动，产业结构持续优化", True),
    ("新培育高新技术企业一千二百家，研发经费投入强度提高到百分之二点六，推进“三链融合”［2］取得积极进展。", False),
    ("二、2031年工作安排", True),
    ("今年经济社会发展的主要预期目标是：地区生产总值增长百分之五左右，城镇新增就业六十万人以上。", False),
    ("各位代表！让我们团结一心，为谱写现代化建设新篇章而努力奋斗！", False),
]
APPENDIX = [
    ("注释", True),
    ("［1］双百工程：", False),
    ("百个园区、百个项目同步建设的行动。", False),
    ("［2］三链融合：", False),
    ("创新链、产业链、资金链深度融合。", False),
]
HEAD_FURNITURE = ["下载", "打印", "收藏", "【字号：", "加大", "还原", "减小", "】"]
NAV = ["您的位置：", "首页", ">", "要闻动态"]
META = ["来源：某某日报", "时间：2031-01-22"]
CAPTION = "省长张某某作政府工作报告。本报记者 王某 摄"
TAIL = ["相关报道：", "责任编辑：", "李某", "扫一扫在手机打开当前页", "关闭窗口", TITLE]


def wrap(text: str, width: int | None) -> list[str]:
    """Hard-wrap ``text`` at ``width`` display columns (a CJK character is two), as a printed page would."""
    if width is None:
        return [text]
    lines, cur = [], ""
    for ch in text:
        if text_width(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur]


def web_page(width: int | None) -> str:
    lines: list[str] = []
    for text in [*HEAD_FURNITURE, *NAV, TITLE, *META, DATELINE, SPEAKER, CAPTION]:
        lines += wrap(text, width)
    for text, _ in BODY + APPENDIX:
        lines += wrap(text, width)
    for text in TAIL:
        lines += wrap(text, width)
    return "\n".join(lines)


@pytest.mark.parametrize("width", [None, 44, 62])
def test_web_page_furniture_is_set_aside_and_reported(width: int | None) -> None:
    text = web_page(width)
    r = split_document(text, "web")
    texts = [p.text for p in r.paragraphs]
    assert texts == [TITLE, DATELINE, SPEAKER] + [t for t, _ in BODY + APPENDIX]
    furn = {f.text: f.reason for f in r.furniture}
    assert set(furn) == {*HEAD_FURNITURE, *NAV, *META, CAPTION, *TAIL}
    assert furn["【字号："] == CONTROL and furn["要闻动态"] == NAVIGATION and furn["时间：2031-01-22"] == METADATA
    assert furn[TITLE] == "repeated text" and furn["李某"] == furn["责任编辑："]
    layout = analyze(text)
    n_lines = len(text.split("\n"))
    covered = sorted(
        [n for p in r.paragraphs for n in range(p.lines[0], p.lines[1] + 1)]
        + [n for f in r.furniture for n in range(f.lines[0], f.lines[1] + 1)]
    )
    assert covered == list(range(1, n_lines + 1))
    for p in r.paragraphs:
        assert clean_text(source_slice(text, p.lines), layout.clutter) == p.text


@pytest.mark.parametrize("width", [None, 54])
def test_appendix_section_and_endnote_links(width: int | None) -> None:
    r = split_document(web_page(width), "web")
    by_text = {p.text: p for p in r.paragraphs}
    note_head = by_text["注释"]
    assert note_head.heading and note_head.level == 1 and note_head.section == ("注释",)
    for t, _ in APPENDIX[1:]:
        assert by_text[t].section == ("注释",)
    closing = by_text[BODY[-1][0]]
    assert closing.section[0] == "二、2031年工作安排"
    citing = by_text[BODY[3][0]]
    assert [r.paragraphs[n - 1].text for n in citing.notes] == ["［1］双百工程：", "百个园区、百个项目同步建设的行动。"]
    second = by_text[BODY[5][0]]
    assert [r.paragraphs[n - 1].text for n in second.notes] == ["［2］三链融合：", "创新链、产业链、资金链深度融合。"]
    assert by_text[BODY[7][0]].notes == ()


def test_headings_keep_their_levels_on_a_web_page() -> None:
    r = split_document(web_page(None), "web")
    heads = [(p.text, p.level) for p in r.paragraphs if p.heading]
    assert heads == [
        ("一、2030年工作回顾", 1),
        ("（一）坚持创新驱动，产业结构持续优化", 2),
        ("二、2031年工作安排", 1),
        ("注释", 1),
    ]


def wiki_page() -> str:
    parts = [
        "\u200b",
        "",
        "",
        "政府工作报",
        "告",
        "",
        "",
        "——2031年3月5日在第十五届全国人民代表大会第二次会议上",
        "",
        "",
        "国务院总理",
        "\u3000某某某",
        "",
        "",
        "各位代表：",
        "",
        "现在，我代表国务院，向大会报告政府工作，请予审议。",
        "",
        "",
        "一、过去一年工作回顾",
        "",
        "过去一年，我们坚持稳中求进，推进",
        "高质量发展",
        "取得新成效，",
        "一带一路",
        "合作走深走实。",
        "",
        "国内生产总值增长百分之五，城镇新增就业一千二百万人。",
        "",
        "各位代表！让我们奋发图强，为实现宏伟目标而团结奋斗！",
        "",
        "",
        "本作品是中华人民共和国的",
        "法律",
        "、",
        "法规",
        "，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件。根据《",
        "中华人民共和国著作权法",
        "》，本作品属于",
        "公有领域",
        "。",
        "",
        "",
        "Public domain",
        "Public domain",
        "false",
        "false",
    ]
    return "\n".join(parts)


def test_wikisource_like_page() -> None:
    text = wiki_page()
    r = split_document(text, "wiki")
    texts = [p.text for p in r.paragraphs]
    assert texts == [
        "政府工作报告",
        "——2031年3月5日在第十五届全国人民代表大会第二次会议上",
        "国务院总理某某某",
        "各位代表：",
        "现在，我代表国务院，向大会报告政府工作，请予审议。",
        "一、过去一年工作回顾",
        "过去一年，我们坚持稳中求进，推进高质量发展取得新成效，一带一路合作走深走实。",
        "国内生产总值增长百分之五，城镇新增就业一千二百万人。",
        "各位代表！让我们奋发图强，为实现宏伟目标而团结奋斗！",
    ]
    assert r.paragraphs[5].heading
    assert {f.reason for f in r.furniture} == {LICENCE}
    assert "".join(f.text for f in r.furniture).count("公有领域") == 1


def test_body_words_are_not_furniture() -> None:
    """Vocabulary is matched on whole short paragraphs in their region, not on words inside sentences."""
    for text in ("收藏家协会举办了年度展览。", "相关报道显示，全省经济持续向好。", "我们要打印发放宣传材料。"):
        for region in ("front", "tail", "anywhere"):
            assert furniture_reason(text, region) is None


def test_notes_are_embedded_with_the_citing_chunk_and_stored() -> None:
    paras = [
        Paragraph("d", 1, "一、回顾", True, 1, ("一、回顾",), (1, 1)),
        Paragraph("d", 2, "实施“双百工程”［1］成效明显。", False, 0, ("一、回顾",), (2, 2), notes=(4, 5)),
        Paragraph("d", 3, "注释", True, 1, ("注释",), (3, 3)),
        Paragraph("d", 4, "［1］双百工程：", False, 0, ("注释",), (4, 4)),
        Paragraph("d", 5, "百个园区同步建设的行动。", False, 0, ("注释",), (5, 5)),
    ]
    settings = ChunkSettings()
    chunks = make_chunks(paras, settings)
    citing = next(c for c in chunks if c.citation.paragraph == 2)
    assert citing.text == "实施“双百工程”［1］成效明显。"
    assert "百个园区同步建设的行动。" in embed_text(citing, settings)
    plain = next(c for c in chunks if c.citation.paragraph == 5)
    assert embed_text(plain, settings).count("百个园区") == 1
    assert _paragraph_from_row(json.loads(json.dumps(_paragraph_row(paras[1])))) == paras[1]
    assert _paragraph_from_row(json.loads(json.dumps(_paragraph_row(paras[0])))).notes == ()


def test_cli_lists_furniture(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(web_page(None), encoding="utf-8")
    out = run_cli("paragraphs", "--furniture", str(page))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == len(HEAD_FURNITURE + NAV + META + TAIL) + 1
    assert lines[0].split() == ["L1", "page", "control", "下载"]
    js = run_cli("paragraphs", "--furniture", "--json", str(page))
    rows = [json.loads(x) for x in js.stdout.splitlines()]
    assert {r["text"] for r in rows} == {*HEAD_FURNITURE, *NAV, *META, CAPTION, *TAIL}
    assert all(set(r) == {"lines", "text", "reason"} for r in rows)
    plain = run_cli("paragraphs", "--json", str(page))
    paras = [json.loads(x) for x in plain.stdout.splitlines()]
    assert paras[0]["text"] == TITLE and not any(p["text"] == "下载" for p in paras)
    assert any(p.get("notes") for p in paras)
    text_out = run_cli("paragraphs", str(page)).stdout.splitlines()
    citing = next(x for x in text_out if "［1］成效明显" in x)
    note_n = next(p["n"] for p in paras if p["text"].startswith("［1］"))
    assert citing.endswith(f"[notes: {note_n}, {note_n + 1}]")
