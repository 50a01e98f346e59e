"""Synthetic report-like corpora made from the seed's sentences, with questions whose answers are known.

Each document is a 政府工作报告 for a region and year: a title block, a review of the previous year and a
plan with ``一、`` sections and ``（一）`` subsections, whose paragraphs are 2–5 of the seed's sentences recombined,
with the region's name, its party/government terms and the years substituted. Lines are hard-wrapped at
the seed's width (≈ 44 CJK characters) with a blank line between physical lines and a page number every
36 lines, as PDF-to-text output looks. One chunk ≈ one body paragraph, so ``--chunks N`` makes about N chunks.

Every document carries ``--facts`` injected sentences with a unique project name and figure
(``新建成澜岭数据产业园，总投资 37.46 亿元``) and a question about each (``澜岭数据产业园总投资多少？``);
an answer is right when a retrieved passage contains both the name and the figure.

    python bench/corpus.py --chunks 10000 --out /tmp/corpus-10k      # documents + queries.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tibet-2024-government-work-report.txt"

REGIONS: list[tuple[str, str, str]] = [
    # (full name, short name, kind: 省 or 自治区 or 市)
    ("四川省", "四川", "省"), ("云南省", "云南", "省"), ("贵州省", "贵州", "省"), ("甘肃省", "甘肃", "省"),
    ("青海省", "青海", "省"), ("陕西省", "陕西", "省"), ("山西省", "山西", "省"), ("河南省", "河南", "省"),
    ("湖北省", "湖北", "省"), ("湖南省", "湖南", "省"), ("江西省", "江西", "省"), ("安徽省", "安徽", "省"),
    ("福建省", "福建", "省"), ("浙江省", "浙江", "省"), ("江苏省", "江苏", "省"), ("山东省", "山东", "省"),
    ("河北省", "河北", "省"), ("辽宁省", "辽宁", "省"), ("吉林省", "吉林", "省"), ("黑龙江省", "黑龙江", "省"),
    ("广东省", "广东", "省"), ("海南省", "海南", "省"), ("新疆维吾尔自治区", "新疆", "自治区"),
    ("内蒙古自治区", "内蒙古", "自治区"), ("广西壮族自治区", "广西", "自治区"), ("宁夏回族自治区", "宁夏", "自治区"),
    ("西藏自治区", "西藏", "自治区"), ("重庆市", "重庆", "市"), ("天津市", "天津", "市"), ("上海市", "上海", "市"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建国华明伟强军平海峰文斌涛志刚新春松林晓红宏晨光辉雪岩立民"
NAME_CHARS = "澜岭嘉禾云栖松涛青峰翠屏临川望江金沙银湖星河瑞雪丰泽鹿鸣碧溪玉泉紫荆朝阳龙腾凤翔长风曙光锦绣远航"
FACILITIES = [
    ("数据产业园", "总投资", "亿元"), ("物流枢纽", "总投资", "亿元"), ("水利枢纽", "装机容量", "万千瓦"),
    ("光伏基地", "装机容量", "万千瓦"), ("高标准农田示范区", "建成面积", "万亩"), ("产业园区", "新增就业", "人"),
    ("保障性住房项目", "建成套数", "套"), ("职业技术学院", "招生规模", "人"), ("生态修复工程", "治理面积", "平方公里"),
    ("冷链物流中心", "年吞吐量", "万吨"), ("边境贸易市场", "年交易额", "亿元"), ("旅游集散中心", "接待游客", "万人次"),
]  # fmt: skip
CN_NUM = "一二三四五六七八九十"
NO_LINE_START = "，。、；：！？）》」』”’%"
SECTION_TITLES = [
    "坚持稳中求进，推动经济持续向好", "坚持扩大内需，加快构建现代产业体系", "坚持创新驱动，增强发展内生动力",
    "坚持城乡融合，全面推进乡村振兴", "坚持改革开放，持续优化营商环境", "坚持生态优先，筑牢生态安全屏障",
    "坚持以人民为中心，着力保障和改善民生", "坚持统筹发展和安全，维护社会和谐稳定", "坚持依法行政，加强政府自身建设",
]  # fmt: skip
SUB_TITLES = [
    "着力扩大有效投资", "全力提振消费", "加快发展特色产业", "推进新型城镇化", "深化重点领域改革",
    "扩大高水平对外开放", "加强生态环境保护", "办好民生实事", "提升基本公共服务水平", "推进基础设施建设",
    "加强科技创新", "促进就业增收", "防范化解重大风险", "推进文化繁荣发展", "加强社会治理",
]  # fmt: skip


@dataclass(frozen=True)
class Fact:
    question: str
    name: str
    """The unique project name the question asks about."""
    figure: str
    """The number, as written in the document (e.g. ``37.46``)."""
    document: str


@dataclass
class Document:
    name: str
    text: str
    body_paragraphs: int
    facts: list[Fact] = field(default_factory=list)


def _flat_seed_text(text: str) -> str:
    return "".join(line.strip() for line in text.split("\n") if line.strip())


def seed_sentences(seed: Path = SEED) -> list[str]:
    """The seed's body sentences (12–150 characters), in order."""
    flat = _flat_seed_text(seed.read_text(encoding="utf-8"))
    out = []
    for s in re.findall(r"[^。！？]*[。！？]", flat):
        s = s.strip()
        if not 12 <= len(s) <= 150:
            continue
        if re.match(rf"^[{CN_NUM}]+、|^（[{CN_NUM}]+）|^\d{{4}} 年|^各位代表", s):
            continue
        out.append(s)
    return out


