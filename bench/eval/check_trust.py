"""Check the trust sets (issue 23: ``trust-<kind>.{dev,test}.jsonl``) against the reports as the project's own
reader reconstructs them, and (``--resplit``) rewrite them so each question is in its reports' split.

Every answerable question: each evidence string (the question's, each ``parts`` entry's of a mixed-period question,
each ``expected`` entry's of a comparison) occurs exactly once in its document's reconstructed text
(:func:`reportqa.index.reading.paragraphs.rebuild` of :func:`reportqa.index.reading.readers.read_source`, paragraphs
joined), inside
one paragraph, and its answer is part of it. Every missing figure: its ``terms`` either never occur in the named
``report`` or never with a figure (a digit, 千亿/百亿/万亿) within 12 characters after them. Ids are unique, the
kinds known, the reports of one question in one split, and no report in both splits (:mod:`trust_split`).

    python bench/eval/check_trust.py [--source DIR] [--resplit]   # exit 1 and a list of problems when any

``--source``: a folder holding the reports flat (``/work/libsrc``) or as the corpus lays them out
(``tests/data/corpus`` + ``seeds/``, the default).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache
from pathlib import Path

from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_split import report_splits

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "bench" / "eval"
KINDS = ("enumeration", "who_when", "missing_figure", "qualitative", "mixed_period", "comparison", "control")
"""The set names: ``trust-<kind>.{dev,test}.jsonl``; each row's ``kind`` is the same."""
FIGURE_AFTER = re.compile(r"[0-9０-９]|[千百万]亿")
SPLITS = ("dev", "test")


def trust_files(kinds: tuple[str, ...] = KINDS) -> list[Path]:
    return [EVAL / f"trust-{k}.{s}.jsonl" for k in kinds for s in SPLITS]


