"""Hybrid retrieval: dense search at sentence and chunk granularity fused with Chinese BM25.

Candidate search first: the top N passages of the chunk vector store, the passages of the top N sentences
of the sentence vector store, and the top N passages by BM25 (read from the postings of the question's
tokens only). A document filter is applied inside each of these searches. Everything below is computed for
the union of the candidates only — exactly, from the stored vectors and postings of those passages — so a
question costs the same at a thousand passages and at a million. Min–max normalisation runs over the
union (identical to the former full scan whenever the union holds every passage, as on one report).

For one candidate chunk:

* a dense score: ``a·max(sentence cosines of the chunk) + (1−a)·chunk cosine`` (a sentence hit returns its
  chunk as the passage, and the sentence becomes the answer candidate);
* a keyword score: BM25 over jieba tokens (:mod:`reportqa.index.text.tokens`). An English question cannot match
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
from reportqa.index.records import DocFilter
from reportqa.index.storage.store import LoadedIndex, document_chunk_ranges
from reportqa.index.storage.vectorstore import range_rows
from reportqa.index.text.indicators import builtin
from reportqa.index.text.numbers import find_values, fold
from reportqa.index.text.periods import Period, SentencePeriod, period_agrees, sentence_period
from reportqa.index.text.tokens import latin_or_digit
from reportqa.index.text.years import is_year_token

from .answer import holds_asked
from .query import Query
from .terms import Searched, glossary_tokens

FIGURE_DEPTH = 30

Mode = Literal["hybrid", "semantic", "keyword"]
MODES: tuple[str, ...] = ("hybrid", "semantic", "keyword")
__all__ = [
    "FIGURE_DEPTH", "MODES", "Mode", "Retrieval", "RetrievalParams", "Retriever", "Statement", "glossary_tokens",
    "query_period",
]  # fmt: skip


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
    latin_dense_glossary: bool = False
    """English questions are embedded with those Chinese words appended (dense search sees the reports' own
    terms too). Off: on the seed's English questions it lifted dev answers 0.84 → 0.88 with hit@1 unchanged, but
    cost test hit@1 0.676 → 0.649 (bench/RESULTS-retrieval.md)."""
    statement_boost: float = 0.2
    """Added to the first :data:`FIGURE_DEPTH` candidates holding a sentence that states what the question asks
    (its period and year, and its indicator when it names one), subtracted from those whose sentences about the
    asked indicator all state the other period."""
    figure_boost: float = 0.15
    """Added to the first :data:`FIGURE_DEPTH` candidates that hold the kind of figure the question asks for
    (a number with the asked unit for 多少/how many, a date for when, a titled name for who)."""
    candidates: int = 100
    """N: passages taken from each candidate search (nearest passages, passages of the nearest sentences,
    best BM25 passages); fusion and the answer choice see only their union."""
    floor_sample: int = 64
    """Passages spread evenly over the searched ones, added to the candidates so that the minimum of the
    dense scores (the floor of their min–max normalisation) is that of the whole population, as in a scan,
    not that of the nearest passages only."""


def query_period(query: Query, doc_year: int | None) -> int:
    """+1 (plan: the report year), −1 (review: the year before), 0 (no signal) for one document's year."""
    return _period_of(query.searched.first_year, _cue_period(query.period), doc_year)


def _cue_period(period: Period) -> int:
    """+1 for a question asking for a target (plan), −1 for a result (review), 0 for either
    (:func:`reportqa.index.text.periods.question_period`)."""
    return 1 if period == "target" else -1 if period == "actual" else 0


def _period_of(year: int | None, cue: int, doc_year: int | None) -> int:
    if year is not None and doc_year is not None:
        return 1 if year == doc_year else -1 if year == doc_year - 1 else 0
    return cue


