"""Rows of a JSON-lines file, parsed when read: opening a million-row file costs one scan for line ends.

The file is memory-mapped; the byte offset of every line is found with numpy (no Python loop), and a row is
decoded by ``parse`` the first time it is asked for (a bounded cache keeps the rows a question touches).
Iterating streams every row. Read-only and safe to share between threads.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import numpy as np

T = TypeVar("T")
CACHE_ROWS = 1 << 16
"""Parsed rows kept per file (a question touches a few hundred)."""


class JsonlRows(Sequence[T], Generic[T]):
    """A read-only sequence over the non-blank lines of a JSON-lines file, each parsed by ``parse``."""

    def __init__(self, path: Path, parse: Callable[[Any], T]) -> None:
        self.path = Path(path)
        self._parse = parse
        self._cache: dict[int, T] = {}
        with open(self.path, "rb") as f:
            size = f.seek(0, 2)
            self._mm: mmap.mmap | None = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        buf = np.frombuffer(self._mm, dtype=np.uint8) if self._mm is not None else np.zeros(0, dtype=np.uint8)
        ends = np.flatnonzero(buf == 0x0A)
        if len(buf) and buf[-1] != 0x0A:
            ends = np.append(ends, len(buf))
        starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else np.zeros(0, dtype=np.int64)
        keep = ends - starts > 0  # blank lines (only a newline) are not rows
        if keep.any():
            # a line of spaces is blank too (rare: check only the short ones)
            short = np.flatnonzero(keep & (ends - starts < 8))
            for i in short.tolist():
                if not bytes(buf[starts[i] : ends[i]]).strip():
                    keep[i] = False
        self._starts = starts[keep].astype(np.int64)
        self._ends = ends[keep].astype(np.int64)

    def __len__(self) -> int:
        return len(self._starts)

    def _row(self, i: int) -> T:
        hit = self._cache.get(i)
        if hit is not None:
            return hit
        assert self._mm is not None
        row = self._parse(json.loads(self._mm[int(self._starts[i]) : int(self._ends[i])]))
        if len(self._cache) >= CACHE_ROWS:
            self._cache.clear()
        self._cache[i] = row
        return row

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._row(j) for j in range(*i.indices(len(self)))]
        n = len(self)
        j = int(i) + n if int(i) < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError(f"row {i} out of range ({n} rows)")
        return self._row(j)

    def __iter__(self) -> Iterator[T]:
        for j in range(len(self)):
            yield self._row(j) if j in self._cache else self._parse_uncached(j)

    def __eq__(self, other: object) -> bool:
        """Equal to any list, tuple or JsonlRows holding equal rows in the same order."""
        if not isinstance(other, list | tuple | JsonlRows):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def _parse_uncached(self, j: int) -> T:
        assert self._mm is not None
        return self._parse(json.loads(self._mm[int(self._starts[j]) : int(self._ends[j])]))

