"""Table questions scored row by row: ``python bench/table_questions.py QUESTIONS.jsonl --index-dir DIR``.

Each line of the question file (``bench/eval/figures.questions.jsonl``) has ``question`` and ``expected``: the
labelled rows ``{region, year, kind, value}`` that answer it. The question is asked through
:meth:`Engine.ask <reportqa.qa.engine.Engine.ask>` (the table does not depend on the embedder, so an index
built with the tests' fake embedder does; pass ``--fake``), and every expected row is *right* when the table
has a row of that region, year and kind whose value is the same after folding full-width characters and
dashes (:func:`reportqa.index.figures.extract.same_value`). Also reported: rows the table has that no label expects
(extra), whether the question was read as a table at all, and how many expected rows the index's figures hold
at all (what a perfect table could get: the rest is the figure reader's).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def score(table: list[dict[str, Any]], expected: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    """(right, extra, what is wrong) for one question."""
    from reportqa.index.figures.extract import same_value

    right, wrong = 0, []
    used: set[int] = set()
    for e in expected:
        hit = next((i for i, r in enumerate(table) if r["region"] == e["region"] and r["year"] == e["year"]
                    and r["kind"] == e["kind"] and i not in used), None)  # fmt: skip
        if hit is not None:
            used.add(hit)
            if same_value(table[hit]["value"], e["value"]):
                right += 1
                continue
            wrong.append(f"{e['region']} {e['year']} {e['kind']}: {table[hit]['value']} ≠ {e['value']}")
        else:
            wrong.append(f"{e['region']} {e['year']} {e['kind']}: missing (expected {e['value']})")
    extra = len(table) - len(used)
    return right, extra, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--fake", action="store_true", help="the index was built with the tests' fake embedder")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    from reportqa.index.embedding.embedders import load_embedder
    from reportqa.index.storage.store import load_index
    from reportqa.qa.engine import Engine

    index = load_index(args.index_dir, check_sources=False)
    if args.fake:
        sys.path.insert(0, str(ROOT))
        from tests.conftest import FakeEmbedder

        embedder: Any = FakeEmbedder()
    else:
        embedder = load_embedder(index.embedder_id)
    engine = Engine(index, embedder)
    from reportqa.index.figures.extract import same_value

    stored: dict[tuple[Any, ...], list[str]] = {}
    for f in index.figures:
        stored.setdefault((f.indicator, f.region, f.year, f.kind), []).append(f.value)
    total_right = total_expected = total_extra = total_stored = 0
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        d = engine.ask(q["question"]).to_json()
        table = d.get("table")
        right, extra, wrong = score(table or [], q["expected"])
        in_index = sum(1 for e in q["expected"] if any(same_value(v, e["value"]) for v in
                       stored.get((q["indicator"], e["region"], e["year"], e["kind"]), [])))  # fmt: skip
        total_stored += in_index
        total_right += right
        total_expected += len(q["expected"])
        total_extra += extra
        shape = "table" if table is not None else "no table"
        print(f"{right:3d}/{len(q['expected']):3d} right ({in_index:3d} in the index), {extra:2d} extra, {shape:8s}  "
              f"{q['question']}")  # fmt: skip
        if args.verbose:
            for w in wrong:
                print(f"          {w}")
    print(f"\nall: {total_right}/{total_expected} expected rows right "
          f"({total_right / max(total_expected, 1):.3f}), {total_extra} extra rows; {total_stored} of the expected "
          "rows are among the index's figures (the rest the figure reader missed or misread)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
