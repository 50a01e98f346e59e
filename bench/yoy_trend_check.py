"""Check ``reportqa trend`` counts on every report of an index against the exact substring counts of the
reconstructed text of its source file (read again with the project's readers), for a set of terms; also
count in the raw file (line breaks kept, and with every line break and blank removed) to show what the
reconstruction changes.

    python bench/yoy_trend_check.py --index-dir /work/libidx [--src /work/libsrc]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source
from reportqa.index.storage.store import load_index
from reportqa.qa.reports import indexed_reports
from reportqa.qa.trend import term_trend

TERMS = ("新质生产力", "高质量发展", "共同富裕", "改革开放", "人民公社", "供给侧结构性改革", "乡村振兴", "一带一路",
         "国内生产总值", "%", "碳达峰", "营商环境", "粮食", "人工智能", "低空经济")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--src", type=Path, default=Path("/work/libsrc"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    index = load_index(args.index_dir, check_sources=False, deep=False)
    reports = indexed_reports(index)
    load_s = time.perf_counter() - t0
    texts: dict[str, str] = {}
    raws: dict[str, str] = {}
    for r in reports:
        path = args.src / Path(r.document).name
        source = read_source(path)
        texts[r.document] = "\n".join(p.text for p in rebuild(source).paragraphs)
        raws[r.document] = source.text
    mismatches: list[str] = []
    raw_differs = 0
    flat_differs = 0
    cells = 0
    t1 = time.perf_counter()
    for term in TERMS:
        for row in term_trend(term, reports).rows:
            cells += 1
            expected = texts[row.document].count(term)
            if row.count != expected:
                mismatches.append(f"{term} {row.document}: trend {row.count}, reconstructed text {expected}")
            if raws[row.document].count(term) != expected:
                raw_differs += 1
            if re.sub(r"\s+", "", raws[row.document]).count(term) != expected:
                flat_differs += 1
    trend_s = (time.perf_counter() - t1) / len(TERMS)
    print(json.dumps({"reports": len(reports), "terms": len(TERMS), "cells": cells, "mismatches": len(mismatches),
                      "raw_file_count_differs": raw_differs, "flattened_raw_count_differs": flat_differs,
                      "load_s": round(load_s, 2), "trend_s_per_term": round(trend_s, 3),
                      "examples": mismatches[:10]}, ensure_ascii=False, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
