"""The trust measures of issue 23 on the trust sets (bench/eval/trust-*.jsonl) and the library's unanswerable set,
through the real engine (``Engine.ask(...).to_json()``: the ``reportqa ask --json`` object).

    python bench/eval_trust.py --index-dir IDX [--split dev|test] [--json OUT] [--indexed-only] [-v]
    python bench/eval_trust.py --answers SAVED.jsonl ...   # re-score answers saved with --save-answers
    python bench/eval_trust.py --index-dir IDX --set bench/eval/everyday.tune.jsonl   # any set in the trust format

Measures (each ``right / n``, also per language):

* ``answerable_declined``: answerable questions (every set but the missing figures) the engine declined
  (``abstained``); ``controls_declined`` the same over the plain control questions alone.
* ``unanswerable_declined`` by expected reason (``no_figure``: the missing figures; ``topic``, ``scope``: the
  library's unanswerable set): declined at all, and declined with that reason; ``.set.missing_figure`` is the
  trust set's missing figures alone (``.set.unanswerable``: the library set's, all reasons).
* ``enumeration``: answered from the expected report with a sentence holding the expected list item AND a
  highlight that marks it (not another item of the list).
* ``who_when``: answered from the expected report with the name / date / place in the sentence.
* ``mixed_period``: both parts right — each part's value in an answer object (the answer, ``answers_by_period``,
  or any list of answer objects another field adds) from the part's report and, when the object says its period,
  that period.
* ``qualitative``: answered from the expected report with the qualitative value highlighted.
* ``comparison``: every cell right — the row of each named report (matched by document, else by position)
  answered with the cell's value (or a ``table`` row of that report holding it).
* ``controls``: answered from the expected report with the answer in the sentence.

Values are compared after NFKC (full-width to half-width), dash folding and removing whitespace. Documents match
by name or path suffix (an index of flat files names ``beijing-2026.txt`` for ``provincial-2026/beijing-2026.txt``).
Unknown fields of the answer object are ignored; answer objects in lists under new keys are read too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "bench" / "eval"
TRUST_KINDS = ("enumeration", "who_when", "missing_figure", "qualitative", "mixed_period", "comparison", "control")
LIBRARY_UNANSWERABLE = "library-unanswerable"
"""The library's unanswerable set (``scope`` and ``topic`` reasons, and a few missing figures) measured with these."""

Row = Mapping[str, object]
Json = Mapping[str, object]

_DASHES = re.compile(r"[—–－―‐-]+")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_KNOWN = {"question", "abstained", "answer", "passages", "reason", "message", "confidence", "notice", "comparison",
          "table", "table_missing", "generated", "answers_by_period"}  # fmt: skip


def norm(text: object) -> str:
    """Full-width folded (NFKC), dashes unified, whitespace and zero-width characters removed."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = _DASHES.sub("-", s)
    return re.sub(r"[\s\u200b\u200c\u200d\ufeff]+", "", s)


def numbers(text: object) -> list[str]:
    return _NUM.findall(norm(text))


def same_document(a: object, b: object) -> bool:
    """One report named under two roots (``national/national-2024.txt`` and ``national-2024.txt``)."""
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return False
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def marks(highlight: object, expected: str) -> bool:
    """The highlight marks the expected value: it contains it (and is not a whole sentence around it), or is part
    of it with the same numbers (``108`` for ``108万吨``, ``5%`` for ``5%左右``; half a qualitative value at least)."""
    h, e = norm(highlight), norm(expected)
    if not h or not e:
        return False
    if e in h:
        return len(h) <= len(e) + 12
    if h in e:
        ne = numbers(e)
        return numbers(h) == ne if ne else len(h) * 2 >= len(e)
    return False


def holds(text: object, expected: str) -> bool:
    """``text`` states ``expected`` (normalised substring; a bare number is not matched inside a longer one)."""
    t, e = norm(text), norm(expected)
    if not e:
        return False
    for m in re.finditer(re.escape(e), t):
        before, after = t[m.start() - 1 : m.start()], t[m.end() : m.end() + 1]
        if e[0].isdigit() and (before.isdigit() or before == "."):
            continue
        if e[-1].isdigit() and (after.isdigit() or after == "."):
            continue
        return True
    return False


@dataclass(frozen=True)
class Said:
    """One answer object of an answer: a sentence with its highlight and the report it is quoted from."""

    text: str
    """The answer sentence (with its clause, when the answer gives one)."""
    highlight: str | None
    """The marked value, when any."""
    document: str | None
    """The cited report's document name."""
    period: str | None = None
    """``target`` or ``actual`` when the object says which; None otherwise."""
    where: str = "answer"
    """Which part of the answer object it came from (``answer``, ``answers_by_period.target``, ``parts[1]`` …)."""


