"""Turn the raw bytes of one file into text: encoding detection for plain text, and PDF / DOCX / HTML
extraction.

Nothing here knows about paths: every function takes bytes and either returns text or raises
:class:`Unreadable` with a ``reason`` (a predicate: "is encrypted") and a ``hint`` (what to do).
:mod:`reportqa.index.reading.readers` turns that into an :class:`~reportqa.index.errors.UnreadableSourceError`
that names the file.

Plain-text detection never guesses silently: a BOM decides; otherwise the bytes must be strict UTF-8, or
strict GB18030 (covers GBK / GB2312) / Big5 that *also* looks like Chinese text (see :func:`plausible_cjk`).
Anything else is refused rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ocr import PageReader, TextLine

RESAVE_UTF8 = "re-save it as UTF-8 text"
REMOVE_OR_CONVERT = "convert it to .txt/.md/.pdf/.docx/.html or remove it from the sources"


class Unreadable(Exception):
    """Bytes that cannot be turned into text. ``reason`` completes "<file> …", ``hint`` says what to do."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(f"{reason} — {hint}")
        self.reason = reason
        self.hint = hint


# ---------------------------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------------------------

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a .docx/.xlsx?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)

# C0 controls other than \t \n \v \f \r, plus DEL. Text may contain a few (a stray ESC, a DOS EOF mark).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
"""More control characters than this share of the file means binary, whatever the decoding."""

