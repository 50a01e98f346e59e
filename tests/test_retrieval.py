"""Tokenisation, hybrid fusion and modes, period inference, multi-document citing, stored index files,
the reranker hook (fake embedder: fast)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reportqa.index.errors import IndexMismatchError, UsageError
from reportqa.index.pipeline import build
from reportqa.index.pipeline.build import build_index, derive_chunk_vectors
from reportqa.index.reading.sections import PLAN, REVIEW, paragraph_periods, report_year
from reportqa.index.reading.sentences import Sentence
from reportqa.index.records import Paragraph
from reportqa.index.storage import store
from reportqa.index.text.tokens import is_latin_query, normalize, tokenize
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.qa.retrieval import MODES, query_period

from .conftest import FakeEmbedder

# ---------------------------------------------------------------------------------------------- tokeniser


def test_number_unit_is_one_token_whatever_the_spacing_and_width() -> None:
    for text in ("超 2300 亿元", "超2300亿元", "超２３００亿元", "超 2300亿元"):
        toks = tokenize(text)
        assert "2300亿元" in toks and "2300" in toks, (text, toks)
    assert "9%" in tokenize("增长 9%左右") and "9%" in tokenize("增长９％")
    assert "108万吨" in tokenize("产量达 108 万吨") and "2.19万套" in tokenize("2.19 万套（户）")
    assert normalize("２３００ 亿元") == "2300亿元"


def test_years_in_every_spelling_give_one_token() -> None:
    for text in ("2023年", "2023 年", "２０２３年", "in 2023"):
        assert "2023" in tokenize(text), text
    assert "2023年" not in tokenize("2023 年工作回顾")


def test_english_tokens_codes_and_stopwords() -> None:
    toks = tokenize("How many border trade points were approved to reopen?", question=True)
    assert toks == ["border", "trade", "point", "approved", "reopen"]
    assert "g318" in tokenize("G318 提质改造") and "5g" in tokenize("5G基站")
    assert is_latin_query("What is the GDP target for 2024?") and not is_latin_query("2024年GDP目标是多少？")


def test_question_words_and_punctuation_are_dropped() -> None:
    toks = tokenize("2023年新增多少家国家农民合作社示范社？", question=True)
    assert "多少" not in toks and "？" not in toks and "合作社" in toks
    assert "多少" in tokenize("多少") or tokenize("多少") == []  # only questions drop question words


def test_questions_leave_relative_years_to_the_period_adjustment() -> None:
    toks = tokenize("孩子上学今年有什么新举措？去年呢？", question=True)
    assert {"孩子", "上学", "举措"} <= set(toks)
    assert not {"今年", "去年", "有", "新"} & set(toks)
    # passages keep them: "今年" in a passage is still a keyword a lexical question can match
    assert {"今年", "去年"} <= set(tokenize("今年要做的事，去年做成的事"))


# ---------------------------------------------------------------------------------------------- periods

DATED = """政府工作报告

——2031 年 1 月 9日在某省第十届人民代表大会第三次会议上

各位代表：

一、过去一年工作回顾

过去一年，全省新建水库 12 座，粮食产量达 300 万吨。

二、2031 年工作安排

今年全省计划新建水库 20 座，粮食产量稳定在 300 万吨以上。
"""

UNDATED = """关于环境治理的说明

一、基本情况

全市新建污水处理厂 3 座。

二、下一步打算

