"""Paragraph reconstruction on the seed report and on fixtures with other layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportqa.index.reading.paragraphs import analyze, clean_text, reconstruct, source_slice, split_paragraphs
from reportqa.index.records import Paragraph, SourceText

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tibet-2024-government-work-report.txt"
REPORTS = Path(__file__).parent / "data" / "reports"

REVIEW = "2023 年工作回顾"
PLAN = "2024 年工作安排"
SUBS = [
    "（一）坚持聚人心促团结，全力维护和谐稳定",
    "（二）坚持稳投资扩消费，不断塑造发展新优势",
    "（三）坚持育企业强产业，深度挖掘潜力优势",
    "（四）坚持兴城镇带乡村，持续推进协调发展",
    "（五）坚持借外力生内力，更大力度改革创新",
    "（六）坚持办实事惠民生，不断改善群众生活",
    "（七）坚持护生态固边疆，切实筑牢安全屏障",
]

# The 60 paragraphs of the seed, counted by hand from the file: (prefix, first line, last line).
SEED_PARAGRAPHS: list[tuple[str, int, int]] = [
    ("政府工作报告", 2, 2),
    ("—2024 年 1 月 7日在西藏", 4, 4),
    ("自治区主席 严金海", 6, 6),
    ("各位代表：", 8, 8),
    ("现在，我代表自治区人民政府", 10, 12),
    ("2023 年工作回顾", 14, 14),
    ("2023 年是全面贯彻党的二十大", 16, 24),
    ("——社会大局安定和谐。", 26, 34),
    ("——经济运行持续向好。", 36, 42),
    ("——发展动能稳步增强。", 44, 52),
    ("——特色产业提质增效。", 54, 62),
    ("——城乡区域更加协调。", 63, 69),
    ("——营商环境持续优化。", 71, 81),
    ("——民生福祉保障有力。", 83, 91),
    ("——生态底色越发厚实。", 93, 101),
    ("——兴边富民卓有成效。", 103, 107),
    ("各位代表！一年来，我们成功举办", 109, 113),
    ("各位代表！一年来，我们坚持国防", 115, 119),
    ("各位代表！一年来，我们全面加强", 121, 129),
    ("各位代表！一年来，我们始终聚焦", 131, 142),
    ("同时，我们也清醒地认识到", 144, 152),
    ("2024 年工作安排", 154, 154),
    ("今年是实施“十四五”规划", 156, 172),
    ("主要预期目标是：", 174, 178),
    ("各位代表！今天的西藏", 180, 202),
    ("今年，将着力抓好以下七个方面工作。", 204, 204),
    (SUBS[0], 206, 206),
    ("不断促进民族团结。", 207, 211),
    ("依法管理宗教事务。", 213, 215),
    ("坚决维护社会稳定。", 217, 221),
    ("我们要把铸牢中华民族共同体意识", 223, 225),
    (SUBS[1], 227, 227),
    ("保持投资稳定增长。", 229, 237),
    ("充分释放消费潜力。", 239, 247),
    ("我们要进一步扩大有效益的投资", 249, 249),
    (SUBS[2], 251, 251),
    ("强化扶持育企业。", 253, 261),
    ("突出特色强产业。", 263, 276),
    ("我们要切实加强质量支撑", 278, 280),
    (SUBS[3], 282, 282),
    ("狠抓乡村振兴。", 284, 296),
    ("加快城镇发展。", 298, 306),
    ("推动区域协调。", 308, 316),
    ("我们要统筹推进新型城镇化", 318, 318),
    (SUBS[4], 320, 320),
    ("深化重点领域改革。", 322, 332),
    ("扩大对内对外开放。", 334, 344),
    ("加快推动创新发展。", 345, 349),
    ("我们要坚定不移行改革之道", 351, 351),
    (SUBS[5], 353, 353),
    ("狠抓就业增收。", 355, 361),
    ("狠抓公共服务。", 363, 375),
    ("狠抓民生实事。", 377, 385),
    ("我们要着眼解决好事关西藏长远发展", 387, 389),
    (SUBS[6], 391, 391),
    ("筑牢生态安全屏障。", 393, 405),
    ("筑牢国家安全屏障。", 407, 411),
    ("各位代表！我们要切实保障妇女", 412, 414),
    ("各位代表！我们将坚持全面从严治党", 416, 426),
    ("各位代表！未来已来，时不我待！", 428, 432),
]


def no_ws(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def check_property(text: str, paras: list[Paragraph]) -> None:
    """Each paragraph is clean_text of its line range; ranges increase; nothing lost or duplicated."""
    layout = analyze(text)
    last = 0
    for i, p in enumerate(paras, start=1):
        assert p.n == i
        a, b = p.lines
        assert last < a <= b
        last = b
        assert p.text
        assert "\n" not in p.text
        assert clean_text(source_slice(text, p.lines), layout.clutter) == p.text
    assert no_ws("".join(p.text for p in paras)) == no_ws(clean_text(text, layout.clutter))


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Paragraph]]:
    text = SEED.read_text(encoding="utf-8")
    src = SourceText(str(SEED), SEED.name, text, "0" * 64, "utf-8", "txt")
    return text, reconstruct(src)


def test_seed_has_the_60_paragraphs(seed: tuple[str, list[Paragraph]]) -> None:
    _, paras = seed
    assert len(SEED_PARAGRAPHS) == 60
    got = [(p.text[: len(pre)], p.lines) for p, (pre, _, _) in zip(paras, SEED_PARAGRAPHS, strict=False)]
    assert got == [(pre, (a, b)) for pre, a, b in SEED_PARAGRAPHS]
    assert len(paras) == 60
    assert all(p.document == SEED.name for p in paras)


def test_seed_headings_levels_and_sections(seed: tuple[str, list[Paragraph]]) -> None:
    _, paras = seed
    heads = [(p.text, p.level, p.section) for p in paras if p.heading]
    assert heads == [
        (REVIEW, 1, (REVIEW,)),
        (PLAN, 1, (PLAN,)),
        *[(s, 2, (PLAN, s)) for s in SUBS],
    ]
    front = paras[:4]
    assert [p.text for p in front] == [
        "政府工作报告",
        "—2024 年 1 月 7日在西藏自治区第十二届人民代表大会第二次会议上",
        "自治区主席 严金海",
        "各位代表：",
    ]
    assert all(not p.heading and p.level == 0 and p.section == () for p in front)
    assert paras[4].section == () and not paras[4].heading  # the opening paragraph
    body = [p for p in paras[5:] if not p.heading]
    assert len(body) == 46
    review = [p for p in body if p.section == (REVIEW,)]
    assert len(review) == 15
    assert sum(p.text.startswith("——") for p in review) == 9
    assert sum(p.section[:1] == (PLAN,) for p in body) == 31
    assert next(p for p in paras if p.text.startswith("强化扶持育企业。")).section == (PLAN, SUBS[2])
    assert next(p for p in paras if p.text.startswith("不断促进民族团结。")).section == (PLAN, SUBS[0])
    assert paras[-1].section == (PLAN, SUBS[6])


def test_seed_page_marker_removed_and_halves_joined(seed: tuple[str, list[Paragraph]]) -> None:
    text, paras = seed
    assert "（下转第三版）（紧接第一版）" in text
    assert not any("下转" in p.text or "紧接" in p.text for p in paras)
    p = next(p for p in paras if p.text.startswith("——民生福祉保障有力。"))
    assert "新增国家区域医疗中心 2 个。包虫病应治尽治，大骨节病愿治尽治。" in p.text
    assert p.text.endswith("文化惠民活动深入开展。")


def test_seed_lines_join_and_stray_spaces(seed: tuple[str, list[Paragraph]]) -> None:
    _, paras = seed
    p = next(p for p in paras if p.text.startswith("——城乡区域更加协调。"))
    assert p.lines == (63, 69)  # starts on a line with a stray leading space, no blank line before it
    assert "实施保障性安居工程 2.19 万套（户）、老旧小区改造 65 个。" in p.text
    p = next(p for p in paras if p.text.startswith("各位代表！一年来，我们始终聚焦"))
    assert "是党中央、国务院亲切关怀和全国人民无私支援的结果" in p.text
    assert all("\n" not in p.text and p.text == p.text.strip() for p in paras)


def test_seed_full_line_paragraph_end(seed: tuple[str, list[Paragraph]]) -> None:
    """A paragraph ending on a full-width line in 。 followed by a slightly short first line."""
    _, paras = seed
    p = next(p for p in paras if p.text.startswith("依法管理宗教事务。"))
    assert p.text.endswith("加强宗教活动场所管理。")
    p = next(p for p in paras if p.text.startswith("——兴边富民卓有成效。"))
    assert p.text.endswith("边境人口稳定增长，边民收入稳步提升。")  # full 。 line, then a short last line


def test_seed_property(seed: tuple[str, list[Paragraph]]) -> None:
    text, paras = seed
    check_property(text, paras)


FIXTURES = sorted(p.stem for p in REPORTS.glob("*.txt"))


def test_enough_fixtures() -> None:
    assert len(FIXTURES) >= 7


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_layouts(name: str) -> None:
    exp = json.loads((REPORTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    text = (REPORTS / f"{name}.txt").read_bytes().decode(exp["encoding"])
    paras = split_paragraphs(text, name)
    got = [
        {"text": p.text, "heading": p.heading, "level": p.level, "section": list(p.section)} for p in paras
    ]
    assert len(got) == len(exp["paragraphs"])
    assert got == exp["paragraphs"]
    check_property(text, paras)


def test_page_clutter_fixture() -> None:
    text = (REPORTS / "cn-w50-pages.txt").read_text(encoding="utf-8")
    assert "\f" in text and "— 2 —" in text
    layout = analyze(text)
    assert layout.clutter.headers == {"江川市人民政府工作报告"}
    paras = split_paragraphs(text, "x")
    assert not any("江川市人民政府工作报告" in p.text or "—" in p.text[-3:] for p in paras)
    # a paragraph that runs over a page break keeps its line range across the header and footer
    spanning = [p for p in paras if any(text.split("\n")[i].startswith("\f") for i in range(*p.lines))]
    assert spanning


def test_three_level_headings_fixture() -> None:
    text = (REPORTS / "cn-three-levels.txt").read_text(encoding="utf-8")
    heads = [(p.level, p.text) for p in split_paragraphs(text, "x") if p.heading]
    assert [lvl for lvl, _ in heads] == [1, 2, 2, 1, 2, 3, 3, 2]
    assert heads[5] == (3, "1．保持投资稳定增长")


def test_english_join_with_spaces() -> None:
    text = (REPORTS / "en-w72.txt").read_text(encoding="utf-8")
    paras = split_paragraphs(text, "en")
    body = [p for p in paras if not p.heading and p.section]
    assert body[0].text.startswith("The year 2023 was the first year of this government's term. Facing a")
    assert "  " not in body[0].text
    assert [p.level for p in paras if p.heading] == [1, 2, 2, 1]


@pytest.mark.parametrize(
    ("line", "removed"),
    [
        ("— 3 —", True),
        ("- 12 -", True),
        ("第3页", True),
        ("第 3 页 共 10 页", True),
        ("3/10", True),
        ("Page 4 of 9", True),
        ("第三章 总则", False),
        ("2023 年工作回顾", False),
    ],
)
def test_page_number_lines(line: str, removed: bool) -> None:
    assert (clean_text(line) == "") is removed


def test_markers_and_joining() -> None:
    assert clean_text("医疗中心 2 个。（下转第三版）（紧接第一版） 包虫病") == "医疗中心 2 个。包虫病"
    assert clean_text("上接（上接第1版）下文") == "上接下文"
    assert clean_text("二、主要任务（续）") == "二、主要任务"
    assert clean_text("growth was\nsteady in 2023") == "growth was steady in 2023"
    assert clean_text("well-\nknown") == "well-known"
    assert clean_text(" 中国\n特色") == "中国特色"
    assert clean_text("增长\n2300 亿元") == "增长2300 亿元"


def test_bare_page_numbers_only_when_counting_up() -> None:
    first = "第一段文字很长很长很长很长很长很长很长很长很长很长很长很长。"
    paras = split_paragraphs("\n".join([first, "1", "第二段。", "2", "第三段。"]), "x")
    assert [p.text for p in paras] == [first, "第二段。", "第三段。"]
    paras = split_paragraphs("今年目标：\n\n2024\n\n结束。", "x")
    assert "2024" in "".join(p.text for p in paras)


def test_running_header_with_page_number_dropped() -> None:
    page = ["中国某省政府工作报告（2024）  第{n}页", ""] + ["这是正文的一行文字，" * 4 + "到此。"] * 8
    text = "\n".join(ln.format(n=n) for n in range(1, 6) for ln in page)
    paras = split_paragraphs(text, "x")
    assert not any("政府工作报告" in p.text for p in paras)
    check_property(text, paras)


def test_one_paragraph_per_line_text() -> None:
    lines = ["第一章 总则", "第一条 为了规范管理，制定本办法。", "第二条 本办法适用于全省。"]
    text = "\n".join([*lines, "第二章 附则", "第三条 本办法自公布之日起施行。"])
    paras = split_paragraphs(text, "x")
    assert [(p.heading, p.level) for p in paras] == [(True, 1), (False, 0), (False, 0), (True, 1), (False, 0)]
    assert paras[2].section == ("第一章 总则",)


def test_empty_and_blank_documents() -> None:
    assert split_paragraphs("", "x") == []
    assert split_paragraphs("\n\n  \n\f\n", "x") == []
    assert [p.text for p in split_paragraphs("只有一行。", "x")] == ["只有一行。"]