MAX_UNCOMMON_SHARE = 0.10
"""At most this share of the non-ASCII characters of a GB18030/Big5 decoding may be outside the common
Chinese character and punctuation sets."""
MAX_BAD_SHARE = 0.002
"""At most this share of all characters may be private-use, unassigned or control characters."""


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode a plain-text file. Returns ``(text, codec)`` with line endings normalised to ``\\n`` and no
    BOM; raises :class:`Unreadable` for empty, binary or undecodable input."""
    if not raw.strip():
        raise Unreadable("is empty", "add text to it or remove it from the sources")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as e:
                name = codec.upper()
                raise Unreadable(f"starts with a {name} byte-order mark but is not valid {name} "
                                 f"(bad bytes at offset {e.start})", RESAVE_UTF8) from None
            return _finish_text(text), codec
    _reject_binary(raw)
    try:
        return _finish_text(raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in ("gb18030", "big5"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausible_cjk(text):
            return _finish_text(text), codec
    raise Unreadable("is not in a supported text encoding (not UTF-8, UTF-16/32 with BOM, or "
                     "GB18030/GBK/Big5 that reads as Chinese; Latin-1/Windows-1252?)", RESAVE_UTF8)


def _reject_binary(raw: bytes) -> None:
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise Unreadable(f"looks like a binary file ({kind}), not text",
                             "give it the right file extension or " + REMOVE_OR_CONVERT)
    if b"\x00" in raw:
        raise Unreadable("looks like a binary file (contains NUL bytes), not text", REMOVE_OR_CONVERT)
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(raw):
        raise Unreadable("looks like a binary file (many control bytes), not text", REMOVE_OR_CONVERT)


def _finish_text(text: str) -> str:
    """Common post-processing of decoded plain text: BOM, line endings, NUL/control and empty checks."""
    text = normalise_newlines(text.removeprefix("\ufeff"))
    if "\x00" in text or len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise Unreadable("looks like a binary file (control characters after decoding), not text",
                         REMOVE_OR_CONVERT)
    if not text.strip():
        raise Unreadable("is empty", "add text to it or remove it from the sources")
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_all(codec: str, leads: range, trails: tuple[range, ...]) -> Iterator[str]:
    for lead in leads:
        for trail_range in trails:
            for trail in trail_range:
                with contextlib.suppress(UnicodeDecodeError):
                    yield bytes((lead, trail)).decode(codec)


@cache
def common_cjk() -> frozenset[str]:
    """Characters that are normal in Chinese text: GB2312 symbols (rows 1–3: punctuation, numbering,
    full-width ASCII), pinyin/bopomofo (row 8) and all GB2312 hanzi; Big5 symbols and level-1 hanzi
    (common traditional characters); general punctuation and €. Kana, Greek, Cyrillic, box drawing, rare or
    extension hanzi are *not* in it — those are what a wrong decoding produces."""
    gb_rows = (range(0xA1, 0xA4), range(0xA8, 0xA9), range(0xB0, 0xF8))
    chars: set[str] = set()
    for rows in gb_rows:
        chars.update(_decode_all("gb2312", rows, (range(0xA1, 0xFF),)))
    chars.update(_decode_all("big5", range(0xA1, 0xC7), (range(0x40, 0x7F), range(0xA1, 0xFF))))
    chars.update(chr(c) for c in range(0x2000, 0x2070))
    chars.update(chr(c) for c in range(0x3000, 0x3040))
    chars.add("€")
    return frozenset(chars)


def plausible_cjk(text: str) -> bool:
    """Does a GB18030/Big5 decoding look like real (Chinese) text rather than mojibake?

    Non-ASCII characters must mostly (≥ 90 %) be common Chinese characters or punctuation, and private-use,
    unassigned and control characters must be rare (≤ 0.2 %). Latin-1 bytes read as GB18030, or Big5 read as
    GB18030, turn into rare extension hanzi, kana and private-use characters and fail this test."""
    counts = Counter(text)
    common = common_cjk()
    non_ascii = uncommon = bad = 0
    for ch, n in counts.items():
        if ch < "\x80":
            if _CONTROL_CHARS.match(ch):
                bad += n
            continue
        non_ascii += n
        if ch in common or ch.isspace():
            continue
        if unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cs"):
            bad += n
        else:
            uncommon += n
    total = len(text)
    return non_ascii > 0 and uncommon <= MAX_UNCOMMON_SHARE * non_ascii and bad <= MAX_BAD_SHARE * total


# ---------------------------------------------------------------------------------------------------------
# Shared helpers for extracted text
# ---------------------------------------------------------------------------------------------------------

_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_LINEBREAK = re.compile(rf"(?<=[{_CJK}])[^\S\n]*\n\s*(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")
_STRIP_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CELL = "\ue0ff"  # private-use marker between table cells (removed from input data first)
_CELLS = re.compile(rf"\s*(?:{_CELL}\s*)+")
_CELL_ENDS = re.compile(rf"^[\s{_CELL}]+|[\s{_CELL}]+$")


def one_line(s: str) -> str:
    """Collapse whitespace to single spaces; a line break between two CJK characters vanishes (as when a
    browser or word processor wraps Chinese text)."""
    s = _CJK_LINEBREAK.sub("", s)
    s = _SPACE.sub(" ", _STRIP_CONTROLS.sub(" ", s)).strip()
    return s


def join_cells(s: str) -> str:
    """Replace runs of the cell separator with `` | `` (and drop them at the ends)."""
    if _CELL not in s:
        return s
    return _CELLS.sub(" | ", _CELL_ENDS.sub("", s))


def _require_text(text: str, what: str = "text") -> str:
    if not text.strip():
        raise Unreadable(f"contains no {what}", "add text to it or remove it from the sources")
    return text


# ---------------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_WHATWG_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5", "latin_1": "cp1252",
                   "ascii": "cp1252", "iso8859_1": "cp1252"}


def html_charset(raw: bytes) -> str | None:
    """The codec declared by a ``<meta charset>`` / ``http-equiv`` tag in the first 4 KB, if any."""
    m = _META_CHARSET.search(raw[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):  # a meta tag cannot be read in UTF-16: the bytes are ASCII-ish
        return "utf-8"
    return _WHATWG_ALIASES.get(name.replace("-", "_"), name)


def decode_html(raw: bytes) -> str:
    """Decode HTML bytes: BOM, then a declared ``<meta charset>``, then plain-text detection."""
    if not any(raw.startswith(bom) for bom, _ in _BOMS):
        declared = html_charset(raw)
        if declared:
            try:
                return normalise_newlines(raw.decode(declared))
            except UnicodeDecodeError:
                pass  # mislabelled: fall back to detection
    return decode_text(raw)[0]


_BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "ul", "ol",
    "table", "blockquote", "pre", "header", "footer", "nav", "main", "aside", "dl", "dt", "dd", "figure",
    "figcaption", "hr", "caption", "address", "form", "fieldset", "body", "html", "thead", "tbody", "tfoot",
})
_SKIP = frozenset({"script", "style", "template", "noscript"})
_HEAD_ONLY = frozenset({"title", "meta", "link", "base", "style", "script", "noscript", "template"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._skip = 0
        self._in_head = False
        self._pre = 0

    def _flush(self) -> None:
        text = "".join(self._parts)
        self._parts = []
        if self._pre:
            lines = [ln.rstrip() for ln in text.strip("\n").split("\n")]
            text = "\n".join(ln for ln in lines if ln.strip())
        else:
            text = one_line(text)
        text = join_cells(text)
        if text:
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif self._in_head and (tag == "body" or tag not in _HEAD_ONLY):
            self._in_head = False  # </head> is optional
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            if tag == "pre":
                self._pre += 1
        elif tag in ("td", "th"):
            self._parts.append(_CELL)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._in_head:
            self._parts.append(data.replace(_CELL, ""))


def html_to_text(raw: bytes) -> str:
    """Visible text of an HTML page: one block per line, a blank line between blocks."""
    parser = _TextExtractor()
    try:
        parser.feed(decode_html(raw))
        parser.close()
    except AssertionError as e:  # pragma: no cover - html.parser only asserts on badly broken markup
        raise Unreadable(f"is not parseable HTML ({e})", "re-save it from a browser") from None
    parser._flush()
    return _require_text("\n\n".join(parser.blocks), "visible text")


# ---------------------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------------------

_DOCX_HINT = "open it in Word or LibreOffice and save it again as .docx"


def docx_to_text(raw: bytes) -> str:
    """Body text of a .docx: one paragraph per line, a blank line between paragraphs; a table row is one
    line with its cells joined by `` | ``. Headers, footers, footnotes and text boxes are not included."""
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("is not a .docx file (an old Word .doc, or a password-protected document)",
                         "remove any password and " + _DOCX_HINT)
    if not raw.startswith(b"PK"):
        raise Unreadable("is not a .docx file (not a ZIP package)", _DOCX_HINT)
    import docx  # python-docx; imported lazily, it pulls in lxml

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = list(_docx_blocks(document.element.body, document))
    except Exception as e:  # python-docx raises zipfile, KeyError, lxml and its own errors on damaged files
        raise Unreadable(f"is a damaged .docx ({type(e).__name__}: {one_line(str(e))[:120]})",
                         _DOCX_HINT) from None
    return _require_text("\n\n".join(blocks))


def _docx_blocks(container: Any, parent: Any) -> Iterator[str]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = one_line(Paragraph(child, parent).text)
            if text:
                yield text
        elif child.tag == qn("w:tbl"):
            yield from _docx_table(Table(child, parent))
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _docx_blocks(child, parent)


def _docx_table(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join(_docx_blocks(cell._tc, cell))
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


# ---------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------

PAGE_BREAK = "\f\n"
MIN_CHARS_PER_PAGE = 10
"""Fewer non-space characters than this per page on average means there is no real text layer."""
_PDF_HINT = "re-download or re-export the PDF"
MAX_OCR_PAGES = 500
"""A file with more scanned pages than this is refused (hours of recognition); split it."""


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class ReadText:
    """Text read from a file, with how sure the reading is of each physical line."""

    text: str
    """Pages joined by ``\\f\\n``."""
    confidence: tuple[float, ...] = ()
    """Per physical line of :attr:`text`: 1.0 for a text layer, the OCR score for a recognised line; empty
    when nothing was recognised."""
    scanned: int = 0
    """Pages read by OCR."""


def pdf_to_text(raw: bytes) -> str:
    """Text of each page, pages joined by ``\\f\\n`` (a form feed marks each page break); scanned pages are
    read by OCR with the default reader."""
    return pdf_read(raw).text


def pdf_read(raw: bytes, ocr: PageReader | None = None, ocr_pages: int = MAX_OCR_PAGES) -> ReadText:
    """Each page's text layer; a page without one (fewer than :data:`MIN_CHARS_PER_PAGE` characters) that
    holds an image is read by OCR (``ocr``, default :func:`~.ocr.current_reader`), at most ``ocr_pages`` of
    them."""
    if b"%PDF-" not in raw[:1024]:
        raise Unreadable("is not a PDF file (no %PDF header)", "give it the right file extension or "
                         + REMOVE_OR_CONVERT)
    eof = raw.rfind(b"%%EOF")
    if eof < 0 or len(raw) - eof > 4096:
        raise Unreadable("is truncated (no %%EOF marker at the end)", _PDF_HINT)
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(raw), strict=False)
            if reader.is_encrypted:
                try:
                    decrypted = reader.decrypt("")
                except DependencyError:
                    raise Unreadable("is encrypted with AES, which needs the 'cryptography' package",
                                     "pip install cryptography, or remove the encryption "
                                     "(qpdf --decrypt in.pdf out.pdf)") from None
                if decrypted == PasswordType.NOT_DECRYPTED:
                    raise Unreadable("is encrypted (needs a password)",
                                     "remove the password (e.g. qpdf --password=… --decrypt in.pdf out.pdf) "
                                     "and index the result")
            pages = [_page_text(page) for page in reader.pages]
            scans = {i: _page_image(page) for i, page in enumerate(reader.pages)
                     if len(_SPACE.sub("", pages[i])) < MIN_CHARS_PER_PAGE}
        except Unreadable:
            raise
        except Exception as e:  # pypdf raises many types (PdfReadError, KeyError, ValueError …) on bad files
            detail = f"{type(e).__name__}: {one_line(str(e))[:120]}"
            raise Unreadable(f"is damaged ({detail})", _PDF_HINT) from None
    if not pages:
        raise Unreadable("has no pages", _PDF_HINT)
    images = {i: data for i, data in scans.items() if data is not None}
    if len(images) > ocr_pages:
        raise Unreadable(f"has {len(images)} scanned pages, more than the {ocr_pages} read by OCR at once",
                         "split it into smaller PDFs (e.g. qpdf --split-pages) and add the parts")
    confidence: list[float] | None = None
    if images:
        confidence = []
        read = dict(zip(images, _recognise(list(images.values()), ocr), strict=True))
        for i in range(len(pages)):
            if i in read:
                pages[i] = "\n".join(ln.text for ln in read[i])
                confidence.extend(ln.confidence for ln in read[i])
                if not read[i]:
                    confidence.append(1.0)  # an empty page is one empty line
            else:
                confidence.extend([1.0] * (pages[i].count("\n") + 1))
    text = PAGE_BREAK.join(pages)
    if len(_SPACE.sub("", text)) < MIN_CHARS_PER_PAGE * len(pages) and not images:
        raise Unreadable("has no text layer and no page images to read",
                         "export it again as a PDF with text or with scanned page images")
    if not _SPACE.sub("", text):
        raise Unreadable("has scanned pages but no text was recognised on them",
                         "scan it again at 300 dpi, upright, and add it again")
    return ReadText(text, tuple(confidence) if confidence is not None else (), len(images))


def image_read(raw: bytes, ocr: PageReader | None = None, ocr_pages: int = MAX_OCR_PAGES) -> ReadText:
    """A page image (PNG, JPEG, TIFF; every frame of a multi-page TIFF is a page) read by OCR."""
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(raw))
        frames = getattr(img, "n_frames", 1)
        if frames > ocr_pages:
            raise Unreadable(f"has {frames} pages, more than the {ocr_pages} read by OCR at once",
                             "split it into smaller files and add the parts")
        datas: list[bytes] = []
        if frames == 1:
            datas.append(raw)
        else:
            for f in range(frames):
                img.seek(f)
                buf = io.BytesIO()
                img.save(buf, "PNG")
                datas.append(buf.getvalue())
    except Unreadable:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise Unreadable(f"is not a readable image ({type(e).__name__}: {one_line(str(e))[:120]})",
                         "save it again as PNG or JPEG") from None
    pages: list[str] = []
    confidence: list[float] = []
    for lines in _recognise(datas, ocr):
        pages.append("\n".join(ln.text for ln in lines))
        confidence.extend(ln.confidence for ln in lines)
        if not lines:
            confidence.append(1.0)
    text = PAGE_BREAK.join(pages)
    if not _SPACE.sub("", text):
        raise Unreadable("is an image on which no text was recognised",
                         "scan it again at 300 dpi, upright, or leave it out")
    return ReadText(text, tuple(confidence), len(datas))


def _recognise(datas: list[bytes], ocr: PageReader | None) -> list[list[TextLine]]:
    """Each encoded page image as physical lines (:func:`~.ocr.page_lines`)."""
    from PIL import Image

    from .ocr import ImageTooLarge, current_reader, page_lines

    reader = ocr if ocr is not None else current_reader()
    try:
        return [page_lines(page) for page in reader.read_many(datas)]
    except (ImageTooLarge, Image.DecompressionBombError) as e:
        raise Unreadable(f"has {e}", "scan it at 300 dpi or less and add it again") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise Unreadable(f"has a page image that cannot be decoded ({type(e).__name__}: {one_line(str(e))[:80]})",
                         "scan or export it again") from None
    except Exception as e:  # the engine's native code (onnxruntime, OpenCV) on a strange image: skip the file
        raise Unreadable(f"has a page the OCR engine failed on ({type(e).__name__}: {one_line(str(e))[:80]})",
                         "scan that page again (upright, 150–300 dpi) or leave the file out") from None


def _page_image(page: Any) -> bytes | None:
    """The encoded bytes of the largest image drawn on a page (a scan is one image per page), or ``None``."""
    best: bytes | None = None
    for image in page.images:
        data = image.data
        if not data.startswith((b"\xff\xd8", b"\x89PNG", b"II*\x00", b"MM\x00*")):
            buf = io.BytesIO()  # raw samples (Flate, CCITT…): pypdf decodes them to a PIL image
            image.image.save(buf, "PNG")
            data = buf.getvalue()
        if best is None or len(data) > len(best):
            best = data
    return best


def _page_text(page: Any) -> str:
    text = normalise_newlines(page.extract_text() or "").replace("\f", "\n")
    return _STRIP_CONTROLS.sub("", text.removeprefix("\ufeff")).strip()
