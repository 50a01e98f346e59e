"""Hybrid retrieval: dense search at sentence and chunk granularity fused with Chinese BM25.

For one question every chunk gets

* a dense score: ``a·max(sentence cosines of the chunk) + (1−a)·chunk cosine`` (a sentence hit returns its
  chunk as the passage, and the sentence becomes the answer candidate);
* a keyword score: BM25 over jieba tokens (:mod:`reportqa.index.lexical`). An English question cannot match
  Chinese words, so only its Latin/digit tokens are used (codes such as ``G318`` and years), which usually
  leaves dense search alone;
* a fused score: weighted sum of the min–max normalised dense and keyword scores, or reciprocal-rank fusion
  (chosen on the dev split, see ``bench/RESULTS-retrieval.md``);
* mild adjustments: the question's period (last year's review vs this year's plan, from years relative to
  the report's own year and from generic cue words) against the chunk's stored period, and — with several
  documents indexed — a prior for documents containing question words that other documents lack (a region
  name, a unique term). Without year/period signals, or with one document, there is no adjustment.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from reportqa.index.lexical import is_latin_query, latin_or_digit, tokenize
from reportqa.index.sections import PLAN, REVIEW
from reportqa.index.store import LoadedIndex
from reportqa.index.years import explicit_years, is_year_token

from .answer import asked, has_asked_figure
from .glossary import chinese_keywords

FIGURE_DEPTH = 30

Mode = Literal["hybrid", "semantic", "keyword"]
MODES: tuple[str, ...] = ("hybrid", "semantic", "keyword")


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings. Defaults were chosen on the dev split only (bench/RESULTS-retrieval.md)."""

    fusion: Literal["score", "rrf"] = "score"
    w_dense: float = 0.6
    w_lexical: float = 0.4
    sentence_weight: float = 0.4
    """a in ``a·best-sentence + (1−a)·chunk`` cosine."""
    rrf_k: float = 60.0
    period_boost: float = 0.15
    """Added when the question's period matches the chunk's, subtracted when it is the other one."""
    doc_boost: float = 0.15
    """Weight of the document prior (several documents only)."""
    latin_lexical: bool = True
    """English questions: keyword search on their Latin/digit tokens (True) or dense only (False)."""
    latin_glossary: bool = True
    """English questions also search the Chinese words that :mod:`.glossary` gives for their terms."""
    figure_boost: float = 0.15
    """Added to the first :data:`FIGURE_DEPTH` candidates that hold the kind of figure the question asks for
    (a number with the asked unit for 多少/how many, a date for when, a titled name for who)."""
    hub_penalty: float = 0.0
    """λ of the hubness correction ``cos − λ·r`` (r: a passage's mean cosine to its nearest neighbours among
    a sample of the stored vectors): generic passages ("今年将着力抓好以下七个方面工作") that sit close to
    everything stop winning every vague question."""


# Cue words for the period a question asks about. Generic report/English vocabulary, no report-specific term.
_REVIEW_CUES = re.compile(
    r"去年|上年|上一年|过去一年|一年来|已经|完成了|实现了|取得了|达到了|突破了|建成了|"
    r"\blast year\b|\bprevious year\b|\bachieved\b|\bcompleted\b|\bwas\b|\bwere\b|\bdid\b|\bhad\b|\bearned?\b",
    re.I,
)
_PLAN_CUES = re.compile(
    r"今年|本年|明年|计划|预期|力争|目标|打算|准备|将要|要|争取|"
    r"\bthis year\b|\btarget(?:ed|s)?\b|\bplan(?:ned|s)?\b|\bwill\b|\bgoal\b|\baim(?:s|ed)?\b|\bstrive\b",
    re.I,
)


def glossary_tokens(question: str) -> list[str]:
    """Keyword tokens of the Chinese words the glossary gives for an English question's terms.

    Region names are left out: a named region is a scope (which report), not a keyword — as a keyword it only
    favours the passages that repeat the region's name (on the seed's 62 English dev+test questions it cost
    0.03 hit@1 and 0.05 answer accuracy, 2026-11-29)."""
    words = chinese_keywords(question, regions=False)
    return tokenize(" ".join(words)) if words else []


def question_period(question: str, doc_year: int | None) -> int:
    """+1 (plan: the report year), −1 (review: the year before), 0 (no signal) for one document's year."""
    years = explicit_years(question)
    if years and doc_year is not None:
        y = years[0]
        if y == doc_year:
            return 1
        if y == doc_year - 1:
            return -1
        return 0
    review = len(_REVIEW_CUES.findall(question))
    plan = len(_PLAN_CUES.findall(question))
    return int(np.sign(plan - review))


