"""A vector cache in plain files: vectors by (embedder id, SHA-256 of the exact embedded text).

Builds put every vector they compute here as they go, so a build killed at any moment (Ctrl-C, SIGKILL,
power loss) resumes without embedding the finished texts again, and a rebuild after an edit embeds only the
new texts. Layout, one folder per embedder beside the index (:func:`cache_dir`)::

    <index parent>/.reportqa-cache/<embedder slug>/
        embedder.txt                    the embedder id (the slug is a lossy file name)
        <shard>.npy                     float32 (n, dim) vectors, plain .npy (no pickle)
        <shard>.keys                    n lines: the SHA-256 (hex) of each row's text

Shards are only ever added. Each is written to a temporary name, fsync'd, then renamed, vectors before keys:
a shard counts only once its ``.keys`` file exists and agrees with its ``.npy`` (row count, dtype, width), so
a torn or half-written last shard is ignored (and its texts embedded again). Shard names are unique per
writer, so builds of different indexes in one folder can share the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from reportqa.index.storage.store import fsync_dir

CACHE_DIR_NAME = ".reportqa-cache"
SHARD_ROWS = 256
"""Vectors buffered before a shard is written: what a kill can lose at most (seconds of embedding)."""
_HEX64 = re.compile(r"[0-9a-f]{64}")


def text_key(text: str) -> bytes:
    """The cache key of an embedded text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def late_key(text: str, start: int, end: int, pooling: str) -> bytes:
    """The cache key of the vector late-pooled over ``text[start:end]`` inside the forward pass of ``text``
    (with the pooling recipe ``pooling``): never equal to a :func:`text_key`, since it is not the vector of
    ``text[start:end]`` embedded on its own."""
    return hashlib.sha256(f"late:{pooling}:{start}:{end}\0{text}".encode()).digest()


