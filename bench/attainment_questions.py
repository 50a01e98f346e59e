"""Attainment questions end to end: ``python bench/attainment_questions.py [QUESTIONS] --index-dir DIR [--fake]``.

Each line of ``bench/eval/attainment.questions.jsonl`` is a question (Chinese or English, worded unlike the
question reader's cue words where a reader would word it so) with what it asks (``attainment``: ``all`` or
``missed``), the labelled pairs that answer it (``rows``: ids of ``bench/eval/attainment.jsonl``, each with its
labelled verdict) and the cells it must say cannot be judged (``missing``: region — ``all_provinces`` for every
province the library holds —, year, and the half not known). The question goes through
:meth:`Engine.ask <reportqa.qa.engine.Engine.ask>` (attainment does not depend on the embedder: an index built
with the tests' fake embedder does, ``--fake``). Per split: questions read as attainment questions of the right
kind, expected rows present with the labelled verdict, missing reports said, and questions wholly right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", nargs="?", type=Path, default=ROOT / "bench" / "eval" / "attainment.questions.jsonl")
    ap.add_argument("--labels", type=Path, default=ROOT / "bench" / "eval" / "attainment.jsonl")
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--fake", action="store_true", help="the index was built with the tests' fake embedder")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    from reportqa.index.embedding.embedders import load_embedder
    from reportqa.index.storage.store import load_index
    from reportqa.index.text.regions import PROVINCE, REGIONS
    from reportqa.qa.engine import Engine

    index = load_index(args.index_dir, check_sources=False)
    if args.fake:
        sys.path.insert(0, str(ROOT))
        from tests.conftest import FakeEmbedder

        engine = Engine(index, FakeEmbedder())
    else:
        engine = Engine(index, load_embedder(index.embedder_id))
    held = {d.region for d in index.documents}
    provinces = [r.name for r in REGIONS if r.level == PROVINCE and r.name in held]
    labels = {lab["id"]: lab for lab in map(json.loads, args.labels.read_text(encoding="utf-8").splitlines())}
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    totals: dict[str, dict[str, int]] = {}
    for q in questions:
        a = engine.ask(q["question"])
        t = totals.setdefault(q["split"], dict.fromkeys(("questions", "read", "rows", "rows_right", "missing",
                                                          "missing_said", "extra", "right"), 0))  # fmt: skip
        t["questions"] += 1
        asked = engine_query_attainment(a)
        read = asked == q["attainment"]
        got = {(r.region, r.year, r.indicator): r.verdict for r in (a.attainment or ())}
        wrong: list[str] = []
        rows_right = 0
        for lid in q["rows"]:
            lab = labels[lid]
            verdict = got.get((lab["region"], lab["year"], lab["indicator"]))
            if verdict == lab["verdict"]:
                rows_right += 1
            else:
                wrong.append(f"{lid}: {verdict or 'no row'} (label {lab['verdict']})")
        expected_keys = {(labels[lid]["region"], labels[lid]["year"], labels[lid]["indicator"]) for lid in q["rows"]}
        extra = len(set(got) - expected_keys)
        cells = {(c.region, c.year, c.kind) for c in a.attainment_missing}
        said = 0
        for m in q["missing"]:
            regions = provinces if m["region"] == "all_provinces" else [m["region"]]
            if all((r, m["year"], m["kind"]) in cells for r in regions):
                said += 1
            else:
                wrong.append(f"not said: {m['region']} {m['year']} {m['kind']}")
        t["read"] += read
        t["rows"] += len(q["rows"])
        t["rows_right"] += rows_right
        t["missing"] += len(q["missing"])
        t["missing_said"] += said
        t["extra"] += extra
        ok = read and rows_right == len(q["rows"]) and said == len(q["missing"])
        t["right"] += ok
        if args.verbose and not ok:
            print(f"- {q['id']} [{q['split']}] {q['question']} read={asked} {'; '.join(wrong)}", file=sys.stderr)
    print("| split | questions | read as attainment (right kind) | expected rows right | missing reports said "
          "| extra rows | questions wholly right |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for split in sorted(totals):
        t = totals[split]
        print(f"| {split} | {t['questions']} | {t['read']} | {t['rows_right']}/{t['rows']} | "
              f"{t['missing_said']}/{t['missing']} | {t['extra']} | {t['right']}/{t['questions']} |")
    return 0


def engine_query_attainment(answer: Any) -> str | None:
    """What the answer shows the question was read as: ``missed`` when it kept only missed rows is not visible
    in the answer, so the question is read again here through the same :func:`understand` the engine used."""
    from reportqa.qa.query import understand

    return understand(answer.question).attainment


if __name__ == "__main__":
    raise SystemExit(main())
