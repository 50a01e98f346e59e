"""Regenerate the layout fixtures in this folder: ``python tests/data/reports/make_fixtures.py``.

Each ``NAME.txt`` is one report laid out a different way (wrap width, indents, blank lines, page clutter,
encoding); ``NAME.expected.json`` lists the paragraphs the layout was built from (text, heading, level,
section), which is what reconstruction must recover. Texts paraphrase/recombine public government work
report sentences.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent

NO_LINE_START = "，。、；：！？）》」』”’…%‰,.;:!?)]}·"


def width(s: str, cjk: bool = True) -> float:
    w = 0.0
    for ch in s:
        if ch == " ":
            w += 0.5 if cjk else 1
        elif unicodedata.east_asian_width(ch) in ("WF" if not cjk else "WFA"):
            w += 2
        else:
            w += 1
    return w


def tokens(text: str, cjk: bool) -> list[str]:
    if cjk:
        return re.findall(r"[\x21-\x7e]+ ?|.", text)
    return re.findall(r"\S+\s*", text)


def wrap(text: str, cols: float, first_cols: float, cjk: bool) -> list[str]:
    """Greedy wrap; punctuation that may not start a line stays on the previous one."""
    lines: list[str] = []
    cur = ""
    limit = first_cols
    for tok in tokens(text, cjk):
        if cur and width(cur + tok.rstrip(), cjk) > limit and tok[0] not in NO_LINE_START:
            lines.append(cur.rstrip())
            cur = ""
            limit = cols
        cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


FRONT = [
    "政府工作报告",
    "——2024年1月10日在江川市第十七届人民代表大会第三次会议上",
    "市长 王明远",
    "各位代表：",
]
OPENING = "现在，我代表市人民政府，向大会报告政府工作，请予审议，并请各位政协委员和列席的同志提出意见。"

B = [
    "2023年是全面贯彻党的二十大精神的开局之年，也是本届政府全面履职的第一年。我们坚持稳中求进工作总基调，"
    "认真落实中央和省委决策部署，在市委坚强领导下，紧紧依靠全市人民，踔厉奋发、勇毅前行，"
    "迈出了高质量发展的新步伐。",
    "——经济运行持续向好。预计地区生产总值超 2300 亿元、增长 9%左右，人均突破 6 万元。城乡居民人均可支配"
    "收入分别增长 6.5%和 10%左右。固定资产投资、社会消费品零售总额分别增长 30%和 22%以上，"
    "主要经济指标增速位居全省前列。",
    "——发展动能稳步增强。重点项目有序推进，机场第二跑道和国际航站楼建成投运，水利枢纽投产发电。"
    "出台促消费政策“24条”，提振消费专项行动效应凸显，“江川味道”美食街烟火渐旺。",
    "——民生福祉保障有力。出台居民增收“16 条”。农民转移就业 64.7 万人、劳务收入 65.6亿元。"
    "应届高校毕业生就业 3605 人，创历史新高。推进医联体医共体建设，新增区域医疗中心 2 个。",
    "同时，我们也清醒地认识到，发展不平衡不充分的问题依然突出，生态环境保护还存在不少短板弱项，"
    "民生领域仍有一些问题亟待解决。这些问题，我们将高度重视，有效应对和解决。",
    "今年政府工作的总体要求是：坚持以新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，"
    "统筹扩大内需和深化供给侧结构性改革，统筹新型城镇化和乡村全面振兴，统筹高质量发展和高水平安全，"
    "奋力推进高质量发展。",
    "保持投资稳定增长。落实中央预算内投资 80亿元。加快推进城际铁路、G4218 连接线和 G318 提质改造等"
    "重大项目建设，实现绕城高速全线通车。新开工建设 10 个通用机场。",
    "充分释放消费潜力。继续安排专项资金促进消费。开展汽车家电家具下乡活动，鼓励新能源汽车和电子产品"
    "消费，完善以旧换新补贴政策。打造夜间特色消费街区，力争社会消费品零售总额突破千亿元。",
    "强化扶持育企业。落实“一产一策”“一企一策”，大力实施龙头企业引培工程。力争培育龙头企业 10家、"
    "专精特新中小企业 10家，新增上市企业 2 家。",
    "突出特色强产业。压紧压实产业链链长制，大力实施延链、升链、建链、补链行动。制定推进新型工业化"
    "实施意见，规上工业和数字经济增加值均增长 10%以上。",
    "我们要切实加强质量支撑和标准引领，持续优化一产、壮大二产、提升三产，让特色产业在新领域新赛道上"
    "各尽其能、各展所长。",
]

# (kind, level, text): kind is "front", "head" or "body"
CN_DOC: list[tuple[str, int, str]] = [
    *[("front", 0, t) for t in FRONT],
    ("body", 0, OPENING),
    ("head", 1, "一、2023年工作回顾"),
    ("body", 0, B[0]),
    ("head", 2, "（一）经济发展稳中有进"),
    ("body", 0, B[1]),
    ("body", 0, B[2]),
    ("head", 2, "（二）民生福祉保障有力"),
    ("body", 0, B[3]),
    ("body", 0, B[4]),
    ("head", 1, "二、2024年工作安排"),
    ("body", 0, B[5]),
    ("head", 2, "（一）坚持稳投资扩消费，不断塑造发展新优势"),
    ("head", 3, "1．保持投资稳定增长"),
    ("body", 0, B[6]),
    ("head", 3, "2．充分释放消费潜力"),
    ("body", 0, B[7]),
    ("head", 2, "（二）坚持育企业强产业，深度挖掘潜力优势"),
    ("body", 0, B[8]),
    ("body", 0, B[9]),
    ("body", 0, B[10]),
]

CN_TWO_LEVEL = [item for item in CN_DOC if item[1] != 3]


def expected(doc: list[tuple[str, int, str]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    stack: list[tuple[int, str]] = []
    for kind, level, text in doc:
        title = text.lstrip("#").strip()
        if kind == "head":
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
        section = [] if kind == "front" else [t for _, t in stack]
        out.append({"text": text, "heading": kind == "head", "level": level, "section": section})
    return out


def join(lines: list[str]) -> str:
    """The paragraph as the wrapped lines give it back: CJK joins directly, Latin words with a space (a space
    the wrap broke at between a number and a CJK character is gone)."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        latin_after = out and out[-1].isascii() and (out[-1].isalnum() or out[-1] in ",.;:!?")
        if latin_after and ln[0].isascii() and ln[0].isalnum():
            out += " "
        out += ln
    return out