继续推进污水处理设施建设。
"""


def _paras(name: str, text: str) -> list[Paragraph]:
    from reportqa.index.reading.paragraphs import reconstruct
    from reportqa.index.records import SourceText

    return reconstruct(SourceText(name, name, text, "0" * 64, "utf-8", "txt"))


def _p(n: int, text: str, section: tuple[str, ...] = (), heading: bool = False) -> Paragraph:
    return Paragraph("x.txt", n, text, heading, len(section) if heading else 0, section, (n, n))


def test_periods_from_years_in_headings_relative_to_the_dateline() -> None:
    review, plan = ("2030 年工作回顾",), ("2031 年工作安排",)
    paras = [
        _p(1, "政府工作报告"),
        _p(2, "——2031 年 1 月 9日在某省人民代表大会上"),
        _p(3, "2030 年工作回顾", review, True),
        _p(4, "新建水库 12 座。", review),
        _p(5, "2031 年工作安排", plan, True),
        _p(6, "新建水库 20 座。", plan),
        _p(7, "（一）水利", (*plan, "（一）水利"), True),
        _p(8, "新建水库 20 座。", (*plan, "（一）水利")),
    ]
    year, periods = paragraph_periods(paras)
    assert year == 2031 and periods == {1: None, 2: None, 3: REVIEW, 4: REVIEW, 5: PLAN, 6: PLAN, 7: PLAN, 8: PLAN}
    # no dateline: the latest year among top-level headings is the report year
    assert report_year(paras[2:]) == 2031
    # a heading with no year and no review/plan word: no period
    assert paragraph_periods([_p(1, "一、基本情况", ("一、基本情况",), True)])[1] == {1: None}


def test_report_year_and_chunk_periods_from_the_section_path() -> None:
    paras = _paras("a.txt", DATED)
    assert report_year(paras) == 2031
    _, periods = paragraph_periods(paras)
    by_text = {p.text: periods[p.n] for p in paras}
    assert by_text["过去一年，全省新建水库 12 座，粮食产量达 300 万吨。"] == REVIEW
    assert by_text["今年全省计划新建水库 20 座，粮食产量稳定在 300 万吨以上。"] == PLAN
    assert by_text["政府工作报告"] is None  # front matter has no period


def test_no_year_signals_means_no_period_adjustment() -> None:
    paras = _paras("b.txt", UNDATED)
    assert report_year(paras) is None
    assert query_period(understand("污水处理厂建了几座？"), None) == 0
    assert query_period(understand("2031年计划新建多少座水库？"), 2031) == 1
    assert query_period(understand("2030年新建多少座水库？"), 2031) == -1
    assert query_period(understand("去年新建多少座水库？"), None) == -1
    assert query_period(understand("How many reservoirs will be built this year?"), 2031) == 1
    assert query_period(understand("1999年的情况？"), 2031) == 0


def test_period_adjustment_picks_the_year_asked_for(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "prov.txt").write_text(DATED, encoding="utf-8")
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    engine = Engine(store.load_index(idx), fake)
    assert "过去一年" in engine.ask("去年新建水库多少座？").hits[0].text
    assert "今年" in engine.ask("今年计划新建水库多少座？").hits[0].text
    assert "过去一年" in engine.ask("2030年新建水库多少座？").hits[0].text
    assert "今年" in engine.ask("2031年新建水库多少座？").hits[0].text


# ---------------------------------------------------------------------------------------------- modes


@pytest.fixture
def seed_engine(seed_dir: Path, tmp_path: Path) -> Engine:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def test_modes_are_offered_and_checked(seed_engine: Engine) -> None:
    assert MODES == ("hybrid", "semantic", "keyword") and Engine.MODES == MODES
    with pytest.raises(UsageError, match="mode"):
        seed_engine.ask("问题", mode="fuzzy")


def test_keyword_mode_ranks_by_bm25_and_semantic_by_vectors(seed_engine: Engine) -> None:
    q = "2023年新增多少家国家农民合作社示范社？"
    for mode in MODES:
        a = seed_engine.ask(q, k=3, mode=mode)
        assert "农民合作社示范社" in a.hits[0].text, mode
    r = seed_engine.retriever.search(understand(q), None, "keyword")
    assert int(np.argmax(r.lexical)) == 0 and r.lexical[0] > 0  # candidates are in rank order
    qvec = seed_engine.embedder.embed([q], "query")[0]
    r = seed_engine.retriever.search(understand(q), qvec, "semantic")
    assert int(np.argmax(r.dense)) == 0
    # the top passage by dense score over every stored vector (a brute-force scan) is the semantic top
    v, sv = seed_engine.index.vectors, seed_engine.index.sentence_vectors
    chunk_cos = v @ qvec
    sent_best = np.full(len(v), -np.inf)
    for s in seed_engine.index.sentences:
        sent_best[s.chunk] = max(sent_best[s.chunk], float(sv[s.id] @ qvec))
    a = seed_engine.params.sentence_weight
    dense = np.where(np.isfinite(sent_best), a * sent_best + (1 - a) * chunk_cos, chunk_cos)
    assert int(r.order[0]) == int(np.argmax(dense))
    # keyword mode with no known word: nothing to go on → abstain
    assert seed_engine.ask("zzzz qqqq", mode="keyword").abstained


def test_hybrid_fuses_both_rankings(seed_engine: Engine) -> None:
    q = "2300亿元"
    r = seed_engine.retriever.search(understand(q), seed_engine.embedder.embed([q], "query")[0], "hybrid")
    top = seed_engine.index.chunks[int(r.order[0])]
    assert "2300 亿元" in top.text  # the spaced form in the text matches the unspaced question
    assert r.lexical.max() > 0 and r.fused[0] >= r.fused[1]


def test_english_question_searches_only_glossary_chinese_keywords(seed_engine: Engine) -> None:
    from dataclasses import replace

    from reportqa.qa.glossary import chinese_keywords
    from reportqa.qa.retrieval import Retriever

    q = "How many border trade points were approved to reopen in 2023?"
    qvec = seed_engine.embedder.embed([q], "query")[0]
    plain_params = replace(seed_engine.params, latin_glossary=False)
    plain = Retriever(seed_engine.index, plain_params).search(understand(q), qvec, "hybrid")
    assert plain.latin and float(plain.lexical.max()) == 0.0  # its own words cannot occur in the Chinese text
    assert not any("\u4e00" <= ch <= "\u9fff" for t in plain.tokens for ch in t)
    r = seed_engine.retriever.search(understand(q), qvec, "hybrid")  # the default: the glossary's words for its terms
    assert chinese_keywords(q) == ["边贸"] and "边贸" in r.tokens
    assert "边贸" in seed_engine.index.chunks[int(r.order[np.argmax(r.lexical)])].text
    q = "What is the G318 upgrade?"
    r = seed_engine.retriever.search(understand(q), seed_engine.embedder.embed([q], "query")[0], "hybrid")
    top_lexical = seed_engine.index.chunks[int(r.order[np.argmax(r.lexical)])]
    assert r.tokens == ["g318", "upgrade"] and "G318" in top_lexical.text


def test_glossary_prefers_longest_phrases_on_word_boundaries() -> None:
    from reportqa.index.text.indicators import builtin
    from reportqa.qa.glossary import chinese_keywords

    got = chinese_keywords("Rural residents' per capita disposable income")
    # "per capita disposable income" is an indicator's English name: its Chinese names, not "per capita" + …
    income = builtin().get("income_growth")
    assert got[:3] == ["农村", "乡村", "居民"] and got[3:] and all(w in income.zh for w in got[3:])
    assert "人均" not in got
    assert chinese_keywords("high-standard farmland, not farmland twice") == ["高标准农田", "农田"]
    assert chinese_keywords("GDPR, lawful, taxes") == ["税"]  # no match inside other words
    assert chinese_keywords("the GDPs") == chinese_keywords("the GDP")  # a plural is its singular's
    assert chinese_keywords("2300亿元是多少") == []


def test_answer_sentence_comes_from_the_top_passage(seed_engine: Engine) -> None:
    run = seed_engine.run("2023年新增多少家国家农民合作社示范社？")
    sent = run.candidate_sentence
    assert sent is not None and sent in run.answer.hits[0].text and "合作社" in sent


# ---------------------------------------------------------------------------------------------- multi-document

QINGHAI = """青海省政府工作报告

