"""What a question gets back: ranked hits and an answer, in the JSON contract shared by CLI and web chat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportqa.index.records import Chunk, Citation


@dataclass(frozen=True)
class Hit:
    """One retrieved passage."""

    rank: int
    """1-based rank in the answer."""
    score: float
    """Relevance score (higher is better); comparable within one answer, not across questions."""
    chunk: Chunk
    """The passage, with the citation fixed when the index was built."""

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def citation(self) -> Citation:
        return self.chunk.citation

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(float(self.score), 4),
            "text": self.chunk.text,
            "citation": self.chunk.citation.to_json(),
        }


@dataclass(frozen=True)
class Answer:
    """The reply to one question."""

    question: str
    """The question as asked (after trimming and length limiting)."""
    abstained: bool
    """True when the report does not appear to answer the question; hits are then the nearest passages."""
    hits: tuple[Hit, ...]
    """Passages, best first."""
    sentence: str | None = None
    """The single sentence of the best passage that best answers the question (None when abstaining)."""
    sentence_rank: int | None = None
    """Rank of the hit the sentence comes from."""
    highlight: str | None = None
    """The exact substring of ``sentence`` that carries the asked-for figure or name, when one is found."""
    notice: str | None = None
    """A note for the user about how the question was handled (e.g. it was truncated)."""
    confidence: float | None = None
    """Estimated probability (0–1) that the report answers the question (the abstention model's view)."""

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] | None = None
        if self.sentence is not None and self.sentence_rank is not None and not self.abstained:
            answer = {"text": self.sentence, "passage": self.sentence_rank}
            if self.highlight:
                answer["highlight"] = self.highlight
        d: dict[str, Any] = {
            "question": self.question,
            "abstained": self.abstained,
            "answer": answer,
            "passages": [h.to_json() for h in self.hits],
        }
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.notice:
            d["notice"] = self.notice
        return d