def cache_dir(index_dir: Path, embedder_id: str) -> Path:
    """Where vectors of ``embedder_id`` are cached for ``index_dir`` (beside it, shared by its siblings)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_id).strip("._")[:60] or "embedder"
    digest = hashlib.sha256(embedder_id.encode("utf-8")).hexdigest()[:8]
    return Path(index_dir).absolute().parent / CACHE_DIR_NAME / f"{slug}-{digest}"



class VectorCache:
    """Look up and add vectors of one embedder. Not thread-safe; one build uses one instance."""

    def __init__(self, directory: Path, embedder_id: str, read: bool = True) -> None:
        self.directory = Path(directory)
        self.embedder_id = embedder_id
        self.dim: int | None = None
        """Vector width, from the first valid shard or the first vectors added."""
        self._shards: list[tuple[Path, int]] = []
        """(``.npy`` path, byte offset of its data): rows are read with ``pread``, not kept in memory."""
        self._where: dict[bytes, tuple[int, int]] = {}
        self._pending_keys: list[bytes] = []
        self._pending: list[np.ndarray] = []
        self._pending_where: dict[bytes, tuple[int, int]] = {}
        self.ignored: list[str] = []
        """Shard files that were present but unusable (torn or inconsistent)."""
        if read:
            self._read()

    @classmethod
    def for_index(cls, index_dir: Path, embedder_id: str, read: bool = True) -> VectorCache:
        return cls(cache_dir(index_dir, embedder_id), embedder_id, read=read)

    # ------------------------------------------------------------------------------------------ reading

    def _read(self) -> None:
        d = self.directory
        if not (d / "embedder.txt").exists():
            return
        if (d / "embedder.txt").read_text(encoding="utf-8").strip() != self.embedder_id:
            self.ignored.append(str(d / "embedder.txt"))  # a slug collision: use nothing from here
            return
        for keys_path in sorted(d.glob("*.keys")):
            vecs = self._valid_shard(keys_path)
            if vecs is None:
                self.ignored.append(str(keys_path))
                continue
            keys, offset = vecs
            shard = len(self._shards)
            self._shards.append((keys_path.with_suffix(".npy"), offset))
            for row, k in enumerate(keys):
                self._where.setdefault(k, (shard, row))

    def _valid_shard(self, keys_path: Path) -> tuple[list[bytes], int] | None:
        try:
            lines = keys_path.read_text(encoding="ascii").split("\n")
            if not lines or lines[-1] != "":  # every key ends with a newline: a torn file does not
                return None
            hexes = lines[:-1]
            if not all(_HEX64.fullmatch(h) for h in hexes):
                return None
            npy = keys_path.with_suffix(".npy")
            with open(npy, "rb") as f:
                version = np.lib.format.read_magic(f)
                read_header = (
                    np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                )
                shape, fortran, dtype = read_header(f)
                offset = f.tell()
            size = npy.stat().st_size
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if dtype != np.float32 or fortran or len(shape) != 2 or shape[0] != len(hexes):
            return None
        if self.dim is None:
            self.dim = int(shape[1])
        if shape[1] != self.dim or size != offset + 4 * shape[0] * shape[1]:
            return None
        return [bytes.fromhex(h) for h in hexes], offset

    def __len__(self) -> int:
        return len(self._where) + len(self._pending_keys)

    def __contains__(self, key: bytes) -> bool:
        return key in self._where or key in self._pending_where

    def get_many(self, keys: Sequence[bytes]) -> np.ndarray:
        """The vectors of ``keys`` (all must be present), as a new ``(len(keys), dim)`` array."""
        if self.dim is None:
            raise KeyError("the vector cache is empty")
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        by_shard: dict[int, list[tuple[int, int]]] = {}
        for i, k in enumerate(keys):
            loc = self._where.get(k)
            if loc is not None:
                by_shard.setdefault(loc[0], []).append((i, loc[1]))
            else:
                block, row = self._pending_where[k]
                out[i] = self._pending[block][row]
        width = 4 * self.dim
        for shard, wanted in by_shard.items():
            path, offset = self._shards[shard]
            first, last = min(r for _, r in wanted), max(r for _, r in wanted)
            with open(path, "rb") as f:  # one read of the rows' span: nothing stays mapped in memory
                raw = os.pread(f.fileno(), (last - first + 1) * width, offset + first * width)
            rows = np.frombuffer(raw, dtype=np.float32).reshape(-1, self.dim)
            for i, r in wanted:
                out[i] = rows[r - first]
        return out

    def missing(self, keys: Iterable[bytes]) -> list[bytes]:
        """``keys`` that have no vector yet, in order, each once."""
        return [k for k in dict.fromkeys(keys) if k not in self._where and k not in self._pending_where]

    # ------------------------------------------------------------------------------------------ writing

    def add(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Add vectors; they are written to disk once :data:`SHARD_ROWS` are waiting (or on :meth:`flush`)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape[0] != len(keys):
            raise ValueError(f"{len(keys)} keys for {vectors.shape[0]} vectors")
        if self.dim is None:
            self.dim = int(vectors.shape[1])
        block = len(self._pending)
        self._pending.append(vectors)
        self._pending_keys.extend(keys)
        for row, k in enumerate(keys):
            self._pending_where.setdefault(k, (block, row))
        if len(self._pending_keys) >= SHARD_ROWS:
            self.flush()

    def close(self) -> None:
        """:meth:`flush`, then forget the key map (memory); :attr:`dim` stays known."""
        self.flush()
        self._where, self._shards = {}, []

    def flush_quietly(self) -> None:
        """:meth:`flush` when a build is failing: keep what can be kept, never mask the build's own error."""
        with contextlib.suppress(OSError):
            self.flush()

    def flush(self) -> None:
        """Write the waiting vectors as one shard (fsync'd, renamed into place)."""
        if not self._pending_keys:
            return
        keys, arr = self._pending_keys, np.concatenate(self._pending)
        self._pending_keys, self._pending, self._pending_where = [], [], {}
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        marker = d / "embedder.txt"
        if not marker.exists():
            tmp_marker = d / f".embedder.{uuid.uuid4().hex}.tmp"
            tmp_marker.write_text(self.embedder_id + "\n", encoding="utf-8")
            os.replace(tmp_marker, marker)
        name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        npy, keys_path = d / f"{name}.npy", d / f"{name}.keys"
        for final, write in (
            (npy, lambda f: np.save(f, arr, allow_pickle=False)),
            (keys_path, lambda f: f.write("".join(k.hex() + "\n" for k in keys).encode("ascii"))),
        ):
            tmp = final.with_name(f".{final.name}.tmp")
            with open(tmp, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        fsync_dir(d)
        shard = len(self._shards)
        self._shards.append((npy, os.path.getsize(npy) - arr.nbytes))
        for row, k in enumerate(keys):
            self._where.setdefault(k, (shard, row))