——2031 年 1 月 20日在青海省第十四届人民代表大会第三次会议上

各位代表：

一、过去一年工作回顾

青海全省地区生产总值增长 5.3%，盐湖化工产能达到 900 万吨。三江源国家公园生态管护员达到 1.7 万名。

二、2031 年工作安排

青海今年地区生产总值预期增长 5%左右。加快建设世界级盐湖产业基地，打造国际生态旅游目的地。
"""


def test_several_reports_each_question_cites_its_own(seed_dir: Path, tmp_path: Path) -> None:
    (seed_dir / "qinghai-2031.txt").write_text(QINGHAI, encoding="utf-8")
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    loaded = store.load_index(idx)
    years = {d.name: d.year for d in loaded.documents}
    assert years == {"tibet-2024-government-work-report.txt": 2024, "qinghai-2031.txt": 2031}
    engine = Engine(loaded, fake)
    cases = {
        "青海今年地区生产总值预期增长多少？": "qinghai-2031.txt",
        "盐湖化工产能达到多少？": "qinghai-2031.txt",
        "三江源国家公园生态管护员有多少名？": "qinghai-2031.txt",
        "西藏2024年地区生产总值预期增长多少？": "tibet-2024-government-work-report.txt",
        "2023年新增多少家国家农民合作社示范社？": "tibet-2024-government-work-report.txt",
    }
    for q, doc in cases.items():
        assert engine.ask(q).hits[0].citation.document == doc, q
    # the region name alone singles out its document
    prior = engine.retriever.document_prior(tokenize("青海的情况", question=True))
    assert prior[engine.retriever.documents.index("qinghai-2031.txt")] == 1.0


# ---------------------------------------------------------------------------------------------- stored files


def test_index_stores_sentences_vectors_and_bm25_as_checked_plain_files(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    report = build_index([seed_dir], idx, embedder=fake)
    m = json.loads((idx / "manifest.json").read_text())
    for name in (store.SENTENCES_FILE, store.SENTENCE_VECTORS_FILE, *store.LEXICAL_FILES):
        assert name in m["files"] and (idx / name).exists()
        assert not (idx / name).read_bytes().startswith(b"\x80")  # not a pickle
    loaded = store.load_index(idx)
    assert len(loaded.sentences) == report.sentences == m["counts"]["sentences"] > report.chunks
    assert loaded.sentence_vectors.shape == (len(loaded.sentences), fake.dim)
    for s in loaded.sentences[:50]:
        assert loaded.chunks[s.chunk].text[s.start : s.end].strip()
    assert any(c.extra.get("period") == "review" for c in loaded.chunks)
    assert any(c.extra.get("period") == "plan" for c in loaded.chunks)
    # damage the sentence vectors: refused with the fix
    sv = idx / store.SENTENCE_VECTORS_FILE
    sv.write_bytes(sv.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(IndexMismatchError, match="checksum"):
        store.load_index(idx)


def test_sentence_vectors_are_reused_incrementally(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    first = build_index([seed_dir], idx, embedder=fake)
    assert first.texts_embedded == fake.calls
    before = store.load_index(idx)
    (seed_dir / "other.txt").write_text("二、其他事项\n\n今年将新建学校 12 所。改善办学条件。\n", encoding="utf-8")
    fake.calls = 0
    second = build_index([seed_dir], idx, embedder=fake)
    # one new chunk (whole text) + its two sentences
    assert second.embedded == 1 and fake.calls == second.texts_embedded == 3
    after = store.load_index(idx)
    def by_text(ix: store.LoadedIndex) -> dict[tuple[str, int], np.ndarray]:
        return {(ix.chunks[s.chunk].text, s.start): ix.sentence_vectors[s.id] for s in ix.sentences}

    old, new = by_text(before), by_text(after)
    assert set(old) < set(new)
    for key, vec in old.items():
        np.testing.assert_array_equal(new[key], vec)


def test_derived_chunk_vectors_are_the_weighted_mean_of_sentences() -> None:
    sv = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32)
    sents = [Sentence(0, 0, 0, 3), Sentence(1, 0, 3, 4), Sentence(2, 1, 0, 5)]
    from reportqa.index.records import Chunk, Citation

    cit = Citation("d", "", 1, (1, 1))
    out = derive_chunk_vectors([Chunk(0, "abcd", cit), Chunk(1, "abcde", cit)], sents, sv)
    np.testing.assert_allclose(out[0], np.array([3, 1]) / np.sqrt(10), rtol=1e-6)
    np.testing.assert_allclose(out[1], [1, 0])


def test_derived_mode_builds_a_working_index(seed_dir: Path, tmp_path: Path) -> None:
    fake = FakeEmbedder()
    derived = build.BuildSettings(chunk_vectors="derived")
    report = build_index([seed_dir], tmp_path / "idx", embedder=fake, build=derived)
    assert fake.calls == report.texts_embedded <= report.sentences  # chunks are not embedded separately
    loaded = store.load_index(tmp_path / "idx")
    assert loaded.manifest["retrieval"]["chunk_vectors"] == "derived"
    np.testing.assert_allclose(np.linalg.norm(loaded.vectors, axis=1), 1.0, rtol=1e-5)


# ---------------------------------------------------------------------------------------------- reranker


def test_reranker_reorders_the_head_with_a_cross_encoder(seed_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """No CrossEncoder model ships in a PyPI package, so the class is replaced by a stand-in that prefers
    passages mentioning 边贸; this checks loading is lazy and that the reranker's order is used."""
    import sys
    import types

    from reportqa.qa import rerank

    loaded: list[dict[str, Any]] = []

    class FakeCrossEncoder:
        def __init__(self, name: str, **kw: Any) -> None:
            loaded.append({"name": name, **kw})

        def predict(self, pairs: list[tuple[str, str]], **kw: Any) -> np.ndarray:
            return np.array([1.0 if "边贸" in p else 0.0 for _, p in pairs])

    fake_st = types.ModuleType("sentence_transformers")
    fake_st.CrossEncoder = FakeCrossEncoder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake_st)
    rr = rerank.load_reranker("st:fake/cross-encoder")
    assert loaded == []  # lazy
    engine = Engine(seed_engine.index, seed_engine.embedder, reranker=rr)
    a = engine.ask("2023年新增多少家国家农民合作社示范社？")
    assert loaded and loaded[0]["name"] == "fake/cross-encoder" and loaded[0]["local_files_only"] is True
    assert "边贸" in a.hits[0].text
    with pytest.raises(UsageError, match="st:MODEL"):
        rerank.load_reranker("bert")


