"""Evaluation of retrieval, answer sentences and abstention on a labelled question file.

Question file: JSON lines ``{"id", "kind", "question", "evidence", "answer", "document"}`` with ``kind`` one of
``zh_lexical``, ``zh_paraphrase``, ``english``, ``unanswerable`` (``evidence``/``answer`` null for the last), or
the library kinds (``region_year``, ``review_year``, ``other_year``, ``national``, ``comparison``); a
``comparison`` question lists ``expected`` reports (``document``, ``evidence``, ``answer``) in its order.

Metrics, per kind and overall (hit/MRR/answer over answerable questions only):

* ``hit@1``, ``hit@5``: a passage among the first 1 / 5 contains the evidence (whitespace removed on both
  sides; with ``document`` given, the passage must also come from that document);
* ``MRR``: mean of 1/rank of the first such passage within the first :data:`MRR_DEPTH` (0 if none);
* ``answer``: the answer sentence contains the expected answer (whitespace removed) — an abstention counts as
  a miss;
* ``abstain``: share of questions abstained on (recall on ``unanswerable``; false-abstention rate otherwise);
* ``doc@1``: the first passage comes from the expected report (for a comparison: every row's first passage
  from its report);
* ``wrong``: share of answerable questions answered (not abstained) with a sentence quoted from another report
  than the expected one (any row, for a comparison);
* ``cover``: comparison questions whose answer has, for every named report in the question's order, a row
  holding that report's evidence passage;
* ``ms``: median milliseconds per question (embedding included).

:func:`abstention_report` adds, for unanswerable questions labelled with the ``reason`` they should get
(``scope``, ``topic``, ``no_figure``), the share abstained on and the share abstained on *with that reason*;
false abstentions by the reason given; and the AUROC of ``confidence`` for answered-right vs every other
question (answered wrong, abstained, unanswerable).

Documents match by name, or by path suffix (``national/national-2024.txt`` and ``national-2024.txt`` are one
file indexed under different source roots).

Baselines on the same questions: ``bm25`` (keyword mode), ``dense-paragraph`` (chunk vectors only, FAISS)
and ``tutorial`` (the common RecursiveCharacterTextSplitter(500, 50) over each raw source file + the same
embedder + FAISS flat; a hit is a chunk containing the evidence).
"""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.errors import UsageError

KINDS = (
    "zh_lexical", "zh_paraphrase", "english", "region_year", "review_year", "other_year", "national",
    "comparison", "unanswerable",
)  # fmt: skip
MRR_DEPTH = 10
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace removed (hard wraps and the spaces around numbers do not decide a hit)."""
    return _WS.sub("", text)


def same_document(a: str, b: str) -> bool:
    """The same file, possibly named under different source roots (one name a ``/``-suffix of the other)."""
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


@dataclass(frozen=True)
class Expected:
    """One report a question should be answered from."""

    document: str
    evidence: str
    answer: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    evidence: str | None
    answer: str | None
    document: str | None = None
    expected: tuple[Expected, ...] = ()
    """The reports a comparison names, in the question's order (empty for single-report questions)."""
    reason: str | None = None
    """Unanswerable questions: the reason the answer should give (``scope``, ``topic``, ``no_figure``)."""

    @property
    def answerable(self) -> bool:
        return self.evidence is not None and self.kind != "unanswerable"

    @property
    def reports(self) -> tuple[Expected, ...]:
        """Every expected report (one for a plain question, none for an unanswerable one)."""
        if self.expected:
            return self.expected
        if self.evidence is not None and self.document is not None and self.answerable:
            return (Expected(self.document, self.evidence, self.answer),)
        return ()


