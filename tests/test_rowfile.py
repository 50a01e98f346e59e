"""Vectors kept on disk during a build (:mod:`reportqa.index.storage.rowfile`): read back exactly, written exactly,
and a mapped block's pages really leave the process once used (read from /proc, not timed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.storage import rowfile, vectorindex
from reportqa.index.storage.rowfile import RowFile, blocks, release, save_npy


def _rows(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _resident_kib(arr: np.ndarray) -> int:
    """Resident KiB of the mapping that holds ``arr`` (from /proc/self/smaps)."""
    address = arr.ctypes.data
    lines = Path("/proc/self/smaps").read_text().splitlines()
    for i, line in enumerate(lines):
        head = line.split()[0]
        if "-" not in head or not all(c in "0123456789abcdef-" for c in head):
            continue
        lo, hi = (int(x, 16) for x in head.split("-"))
        if lo <= address < hi:
            for follow in lines[i + 1 :]:
                if follow.startswith("Rss:"):
                    return int(follow.split()[1])
    raise AssertionError("the array is not in any mapping")


def test_rows_come_back_exactly_and_no_file_is_left(tmp_path: Path) -> None:
    want = _rows(1000)
    rf = RowFile(tmp_path / "v.f32")
    for part in np.array_split(want, 7):
        rf.append(part)
    got = rf.read(384)
    assert got.shape == (1000, 384) and np.array_equal(got, want)
    assert not list(tmp_path.iterdir())


def test_no_rows_read_as_an_empty_array(tmp_path: Path) -> None:
    rf = RowFile(tmp_path / "v.f32")
    got = rf.read(384)
    assert got.shape == (0, 384) and not list(tmp_path.iterdir())


def test_save_npy_writes_what_np_save_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rowfile, "BLOCK_ROWS", 64)
    want = _rows(1000)
    rf = RowFile(tmp_path / "v.f32")
    rf.append(want)
    mapped = rf.read(384)
    save_npy(tmp_path / "ours.npy", mapped)
    np.save(tmp_path / "numpy.npy", want, allow_pickle=False)
    assert (tmp_path / "ours.npy").read_bytes() == (tmp_path / "numpy.npy").read_bytes()
    save_npy(tmp_path / "plain.npy", want)
    assert np.array_equal(np.load(tmp_path / "plain.npy"), want)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")
def test_used_blocks_leave_resident_memory(tmp_path: Path) -> None:
    rf = RowFile(tmp_path / "v.f32")
    rf.append(_rows(32768))  # 48 MiB
    mapped = rf.read(384)
    assert float(np.asarray(mapped).sum()) != 0.0  # every page touched
    assert _resident_kib(mapped) >= 48 * 1024 - 8
    release(mapped)
    assert _resident_kib(mapped) == 0
    peak = 0
    for _, block in blocks(mapped, rows=1024):
        assert float(block.sum()) != 0.0
        peak = max(peak, _resident_kib(mapped))
    assert _resident_kib(mapped) <= 8  # at most a page at either end
    # the block being read (1.5 MiB) and what the kernel maps around a fault; never the whole 48 MiB
    assert 1536 <= peak <= 8 * 1024
    assert np.array_equal(mapped[:5], _rows(32768)[:5])  # the data is still there, read back from the file


def test_release_leaves_a_plain_array_alone() -> None:
    a = _rows(10)
    before = a.copy()
    release(a)
    release(a[2:4])
    assert np.array_equal(a, before)


def test_blockwise_exact_search_equals_one_search(monkeypatch: pytest.MonkeyPatch) -> None:
    import faiss

    vectors = _rows(3000, dim=32)
    queries = _rows(50, dim=32, seed=1)
    _, want = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    monkeypatch.setattr(rowfile, "BLOCK_ROWS", 7)  # blocks smaller than k, and a ragged last one
    assert rowfile.BLOCK_ROWS == 7
    got = vectorindex._exact_topk(vectors, queries, 10)
    assert np.array_equal(got, want)