# ---------------------------------------------------------------------------------------------- candidate search


def _scan_order(engine: Engine, q: str, qvec: np.ndarray, chunk_ids: list[int]) -> list[int]:
    """The former full scan (no adjustments): every listed chunk scored, min–max fused, ranked."""
    ix, p = engine.index, engine.params
    v, sv = np.asarray(ix.vectors), np.asarray(ix.sentence_vectors)
    best = {c: -np.inf for c in chunk_ids}
    for s in ix.sentences:
        if s.chunk in best:
            best[s.chunk] = max(best[s.chunk], float(sv[s.id] @ qvec))
    ids = np.array(chunk_ids)
    cos = v[ids] @ qvec
    b = np.array([best[c] for c in chunk_ids])
    dense = np.where(np.isfinite(b), p.sentence_weight * b + (1 - p.sentence_weight) * cos, cos)
    assert ix.lexical is not None
    lexical = ix.lexical.scores(tokenize(q, question=True))[ids]

    def mm(x: np.ndarray) -> np.ndarray:
        return (x - x.min()) / (x.max() - x.min()) if x.max() > x.min() else np.zeros_like(x)

    fused = p.w_dense * mm(dense) + p.w_lexical * mm(lexical) if lexical.max() > 0 else mm(dense)
    return [int(ids[i]) for i in np.lexsort((-dense, -fused))]


