"""Optional cross-encoder reranking (``--reranker st:MODEL``): sentence-transformers is imported, and the
model loaded, only when a reranker is asked for; off by default."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.errors import EmbedderError, UsageError
from reportqa.index.records import Chunk

RERANK_DEPTH = 20
"""How many fused candidates the cross-encoder re-scores."""


class CrossEncoderReranker:
    """Re-scores the top :data:`RERANK_DEPTH` passages with a sentence-transformers CrossEncoder."""

    def __init__(self, model: str, depth: int = RERANK_DEPTH) -> None:
        self.model_name = model
        self.depth = depth
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        from sentence_transformers import CrossEncoder
                    except ImportError as e:
                        raise EmbedderError(
                            "the reranker needs sentence-transformers and torch: pip install 'reportqa[st]'"
                        ) from e
                    path = Path(self.model_name).expanduser()
                    local = path.exists()
                    allow = os.environ.get("REPORTQA_ALLOW_DOWNLOAD") == "1"
                    try:
                        self._model = CrossEncoder(
                            str(path.resolve()) if local else self.model_name,
                            device="cpu",
                            local_files_only=not (allow or local),
                        )
                    except Exception as e:  # the library raises many types
                        raise EmbedderError(
                            f"could not load cross-encoder {self.model_name!r}: {e}. Pass a local model folder, "
                            "or download it once with REPORTQA_ALLOW_DOWNLOAD=1"
                        ) from e
        return self._model

    def rerank(
        self, question: str, order: Sequence[int], scores: np.ndarray, chunks: Sequence[Chunk]
    ) -> tuple[list[int], np.ndarray]:
        """New order (top ``depth`` re-scored, the rest unchanged) and per-chunk scores."""
        model = self._load()
        head = list(order[: self.depth])
        pairs = [(question, chunks[i].text) for i in head]
        ce = np.asarray(model.predict(pairs, show_progress_bar=False), dtype=np.float32).reshape(-1)
        new_scores = np.array(scores, dtype=np.float32, copy=True)
        for i, s in zip(head, ce, strict=True):
            new_scores[i] = float(s)
        ranked = [head[j] for j in np.argsort(-ce, kind="stable")]
        return ranked + [int(i) for i in order[self.depth :]], new_scores


def load_reranker(spec: str) -> CrossEncoderReranker:
    """``st:MODEL`` → a lazily loaded CrossEncoder reranker."""
    spec = spec.strip()
    if not spec.startswith("st:") or len(spec) <= 3:
        raise UsageError(f"unknown reranker {spec!r}; use 'st:MODEL' (a sentence-transformers CrossEncoder)")
    return CrossEncoderReranker(spec[3:])
