"""The question-answering engine: one loaded index + its embedder, safe to share between threads.

``ask(question, k, mode)``: hybrid retrieval (:mod:`.retrieval`), optional cross-encoder reranking
(:mod:`.rerank`), the answer sentence and its highlighted figure (:mod:`.answer`), and the abstention
decision (:mod:`.abstain`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.embedding.embedders import Embedder, load_embedder
from reportqa.index.errors import UsageError
from reportqa.index.records import DocFilter, Document
from reportqa.index.storage.milvus_store import StoreSpec
from reportqa.index.storage.opener import open_index
from reportqa.index.storage.store import LoadedIndex
from reportqa.index.text.periods import over_years, period_agrees
from reportqa.index.text.places import library_places
from reportqa.index.text.tokens import init_jieba, normalize
from reportqa.index.text.years import is_year_token

from .abstain import Decision, decide, judge_topic
from .answer import holds_asked, idf_weights, located_value, token_overlap
from .answerable import CalibrationCache, TopicCalibration, confidence, topic_evidence
from .ask import answer_query
from .item_choice import by_meaning
from .query import Query, understand
from .rarity import WordCounts
from .records import Answer, Hit
from .retrieval import LEAD_CHARS, MODES, Retrieval, RetrievalParams, Retriever
from .scope import Filters, library_documents
from .search import EngineSearcher
from .stored import StoredFigure, stored_figure
from .support import locate_asked
from .terms import Searched

DEFAULT_K = 5
MAX_K = 50
DEFAULT_MODE = "hybrid"
SUPPORT_DEPTH = 30
"""How many passages, in rank order, may answer a question asking for a figure — the shown ones and those below
them, whatever ``k``: when the first has no sentence stating what is asked (``no_figure``), the first of the next
ones that has one is the answer, moved to the top and shown (retrieval ranks by likeness; the clause-level check
says which passage answers: "重庆工业投资增长多少" is answered by "基础设施投资、工业投资分别增长3.2%、8.5%" ranked
second, not declined). 30, not 8: an English question's passage often ranks lower (the glossary's words are not
the report's: "beautiful bays" 18th) and a lower one answers only with every defining word in one clause
(bench/RESULTS-trust.md § Stop 37)."""
NAME_DEPTH = 8
"""The same for a question asking for a name or a date: their check finds a titled name or a date in a sentence,
which the deeper passages hold by chance (a question about a novel's author found one 20 passages down)."""
PERIOD_GIVES_WAY = True
"""A first passage whose answering sentence states the other period than the question asks (a target for "was cut
in 2016, according to the 2017 report") gives way to the first lower shown passage supporting the asked thing in
the asked period; none there, it stays the answer."""
LENIENT_GIVES_WAY = True
"""A first passage that passes the check only leniently (:attr:`~.abstain.Decision.supported` false: a paraphrase's
fallback, a value where nothing binds) gives way to the first lower shown passage whose sentence states the asked
thing with every defining word (within :data:`SUPPORT_DEPTH`); none there, it stays the answer."""
ITEM_BY_MEANING = True
"""An English question naming a list item the glossary cannot map gets the value of the item its unmapped words are
nearest to in the embedder's space, not the list's first value (:func:`~.item_choice.by_meaning`)."""
__all__ = ["DEFAULT_K", "DEFAULT_MODE", "ITEM_BY_MEANING", "MAX_K", "MODES", "Engine", "Run"]

KEYED_RESCUES = True
"""A first passage declined ``no_figure`` gives way to the first lower one (within :data:`SUPPORT_DEPTH`) that
states the asked quantity without some of the question's own words but with its whole key phrase and every
narrowing word (:attr:`~.abstain.Decision.keyed`: 值得一去的好景点 answered by 打造10个以上精品景区（点）); without
it, only a lower passage holding every word could (a paraphrase's first passage decided)."""

KEYWORD_DEPTH = 3
"""The keyword search's first passages are tried after the first :data:`SUPPORT_DEPTH` by fused score: one of them
stating what is asked in the asked period takes the first one's place as a lower passage does."""

SENTENCE_OVERLAP_WEIGHT = 0.35
SENTENCE_FIGURE_BONUS = 0.05
SENTENCE_PERIOD_WEIGHT = 0.08
"""Added for a sentence stating the asked period and year (target/result), subtracted for the other one."""
SENTENCE_INDICATOR_BONUS = 0.1
"""Added for a sentence naming an indicator the question names (by any synonym) with the asked kind of figure."""


@dataclass(frozen=True)
class Run:
    """An answer plus what led to it (for evaluation, abstention fitting and debugging)."""

    answer: Answer
    features: dict[str, float]
    retrieval: Retrieval | None = None
    candidate_sentence: str | None = None
    """The answer sentence that was chosen even if the engine then abstained."""
    extra: dict[str, Any] = field(default_factory=dict)


def _over_years(sentence: str | None, passage: str, lead: str | None = None) -> tuple[bool, bool]:
    """Whether the sentence states a figure over several years, itself or by its passage's lead ("五年来，…。" heads
    a paragraph of five-year results), or by the lead line standing alone before the passage ("这是…的五年。"): as
    read for a question over several years, and strictly, for one year asked — there a passage's first sentence
    counts only as a short lead line (:data:`~reportqa.qa.retrieval.LEAD_CHARS`; "一九五九年是…第二个五年计划的第二
    年…" names a plan, it heads no five-year results)."""
    own = over_years(sentence or "") or over_years(lead or "")
    first = passage.split("。", 1)[0]
    by_first = over_years(first)
    return own or by_first, own or (by_first and len(first) <= LEAD_CHARS)


def _no_keyword(language: str) -> str:
    if language == "en":
        return "None of the question's words occurs in these reports (keyword search)."
    return "这些报告中没有出现问题里的词（关键词检索）。"


class Engine:
    """Answers questions from one index. Create with :meth:`open`; :meth:`ask` is thread-safe."""

    MODES = MODES

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        params: RetrievalParams | None = None,
        calibration: TopicCalibration | None = None,
        reranker: Any = None,
        store: StoreSpec | None = None,
    ) -> None:
        if embedder.id != index.embedder_id:
            raise ValueError(f"embedder {embedder.id} does not match index embedder {index.embedder_id}")
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, params)
        self._calibration = CalibrationCache(index, embedder, calibration)
        """What off-topic questions score on this index (:mod:`.answerable`), computed on first use."""
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
        """Load and verify the index at ``index_dir`` (:func:`~reportqa.index.storage.opener.open_index`: with a Milvus
        ``store``, its vectors are searched there) and the embedder that built it."""
        index = open_index(index_dir, store=store, check_sources=check_sources)
        rr = None
        if reranker:
            from .rerank import load_reranker

            rr = load_reranker(reranker)
        return cls(index, load_embedder(index.embedder_id), reranker=rr, store=store)

    def reopen(self, index_dir: Path) -> Engine:
        """An engine over the build now at ``index_dir`` (after a rebuild) with everything else of this one:
        its store, reranker, retrieval parameters, and its embedder when the new index was built by the same one
        (the topic calibration belongs to one build, so the new one is calibrated on first use). Sources are not
        re-checked: a just-built index is served even if a source was edited again since, which is never worse
        than keeping the older index."""
        index = open_index(index_dir, store=self.store, check_sources=False)
        embedder = self.embedder if index.embedder_id == self.embedder.id else load_embedder(index.embedder_id)
        return Engine(index, embedder, params=self.params, reranker=self.reranker, store=self.store)

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
        docs = library_documents(self.index)
        query = self._understand(question, filters, docs)
        if mode not in MODES:
            raise UsageError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        answer = answer_query(query, docs, self.index.figures, EngineSearcher(self), k, mode)
        return replace(answer, language=query.language, marked=query.marked)

    def understand(self, question: str, filters: Filters | None = None) -> Query:
        """``question`` read once (:func:`~reportqa.qa.query.understand`) with this library's places."""
        return self._understand(question, filters, library_documents(self.index))

    @staticmethod
    def _understand(question: str, filters: Filters | None, docs: Sequence[Document]) -> Query:
        """The one reading of ``question``, with the places of ``docs`` (the library's reports) as scopes."""
        return understand(question, filters, places=library_places(d.region for d in docs))

    def run(
        self, query: Query | str, k: int = DEFAULT_K, mode: str = DEFAULT_MODE, documents: DocFilter | None = None,
        qvec: np.ndarray | None = None, searched: Searched | None = None,
    ) -> Run:  # fmt: skip
        """One retrieval and answer (the leaf of an ``ask``: it never calls back up), over every document or
        only over ``documents`` (Document ids). ``query``: the question as understood (a string is read with
        :func:`~reportqa.qa.query.understand` first: a test's or a script's one search). ``searched``: the
        terms searched (``query.searched`` when not given; ``query.narrowed`` within the named reports).
        ``qvec``: their query vector when the caller has it already (:class:`~reportqa.qa.search.
        EngineSearcher` embeds it once per ask); otherwise it is embedded here."""
        if mode not in MODES:
            raise UsageError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        notice = None
        if isinstance(query, str):
            query = understand(query)
            notice = query.notice
        q = query
        s = searched if searched is not None else q.searched
        text = s.text
        k = max(1, min(int(k), MAX_K))
        chunks = self.index.chunks
        if not chunks:
            return Run(Answer(text, True, (), notice=notice, reason="no_passage", confidence=0.0,
                              language=q.language), {})  # fmt: skip
        if mode == "keyword":
            qvec = None
        elif qvec is None:
            qvec = self.vector(s)
        r = self.retriever.search(q, qvec, mode, documents, s)
        if not len(r.order):  # the filter selects no passage
            return Run(Answer(text, True, (), notice=notice, reason="no_passage", confidence=0.0,
                              language=q.language), {}, r)  # fmt: skip
        # positions into the candidates (r.order[i] is the chunk id)
        order = list(range(len(r.order)))
        scores = r.fused
        if self.reranker is not None:
            order, scores = self.reranker.rerank(text, order, scores, [chunks[int(c)] for c in r.order])
        # a figure read at build time that is exactly what is asked (one indicator, period, year, report): its
        # paragraph is the answer when retrieval found it among the candidates
        stored = stored_figure(q, self.index.figures, documents, self.index.documents, chunks)
        if stored is not None:
            at = np.flatnonzero(np.asarray(r.order) == stored.chunk)
            if len(at):
                order = [int(at[0])] + [o for o in order if o != int(at[0])]
            else:
                stored = None
        q_tokens = list(s.tokens)
        # an English question picks its answer sentence with the glossary's Chinese words too
        s_tokens = q_tokens + list(s.glossary) if r.latin and self.params.latin_glossary else q_tokens
        idf = idf_weights(q_tokens, self._df(q_tokens), self._n_docs)
        s_idf = idf if s_tokens is q_tokens else idf_weights(s_tokens, self._df(s_tokens), self._n_docs)
        ev = topic_evidence(self.index, qvec, list(s.topic))
        topic = judge_topic(q, ev, self._calibration.get(), dense_available=qvec is not None)
        df = WordCounts(self.index, self.retriever.chunk_ranges(documents))
        # the first shown passage with a sentence stating what is asked answers (see SUPPORT_DEPTH)
        depth = NAME_DEPTH if q.asked.kind in ("who", "date") else SUPPORT_DEPTH
        tried = order[:1] if stored is not None else order[:depth]
        if stored is None and KEYWORD_DEPTH:
            # the keyword search's best passages too, wherever fusion put them (an English question's dense score
            # can sink the passage its glossary words find first: 全国重点实验室 — keyword 1st, fused 51st)
            best = [int(i) for i in np.argsort(-r.lexical, kind="stable")[:KEYWORD_DEPTH] if r.lexical[i] > 0]
            tried = [*tried, *(i for i in best if i not in tried)]
        # a sentence must state what is asked: a figure, a name, a date, or how a thing stands (a value in words)
        checked = q.asks_figure or q.asked.kind in ("who", "date") or q.asked.standing
        first: tuple[int, str | None, float, Decision] | None = None
        other_period: tuple[int, str | None, float, Decision] | None = None
        other_span: tuple[int, str | None, float, Decision] | None = None
        keyed: tuple[int, str | None, float, Decision] | None = None
        for top in tried:
            sentence, sent_score = self._choose_sentence(s, top, r, s_tokens, s_idf, q, stored)
            passage = chunks[int(r.order[top])].text
            d = decide(q, topic, sentence, passage, s_idf, 0.0, df=df)
            # several years asked (今后五年): a passage stating one year's figure does not answer; a target asked,
            # a sentence stating a result does not either (nor the other way round)
            said = d.verdict.sentence or sentence
            over, strictly_over = _over_years(said, passage, self.retriever.lead_of(int(r.order[top])))
            # one year asked (2025年改造燃气管网多少公里), a figure over five years does not answer it either
            spans_ok = q.span <= over and not (not q.span and q.asked_year is not None and strictly_over)
            period_ok = spans_ok and self._period_ok(q, r, top, said)
            if first is None:
                first = (top, sentence, sent_score, d)
                if not d.verdict.passed and d.verdict.reason != "no_figure":
                    break  # off topic: no passage answers
                if d.verdict.passed and period_ok and (d.supported or not (LENIENT_GIVES_WAY and checked)):
                    break
            elif d.supported and period_ok:
                break
            elif d.supported and spans_ok and other_period is None:
                other_period = (top, sentence, sent_score, d)
            elif d.supported and other_span is None:
                other_span = (top, sentence, sent_score, d)
            elif d.keyed and period_ok and keyed is None:
                keyed = (top, sentence, sent_score, d)
        else:
            assert first is not None  # order is never empty here
            # nothing lower states it in the asked period: the first stays, unless it was declined or passed only
            # leniently and a lower one states the asked thing itself (in the other period); a lenient first gives
            # way even to one stating it over another span of years — its words are the report's, so a sentence
            # without them (人均GDP for 出口) is no answer; a declined first stays declined
            if other_period is None and first[3].verdict.passed:
                other_period = other_span
            if other_period is None and not first[3].verdict.passed and KEYED_RESCUES:
                other_period = keyed  # a declined first gives way to a lower passage stating the asked phrase
            top, sentence, sent_score, d = first if other_period is None or first[3].supported else other_period
        order = [top] + [o for o in order if o != top]
        hits = tuple(
            Hit(rank=rank + 1, score=float(scores[pos]), chunk=chunks[int(r.order[pos])])
            for rank, pos in enumerate(order[:k])
        )
        features = self._features(s, top, r, q_tokens, idf, mode, sentence or "")
        d = replace(d, confidence=confidence(d.verdict, d.topic, features["sentence_coverage"]))
        verdict = d.verdict
        if verdict.passed and verdict.sentence:  # the sentence stating what is asked is the one shown
            sentence = verdict.sentence
        features.update({f"topic_{k}": float(v) for k, v in d.topic.evidence.items()})
        if mode == "keyword" and r.lexical.max(initial=0) <= 0 and verdict.passed:
            verdict = replace(d.topic, passed=False, reason="topic", message=_no_keyword(q.language))
        abstained = not verdict.passed
        shown = not abstained or verdict.reason == "no_figure"
        found = None
        if sentence and not abstained:
            fig = stored.figure if stored is not None else None
            found = (located_value(sentence, fig.value, fig.quote) if fig is not None else None) or locate_asked(
                q.asked, q.keywords, sentence
            )
            if fig is None and ITEM_BY_MEANING:  # a list item the glossary cannot name: the nearest one's value
                found = by_meaning(q.asked, sentence, found, lambda texts: self.embedder.embed(list(texts), "query"))
        mark = found.figure if found else None
        answer = Answer(
            text, abstained, hits,
            sentence if shown else None, 1 if shown and sentence is not None else None,
            mark, notice, confidence=d.confidence if not abstained or verdict.reason != "topic" else
            min(d.confidence, 0.2), reason=verdict.reason, message=verdict.message,
            clause=None if found is None else found.clause, language=q.language,
        )  # fmt: skip
        return Run(answer, features, r, sentence, {"sentence_score": sent_score, "check": verdict.check})

    def _period_ok(self, q: Query, r: Retrieval, pos: int, sentence: str | None) -> bool:
        """``sentence`` (of candidate ``pos``) does not state the other period or year than the question asks
        (:func:`~reportqa.index.text.periods.period_agrees` not negative); True when the question asks either period
        of no year, or when the sentence is not one of the chunk's (:data:`PERIOD_GIVES_WAY` off: always)."""
        year = q.asked_year
        if not PERIOD_GIVES_WAY or (q.period == "either" and year is None) or not sentence or not q.asks_figure:
            return True
        chunk_id = int(r.order[pos])
        chunk = self.index.chunks[chunk_id]
        for st in self.retriever.statements(chunk_id):
            s = self.index.sentences[st.sentence]
            if chunk.text[s.start : s.end].strip() == sentence.strip():
                return period_agrees(q.period, year, st.period, st.report_year) >= 0
        return True

    def _df(self, tokens: list[str]) -> dict[str, int]:
        """How many chunks hold each of ``tokens`` (from the keyword index)."""
        lex = self.index.lexical
        return {t: lex.df(t) for t in tokens} if lex is not None else {}

    def _choose_sentence(
        self, searched: Searched, pos: int, r: Retrieval, q_tokens: list[str], idf: dict[str, float],
        query: Query | None = None, stored: StoredFigure | None = None,
    ) -> tuple[str | None, float]:  # fmt: skip
        chunk_id = int(r.order[pos])
        chunk = self.index.chunks[chunk_id]
        ids = self.retriever.chunk_sentences(chunk_id)
        if not ids:
            return chunk.text, 0.0
        if stored is not None and stored.chunk == chunk_id:  # the sentence stating the stored figure
            for sid in ids:
                s = self.index.sentences[sid]
                if s.start <= stored.start < s.end:
                    return chunk.text[s.start : s.end], r.sentence_score(sid)
        want = searched.asked.kind != "other"
        # what each sentence states (target/result, year, indicators), when the question asks for a figure
        states = self.retriever.statements(chunk_id) if query is not None and query.asks_figure else ()
        year = query.asked_year if query is not None else None
        wanted = set(query.indicators) if query is not None else set()
        best: tuple[float, str] | None = None
        for i, sid in enumerate(ids):
            s = self.index.sentences[sid]
            sent = chunk.text[s.start : s.end]
            score = r.sentence_score(sid)
            score += SENTENCE_OVERLAP_WEIGHT * token_overlap(q_tokens, sent, idf)
            if want and holds_asked(searched.asked, sent):
                score += SENTENCE_FIGURE_BONUS
            if states and query is not None:
                st = states[i]
                if wanted and wanted & st.indicators and (not want or holds_asked(searched.asked, sent)):
                    score += SENTENCE_INDICATOR_BONUS
                if not wanted or wanted & st.indicators:
                    score += SENTENCE_PERIOD_WEIGHT * period_agrees(query.period, year, st.period, st.report_year)
            if best is None or score > best[0]:
                best = (score, sent)
        assert best is not None
        return best[1], best[0]

    def _features(
        self,
        searched: Searched,
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
        if searched.asked.kind != "other" and not holds_asked(searched.asked, normalize(chunk.text)):
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

    def vector(self, searched: Searched) -> np.ndarray:
        """The query vector of the ``searched`` terms (:meth:`Searched.dense_text`)."""
        return self.embedder.embed([searched.dense_text(self.params.latin_dense_glossary)], "query")[0]

    def query_vector(self, text: str) -> np.ndarray:
        """The query vector of ``text`` (a script's searched text; an ``ask`` embeds its ``Query``'s terms)."""
        return self.vector(understand(text).searched)
