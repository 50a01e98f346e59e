"""A built index put into Milvus (Lite, a temp path): the same top passages as FAISS, incremental sync that
touches only changed reports, keyword/hybrid search inside Milvus, and refusals that name the fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.errors import IndexMismatchError
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store

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
    from reportqa.index.storage.milvus_store import parse_store_spec
    from reportqa.index.storage.milvus_sync import open_stores, sync_index

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
    tibet = index.document("tibet-2024-government-work-report.txt")
    assert tibet is not None
    seed_doc = frozenset({tibet.id})
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
    from reportqa.index.storage.milvus_store import parse_store_spec
    from reportqa.index.storage.milvus_sync import open_stores, sync_index

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
    from reportqa.index.storage.milvus_store import parse_store_spec
    from reportqa.index.storage.milvus_sync import open_stores, sync_index

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
    from reportqa.index.storage.milvus_store import parse_store_spec
    from reportqa.index.storage.milvus_sync import open_stores, sync_index

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


def _same_hits(got: list[tuple[int, float]], want: list[tuple[int, float]], q: str) -> None:
    """Same passage at every rank, except where the two passages' scores tie."""
    assert len(got) == len(want), q
    scores = dict(want) | dict(got)
    for rank, ((a, sa), (b, sb)) in enumerate(zip(got, want, strict=True)):
        assert sa == pytest.approx(sb, abs=1e-4), f"{q}: rank {rank + 1}: score {sa} ≠ {sb}"
        assert a == b or abs(scores[a] - scores[b]) < 1e-4, f"{q}: rank {rank + 1}: {a} ≠ {b}"


def test_engine_asks_through_milvus_like_through_faiss(
    built: tuple[Path, Path, FakeEmbedder], tmp_path: Path
) -> None:
    from reportqa.index.storage.milvus_store import MilvusStore, parse_store_spec
    from reportqa.index.storage.milvus_sync import sync_index, with_store
    from reportqa.qa.engine import Engine

    _, idx, fake = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    index = store.load_index(idx)
    sync_index(index, idx, spec)
    local = Engine(index, fake)
    remote = Engine(with_store(index, idx, spec), fake, store=spec)
    assert isinstance(remote.index.chunk_store, MilvusStore) and isinstance(remote.index.sentence_store, MilvusStore)
    assert not isinstance(local.index.chunk_store, MilvusStore)
    assert with_store(index, idx, parse_store_spec("faiss")) is index
    for q in _questions():
        for mode in ("hybrid", "semantic"):
            a, b = remote.ask(q, k=8, mode=mode), local.ask(q, k=8, mode=mode)
            _same_hits([(h.chunk.id, h.score) for h in a.hits], [(h.chunk.id, h.score) for h in b.hits], q)
            assert a.abstained == b.abstained, q
            if [h.chunk.id for h in a.hits] == [h.chunk.id for h in b.hits]:
                assert a.sentence == b.sentence, q


def test_engine_open_with_a_store_behind_the_index_names_the_fix(
    built: tuple[Path, Path, FakeEmbedder], tmp_path: Path
) -> None:
    from reportqa.index.storage.milvus_store import parse_store_spec
    from reportqa.qa.engine import Engine

    _, idx, _ = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    with pytest.raises(IndexMismatchError, match=r"no Milvus store record.*--store milvus:"):
        Engine.open(idx, store=spec)


