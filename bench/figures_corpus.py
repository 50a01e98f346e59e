"""Extraction over a corpus (no embedding): figures per indicator and kind, and the time it takes.

``python bench/figures_corpus.py [SOURCES…] [--dump FILE.jsonl] [--labels LABELS.jsonl [-v]]``: default sources
the corpus and the seed; with ``--labels`` the accuracy ``reportqa eval-figures`` reports, without building an index.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from reportqa.index.figures.extract import extract_figures
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import discover, read_source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sources", nargs="*", type=Path, default=[Path("tests/data/corpus"), Path("seeds")])
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--labels", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    files, _ = discover(args.sources)
    t0 = time.perf_counter()
    counts: Counter[tuple[str, str]] = Counter()
    docs_with: Counter[tuple[str, str]] = Counter()
    rows = []
    figures = []
    texts: dict[tuple[str, int], str] = {}
    for path, name in files:
        src = read_source(path, name)
        paras = reconstruct(src)
        meta = read_meta(name, src.text, paras)
        figs = extract_figures(paras, region=meta.region.name if meta.region else "", year=meta.year)
        figures += figs
        texts.update({(p.document, p.n): p.text for p in paras})
        for f in figs:
            counts[(f.indicator, f.kind)] += 1
            rows.append(f.to_json())
        for key in {(f.indicator, f.kind) for f in figs}:
            docs_with[key] += 1
    dt = time.perf_counter() - t0
    print(f"{len(files)} documents, {len(rows)} figures, {dt:.1f} s (read + reconstruct + extract)")
    print(f"{'indicator':32} {'target':>7} {'actual':>7}")
    for ind in sorted({k[0] for k in counts}):
        print(f"{ind:32} {counts[(ind, 'target')]:7d} {counts[(ind, 'actual')]:7d}")
    if args.labels:
        from reportqa.index.figures.evaluate import evaluate_figures, read_labels

        rep = evaluate_figures(figures, read_labels(args.labels), [n for _, n in files],
                               lambda doc, n: texts.get((doc, n)))  # fmt: skip
        print(f"\n{args.labels}: {rep.labels} labels")
        print(rep.markdown())
        if args.verbose:
            print("\n".join(rep.detail_lines()))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
