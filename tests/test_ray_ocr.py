"""Scanned pages spread over Ray workers (index/pipeline/ray_ocr.py): every page comes back, in its position, from
more than one worker, and each is cached as it finishes; a fake engine keeps it fast (marker ``ray``)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from reportqa.index.reading.ocr import OcrEngine, OcrLine, OcrPage, PageCache, PageReader

if TYPE_CHECKING:
    from PIL.Image import Image

pytestmark = pytest.mark.ray



class PixelEngine(OcrEngine):
    """'Recognises' a page as one line: the shade of its first pixel and the worker's pid."""

    id = "test:pixel"

    def recognise(self, image: Image) -> OcrPage:
        shade = image.convert("L").getpixel((0, 0))
        return OcrPage(image.width, image.height, (OcrLine(f"{shade} {os.getpid()}", (0, 0, 10, 10), 0.9),))


def pixel_engine(threads: int = 0) -> OcrEngine:
    return PixelEngine()


def page(shade: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (20, 20), shade).save(buf, "PNG")
    return buf.getvalue()


def test_pages_are_spread_over_workers_and_come_back_in_order(ray_local: object, tmp_path: Path) -> None:
    from reportqa.index.pipeline.ray_ocr import RayOcrEngine

    engine = RayOcrEngine(pixel_engine, workers=2)
    assert engine.id == PixelEngine.id  # the cache is shared with the in-process engine
    seen: list[tuple[int, int, bool]] = []
    reader = PageReader(engine, PageCache(tmp_path / "cache"), progress=lambda *a: seen.append(a))
    shades = [10 * i for i in range(8)]
    got = reader.read_many([page(s) for s in shades])
    assert [int(p.lines[0].text.split()[0]) for p in got] == shades
    pids = {p.lines[0].text.split()[1] for p in got}
    assert len(pids) == 2 and str(os.getpid()) not in pids  # two actors did the work, not this process
    assert [n for n, _, _ in seen] == list(range(1, 9)) and not any(c for _, _, c in seen)
    # every page is in the cache: an in-process reader recognises none of them again
    local = PageReader(PixelEngine(), PageCache(tmp_path / "cache"))
    assert local.read_many([page(s) for s in shades]) == got and local.recognised == 0