def test_live_engine_on_milvus_reloads_after_the_sync_not_before(
    built: tuple[Path, Path, FakeEmbedder], tmp_path: Path
) -> None:
    from reportqa.index.storage.milvus_store import MilvusStore, parse_store_spec
    from reportqa.index.storage.milvus_sync import sync_index, with_store
    from reportqa.qa.engine import Engine
    from reportqa.qa.live import LiveEngine

    docs, idx, fake = built
    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    sync_index(store.load_index(idx), idx, spec)
    first = Engine(with_store(store.load_index(idx), idx, spec), fake, store=spec)
    live = LiveEngine(idx, engine=first, check_every=0.0)
    assert live.store == spec and not live.check_now()  # nothing changed: no reload
    new_report = "一、工作回顾\n\n全年新增城镇就业 6 万人，开通高铁线路 3 条。\n"
    (docs / "aaa-new.txt").write_text(new_report, encoding="utf-8")
    build_index([docs], idx, embedder=fake)
    # the index moved on but Milvus still holds the old build: the reload is refused, the old build served
    assert live.check_now() and live.wait_idle(60)
    assert live.current() is first and live.last_error is not None and "bring Milvus up to date" in live.last_error
    sync_index(store.load_index(idx), idx, spec)
    assert live.check_now() and live.wait_idle(60)  # the sync changed the store's record: reload now
    new = live.current()
    assert new is not first and new.store == spec and isinstance(new.index.chunk_store, MilvusStore)
    assert new.index.build_id == store.load_index(idx).build_id and live.last_error is None
    assert new.ask("开通高铁线路").hits[0].citation.document == "aaa-new.txt"
    assert not live.check_now()


def _passages(stdout: str) -> list[list[tuple[str, float]]]:
    out = []
    for line in stdout.splitlines():
        hits = json.loads(line)["passages"]
        out.append([(json.dumps(h["citation"], sort_keys=True), float(h["score"])) for h in hits])
    return out


@pytest.mark.slow
def test_cli_ask_through_milvus_lite_matches_faiss(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (ROOT / "seeds" / "tibet-2024-government-work-report.txt").read_text(encoding="utf-8")
    (docs / "part.txt").write_text(text[: len(text) // 10], encoding="utf-8")
    (docs / "other.txt").write_text(OTHER, encoding="utf-8")
    db, idx = tmp_path / "lib.db", str(tmp_path / "idx")
    built = run_cli("build", str(docs), "--index-dir", idx, "--quiet", "--store", f"milvus:{db}")
    assert built.returncode == 0, built.stderr[-3000:]
    questions = "\n".join(_questions()[:6]) + "\n"
    args = ("ask", "-", "--index-dir", idx, "--json", "-k", "6")
    via_milvus = run_cli(*args, "--store", f"milvus:{db}", input=questions)
    assert via_milvus.returncode == 0, via_milvus.stderr[-3000:]
    via_env = run_cli(*args, input=questions, env={"REPORTQA_STORE": f"milvus:{db}"})
    assert via_env.returncode == 0, via_env.stderr[-3000:]
    via_faiss = run_cli(*args, input=questions)
    assert via_faiss.returncode == 0, via_faiss.stderr[-3000:]
    got, env_got, want = _passages(via_milvus.stdout), _passages(via_env.stdout), _passages(via_faiss.stdout)
    assert len(got) == len(want) == 6 and env_got == got
    for q, (g, w) in enumerate(zip(got, want, strict=True)):
        assert len(g) == len(w) > 0
        faiss_score = dict(w)
        for rank, ((a, sa), (b, sb)) in enumerate(zip(g, w, strict=True)):
            assert sa == pytest.approx(sb, abs=2e-4), f"question {q}, rank {rank + 1}"
            # another passage only where FAISS gave it the same score (a tie), or where it ties at the cut-off
            tie = abs(faiss_score.get(a, -1.0) - sb) < 2e-4 or abs(sa - w[-1][1]) < 2e-4
            assert a == b or tie, f"question {q}, rank {rank + 1}: {a} ≠ {b}"
    # a second process on the same Lite file: refused with the clear message, exit code 7
    hold = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom reportqa.index.storage.milvus_store import connect, parse_store_spec\n"
         f"connect(parse_store_spec('milvus:{db}'))\nprint('ready', flush=True)\nsys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert hold.stdout is not None and hold.stdout.readline().strip() == "ready"
        locked = run_cli("ask", "预算", "--index-dir", idx, "--store", f"milvus:{db}")
        assert locked.returncode == 7, locked.stderr[-3000:]
        assert "open in another process" in locked.stderr and "--store milvus:http://" in locked.stderr
    finally:
        hold.communicate("", timeout=60)


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
