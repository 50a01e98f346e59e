"""Vectors kept on disk during a build: appended to a raw file, read back memory-mapped, block by block.

A large build holds each vector set twice at its peak if it reads the set into an array while FAISS builds
its own copy (100K passages: ≈ 730 MB of chunk and sentence vectors on top of the FAISS indexes). Here the
set is a read-only file mapping instead: whoever reads it goes through :func:`blocks`, which hands out row
blocks and lets the kernel drop each block's pages from this process (``MADV_DONTNEED``) once it is used, so
the resident copy is never more than one block (the data stays in the page cache and on disk). Arrays not
backed by a file mapping pass through unchanged: every function here also takes a plain array.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.lib.format as npformat

BLOCK_ROWS = 32_768
"""Rows per block (48 MiB of 384-dimensional float32 vectors)."""


class RowFile:
    """float32 rows of one width appended to a raw file; :meth:`read` maps them (the file is unlinked then:
    the mapping keeps its data, and nothing is left behind in the build directory)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._f = open(path, "wb")  # noqa: SIM115 - closed in read()

    def append(self, rows: np.ndarray) -> None:
        np.ascontiguousarray(rows, dtype=np.float32).tofile(self._f)
        self.rows += len(rows)

    def read(self, dim: int) -> np.ndarray:
        """The rows as a read-only ``rows × dim`` array mapped from the file (an empty array if none)."""
        self._f.close()
        try:
            if self.rows == 0 or dim == 0:
                return np.zeros((self.rows, dim), dtype=np.float32)
            return np.memmap(self.path, dtype=np.float32, mode="r", shape=(self.rows, dim))
        finally:
            self.path.unlink()


def _mapping(arr: np.ndarray) -> mmap.mmap | None:
    """The file mapping ``arr`` is a view of, if any."""
    base: object = arr
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, memoryview):
        base = base.obj
    return base if isinstance(base, mmap.mmap) else None


def release(arr: np.ndarray) -> None:
    """Drop the pages of a file-mapped ``arr`` from this process's resident memory (they are read back from
    the page cache or the file when touched again); nothing for any other array."""
    mapping = _mapping(arr)
    if mapping is None or arr.size == 0 or not arr.flags.c_contiguous or not hasattr(mmap, "MADV_DONTNEED"):
        return  # (platforms without madvise keep the pages: correct, only more resident)
    start_address = np.frombuffer(mapping, dtype=np.uint8).ctypes.data
    offset = arr.ctypes.data - start_address
    first = offset - offset % mmap.PAGESIZE
    end = min(offset + arr.nbytes, len(mapping))
    if end > first:
        mapping.madvise(mmap.MADV_DONTNEED, first, end - first)


def blocks(arr: np.ndarray, rows: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """``(first row, block)`` over ``arr``'s rows (:data:`BLOCK_ROWS` a block unless ``rows`` says); a block's
    pages are released once the caller moves on."""
    step = rows or BLOCK_ROWS
    for start in range(0, len(arr), step):
        block = arr[start : start + step]
        yield start, block
        release(block)


def save_npy(path: Path, arr: np.ndarray) -> None:
    """``np.save(path, arr)`` for a 2-d float32 array, written block by block (a mapped array is never
    resident as a whole)."""
    arr32 = arr if arr.dtype == np.float32 else arr.astype(np.float32)
    header = {"descr": npformat.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False,
              "shape": tuple(int(x) for x in arr32.shape)}  # fmt: skip
    with open(path, "wb") as f:
        npformat.write_array_header_1_0(f, header)
        for _, block in blocks(arr32):
            f.write(np.ascontiguousarray(block).data)
