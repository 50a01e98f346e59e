"""Where the evidence passage of each question ranks inside its own report: a retrieval number independent of the
answer decision (issue 23, stop 39).

    python bench/english_rank.py --index-dir /work/libidx6 --set bench/eval/english39.tune.jsonl [-v] [--json OUT]

For every answerable row of a trust-format set, the question is read as the engine reads it
(:meth:`~reportqa.qa.engine.Engine.understand`), its search is restricted to the row's report with the terms the
engine searches there (``Query.narrowed``), and the passage (chunk) holding the evidence is looked up among the
candidates, best first: its rank by the fused score (what the engine tries, up to ``SUPPORT_DEPTH`` = 30), by the
dense score alone and by the keyword (BM25) score alone. A passage not among the candidates counts as beyond every
depth. Printed: how many evidence passages rank within 1, 5, 10 and 30, by language, and each row's ranks (``-v``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_trust import lang_of

DEPTHS = (1, 5, 10, 30)
Row = dict[str, object]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_rows(paths: Sequence[Path]) -> list[Row]:
    rows: list[Row] = []
    for p in paths:
        rows += [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if isinstance(r.get("evidence"), str) and isinstance(r.get("document"), str)]


def _rank(scores: np.ndarray, pos: int, present: bool) -> int | None:
    """1-based rank of candidate ``pos`` (ties against it), None when it is no candidate or scores 0 by keyword."""
    if not present:
        return None
    return int((scores > scores[pos]).sum()) + 1


def ranks(engine: object, row: Row) -> dict[str, object]:
    """The evidence passage's fused, dense and keyword ranks within the row's report (None: not a candidate)."""
    from reportqa.qa.engine import Engine

    assert isinstance(engine, Engine)
    idx = engine.index
    doc_name = str(row["document"])
    doc_ids = [i for i, d in enumerate(idx.documents) if d.name == doc_name or Path(d.name).name == Path(doc_name).name]
    if not doc_ids:
        return {"id": row["id"], "error": f"report {doc_name} not indexed"}
    q = engine.understand(str(row["question"]))
    s = q.narrowed
    qvec = engine.vector(s)
    r = engine.retriever.search(q, qvec, "hybrid", frozenset(doc_ids), s)
    evidence = _norm(str(row["evidence"]))
    first, count = int(engine.retriever.doc_first[doc_ids[0]]), int(engine.retriever.doc_count[doc_ids[0]])
    holding = [c for c in range(first, first + count) if evidence in _norm(idx.chunks[c].text)]
    if not holding:  # the evidence runs over two passages: the one holding its first half
        head = evidence[: max(6, len(evidence) // 2)]
        holding = [c for c in range(first, first + count) if head in _norm(idx.chunks[c].text)]
    order = np.asarray(r.order)
    out: dict[str, object] = {"id": row["id"], "lang": lang_of(row), "chunks": count}
    at = np.flatnonzero(np.isin(order, holding))
    if not len(at):
        out.update(fused=None, dense=None, lexical=None)
        return out
    pos = int(at[0])
    out["fused"] = pos + 1
    out["dense"] = _rank(r.dense, pos, True)
    out["lexical"] = _rank(r.lexical, pos, bool(r.lexical[pos] > 0))
    out["tokens"] = list(r.tokens)
    return out


def within(values: Sequence[int | None], depth: int) -> int:
    return sum(1 for v in values if v is not None and v <= depth)


def summary(results: Sequence[dict[str, object]]) -> str:
    lines = [f"{'':<18} {'n':>4} " + " ".join(f"{'≤' + str(d):>6}" for d in DEPTHS) + "  median"]
    langs = sorted({str(x.get("lang")) for x in results})
    for lang in langs:
        rs = [x for x in results if str(x.get("lang")) == lang and "error" not in x]
        for key in ("fused", "dense", "lexical"):
            vals = [x.get(key) for x in rs]
            ints = [v for v in vals if isinstance(v, int)]
            med = sorted(ints)[len(ints) // 2] if ints else None
            cells = " ".join(f"{within(vals, d):>6}" for d in DEPTHS)  # type: ignore[arg-type]
            lines.append(f"{lang + ' ' + key:<18} {len(rs):>4} {cells}  {med}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--set", type=Path, action="append", required=True, help="a trust-format set (repeatable)")
    ap.add_argument("--json", type=Path, help="write each row's ranks here")
    ap.add_argument("-v", "--verbose", action="store_true", help="each row's ranks")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="another RetrievalParams setting (a float or true/false), to compare")  # fmt: skip
    args = ap.parse_args(argv)
    from dataclasses import replace

    from reportqa.qa.engine import Engine

    eng = Engine.open(args.index_dir, check_sources=False)
    for spec in args.param:
        name, _, value = spec.partition("=")
        old = getattr(eng.retriever.params, name)
        new: object = (value.lower() == "true" if isinstance(old, bool)
                       else float(value) if old is None else type(old)(value))  # fmt: skip
        eng.retriever.params = replace(eng.retriever.params, **{name: new})
    rows = read_rows(args.set)
    results = [ranks(eng, r) for r in rows]
    print(summary(results))
    errors = Counter(str(x["error"]) for x in results if "error" in x)
    for e, n in errors.items():
        print(f"  {n} × {e}")
    if args.verbose:
        for row, x in zip(rows, results, strict=True):
            print(f"  {x['id']} fused={x.get('fused')} dense={x.get('dense')} lex={x.get('lexical')} "
                  f"/{x.get('chunks')}  {row['question']}  tokens={x.get('tokens')}")  # fmt: skip
    if args.json:
        args.json.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in results) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