def _doc_of(obj: Json, passages: Sequence[Json]) -> str | None:
    cit = obj.get("citation")
    if isinstance(cit, Mapping) and isinstance(cit.get("document"), str):
        return str(cit["document"])
    if isinstance(obj.get("document"), str):
        return str(obj["document"])
    rank = obj.get("passage")
    if isinstance(rank, int) and 1 <= rank <= len(passages):
        pc = passages[rank - 1].get("citation")
        if isinstance(pc, Mapping) and isinstance(pc.get("document"), str):
            return str(pc["document"])
    return None


def _said(obj: object, passages: Sequence[Json], where: str, period: str | None = None) -> Said | None:
    if not isinstance(obj, Mapping) or not isinstance(obj.get("text"), str):
        return None
    text = str(obj["text"])
    if isinstance(obj.get("clause"), str) and str(obj["clause"]) not in text:
        text = f"{obj['clause']} {text}"
    hl = obj.get("highlight")
    p = obj.get("period", period)
    return Said(text, hl if isinstance(hl, str) else None, _doc_of(obj, passages),
                p if p in ("target", "actual") else None, where)  # fmt: skip


def answer_objects(ans: Json) -> list[Said]:
    """Every answer object of a ``reportqa ask --json`` answer: the answer, each ``answers_by_period`` side, and
    any answer object (a mapping with ``text``) in a list or mapping under a key this script does not know."""
    raw_passages = ans.get("passages")
    passages = [p for p in raw_passages if isinstance(p, Mapping)] if isinstance(raw_passages, list) else []
    out: list[Said] = []
    top = _said(ans.get("answer"), passages, "answer")
    if top:
        out.append(top)
    by = ans.get("answers_by_period")
    if isinstance(by, Mapping):
        for k, v in by.items():
            s = _said(v, passages, f"answers_by_period.{k}", str(k))
            if s:
                out.append(s)
    rows = ans.get("comparison")
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if isinstance(row, Mapping) and not row.get("abstained") and isinstance(row.get("answer"), Mapping):
            psg = row.get("passage")
            doc = row.get("document") or (_doc_of(psg, []) if isinstance(psg, Mapping) else None)
            s = _said({**row["answer"], "document": doc}, passages, f"comparison[{i}]")
            if s:
                out.append(s)
    for key, value in ans.items():
        if key in _KNOWN:
            continue
        items: Iterable[tuple[str, object, str | None]]
        if isinstance(value, list):
            items = ((f"{key}[{i}]", v, None) for i, v in enumerate(value))
        elif isinstance(value, Mapping):
            items = ((f"{key}.{k}", v, str(k)) for k, v in value.items())
        else:
            continue
        for where, v, label in items:
            if isinstance(v, Mapping) and isinstance(v.get("answer"), Mapping):  # a row holding an answer
                s = _said({**v["answer"], **{k: v[k] for k in ("citation", "document", "period") if k in v}},
                          passages, where, label)  # fmt: skip
            else:
                s = _said(v, passages, where, label)
            if s:
                out.append(s)
    return out


def declined(ans: Json) -> bool:
    return bool(ans.get("abstained"))


def _got(ans: Json) -> dict[str, object]:
    """What a failure shows of the answer."""
    said = answer_objects(ans)
    return {"abstained": ans.get("abstained"), "reason": ans.get("reason"),
            "answers": [{"where": s.where, "text": s.text[:160], "highlight": s.highlight, "document": s.document,
                         "period": s.period} for s in said]}  # fmt: skip


# ----------------------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    """One question's result on one measure."""

    ok: bool
    """Right on the measure."""
    why: str = ""
    """Why not (empty when right)."""


def _top(ans: Json, document: object) -> Said | None:
    """The answer's own sentence when it is quoted from ``document``."""
    said = [s for s in answer_objects(ans) if s.where == "answer"]
    return said[0] if said and same_document(said[0].document, document) else None


