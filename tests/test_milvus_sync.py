"""A built index put into Milvus (Lite, a temp path): the same top passages as FAISS, incremental sync that
touches only changed reports, keyword/hybrid search inside Milvus, and refusals that name the fix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from reportqa.index import store
from reportqa.index.build import build_index
from reportqa.index.errors import IndexMismatchError

from .conftest import ROOT, FakeEmbedder, run_cli

pytestmark = [pytest.mark.milvus]
pytest.importorskip("milvus_lite")

OTHER = "一、总体要求\n\n今年将新建学校 12 所，改善办学条件。\n\n继续推进医疗卫生体制改革，新增床位 800 张。\n"


def _questions() -> list[str]:
    rows = (ROOT / "bench" / "eval" / "tibet-2024.dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(r)["question"] for r in rows if r.strip()]


def _same_ranking(got: np.ndarray, want: np.ndarray, cos: np.ndarray, q: str) -> None:
    """Same ids at every rank, except where two passages tie (equal cosine to float rounding)."""
    assert len(got) == len(want), q
    for rank, (a, b) in enumerate(zip(got, want, strict=True)):
        assert a == b or abs(float(cos[a]) - float(cos[b])) < 1e-5, f"{q}: rank {rank + 1}: {a} ≠ {b}"


@pytest.fixture
def built(seed_dir: Path, tmp_path: Path) -> tuple[Path, Path, FakeEmbedder]:
    (seed_dir / "other.txt").write_text(OTHER, encoding="utf-8")
    fake = FakeEmbedder()
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=fake)
    return seed_dir, idx, fake


def test_milvus_gives_faiss_top_passages_on_the_seed(built: tuple[Path, Path, FakeEmbedder], tmp_path: Path) -> None:
    from reportqa.index.milvus_store import parse_store_spec
    from reportqa.index.milvus_sync import open_stores, sync_index

    _, idx, fake = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    index = store.load_index(idx)
    report = sync_index(index, idx, spec)
    assert (report.added, report.kept, report.removed) == (2, 0, 0)
    assert report.rows_added == len(index.chunks) + len(index.sentences)
    chunks, sentences = open_stores(index, idx, spec)
    assert len(chunks) == len(index.chunks) and len(sentences) == len(index.sentences)
    questions = _questions()
    assert len(questions) >= 10
    seed_doc = frozenset({[s["name"] for s in index.manifest["sources"]].index(
        "tibet-2024-government-work-report.txt")})  # fmt: skip
    for q in questions:
        qv = fake.embed_one(q, "query")
        got = chunks.search(qv, 10).ids
        cos = index.vectors @ qv
        # the seed's FAISS index is exact (flat): its ranking is the brute-force one
        _same_ranking(got, np.argsort(-cos, kind="stable")[:10], cos, q)
        faiss_store = getattr(index, "chunk_store", None)  # the FAISS store of the candidate-search work
        if faiss_store is not None:
            _same_ranking(got, faiss_store.search(qv, 10).ids, cos, q)
        # sentences repeat (a one-sentence chunk's sentence, a recurring phrase): equal vectors tie, so the
        # ranking is compared by the exact scores of the rows returned
        got = sentences.search(qv, 10).ids
        exact = np.sort(index.sentence_vectors @ qv)[::-1][:10]
        np.testing.assert_allclose(index.sentence_vectors[got] @ qv, exact, atol=1e-5, err_msg=q)
        in_seed = [int(i) for i in chunks.search(qv, 10, seed_doc).ids]
        assert all(index.chunks[i].citation.document.startswith("tibet") for i in in_seed)


def test_incremental_sync_touches_only_the_changed_report(
    built: tuple[Path, Path, FakeEmbedder], tmp_path: Path
) -> None:
    from reportqa.index.milvus_store import parse_store_spec
    from reportqa.index.milvus_sync import open_stores, sync_index

    docs, idx, fake = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    first = store.load_index(idx)
    sync_index(first, idx, spec)
    other_rows = sum(1 for c in first.chunks if c.citation.document == "other.txt")
    other_rows += sum(1 for s in first.sentences if first.chunks[s.chunk].citation.document == "other.txt")
    # a new report sorted before the others shifts every id; a changed one replaces its rows
    (docs / "other.txt").write_text(OTHER + "\n二、附则\n\n本报告自发布之日起施行。\n", encoding="utf-8")
    (docs / "aaa-new.txt").write_text("一、工作回顾\n\n全年新增城镇就业 6 万人。\n", encoding="utf-8")
    build_index([docs], idx, embedder=fake)
    second = store.load_index(idx)
    assert second.chunks[0].citation.document == "aaa-new.txt"  # ids moved
    report = sync_index(second, idx, spec)
    assert (report.kept, report.added, report.removed) == (1, 2, 1)
    assert report.rows_removed == other_rows
    chunks, sentences = open_stores(second, idx, spec)
    assert len(chunks) == len(second.chunks) and len(sentences) == len(second.sentences)
    for i in range(0, len(second.chunks), 7):  # every stored vector finds its own, current id
        assert int(chunks.search(second.vectors[i], 1).ids[0]) == i
    for i in range(0, len(second.sentences), 23):
        hit = int(sentences.search(second.sentence_vectors[i], 1).ids[0])
        np.testing.assert_allclose(second.sentence_vectors[hit], second.sentence_vectors[i])
    again = sync_index(second, idx, spec)
    assert (again.kept, again.added, again.removed, again.rows_added) == (3, 0, 0, 0)


def test_keyword_and_hybrid_search_run_inside_milvus(built: tuple[Path, Path, FakeEmbedder], tmp_path: Path) -> None:
    from reportqa.index.milvus_store import parse_store_spec
    from reportqa.index.milvus_sync import open_stores, sync_index

    _, idx, _ = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    index = store.load_index(idx)
    sync_index(index, idx, spec)
    chunks, sentences = open_stores(index, idx, spec)
    longest = sorted(range(len(index.chunks)), key=lambda i: -len(index.chunks[i].text))[:5]
    for i in longest:  # a passage's own text ranks it first by BM25 and by the fused ranking
        text = index.chunks[i].text
        assert int(chunks.keyword_search(text, 3).ids[0]) == i
        fused = chunks.hybrid_search(index.vectors[i], text, 5, rrf_k=60)
        assert int(fused.ids[0]) == i
        assert fused.scores[0] == pytest.approx(2 / (60 + 1), rel=1e-3)  # rank 1 on both sides, RRF k = 60
    with pytest.raises(ValueError, match="no keyword field"):
        sentences.keyword_search("任何", 3)


def test_query_side_refuses_a_store_behind_the_index(built: tuple[Path, Path, FakeEmbedder], tmp_path: Path) -> None:
    from reportqa.index.milvus_store import parse_store_spec
    from reportqa.index.milvus_sync import open_stores, sync_index

    docs, idx, fake = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    no_record = r"no Milvus store record.*reportqa build --index-dir .* --store milvus:"
    with pytest.raises(IndexMismatchError, match=no_record):
        open_stores(store.load_index(idx), idx, spec)
    sync_index(store.load_index(idx), idx, spec)
    (docs / "other.txt").write_text(OTHER + "\n新增一段。\n", encoding="utf-8")
    build_index([docs], idx, embedder=fake)
    with pytest.raises(IndexMismatchError, match=r"holds build .* run `reportqa build .*--store milvus:.*` to bring"):
        open_stores(store.load_index(idx), idx, spec)
    other = FakeEmbedder(name="other")
    build_index([docs], idx, embedder=other)
    with pytest.raises(IndexMismatchError, match=r"embedder=fake:fake:256.*--force"):
        sync_index(store.load_index(idx), idx, spec)
    assert sync_index(store.load_index(idx), idx, spec, force=True).added == 2


@pytest.mark.slow
def test_cli_build_with_store_milvus_lite(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "lib.db"
    proc = run_cli("build", str(docs), "--index-dir", str(tmp_path / "idx"), "--quiet", "--store", f"milvus:{db}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "1 added" in proc.stdout and db.is_dir()
    again = run_cli("build", str(docs), "--index-dir", str(tmp_path / "idx"), "--quiet",
                    env={"REPORTQA_STORE": f"milvus:{db}"})  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    assert "1 reports kept, 0 added" in again.stdout
    bad = run_cli("build", str(docs), "--index-dir", str(tmp_path / "idx"), "--store", "milvus:./x")
    assert bad.returncode == 2 and "must end in .db" in bad.stderr