def layout(
    doc: list[tuple[str, int, str]],
    chars: int,
    indent: str = "",
    drop_indent: int = 0,
    blank_between: bool = False,
    cjk: bool = True,
) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Lines of a hard-wrapped rendering of ``doc`` (``chars`` CJK characters per line), and ``doc`` with each
    text as the rendering gives it back."""
    cols = chars * 2 if cjk else chars
    lines: list[str] = []
    back: list[tuple[str, int, str]] = []
    for kind, level, text in doc:
        ind = indent if kind == "body" else ""
        first = cols - (drop_indent if kind == "body" else 0) - width(ind)
        wrapped = wrap(text, cols, first, cjk)
        back.append((kind, level, join(wrapped)))
        wrapped[0] = ind + wrapped[0]
        lines.extend(wrapped)
    if blank_between:
        out: list[str] = []
        for ln in lines:
            out += [ln, ""]
        return out, back
    return lines, back


def honest(doc: list[tuple[str, int, str]], chars: int, drop: int = 0) -> list[tuple[str, int, str]]:
    """Without indents a paragraph that ends on a full line is ambiguous: shorten such paragraphs by their
    last clause until the last line is visibly short."""
    out = []
    for kind, level, text in doc:
        if kind == "body":
            while True:
                lines = wrap(text, chars * 2, chars * 2 - drop, True)
                if width(lines[-1]) <= chars * 2 - 8:
                    break
                cut = max(text.rfind("，", 0, len(text) - 1), text.rfind("、", 0, len(text) - 1))
                text = text[:cut] + "。"
        out.append((kind, level, text))
    return out


def paginate(lines: list[str], per_page: int, header: str) -> str:
    """Pages of ``per_page`` lines with a running header, a ``— N —`` footer and a form feed between."""
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        head = ("\f" if n > 1 else "") + header
        out += [head, "", *page, "", f"— {n} —"]
    return "\n".join(out) + "\n"


ENGLISH: list[tuple[str, int, str]] = [
    ("front", 0, "Report on the Work of the City Government"),
    ("front", 0, "Delivered at the Third Session of the Municipal People's Congress"),
    ("head", 1, "1. Review of 2023"),
    (
        "body",
        0,
        "The year 2023 was the first year of this government's term. Facing a complex environment, we kept "
        "growth steady, raised household incomes by 6.5 percent and created 64,700 urban jobs. Fixed-asset "
        "investment grew by 30 percent, and retail sales of consumer goods exceeded 100 billion yuan for the "
        "first time.",
    ),
    ("head", 2, "1.1 Economic performance"),
    (
        "body",
        0,
        "Regional GDP surpassed 230 billion yuan, an increase of about 9 percent. The second runway of the "
        "airport and the international terminal entered service, and the hydropower station began "
        "generating electricity.",
    ),
    ("head", 2, "1.2 Living standards"),
    (
        "body",
        0,
        "We issued sixteen measures to raise incomes, expanded medical alliances, and opened two regional "
        "medical centres. A record 3,605 college graduates found jobs outside the region.",
    ),
    ("head", 1, "2. Tasks for 2024"),
    (
        "body",
        0,
        "This year we will keep investment growing, unleash consumption, cultivate leading enterprises and "
        "strengthen distinctive industries, so that development becomes more balanced and more resilient.",
    ),
]


def main() -> None:
    files: dict[str, tuple[str, list[tuple[str, int, str]], str]] = {}

    # 1. wrap width 30, full-width indents, single-spaced
    lines, doc1 = layout(CN_TWO_LEVEL, 30, indent="\u3000\u3000")
    files["cn-w30-fullwidth-indent"] = ("\n".join(lines) + "\n", doc1, "utf-8")

    # 2. wrap width 50, running header + footer page numbers + form feeds, dropped indent
    doc2 = honest(CN_DOC, 50, drop=4)
    lines, doc2 = layout(doc2, 50, drop_indent=4)
    files["cn-w50-pages"] = (paginate(lines, 12, "江川市人民政府工作报告"), doc2, "utf-8")

    # 3. no indent at all, width 38, single-spaced
    doc3 = honest(CN_TWO_LEVEL, 38)
    lines, doc3 = layout(doc3, 38)
    files["cn-w38-no-indent"] = ("\n".join(lines) + "\n", doc3, "utf-8")

    # 4. GB18030 text (rare CJK incl. Ext-B), four-space indents, blank line between every line
    gb_doc = [
        *[("front", 0, t) for t in FRONT[:2]],
        ("body", 0, OPENING),
        ("head", 1, "一、保护传统村落"),
        ("body", 0, "推进䶮塘古村、𠀾溪老街和㧟口渡等传统村落保护修缮，完成 12 处文物本体维修。" + B[4]),
        ("body", 0, "加强非物质文化遗产传承，支持“𪚥山锣鼓”等项目进校园、进社区，培养传承人 300 名以上。"),
        ("head", 1, "二、改善人居环境"),
        ("body", 0, B[7]),
    ]
    gb_lines, gb_doc = layout(gb_doc, 40, indent="    ", blank_between=True)
    files["cn-gb18030-space-indent"] = ("\n".join(gb_lines) + "\n", gb_doc, "gb18030")

    # 5. markdown-like: one paragraph per line, blank lines between
    md_doc = [
        ("head", 1, "# 江川市政府工作报告"),
        ("body", 0, OPENING),
        ("head", 2, "## 一、2023年工作回顾"),
        ("body", 0, B[0]),
        ("head", 3, "### （一）经济发展稳中有进"),
        ("body", 0, B[1]),
        ("body", 0, "- 地区生产总值增长 9%左右。"),
        ("body", 0, "- 固定资产投资增长 30%。"),
        ("head", 2, "## 二、2024年工作安排"),
        ("body", 0, B[5]),
    ]
    files["cn-markdown"] = ("\n\n".join(t for _, _, t in md_doc) + "\n", md_doc, "utf-8")

    # 6. three-level headings, seed-like layout: dropped indent, blank line between every line
    doc6 = honest(CN_DOC, 44, drop=4)
    lines, doc6 = layout(doc6, 44, drop_indent=4, blank_between=True)
    files["cn-three-levels"] = ("\n".join(lines), doc6, "utf-8")

    # 7. English wrapped at 72 columns, blank line between paragraphs
    blocks = []
    for kind, _level, text in ENGLISH:
        blocks.append("\n".join(wrap(text, 72, 72, False)) if kind == "body" else text)
    files["en-w72"] = ("\n\n".join(blocks) + "\n", ENGLISH, "utf-8")

    for name, (text, doc, enc) in files.items():
        (HERE / f"{name}.txt").write_bytes(text.encode(enc))
        exp = {"encoding": enc, "paragraphs": expected(doc)}
        (HERE / f"{name}.expected.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
