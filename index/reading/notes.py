"""Appendices and endnotes: what follows a report's closing, and the markers in the body that cite it.

Reports end with a closing exhortation and may then carry appendices: a glossary (名词解释, 《政府工作报告》
有关内容名词注释), endnotes (注释 ［1］…［28］), an annex (附件 2026年民生实事). Each appendix heading opens a
top-level section of its own, so the notes stay findable under their own heading path instead of being
merged into the last body section.

A marker in the body (``［3］``, ``[3]``, ``①``) cites the note whose label carries the same number; the
citing paragraph lists the note's paragraphs in :attr:`~.records.Paragraph.notes`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import ends_sentence, text_width

__all__ = ["APPENDIX_HEADING_RE", "cited_numbers", "is_appendix_heading", "link_notes", "note_label"]

APPENDIX_HEADING_RE = re.compile(
    r"^(?:"
    r"(?:附件|附录|附表)\s*[\d一二三四五六七八九十]{0,3}(?:\s*[:：].{0,30})?"
    r"|.{0,24}(?:名词解释|名词注释|名词解析|注释|注解|释义|尾注)"
    r"|注"
    r")\s*[:：]?$"
)
"""A heading that opens an appendix (附件1, 附录, 名词解释, 注释, 《政府工作报告》有关内容名词注释)."""

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MARKER_RE = re.compile(rf"[［\[](\d{{1,3}})[］\]]|([{_CIRCLED}])")
_LABEL_RE = re.compile(rf"^＠?(?:[［\[](\d{{1,3}})[］\]]|([{_CIRCLED}])|(\d{{1,3}})\s*[.．、](?!\d))")


def is_appendix_heading(text: str) -> bool:
    """``text`` is a short standalone line naming an appendix (not a sentence)."""
    t = text.strip()
    if not t or text_width(t) > 60 or ends_sentence(t):
        return False
    return bool(APPENDIX_HEADING_RE.match(t))


def _number(m: re.Match[str]) -> int:
    for g in m.groups():
        if g is None:
            continue
        return _CIRCLED.index(g) + 1 if g in _CIRCLED else int(g)
    raise ValueError(m.group(0))


def note_label(text: str) -> int | None:
    """The note number a paragraph inside an appendix starts with (``［3］…``, ``3.…``, ``③…``)."""
    m = _LABEL_RE.match(text)
    return _number(m) if m else None


def cited_numbers(text: str) -> tuple[int, ...]:
    """Note numbers cited by markers inside ``text`` (a marker at the very start is a label, not a cite)."""
    out: list[int] = []
    for m in _MARKER_RE.finditer(text):
        if m.start() == 0:
            continue
        k = _number(m)
        if k not in out:
            out.append(k)
    return tuple(out)


def link_notes(texts: Sequence[str], in_appendix: Sequence[bool], headings: Sequence[bool]) -> list[tuple[int, ...]]:
    """For each paragraph (by index), the indices of the note paragraphs its markers cite.

    A note is the appendix paragraph carrying the label and the body paragraphs that follow it up to the
    next label or heading (a glossary term ``［1］一降三减：`` and its definition on the next line).
    """
    notes: dict[int, list[int]] = {}
    current: list[int] | None = None
    for i, (t, app, head) in enumerate(zip(texts, in_appendix, headings, strict=True)):
        if not app or head:
            current = None
            continue
        k = note_label(t)
        if k is not None:
            current = [] if k in notes else notes.setdefault(k, [])
            current.append(i)
        elif current is not None:
            current.append(i)
    out: list[tuple[int, ...]] = []
    for t, app, head in zip(texts, in_appendix, headings, strict=True):
        if app or head:
            out.append(())
            continue
        cited = [j for k in cited_numbers(t) for j in notes.get(k, [])]
        out.append(tuple(cited))
    return out
