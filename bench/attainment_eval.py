"""Attainment verdicts against hand-labelled target/result pairs (``bench/eval/attainment.jsonl``).

``python bench/attainment_eval.py [LABELS] [--sources DIR…] [--index-dir DIR] [--json] [-v]``

Each label is one target for year Y (read in report Y) and its result (read in report Y+1), with the verdict a
reader gives by the documented rules (:mod:`reportqa.qa.attainment`) and both quotes as evidence. The figures
are read from the sources (no embedding: read, reconstruct, extract — as ``bench/figures_corpus.py``) or taken
from a built index (``--index-dir``: the whole-corpus library), paired and judged by
:func:`~reportqa.qa.attainment.attainment_rows`. Per split:

* **verdict accuracy**: labels whose row has the labelled verdict, over all labels (a label without a row is
  wrong: the figure reader missed the target or the result);
* **accuracy on paired rows**: the same over the labels that got a row (the rules alone);
* **verdicts on qualitative targets**: rows judging a target the label calls qualitative (must be 0);
* **values**: rows whose target and result values are the labelled ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reportqa.index.docmeta import read_meta
from reportqa.index.figures import extract_figures, same_value
from reportqa.index.paragraphs import reconstruct
from reportqa.index.readers import discover, read_source
from reportqa.index.records import Figure
from reportqa.qa.attainment import attainment_rows
from reportqa.qa.records import Attainment

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Outcome:
    label: dict[str, object]
    row: Attainment | None

    @property
    def correct(self) -> bool:
        return self.row is not None and self.row.verdict == self.label["verdict"]


def corpus_figures(sources: list[Path]) -> list[Figure]:
    files, _ = discover(sources)
    out: list[Figure] = []
    for i, (path, name) in enumerate(files):
        src = read_source(path, name)
        paras = reconstruct(src)
        meta = read_meta(name, src.text, paras)
        out += extract_figures(paras, region=meta.region.name if meta.region else "", year=meta.year, document_id=i)
    return out


def score(labels: list[dict[str, object]], rows: tuple[Attainment, ...]) -> list[Outcome]:
    by_key = {(r.region, r.year, r.indicator): r for r in rows}
    return [Outcome(lab, by_key.get((str(lab["region"]), int(str(lab["year"])), str(lab["indicator"]))))
            for lab in labels]  # fmt: skip


def summary(outcomes: list[Outcome]) -> dict[str, object]:
    n = len(outcomes)
    paired = [o for o in outcomes if o.row is not None]
    qual_judged = [o for o in paired
                   if o.label["target_kind"] == "qualitative" and o.row and o.row.verdict != "not_judged"]  # fmt: skip
    values = [o for o in paired if o.row and same_value(o.row.target.value, str(o.label["target"]))
              and same_value(o.row.actual.value, str(o.label["actual"]))]  # fmt: skip
    return {
        "labels": n,
        "paired": len(paired),
        "correct": sum(o.correct for o in outcomes),
        "accuracy": round(sum(o.correct for o in outcomes) / n, 3) if n else None,
        "accuracy_paired": round(sum(o.correct for o in paired) / len(paired), 3) if paired else None,
        "qualitative_judged": len(qual_judged),
        "values_match": len(values),
        "by_verdict": dict(Counter(str(o.label["verdict"]) for o in outcomes)),
        "confusion": dict(Counter(f"{o.label['verdict']}->{o.row.verdict if o.row else 'no_row'}" for o in outcomes)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("labels", nargs="?", type=Path, default=ROOT / "bench" / "eval" / "attainment.jsonl")
    ap.add_argument("--sources", nargs="*", type=Path, default=[ROOT / "tests" / "data" / "corpus" / "national"])
    ap.add_argument("--index-dir", type=Path, help="take the figures of this built index instead")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the labels got wrong")
    args = ap.parse_args(argv)
    labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.index_dir is not None:
        from reportqa.index.store import read_figures

        figures: list[Figure] = list(read_figures(args.index_dir))
    else:
        figures = corpus_figures(args.sources)
    rows = attainment_rows(figures, (), report_missing=False).rows
    report = {}
    for split in ("dev", "test", "all"):
        subset = [lab for lab in labels if split == "all" or lab["split"] == split]
        report[split] = summary(score(subset, rows))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{args.labels.name}: {len(labels)} labelled pairs; {len(rows)} rows from {len(figures)} figures")
        print("| split | labels | paired | verdict accuracy | on paired rows | qualitative judged | values match |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for split, s in report.items():
            print(f"| {split} | {s['labels']} | {s['paired']} | {s['correct']}/{s['labels']} = {s['accuracy']} | "
                  f"{s['accuracy_paired']} | {s['qualitative_judged']} | {s['values_match']} |")
        print("confusion (label->system):", report["all"]["confusion"])
    if args.verbose:
        for o in score(labels, rows):
            if not o.correct:
                r = o.row
                got = f"{r.verdict} ({r.target.value} / {r.actual.value}: {r.reason})" if r else "no row"
                print(f"- {o.label['id']} [{o.label['split']}] label {o.label['verdict']} "
                      f"({o.label['target']} / {o.label['actual']}) got {got}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
