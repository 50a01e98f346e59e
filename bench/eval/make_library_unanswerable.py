"""Write ``library-unanswerable.{dev,test}.jsonl``: questions the library (tests/data/corpus + the seed) cannot
answer, of three kinds, split dev/test by a fixed seeded shuffle (about 40/60).

* ``scope``: a region, city or year the library holds no report of;
* ``topic``: off-topic questions (Chinese and English), none from ``qa/data/offtopic.*.txt``;
* ``figure``: a figure the named report does not give. Each names ``term`` and the report; this script checks
  in the report that the term either never occurs or never has a figure within 12 characters after it
  (``python bench/eval/make_library_unanswerable.py --check`` only checks).

Written from the corpus by reading the reports (grep), not from any retriever output.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
OUT = Path(__file__).resolve().parent
SEED = 15

# (question, region or None, year or None, why)
SCOPE = [
    ("成都市2026年城镇新增就业目标是多少？", "成都市", 2026, "region-missing"),
    ("苏州市2026年地区生产总值增长目标是多少？", "苏州市", 2026, "region-missing"),
    ("青岛市2026年政府工作报告提出的进出口目标是多少？", "青岛市", 2026, "region-missing"),
    ("厦门市今年的经济增长目标是多少？", "厦门市", None, "region-missing"),
    ("大连市的GDP增长目标是多少？", "大连市", None, "region-missing"),
    ("澳门特别行政区2026年的失业率目标是多少？", "澳门", 2026, "region-missing"),
    ("香港2026年的财政预算收入是多少？", "香港", 2026, "region-missing"),
    ("浙江省2024年地区生产总值增长目标是多少？", "浙江省", 2024, "region-year-missing"),
    ("江苏省2023年政府工作报告提出的城镇新增就业目标是多少？", "江苏省", 2023, "region-year-missing"),
    ("湖北省2022年粮食产量目标是多少？", "湖北省", 2022, "region-year-missing"),
    ("北京市2024年政府工作报告提出的地区生产总值增长目标是多少？", "北京市", 2024, "region-year-missing"),
    ("云南省2019年固定资产投资增长目标是多少？", "云南省", 2019, "region-year-missing"),
    ("西藏2021年地区生产总值增长目标是多少？", "西藏自治区", 2021, "region-year-missing"),
    ("1996年政府工作报告提出的经济增长目标是多少？", "全国", 1996, "region-year-missing"),
    ("2020年政府工作报告提出的城镇新增就业目标是多少？", "全国", 2020, "region-year-missing"),
    ("1989年政府工作报告提出的物价涨幅目标是多少？", "全国", 1989, "region-year-missing"),
    ("1970年政府工作报告提出了哪些任务？", "全国", 1970, "region-year-missing"),
    ("What was Zhejiang's GDP growth target in 2024?", "浙江省", 2024, "region-year-missing"),
    ("What target for new urban jobs did the 2020 government work report set?", "全国", 2020, "region-year-missing"),
    ("What was Hubei's grain output target in 2022?", "湖北省", 2022, "region-year-missing"),
    ("What is Hong Kong's unemployment rate target for 2026?", "香港", 2026, "region-missing"),
    ("What was Yunnan's 2019 fixed-asset investment target?", "云南省", 2019, "region-year-missing"),
]

TOPIC = [
    "上海有哪些好吃的本地小吃？",
    "北京故宫的门票多少钱一张？",
    "多肉植物冬天怎么浇水？",
    "糖醋排骨怎么做？",
    "篮球比赛一节打多长时间？",
    "刘德华今年多大了？",
    "怎样用Excel做数据透视表？",
    "下周北京会降温吗？",
    "什么牌子的扫地机器人好用？",
    "孕妇能喝咖啡吗？",
    "四川火锅底料怎么炒？",
    "怎么背单词记得牢？",
    "What is a good recipe for chocolate chip cookies?",
    "Who won the 2018 World Cup?",
    "How do I install Python on Windows?",
    "What will the weather be like in Shanghai this weekend?",
    "Which Marvel movie is the best?",
    "How old is Jackie Chan?",
    "How do I care for a succulent in winter?",
    "How do I make pour-over coffee?",
    "How many players are on a rugby union team?",
    "What is the best way to train a puppy?",
]

# (question, report, region, year, term): the report does not give a figure for ``term``
FIGURE = [
    ("安徽省2026年低空经济产业规模目标是多少亿元？", "provincial-2026/anhui-2026.txt", "安徽省", 2026, "低空"),
    ("重庆市2026年低空经济产值要达到多少？", "provincial-2026/chongqing-2026.txt", "重庆市", 2026, "低空经济"),
    ("上海市2026年低空经济产业规模是多少？", "provincial-2026/shanghai-2026.txt", "上海市", 2026, "低空"),
    ("山东省2026年居民消费价格涨幅目标是多少？", "provincial-2026/shandong-2026.txt", "山东省", 2026, "居民消费价格"),
    ("西藏自治区2026年居民消费价格涨幅目标是多少？", "provincial-2026/xizang-2026.txt", "西藏自治区", 2026,
     "居民消费价格"),
    ("河北省2026年人均预期寿命是多少岁？", "provincial-2026/hebei-2026.txt", "河北省", 2026, "人均预期寿命"),
    ("宁夏2026年人均预期寿命要达到多少岁？", "provincial-2026/ningxia-2026.txt", "宁夏回族自治区", 2026,
     "人均预期寿命"),
    ("北京市2026年常住人口是多少万人？", "provincial-2026/beijing-2026.txt", "北京市", 2026, "常住人口"),
    ("天津市2026年最低工资标准是多少元？", "provincial-2026/tianjin-2026.txt", "天津市", 2026, "最低工资"),
    ("江苏省2026年人口出生率是多少？", "provincial-2026/jiangsu-2026.txt", "江苏省", 2026, "出生率"),
    ("福建省2026年地铁新增运营里程是多少公里？", "provincial-2026/fujian-2026.txt", "福建省", 2026, "地铁"),
    ("广西2026年快递业务量是多少件？", "provincial-2026/guangxi-2026.txt", "广西壮族自治区", 2026, "快递"),
    ("黑龙江省2026年研发经费投入强度是多少？", "provincial-2026/heilongjiang-2026.txt", "黑龙江省", 2026,
     "研发经费"),
    ("贵州省2026年森林覆盖率是多少？", "provincial-2026/guizhou-2026.txt", "贵州省", 2026, "森林覆盖率"),
    ("2024年政府工作报告提出的房价调控目标是多少？", "national/national-2024.txt", "全国", 2024, "房价"),
    ("What consumer price target does Shandong's 2026 report set?", "provincial-2026/shandong-2026.txt", "山东省",
     2026, "居民消费价格"),
    ("What is the life expectancy in Hebei according to its 2026 report?", "provincial-2026/hebei-2026.txt",
     "河北省", 2026, "人均预期寿命"),
    ("What minimum wage does Tianjin's 2026 report set?", "provincial-2026/tianjin-2026.txt", "天津市", 2026,
     "最低工资"),
    ("How large is Anhui's low-altitude economy to be in 2026?", "provincial-2026/anhui-2026.txt", "安徽省", 2026,
     "低空"),
    ("What is Beijing's resident population in 2026?", "provincial-2026/beijing-2026.txt", "北京市", 2026,
     "常住人口"),
]

_FIG = re.compile(r"[0-9０-９]")


def check_figure(report: str, term: str) -> str | None:
    """None when ``report`` gives no figure for ``term``; else the offending context."""
    text = (CORPUS / report).read_text(encoding="utf-8")
    for m in re.finditer(re.escape(term), text):
        after = text[m.end() : m.end() + 12]
        if _FIG.search(after):
            return text[max(0, m.start() - 10) : m.end() + 12]
    return None


def items() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (q, region, year, why) in enumerate(SCOPE, 1):
        d: dict[str, object] = {"id": f"unans-scope-{i:03d}", "kind": "unanswerable", "question": q,
                                "evidence": None, "answer": None, "document": None, "why": why, "reason": "scope"}
        if region:
            d["region"] = region
        if year:
            d["year"] = year
        out.append(d)
    for i, q in enumerate(TOPIC, 1):
        out.append({"id": f"unans-topic-{i:03d}", "kind": "unanswerable", "question": q, "evidence": None,
                    "answer": None, "document": None, "why": "off-topic", "reason": "topic"})
    for i, (q, report, region, year, term) in enumerate(FIGURE, 1):
        out.append({"id": f"unans-figure-{i:03d}", "kind": "unanswerable", "question": q, "evidence": None,
                    "answer": None, "document": None, "region": region, "year": year, "why": "figure-missing",
                    "reason": "no_figure", "report": report, "term": term})
    return out


def main(argv: list[str]) -> int:
    bad = [(f[1], f[4], c) for f in FIGURE if (c := check_figure(f[1], f[4])) is not None]
    for report, term, ctx in bad:
        print(f"{report}: {term} has a figure: {ctx}", file=sys.stderr)
    offtopic = set()
    for lang in ("zh", "en"):
        offtopic |= {s.strip() for s in (ROOT / "qa" / "data" / f"offtopic.{lang}.txt").read_text("utf-8").splitlines()}
    leaked = [q for q in TOPIC if q in offtopic]
    for q in leaked:
        print(f"in the calibration set: {q}", file=sys.stderr)
    if bad or leaked or "--check" in argv:
        return 1 if bad or leaked else 0
    rows = items()
    random.Random(SEED).shuffle(rows)
    n_dev = round(0.4 * len(rows))
    for name, part in (("dev", rows[:n_dev]), ("test", rows[n_dev:])):
        part.sort(key=lambda d: str(d["id"]))
        with open(OUT / f"library-unanswerable.{name}.jsonl", "w", encoding="utf-8") as f:
            for d in part:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{name}: {len(part)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
