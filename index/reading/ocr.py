"""Optical character recognition of page images: a one-method engine protocol, the bundled engine, and the
layout step that turns recognised boxes back into the physical lines the rest of the pipeline reads.

* :class:`OcrEngine` recognises one page image into :class:`OcrPage` (lines with boxes and confidences).
  :class:`RapidOcrEngine` (``rapidocr``, the default) runs the PP-OCR det/rec models that ship inside the
  ``rapidocr`` wheel on onnxruntime: nothing is downloaded, ever. :func:`make_ocr_engine` picks one by name.
* :func:`page_lines` orders a page's boxes into reading order (one or two columns), merges boxes of one
  visual line, and writes each line as text with its first-line indent as full-width spaces, so that
  :mod:`.paragraphs` sees the same signals it sees in an extracted PDF (line widths, indents, page numbers).
* :class:`PageCache` keeps every recognised page on disk by the SHA-256 of its image bytes, so a rebuild or
  a build killed half way never recognises a page twice (the pattern of :mod:`.vcache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import os
import re
import statistics
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportqa.index.errors import UsageError

from .layout import NO_LINE_START, text_width

if TYPE_CHECKING:
    from PIL.Image import Image

DEFAULT_OCR = "rapidocr"
MAX_PAGE_PIXELS = 60_000_000
"""Larger page images are refused (a 600-dpi A3 scan is ~ 35 Mpx): the engine's memory grows with them."""


@dataclass(frozen=True)
class OcrLine:
    """One line of text the engine found."""

    text: str
    """The recognised characters."""
    box: tuple[float, float, float, float]
    """``(left, top, right, bottom)`` in pixels of the page image."""
    confidence: float
    """The engine's score for the line, 0–1."""


@dataclass(frozen=True)
class OcrPage:
    """Everything recognised on one page image."""

    width: int
    """Image width in pixels."""
    height: int
    """Image height in pixels."""
    lines: tuple[OcrLine, ...]
    """In the engine's order (not necessarily reading order: see :func:`page_lines`)."""

    def to_json(self) -> dict[str, object]:
        return {"width": self.width, "height": self.height,
                "lines": [[ln.text, list(ln.box), ln.confidence] for ln in self.lines]}

    @classmethod
    def from_json(cls, d: dict[str, object]) -> OcrPage:
        raw = d["lines"]
        assert isinstance(raw, list)
        lines = tuple(OcrLine(str(t), (float(b[0]), float(b[1]), float(b[2]), float(b[3])), float(c))
                      for t, b, c in raw)
        w, h = d["width"], d["height"]
        assert isinstance(w, int) and isinstance(h, int)
        return cls(w, h, lines)


class OcrEngine(ABC):
    """Recognises text on page images. Subclasses implement :meth:`recognise` only."""

    id: str
    """Names the engine and its models; cached pages are keyed by it, so two engines never share results."""

    @abstractmethod
    def recognise(self, image: Image) -> OcrPage:
        """All text lines on one page image."""

    def recognise_many(self, images: Sequence[bytes], max_pixels: int = MAX_PAGE_PIXELS) -> Iterator[
            tuple[int, OcrPage]]:
        """Recognise encoded page images, yielding ``(position, page)`` as each is done (in any order: an
        engine may spread them over workers, :mod:`.ray_ocr`). Default: one after the other, here."""
        for i, data in enumerate(images):
            yield i, self.recognise(open_image(data, max_pixels))


