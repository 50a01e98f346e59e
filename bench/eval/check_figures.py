"""Check the labelled figure set (``figures.dev.jsonl``, ``figures.test.jsonl``) and the table questions built from
it (``figures.questions.jsonl``) against the report texts.

Every label row: its document exists, region and report year agree with the corpus manifest, the evidence occurs
in the report text verbatim and exactly once, the value occurs in the evidence, the indicator id is one of
:mod:`reportqa.index.text.indicators`, the kind is ``target`` (about the report's own year) or ``actual`` (about an
earlier year), no (document, indicator, kind, year) key is labelled twice and no document is in both splits.
Every question's expected rows are label rows (same region, year, kind and value).

    python bench/eval/check_figures.py      # exit status 1 and the failing rows when any
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportqa.index.text.indicators import builtin

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
EVAL = ROOT / "bench" / "eval"
SPLITS = ("dev", "test")
FIELDS = {"document": str, "region": str, "report_year": int, "indicator": str, "kind": str, "year": int,
          "value": str, "evidence": str}  # fmt: skip
KINDS = ("target", "actual")
SEED = 20260316
"""The split: the labelled documents, sorted, shuffled with ``random.Random(SEED)``; the first 40% are dev."""
SEED_DOCUMENT = "seeds/tibet-2024-government-work-report.txt"


def scope(meta: dict[str, tuple[str, int]]) -> list[str]:
    """The documents the set labels: every provincial report, the national reports 2005–2025 and the seed."""
    docs = [d for d, (_, y) in meta.items() if d.startswith("provincial-") or (d.startswith("national/") and y >= 2005)]
    return sorted([*docs, SEED_DOCUMENT])


def split_of(meta: dict[str, tuple[str, int]]) -> dict[str, str]:
    """Each labelled document's split (``dev`` or ``test``), from the fixed seeded shuffle."""
    order = scope(meta)
    random.Random(SEED).shuffle(order)
    n_dev = round(0.4 * len(order))
    return {d: ("dev" if i < n_dev else "test") for i, d in enumerate(order)}


