"""Late pooling in the build (fast, fake embedders): sentence vectors from the chunk's own pass, cached apart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from reportqa.index.embedding.embedders import LateVectors, Spans
from reportqa.index.embedding.vcache import late_key, text_key
from reportqa.index.pipeline import build
from reportqa.index.reading.chunker import ChunkSettings, embed_text, embed_text_offset
from reportqa.index.storage import store

from tests.conftest import FakeEmbedder


class LateFake(FakeEmbedder):
    """Fake late pooling: a span's vector is the fake vector of its text with a marker, so a test can tell a
    late-pooled vector from an embedded one and check which text and span it was made from."""

    def __init__(self) -> None:
        super().__init__(name="late")
        self.late_calls = 0

    def embed_late(self, texts: Sequence[str], spans: Spans) -> LateVectors | None:
        self.late_calls += len(texts)
        vecs = self.embed(texts, "passage")
        pooled = [self.embed([f"LATE {''.join(t[a:b] for a, b in r)}" for r in sp], "passage") for t, sp in
                  zip(texts, spans, strict=True)]  # fmt: skip
        return vecs, pooled


def test_late_keys_never_collide_with_text_keys() -> None:
    text = "第一句。第二句。"
    k = late_key(text, 0, 4, "sentence+specials")
    assert k != text_key(text) and k != text_key(text[0:4])
    assert k != late_key(text, 4, 8, "sentence+specials") != late_key(text, 0, 4, "sentence")
    assert k == late_key(text, 0, 4, "sentence+specials")


def test_build_pools_sentences_from_the_chunk_pass(seed_dir: Path, tmp_path: Path) -> None:
    e = LateFake()
    out = tmp_path / "idx"
    late = build.BuildSettings(sentence_vectors="late")
    report = build.build_index([seed_dir], out, embedder=e, build=late)
    idx = store.load_index(out)
    assert report.sentences == len(idx.sentences) > report.chunks
    assert e.late_calls == report.chunks and e.calls == report.chunks + report.sentences  # no text twice
    settings = ChunkSettings()
    for s in idx.sentences[:50]:
        chunk = idx.chunks[s.chunk]
        text, off = embed_text(chunk, settings), embed_text_offset(chunk, settings)
        assert text[off + s.start : off + s.end] == chunk.text[s.start : s.end]
        expect = e.embed([f"LATE {chunk.text[s.start:s.end]}"], "passage")[0]
        np.testing.assert_allclose(idx.sentence_vectors[s.id], expect, atol=1e-6)
    assert idx.manifest["retrieval"]["sentence_vectors"] == "sentence+specials"
    # rebuilt from the cache: no model call at all
    again = LateFake()
    build.build_index([seed_dir], tmp_path / "idx2", embedder=again, build=late)
    assert again.calls == again.late_calls == 0
    np.testing.assert_array_equal(store.load_index(tmp_path / "idx2").sentence_vectors, idx.sentence_vectors)


def test_an_embedder_without_late_pooling_embeds_sentences(seed_dir: Path, tmp_path: Path) -> None:
    e = FakeEmbedder()
    build.build_index([seed_dir], tmp_path / "idx", embedder=e)
    idx = store.load_index(tmp_path / "idx")
    settings = ChunkSettings()
    s = idx.sentences[3]
    chunk = idx.chunks[s.chunk]
    sec = chunk.citation.section
    text = f"{sec}\n{chunk.text[s.start:s.end]}" if settings.context and sec else chunk.text[s.start : s.end]
    np.testing.assert_allclose(idx.sentence_vectors[s.id], e.embed([text], "passage")[0], atol=1e-6)


def test_embedded_sentences_are_the_default(seed_dir: Path, tmp_path: Path) -> None:
    e = LateFake()
    build.build_index([seed_dir], tmp_path / "idx", embedder=e)
    assert e.late_calls == 0
    assert store.load_index(tmp_path / "idx").manifest["retrieval"]["sentence_vectors"] is True
