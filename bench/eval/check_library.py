"""Check the library eval set against the report texts: every evidence string (of a question, and of each
report a comparison names) occurs exactly once in its expected document and inside one source line or
paragraph, the answer is part of the evidence, region/year match the corpus manifest, ids are unique and no
evidence string is shared between the dev and test splits.

    python bench/eval/check_library.py            # exit status 1 and a list of problems when any
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
SEEDS = ROOT / "seeds"
FAMILIES = {
    name: [ROOT / "bench" / "eval" / f"{name}.{s}.jsonl" for s in ("dev", "test")]
    for name in ("library", "library-period")
}
"""The library set and the period set (target/result pairs, one-figure questions); each is split in two."""
FILES = FAMILIES["library"]
_WS = re.compile(r"\s+")
_PAGE = re.compile(r"（[下上]转第.版）|（紧接第.版）")


def squash(text: str) -> str:
    return _WS.sub("", text)


def document_text(name: str) -> Path:
    for base in (CORPUS, SEEDS):
        if (base / name).is_file():
            return base / name
    raise FileNotFoundError(name)


def manifest() -> dict[str, tuple[str, int]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return {r["path"]: (r["region"], int(r["year"])) for r in csv.DictReader(f, delimiter="\t")}


def units(path: Path) -> list[str]:
    """Squashed source units an evidence string must fall inside: lines, or blank-line separated blocks
    (hard-wrapped files such as the seed)."""
    raw = _PAGE.sub("", path.read_text(encoding="utf-8"))
    blocks = [squash(b) for b in re.split(r"\n\s*\n", raw)]
    lines = [squash(line) for line in raw.splitlines()]
    return lines + [b for b in blocks if b]


def check_one(where: str, doc: str, evidence: str, answer: str | None, region: str | None, year: int | None,
              meta: dict[str, tuple[str, int]]) -> list[str]:  # fmt: skip
    problems = []
    try:
        path = document_text(doc)
    except FileNotFoundError:
        return [f"{where}: no document {doc}"]
    text = squash(_PAGE.sub("", path.read_text(encoding="utf-8")))
    ev = squash(evidence)
    if text.count(ev) != 1:
        problems.append(f"{where}: evidence occurs {text.count(ev)} times in {doc}: {evidence}")
    if not any(ev in u for u in units(path)):
        problems.append(f"{where}: evidence spans several lines/paragraphs of {doc}: {evidence}")
    if answer is not None and squash(answer) not in ev:
        problems.append(f"{where}: answer {answer} not in evidence")
    if doc in meta and (region, year) != meta[doc]:
        problems.append(f"{where}: region/year {region}/{year} but the manifest says {meta[doc]}")
    return problems


def main() -> int:
    meta = manifest()
    problems: list[str] = []
    n = 0
    for files in FAMILIES.values():
        got, found = check_family(files, meta)
        n += got
        problems += found
    for p in problems:
        print(p)
    print(f"{n} questions checked, {len(problems)} problems")
    return 1 if problems else 0


def check_family(files: list[Path], meta: dict[str, tuple[str, int]]) -> tuple[int, list[str]]:
    """``(questions, problems)`` of one dev/test pair of files."""
    problems: list[str] = []
    ids: set[str] = set()
    evidence_by_split: dict[str, set[tuple[str, str]]] = {}
    n = 0
    for path in files:
        split = path.name.split(".")[1]
        evidence_by_split[split] = set()
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            q = json.loads(line)
            n += 1
            where = f"{path.name}:{ln} {q['id']}"
            if q["id"] in ids:
                problems.append(f"{where}: duplicate id")
            ids.add(q["id"])
            if q["kind"] == "unanswerable":
                if q.get("evidence") is not None:
                    problems.append(f"{where}: unanswerable question with evidence")
                continue
            items = (q.get("expected") or [q]) + list((q.get("by_period") or {}).values())
            if q.get("figure") is not None and squash(q["figure"]) not in squash(q["evidence"]):
                problems.append(f"{where}: figure {q['figure']} not in evidence")
            if q["kind"] == "comparison" and len(items) < 2:
                problems.append(f"{where}: a comparison needs two or more expected reports")
            for e in items:
                problems += check_one(where, e["document"], e["evidence"], e.get("answer"), e.get("region"),
                                      e.get("year"), meta)  # fmt: skip
                evidence_by_split[split].add((e["document"], squash(e["evidence"])))
    shared = evidence_by_split.get("dev", set()) & evidence_by_split.get("test", set())
    problems += [f"evidence in both splits: {d}: {e}" for d, e in sorted(shared)]
    return n, problems


if __name__ == "__main__":
    sys.exit(main())