def _sentence_right(row: Row, ans: Json) -> Score:
    if declined(ans):
        return Score(False, f"declined ({ans.get('reason')})")
    top = _top(ans, row["document"])
    if top is None:
        return Score(False, "answer from another report, or no answer sentence")
    if not holds(top.text, str(row["answer"])):
        return Score(False, "the answer sentence does not state the expected value")
    return Score(True)


def score_control(row: Row, ans: Json) -> Score:
    return _sentence_right(row, ans)


def score_who_when(row: Row, ans: Json) -> Score:
    return _sentence_right(row, ans)


def score_enumeration(row: Row, ans: Json) -> Score:
    s = _sentence_right(row, ans)
    if not s.ok:
        return s
    top = _top(ans, row["document"])
    if top is None or not marks(top.highlight, str(row["answer"])):
        return Score(False, f"right sentence, highlight {top.highlight if top else None!r} does not mark the value")
    return Score(True)


def score_qualitative(row: Row, ans: Json) -> Score:
    return score_enumeration(row, ans)


def part_right(part: Row, said: Sequence[Said]) -> bool:
    """Some answer object states the part's value, from the part's report, and (when it says) the part's period."""
    return any(
        same_document(s.document, part["document"])
        and (s.period is None or s.period == part["period"])
        and holds(s.text, str(part["answer"]))
        for s in said
    )


def score_mixed(row: Row, ans: Json) -> Score:
    if declined(ans):
        return Score(False, f"declined ({ans.get('reason')})")
    said = answer_objects(ans)
    parts = row.get("parts")
    assert isinstance(parts, list)
    missing = [f"{p['year']} {p['period']}" for p in parts if not part_right(p, said)]
    return Score(not missing, f"part(s) not right: {', '.join(missing)}" if missing else "")


def parts_right(row: Row, ans: Json) -> tuple[int, int]:
    """How many parts of a mixed-period question are right (for the per-part rate)."""
    parts = row.get("parts")
    assert isinstance(parts, list)
    if declined(ans):
        return 0, len(parts)
    said = answer_objects(ans)
    return sum(part_right(p, said) for p in parts), len(parts)


def cell_right(cell: Row, i: int, rows: Sequence[Json], table: Sequence[Json]) -> bool:
    matched = [r for r in rows if same_document(r.get("document"), cell["document"])]
    if not matched and i < len(rows) and not rows[i].get("document"):
        matched = [rows[i]]
    for r in matched:
        a = r.get("answer")
        if (
            not r.get("abstained")
            and isinstance(a, Mapping)
            and holds(f"{a.get('clause') or ''} {a.get('text') or ''}", str(cell["answer"]))
        ):
            return True
    for t in table:
        if same_document(t.get("document"), cell["document"]) and (
            holds(t.get("value"), str(cell["answer"])) or holds(t.get("quote"), str(cell["answer"]))
        ):
            return True
    return False


def score_comparison(row: Row, ans: Json) -> Score:
    raw_rows, raw_table = ans.get("comparison"), ans.get("table")
    rows = [r for r in raw_rows if isinstance(r, Mapping)] if isinstance(raw_rows, list) else []
    table = [t for t in raw_table if isinstance(t, Mapping)] if isinstance(raw_table, list) else []
    cells = row.get("expected")
    assert isinstance(cells, list)
    wrong = [str(c["document"]) for i, c in enumerate(cells) if not cell_right(c, i, rows, table)]
    if not rows and not table:
        return Score(False, "no comparison rows and no table")
    return Score(not wrong, f"cell(s) not right: {', '.join(wrong)}" if wrong else "")


def score_declined(row: Row, ans: Json) -> Score:
    """An unanswerable question: declined (with any reason)."""
    return Score(declined(ans), "" if declined(ans) else "answered")


def score_declined_reason(row: Row, ans: Json) -> Score:
    """Declined with the expected reason."""
    ok = declined(ans) and ans.get("reason") == row.get("reason")
    return Score(ok, "" if ok else f"reason {ans.get('reason')!r}, expected {row.get('reason')!r}")


SCORERS: dict[str, Callable[[Row, Json], Score]] = {
    "enumeration": score_enumeration,
    "who_when": score_who_when,
    "qualitative": score_qualitative,
    "mixed_period": score_mixed,
    "comparison": score_comparison,
    "control": score_control,
}
"""The kind's own measure, for each answerable set."""