def _substitute(s: str, region: tuple[str, str, str], year: int) -> str:
    full, short, kind = region
    party = {"省": "省委", "自治区": "区党委", "市": "市委"}[kind]
    whole = {"省": "全省", "自治区": "全区", "市": "全市"}[kind]
    s = s.replace("西藏自治区", full).replace("自治区", kind).replace("区党委", party).replace("全区", whole)
    s = s.replace("西藏", short)
    return re.sub(r"20(2[2-6])", lambda m: str(year + int(m.group(1)) - 24), s)


def _width(ch: str) -> int:
    return 1 if ord(ch) < 0x2E80 else 2


def hard_wrap(paragraph: str, columns: int = 88) -> list[str]:
    """Wrap like PDF text extraction: fill each line to ``columns`` display columns (CJK = 2)."""
    lines, cur, w = [], [], 0
    for ch in paragraph:
        cw = _width(ch)
        if cur and w + cw > columns and ch not in NO_LINE_START:
            lines.append("".join(cur))
            cur, w = [], 0
        cur.append(ch)
        w += cw
    if cur:
        lines.append("".join(cur))
    return lines


class Generator:
    """Deterministic documents for a seed: the same ``(seed, index)`` always gives the same document."""

    def __init__(self, seed: int = 0, facts_per_doc: int = 3, paragraphs_per_doc: int = 60) -> None:
        self.sentences = seed_sentences()
        self.seed = seed
        self.facts_per_doc = facts_per_doc
        self.paragraphs_per_doc = paragraphs_per_doc
        self._used_names: set[str] = set()

    def _unique_name(self, rng: random.Random) -> str:
        while True:
            name = "".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((3, 4))))
            if name not in self._used_names:
                self._used_names.add(name)
                return name

    def _paragraph(self, rng: random.Random, region: tuple[str, str, str], year: int) -> str:
        k = rng.randint(2, 5)
        start = rng.randrange(len(self.sentences))
        # mostly neighbouring sentences (coherent), sometimes one from elsewhere
        picks = [self.sentences[(start + i) % len(self.sentences)] for i in range(k)]
        if rng.random() < 0.4:
            picks[rng.randrange(k)] = rng.choice(self.sentences)
        text = "".join(_substitute(s, region, year) for s in picks)
        return text[:390] if len(text) > 390 else text

    def document(self, i: int) -> Document:
        rng = random.Random(f"{self.seed}:{i}")
        region = REGIONS[rng.randrange(len(REGIONS))]
        year = rng.randint(2015, 2025)
        name = f"{region[1]}-{year}-report-{i:06d}.txt"
        head = {"自治区": "自治区主席", "市": "市长", "省": "省长"}[region[2]]
        speaker = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        blocks: list[tuple[str, str]] = [  # (kind, text): kind "front", "heading", "body"
            ("front", "政府工作报告"),
            ("front", f"—{year} 年 1 月 {rng.randint(5, 28)}日在{region[0]}第{rng.choice(CN_NUM)}届人民代表大会"
                      f"第{rng.choice('一二三')}次会议上"),
            ("front", f"{head} {speaker}"),
            ("front", "各位代表："),
        ]  # fmt: skip
        n_body = max(4, int(rng.gauss(self.paragraphs_per_doc, self.paragraphs_per_doc / 6)))
        body: list[str] = [self._paragraph(rng, region, year) for _ in range(n_body)]

        facts: list[Fact] = []
        for _ in range(self.facts_per_doc):
            fname = self._unique_name(rng)
            facility, measure, unit = rng.choice(FACILITIES)
            figure = f"{rng.randint(2, 980)}.{rng.randint(10, 99)}" if unit != "人" else str(rng.randint(1200, 98000))
            sentence = f"新建成{fname}{facility}，{measure}达到 {figure} {unit}。"
            target = rng.randrange(n_body)
            parts = re.findall(r"[^。！？]*[。！？]", body[target]) or [body[target]]
            parts.insert(rng.randrange(len(parts) + 1), sentence)
            body[target] = "".join(parts)
            facts.append(Fact(f"{fname}{facility}的{measure}是多少？", fname, figure, name))

        review_n = max(2, n_body // 4)
        blocks.append(("heading", f"{year - 1} 年工作回顾"))
        blocks += [("body", b) for b in body[:review_n]]
        blocks.append(("heading", f"{year} 年工作安排"))
        rest = body[review_n:]
        sections = rng.sample(SECTION_TITLES, k=min(len(SECTION_TITLES), max(2, len(rest) // 8)))
        per = max(1, len(rest) // len(sections))
        for si, title in enumerate(sections):
            blocks.append(("heading", f"{CN_NUM[si]}、{title}"))
            chunk = rest[si * per : (si + 1) * per] if si < len(sections) - 1 else rest[si * per :]
            subs = rng.sample(SUB_TITLES, k=min(len(SUB_TITLES), max(1, len(chunk) // 4)))
            sper = max(1, len(chunk) // len(subs))
            for sj, sub in enumerate(subs):
                blocks.append(("heading", f"（{CN_NUM[sj]}）{sub}"))
                part = chunk[sj * sper : (sj + 1) * sper] if sj < len(subs) - 1 else chunk[sj * sper :]
                blocks += [("body", b) for b in part]
        return Document(name, self.render(blocks), n_body, facts)

    @staticmethod
    def render(blocks: list[tuple[str, str]]) -> str:
        """Hard-wrapped text, a blank line between physical lines, a page number every 36 lines."""
        out: list[str] = [""]
        count, page = 0, 1
        for _kind, text in blocks:
            for line in hard_wrap(text):
                out.append(line)
                out.append("")
                count += 1
                if count % 36 == 0:
                    out.append(f"— {page} —")
                    out.append("")
                    page += 1
        return "\n".join(out) + "\n"

    def documents(self, chunks: int) -> Iterator[Document]:
        """Documents until about ``chunks`` body paragraphs (≈ chunks) have been produced."""
        made, i = 0, 0
        while made < chunks:
            doc = self.document(i)
            made += doc.body_paragraphs
            i += 1
            yield doc


def write_corpus(out: Path, chunks: int, seed: int = 0, facts_per_doc: int = 3) -> dict[str, int]:
    """Write documents into ``out/docs`` and their questions into ``out/queries.jsonl`` (streaming)."""
    docs_dir = out / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    n_docs = n_body = n_facts = 0
    with open(out / "queries.jsonl", "w", encoding="utf-8") as q:
        for doc in Generator(seed, facts_per_doc).documents(chunks):
            (docs_dir / doc.name).write_text(doc.text, encoding="utf-8")
            for f in doc.facts:
                q.write(json.dumps(f.__dict__, ensure_ascii=False) + "\n")
            n_docs += 1
            n_body += doc.body_paragraphs
            n_facts += len(doc.facts)
    return {"documents": n_docs, "body_paragraphs": n_body, "queries": n_facts}


def read_queries(path: Path) -> list[Fact]:
    with open(path, encoding="utf-8") as f:
        return [Fact(**json.loads(line)) for line in f if line.strip()]


def answered(fact: Fact, passage: str) -> bool:
    """True when ``passage`` holds the fact (line breaks and spaces ignored, as in raw hard-wrapped chunks)."""
    flat = re.sub(r"\s+", "", passage)
    return fact.name in flat and fact.figure.replace(" ", "") in flat


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=10_000, help="about this many chunks (body paragraphs)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--facts", type=int, default=3, help="injected facts (and questions) per document")
    args = ap.parse_args(argv)
    stats = write_corpus(args.out, args.chunks, args.seed, args.facts)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