@dataclass
class Retrieval:
    """Everything one question's retrieval computed (kept for answer choice and abstention)."""

    order: np.ndarray
    """Chunk ids, best first (all chunks)."""
    fused: np.ndarray
    dense: np.ndarray
    """Per-chunk dense score (before fusion)."""
    chunk_cos: np.ndarray
    sent_cos: np.ndarray
    """Cosine of every sentence."""
    best_sentence: np.ndarray
    """Per chunk: id of its sentence with the highest cosine (−1 when it has none)."""
    lexical: np.ndarray
    tokens: list[str]
    """The question's keyword tokens (as used for BM25)."""
    latin: bool
    extras: dict[str, float] = field(default_factory=dict)


class Retriever:
    """Precomputed per-chunk arrays of a loaded index; :meth:`search` is thread-safe (read-only)."""

    def __init__(self, index: LoadedIndex, params: RetrievalParams | None = None) -> None:
        self.index = index
        self.params = params or RetrievalParams()
        chunks = index.chunks
        docs = sorted({c.citation.document for c in chunks})
        self.documents = docs
        doc_of = {d: i for i, d in enumerate(docs)}
        self.chunk_doc = np.array([doc_of[c.citation.document] for c in chunks], dtype=np.int64)
        self.chunk_period = np.array(
            [{PLAN: 1, REVIEW: -1}.get(str(c.extra.get("period")), 0) for c in chunks], dtype=np.float32
        )
        years = {d.name: d.year for d in index.documents}
        self.doc_year = [years.get(d) for d in docs]
        self.sentence_chunk = np.array([s.chunk for s in index.sentences], dtype=np.int64)
        self.chunk_sentences: list[list[int]] = [[] for _ in chunks]
        for s in index.sentences:
            self.chunk_sentences[s.chunk].append(s.id)
        self.vectors = np.ascontiguousarray(index.vectors, dtype=np.float32)
        self.sentence_vectors = np.ascontiguousarray(index.sentence_vectors, dtype=np.float32)
        self._hub: tuple[np.ndarray, np.ndarray] | None = None
        lex = index.lexical
        self._indptr = lex.indptr if lex is not None else np.zeros(1, dtype=np.int64)
        self._indices = lex.indices if lex is not None else np.zeros(0, dtype=np.int64)

    # ------------------------------------------------------------------------------------------ pieces

    def dense_scores(self, qvec: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(dense, chunk_cos, sent_cos, best_sentence)`` for every chunk."""
        n = len(self.index.chunks)
        chunk_cos = self.vectors @ qvec if n else np.zeros(0, dtype=np.float32)
        sent_cos = self.sentence_vectors @ qvec if len(self.sentence_chunk) else np.zeros(0, dtype=np.float32)
        lam = self.params.hub_penalty
        if lam:
            if self._hub is None:
                self._hub = (hubness(self.vectors), hubness(self.sentence_vectors))
            chunk_cos = chunk_cos - lam * self._hub[0]
            sent_cos = sent_cos - lam * self._hub[1]
        best_val = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best_val, self.sentence_chunk, sent_cos)
        best_sentence = np.full(n, -1, dtype=np.int64)
        if len(sent_cos):
            # sentences are stored in chunk order: the arg-max within each chunk's run
            for c, ids in enumerate(self.chunk_sentences):
                if ids:
                    best_sentence[c] = ids[int(np.argmax(sent_cos[ids]))]
        has = best_sentence >= 0
        a = self.params.sentence_weight
        dense = np.where(has, a * best_val + (1 - a) * chunk_cos, chunk_cos).astype(np.float32)
        return dense, chunk_cos, sent_cos, best_sentence

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        lex = self.index.lexical
        if lex is None or not tokens:
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        return lex.scores(tokens)

    def token_documents(self, token: str) -> set[int]:
        lex = self.index.lexical
        if lex is None or token not in lex.vocab:
            return set()
        i = lex.vocab[token]
        return {int(d) for d in np.unique(self.chunk_doc[self._indices[self._indptr[i] : self._indptr[i + 1]]])}

    def document_prior(self, tokens: list[str]) -> np.ndarray:
        """Per document, in [0, 1]: how much the question's words single it out among the documents."""
        nd = len(self.documents)
        prior = np.zeros(nd, dtype=np.float32)
        if nd < 2:
            return prior
        for t in set(tokens):
            docs = self.token_documents(t)
            if 0 < len(docs) < nd:
                w = math.log(nd / len(docs))
                for d in docs:
                    prior[d] += w
        top = float(prior.max())
        return prior / top if top > 0 else prior

    # ------------------------------------------------------------------------------------------ search

    def search(self, question: str, qvec: np.ndarray | None, mode: str = "hybrid") -> Retrieval:
        p = self.params
        n = len(self.index.chunks)
        latin = is_latin_query(question)
        tokens = tokenize(question, question=True)
        # An English question shares only codes and numbers with a Chinese text; a bare year would just
        # favour the shortest passage of that year's section, so it is left to the period adjustment.
        lex_tokens = [t for t in latin_or_digit(tokens) if not is_year_token(t)] if latin else tokens
        if latin and p.latin_glossary:
            lex_tokens = lex_tokens + glossary_tokens(question)
        if latin and not p.latin_lexical:
            lex_tokens = []
        if qvec is not None:
            dense, chunk_cos, sent_cos, best_sentence = self.dense_scores(qvec)
        else:
            dense = np.zeros(n, dtype=np.float32)
            chunk_cos = dense.copy()
            sent_cos = np.zeros(len(self.sentence_chunk), dtype=np.float32)
            best_sentence = np.array([ids[0] if ids else -1 for ids in self.chunk_sentences], dtype=np.int64)
        lexical = self.lexical_scores(lex_tokens)

        if mode == "keyword":
            fused = _minmax(lexical) if lexical.max(initial=0) > 0 else np.zeros(n, dtype=np.float32)
        elif mode == "semantic" or lexical.max(initial=0) <= 0:
            fused = _minmax(dense)
        elif p.fusion == "rrf":
            fused = p.w_dense * _rrf(dense, p.rrf_k) + p.w_lexical * _rrf(lexical, p.rrf_k, positive_only=True)
            fused = fused / max(float(fused.max(initial=0)), 1e-9)
        else:
            fused = p.w_dense * _minmax(dense) + p.w_lexical * _minmax(lexical)
        fused = fused.astype(np.float32)

        if p.period_boost and n:
            qp = np.array([question_period(question, y) for y in self.doc_year], dtype=np.float32)
            fused = fused + p.period_boost * qp[self.chunk_doc] * self.chunk_period
        if p.doc_boost and len(self.documents) > 1:
            fused = fused + p.doc_boost * self.document_prior(tokens)[self.chunk_doc]
        if p.figure_boost and n and mode != "keyword":
            kind = asked(question)
            if kind.kind != "other":
                head = np.argsort(-fused, kind="stable")[:FIGURE_DEPTH]
                chunks = self.index.chunks
                for c in head:
                    if has_asked_figure(question, chunks[int(c)].text, kind):
                        fused[c] += p.figure_boost
        # keyword mode: ties (no keyword at all) keep document order; otherwise dense breaks ties
        order = np.argsort(-fused, kind="stable") if mode == "keyword" else np.lexsort((-dense, -fused))
        return Retrieval(order, fused, dense, chunk_cos, sent_cos, best_sentence, lexical, lex_tokens, latin)


HUB_SAMPLE = 2048
HUB_NEIGHBOURS = 10


def hubness(vectors: np.ndarray, sample: int = HUB_SAMPLE, k: int = HUB_NEIGHBOURS) -> np.ndarray:
    """Per row: mean cosine to its ``k`` nearest rows among a fixed random sample (itself excluded).

    Cost O(n·sample) — bounded at any corpus size."""
    n = int(vectors.shape[0]) if vectors.ndim == 2 else 0
    if n < 2:
        return np.zeros(n, dtype=np.float32)
    rng = np.random.default_rng(0)
    ref_ids = np.arange(n) if n <= sample else np.sort(rng.choice(n, sample, replace=False))
    ref = vectors[ref_ids]
    kk = min(k, len(ref_ids) - 1)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, 4096):
        block = vectors[start : start + 4096] @ ref.T
        rows = np.arange(start, min(start + 4096, n))
        # exclude self-similarity
        pos = np.searchsorted(ref_ids, rows)
        mask = (pos < len(ref_ids)) & (ref_ids[np.minimum(pos, len(ref_ids) - 1)] == rows)
        block[np.nonzero(mask)[0], pos[mask]] = -np.inf
        part = np.partition(block, -kk, axis=1)[:, -kk:]
        out[start : start + len(rows)] = part.mean(axis=1)
    return out


def _minmax(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return x.astype(np.float32)
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-12:
        return np.zeros_like(x, dtype=np.float32)
    return ((x - lo) / (hi - lo)).astype(np.float32)


def _rrf(x: np.ndarray, k: float, positive_only: bool = False) -> np.ndarray:
    ranks = np.empty(len(x), dtype=np.float32)
    ranks[np.argsort(-x, kind="stable")] = np.arange(1, len(x) + 1, dtype=np.float32)
    out = (1.0 / (k + ranks)).astype(np.float32)
    if positive_only:
        out[x <= 0] = 0
    return out