def read_rows(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Texts:
    """Reconstructed paragraphs of the reports under ``source``, by library name."""

    def __init__(self, source: Path | None) -> None:
        self.source = source

    def path(self, name: str) -> Path:
        base = Path(name).name
        cands = (
            [self.source / name, self.source / base]
            if self.source
            else [ROOT / "tests" / "data" / "corpus" / name, ROOT / "seeds" / base]
        )
        for c in cands:
            if c.is_file():
                return c
        raise FileNotFoundError(name)

    @cache  # noqa: B019 - one instance per run
    def paragraphs(self, name: str) -> tuple[str, ...]:
        return tuple(p.text for p in rebuild(read_source(self.path(name))).paragraphs)


def documents_of(row: dict[str, object]) -> list[str]:
    """Every report a question is about (its answer's, each part's, each compared report's, a missing figure's)."""
    docs = [row.get("document"), row.get("report")]
    for key in ("parts", "expected"):
        for e in row.get(key) or []:  # type: ignore[attr-defined]
            docs.append(e.get("document"))
    return [d for d in dict.fromkeys(docs) if isinstance(d, str)]


def check_evidence(texts: Texts, where: str, doc: str, evidence: object, answer: object) -> list[str]:
    if not isinstance(evidence, str) or not isinstance(answer, str) or not evidence or not answer:
        return [f"{where}: evidence and answer must be non-empty strings"]
    try:
        paras = texts.paragraphs(doc)
    except FileNotFoundError:
        return [f"{where}: no report {doc}"]
    problems = []
    whole = "\n".join(paras).count(evidence)
    inside = sum(p.count(evidence) for p in paras)
    if whole != 1:
        problems.append(f"{where}: evidence occurs {whole} times in {doc}: {evidence}")
    elif inside != 1:
        problems.append(f"{where}: evidence is not inside one paragraph of {doc}: {evidence}")
    if answer not in evidence:
        problems.append(f"{where}: answer {answer!r} is not part of the evidence")
    return problems


def check_missing(texts: Texts, where: str, row: dict[str, object]) -> list[str]:
    doc, terms = row.get("report"), row.get("terms")
    if row.get("evidence") is not None or row.get("answer") is not None or row.get("reason") != "no_figure":
        return [f"{where}: a missing figure has null evidence and answer and reason no_figure"]
    if not isinstance(doc, str) or not isinstance(terms, list) or not terms:
        return [f"{where}: a missing figure names its report and the searched terms"]
    try:
        text = "\n".join(texts.paragraphs(doc))
    except FileNotFoundError:
        return [f"{where}: no report {doc}"]
    problems = []
    for term in terms:
        for m in re.finditer(re.escape(str(term)), text):
            after = text[m.end() : m.end() + 12]
            if FIGURE_AFTER.search(after):
                seen = text[max(0, m.start() - 8) : m.end() + 12]
                problems.append(f"{where}: {term} has a figure in {doc}: …{seen}…")
                break
    return problems


def check_row(texts: Texts, where: str, row: dict[str, object], kind: str) -> list[str]:
    problems = []
    if row.get("kind") != kind:
        problems.append(f"{where}: kind {row.get('kind')!r} in the {kind} set")
    if not isinstance(row.get("question"), str) or row.get("lang") not in ("zh", "en"):
        problems.append(f"{where}: a question and its lang (zh or en)")
    if kind == "missing_figure":
        return problems + check_missing(texts, where, row)
    doc = row.get("document")
    if not isinstance(doc, str):
        return [*problems, f"{where}: no document"]
    problems += check_evidence(texts, where, doc, row.get("evidence"), row.get("answer"))
    if kind == "who_when" and row.get("asks") not in ("who", "when", "where"):
        problems.append(f"{where}: asks must be who, when or where")
    if kind == "mixed_period":
        parts = row.get("parts")
        if not isinstance(parts, list) or len(parts) < 2:
            problems.append(f"{where}: a mixed-period question has two or more parts")
        else:
            for i, p in enumerate(parts):
                if p.get("period") not in ("target", "actual") or not isinstance(p.get("year"), int):
                    problems.append(f"{where}: part {i} needs period (target/actual) and year")
                problems += check_evidence(texts, f"{where} part {i}", p.get("document"), p.get("evidence"),
                                           p.get("answer"))  # fmt: skip
    if kind == "comparison":
        exp = row.get("expected")
        if not isinstance(exp, list) or not 2 <= len(exp) <= 4:
            problems.append(f"{where}: a comparison names 2-4 reports in expected")
        else:
            for i, e in enumerate(exp):
                problems += check_evidence(texts, f"{where} cell {i}", e.get("document"), e.get("evidence"),
                                           e.get("answer"))  # fmt: skip
    return problems


def check(texts: Texts) -> list[str]:
    splits = report_splits()
    problems: list[str] = []
    seen: dict[str, str] = {}
    for kind in KINDS:
        for split in SPLITS:
            path = EVAL / f"trust-{kind}.{split}.jsonl"
            for n, row in enumerate(read_rows(path), 1):
                where = f"{path.name}:{n}"
                rid = str(row.get("id"))
                if rid in seen:
                    problems.append(f"{where}: id {rid} also in {seen[rid]}")
                seen[rid] = where
                problems += check_row(texts, where, row, kind)
                docs = documents_of(row)
                wrong = [d for d in docs if splits.get(d) != split]
                if wrong:
                    problems.append(f"{where}: {', '.join(wrong)} belong(s) to another split")
    return problems


def resplit() -> dict[str, tuple[int, int]]:
    """Rewrite every set so each question is in the split of its reports (sorted by id); returns the counts."""
    splits = report_splits()
    counts = {}
    for kind in KINDS:
        rows = [r for s in SPLITS for r in read_rows(EVAL / f"trust-{kind}.{s}.jsonl")]
        if not rows:
            continue
        by: dict[str, list[dict[str, object]]] = {s: [] for s in SPLITS}
        for r in sorted(rows, key=lambda r: str(r["id"])):
            docs = documents_of(r)
            by[splits.get(docs[0], "test") if docs else "test"].append(r)
        for s in SPLITS:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in by[s])
            (EVAL / f"trust-{kind}.{s}.jsonl").write_text(text, encoding="utf-8")
        counts[kind] = (len(by["dev"]), len(by["test"]))
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=None, help="folder of the reports (default: the repository's)")
    ap.add_argument("--resplit", action="store_true", help="rewrite the sets by their reports' split first")
    args = ap.parse_args(argv)
    if args.resplit:
        for kind, (d, t) in resplit().items():
            print(f"{kind}: dev {d}, test {t}")
    problems = check(Texts(args.source))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