class RapidOcrEngine(OcrEngine):
    """PP-OCR (det + rec, the Chinese/English models inside the ``rapidocr`` wheel) on onnxruntime.

    The engine object is created on first use (a fraction of a second) and shared by the threads of one
    process; the text-direction classifier is off (scans are upright; a page scanned upside down reads as
    low-confidence text)."""

    def __init__(self, threads: int = 0) -> None:
        from importlib.metadata import version

        # the package version names its bundled models: a new release never reuses pages cached by an older one
        self.id = f"rapidocr-{version('rapidocr')}"
        self._threads = threads
        self._engine: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._engine is None:
                from rapidocr import RapidOCR

                params: dict[str, object] = {"Global.log_level": "error", "Global.use_cls": False,
                                             "Global.text_score": 0.3}
                if self._threads:
                    params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
                self._engine = RapidOCR(params=params)
            return self._engine

    def recognise(self, image: Image) -> OcrPage:
        import numpy as np

        engine = self._load()
        rgb = np.asarray(image.convert("RGB"))
        out = engine(rgb)  # type: ignore[operator]
        lines: list[OcrLine] = []
        boxes, txts, scores = getattr(out, "boxes", None), getattr(out, "txts", None), getattr(out, "scores", None)
        if boxes is not None and txts is not None and scores is not None:
            for box, text, score in zip(boxes, txts, scores, strict=True):
                xs = [float(p[0]) for p in box]
                ys = [float(p[1]) for p in box]
                if str(text).strip():
                    lines.append(OcrLine(str(text).strip(), (min(xs), min(ys), max(xs), max(ys)), float(score)))
        return OcrPage(image.width, image.height, tuple(lines))


class FakeOcrEngine(OcrEngine):
    """For tests: returns the pages it was given, in order, and counts calls."""

    def __init__(self, pages: Sequence[OcrPage]) -> None:
        self.id = "fake-ocr"
        self._pages = list(pages)
        self.calls = 0

    def recognise(self, image: Image) -> OcrPage:
        page = self._pages[self.calls % len(self._pages)]
        self.calls += 1
        return page


OCR_FORMS = "'rapidocr' (the bundled PP-OCR models)"


def make_ocr_engine(name: str = DEFAULT_OCR, threads: int = 0) -> OcrEngine:
    """The engine called ``name``. Raises :class:`UsageError` for an unknown name."""
    if name == "rapidocr":
        return RapidOcrEngine(threads)
    raise UsageError(f"unknown OCR engine {name!r} — use {OCR_FORMS}")


_default: OcrEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> OcrEngine:
    """One shared engine per process (its models load once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = make_ocr_engine()
        return _default


# ---------------------------------------------------------------------------------------------------------
# Layout: boxes → physical lines
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TextLine:
    """A physical line of a recognised page, as the text pipeline will see it."""

    text: str
    """The line with its indent as leading full-width spaces."""
    confidence: float
    """The lowest score of the boxes merged into it."""


_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")
MAX_INDENT_EMS = 4
"""Indents are written up to this many characters; a wider one (a centred title) is written as this."""


def _em(lines: Sequence[OcrLine]) -> float:
    """The body character size in pixels: the median over longer lines of box width per CJK character."""
    ems = [(ln.box[2] - ln.box[0]) / (text_width(ln.text) / 2) for ln in lines if text_width(ln.text) >= 16]
    if not ems:
        ems = [ln.box[3] - ln.box[1] for ln in lines] or [1.0]
    return max(statistics.median(ems), 1.0)


def _columns(lines: Sequence[OcrLine], width: float) -> list[list[OcrLine]]:
    """Split a page into reading-order groups: full-width lines stay in one flow; a two-column stretch (many
    lines entirely left of the page middle and many entirely right of it, almost none across) is read left
    column first."""
    if not lines:
        return []
    left = min(ln.box[0] for ln in lines)
    right = max(ln.box[2] for ln in lines)
    mid = (left + right) / 2
    lhs = [ln for ln in lines if ln.box[2] < mid]
    rhs = [ln for ln in lines if ln.box[0] > mid]
    across = [ln for ln in lines if ln.box[0] <= mid <= ln.box[2]]
    two = len(lhs) >= 4 and len(rhs) >= 4 and len(across) <= 0.25 * len(lines)
    if not two:
        return [sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2)]
    col_top = min(ln.box[1] for ln in lhs + rhs)
    col_bottom = max(ln.box[3] for ln in lhs + rhs)
    above = [ln for ln in across if ln.box[3] <= col_top + 1]
    below = [ln for ln in across if ln.box[1] >= col_bottom - 1]
    inside = [ln for ln in across if ln not in above and ln not in below]
    key: Callable[[OcrLine], float] = lambda ln: (ln.box[1] + ln.box[3]) / 2  # noqa: E731
    return [sorted(g, key=key) for g in (above, lhs + inside, rhs, below) if g]


def _rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Group boxes of one column into visual lines (vertical centres within half a line height)."""
    rows: list[list[OcrLine]] = []
    for ln in lines:
        cy = (ln.box[1] + ln.box[3]) / 2
        h = ln.box[3] - ln.box[1]
        if rows:
            last = rows[-1]
            lcy = statistics.fmean((b.box[1] + b.box[3]) / 2 for b in last)
            lh = statistics.fmean(b.box[3] - b.box[1] for b in last)
            if abs(cy - lcy) < 0.5 * min(h, lh):
                last.append(ln)
                continue
        rows.append([ln])
    return [sorted(r, key=lambda b: b.box[0]) for r in rows]