@dataclass
class Retrieval:
    """Everything one question's retrieval computed over its candidates (for answer choice and abstention).

    Per-candidate arrays are aligned with :attr:`order` (position ``i`` is chunk ``order[i]``)."""

    order: np.ndarray
    """Candidate chunk ids, best first."""
    fused: np.ndarray
    dense: np.ndarray
    """Dense score (before fusion)."""
    chunk_cos: np.ndarray
    lexical: np.ndarray
    """BM25 score (0: none of the keyword tokens)."""
    best_sentence: np.ndarray
    """Id of the candidate's sentence with the highest cosine (−1 when it has none)."""
    sentence_ids: np.ndarray
    """Ids of every sentence of the candidates (ascending) …"""
    sentence_cos: np.ndarray
    """… and their cosines (zeros without a query vector)."""
    tokens: list[str]
    """The question's keyword tokens (as used for BM25)."""
    latin: bool
    extras: dict[str, float] = field(default_factory=dict)

    def sentence_score(self, sid: int) -> float:
        """Cosine of sentence ``sid`` (a sentence of a candidate; 0.0 for any other)."""
        i = int(np.searchsorted(self.sentence_ids, sid))
        return float(self.sentence_cos[i]) if i < len(self.sentence_ids) and self.sentence_ids[i] == sid else 0.0

    def dense_rank(self, pos: int) -> int:
        """1-based rank of candidate ``pos`` by dense score among the candidates (ties in its favour)."""
        return _rank_of(self.dense, pos)

    def lexical_rank(self, pos: int) -> int:
        """1-based rank by BM25 among the candidates; 0 when no candidate has a keyword."""
        return _rank_of(self.lexical, pos) if self.lexical.max(initial=0) > 0 else 0


