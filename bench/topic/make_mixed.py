# ruff: noqa: E501  (fact tables)
"""Write bench/eval/mixed-period.{dev,test}.jsonl: one question asking one year's result and the next year's
target of one province (issue 23 item 4), in Chinese and English, split by report (dev: provinces a–h in
pinyin, test: the others). Values and evidence were read from the 2026 reports (tests/data/corpus), each
checked to be the 2025 figure (not a five-year average) in the review and the 2026 target in the plan.

Run from the repo root: ``python bench/topic/make_mixed.py``; the period set's reader
(:func:`reportqa.qa.evaluate.read_period_questions`) reads them, ``both periods`` is the measure."""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "eval"

# (pinyin, region, indicator, (actual value, actual evidence), (target value, target evidence))
FACTS: list[tuple[str, str, str, tuple[str, str], tuple[str, str]]] = [
    ("beijing", "北京", "gdp", ("5.4%", "全市地区生产总值5.2万亿元、增长5.4%"), ("5%左右", "地区生产总值增长5%左右")),
    ("chongqing", "重庆", "gdp", ("5.3%", "全市地区生产总值达到33757.93亿元、增长5.3%"), ("5%以上", "地区生产总值增长5%以上")),
    ("fujian", "福建", "gdp", ("5%", "2025年全省地区生产总值60199.45亿元、增长5%"), ("5%左右", "地区生产总值增长5%左右")),
    ("fujian", "福建", "jobs", ("54.58万人", "城镇新增就业54.58万人"), ("50万人", "城镇新增就业50万人")),
    ("hunan", "湖南", "jobs", ("82.7万人", "城镇新增就业82.7万人"), ("70万人", "城镇新增就业70万人")),
    ("hunan", "湖南", "rev", ("1.7%", "地方一般公共预算收入达3507.6亿元、增长1.7%"), ("1.5%左右", "一般公共预算收入增长1.5%左右")),
    ("anhui", "安徽", "gdp", ("5.5%", "全省地区生产总值5.3万亿元、增长5.5%"), ("5%—5.5%", "地区生产总值增长5%—5.5%")),
    ("anhui", "安徽", "jobs", ("75.7万人", "城镇新增就业75.7万人"), ("68万人左右", "城镇新增就业68万人左右")),
    ("gansu", "甘肃", "gdp", ("5.8%", "地区生产总值增长5.8%"), ("5.5%左右", "地区生产总值增长5.5%左右")),
    ("guangdong", "广东", "gdp", ("3.9%", "地区生产总值增长3.9%"), ("4.5%—5%", "地区生产总值增长4.5%—5%")),
    ("guizhou", "贵州", "jobs", ("62.6万人", "城镇新增就业62.6万人"), ("60万人左右", "城镇新增就业60万人左右")),
    ("guizhou", "贵州", "rev", ("2.5%", "一般公共预算收入增长2.5%"), ("2%左右", "一般公共预算收入增长2%左右")),
    ("heilongjiang", "黑龙江", "jobs", ("35.8万人", "城镇新增就业35.8万人"), ("30万人以上", "城镇新增就业30万人以上")),
    ("jilin", "吉林", "gdp", ("5%", "地区生产总值增长5%"), ("5%左右", "地区生产总值增长5%左右")),
    ("tianjin", "天津", "rev", ("4.1%", "一般公共预算收入增长4.1%"), ("2%", "一般公共预算收入增长2%")),
    ("xizang", "西藏", "gdp", ("7%", "地区生产总值增长7%"), ("7%以上", "地区生产总值增长7%以上")),
    ("neimenggu", "内蒙古", "gdp", ("4.7%", "地区生产总值增长4.7%"), ("5%左右", "地区生产总值增长5%左右")),
    ("jiangsu", "江苏", "jobs", ("141万人", "城镇新增就业141万人"), ("120万人", "城镇新增就业120万人")),
    ("jiangxi", "江西", "gdp", ("5.2%", "地区生产总值增长5.2%"), ("5%-5.5%", "地区生产总值增长5%-5.5%")),
    ("liaoning", "辽宁", "rev", ("0.4%", "一般公共预算收入增长0.4%"), ("2.5%左右", "一般公共预算收入增长2.5%左右")),
    ("ningxia", "宁夏", "gdp", ("5.3%", "全年实现地区生产总值5696亿元，增长5.3%"), ("5%左右", "地区生产总值增长5%左右")),
    ("qinghai", "青海", "jobs", ("6.95万人", "城镇新增就业6.95万人"), ("6万人以上", "城镇新增就业6万人以上")),
    ("shaanxi", "陕西", "jobs", ("44.1万人", "城镇新增就业44.1万人"), ("40万人以上", "城镇新增就业40万人以上")),
    ("sichuan", "四川", "gdp", ("5.5%", "实现地区生产总值67665亿元，增长5.5%"), ("5.5%左右", "地区生产总值增长5.5%左右")),
    ("shanghai", "上海", "rev", ("1.5%", "地方一般公共预算收入达到8500亿元、增长1.5%"), ("2%", "一般公共预算收入增长2%")),
    ("liaoning", "辽宁", "jobs", ("48万人", "城镇新增就业48万人"), ("45万人以上", "城镇新增就业45万人以上")),
]
EN_NAME = {"beijing": "Beijing", "chongqing": "Chongqing", "fujian": "Fujian", "hunan": "Hunan", "anhui": "Anhui",
           "gansu": "Gansu", "guangdong": "Guangdong", "guizhou": "Guizhou", "heilongjiang": "Heilongjiang",
           "jilin": "Jilin", "tianjin": "Tianjin", "xizang": "Tibet", "neimenggu": "Inner Mongolia",
           "jiangsu": "Jiangsu", "jiangxi": "Jiangxi", "liaoning": "Liaoning", "ningxia": "Ningxia",
           "qinghai": "Qinghai", "shaanxi": "Shaanxi", "sichuan": "Sichuan", "shanghai": "Shanghai"}  # fmt: skip