def read_questions(path: Path) -> list[Question]:
    """Read a question file; raises :class:`UsageError` naming the bad line."""
    out: list[Question] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise UsageError(f"cannot read question file {path}: {e.strerror or e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            expected = tuple(
                Expected(str(e["document"]), str(e["evidence"]), e.get("answer")) for e in d.get("expected") or ()
            )
            q = Question(
                id=str(d.get("id", n)),
                kind=str(d.get("kind") or ("unanswerable" if d.get("evidence") is None else "other")),
                question=str(d["question"]),
                evidence=d.get("evidence"),
                answer=d.get("answer"),
                document=d.get("document"),
                expected=expected,
                reason=d.get("reason"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise UsageError(f"{path}:{n}: not a question object ({e}); see bench/eval/README.md") from e
        out.append(q)
    if not out:
        raise UsageError(f"{path} holds no questions")
    return out


@dataclass(frozen=True)
class Metrics:
    """Metrics of one system over one group of questions (None where not applicable)."""

    n: int
    hit1: float | None = None
    hit5: float | None = None
    mrr: float | None = None
    answer: float | None = None
    abstain: float | None = None
    doc1: float | None = None
    wrong_report: float | None = None
    coverage: float | None = None


@dataclass(frozen=True)
class QuestionResult:
    id: str
    kind: str
    question: str
    rank: int | None
    """1-based rank of the first passage holding the evidence (None: not within MRR_DEPTH / unanswerable)."""
    abstained: bool | None
    answer_ok: bool | None
    sentence: str | None
    highlight: str | None
    ms: float
    top: str
    """Citation label of the top passage."""
    confidence: float | None = None
    doc1: bool | None = None
    """The first passage (of each comparison row) comes from the expected report (None: unanswerable)."""
    wrong_report: bool | None = None
    """An answer sentence was given from another report than the expected one (None: not measured)."""
    covered: bool | None = None
    """Comparison: every named report has, in its row (question order), a passage holding its evidence."""
    reason: str | None = None
    """Why the answer abstained (``scope``, ``topic``, ``no_figure``), when it did."""


@dataclass(frozen=True)
class SystemReport:
    name: str
    per_kind: dict[str, Metrics]
    overall: Metrics
    abstention_recall: float | None
    false_abstention: float | None
    ms_median: float
    results: tuple[QuestionResult, ...] = ()


@dataclass(frozen=True)
class EvalReport:
    questions: str
    mode: str
    systems: tuple[SystemReport, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for s in d["systems"]:
            s["results"] = [r for r in s["results"]]
        return d


Ranker = Callable[[str], tuple[list[tuple[str, str]], dict[str, Any]]]
"""``ranker(question) -> ([(passage text, document), …] best first, info)``; ``info`` may hold
``abstained``, ``sentence``, ``sentence_document`` (the report the sentence is quoted from), ``highlight``,
``label``, ``confidence`` and ``comparison``: one :class:`Row` per report the answer compares."""


@dataclass(frozen=True)
class Row:
    """One row of a comparison answer as the evaluator sees it."""

    document: str
    passages: tuple[tuple[str, str], ...]
    """(passage text, document), best first."""
    sentence: str | None
    abstained: bool


def _holds(passages: Sequence[tuple[str, str]], e: Expected, depth: int = 5) -> bool:
    ev = squash(e.evidence)
    return any(ev in squash(t) and same_document(d, e.document) for t, d in passages[:depth])


def _report_checks(
    q: Question, passages: Sequence[tuple[str, str]], info: dict[str, Any], with_answers: bool
) -> tuple[bool | None, bool | None, bool | None]:
    """(doc@1, wrong-report answer, comparison covered) for one question."""
    reports = q.reports
    if not reports:
        return None, None, None
    rows: list[Row] = list(info.get("comparison") or ())
    if q.kind == "comparison" or q.expected:
        if not rows:
            doc1 = bool(passages) and any(same_document(passages[0][1], e.document) for e in reports)
            wrong = None
            if with_answers and not info.get("abstained") and info.get("sentence_document"):
                wrong = not any(same_document(str(info["sentence_document"]), e.document) for e in reports)
            return doc1, wrong, False
        paired = list(zip(reports, rows, strict=False))
        covered = len(rows) >= len(reports) and all(_holds(r.passages, e) for e, r in paired)
        doc1 = len(rows) >= len(reports) and all(
            bool(r.passages) and same_document(r.passages[0][1], e.document) for e, r in paired
        )
        wrong = None
        if with_answers:
            wrong = any(not r.abstained and r.sentence and not same_document(r.document, e.document) for e, r in paired)
        return doc1, wrong, covered
    e = reports[0]
    doc1 = bool(passages) and same_document(passages[0][1], e.document)
    wrong = None
    if with_answers and not info.get("abstained") and info.get("sentence") is not None:
        sdoc = info.get("sentence_document")
        wrong = sdoc is not None and not same_document(str(sdoc), e.document)
    return doc1, wrong, None


def _rank(q: Question, passages: Sequence[tuple[str, str]]) -> int | None:
    if q.evidence is None:
        return None
    ev = squash(q.evidence)
    for i, (text, doc) in enumerate(passages[:MRR_DEPTH], 1):
        if ev in squash(text) and (q.document is None or same_document(doc, q.document)):
            return i
    return None


def _metrics(rs: Sequence[QuestionResult], qs: Sequence[Question], with_answers: bool) -> Metrics:
    ans = [(r, q) for r, q in zip(rs, qs, strict=True) if q.answerable]
    n = len(rs)
    abst = [r.abstained for r in rs if r.abstained is not None]
    m = Metrics(n=n, abstain=(sum(abst) / len(abst)) if abst and with_answers else None)
    if not ans:
        return m
    hit1 = sum(1 for r, _ in ans if r.rank == 1) / len(ans)
    hit5 = sum(1 for r, _ in ans if r.rank is not None and r.rank <= 5) / len(ans)
    mrr = sum(1.0 / r.rank for r, _ in ans if r.rank) / len(ans)
    answer = None
    if with_answers:
        answer = sum(1 for r, _ in ans if r.answer_ok) / len(ans)
    docs = [r.doc1 for r, _ in ans if r.doc1 is not None]
    wrong = [r.wrong_report for r, _ in ans if r.wrong_report is not None] if with_answers else []
    cover = [r.covered for r, q in ans if q.kind == "comparison" and r.covered is not None]
    return Metrics(
        n=n, hit1=hit1, hit5=hit5, mrr=mrr, answer=answer, abstain=m.abstain,
        doc1=sum(docs) / len(docs) if docs else None,
        # over every answerable question: an abstention is not a wrong-report answer
        wrong_report=sum(wrong) / len(ans) if with_answers and any(r.doc1 is not None for r, _ in ans) else None,
        coverage=sum(cover) / len(cover) if cover else None,
    )  # fmt: skip


def evaluate_ranker(name: str, questions: Sequence[Question], ranker: Ranker, with_answers: bool) -> SystemReport:
    results: list[QuestionResult] = []
    for q in questions:
        t0 = time.perf_counter()
        passages, info = ranker(q.question)
        ms = (time.perf_counter() - t0) * 1000
        sentence = info.get("sentence")
        answer_ok = None
        if q.answerable and q.answer is not None and with_answers:
            rows: list[Row] = list(info.get("comparison") or ())
            if q.expected and rows:
                answer_ok = len(rows) >= len(q.expected) and all(
                    r.sentence is not None and e.answer is not None and squash(e.answer) in squash(r.sentence)
                    for e, r in zip(q.expected, rows, strict=False)
                )
            else:
                answer_ok = sentence is not None and squash(q.answer) in squash(sentence)
        doc1, wrong, covered = _report_checks(q, passages, info, with_answers)
        results.append(
            QuestionResult(
                id=q.id, kind=q.kind, question=q.question, rank=_rank(q, passages),
                abstained=info.get("abstained") if with_answers else None, answer_ok=answer_ok,
                sentence=sentence, highlight=info.get("highlight"), ms=ms, top=str(info.get("label", "")),
                confidence=info.get("confidence"), doc1=doc1, wrong_report=wrong, covered=covered,
                reason=info.get("reason"),
            )
        )  # fmt: skip
    kinds = [k for k in KINDS if any(q.kind == k for q in questions)]
    kinds += sorted({q.kind for q in questions} - set(kinds))
    per_kind = {}
    for k in kinds:
        idx = [i for i, q in enumerate(questions) if q.kind == k]
        per_kind[k] = _metrics([results[i] for i in idx], [questions[i] for i in idx], with_answers)
    overall = _metrics(results, questions, with_answers)
    # overall hit/MRR/answer over answerable questions; abstention split by answerability
    unans = [r for r, q in zip(results, questions, strict=True) if not q.answerable]
    ans = [r for r, q in zip(results, questions, strict=True) if q.answerable]
    recall = false_rate = None
    if with_answers:
        recall = sum(bool(r.abstained) for r in unans) / len(unans) if unans else None
        false_rate = sum(bool(r.abstained) for r in ans) / len(ans) if ans else None
    return SystemReport(
        name=name, per_kind=per_kind, overall=overall, abstention_recall=recall, false_abstention=false_rate,
        ms_median=statistics.median(r.ms for r in results) if results else 0.0, results=tuple(results),
    )  # fmt: skip


def engine_ranker(engine: Any, mode: str, k: int = MRR_DEPTH) -> Ranker:
    def rank(question: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
        a = engine.ask(question, k=k, mode=mode)
        passages = [(h.text, h.citation.document) for h in a.hits]
        sdoc = None
        if a.sentence is not None and a.sentence_rank is not None and 0 < a.sentence_rank <= len(a.hits):
            sdoc = a.hits[a.sentence_rank - 1].citation.document
        rows = [
            Row(
                document=c.document,
                passages=tuple((h.text, h.citation.document) for h in c.hits),
                sentence=c.sentence,
                abstained=c.abstained,
            )
            for c in getattr(a, "comparison", ())
        ]
        info = {
            "abstained": a.abstained,
            "sentence": a.sentence,
            "sentence_document": sdoc,
            "highlight": a.highlight,
            "label": a.hits[0].citation.label() if a.hits else "",
            "confidence": a.confidence,
            "comparison": rows,
            "reason": getattr(a, "reason", None),
        }
        return passages, info

    return rank


def dense_paragraph_ranker(engine: Any, k: int = MRR_DEPTH) -> Ranker:
    """Baseline: the chunk vectors alone (the pre-hybrid retriever)."""

    def rank(question: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
        qvec = engine.embedder.embed([question], "query")[0]
        hits = engine.index.chunk_store.search(qvec, k)
        chunks = [engine.index.chunks[int(i)] for i in hits.ids]
        return [(c.text, c.citation.document) for c in chunks], {}

    return rank


def tutorial_ranker(engine: Any, k: int = MRR_DEPTH) -> Ranker:
    """Baseline: RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50) on each raw source text, the
    same embedder, FAISS flat inner product."""
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from reportqa.index.reading.readers import read_source

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    texts: list[tuple[str, str]] = []
    for doc in engine.index.documents:
        raw = read_source(Path(doc.path)).text
        texts.extend((t, doc.name) for t in splitter.split_text(raw))
    vecs = engine.embedder.embed_batched([t for t, _ in texts], "passage")
    flat = faiss.IndexFlatIP(int(vecs.shape[1]))
    flat.add(np.ascontiguousarray(vecs, dtype=np.float32))

    def rank(question: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
        qvec = engine.embedder.embed([question], "query")
        _, ids = flat.search(np.ascontiguousarray(qvec, dtype=np.float32), min(k, len(texts)))
        return [texts[int(i)] for i in ids[0] if i >= 0], {}

    return rank


def evaluate(
    engine: Any,
    questions: Sequence[Question],
    mode: str = "hybrid",
    baselines: bool = False,
    source: str = "",
) -> EvalReport:
    """Evaluate ``engine`` (and, with ``baselines``, the three baselines) on ``questions``."""
    systems = [evaluate_ranker(f"reportqa ({mode})", questions, engine_ranker(engine, mode), with_answers=True)]
    if baselines:
        systems.append(evaluate_ranker("bm25 only", questions, engine_ranker(engine, "keyword"), with_answers=False))
        systems.append(evaluate_ranker("dense paragraph only", questions, dense_paragraph_ranker(engine), False))
        systems.append(evaluate_ranker("tutorial (500/50 + FAISS)", questions, tutorial_ranker(engine), False))
    settings = {"params": asdict(engine.params)} if hasattr(engine, "params") else {}
    return EvalReport(questions=source, mode=mode, systems=tuple(systems), settings=settings)


def indexed_questions(questions: Sequence[Question], documents: Sequence[str]) -> list[Question]:
    """The questions whose expected reports are all among ``documents`` (names), and every unanswerable one:
    the part of a library eval set that a partial index can be measured on."""
    return [q for q in questions if all(any(same_document(d, e.document) for d in documents) for e in q.reports)]


# ---------------------------------------------------------------------------------------------- abstention


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """Area under the ROC curve of ``scores`` for ``positive`` (ties count half); None without both classes."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return None
    wins = sum((1.0 if a > b else 0.5 if a == b else 0.0) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


@dataclass(frozen=True)
class AbstentionReport:
    """How one system declines: by the reason the question expects, and how well ``confidence`` ranks."""

    by_reason: dict[str, dict[str, float]]
    """Per expected reason: ``n``, ``abstained`` (share abstained on), ``right_reason`` (share abstained on with
    that reason)."""
    false_abstention: float | None
    """Share of answerable questions abstained on."""
    false_by_reason: dict[str, int]
    """Answerable questions abstained on, by the reason given."""
    auroc: float | None
    """AUROC of ``confidence``: answered right (the answer sentence holds the answer) vs every other question."""
    order: dict[str, float]
    """Mean confidence of answered-right, answered-wrong and unanswerable questions."""


def abstention_report(report: SystemReport, questions: Sequence[Question]) -> AbstentionReport:
    """Abstention by reason, false abstention and the confidence AUROC for one system's results."""
    by: dict[str, list[QuestionResult]] = {}
    ans: list[QuestionResult] = []
    for r, q in zip(report.results, questions, strict=True):
        if q.answerable:
            ans.append(r)
        else:
            by.setdefault(q.reason or "any", []).append(r)
    by_reason = {
        k: {"n": float(len(v)), "abstained": sum(bool(r.abstained) for r in v) / len(v),
            "right_reason": sum(bool(r.abstained) and (k == "any" or r.reason == k) for r in v) / len(v)}
        for k, v in sorted(by.items())
    }  # fmt: skip
    false_by: dict[str, int] = {}
    for r in ans:
        if r.abstained:
            false_by[str(r.reason)] = false_by.get(str(r.reason), 0) + 1
    scored = [(r, q) for r, q in zip(report.results, questions, strict=True) if r.confidence is not None]
    right = [bool(q.answerable and r.answer_ok and not r.abstained) for r, q in scored]
    conf = [float(r.confidence or 0.0) for r, _ in scored]
    groups: dict[str, list[float]] = {"answered_right": [], "answered_wrong": [], "unanswerable": []}
    for (_r, q), ok, c in zip(scored, right, conf, strict=True):
        key = "unanswerable" if not q.answerable else "answered_right" if ok else "answered_wrong"
        groups[key].append(c)
    return AbstentionReport(
        by_reason=by_reason,
        false_abstention=sum(bool(r.abstained) for r in ans) / len(ans) if ans else None,
        false_by_reason=false_by,
        auroc=auroc(conf, right),
        order={k: round(sum(v) / len(v), 4) for k, v in groups.items() if v},
    )


def abstention_markdown(a: AbstentionReport) -> str:
    """The abstention report as a small Markdown table plus two lines."""
    lines = ["| expected reason | n | abstained | with that reason |", "|---|---:|---:|---:|"]
    for k, v in a.by_reason.items():
        lines.append(f"| {k} | {int(v['n'])} | {v['abstained']:.3f} | {v['right_reason']:.3f} |")
    lines.append("")
    lines.append(f"false abstention: {_f(a.false_abstention)} {dict(a.false_by_reason) or ''}".rstrip())
    order = ", ".join(f"{k} {v:.3f}" for k, v in a.order.items())
    lines.append(f"confidence AUROC (answered right vs rest): {_f(a.auroc)}; mean confidence: {order}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- formatting


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def markdown_table(report: EvalReport) -> str:
    """One row per system and kind: hit@1, hit@5, MRR, answer, abstain, doc@1, wrong-report answers,
    comparison coverage, ms."""
    rows = [
        "| system | kind | n | hit@1 | hit@5 | MRR | answer | abstain | doc@1 | wrong | cover | ms (median) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report.systems:
        groups: Iterable[tuple[str, Metrics]] = [*s.per_kind.items(), ("**overall**", s.overall)]
        for kind, m in groups:
            abstain = m.abstain
            rows.append(
                f"| {s.name} | {kind} | {m.n} | {_f(m.hit1)} | {_f(m.hit5)} | {_f(m.mrr)} | {_f(m.answer)} | "
                f"{_f(abstain)} | {_f(m.doc1)} | {_f(m.wrong_report)} | {_f(m.coverage)} | {s.ms_median:.1f} |"
            )
    main = report.systems[0]
    if main.abstention_recall is not None:
        rows.append("")
        rows.append(
            f"Abstention ({main.name}): recall on unanswerable {_f(main.abstention_recall)}, "
            f"false abstention on answerable {_f(main.false_abstention)}."
        )
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------- periods
# The period set (bench/eval/library-period.*.jsonl): the same indicator asked as a target and as a result, and
# questions asking one figure. Kept apart from the functions above: these read the extra fields ``period``,
# ``figure`` and ``by_period`` and measure what the answer states, not only where the passage is.

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class PeriodQuestion:
    """A question of the period set (see ``bench/eval/README.md``)."""

    question: Question
    period: str
    """``target``, ``actual`` or ``either``."""
    figure: str | None
    """The asked value as the expected report writes it (``5%左右``)."""
    by_period: dict[str, Expected] = field(default_factory=dict)
    """For an ``either`` question: the target's and the result's report, evidence and value."""


def read_period_questions(path: Path) -> list[PeriodQuestion]:
    """The period set's questions with their ``period``, ``figure`` and ``by_period`` fields."""
    qs = {q.id: q for q in read_questions(path)}
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        q = qs[str(d.get("id", n))]
        bp = {
            k: Expected(str(e["document"]), str(e["evidence"]), e.get("answer"))
            for k, e in (d.get("by_period") or {}).items()
        }  # fmt: skip
        out.append(PeriodQuestion(q, str(d.get("period") or "either"), d.get("figure") or d.get("answer"), bp))
    return out


def figure_marked(highlight: str | None, figure: str) -> bool:
    """Whether ``highlight`` marks ``figure``: the same leading number (NFKC), one containing the other
    (``1.3万亿`` marks ``1.3万亿斤以上``; ``5%`` does not mark ``5.5%左右``)."""
    if not highlight:
        return False
    h = squash(unicodedata.normalize("NFKC", highlight))
    f = squash(unicodedata.normalize("NFKC", figure))
    nh, nf = _NUMBER.search(h), _NUMBER.search(f)
    return bool(nh and nf and nh.group(0) == nf.group(0) and (h in f or f in h))


def _states(sentence: str | None, document: str | None, e: Expected) -> bool:
    """The sentence is from the expected report and holds its value."""
    if not sentence or e.answer is None or document is None:
        return False
    return same_document(document, e.document) and squash(e.answer) in squash(sentence)


@dataclass(frozen=True)
class PeriodReport:
    """The period set's numbers (None where no question applies)."""

    n: int
    hit1: float | None
    hit5: float | None
    english_hit1: float | None
    period_correct: float | None
    """Single answers: the answer sentence is from the report stating the asked period and year, and holds its
    value (an ``either`` question: either side's)."""
    both_periods: float | None
    """``either`` questions: both sides shown, each from its report with its value."""
    holds_figure: float | None
    """Questions asking one figure: the answer sentence holds it."""
    highlight_marks: float | None
    """… and the highlight marks it (:func:`figure_marked`)."""
    comparison_rows: float | None
    """Comparisons: every row's answer is from its report and holds its value."""
    failures: tuple[str, ...] = ()


def _share(xs: Sequence[bool]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def evaluate_periods(engine: Any, questions: Sequence[PeriodQuestion], mode: str = "hybrid") -> PeriodReport:
    """Ask each question of the period set and measure the period, figure and highlight (see
    :class:`PeriodReport`)."""
    hit1: list[bool] = []
    hit5: list[bool] = []
    en1: list[bool] = []
    correct: list[bool] = []
    both: list[bool] = []
    holds: list[bool] = []
    marks: list[bool] = []
    rows_ok: list[bool] = []
    fails: list[str] = []
    for pq in questions:
        q = pq.question
        a = engine.ask(q.question, k=MRR_DEPTH, mode=mode)
        passages = [(h.text, h.citation.document) for h in a.hits]
        rank = _rank(q, passages)
        if q.expected and a.comparison:
            paired = list(zip(q.expected, a.comparison, strict=False))
            ok = len(a.comparison) >= len(q.expected) and all(
                not r.abstained and _states(r.sentence, r.document, e) for e, r in paired
            )
            rows_ok.append(ok)
            if not ok:
                fails.append(f"{q.id} comparison: {[r.sentence for r in a.comparison]}")
            continue
        if q.expected:
            rows_ok.append(False)
            fails.append(f"{q.id} comparison: no rows")
            continue
        hit1.append(rank == 1)
        hit5.append(rank is not None and rank <= 5)
        if rank != 1:
            fails.append(f"{q.id} evidence at rank {rank}: top {a.hits[0].citation.label() if a.hits else None}")
        if q.kind == "english":
            en1.append(rank == 1)
        sdoc = None
        if a.sentence is not None and a.sentence_rank is not None and 0 < a.sentence_rank <= len(a.hits):
            sdoc = a.hits[a.sentence_rank - 1].citation.document
        sides = list(pq.by_period.values()) or list(q.reports)
        ok = not a.abstained and any(_states(a.sentence, sdoc, e) for e in sides)
        correct.append(ok)
        if pq.by_period:
            shown = {p.period: p for p in a.by_period}
            both.append(all(
                k in shown and _states(shown[k].sentence, shown[k].hit.citation.document, e)
                for k, e in pq.by_period.items()
            ))  # fmt: skip
        if pq.figure and not pq.by_period:
            holds.append(bool(a.sentence) and squash(pq.figure) in squash(a.sentence or ""))
            marks.append(figure_marked(a.highlight, pq.figure))
            if not marks[-1]:
                fails.append(f"{q.id} highlight {a.highlight!r} want {pq.figure!r}")
        if not ok:
            fails.append(f"{q.id} period ({pq.period}): {sdoc} | {a.sentence}")
    return PeriodReport(
        n=len(questions), hit1=_share(hit1), hit5=_share(hit5), english_hit1=_share(en1),
        period_correct=_share(correct), both_periods=_share(both), holds_figure=_share(holds),
        highlight_marks=_share(marks), comparison_rows=_share(rows_ok), failures=tuple(fails),
    )  # fmt: skip


def period_table(report: PeriodReport) -> str:
    """The period set's numbers as one Markdown table row (with its header)."""
    head = "| n | hit@1 | hit@5 | English hit@1 | period-correct | both periods | holds figure | highlight | rows |"
    vals = (report.hit1, report.hit5, report.english_hit1, report.period_correct, report.both_periods,
            report.holds_figure, report.highlight_marks, report.comparison_rows)  # fmt: skip
    return "\n".join([head, "|" + "---:|" * 9, f"| {report.n} | " + " | ".join(_f(v) for v in vals) + " |"])
