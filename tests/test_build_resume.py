"""Resumable builds: vectors are cached as they are made, a build killed half-way (SIGKILL) resumes without
embedding the finished texts again and ends with the index a clean build makes; a torn shard is ignored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.embedding import vcache
from reportqa.index.embedding.vcache import VectorCache, cache_dir, text_key
from reportqa.index.pipeline import pausepoint
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store

from .conftest import ROOT, SEED, FakeEmbedder

# A child process builds with the fake embedder and small cache shards, held (index/pipeline/pausepoint.py) after its
# third batch of vectors, when three shards are on disk, so the parent kills it mid-embedding on any machine.
CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from reportqa.index.embedding import vcache
from reportqa.index.pipeline.build import build_index
from tests.conftest import FakeEmbedder

vcache.SHARD_ROWS = 16

build_index([Path(sys.argv[1])], Path(sys.argv[2]), embedder=FakeEmbedder())
"""


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    text = SEED.read_text(encoding="utf-8")
    # a second report with other figures, so there is more to embed than one document
    (docs / "other.txt").write_text(text.replace("2023", "2021").replace("西藏", "青海"), encoding="utf-8")
    return docs


def _same_index(a: Path, b: Path) -> None:
    x, y = store.load_index(a), store.load_index(b)
    assert [c.to_json() for c in x.chunks] == [c.to_json() for c in y.chunks]
    assert x.paragraphs == y.paragraphs
    assert [s.to_json() for s in x.sentences] == [s.to_json() for s in y.sentences]
    np.testing.assert_array_equal(x.vectors, y.vectors)
    np.testing.assert_array_equal(x.sentence_vectors, y.sentence_vectors)
    assert store.read_tokens(x) == store.read_tokens(y)
    for name in ("sources", "counts", "retrieval", "embedder", "chunker"):
        rows_x, rows_y = x.manifest[name], y.manifest[name]
        if name == "sources":
            rows_x = [{k: v for k, v in r.items() if k != "path"} for r in rows_x]
            rows_y = [{k: v for k, v in r.items() if k != "path"} for r in rows_y]
        assert rows_x == rows_y, name


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_build_killed_half_way_resumes_with_only_the_rest(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    idx = tmp_path / "killed" / "index"
    fake = FakeEmbedder()
    where = cache_dir(idx, fake.id)
    hold = tmp_path / "release"
    env = {**os.environ, pausepoint.ENV: f"embedded-batch@3:{hold}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(docs), str(idx)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300  # only ends a hung test
        while not Path(f"{hold}.reached").exists():
            assert proc.poll() is None, proc.communicate()[1].decode(errors="replace")
            assert time.monotonic() < deadline, "the build never reached its third batch"
            time.sleep(0.02)
        assert len(list(where.glob("*.keys"))) >= 3  # held after the third batch: three shards on disk
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not idx.exists()  # nothing was swapped in
    done = len(VectorCache(where, fake.id))
    assert done >= 3 * 16

    resumed = build_index([docs], idx, embedder=fake)
    clean_fake = FakeEmbedder()
    clean = build_index([docs], tmp_path / "clean" / "index", embedder=clean_fake)
    total = clean.texts_embedded
    assert clean_fake.calls == total
    assert 0 < resumed.texts_embedded == fake.calls == total - done  # only the rest, each text once
    assert resumed.reused > 0 and resumed.chunks == clean.chunks
    _same_index(idx, tmp_path / "clean" / "index")
    # and a second build of the same sources into a new index in that folder embeds nothing
    again = FakeEmbedder()
    build_index([docs], tmp_path / "killed" / "copy", embedder=again)
    assert again.calls == 0


def test_force_embeds_everything_again_and_an_edit_embeds_only_new_text(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    first = build_index([docs], idx, embedder=fake)
    fake.calls = 0
    forced = build_index([docs], idx, embedder=fake, force=True)
    assert fake.calls == first.texts_embedded == forced.texts_embedded
    text = (docs / "other.txt").read_text(encoding="utf-8")
    (docs / "other.txt").write_text(text + "\n三、附则\n\n本报告自发布之日起施行。\n", encoding="utf-8")
    fake.calls = 0
    edited = build_index([docs], idx, embedder=fake)
    assert fake.calls == edited.texts_embedded == 1  # the new paragraph is one sentence: one text


def test_torn_or_foreign_shards_are_ignored(tmp_path: Path) -> None:
    d = tmp_path / "cache"
    keys = [text_key(f"text {i}") for i in range(40)]
    vecs = np.random.default_rng(0).standard_normal((40, 8)).astype(np.float32)
    c = VectorCache(d, "emb:a")
    c.add(keys[:20], vecs[:20])
    c.flush()
    c.add(keys[20:], vecs[20:])
    c.flush()
    assert len(VectorCache(d, "emb:a")) == 40
    np.testing.assert_array_equal(VectorCache(d, "emb:a").get_many(keys[::-1]), vecs[::-1])
    second = next(p for p in d.glob("*.npy") if p.with_suffix(".keys").read_text().startswith(keys[20].hex()))
    first = next(p for p in d.glob("*.npy") if p != second)
    # a shard whose vectors were cut short (a kill or power loss while writing)
    with open(second, "r+b") as f:
        f.truncate(second.stat().st_size - 7)
    torn = VectorCache(d, "emb:a")
    assert len(torn) == 20 and torn.ignored and torn.missing(keys) == keys[20:]
    np.testing.assert_array_equal(torn.get_many(keys[:20]), vecs[:20])
    # a keys file cut in the middle of a line
    keys_file = first.with_suffix(".keys")
    keys_file.write_bytes(keys_file.read_bytes()[:-5])
    assert len(VectorCache(d, "emb:a")) == 0
    # another embedder's folder (a slug collision) is never used
    assert len(VectorCache(d, "emb:b")) == 0
    assert vcache.cache_dir(tmp_path / "i", "emb:a") != vcache.cache_dir(tmp_path / "i", "emb:b")
