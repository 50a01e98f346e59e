"""Paragraph reconstruction: turn hard-wrapped report text back into the paragraphs the author wrote.

The pipeline is document-level first, line-level second:

1. :func:`analyze` measures the whole document: which lines are page clutter (:class:`~.layout.Clutter`),
   whether the text is hard-wrapped at all, the typical full line width, the width a paragraph's first line
   loses when its indent was dropped, the base indent, and whether blank lines carry meaning.
2. :func:`split_paragraphs` walks the content lines and decides for every pair of neighbours whether a
   paragraph ends between them (:meth:`Layout.breaks_between`), then classifies each paragraph as front
   matter, heading (with level and section path) or body.

Every paragraph's text is exactly :func:`clean_text` of the physical lines it spans, with the document's
clutter decision (:attr:`Layout.clutter`), so a citation's line range always reproduces the paragraph::

    layout = analyze(text)
    lines = text.split("\\n")
    for p in split_paragraphs(text, "doc"):
        a, b = p.lines
        assert clean_text("\\n".join(lines[a - 1 : b]), layout.clutter) == p.text
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportqa.index.records import Paragraph, SourceText

from .furniture import Furniture, classify_furniture, is_salutation
from .layout import (
    NO_LINE_START,
    OPEN_END,
    Clutter,
    clean_line,
    detect_clutter,
    ends_sentence,
    first_token_width,
    heading_family,
    indent_width,
    is_cjk_text,
    join_lines,
    robust_mode,
    starts_block,
    strip_line,
    strip_markdown,
    text_width,
)
from .notes import is_appendix_heading, link_notes, note_label

__all__ = [
    "Furniture",
    "Layout",
    "Line",
    "Reconstruction",
    "analyze",
    "clean_text",
    "rebuild",
    "reconstruct",
    "source_slice",
    "split_document",
    "split_paragraphs",
]

PLAIN = "plain"
MARGIN_SPREAD = 4.0
"""Columns within which lines hard-wrapped at the right margin end (half-width digits and punctuation)."""


@dataclass(frozen=True)
class Line:
    """One physical line that has content after clutter removal."""

    no: int
    """1-based physical line number."""
    text: str
    """Cleaned text (clutter removed, stripped)."""
    indent: float
    """Leading whitespace width in columns."""
    width: float
    """Width of the line as printed (indent + stripped raw text, markers included)."""
    gap: int | None
    """Blank lines since the previous content line; None when clutter (a page break) lies between."""


@dataclass(frozen=True)
class Layout:
    """Document-level measurements that the line-break decisions use."""

    lines: tuple[str, ...]
    clutter: Clutter
    content: tuple[Line, ...]
    cjk: bool
    wrapped: bool
    """False when each line already is a paragraph (markdown/docx/html-like output)."""
    full: float
    """Typical width of a full line (columns)."""
    limit: float
    """Width a line must exceed (with the next line's first word) to count as full."""
    dropped_indent: float
    """How much narrower a paragraph's first line is, when extraction dropped the indent (0 if not)."""
    base_indent: float
    blank_break: int | None
    """A run of at least this many blank lines is a paragraph break (None: blank lines mean nothing)."""
    blank_separated: bool = False
    """One paragraph per line with blank lines between paragraphs, where a line that is not followed by a
    blank line was broken inside its paragraph (wiki text breaks lines round link text)."""

    # -------------------------------------------------------------------------------- line decisions

    def _tolerance(self) -> float:
        return 1.0 if self.cjk else 0.0

    def is_short(self, a: Line, b: Line | None, a_is_first: bool) -> bool:
        """``a`` ends well before the right margin: the next line's first word would have fitted on it."""
        w = a.width
        if a_is_first and a.indent < self.base_indent + 2:
            w += self.dropped_indent
        nxt = first_token_width(b.text, self.cjk) if b is not None else (2.0 if self.cjk else 4.0)
        space = 1.0 if (b is not None and not self.cjk and a.text[-1:].isascii()) else 0.0
        return w + space + nxt <= self.limit - self._tolerance()

    def _first_line_like(self, b: Line, c: Line | None) -> bool:
        """``b`` is slightly short the way a first line with a dropped indent is, and continues onto ``c``."""
        if self.dropped_indent < 2:
            return False
        lo = self.full - self.dropped_indent - 3
        hi = self.full - 3
        if not lo <= b.width <= hi:
            return False
        return c is not None and not self.is_short(b, c, a_is_first=True)

    def breaks_between(self, a: Line, b: Line, c: Line | None, a_is_first: bool) -> bool:
        """Whether a paragraph ends between content lines ``a`` and ``b`` (``c`` follows ``b``)."""
        if not self.wrapped:
            if b.gap == 0 and _cut_mid_sentence(a.text, b.text):
                return False
            return not (self.blank_separated and b.gap == 0 and _continues(a.text, b.text))
        if self.blank_break is not None and b.gap is not None and b.gap >= self.blank_break:
            return True
        if b.indent >= self.base_indent + 2:
            return True
        short = self.is_short(a, b, a_is_first)
        if short:
            return True
        terminal = ends_sentence(a.text, latin=not self.cjk)
        if terminal and is_appendix_heading(b.text):
            return True
        if starts_block(b.text):
            if terminal:
                return True
            # a one-line heading (``（一）…``) directly followed by another numbered line
            if a_is_first and heading_family(a.text) is not None and a.text[-1] not in OPEN_END:
                return True
        return terminal and self.cjk and self._first_line_like(b, c)


def analyze(text: str) -> Layout:
    """Measure a whole document (see the module docstring)."""
    lines = tuple(text.split("\n"))
    clutter = detect_clutter(lines)
    cleaned = [clean_line(ln, clutter) for ln in lines]
    cjk = is_cjk_text("".join(cleaned))

    content: list[Line] = []
    gap: int | None = 0
    for i, (raw, txt) in enumerate(zip(lines, cleaned, strict=True)):
        if not txt:
            stripped = raw.strip()
            if stripped and not strip_line(raw):
                continue  # only zero-width characters: transparent, neither content nor blank
            if stripped or "\f" in raw:  # clutter: a page boundary, blank-line counting restarts
                gap = None
            elif gap is not None:
                gap += 1
            continue
        ind = indent_width(raw)
        body = raw.strip()
        content.append(Line(no=i + 1, text=txt, indent=ind, width=ind + text_width(body, cjk), gap=gap))
        gap = 0

    widths = sorted(ln.width for ln in content)
    if widths:
        top = widths[min(len(widths) - 1, int(len(widths) * 0.95))]
        long_ = [w for w in widths if w >= 0.8 * top]
        # lines wrapped at the margin cluster within a few columns of the top width; when several do, they
        # alone say where the margin is (a few near-full paragraph ends must not pull the estimate down)
        margin = [w for w in long_ if w >= top - MARGIN_SPREAD]
        full = float(statistics.median(margin if len(margin) >= 2 else long_))
        limit = full if cjk else float(top)
    else:
        full = limit = 0.0

    base_indent = min((ln.indent for ln in content), default=0.0)
    if base_indent < 2:
        base_indent = 0.0

    # blank lines: between every line (no meaning, except longer runs) or only between paragraphs
    gaps = [ln.gap for ln in content[1:] if ln.gap is not None]
    blank_break: int | None
    if not gaps:
        blank_break = 1
    elif sum(1 for g in gaps if g >= 1) * 10 >= len(gaps) * 7:
        mode = int(robust_mode([float(g) for g in gaps if g >= 1]))
        blank_break = mode + 1
    else:
        blank_break = 1

    separated = [g for g in gaps if g >= 1]
    blank_separated = len(separated) >= 10 and len(separated) * 10 >= len(gaps) * 3

    # hard-wrapped? most long lines end mid-sentence
    long_lines = [ln for ln in content if ln.width >= 0.6 * full]
    open_ends = sum(1 for ln in long_lines if not _closed(ln.text, cjk))
    wrapped = len(content) >= 2 and open_ends * 4 >= len(long_lines) and open_ends >= 1
    if wrapped and blank_separated:
        # blank lines between paragraphs and lines cut at random widths (wiki link text), not at a margin:
        # hard wrapping leaves the lines that end mid-sentence nearly full
        # (headings end without punctuation by nature: they tell nothing about wrapping)
        open_lines = [ln for ln in content[:-1] if not _closed(ln.text, cjk) and heading_family(ln.text) is None]
        near_full = sum(1 for ln in open_lines if ln.width >= 0.85 * full)
        wrapped = near_full * 2 >= len(open_lines)

    dropped = 0.0
    if wrapped and cjk:
        samples = []
        for a, b, c in zip(content, content[1:], content[2:], strict=False):
            if (
                a.width <= 0.8 * full
                and ends_sentence(a.text)
                and b.width >= 0.8 * full
                and c.width >= 0.5 * full
                and b.indent < base_indent + 2
            ):
                samples.append(max(0.0, full - b.width))
        if len(samples) >= 3:
            dropped = min(8.0, float(statistics.median(samples)))

    return Layout(
        lines=lines,
        clutter=clutter,
        content=tuple(content),
        cjk=cjk,
        wrapped=wrapped,
        full=full,
        limit=limit,
        dropped_indent=dropped,
        base_indent=base_indent,
        blank_break=blank_break,
        blank_separated=blank_separated and not wrapped,
    )


def _continues(a: str, b: str) -> bool:
    """In blank-separated text, line ``b`` directly under ``a`` continues ``a``'s paragraph."""
    if ends_sentence(a, latin=False) or is_salutation(a):
        return False
    if heading_family(a) is not None and not _heading_cut_short(a):
        return False
    return not starts_block(b)


def _cut_mid_sentence(a: str, b: str) -> bool:
    """One paragraph per line, but this break falls inside a sentence: ``b`` starts with punctuation no line
    may start with (``。``, ``；``, ``）``), or ``a`` is only an opening bracket (``（`` / ``三）…``)."""
    if all(ch in OPEN_END for ch in a):
        return True
    return b[0] in NO_LINE_START and not ends_sentence(a, latin=False)


def _heading_cut_short(text: str) -> bool:
    """A numbered heading whose line stops at its number or inside quotes/brackets (``一、`` / ``三、关于《``)."""
    return text[-1] in OPEN_END or bool(re.fullmatch(r"[（(]?[一二三四五六七八九十\d]{1,3}[、．.)）]", text))


def _closed(text: str, cjk: bool) -> bool:
    return ends_sentence(text, latin=True) or (not cjk and text[-1:] in ":")


# ------------------------------------------------------------------------------------------- public API


def clean_text(text: str, clutter: Clutter | None = None) -> str:
    """Remove page clutter from a raw slice of physical lines and join them as reconstruction does.

    ``clutter`` is the document's decision (:attr:`Layout.clutter`); without it the clutter is detected
    from ``text`` alone, which is only right when ``text`` is a whole document.
    """
    lines = text.split("\n")
    if clutter is None:
        clutter = detect_clutter(lines)
    return join_lines([clean_line(ln, clutter) for ln in lines])


def source_slice(text: str, lines: tuple[int, int]) -> str:
    """The physical lines ``lines`` (1-based, inclusive) of ``text``, as one string."""
    a, b = lines
    return "\n".join(text.split("\n")[a - 1 : b])


@dataclass(frozen=True)
class Reconstruction:
    """A document's paragraphs and the page furniture kept out of them."""

    paragraphs: tuple[Paragraph, ...]
    furniture: tuple[Furniture, ...]
    """Source lines that are page furniture (page controls, navigation, footers, licence, captions)."""


def reconstruct(source: SourceText) -> list[Paragraph]:
    """The paragraphs of a decoded document."""
    return list(rebuild(source).paragraphs)


def rebuild(source: SourceText) -> Reconstruction:
    """The paragraphs of a decoded document and its page furniture; in a paged source (form feeds, or a
    recognised page image) each paragraph carries its page, and in a recognised one its lowest OCR score."""
    rebuilt = split_document(source.text, source.name)
    if "\f" not in source.text and not source.confidence:
        return rebuilt
    starts = [0]  # starts[k]: the first line of page k + 1 (0-based); a page ends in a form feed
    for i, line in enumerate(source.text.split("\n")):
        if "\f" in line:
            starts.append(i + 1)
    conf = source.confidence

    def placed(p: Paragraph) -> Paragraph:
        a, b = p.lines
        page = bisect.bisect_right(starts, a - 1)
        score = min(conf[a - 1 : b], default=1.0) if conf else 1.0
        return replace(p, page=page, confidence=score)

    return Reconstruction(tuple(placed(p) for p in rebuilt.paragraphs), rebuilt.furniture)


def split_paragraphs(text: str, document: str) -> list[Paragraph]:
    """Rebuild paragraphs from ``text`` and classify them (front matter, heading with level, body)."""
    return list(split_document(text, document).paragraphs)


def split_document(text: str, document: str) -> Reconstruction:
    """Rebuild paragraphs from ``text``, set page furniture aside, classify the rest."""
    layout = analyze(text)
    groups = _group(layout)
    texts = [join_lines([ln.text for ln in g]) for g in groups]
    heads = [
        heading_family(t) is not None and _is_heading_text(t, len(g), heading_family(t), layout)
        for t, g in zip(texts, groups, strict=True)
    ]
    reasons = classify_furniture(texts, heads)
    furniture = tuple(
        Furniture((g[0].no, g[-1].no), t, reasons[i])
        for i, (t, g) in enumerate(zip(texts, groups, strict=True))
        if i in reasons
    )
    kept = [g for i, g in enumerate(groups) if i not in reasons]
    return Reconstruction(tuple(_classify(layout, kept, document)), furniture)


def _group(layout: Layout) -> list[list[Line]]:
    content = layout.content
    groups: list[list[Line]] = []
    for i, ln in enumerate(content):
        if not groups:
            groups.append([ln])
            continue
        cur = groups[-1]
        nxt = content[i + 1] if i + 1 < len(content) else None
        if layout.breaks_between(cur[-1], ln, nxt, a_is_first=len(cur) == 1):
            groups.append([ln])
        else:
            cur.append(ln)
    return groups


def _is_heading_text(text: str, n_lines: int, family: str | None, layout: Layout) -> bool:
    if not text or ends_sentence(text, latin=True) or text[-1] in OPEN_END or text[-1] in ",;":
        return False
    if text.startswith(("——", "—")) or not any(c.isalnum() for c in text):
        return False  # a stray mark on its own line (') heads no section
    width = text_width(text, layout.cjk)
    if family is not None:
        return n_lines <= 3 and width <= 120
    limit = 50.0 if layout.cjk else 60.0
    if layout.wrapped:
        limit = min(limit, 0.75 * layout.full)
    return n_lines == 1 and width <= limit


def _is_front_matter(text: str, n_lines: int, layout: Layout) -> bool:
    """A short standalone line before the first body paragraph (title, dateline, speaker, salutation)."""
    if n_lines > 2 or ends_sentence(text, latin=not layout.cjk):
        return False
    limit = 2 * layout.full if layout.wrapped else 80.0
    return text_width(text, layout.cjk) <= max(limit, 40.0)


def _classify(layout: Layout, groups: Sequence[Sequence[Line]], document: str) -> list[Paragraph]:
    paras: list[Paragraph] = []
    levels: dict[str, int] = {}
    plain_first = False
    stack: list[tuple[int, str]] = []
    in_front = True
    in_appendix = False
    appendix: list[bool] = []
    after_appendix_heading = False
    body_seen = False
    for n, group in enumerate(groups, start=1):
        text = join_lines([ln.text for ln in group])
        rng = (group[0].no, group[-1].no)
        family = heading_family(text)
        heading = _is_heading_text(text, len(group), family, layout)
        if in_appendix and note_label(text) is not None:
            heading = False  # a numbered note or glossary entry, even when its line was cut short
        if in_front and (family is None or not heading) and _is_front_matter(text, len(group), layout):
            paras.append(Paragraph(document, n, text, False, 0, (), rng))
            appendix.append(False)
            continue
        in_front = False
        if body_seen and n * 2 > len(groups) and is_appendix_heading(text) and len(group) <= 2:
            # an appendix after the closing: a top-level section of its own (nested under the previous
            # appendix heading when it directly follows it: 附件2 / 名词解释)
            level = 2 if after_appendix_heading else 1
            if not after_appendix_heading:
                stack = []
            stack = [e for e in stack if e[0] < level] + [(level, text)]
            levels, plain_first, in_appendix, after_appendix_heading = {}, False, True, True
            paras.append(Paragraph(document, n, text, True, level, tuple(t for _, t in stack), rng))
            appendix.append(True)
            continue
        if not heading:
            body_seen = True
            after_appendix_heading = False
            paras.append(Paragraph(document, n, text, False, 0, tuple(t for _, t in stack), rng))
            appendix.append(in_appendix)
            continue
        base = (stack[-1][0] if after_appendix_heading else 1) if in_appendix else 0
        fam = family or PLAIN
        if in_appendix:
            if fam not in levels:
                levels[fam] = len(levels) + 1
            level = base + levels[fam]
        elif fam == PLAIN:
            if not levels:
                plain_first = True
            level = 1
        else:
            if fam not in levels:
                levels[fam] = len(levels) + 1
            level = levels[fam] + (1 if plain_first else 0)
        after_appendix_heading = False
        title = strip_markdown(text)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        paras.append(Paragraph(document, n, text, True, level, tuple(t for _, t in stack), rng))
        appendix.append(in_appendix)
    cites = link_notes([p.text for p in paras], appendix, [p.heading for p in paras])
    return [replace(p, notes=tuple(paras[j].n for j in c)) if c else p for p, c in zip(paras, cites, strict=True)]
