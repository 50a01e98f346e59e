"""Draw the hand-check sample of ``reportqa diff`` on real consecutive national reports: for each pair, a
seeded random sample of added, dropped and changed items, each printed with the three sentences of the other
report that overlap it most (character bigrams), so a reader can judge whether the item truly has no
counterpart (added/dropped) or is truly the same commitment re-figured (changed).

    python bench/yoy_handcheck.py --src /work/libsrc > /tmp/handcheck.txt                 # sample 1
    python bench/yoy_handcheck.py --pairs 2012:2013 2015:2016 > /tmp/handcheck2.txt       # sample 2
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from reportqa.index.embedding.embedders import load_embedder
from reportqa.qa.diff import Side, dice_matrix, diff_sides
from reportqa.qa.reports import report_from_file, side_from_report
from reportqa.qa.yoy import lazy_embed

PAIRS = (("national-2018.txt", "national-2019.txt"), ("national-2021.txt", "national-2022.txt"))
"""Consecutive reports none of the thresholds was set on (they were set on dev edits only)."""
PER_PAIR = {"added": 6, "dropped": 5, "changed": 4}


def _nearest(text: str, other: Side, k: int = 3) -> list[tuple[float, str]]:
    d = dice_matrix([text], [u.text for u in other.units])[0]
    order = np.argsort(-d)[:k]
    return [(float(d[i]), other.units[i].text) for i in order]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", type=Path, default=Path("/work/libsrc"))
    ap.add_argument("--pairs", nargs="*", default=None, metavar="Y1:Y2", help="national report years to pair")
    args = ap.parse_args()
    pairs = PAIRS
    if args.pairs:
        pairs = tuple((f"national-{p.split(':')[0]}.txt", f"national-{p.split(':')[1]}.txt") for p in args.pairs)
    embed = lazy_embed(lambda: load_embedder(None))
    n = 0
    for a_name, b_name in pairs:
        a = side_from_report(report_from_file(args.src / a_name))
        b = side_from_report(report_from_file(args.src / b_name))
        d = diff_sides(a, b, embed)
        rng = random.Random(f"{a_name}:{b_name}")
        print(f"## {a_name} → {b_name}: added {len(d.added)}, dropped {len(d.dropped)}, changed {len(d.changed)} "
              f"(not listed, unsure: added {len(d.unsure_added)}, dropped {len(d.unsure_dropped)})\n")
        for kind, items, other in (("added", d.added, a), ("dropped", d.dropped, b)):
            for item in rng.sample(list(items), min(PER_PAIR[kind], len(items))):
                n += 1
                print(f"{n}. [{kind}] ¶{item.citation.paragraph} {item.text}")
                for score, text in _nearest(item.text, other):
                    print(f"     nearest {score:.2f}: {text}")
                print()
        for c in rng.sample(list(d.changed), min(PER_PAIR["changed"], len(d.changed))):
            n += 1
            print(f"{n}. [changed] {c.before.value} → {c.after.value}")
            print(f"     A ¶{c.before.citation.paragraph}: {c.before.text}")
            print(f"     B ¶{c.after.citation.paragraph}: {c.after.text}\n")


if __name__ == "__main__":
    main()
