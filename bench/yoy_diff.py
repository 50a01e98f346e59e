"""Measure ``reportqa diff`` on real reports edited by a script (bench/yoy_edits.py), and a re-layout alone.

    python bench/yoy_diff.py relayout [--src /work/libsrc]        # every report vs its re-wrapped copy
    python bench/yoy_diff.py edits --split dev|test [--src …]      # added/dropped/changed recall, precision
    python bench/yoy_diff.py time A B [--index-dir IDX] [-n 5]     # median wall time of the CLI command

Sentence-level: an ``added`` item that is a whole paragraph counts as its sentences. The split: a report is
in ``dev`` when crc32(name) is even, else ``test`` (thresholds in qa/diff.py were set on dev only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

from reportqa.index.embedding.embedders import load_embedder
from reportqa.index.reading.sentences import split_sentences
from reportqa.qa.diff import Diff, Item, diff_sides, key
from reportqa.qa.reports import Report, report_from_file, side_from_report
from reportqa.qa.yoy import lazy_embed

sys.path.insert(0, str(Path(__file__).resolve().parent))
from yoy_edits import edit, rewrap

SRC = Path("/work/libsrc")


def _sentences(items: Sequence[Item]) -> list[str]:
    return [key(s) for i in items for s in split_sentences(i.text)]


def _pr(pred: Sequence[str], truth: Sequence[str]) -> tuple[int, int, int]:
    """(true positives, predicted, truth) as multisets."""
    left = list(truth)
    tp = 0
    for p in pred:
        if p in left:
            left.remove(p)
            tp += 1
    return tp, len(pred), len(truth)


def split_of(name: str) -> str:
    return "dev" if zlib.crc32(name.encode()) % 2 == 0 else "test"


def _report_of_text(text: str, name: str, tmp: Path) -> Report:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return report_from_file(path)


def relayout(src: Path) -> dict[str, object]:
    out: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as t:
        for path in sorted(src.iterdir()):
            a = report_from_file(path)
            b = _report_of_text(rewrap([p.text for p in a.paragraphs]), path.name, Path(t))
            d = diff_sides(side_from_report(a), side_from_report(b), None)
            # the items the listing model holds back count too: a re-wrapped copy has no unpaired sentence at all
            out[path.name] = sum(map(len, (d.added, d.dropped, d.changed, d.unsure_added, d.unsure_dropped)))
            if out[path.name]:
                print(path.name, [i.text[:40] for i in (d.added + d.unsure_added)[:3]],
                      [i.text[:40] for i in (d.dropped + d.unsure_dropped)[:3]])
    return {"reports": len(out), "empty": sum(1 for v in out.values() if v == 0), "items": sum(out.values()),
            "nonempty": {k: v for k, v in out.items() if v}}  # fmt: skip


def edits(src: Path, split: str, seeds: int) -> dict[str, object]:
    names = sorted(p.name for p in src.iterdir() if split_of(p.name) == split)
    donors = sorted(p.name for p in src.iterdir())
    embed = lazy_embed(lambda: load_embedder(None))
    totals = {k: [0, 0, 0] for k in ("added", "dropped", "changed")}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as t:
        for name in names:
            a = report_from_file(src / name)
            for seed in range(seeds):
                rng = random.Random(f"{name}:{seed}")
                donor = report_from_file(src / rng.choice([d for d in donors if d != name]))
                e = edit(a.paragraphs, donor.paragraphs, rng)
                b = _report_of_text(rewrap(e.paragraphs), f"edited-{name}", Path(t))
                d: Diff = diff_sides(side_from_report(a), side_from_report(b), embed)
                for kind, pred, truth in (
                    ("added", _sentences(d.added), [key(s) for s in e.added]),
                    ("dropped", _sentences(d.dropped), [key(s) for s in e.dropped]),
                    ("changed", [key(c.before.text) + "→" + key(c.after.text) for c in d.changed],
                     [key(x) + "→" + key(y) for x, y in e.changed]),
                ):  # fmt: skip
                    tp, np_, nt = _pr(pred, truth)
                    for i, v in enumerate((tp, np_, nt)):
                        totals[kind][i] += v
                    if tp < np_ or tp < nt:
                        print(f"{name} seed {seed} {kind}: tp {tp} pred {np_} truth {nt}", file=sys.stderr)
    result: dict[str, object] = {"split": split, "reports": len(names), "edits": len(names) * seeds,
                                 "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
    for kind, (tp, np_, nt) in totals.items():
        result[kind] = {"tp": tp, "predicted": np_, "truth": nt, "precision": round(tp / np_, 4) if np_ else 1.0,
                        "recall": round(tp / nt, 4) if nt else 1.0}  # fmt: skip
    return result


def timed(a: str, b: str, index_dir: str | None, n: int) -> dict[str, object]:
    cmd = [sys.executable, "-m", "reportqa.ui", "diff", a, b, "--json"]
    if index_dir:
        cmd += ["--index-dir", index_dir]
    times, cpu = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
    d = json.loads(proc.stdout)
    return {"a": a, "b": b, "index_dir": index_dir, "runs": n, "median_s": round(statistics.median(times), 2),
            "times_s": [round(x, 2) for x in times],
            "median_cpu_s": round(statistics.median(cpu), 2), "load_avg_1m": round(os.getloadavg()[0], 1),
            "added": len(d["added"]), "dropped": len(d["dropped"]), "changed": len(d["changed"])}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["relayout", "edits", "time"])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--src", type=Path, default=SRC)
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--index-dir", default=None)
    ap.add_argument("-n", type=int, default=5)
    args = ap.parse_args()
    if args.what == "relayout":
        r = relayout(args.src)
    elif args.what == "edits":
        r = edits(args.src, args.split, args.seeds)
    else:
        r = timed(args.files[0], args.files[1], args.index_dir, args.n)
    print(json.dumps(r, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