@dataclass
class Checked:
    """The rows read and the problems found (each naming ``file:line``)."""

    rows: list[dict[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def document_path(document: str) -> Path:
    """A label's document: ``provincial-2026/…`` and ``national/…`` under the corpus, ``seeds/…`` from the root."""
    return ROOT / document if document.startswith("seeds/") else CORPUS / document


def manifest() -> dict[str, tuple[str, int]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return {r["path"]: (r["region"], int(r["year"])) for r in csv.DictReader(f, delimiter="\t")}


def check_rows(files: Iterable[Path]) -> Checked:
    """Read and check the label files; rows of all files share one key space (a key labelled in two files is a
    duplicate) and a document may sit in only one file."""
    out = Checked()
    meta = manifest()
    known = set(builtin().by_id)
    texts: dict[str, str] = {}
    seen: dict[tuple[object, ...], str] = {}
    doc_file: dict[str, str] = {}
    for path in files:
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{ln}"
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                out.problems.append(f"{where}: not JSON ({e})")
                continue
            bad = [k for k, t in FIELDS.items() if not isinstance(r.get(k), t)]
            if bad:
                out.problems.append(f"{where}: missing or mistyped fields {', '.join(bad)}")
                continue
            out.rows.append(r)
            doc = r["document"]
            if doc_file.setdefault(doc, path.name) != path.name:
                out.problems.append(f"{where}: document {doc} is also in {doc_file[doc]} (split by document)")
            if doc not in texts:
                p = document_path(doc)
                texts[doc] = p.read_text(encoding="utf-8") if p.is_file() else ""
            if not texts[doc]:
                out.problems.append(f"{where}: no document {doc}")
                continue
            expected_meta = meta.get(doc)
            if expected_meta is not None and expected_meta != (r["region"], r["report_year"]):
                out.problems.append(f"{where}: region/report_year {r['region']}/{r['report_year']} but the "
                                    f"manifest says {expected_meta[0]}/{expected_meta[1]}")  # fmt: skip
            count = texts[doc].count(r["evidence"])
            if count != 1:
                what = "not in" if count == 0 else f"{count} times in (make it longer so it is unique)"
                out.problems.append(f"{where}: evidence {what} {doc}: {r['evidence']}")
            if not r["value"] or r["value"] not in r["evidence"]:
                out.problems.append(f"{where}: value {r['value']!r} not in its evidence")
            if r["indicator"] not in known:
                out.problems.append(f"{where}: unknown indicator {r['indicator']!r}")
            if r["kind"] not in KINDS:
                out.problems.append(f"{where}: kind must be target or actual, not {r['kind']!r}")
            elif r["kind"] == "target" and r["year"] != r["report_year"]:
                out.problems.append(f"{where}: a target is about the report's year {r['report_year']}, not {r['year']}")
            elif r["kind"] == "actual" and not r["report_year"] - 6 <= r["year"] < r["report_year"]:
                out.problems.append(f"{where}: a result is about a year before {r['report_year']}, not {r['year']}")
            key = (doc, r["indicator"], r["kind"], r["year"])
            if key in seen:
                out.problems.append(f"{where}: duplicate of {seen[key]} ({', '.join(map(str, key))})")
            seen.setdefault(key, where)
    return out


def check_questions(path: Path, rows: list[dict[str, object]]) -> list[str]:
    """Every question names its indicator, kind, regions and years, and each expected row is a label row."""
    problems: list[str] = []
    known = set(builtin().by_id)
    labels = {(r["region"], r["year"], r["kind"], r["indicator"]): r["value"] for r in rows}
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{ln}"
        q = json.loads(line)
        missing = [k for k in ("question", "indicator", "kind", "regions", "years", "expected") if k not in q]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if q["indicator"] not in known:
            problems.append(f"{where}: unknown indicator {q['indicator']!r}")
        if q["kind"] not in (*KINDS, "both"):
            problems.append(f"{where}: kind must be target, actual or both")
        if not q["expected"]:
            problems.append(f"{where}: no expected rows")
        for e in q["expected"]:
            got = labels.get((e.get("region"), e.get("year"), e.get("kind"), q["indicator"]))
            if got is None or got != e.get("value"):
                problems.append(f"{where}: expected row {e} is not a label (label value: {got!r})")
            if q["kind"] != "both" and e.get("kind") != q["kind"]:
                problems.append(f"{where}: expected row kind {e.get('kind')} but the question asks {q['kind']}")
            if q["regions"] != "all" and e.get("region") not in q["regions"]:
                problems.append(f"{where}: expected region {e.get('region')} is not among the question's regions")
            if e.get("year") not in q["years"]:
                problems.append(f"{where}: expected year {e.get('year')} is not among the question's years")
    return problems


def check_split(files: dict[str, str]) -> list[str]:
    """Every document in scope is labelled, in the split the seeded shuffle gives it (``files``: document ->
    the split its rows are in)."""
    want = split_of(manifest())
    problems = [f"{d}: no labels" for d in want if d not in files]
    problems += [f"{d}: in {files[d]} but the seeded split puts it in {want.get(d, 'no split (out of scope)')}"
                 for d in sorted(files) if want.get(d) != files[d]]  # fmt: skip
    return problems


def main() -> int:
    checked = check_rows(EVAL / f"figures.{s}.jsonl" for s in SPLITS)
    files = {
        str(r["document"]): s
        for s in SPLITS
        for r in map(json.loads, (EVAL / f"figures.{s}.jsonl").read_text(encoding="utf-8").splitlines())
    }
    problems = checked.problems + check_split(files)
    problems += check_questions(EVAL / "figures.questions.jsonl", checked.rows)
    for p in problems:
        print(p)
    print(f"{len(checked.rows)} figure rows checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