# ----------------------------------------------------------------------------------------------- report


@dataclass
class Tally:
    """Right out of n, overall and per language."""

    right: int = 0
    n: int = 0
    by_lang: dict[str, list[int]] = field(default_factory=dict)

    def add(self, ok: bool, lang: str) -> None:
        self.right += ok
        self.n += 1
        cell = self.by_lang.setdefault(lang, [0, 0])
        cell[0] += ok
        cell[1] += 1

    def to_json(self) -> dict[str, object]:
        return {"right": self.right, "n": self.n, "rate": round(self.right / self.n, 4) if self.n else None,
                "by_lang": {k: {"right": r, "n": n} for k, (r, n) in sorted(self.by_lang.items())}}  # fmt: skip


def unanswerable(row: Row) -> bool:
    return row.get("evidence") is None


def lang_of(row: Row) -> str:
    lang = row.get("lang")
    if isinstance(lang, str):
        return lang
    q = str(row.get("question", ""))
    return "zh" if sum("\u4e00" <= c <= "\u9fff" for c in q) * 3 > len(q) else "en"


def score_all(rows: Sequence[Row], answers: Sequence[Json]) -> dict[str, object]:
    """Every measure over ``rows`` and the engine's ``answers`` (same order)."""
    tallies: dict[str, Tally] = {}
    failures: list[dict[str, object]] = []

    def tally(name: str) -> Tally:
        return tallies.setdefault(name, Tally())

    parts = [0, 0]
    for row, ans in zip(rows, answers, strict=True):
        lang, kind = lang_of(row), str(row.get("kind"))
        fail: list[str] = []
        if unanswerable(row):
            reason = str(row.get("reason") or "unknown")
            d, r = score_declined(row, ans), score_declined_reason(row, ans)
            tally("unanswerable_declined").add(d.ok, lang)
            tally(f"unanswerable_declined.{reason}").add(d.ok, lang)
            tally(f"unanswerable_declined.set.{kind}").add(d.ok, lang)  # the trust set's own missing figures
            tally(f"unanswerable_declined_with_reason.{reason}").add(r.ok, lang)
            fail += [s.why for s in (d, r) if not s.ok][:1]
        else:
            tally("answerable_declined").add(declined(ans), lang)
            tally(f"answerable_declined.{kind}").add(declined(ans), lang)
            if kind == "control":
                tally("controls_declined").add(declined(ans), lang)
            scorer = SCORERS.get(kind)
            if scorer is not None:
                s = scorer(row, ans)
                tally(kind).add(s.ok, lang)
                if not s.ok:
                    fail.append(s.why)
            if kind == "mixed_period":
                got, n = parts_right(row, ans)
                parts[0] += got
                parts[1] += n
        if fail:
            failures.append({"id": row.get("id"), "kind": kind, "question": row.get("question"),
                             "expected": row.get("answer") or row.get("reason"), "why": "; ".join(fail),
                             "got": _got(ans)})  # fmt: skip
    measures = {k: tallies[k].to_json() for k in sorted(tallies)}
    if parts[1]:
        measures["mixed_period.parts"] = {"right": parts[0], "n": parts[1], "rate": round(parts[0] / parts[1], 4)}
    return {"measures": measures, "failures": failures}


TARGETS = {
    "answerable_declined": ("<=", 0.03), "unanswerable_declined": (">=", 0.90),
    "unanswerable_declined.no_figure": (">=", 0.85), "unanswerable_declined.topic": (">=", 0.95),
    "unanswerable_declined.scope": (">=", 0.95), "enumeration": (">=", 0.90), "who_when": (">=", 0.90),
    "mixed_period": (">=", 0.90), "qualitative": (">=", 0.90), "comparison": (">=", 0.95),
}  # fmt: skip
"""Issue 23's targets on the test split (library)."""


def table(result: Mapping[str, object]) -> str:
    measures = result["measures"]
    assert isinstance(measures, Mapping)
    lines = [f"{'measure':<48} {'right/n':>9} {'rate':>6}  {'zh':>7} {'en':>7}  target"]
    for name, m in measures.items():
        by = m.get("by_lang", {})
        zh = "{right}/{n}".format(**by["zh"]) if "zh" in by else ""
        en = "{right}/{n}".format(**by["en"]) if "en" in by else ""
        t = TARGETS.get(name)
        rate = m["rate"]
        lines.append(f"{name:<48} {m['right']:>4}/{m['n']:<4} {rate if rate is not None else '-':>6}  {zh:>7} {en:>7}"
                     f"  {t[0] + ' ' + str(t[1]) if t else ''}")  # fmt: skip
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- running


