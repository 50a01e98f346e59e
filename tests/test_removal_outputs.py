"""After a report is removed, no output shows any of its passages: searches in every mode, region/year/
document filters, comparisons, the example questions, the document list and the report view — with the
flat store (rebuilt) and with an approximate one (its graph kept, the removed rows marked dead)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from reportqa.index.errors import ReportQAError
from reportqa.index.pipeline.build import build_index
from reportqa.index.pipeline.library import remove_document
from reportqa.index.storage import store, vectorindex
from reportqa.index.storage.faiss_store import FaissStore
from reportqa.qa.engine import Engine
from reportqa.qa.examples import examples_for
from reportqa.qa.records import Answer
from reportqa.qa.scope import Filters

from tests.conftest import FakeEmbedder

CORPUS = Path(__file__).parent / "data" / "corpus" / "provincial-2026"
KEEP = ["guangdong-2026.txt", "hainan-2026.txt", "hebei-2026.txt"]
GONE = "xizang-2026.txt"


def _documents_in(answer: Answer) -> set[str]:
    docs = {h.chunk.citation.document for h in answer.hits}
    for row in answer.comparison:
        docs |= {h.chunk.citation.document for h in row.hits}
        if row.document:
            docs.add(row.document)
    return docs


def _questions(engine: Engine) -> list[str]:
    """Questions made of the removed report's own passages (they find it first while it is indexed)."""
    doc = engine.index.document(GONE)
    assert doc is not None
    chunks = [engine.index.chunks[i] for i in doc.chunk_ids]
    picked = [c.text[:40] for c in chunks[:: max(1, len(chunks) // 6)] if len(c.text) > 20][:6]
    named = ["西藏2026年地区生产总值预期增长多少？", "比较西藏和河北的经济增长目标", "What is Tibet's GDP target?"]
    return [*picked, *named]


FILTERS = [
    None, Filters(regions=("西藏",)), Filters(regions=("西藏", "河北")), Filters(documents=(GONE,)),
    Filters(years=(2026,)), Filters(documents=(GONE, KEEP[0])),
]  # fmt: skip


def _all_answers(engine: Engine, questions: list[str]) -> list[set[str]]:
    out = []
    for q in questions:
        for mode in Engine.MODES:
            for f in FILTERS:
                try:
                    out.append(_documents_in(engine.ask(q, k=8, mode=mode, filters=f)))
                except ReportQAError:
                    out.append(set())
    return out


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_no_output_shows_a_removed_report(
    kind: str, tmp_path: Path, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "hnsw":
        monkeypatch.setattr(vectorindex, "_choose_kind", lambda n, flat_max, hnsw_max: "hnsw")
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in [*KEEP, GONE]:
        (docs / n).write_bytes((CORPUS / n).read_bytes())
    idx = tmp_path / "idx"
    build_index([docs], idx, fake_embedder)
    before = Engine(store.load_index(idx), fake_embedder)
    questions = _questions(before)
    assert sum(GONE in d for d in _all_answers(before, questions[:3])) > 0  # the check can fail
    assert any(e.document == GONE for e in examples_for(before.index)) or len(examples_for(before.index)) > 0

    gone = remove_document(idx, GONE, fake_embedder)
    assert gone.documents == len(KEEP) and gone.moved_to is not None
    index = store.load_index(idx)
    if kind == "hnsw":  # the graph was kept: the removed rows are dead, not rebuilt away
        assert isinstance(index.chunk_store, FaissStore) and index.chunk_store.dead > 0
        assert index.manifest["faiss"]["dead"] == index.chunk_store.dead
    after = Engine(index, fake_embedder)
    assert [d.name for d in index.documents] == KEEP
    assert index.document_paragraphs(GONE) == [] and index.document(GONE) is None
    assert all(c.citation.document != GONE for c in index.chunks)
    for answer_docs in _all_answers(after, questions):
        assert GONE not in answer_docs
    assert all(e.document != GONE and "西藏" not in e.question for e in examples_for(index))
    # the raw stores: every id they return is a chunk/sentence of a kept report
    q = fake_embedder.embed_one(questions[0], "query")
    for st, n_rows in ((index.chunk_store, len(index.chunks)), (index.sentence_store, len(index.sentences))):
        hits = st.search(q, 10_000)
        assert len(hits.ids) == n_rows and np.all(hits.ids < n_rows) and len(set(hits.ids.tolist())) == n_rows
    owners = {index.chunks[int(i)].citation.document for i in index.chunk_store.search(q, 50).ids}
    assert owners <= set(KEEP)


def test_delete_documents_marks_dead_rows_and_compacts_past_the_share() -> None:
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(400, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    docs = np.repeat(np.arange(8), 50)
    st = FaissStore.build(vecs, docs, flat_max=10)
    assert st.approximate
    graph = st.index
    assert st.delete_documents([3]) == 50
    assert st.index is graph and st.dead == 50 and len(st) == 350 and st.rows == 400
    hits = st.search(vecs[160], 400)  # a vector of the removed document
    assert len(hits.ids) == 350 and not set(range(150, 200)) & set(hits.ids.tolist())
    assert st.search(vecs[160], 5, documents=frozenset({3})).ids.size == 0
    assert st.delete_documents([4, 5]) == 100  # 150 dead of 400 > 25 %: rebuilt from the live rows
    assert st.dead == 0 and st.rows == 250 and st.index is not graph
    assert set(st.search(vecs[0], 250).ids.tolist()) == set(range(150)) | set(range(300, 400))
