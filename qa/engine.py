"""The question-answering engine: one loaded index + its embedder, safe to share between threads.

``ask(question, k, mode)``: hybrid retrieval (:mod:`.retrieval`), optional cross-encoder reranking
(:mod:`.rerank`), the answer sentence and its highlighted figure (:mod:`.answer`), and the abstention
decision (:mod:`.abstain`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.embedders import Embedder, load_embedder
from reportqa.index.errors import UsageError
from reportqa.index.lexical import init_jieba, normalize, tokenize
from reportqa.index.milvus_store import StoreSpec
from reportqa.index.milvus_sync import with_store
from reportqa.index.records import DocFilter
from reportqa.index.store import LoadedIndex, load_index
from reportqa.index.years import is_year_token

from .abstain import AbstainModel, default_model
from .answer import asked, has_asked_figure, highlight, idf_weights, token_overlap
from .ask import answer_query
from .query import understand
from .question import clean_question
from .records import Answer, Hit
from .retrieval import MODES, Retrieval, RetrievalParams, Retriever, glossary_tokens
from .scope import Filters, library_documents

DEFAULT_K = 5
MAX_K = 50
DEFAULT_MODE = "hybrid"
__all__ = ["DEFAULT_K", "DEFAULT_MODE", "MAX_K", "MODES", "Engine", "Run"]

SENTENCE_OVERLAP_WEIGHT = 0.35
SENTENCE_FIGURE_BONUS = 0.05


@dataclass(frozen=True)
class Run:
    """An answer plus what led to it (for evaluation, abstention fitting and debugging)."""

    answer: Answer
    features: dict[str, float]
    retrieval: Retrieval | None = None
    candidate_sentence: str | None = None
    """The answer sentence that was chosen even if the engine then abstained."""
    extra: dict[str, Any] = field(default_factory=dict)


class Engine:
    """Answers questions from one index. Create with :meth:`open`; :meth:`ask` is thread-safe."""

    MODES = MODES

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        params: RetrievalParams | None = None,
        abstainer: AbstainModel | None = None,
        reranker: Any = None,
        store: StoreSpec | None = None,
    ) -> None:
        if embedder.id != index.embedder_id:
            raise ValueError(f"embedder {embedder.id} does not match index embedder {index.embedder_id}")
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, params)
        self.abstainer = abstainer or default_model()
        self.reranker = reranker
        self.store = store
        """Where ``index``'s vectors are searched (None or ``faiss``: the index's own FAISS files); kept so a
        reload (:mod:`.live`) opens the next build on the same store."""
        init_jieba()
        lex = index.lexical
        self._n_docs = lex.num_docs if lex is not None else len(index.chunks)
        self._vocab = lex.vocab if lex is not None else {}

    @classmethod
    def open(
        cls, index_dir: Path, check_sources: bool = True, reranker: str | None = None, store: StoreSpec | None = None
    ) -> Engine:
        """Load and verify the index at ``index_dir`` and the embedder that built it; with a Milvus ``store``,
        search the vectors there (:func:`~reportqa.index.milvus_sync.with_store`)."""
        index = with_store(load_index(index_dir, check_sources=check_sources), index_dir, store)
        rr = None
        if reranker:
            from .rerank import load_reranker

            rr = load_reranker(reranker)
        return cls(index, load_embedder(index.embedder_id), reranker=rr, store=store)

    @property
    def params(self) -> RetrievalParams:
        return self.retriever.params

    # ------------------------------------------------------------------------------------------ asking

    def ask(
        self, question: str, k: int = DEFAULT_K, mode: str = DEFAULT_MODE, filters: Filters | None = None
    ) -> Answer:
        """Answer ``question`` with ``k`` passages; ``mode`` is ``hybrid`` (default), ``semantic`` or ``keyword``.

        The question is read once (:func:`~reportqa.qa.query.understand`); the regions and years it (or
        ``filters``) names pick the reports it is answered from, a question naming several reports gets a
        side-by-side ``comparison`` (:mod:`.compare`), and a question over many reports the figure ``table``
        (:mod:`.table`); :func:`~reportqa.qa.ask.answer_query` puts them together."""
        query = understand(question, filters)
        if mode not in MODES:
            raise UsageError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        return answer_query(
            query, library_documents(self.index), self.index.figures, self._search, self.query_vector, k, mode
        )

    def _search(
        self, question: str, k: int, mode: str, documents: DocFilter | None, qvec: np.ndarray | None
    ) -> Answer:
        """:meth:`run`'s answer: the :data:`~reportqa.qa.compare.Search` step the comparison and scope use."""
        return self.run(question, k, mode, documents=documents, qvec=qvec).answer

    def run(
        self, question: str, k: int = DEFAULT_K, mode: str = DEFAULT_MODE, documents: DocFilter | None = None,
        qvec: np.ndarray | None = None,
    ) -> Run:  # fmt: skip
        """One retrieval and answer, over every document or only over ``documents`` (Document ids).
        ``qvec``: the question's query vector when the caller has it already (a comparison searches several
        reports with one question); otherwise it is embedded here."""
        if mode not in MODES:
            raise UsageError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        text, notice = clean_question(question)
        k = max(1, min(int(k), MAX_K))
        chunks = self.index.chunks
        if not chunks:
            return Run(Answer(text, True, (), notice=notice), {})
        if mode == "keyword":
            qvec = None
        elif qvec is None:
            qvec = self.query_vector(text)
        r = self.retriever.search(text, qvec, mode, documents)
        if not len(r.order):  # the filter selects no passage
            return Run(Answer(text, True, (), notice=notice), {}, r)
        # positions into the candidates (r.order[i] is the chunk id)
        order = list(range(len(r.order)))
        scores = r.fused
        if self.reranker is not None:
            order, scores = self.reranker.rerank(text, order, scores, [chunks[int(c)] for c in r.order])
        hits = tuple(
            Hit(rank=rank + 1, score=float(scores[pos]), chunk=chunks[int(r.order[pos])])
            for rank, pos in enumerate(order[:k])
        )
        top = order[0]
        q_tokens = tokenize(text, question=True)
        # an English question picks its answer sentence with the glossary's Chinese words too
        s_tokens = q_tokens + glossary_tokens(text) if r.latin and self.params.latin_glossary else q_tokens
        idf = idf_weights(q_tokens, self._df(q_tokens), self._n_docs)
        s_idf = idf if s_tokens is q_tokens else idf_weights(s_tokens, self._df(s_tokens), self._n_docs)
        sentence, sent_score = self._choose_sentence(text, top, r, s_tokens, s_idf)
        features = self._features(text, top, r, q_tokens, idf, mode, sentence or "")
        abstained, p = self.abstainer.abstain(features)
        if mode == "keyword" and r.lexical.max(initial=0) <= 0:
            abstained = True
        mark = highlight(text, sentence) if sentence else None
        answer = Answer(
            text, abstained, hits,
            None if abstained else sentence, None if abstained or sentence is None else 1,
            None if abstained else mark, notice, confidence=round(1.0 - p, 4),
        )  # fmt: skip
        return Run(answer, features, r, sentence, {"p_unanswerable": p, "sentence_score": sent_score})

    def _df(self, tokens: list[str]) -> dict[str, int]:
        """How many chunks hold each of ``tokens`` (from the keyword index)."""
        lex = self.index.lexical
        return {t: lex.df(t) for t in tokens} if lex is not None else {}

    def _choose_sentence(
        self, question: str, pos: int, r: Retrieval, q_tokens: list[str], idf: dict[str, float]
    ) -> tuple[str | None, float]:
        chunk = self.index.chunks[int(r.order[pos])]
        ids = self.retriever.chunk_sentences(int(r.order[pos]))
        if not ids:
            return chunk.text, 0.0
        want = asked(question).kind != "other"
        best: tuple[float, str] | None = None
        for sid in ids:
            s = self.index.sentences[sid]
            sent = chunk.text[s.start : s.end]
            score = r.sentence_score(sid)
            score += SENTENCE_OVERLAP_WEIGHT * token_overlap(q_tokens, sent, idf)
            if want and has_asked_figure(question, sent):
                score += SENTENCE_FIGURE_BONUS
            if best is None or score > best[0]:
                best = (score, sent)
        assert best is not None
        return best[1], best[0]

    def _features(
        self,
        question: str,
        top: int,
        r: Retrieval,
        q_tokens: list[str],
        idf: dict[str, float],
        mode: str,
        sentence: str,
    ) -> dict[str, float]:
        chunk = self.index.chunks[int(r.order[top])]
        latin = 1.0 if r.latin else 0.0
        zh_tokens = [] if r.latin else q_tokens
        passage = f"{chunk.citation.section}\n{chunk.text}"
        coverage = token_overlap(zh_tokens, passage, idf) if zh_tokens else 0.0
        sentence_coverage = token_overlap(zh_tokens, sentence, idf) if zh_tokens else 0.0
        years = [t for t in q_tokens if is_year_token(t)]
        year_unknown = 1.0 if any(y not in self._vocab for y in years) else 0.0
        unknown = 0.0
        if zh_tokens:
            total = sum(idf.get(t, 1.0) for t in zh_tokens)
            unknown = sum(idf.get(t, 1.0) for t in zh_tokens if t not in self._vocab) / max(total, 1e-9)
        dense_rank = r.dense_rank(top)
        lex_rank = r.lexical_rank(top) if not r.latin else 0
        best_sid = int(r.best_sentence[top])
        dense = r.sentence_score(best_sid) if best_sid >= 0 else float(r.chunk_cos[top])
        figure_missing = 0.0
        if asked(question).kind != "other" and not has_asked_figure(question, normalize(chunk.text)):
            figure_missing = 1.0
        return {
            "dense": dense,
            "chunk": float(r.chunk_cos[top]),
            "coverage": coverage,
            "sentence_coverage": sentence_coverage,
            "unknown": unknown,
            "year_unknown": year_unknown,
            "agree_lexical": 1.0 / lex_rank if lex_rank else 0.0,
            "agree_dense": 1.0 / dense_rank if dense_rank else 0.0,
            "figure_missing": figure_missing,
            "latin": latin,
            "latin_dense": latin * dense,
        }

    def query_vector(self, text: str) -> np.ndarray:
        return self.embedder.embed([text], "query")[0]

