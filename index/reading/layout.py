"""Line-level layout signals for paragraph reconstruction.

Everything here is general: display widths of characters, page clutter (page numbers, running headers and
footers, newspaper continuation markers), heading and bullet patterns, and the rule that joins two physical
lines of one paragraph. Nothing is keyed to a particular document.

Widths are measured in *columns*: a CJK character (east-asian width W/F) is 2 columns, an ASCII letter or
digit 1. In a CJK document the ambiguous-width characters (“”‘’—…·, Ⅲ, ①…) are typeset full width,
so they count 2, and an ASCII space between a number and a CJK character is only a thin gap in the PDF it
came from, so it counts half a column.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# ----------------------------------------------------------------------------------------------- widths


def char_width(ch: str, cjk: bool = True) -> float:
    """Display width of one character in columns (see the module docstring)."""
    if ch == " ":
        return 0.5 if cjk else 1.0
    if ch == "\t":
        return 4.0
    if ch == "\u3000":
        return 2.0
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Cf") or cat == "Cc":
        return 0.0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F"):
        return 2.0
    if eaw == "A" and cjk:
        return 2.0
    return 1.0


def text_width(s: str, cjk: bool = True) -> float:
    """Display width of a string in columns."""
    return sum(char_width(ch, cjk) for ch in s)


def indent_width(line: str) -> float:
    """Width of the leading whitespace: full-width space 2, ASCII space 1, tab 4; form feeds etc. 0."""
    w = 0.0
    for ch in line:
        if ch == "\u3000":
            w += 2
        elif ch == " ":
            w += 1
        elif ch == "\t":
            w += 4
        elif ch.isspace():
            continue
        else:
            break
    return w


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_cjk_text(text: str) -> bool:
    """True when at least a quarter of the visible characters are wide (CJK) characters."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return False
    return sum(1 for ch in visible if is_wide(ch)) * 4 >= len(visible)


# ------------------------------------------------------------------------------------------ punctuation

CLOSERS = "”’」』）)》〉】〕]}\"'"
"""Closing quotes and brackets that may follow a sentence end."""
SENTENCE_END = "。！？!?；;…"
"""Punctuation that ends a sentence (and so may end a paragraph)."""
LATIN_END = "."
OPEN_END = "，、：:,（(“‘《〈【"
"""A line or paragraph ending in one of these continues."""
NO_LINE_START = "，。、；：！？）》」』”’…%‰,.;:!?)]}·"
"""Characters a line may not start with (kinsoku): they travel with the character before them."""


def ends_sentence(s: str, latin: bool = True) -> bool:
    """True when ``s`` ends with sentence-final punctuation, possibly followed by closing quotes/brackets."""
    t = s.rstrip().rstrip(CLOSERS)
    if not t:
        return False
    if t[-1] in SENTENCE_END:
        return True
    return latin and t[-1] in LATIN_END and not (len(t) >= 2 and t[-2].isdigit())


def first_token_width(s: str, cjk: bool) -> float:
    """Width of what would have had to fit at the end of the previous line for ``s`` not to start a line."""
    s = s.lstrip()
    if not s:
        return 0.0
    if s[0].isascii() and not s[0].isspace():
        m = re.match(r"[^\s]+", s)
        tok = m.group(0) if m else s[0]
        # only the ASCII run: a CJK character after a number could have been split off
        run = re.match(r"[\x21-\x7e]+", tok)
        tok = run.group(0) if run else tok[0]
        w = text_width(tok, cjk)
    else:
        i = 1
        while i < len(s) and s[i] in NO_LINE_START:
            i += 1
        w = text_width(s[:i], cjk)
    return max(w, 2.0) if cjk else w


# ------------------------------------------------------------------------------------------- clutter

_CN_NUM = "一二三四五六七八九十百零〇两"
_DASH = "-—–－~～_‐‑‒―"
PAGE_NUMBER_RES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^[{_DASH}]+\s*\d{{1,4}}\s*[{_DASH}]+$"),
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[/,，、]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^共\s*\d{1,4}\s*页\s*[/,，、]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
)
BARE_NUMBER_RE = re.compile(r"^\d{1,4}$")