def test_candidate_search_agrees_with_a_full_scan_with_and_without_filter(seed_dir: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from reportqa.qa.retrieval import Retriever

    (seed_dir / "qinghai-2031.txt").write_text(QINGHAI, encoding="utf-8")
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    engine = Engine(store.load_index(idx), fake)
    plain = replace(engine.params, period_boost=0.0, doc_boost=0.0, figure_boost=0.0)
    n = len(engine.index.chunks)
    everything = Retriever(engine.index, replace(plain, candidates=n))
    # few candidates, and few evenly spread passages for the normalisation floor: the head still agrees
    narrow = Retriever(engine.index, replace(plain, candidates=8, floor_sample=8))
    names = everything.documents
    qinghai = names.index("qinghai-2031.txt")
    q_ids = [c.id for c in engine.index.chunks if c.citation.document == "qinghai-2031.txt"]
    for q in ("地区生产总值增长多少？", "新建水库", "盐湖化工产能", "农牧民人均可支配收入"):
        qvec = fake.embed([q], "query")[0]
        assert everything.search(understand(q), qvec).order.tolist() == _scan_order(engine, q, qvec, list(range(n)))
        top = narrow.search(understand(q), qvec).order.tolist()
        assert len(top) < n and top[:5] == _scan_order(engine, q, qvec, list(range(n)))[:5]
        got = everything.search(understand(q), qvec, documents=frozenset({qinghai})).order.tolist()
        assert got == _scan_order(engine, q, qvec, q_ids)


def test_document_filter_restricts_hits_even_when_other_documents_score_higher(
    seed_dir: Path, tmp_path: Path
) -> None:
    (seed_dir / "qinghai-2031.txt").write_text(QINGHAI, encoding="utf-8")
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    engine = Engine(store.load_index(idx), fake)
    tibet = engine.retriever.documents.index("tibet-2024-government-work-report.txt")
    qinghai = engine.retriever.documents.index("qinghai-2031.txt")
    q = "盐湖化工产能达到多少？"
    assert engine.ask(q).hits[0].citation.document == "qinghai-2031.txt"
    a = engine.run(q, k=5, documents=frozenset({tibet})).answer
    assert len(a.hits) == 5 and {h.citation.document for h in a.hits} == {"tibet-2024-government-work-report.txt"}
    for mode in MODES:
        got = engine.run("西藏地区生产总值增长", k=10, mode=mode, documents=frozenset({qinghai})).answer
        assert got.hits and {h.citation.document for h in got.hits} == {"qinghai-2031.txt"}, mode
    assert engine.run(q, documents=frozenset()).answer.abstained
