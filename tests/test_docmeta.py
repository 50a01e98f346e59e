"""A document's record read from the document itself (index/reading/docmeta.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from reportqa.index.reading.docmeta import front_matter, read_meta
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import read_sources
from reportqa.index.text.regions import CITY, NATIONAL

from .conftest import SEED

CORPUS = Path(__file__).parent / "data" / "corpus"


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("row", _manifest(), ids=lambda r: r["path"])
def test_every_corpus_file_region_and_year_match_the_manifest(row: dict[str, str]) -> None:
    path = CORPUS / row["path"]
    meta = read_meta(path.name, path.read_text(encoding="utf-8"))
    assert meta.region is not None and meta.region.name == row["region"], meta.how
    assert meta.year == int(row["year"]), meta.how
    assert meta.region.level == (NATIONAL if row["region"] == "全国" else "province")
    if meta.date is not None:  # a dateline, when found, is the report's own year
        assert meta.date.startswith(row["year"] + "-")
    assert row["year"] + "年" in meta.title and meta.title.endswith("政府工作报告")
    assert (row["region"] if row["region"] != "全国" else "国务院") in meta.title


def test_corpus_titles_dates_speakers_found() -> None:
    metas = [read_meta(r["path"], (CORPUS / r["path"]).read_text(encoding="utf-8")) for r in _manifest()]
    provincial = [m for m in metas if m.region is not None and m.region.level != NATIONAL]
    assert len(provincial) == 31
    # every provincial web page carries a dateline and a speaker line
    assert all(m.date is not None and m.speaker for m in provincial)
    assert all(m.title_line for m in provincial)
    speakers = {m.speaker for m in metas if m.speaker}
    assert "国务院总理 李强" in speakers and "自治区主席 嘎玛泽登" in speakers and "省人民政府省长 王清宪" in speakers


def test_regions_come_from_the_text_not_only_the_file_name() -> None:
    """With an uninformative file name every provincial report still gets its region from its own text."""
    for row in _manifest():
        meta = read_meta("report.txt", (CORPUS / row["path"]).read_text(encoding="utf-8"))
        if row["region"] != "全国":
            assert meta.region is not None and meta.region.name == row["region"], row["path"]


def test_seed() -> None:
    (src,), _ = read_sources([SEED])
    meta = read_meta(src.name, src.text, reconstruct(src))
    assert meta.region is not None and meta.region.name == "西藏自治区" and meta.year == 2024
    assert meta.date == "2024-01-07" and meta.speaker is not None and meta.speaker.startswith("自治区主席")
    assert meta.title == "2024年西藏自治区政府工作报告" and meta.how["region"] == "dateline"


def test_city_report_with_chinese_numeral_dateline_and_split_speaker() -> None:
    text = "\n".join([
        "\u200b政府工作报",
        "告",
        "——二〇二五年一月十九日在成都市第十八届人民代表大会第五次会议上",
        "成都市人民政府市长\u3000",
        "王　五",
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作。",
    ])  # fmt: skip
    meta = read_meta("doc.docx", text)
    r = meta.region
    assert r is not None and (r.name, r.short, r.level) == ("成都市", "成都", CITY)
    assert (meta.year, meta.date) == (2025, "2025-01-19")
    assert meta.speaker == "成都市人民政府市长 王五"
    assert meta.title == "2025年成都市政府工作报告" and meta.title_line == "政府工作报告"


def test_national_without_front_matter_uses_the_opening_then_the_file_name() -> None:
    text = "各位代表：\n　　现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2030年工作回顾\n过去一年……\n"
    meta = read_meta("national-2031.txt", text)
    assert meta.region is not None and meta.region.level == NATIONAL and meta.how["region"] == "opening"
    assert meta.year == 2031 and meta.how["year"] == "file name" and meta.date is None


def test_caption_and_bare_name_speakers() -> None:
    caption = (
        "2029年河北省政府工作报告\n2029年1月6日在河北省第十五届人民代表大会第一次会议上\n"
        "省长张三作政府工作报告\n各位代表：\n"
    )
    assert read_meta("x.txt", caption).speaker == "省长 张三"
    bare = "政府工作报告\n1956年6月15日在第一届全国人民代表大会第三次会议上\n周恩来\n各位代表：\n"
    meta = read_meta("x.txt", bare)
    assert meta.speaker == "周恩来" and meta.region is not None and meta.region.level == NATIONAL


def test_captions_are_not_titles_and_body_lines_end_the_front_matter() -> None:
    text = "王五作政府工作报告\n" + "很长的正文。" * 20 + "\n2026年某省政府工作报告\n"
    assert front_matter(text) == ["王五作政府工作报告"]
    meta = read_meta("x.txt", text)
    assert meta.title_line is None and meta.year is None and meta.title == "x.txt"