_MARKER = (
    r"[（(]\s*(?:"
    rf"(?:下转|上接|紧接|接上|转下|转|接|续)\s*(?:第\s*[{_CN_NUM}\d]+\s*[版页面]|[上下]?[页版面])"
    r"|续(?:[上前]?[页表文])?|未完待?续"
    r")\s*[)）]"
)
MARKER_RE = re.compile(rf"[ \t\u3000]*(?:{_MARKER})(?:[ \t\u3000]*(?:{_MARKER}))*[ \t\u3000]*")
"""Newspaper/page continuation markers (``（下转第三版）``, ``（紧接第一版）``, ``（续）``) and the spaces
round them; consecutive markers are removed as one."""


def is_page_number(stripped: str) -> bool:
    return any(p.match(stripped) for p in PAGE_NUMBER_RES)


def header_key(stripped: str) -> str:
    """A running header/footer with its page number replaced, so ``报告 3`` and ``报告 4`` compare equal."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", stripped))


@dataclass(frozen=True)
class Clutter:
    """The per-document decision of which lines are page clutter. Apply the same value to the whole document
    and to any slice of it so that reconstruction and :func:`clean_text` agree."""

    headers: frozenset[str] = frozenset()
    """:func:`header_key` of running headers/footers (repeated on many pages)."""
    bare_page_numbers: bool = False
    """Whether a line holding only a number is a page number in this document."""

    def is_clutter_line(self, stripped: str) -> bool:
        if not stripped:
            return False
        if is_page_number(stripped):
            return True
        if self.bare_page_numbers and BARE_NUMBER_RE.match(stripped):
            return True
        return bool(self.headers) and header_key(stripped) in self.headers


def _remove_marker(m: re.Match[str]) -> str:
    s, a, b = m.string, m.start(), m.end()
    before = s[a - 1] if a > 0 else ""
    after = s[b] if b < len(s) else ""
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return " "
    return ""


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width characters that web and wiki text leaves round words; stripped from line ends."""


def strip_line(line: str) -> str:
    """A physical line without surrounding whitespace and zero-width characters."""
    return line.strip().strip(INVISIBLE).strip()


def clean_line(line: str, clutter: Clutter) -> str:
    """One physical line without page clutter and surrounding whitespace ('' when nothing is left)."""
    stripped = strip_line(line)
    if not stripped or clutter.is_clutter_line(stripped):
        return ""
    return MARKER_RE.sub(_remove_marker, stripped).strip()


def join_lines(parts: Sequence[str]) -> str:
    """Join cleaned lines of one paragraph: CJK lines with nothing, Latin words with one space, a word
    hyphenated at the line end with nothing (the hyphen is kept)."""
    out = ""
    for p in parts:
        if not p:
            continue
        if out:
            a, b = out[-1], p[0]
            if a == "-" and len(out) >= 2 and out[-2].isalpha() and b.isalpha():
                sep = ""
            elif a.isascii() and b.isascii() and (a.isalnum() or a in ",.;:!?)]}\"'%") and (
                b.isalnum() or b in "([{\"'"
            ):
                sep = " "
            else:
                sep = ""
            out += sep
        out += p
    return out


def _page_breaks(lines: Sequence[str]) -> list[int]:
    """0-based indices of lines that mark a page boundary (form feeds, page numbers)."""
    return [i for i, ln in enumerate(lines) if "\f" in ln or is_page_number(ln.strip())]


def _regular(positions: Sequence[int]) -> bool:
    gaps = [b - a for a, b in pairwise(positions)]
    if not gaps:
        return False
    med = statistics.median(gaps)
    if med < 8:
        return False
    near = sum(1 for g in gaps if abs(g - med) <= 0.35 * med)
    return near * 3 >= len(gaps) * 2


