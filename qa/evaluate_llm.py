"""Measuring the written answer (``reportqa eval --llm URL``) on a labelled question file.

For each question the engine answers as usual and the model writes over the same passages
(:func:`reportqa.qa.generate.generate_answer`). Per kind and overall:

* ``correct``: answerable questions whose expected answer is in a **verified** sentence (whitespace removed;
  or, for a figure, the same value — ``23000亿元`` = ``2.3万亿元``); a refusal or an unverified answer is a miss;
* ``extractive``: the extractive answer sentence's score on the same questions (side by side);
* ``verified``: verified sentences / all sentences the model wrote (refusals aside);
* ``invented``: figures in the replies that occur in none of the passages / all figures in the replies;
* ``refused``: share of questions the model refused (recall on ``unanswerable``; false refusals otherwise);
* ``fallback``: share of questions with no written answer (the model failed; the extractive answer was shown);
* ``first token`` / ``total``: median seconds to the first piece of the reply and to its end.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .engine import Engine
from .evaluate import KINDS, Question, squash
from .generate import generate_answer
from .llm import AnswerGenerator
from .records import Answer
from .verify import figures


@dataclass(frozen=True)
class LLMMetrics:
    """Written-answer metrics over one group of questions (None where not applicable)."""

    n: int
    correct: float | None
    extractive: float | None
    verified: float | None
    invented: float | None
    refused: float | None
    fallback: float
    first_token: float | None
    total: float | None


@dataclass(frozen=True)
class LLMReport:
    model: str
    questions: int
    by_kind: dict[str, LLMMetrics]
    overall: LLMMetrics
    answers: tuple[dict[str, Any], ...]
    """Per question: id, kind, correct, refused, the written text and the unverified sentences."""

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "questions": self.questions,
            "overall": asdict(self.overall),
            "by_kind": {k: asdict(m) for k, m in self.by_kind.items()},
            "answers": list(self.answers),
        }

    def markdown(self) -> str:
        head = "| written answer (" + self.model + ") | n | correct | extractive | verified | invented | refused "
        head += "| fallback | first token s | total s |"
        rows = [head, "|" + "---|" * 10]
        for name, m in [*self.by_kind.items(), ("overall", self.overall)]:
            cells = [m.correct, m.extractive, m.verified, m.invented, m.refused, m.fallback]
            rows.append(
                f"| {name} | {m.n} | " + " | ".join(_f(c) for c in cells) + f" | {_s(m.first_token)} | {_s(m.total)} |"
            )
        return "\n".join(rows)


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def _s(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}"


def figure_in(expected: str, text: str) -> bool:
    """``expected`` is in ``text``: as a substring (whitespace removed) or, for figures, by value."""
    if squash(expected) and squash(expected) in squash(text):
        return True
    want = figures(expected)
    have = figures(text)
    return bool(want) and all(any(abs(w.value - h.value) < 1e-9 * max(1.0, w.value) for h in have) for w in want)


def written_correct(q: Question, a: Answer) -> bool:
    g = a.generated
    if g is None or g.refused or q.answer is None:
        return False
    return figure_in(q.answer, "".join(s.text for s in g.sentences if s.verified))


def _metrics(rows: Sequence[tuple[Question, Answer]]) -> LLMMetrics:
    answerable = [(q, a) for q, a in rows if q.answerable and q.answer]
    gens = [a.generated for _, a in rows if a.generated is not None]
    sentences = [s for g in gens for s in g.sentences]
    figs = sum(len(figures(g.raw)) for g in gens)
    invented = sum(len(g.invented) for g in gens)
    firsts = [g.first_token_seconds for g in gens if g.first_token_seconds is not None]
    return LLMMetrics(
        n=len(rows),
        correct=sum(written_correct(q, a) for q, a in answerable) / len(answerable) if answerable else None,
        extractive=(
            sum(bool(not a.abstained and a.sentence and figure_in(q.answer or "", a.sentence)) for q, a in answerable)
            / len(answerable)
            if answerable
            else None
        ),
        verified=sum(s.verified for s in sentences) / len(sentences) if sentences else None,
        invented=invented / figs if figs else (0.0 if gens else None),
        refused=sum(g.refused for g in gens) / len(gens) if gens else None,
        fallback=sum(a.generated is None for _, a in rows) / len(rows) if rows else 0.0,
        first_token=statistics.median(firsts) if firsts else None,
        total=statistics.median(g.total_seconds for g in gens) if gens else None,
    )


def evaluate_llm(
    engine: Engine, questions: Sequence[Question], generator: AnswerGenerator, mode: str = "hybrid",
    limit: int | None = None,
) -> LLMReport:  # fmt: skip
    """Ask every question (or the first ``limit`` of each kind) and measure the written answers."""
    chosen: list[Question] = []
    per_kind: dict[str, int] = {}
    for q in questions:
        if limit is not None and per_kind.get(q.kind, 0) >= limit:
            continue
        per_kind[q.kind] = per_kind.get(q.kind, 0) + 1
        chosen.append(q)
    rows = [(q, generate_answer(engine.ask(q.question, mode=mode), generator)) for q in chosen]
    kinds = [k for k in KINDS if k in per_kind] + sorted(k for k in per_kind if k not in KINDS)
    by_kind = {k: _metrics([(q, a) for q, a in rows if q.kind == k]) for k in kinds}
    answers = tuple(
        {
            "id": q.id,
            "kind": q.kind,
            "correct": written_correct(q, a),
            "refused": a.generated.refused if a.generated else None,
            "written": a.generated.text if a.generated else None,
            "unverified": [s.text for s in a.generated.sentences if not s.verified] if a.generated else [],
            "notice": a.notice,
        }
        for q, a in rows
    )
    return LLMReport(generator.model, len(rows), by_kind, _metrics(rows), answers)