_GAP = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])(?=[\u4e00-\u9fff])")
"""Where a Chinese character meets a number or Latin word: the thin gap an engine drops."""


MAX_GAP_SPACES = 3
"""At most this many spaces are put back at one place where Chinese meets a number or Latin word."""


def _restore_gaps(text: str, pixels: float, em: float) -> str:
    """Put back the thin spaces between Chinese and numbers that the engine dropped, as many as the box is
    wider than the text in columns (``2024年`` drawn as ``2024 年``; Latin letters and digits are also a little
    wider in print than the one column they count), so the line's width matches the page: the paragraph
    step tells a full line from a short one by that width."""
    missing = pixels / em * 2 - text_width(text)
    n = int(missing / 0.5)
    parts = _GAP.split(text)
    if n <= 0 or len(parts) == 1:
        return text
    places = len(parts) - 1
    spaces = [min(MAX_GAP_SPACES, n // places + (1 if k < n % places else 0)) for k in range(places)]
    out = parts[0]
    for k, part in enumerate(parts[1:]):
        out += " " * spaces[k] + part
    return out


_HALF = ",;:!?()"
_FULL = "，；：！？（）"
_HALF_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”])[,;:!?()]|[,;:!?()](?=[\u4e00-\u9fff“”])")


def _full_width(text: str) -> str:
    """Half-width punctuation next to a Chinese character as the full-width mark it is in the print (the
    recogniser often returns ``,`` for ``，``); ``3.5``, ``a:b`` and English text keep theirs."""
    return _HALF_IN_CJK.sub(lambda m: _FULL[_HALF.index(m.group(0))], text)


def _row_text(row: Sequence[OcrLine], em: float) -> str:
    text = _restore_gaps(row[0].text, row[0].box[2] - row[0].box[0], em)
    for prev, box in itertools.pairwise(row):
        gap = box.box[0] - prev.box[2]
        sep = " " if gap > em or (_ASCII_END.search(text) and _ASCII_START.search(box.text)) else ""
        text += sep + _restore_gaps(box.text, box.box[2] - box.box[0], em)
    return text


_OPENERS = "（(“‘《〈【「『〔"


def _indent(row: Sequence[OcrLine], margin: float, em: float) -> int:
    """The row's indent in characters from the column's left edge. A box starts at the ink: an opening
    bracket or quote is drawn in the right half of its cell, so it starts half a character late."""
    offset = row[0].box[0] - margin
    if row[0].text[:1] in _OPENERS:
        offset -= em / 2
    return max(0, round(offset / em - 0.2))