class Retriever:
    """Candidate search over a loaded index; :meth:`search` is thread-safe (read-only)."""

    def __init__(self, index: LoadedIndex, params: RetrievalParams | None = None) -> None:
        self.index = index
        self.params = params or RetrievalParams()
        self.documents: list[str] = [d.name for d in index.documents]
        """Document names by document id."""
        self.doc_year: list[int | None] = [d.year for d in index.documents]
        ranges = document_chunk_ranges(index.documents)
        self.doc_first = ranges[:, 0].copy()
        self.doc_count = ranges[:, 1].copy()
        self.n_chunks = len(index.chunks)
        # sentences are stored in chunk order: chunk c's sentences are ids [first[c], first[c + 1])
        self.sentence_first = np.asarray(index.chunk_sentences, dtype=np.int64)
        self._statements: dict[int, tuple[Statement, ...]] = {}

    # ------------------------------------------------------------------------------------------ id ranges

    def lead_of(self, chunk_id: int) -> str | None:
        """The lead line standing alone right before passage ``chunk_id`` (:func:`is_lead_line`, in the same report:
        "这是…的五年。" heading the paragraph), None when there is none. Read for the passages an answer tries only,
        never for the whole index at start-up."""
        if chunk_id <= 0:
            return None
        chunks = self.index.chunks
        before = chunks[chunk_id - 1]
        if before.citation.document != chunks[chunk_id].citation.document or not is_lead_line(before.text):
            return None
        return before.text.strip()

    def chunk_ranges(self, documents: DocFilter | None) -> np.ndarray | None:
        """Sorted ``(start, end)`` chunk id ranges of ``documents`` (None: all documents)."""
        if documents is None:
            return None
        ds = np.array(sorted(d for d in documents if 0 <= d < len(self.doc_first)), dtype=np.int64)
        out = np.stack([self.doc_first[ds], self.doc_first[ds] + self.doc_count[ds]], axis=1) if len(ds) else None
        if out is None:
            return np.zeros((0, 2), dtype=np.int64)
        return out[np.argsort(out[:, 0], kind="stable")]

    def spread(self, ranges: np.ndarray | None, count: int) -> np.ndarray:
        """``count`` chunk ids spread evenly over the searched chunks (all, or the ``ranges``)."""
        if ranges is None:
            return np.unique(np.linspace(0, self.n_chunks - 1, min(count, self.n_chunks)).astype(np.int64))
        sizes = ranges[:, 1] - ranges[:, 0]
        total = int(sizes.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        pos = np.unique(np.linspace(0, total - 1, min(count, total)).astype(np.int64))
        ends = np.cumsum(sizes)
        r = np.searchsorted(ends, pos, side="right")
        return ranges[r, 0] + pos - (ends[r] - sizes[r])

    def chunk_document(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Document id of each chunk id."""
        return np.searchsorted(self.doc_first, chunk_ids, side="right") - 1

    def sentence_chunks(self, sentence_ids: np.ndarray) -> np.ndarray:
        """Chunk id of each sentence id."""
        return np.searchsorted(self.sentence_first, sentence_ids, side="right") - 1

    def chunk_sentences(self, chunk_id: int) -> range:
        """Sentence ids of one chunk."""
        return range(int(self.sentence_first[chunk_id]), int(self.sentence_first[chunk_id + 1]))

    # ------------------------------------------------------------------------------------------ pieces

    def lexical_candidates(
        self, tokens: list[str], ranges: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(top ids, top scores, all touched ids, all their scores)``: the top N by BM25 and every chunk
        any token touches (ascending), within ``ranges``."""
        lex = self.index.lexical
        if lex is None or not tokens:
            z = np.zeros(0, dtype=np.int64)
            return z, np.zeros(0, dtype=np.float32), z, np.zeros(0, dtype=np.float32)
        ids, scores = lex.postings(tokens, ranges)
        n = self.params.candidates
        if len(ids) > n:
            top = np.argpartition(-scores, n - 1)[:n]
            top.sort()
        else:
            top = np.arange(len(ids))
        return ids[top], scores[top], ids, scores

    def dense_candidates(self, qvec: np.ndarray, documents: DocFilter | None) -> np.ndarray:
        """Chunk ids of the top N chunks and of the top N sentences' chunks."""
        n = self.params.candidates
        chunk_hits = self.index.chunk_store.search(qvec, n, documents)
        parts = [chunk_hits.ids]
        if len(self.index.sentence_store):
            sent_hits = self.index.sentence_store.search(qvec, n, documents)
            parts.append(self.sentence_chunks(sent_hits.ids))
        return np.concatenate(parts).astype(np.int64)

    def dense_scores(
        self, qvec: np.ndarray | None, cand: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(dense, chunk_cos, best_sentence, sentence ids, sentence cosines)`` of candidate chunks ``cand``
        (ascending), exact, from their stored vectors."""
        first = self.sentence_first[cand]
        counts = self.sentence_first[cand + 1] - first
        sids = range_rows(first, counts)
        has = counts > 0
        best_sentence = np.where(has, first, -1).astype(np.int64)
        if qvec is None:
            zeros = np.zeros(len(cand), dtype=np.float32)
            return zeros, zeros.copy(), best_sentence, sids, np.zeros(len(sids), dtype=np.float32)
        q = np.asarray(qvec, dtype=np.float32)
        # einsum, not BLAS: a few hundred rows need no thread pool (whose threads stall on a busy machine)
        chunk_cos = np.einsum("ij,j->i", np.asarray(self.index.vectors[cand], dtype=np.float32), q)
        sent_cos = (
            np.einsum("ij,j->i", np.asarray(self.index.sentence_vectors[sids], dtype=np.float32), q)
            if len(sids) else np.zeros(0, dtype=np.float32)
        )  # fmt: skip
        best_val = np.full(len(cand), -1.0, dtype=np.float32)
        if len(sids):
            seg = np.repeat(np.arange(len(cand)), counts)
            by = np.lexsort((-sent_cos, seg))  # within each candidate: best cosine first, then lowest id
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[has]
            best_sentence[has] = sids[by[starts]]
            best_val[has] = sent_cos[by[starts]]
        a = self.params.sentence_weight
        dense = np.where(has, a * best_val + (1 - a) * chunk_cos, chunk_cos).astype(np.float32)
        return dense, chunk_cos.astype(np.float32), best_sentence, sids, sent_cos.astype(np.float32)

    def token_documents(self, token: str, ranges: np.ndarray | None = None) -> np.ndarray:
        """Ids of the documents (within ``ranges``) whose chunks hold ``token``."""
        lex = self.index.lexical
        if lex is None or token not in lex.vocab:
            return np.zeros(0, dtype=np.int64)
        ids, _ = lex.postings([token], ranges)
        return np.unique(self.chunk_document(ids))

    def document_prior(self, tokens: list[str], documents: DocFilter | None = None) -> np.ndarray:
        """Per document id, in [0, 1]: how much the question's words single it out among the (filtered)
        documents."""
        nd_all = len(self.documents)
        prior = np.zeros(nd_all, dtype=np.float32)
        nd = nd_all if documents is None else len([d for d in documents if 0 <= d < nd_all])
        if nd < 2:
            return prior
        ranges = self.chunk_ranges(documents)
        for t in set(tokens):
            docs = self.token_documents(t, ranges)
            if 0 < len(docs) < nd:
                prior[docs] += math.log(nd / len(docs))
        top = float(prior.max())
        return prior / top if top > 0 else prior

    def chunk_periods(self, cand: np.ndarray) -> np.ndarray:
        """+1 plan, −1 review, 0 unknown: the stored period of each candidate chunk."""
        return np.asarray(self.index.chunk_periods[cand], dtype=np.float32)

    def statements(self, chunk_id: int) -> tuple[Statement, ...]:
        """What each sentence of chunk ``chunk_id`` states (period, year, indicators), in sentence order; read
        from the sentence text, the report's year and the chunk's section period, once per chunk."""
        got = self._statements.get(chunk_id)
        if got is not None:
            return got
        chunk = self.index.chunks[chunk_id]
        doc = int(self.chunk_document(np.array([chunk_id]))[0])
        year = self.doc_year[doc] if 0 <= doc < len(self.doc_year) else None
        sign = int(self.index.chunk_periods[chunk_id]) if len(self.index.chunk_periods) > chunk_id else 0
        section = "plan" if sign > 0 else "review" if sign < 0 else None
        vocab = builtin()
        out = []
        for sid in self.chunk_sentences(chunk_id):
            st = self.index.sentences[sid]
            text = chunk.text[st.start : st.end]
            ids = frozenset(m.indicator.id for m in vocab.subjects(text))
            out.append(Statement(sid, sentence_period(text, year, section), ids, year))
        got = tuple(out)
        self._statements[chunk_id] = got
        return got

    def statement_agreement(self, chunk_id: int, query: Query) -> float:
        """+1 when a sentence of the chunk states what ``query`` asks (period and year; its indicator when it
        names one), −1 when every sentence about the asked indicator states the other period (or several
        years), −0.5 when no sentence is about the asked indicator, 0 otherwise."""
        year = query.asked_year
        wanted = set(query.indicators)
        votes = []
        for st in self.statements(chunk_id):
            if wanted and not (wanted & st.indicators):
                continue
            votes.append(period_agrees(query.period, year, st.period, st.report_year))
        if any(v > 0 for v in votes):
            return 1
        if votes and all(v < 0 for v in votes):
            return -1
        if wanted and not votes:
            return -0.5  # no sentence about the asked indicator
        return 0

    # ------------------------------------------------------------------------------------------ search

    def search(
        self, query: Query, qvec: np.ndarray | None, mode: str = "hybrid", documents: DocFilter | None = None,
        searched: Searched | None = None,
    ) -> Retrieval:  # fmt: skip
        """Candidates for ``query`` (``qvec``: its query vector, None in keyword mode), best first, among
        ``documents`` (None: all). ``searched``: the terms searched (``query.searched`` when not given; a search
        restricted to the named reports passes ``query.narrowed``)."""
        p = self.params
        q = query
        s = searched if searched is not None else query.searched
        latin = s.latin
        tokens = list(s.tokens)
        # An English question shares only codes and numbers with a Chinese text; a bare year would just
        # favour the shortest passage of that year's section, so it is left to the period adjustment.
        lex_tokens = [t for t in latin_or_digit(tokens) if not is_year_token(t)] if latin else tokens
        if latin and p.latin_glossary:
            lex_tokens = lex_tokens + list(s.glossary)
        if latin and not p.latin_lexical:
            lex_tokens = []
        ranges = self.chunk_ranges(documents)
        lex_top, _, lex_ids, lex_scores = self.lexical_candidates(lex_tokens, ranges)
        parts = [lex_top]
        if qvec is not None:
            parts.append(self.dense_candidates(qvec, documents))
        if qvec is not None and p.floor_sample > 0:
            parts.append(self.spread(ranges, p.floor_sample))
        cand = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        if not len(cand):
            # nothing to go on (keyword mode without a known word): the first passages, in document order
            if ranges is None:
                cand = np.arange(min(self.n_chunks, p.candidates), dtype=np.int64)
            else:
                cand = range_rows(ranges[:, 0], ranges[:, 1] - ranges[:, 0])[: p.candidates]
        dense, chunk_cos, best_sentence, sids, sent_cos = self.dense_scores(qvec, cand)
        lexical = np.zeros(len(cand), dtype=np.float32)
        if len(lex_ids):
            at = np.minimum(np.searchsorted(lex_ids, cand), len(lex_ids) - 1)
            hit = lex_ids[at] == cand
            lexical[hit] = lex_scores[at[hit]]
        n_searched = self.n_chunks if ranges is None else int((ranges[:, 1] - ranges[:, 0]).sum())
        # BM25's minimum over all searched passages is 0 unless every one of them holds a keyword
        lex_lo = None if len(lex_ids) >= n_searched else 0.0

        if mode == "keyword":
            fused = _minmax(lexical, lex_lo) if lexical.max(initial=0) > 0 else np.zeros(len(cand), dtype=np.float32)
        elif mode == "semantic" or lexical.max(initial=0) <= 0:
            fused = _minmax(dense)
        elif p.fusion == "rrf":
            fused = p.w_dense * _rrf(dense, p.rrf_k) + p.w_lexical * _rrf(lexical, p.rrf_k, positive_only=True)
            fused = fused / max(float(fused.max(initial=0)), 1e-9)
        else:
            fused = p.w_dense * _minmax(dense) + p.w_lexical * _minmax(lexical, lex_lo)
        fused = fused.astype(np.float32)

        cand_doc = self.chunk_document(cand)
        if p.period_boost and len(cand):
            # the year asked about (a comparison row's own year), else the first the question names
            year = q.years[0] if q.years else s.first_year
            cue = _cue_period(q.period)
            docs, inverse = np.unique(cand_doc, return_inverse=True)
            qp = np.array([_period_of(year, cue, self.doc_year[int(d)]) for d in docs], dtype=np.float32)
            q_period = qp[inverse]
            fused = fused + p.period_boost * q_period * self.chunk_periods(cand)
        if p.doc_boost and len(self.documents) > 1:
            fused = fused + p.doc_boost * self.document_prior(tokens, documents)[cand_doc]
        if p.statement_boost and len(cand) and (q.period != "either" or q.years) and q.asks_figure:
            head = np.argsort(-fused, kind="stable")[:FIGURE_DEPTH]
            for i in head:
                fused[i] += p.statement_boost * self.statement_agreement(int(cand[i]), q)
        if p.figure_boost and len(cand) and mode != "keyword":
            kind = s.asked
            if kind.kind != "other":
                head = np.argsort(-fused, kind="stable")[:FIGURE_DEPTH]
                chunks = self.index.chunks
                for i in head:
                    if holds_asked(kind, chunks[int(cand[i])].text):
                        fused[i] += p.figure_boost
        # keyword mode: ties (no keyword at all) keep document order; otherwise dense breaks ties
        pos = np.argsort(-fused, kind="stable") if mode == "keyword" else np.lexsort((-dense, -fused))
        return Retrieval(
            cand[pos], fused[pos], dense[pos], chunk_cos[pos], lexical[pos], best_sentence[pos], sids, sent_cos,
            lex_tokens, latin,
        )  # fmt: skip


_SENTENCE_END = re.compile(r"[。！？；!?;]")
LEAD_CHARS = 30
"""The longest lead line standing alone (characters): lead lines in reports run 6–25."""


def is_lead_line(text: str) -> bool:
    """``text`` (a passage) is one sentence of at most :data:`LEAD_CHARS` characters stating no figure — a
    paragraph's lead line (这是…的五年。, 经济运行持续向好。) reconstructed as a paragraph of its own (web pages set
    them on a line of their own)."""
    t = text.strip()
    return len(t) <= LEAD_CHARS and not find_values(fold(t)) and not _SENTENCE_END.search(t.rstrip("。！？；!?;"))


@dataclass(frozen=True)
class Statement:
    """What one sentence states: its period and year (:func:`~reportqa.index.text.periods.sentence_period`) and the
    indicators it names."""

    sentence: int
    """Sentence id."""
    period: SentencePeriod
    indicators: frozenset[str]
    """Ids of the indicators it names (:mod:`reportqa.index.text.indicators`)."""
    report_year: int | None
    """The year of the report it is in."""


def _minmax(x: np.ndarray, lo: float | None = None) -> np.ndarray:
    """Min–max scaling to [0, 1]; ``lo`` overrides the minimum (a known floor of the whole population)."""
    if x.size == 0:
        return x.astype(np.float32)
    low = float(x.min()) if lo is None else min(lo, float(x.min()))
    hi = float(x.max())
    if hi - low < 1e-12:
        return np.zeros_like(x, dtype=np.float32)
    return ((x - low) / (hi - low)).astype(np.float32)


def _rrf(x: np.ndarray, k: float, positive_only: bool = False) -> np.ndarray:
    ranks = np.empty(len(x), dtype=np.float32)
    ranks[np.argsort(-x, kind="stable")] = np.arange(1, len(x) + 1, dtype=np.float32)
    out = (1.0 / (k + ranks)).astype(np.float32)
    if positive_only:
        out[x <= 0] = 0
    return out


def _rank_of(scores: np.ndarray, i: int) -> int:
    """1-based rank of item ``i`` by ``scores`` (ties broken in its favour); 0 when scores are empty."""
    if scores.size == 0:
        return 0
    return int((scores > scores[i]).sum()) + 1
