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
* **values**: rows whose target and result values are the labelled ones;
* **rules on the labels' readings**: :func:`~reportqa.qa.attainment.judge` applied to the numbers the labeller
  read (``target_read`` / ``actual_read``: bounds, unit, modifier; a fall negative; ``null`` bounds for a value
  in words) — the rules alone on every pair, whatever the figure reader finds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reportqa.index.figures.extract import extract_figures, same_value
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import discover, read_source
from reportqa.index.records import Citation, Figure
from reportqa.qa.attainment import attainment_rows, judge
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


def _read_figure(lab: dict[str, object], side: str) -> Figure:
    read = lab[f"{side}_read"]
    assert isinstance(read, dict)
    low, high = read["low"], read["high"]
    return Figure(
        indicator=str(lab["indicator"]), kind="target" if side == "target" else "actual", year=int(str(lab["year"])),
        value=str(lab[side]), low=None if low is None else float(low), high=None if high is None else float(high),
        unit=str(read["unit"]), modifier=str(read["modifier"]), quote=str(lab[f"{side}_evidence"]),
        citation=Citation(str(lab[f"{side}_document"]), "", 0, (0, 0), region=str(lab["region"])),
    )  # fmt: skip


def rules_correct(lab: dict[str, object]) -> bool:
    """The rules on the labeller's own readings of both values give the labelled verdict."""
    return judge(_read_figure(lab, "target"), _read_figure(lab, "actual")).verdict == lab["verdict"]


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
        "rules_on_readings": sum(rules_correct(o.label) for o in outcomes),
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
        from reportqa.index.storage.store import read_figures

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
        print("| split | labels | rules on the labels' readings | paired (figure reader) | end-to-end verdict accuracy "
              "| on paired rows | qualitative judged | values match |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for split, s in report.items():
            n = s["labels"]
            assert isinstance(n, int) and isinstance(s["rules_on_readings"], int)
            rules = s["rules_on_readings"]
            print(f"| {split} | {n} | {rules}/{n} = {rules / n:.3f} | {s['paired']} | "
                  f"{s['correct']}/{n} = {s['accuracy']} | {s['accuracy_paired']} | {s['qualitative_judged']} | "
                  f"{s['values_match']} |")
        print("confusion (label->system):", report["all"]["confusion"])
    if args.verbose:
        for lab in labels:
            if not rules_correct(lab):
                j = judge(_read_figure(lab, "target"), _read_figure(lab, "actual"))
                print(f"- rules: {lab['id']} [{lab['split']}] label {lab['verdict']} "
                      f"({lab['target']} / {lab['actual']}) got {j.verdict} ({j.reason})", file=sys.stderr)  # fmt: skip
        for o in score(labels, rows):
            if not o.correct:
                r = o.row
                got = f"{r.verdict} ({r.target.value} / {r.actual.value}: {r.reason})" if r else "no row"
                print(f"- {o.label['id']} [{o.label['split']}] label {o.label['verdict']} "
                      f"({o.label['target']} / {o.label['actual']}) got {got}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
