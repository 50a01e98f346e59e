"""Render a text report into an image-only ("scanned") PDF, for the OCR benchmark and the test fixture.

The text version is first rebuilt into paragraphs by the normal pipeline (:func:`reportqa.index.reading.paragraphs.
reconstruct`); those paragraphs are then typeset like a printed report — headings centred, body paragraphs
with a two-character first-line indent, a running header and a page number on every page — and each page is
rasterised with a Chinese system font (Noto CJK). Optional degradations: a slight rotation (skew), JPEG
compression noise, and one page set in two columns. The PDF holds nothing but one JPEG per page: no text
layer, exactly what a scanner produces.

    python bench/scan_render.py SOURCE.txt OUT.pdf --dpi 150 --skew 0.4 --jpeg 60 --two-column 2 --pages 4
"""

from __future__ import annotations

import argparse
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportqa.index.reading.layout import NO_LINE_START
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import read_source

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
FONT_POINTS = 14.0
LINE_SPACING = 1.7


@dataclass(frozen=True)
class Block:
    """One paragraph to typeset."""

    text: str
    """Its text on one line."""
    heading: bool
    """Centred instead of indented."""
    continued: bool = False
    """The rest of a paragraph broken across a page or column: no first-line indent."""


def blocks_of(source: Path) -> list[Block]:
    """The paragraphs of a text report, as the pipeline rebuilds them."""
    return [Block(p.text, p.heading) for p in reconstruct(read_source(source))]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels (the first ``indent`` narrower), never starting
    a line with closing punctuation (kinsoku: it stays on the line before)."""
    lines: list[str] = []
    line = ""
    avail = width - indent
    for ch in text:
        if font.getlength(line + ch) > avail and line and ch not in NO_LINE_START:
            lines.append(line)
            line, avail = "", width
        line += ch
    if line:
        lines.append(line)
    return lines


class Typesetter:
    """Lays blocks out on A4 pages at a given resolution."""

    def __init__(self, dpi: int, header: str) -> None:
        self.dpi = dpi
        self.header = header
        self.size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
        self.margin = round(MARGIN_INCHES * dpi)
        px = FONT_POINTS * dpi / 72
        self.font = ImageFont.truetype(FONT, round(px))
        self.small = ImageFont.truetype(FONT, round(px * 0.75))
        self.em = px
        self.step = round(px * LINE_SPACING)
        self.drawn: list[list[str]] = []
        """Per page, the text lines drawn in the body (no header, no page number): the truth to compare with."""

    def pages(self, blocks: Sequence[Block], two_column: int = 0) -> list[Image.Image]:
        """All pages; page number ``two_column`` (1-based, 0 = none) is set in two columns."""
        out: list[Image.Image] = []
        queue = list(blocks)
        while queue:
            n = len(out) + 1
            columns = 2 if n == two_column else 1
            page, queue = self._page(queue, n, columns)
            out.append(page)
        return out

    def _page(self, queue: list[Block], number: int, columns: int) -> tuple[Image.Image, list[Block]]:
        drawn: list[str] = []
        self.drawn.append(drawn)
        img = Image.new("L", self.size, 255)
        draw = ImageDraw.Draw(img)
        w, h = self.size
        m = self.margin
        draw.text((w / 2, m * 0.55), self.header, font=self.small, fill=0, anchor="mm")
        draw.line((m, m * 0.75, w - m, m * 0.75), fill=0, width=max(1, self.dpi // 100))
        draw.text((w / 2, h - m * 0.5), f"— {number} —", font=self.small, fill=0, anchor="mm")
        gap = self.em * 2
        col_w = (w - 2 * m - gap * (columns - 1)) / columns
        top, bottom = m, h - m
        rest = list(queue)
        for c in range(columns):
            x0 = m + c * (col_w + gap)
            y = float(top)
            while rest:
                block = rest[0]
                indent = 0.0 if block.heading or block.continued else 2 * self.em
                lines = _wrap(block.text, self.font, col_w, indent)
                fit = int((bottom - y) // self.step)
                if fit <= 0:
                    break
                for i, line in enumerate(lines[:fit]):
                    drawn.append(line)
                    if block.heading:
                        draw.text((x0 + col_w / 2, y), line, font=self.font, fill=0, anchor="ma")
                    else:
                        draw.text((x0 + (indent if i == 0 else 0), y), line, font=self.font, fill=0)
                    y += self.step
                if fit < len(lines):  # the paragraph continues on the next column/page without an indent
                    done = "".join(lines[:fit])
                    rest[0] = Block(block.text[len(done):], block.heading, continued=True)
                    break
                rest.pop(0)
        return img, rest


def degrade(page: Image.Image, skew: float, jpeg: int, seed: int, dust: bool = True) -> bytes:
    """Rotate by up to ``skew`` degrees, add speckle (``dust``), and compress as JPEG of quality ``jpeg``."""
    rnd = random.Random(seed)
    if skew:
        page = page.rotate(rnd.uniform(-skew, skew), resample=Image.Resampling.BICUBIC, fillcolor=255,
                           expand=False)
    px = page.load()
    assert px is not None
    w, h = page.size
    for _ in range(w * h // 4000 if dust else 0):  # a little scanner dust
        x, y = rnd.randrange(w), rnd.randrange(h)
        px[x, y] = rnd.choice((0, 90, 160))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=jpeg)
    return buf.getvalue()


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` wrote."""

    pages: int
    """Pages in the PDF."""
    text: str
    """The body text drawn on them, without headers and page numbers (the reference for accuracy)."""
    paragraphs: tuple[str, ...]
    """The body paragraphs drawn entirely on them."""


def render(source: Path, out: Path, dpi: int, skew: float = 0.0, jpeg: int = 85, two_column: int = 0,
           pages: int = 0, header: str = "政府工作报告", dust: bool = True, bilevel: bool = False) -> Rendered:
    """Write the image-only PDF (the first ``pages`` pages, all when 0)."""
    blocks = blocks_of(source)
    ts = Typesetter(dpi, header)
    images = ts.pages(blocks, two_column)
    if pages:
        images = images[:pages]
    jpegs = [Image.open(io.BytesIO(degrade(p, skew, jpeg, seed=i, dust=dust))) for i, p in enumerate(images)]
    if bilevel:  # a black-and-white scan: 1 bit per pixel, Flate-compressed in the PDF (small)
        jpegs = [p.point(lambda v: 255 if v > 160 else 0).convert("1") for p in jpegs]
    jpegs[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=jpegs[1:])
    text = "".join("".join(lines) for lines in ts.drawn[: len(images)])
    squashed = "".join(text.split())
    complete = tuple(b.text for b in blocks if not b.heading and "".join(b.text.split()) in squashed)
    return Rendered(len(images), text, complete)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--skew", type=float, default=0.0, help="largest rotation in degrees")
    ap.add_argument("--jpeg", type=int, default=85, help="JPEG quality")
    ap.add_argument("--two-column", type=int, default=0, help="page number to set in two columns")
    ap.add_argument("--pages", type=int, default=0, help="keep only the first N pages")
    ap.add_argument("--no-dust", action="store_true", help="no scanner speckle (smaller files)")
    ap.add_argument("--bilevel", action="store_true", help="black and white, 1 bit per pixel (much smaller)")
    args = ap.parse_args()
    r = render(args.source, args.out, args.dpi, args.skew, args.jpeg, args.two_column, args.pages,
               dust=not args.no_dust, bilevel=args.bilevel)
    print(f"{args.out}: {r.pages} pages at {args.dpi} dpi")


if __name__ == "__main__":
    main()
