"""OCR on a Ray cluster: with ``reportqa build --ray``, the scanned pages of a document are spread over
workers.

:class:`RayOcrEngine` is an :class:`~reportqa.index.reading.ocr.OcrEngine` whose
:meth:`~RayOcrEngine.recognise_many` (the call :meth:`~reportqa.index.reading.ocr.PageReader.read_many` makes for a
document's pages that are not in the page cache) runs as a Ray Data pipeline with one engine actor per worker
(the models load once per actor, their threads set from the CPUs Ray gave it). Pages come back as they finish,
tagged with their position, and the reader caches each at once. It has the id of the engine it wraps, so
pages recognised on the cluster and in process share the cache.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from reportqa.index.embedding.ray_embed import connect
from reportqa.index.reading.ocr import DEFAULT_OCR, MAX_PAGE_PIXELS, OcrEngine, OcrPage, make_ocr_engine, open_image

if TYPE_CHECKING:
    from PIL.Image import Image


@dataclass(frozen=True)
class OcrEngineFactory:
    """Picklable recipe for an engine, sent to every actor: ``make_ocr_engine(name, threads)``."""

    name: str = DEFAULT_OCR

    def __call__(self, threads: int = 0) -> OcrEngine:
        return make_ocr_engine(self.name, threads)


class OcrActor:
    """A Ray Data callable class: one engine per actor, reused for every page it gets."""

    def __init__(self, factory: Callable[[int], OcrEngine], max_pixels: int) -> None:
        import ray

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1.0)
        threads = max(1, int(cpus))
        os.environ["OMP_NUM_THREADS"] = str(threads)
        self.engine = factory(threads)
        self.max_pixels = max_pixels

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        pages = [self.engine.recognise(open_image(bytes(d), self.max_pixels)) for d in batch["data"]]
        return {"i": np.asarray(batch["i"], dtype=np.int64),
                "page": np.asarray([json.dumps(p.to_json(), ensure_ascii=False) for p in pages], dtype=object)}


class RayOcrEngine(OcrEngine):
    """Recognises pages through Ray Data actors; single pages (:meth:`recognise`) in process."""

    def __init__(self, factory: Callable[[int], OcrEngine] | None = None, *, address: str | None = None,
                 workers: int | None = None, cpus_per_worker: float = 1.0, local_cpus: int | None = None) -> None:
        self.factory = factory or OcrEngineFactory()
        self.address = address
        self.workers = workers
        self.cpus_per_worker = cpus_per_worker
        self.local_cpus = local_cpus
        self._local: OcrEngine | None = None
        self.id = self.local.id

    @property
    def local(self) -> OcrEngine:
        """The in-process engine (its id; single pages)."""
        if self._local is None:
            self._local = self.factory(0)
        return self._local

    def recognise(self, image: Image) -> OcrPage:
        return self.local.recognise(image)

    def recognise_many(self, images: Sequence[bytes], max_pixels: int = MAX_PAGE_PIXELS) -> Iterator[
            tuple[int, OcrPage]]:
        """Each page recognised by one of the actors (one page per task), yielded as it finishes."""
        if not images:
            return
        ray = connect(self.address, self.local_cpus)
        n = self.workers or max(1, int(float(ray.cluster_resources().get("CPU", 1.0)) // self.cpus_per_worker))
        ds = ray.data.from_items([{"i": i, "data": d} for i, d in enumerate(images)])
        ds = ds.map_batches(
            OcrActor, fn_constructor_args=(self.factory, max_pixels), compute=ray.data.ActorPoolStrategy(size=n),
            num_cpus=self.cpus_per_worker, batch_size=1, batch_format="numpy",
        )  # fmt: skip
        for batch in ds.iter_batches(batch_format="numpy", batch_size=None):
            for i, raw in zip(batch["i"], batch["page"], strict=True):
                yield int(i), OcrPage.from_json(json.loads(str(raw)))
