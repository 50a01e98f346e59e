"""The question-answering engine: one loaded index + its embedder, safe to share between threads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reportqa.index.embedders import Embedder, load_embedder
from reportqa.index.store import LoadedIndex, load_index
from reportqa.index.vectorindex import search

from .answer import choose_sentence
from .question import clean_question
from .records import Answer, Hit

DEFAULT_K = 5
MAX_K = 50
ABSTAIN_BELOW = 0.80
"""Dense cosine below which the best passage is not trusted to answer (multilingual-e5-small scale)."""


class Engine:
    """Answers questions from one index. Create with :meth:`open`; :meth:`ask` is thread-safe."""

    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        if embedder.id != index.embedder_id:
            raise ValueError(f"embedder {embedder.id} does not match index embedder {index.embedder_id}")
        self.index = index
        self.embedder = embedder

    @classmethod
    def open(cls, index_dir: Path, check_sources: bool = True) -> Engine:
        """Load and verify the index at ``index_dir`` and the embedder that built it."""
        index = load_index(index_dir, check_sources=check_sources)
        return cls(index, load_embedder(index.embedder_id))

    def ask(self, question: str, k: int = DEFAULT_K) -> Answer:
        text, notice = clean_question(question)
        k = max(1, min(int(k), MAX_K))
        qvec = self.embedder.embed([text], "query")
        scores, ids = search(self.index.faiss_index, qvec, k)
        hits = tuple(
            Hit(rank=r + 1, score=float(s), chunk=self.index.chunks[int(i)])
            for r, (s, i) in enumerate(zip(scores[0], ids[0], strict=True))
            if i >= 0
        )
        abstained = not hits or hits[0].score < ABSTAIN_BELOW
        sentence, rank, highlight = (None, None, None) if abstained else choose_sentence(text, hits[:1])
        return Answer(text, abstained, hits, sentence, rank, highlight, notice)

    def query_vector(self, text: str) -> np.ndarray:
        return self.embedder.embed([text], "query")[0]