def _rewrap(rows: Sequence[Sequence[OcrLine]], em: float, body: float, margin: float) -> list[TextLine]:
    """One paragraph of a narrow column, wrapped again at the page's body width (in columns), its first line
    keeping its indent: lines as long as the document's other full lines, the last one short."""
    ems = min(MAX_INDENT_EMS, _indent(rows[0], margin, em))
    text = "".join(_full_width(_row_text(r, em)) for r in rows)
    conf = min(b.confidence for r in rows for b in r)
    cols = body / em * 2
    lines: list[TextLine] = []
    line, width = "\u3000" * ems, 2.0 * ems
    for ch in text:
        w = text_width(ch)
        if line.strip() and width + w > cols and ch not in NO_LINE_START:
            lines.append(TextLine(line, conf))
            line, width = "", 0.0
        line += ch
        width += w
    if line.strip():
        lines.append(TextLine(line, conf))
    return lines


def page_lines(page: OcrPage) -> list[TextLine]:
    """The page's text as physical lines in reading order, each indented by its distance from the column's
    left edge (in characters, as full-width spaces).

    In a two-column stretch the wrapped lines of one paragraph (a line reaching the column's right edge and
    a next line without an indent) are joined and wrapped again at the page's width (:func:`_rewrap`): the
    paragraph step measures full lines against the document's line width, which a column does not reach.
    Their line numbers then count these lines, not the printed ones."""
    if not page.lines:
        return []
    em = _em(page.lines)
    groups = _columns(page.lines, page.width)
    body = max(ln.box[2] for ln in page.lines) - min(ln.box[0] for ln in page.lines)
    narrow = len(groups) > 1  # a two-column stretch was found
    out: list[TextLine] = []
    paragraph: list[list[OcrLine]] = []  # rows of a column paragraph, carried into the next column
    start = 0.0  # the left margin of the column it started in
    for column in groups:
        rows = _rows(column)
        starts = sorted(r[0].box[0] for r in rows)
        margin = starts[len(starts) // 10] if len(starts) >= 10 else starts[0]
        ends = sorted(r[-1].box[2] for r in rows)
        right = ends[len(ends) * 3 // 4]  # the column's right edge (boxes end at the ink: a comma ends early)
        merge = narrow and len(rows) >= 4 and right - margin < 0.7 * body
        if not merge:
            if paragraph:
                out.extend(_rewrap(paragraph, em, body, start))
                paragraph = []
            for row in rows:
                ems = _indent(row, margin, em)
                out.append(TextLine("\u3000" * min(ems, MAX_INDENT_EMS) + _full_width(_row_text(row, em)),
                                    min(b.confidence for b in row)))
            continue
        full_end = True  # the carried paragraph reached the previous column's bottom full
        for row in rows:
            ems = _indent(row, margin, em)
            if paragraph and (ems > 0 or not full_end):
                out.extend(_rewrap(paragraph, em, body, start))
                paragraph = []
            if not paragraph:
                start = margin
            paragraph.append(row)
            full_end = row[-1].box[2] >= right - 1.6 * em
        if paragraph and not full_end:
            out.extend(_rewrap(paragraph, em, body, start))
            paragraph = []
    if paragraph:
        out.extend(_rewrap(paragraph, em, body, start))
    return out


# ---------------------------------------------------------------------------------------------------------
# The page cache
# ---------------------------------------------------------------------------------------------------------

OCR_CACHE_NAME = "ocr"


def default_cache_dir() -> Path:
    """Where pages are cached when no index is involved (``reportqa paragraphs scan.pdf``):
    ``$REPORTQA_OCR_CACHE``, else ``$XDG_CACHE_HOME/reportqa/ocr`` (``~/.cache/reportqa/ocr``)."""
    env = os.environ.get("REPORTQA_OCR_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportqa" / OCR_CACHE_NAME


def image_key(data: bytes) -> str:
    """The cache key of a page image: SHA-256 of its encoded bytes."""
    return hashlib.sha256(data).hexdigest()


class PageCache:
    """Recognised pages on disk, one small JSON file per (engine, page image). Writes go to a unique temporary
    name and are renamed into place, so a killed build leaves either the whole page or nothing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, engine_id: str, key: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", engine_id)[:60] or "engine"
        return self.root / slug / key[:2] / f"{key}.json"

    def get(self, engine_id: str, key: str) -> OcrPage | None:
        path = self._path(engine_id, key)
        try:
            return OcrPage.from_json(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            return None  # absent or torn: recognise again

    def put(self, engine_id: str, key: str, page: OcrPage) -> None:
        path = self._path(engine_id, key)
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
            tmp.write_text(json.dumps(page.to_json(), ensure_ascii=False), "utf-8")
            os.replace(tmp, path)


PageProgress = Callable[[int, int, bool], None]
"""``progress(page, pages, cached)`` after each page (1-based) of a document: ``cached`` when not recognised."""


@dataclass(frozen=True)
class OcrStats:
    """What one document's recognition did."""

    pages: int
    """Pages recognised or taken from the cache."""
    recognised: int
    """Pages the engine actually ran on."""


class PageReader:
    """Recognises page images through a cache. One per build (or per process, with the default cache)."""

    def __init__(self, engine: OcrEngine | None = None, cache: PageCache | None = None,
                 progress: PageProgress | None = None, max_pixels: int = MAX_PAGE_PIXELS) -> None:
        self._engine = engine
        self.cache = cache if cache is not None else PageCache(default_cache_dir())
        self.max_pixels = max_pixels
        self.progress = progress
        self.recognised = 0
        """Pages the engine ran on, over this reader's life (tests and build summaries)."""

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = default_engine()
        return self._engine

    def read(self, data: bytes, page: int = 1, pages: int = 1) -> OcrPage:
        """The recognised text of one encoded page image (PNG/JPEG/TIFF bytes)."""
        key = image_key(data)
        engine = self.engine
        hit = self.cache.get(engine.id, key)
        cached = hit is not None
        if hit is None:
            hit = engine.recognise(open_image(data, self.max_pixels))
            self.cache.put(engine.id, key, hit)
            self.recognised += 1
        if self.progress is not None:
            self.progress(page, pages, cached)
        return hit

    def read_many(self, datas: Sequence[bytes]) -> list[OcrPage]:
        """The recognised text of a document's page images, in order: cached pages first, the rest handed to
        the engine together (so an engine with workers recognises them in parallel), each cached as soon as
        it is done (a killed build keeps every finished page). ``progress`` counts pages as they finish."""
        engine = self.engine
        keys = [image_key(d) for d in datas]
        out: list[OcrPage | None] = [self.cache.get(engine.id, k) for k in keys]
        total, done = len(datas), 0
        for page in out:
            if page is not None:
                done += 1
                if self.progress is not None:
                    self.progress(done, total, True)
        todo = [i for i, page in enumerate(out) if page is None]
        for j, page in engine.recognise_many([datas[i] for i in todo], self.max_pixels):
            i = todo[j]
            out[i] = page
            self.cache.put(engine.id, keys[i], page)
            self.recognised += 1
            done += 1
            if self.progress is not None:
                self.progress(done, total, False)
        missing = [i + 1 for i, page in enumerate(out) if page is None]
        if missing:
            raise RuntimeError(f"the OCR engine returned no result for page {missing[0]}")
        return [page for page in out if page is not None]


class ImageTooLarge(ValueError):
    """A page image over :data:`MAX_PAGE_PIXELS`."""


def open_image(data: bytes, max_pixels: int = MAX_PAGE_PIXELS) -> Image:
    """Decode one page image (first frame), refusing one over ``max_pixels`` before decoding it."""
    from PIL import Image as PILImage

    img = PILImage.open(io.BytesIO(data))
    if img.width * img.height > max_pixels:
        raise ImageTooLarge(f"a page image of {img.width}×{img.height} pixels, more than "
                            f"{max_pixels / 1_000_000:g} megapixels")
    img.load()
    return img


def current_reader() -> PageReader:
    """The reader used when a caller gives none: the shared engine and the user's page cache."""
    return PageReader()