def read_sets(split: str, kinds: Sequence[str], library_unanswerable: bool) -> list[dict[str, object]]:
    names = [f"trust-{k}" for k in kinds] + ([LIBRARY_UNANSWERABLE] if library_unanswerable else [])
    rows: list[dict[str, object]] = []
    for name in names:
        path = EVAL / f"{name}.{split}.jsonl"
        if path.is_file():
            rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows


def documents_of(row: Row) -> list[str]:
    docs = [row.get("document"), row.get("report")]
    for key in ("parts", "expected"):
        v = row.get(key)
        if isinstance(v, list):
            docs += [e.get("document") for e in v if isinstance(e, Mapping)]
    return [d for d in docs if isinstance(d, str)]


def keep_indexed(rows: Sequence[dict[str, object]], names: Sequence[str]) -> list[dict[str, object]]:
    """Questions whose reports are all indexed (and unanswerable questions naming no report)."""
    return [r for r in rows if all(any(same_document(n, d) for n in names) for d in documents_of(r))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="issue 23's trust measures on the trust sets")
    ap.add_argument("--index-dir", type=Path, help="the index to ask (the whole corpus + seed)")
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--kinds", default=",".join(TRUST_KINDS), help="comma-separated trust sets (default: all)")
    ap.add_argument(
        "--no-library-unanswerable",
        action="store_true",
        help="leave out bench/eval/library-unanswerable.<split>.jsonl (topic and scope questions)",
    )
    ap.add_argument(
        "--set",
        type=Path,
        action="append",
        dest="sets",
        metavar="JSONL",
        help="score these files (trust format) instead of the split's sets (repeatable)",
    )
    ap.add_argument("--indexed-only", action="store_true", help="only questions whose reports are indexed")
    ap.add_argument("--limit", type=int, default=0, help="ask only the first N questions (a quick look)")
    ap.add_argument("--json", type=Path, help="write the measures and failures here")
    ap.add_argument("--save-answers", type=Path, help="write each question's answer object here (JSON lines)")
    ap.add_argument("--answers", type=Path, help="score answers saved with --save-answers instead of asking")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure")
    args = ap.parse_args(argv)
    if args.sets:
        rows = [json.loads(x) for p in args.sets for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    else:
        rows = read_sets(args.split, [k for k in args.kinds.split(",") if k], not args.no_library_unanswerable)
    if args.answers:
        saved = {}
        for line in args.answers.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                saved[rec["id"]] = rec["answer"]
        rows = [r for r in rows if r["id"] in saved]
        answers = [saved[str(r["id"])] for r in rows]
        seconds = 0.0
    else:
        if args.index_dir is None:
            ap.error("give --index-dir (or --answers)")
        from reportqa.qa.engine import Engine

        engine = Engine.open(args.index_dir, check_sources=False)
        if args.indexed_only:
            rows = keep_indexed(rows, [d.name for d in engine.index.documents])
        if args.limit:
            rows = rows[: args.limit]
        t0 = time.perf_counter()
        answers = [engine.ask(str(r["question"])).to_json() for r in rows]
        seconds = time.perf_counter() - t0
        if args.save_answers:
            args.save_answers.write_text(
                "".join(json.dumps({"id": r["id"], "answer": a}, ensure_ascii=False) + "\n"
                        for r, a in zip(rows, answers, strict=True)), encoding="utf-8")  # fmt: skip
    result = score_all(rows, answers)
    result = {"split": args.split, "index_dir": str(args.index_dir) if args.index_dir else None,
              "questions": len(rows), "seconds": round(seconds, 1), **result}  # fmt: skip
    print(table(result))
    print(f"{len(rows)} questions, {len(result['failures'])} with a failure")  # type: ignore[arg-type]
    if args.verbose:
        for f in result["failures"]:  # type: ignore[attr-defined]
            print(f"  - {f['id']} [{f['kind']}] {f['question']} → {f['why']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