ZH_Q = {
    "gdp": ["{r}2025年地区生产总值增长了多少、2026年目标是多少？", "{r}2025年经济实际增长多少，2026年预期目标定在多少？"],
    "jobs": ["{r}2025年城镇新增就业多少人，2026年计划新增多少？", "{r}2025年城镇新增就业实际完成多少、2026年目标是多少？"],
    "rev": ["{r}2025年一般公共预算收入增长了多少，2026年的目标呢？", "{r}2025年一般公共预算收入实际增长多少、2026年预期增长多少？"],
}
EN_Q = {
    "gdp": ["What was {r}'s GDP growth in 2025 and what is the 2026 target?",
            "How much did {r}'s economy grow in 2025, and what growth does it aim for in 2026?"],
    "jobs": ["How many new urban jobs did {r} create in 2025, and what is the target for 2026?",
             "What was {r}'s new urban employment in 2025 and what does it plan for 2026?"],
    "rev": ["How much did {r}'s general public budget revenue grow in 2025, and what is the 2026 target?",
            "What was {r}'s budget revenue growth in 2025 and what growth is planned for 2026?"],
}  # fmt: skip
DEV = ("anhui", "beijing", "chongqing", "fujian", "gansu", "guangdong", "guizhou", "heilongjiang", "hunan")


def main() -> None:
    rows: dict[str, list[dict[str, object]]] = {"dev": [], "test": []}
    for i, (py, region, ind, (av, ae), (tv, te)) in enumerate(FACTS):
        doc = f"provincial-2026/{py}-2026.txt"
        by_period = {"actual": {"document": doc, "evidence": ae, "answer": av},
                     "target": {"document": doc, "evidence": te, "answer": tv}}  # fmt: skip
        split = "dev" if py in DEV else "test"
        for lang, q in (("zh", ZH_Q[ind][i % 2].format(r=region)), ("en", EN_Q[ind][i % 2].format(r=EN_NAME[py]))):
            kind = "english" if lang == "en" else "mixed_period"
            rows[split].append({"id": f"mix-{py}-{ind}-{lang}", "kind": kind, "question": q, "evidence": ae,
                                "answer": av, "document": doc, "year": 2026, "period": "either",
                                "by_period": by_period})  # fmt: skip
    for split, rs in rows.items():
        path = OUT / f"mixed-period.{split}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs), encoding="utf-8")
        print(f"{path}: {len(rs)} questions")


if __name__ == "__main__":
    main()