def detect_clutter(lines: Sequence[str]) -> Clutter:
    """Decide, for the whole document, which repeated lines are running headers/footers and whether bare
    number lines are page numbers."""
    stripped = [ln.strip() for ln in lines]
    # bare numbers: page numbers when there are several and they count up
    bare = [int(s) for s in stripped if BARE_NUMBER_RE.match(s)]
    bare_pages = len(bare) >= 2 and all(a < b for a, b in pairwise(bare))
    breaks = _page_breaks(lines)
    if bare_pages:
        breaks += [i for i, s in enumerate(stripped) if BARE_NUMBER_RE.match(s)]
    breaks = sorted(set(breaks))

    occurrences: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stripped):
        if not s or is_page_number(s) or BARE_NUMBER_RE.match(s):
            continue
        if text_width(s) > 80:
            continue
        key = header_key(s)
        # a header has words (not just a figure and punctuation) and is not a sentence ending in 。！？, nor a
        # numbered outline heading (（一）…, 一、…: the author's structure, never a page's running header)
        if sum(ch.isalpha() for ch in key) < 2 or s[-1] in "。！？!?" or heading_family(s) is not None:
            continue
        occurrences[key].append(i)
    content = sum(1 for s in stripped if s)
    headers: set[str] = set()
    for key, pos in occurrences.items():
        if len(pos) < 3 or len(pos) * 4 > max(content, 1):
            continue
        if len(breaks) >= 2:
            edges = [-1, *breaks, len(lines)]
            near = 0
            for p in pos:
                # within a few non-blank lines of a page boundary
                if any(_nonblank_between(stripped, p, e) <= 2 for e in edges):
                    near += 1
            if near * 3 >= len(pos) * 2:
                headers.add(key)
        elif _regular(pos):
            headers.add(key)
    return Clutter(headers=frozenset(headers), bare_page_numbers=bare_pages)


def _nonblank_between(stripped: Sequence[str], a: int, b: int) -> int:
    lo, hi = min(a, b), max(a, b)
    return sum(1 for s in stripped[max(lo + 1, 0) : hi] if s)


# -------------------------------------------------------------------------------------------- headings

_CN = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第[{_CN}\d]+[编部篇](?:\s|$|[^\d])")),
    ("chapter", re.compile(rf"^第[{_CN}\d]+章")),
    ("section", re.compile(rf"^第[{_CN}\d]+节")),
    ("article", re.compile(rf"^第[{_CN}\d]+条")),
    ("cn", re.compile(rf"^[{_CN}]+[、．]")),
    ("cn-paren", re.compile(rf"^[（(][{_CN}]+[)）]")),
    ("num", re.compile(r"^\d{1,2}(?:[．、]|\.(?!\d))")),
    ("num-paren", re.compile(r"^[（(]\d{1,2}[)）]")),
    ("circled", re.compile(r"^[①-⑳]")),
    ("dotted", re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\s")),
)
MARKDOWN_HEADING_RE = re.compile(r"^(#{1,6})\s+\S")
BULLET_RE = re.compile(r"^(?:——|—|•|●|○|·|▪|■|□|◆|◇|★|☆|[-*+]\s)")


def heading_family(text: str) -> str | None:
    """The numbering family a line/paragraph starts with (``cn`` for ``一、``, ``cn-paren`` for ``（一）``…),
    ``md1``..``md6`` for markdown headings, or None."""
    m = MARKDOWN_HEADING_RE.match(text)
    if m:
        return f"md{len(m.group(1))}"
    for name, pat in HEADING_PATTERNS:
        if pat.match(text):
            return name
    return None


def starts_block(text: str) -> bool:
    """The line starts like a new block: a numbered heading/item or a bullet (``——``, ``•``)."""
    return heading_family(text) is not None or bool(BULLET_RE.match(text))


def strip_markdown(text: str) -> str:
    m = MARKDOWN_HEADING_RE.match(text)
    return text[len(m.group(1)) :].strip() if m else text


def robust_mode(values: Sequence[float]) -> float:
    c = Counter(values)
    return max(c.items(), key=lambda kv: (kv[1], -kv[0]))[0]
