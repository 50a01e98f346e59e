from __future__ import annotations

from reportqa.index.reading.chunker import ChunkSettings, embed_text, make_chunks, split_long
from reportqa.index.records import Paragraph


def para(n: int, text: str, *, heading: bool = False, level: int = 0, section: tuple[str, ...] = ()) -> Paragraph:
    return Paragraph("doc.txt", n, text, heading, level, section, (n * 2 - 1, n * 2 - 1))


def test_short_paragraph_is_one_chunk_with_its_citation() -> None:
    p = para(3, "今年地区生产总值增长8%左右。", section=("2024 年工作安排",))
    (c,) = make_chunks([p], ChunkSettings())
    assert c.text == p.text
    assert (c.citation.document, c.citation.section, c.citation.paragraph, c.citation.lines) == (
        "doc.txt", "2024 年工作安排", 3, (5, 5),
    )
    assert (c.part, c.parts) == (0, 1)


def test_long_paragraph_splits_on_sentence_punctuation_and_keeps_citation() -> None:
    sentences = [f"第{i}项工作取得新进展，完成投资{i}亿元。" for i in range(40)]
    text = "".join(sentences)
    p = para(7, text, section=("一、回顾",))
    chunks = make_chunks([p], ChunkSettings(max_chars=120))
    assert len(chunks) > 1
    assert all(len(c.text) <= 120 for c in chunks)
    assert "".join(c.text for c in chunks) == text  # nothing lost, nothing repeated
    assert all(c.text.endswith("。") for c in chunks)  # cut at sentence ends
    assert {c.citation for c in chunks} == {chunks[0].citation}
    assert [c.part for c in chunks] == list(range(1, len(chunks) + 1))
    assert [c.id for c in chunks] == list(range(len(chunks)))


def test_split_long_leaves_short_text_alone() -> None:
    assert split_long("短。", ChunkSettings(max_chars=10)) == ["短。"]


def test_headings_fold_into_section_paths_but_bodiless_headings_stay_findable() -> None:
    paras = [
        para(1, "政府工作报告"),
        para(2, "一、回顾", heading=True, level=1, section=("一、回顾",)),
        para(3, "去年经济增长9%。", section=("一、回顾",)),
        para(4, "二、附录", heading=True, level=1, section=("二、附录",)),
    ]
    chunks = make_chunks(paras, ChunkSettings(), start_id=10)
    texts = [c.text for c in chunks]
    assert texts == ["政府工作报告", "去年经济增长9%。", "二、附录"]
    assert [c.id for c in chunks] == [10, 11, 12]
    assert chunks[2].heading and chunks[2].citation.section == ""
    assert chunks[0].citation.section == ""


def test_embed_text_carries_section_context_only_when_enabled() -> None:
    (c,) = make_chunks([para(1, "正文。", section=("甲", "乙"))], ChunkSettings())
    assert embed_text(c, ChunkSettings()) == "甲 › 乙\n正文。"
    assert embed_text(c, ChunkSettings(context=False)) == "正文。"
