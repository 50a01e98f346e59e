"""Edits of a real report whose diff is known: paragraphs deleted, paragraphs inserted from another report,
figures changed, and the whole re-wrapped as hard-wrapped PDF-like text (page numbers, running header).

Used by bench/yoy_diff.py (recall and precision of ``reportqa diff``) and by the tests (tests/test_diff.py).
Every edit records its truth as sentence texts, so the measure never depends on how the diff groups them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportqa.index.reading.layout import char_width
from reportqa.index.reading.sentences import split_sentences
from reportqa.index.records import Paragraph
from reportqa.index.text.numbers import find_values

_NUM = re.compile(r"\d+(?:\.\d+)?")


_NUMBER_CHAR = re.compile(r"[0-9.．A-Za-z]")
_NO_LINE_START = set("，。、；：？！”’）》」』%‰·…")


def _wrap(text: str, width: int) -> list[str]:
    """Hard-wrap at ``width`` full-width columns the way typesetting does: by display width (digits and
    Latin letters are half as wide), and no line starts with ，。、 or a closing mark (it stays at the end of
    the line before), nor is a number or a Latin word cut."""
    lines: list[str] = []
    i = 0
    while i < len(text):
        j, w = i, 0.0
        while j < len(text) and w + char_width(text[j]) / 2 <= width:
            w += char_width(text[j]) / 2
            j += 1
        while j < len(text) and text[j] in _NO_LINE_START:
            j += 1
        k = j  # a number is never cut (2.5 / 2 000 would read as two words): move it to the next line
        while 0 < k < len(text) and _NUMBER_CHAR.match(text[k]) and _NUMBER_CHAR.match(text[k - 1]):
            k -= 1
        if k > i and k != j:
            j = k
        lines.append(text[i:j])
        i = j
    return lines


def rewrap(paragraphs: Sequence[str], width: int = 34, page_lines: int = 38) -> str:
    """``paragraphs`` as a PDF's text layer: each indented and hard-wrapped at ``width`` characters, with a
    page number line (``— 3 —``) every ``page_lines`` lines."""
    lines: list[str] = []
    page = 1
    for text in paragraphs:
        for line in _wrap("\u3000\u3000" + text, width):
            lines.append(line)
            if len(lines) % (page_lines + 1) == page_lines:
                lines.append(f"— {page} —")
                page += 1
    return "\n".join(lines) + "\n"


@dataclass
class Edited:
    """An edited copy of a report and what its diff against the original must say (sentence texts)."""

    paragraphs: list[str]
    """The edited report's paragraphs, in order (headings included)."""
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    """(sentence before, sentence after)."""


def _body(ps: Sequence[Paragraph]) -> list[int]:
    return [i for i, p in enumerate(ps) if not p.heading and len(p.text) >= 40 and i > 2]


def _refigure(sentence: str, rng: random.Random) -> str | None:
    """``sentence`` with one figure's number changed (20万亩 → 25万亩), or None when it has none."""
    values = [v for v in find_values(sentence) if v.parsed.unit and v.parsed.unit != "年"]
    if not values:
        return None
    v = rng.choice(values)
    m = _NUM.search(v.text)
    if m is None:
        return None
    old = m.group(0)
    new_value = float(old) * rng.choice((1.25, 1.5, 0.8, 2.0)) + (1 if "." not in old else 0.1)
    new = f"{new_value:.{len(old.split('.')[1])}f}" if "." in old else str(round(new_value))
    if new == old:
        return None
    start = v.start + m.start()
    return sentence[:start] + new + sentence[start + len(old) :]


def edit(a: Sequence[Paragraph], donor: Sequence[Paragraph], rng: random.Random, n_delete: int = 4,
         n_insert: int = 4, n_change: int = 6) -> Edited:  # fmt: skip
    """Delete ``n_delete`` body paragraphs of ``a``, insert ``n_insert`` body paragraphs of ``donor`` at random
    places, change a figure in ``n_change`` sentences (of paragraphs kept)."""
    body = _body(a)
    deleted = set(rng.sample(body, min(n_delete, len(body))))
    texts = [p.text for p in a]
    out = Edited(paragraphs=[])
    a_sentences = {s for p in a for s in split_sentences(p.text)}
    candidates = [
        (i, k) for i in body if i not in deleted for k, s in enumerate(split_sentences(texts[i]))
        if _refigure(s, random.Random(0)) is not None and split_sentences(texts[i]).count(s) == 1
    ]  # fmt: skip
    changes: dict[int, dict[int, str]] = {}
    for i, k in rng.sample(candidates, min(n_change, len(candidates))):
        s = split_sentences(texts[i])[k]
        new = _refigure(s, rng)
        if new is not None and new not in a_sentences:
            changes.setdefault(i, {})[k] = new
            out.changed.append((s, new))
    kept: list[str] = []
    for i, text in enumerate(texts):
        if i in deleted:
            out.dropped.extend(split_sentences(text))
            continue
        if i in changes:
            ss = split_sentences(text)
            for k, new in changes[i].items():
                ss[k] = new
            text = "".join(ss)
        kept.append(text)
    inserted = rng.sample(_body(donor), min(n_insert, len(_body(donor))))
    for j in inserted:
        text = donor[j].text
        at = rng.randrange(4, len(kept))
        kept.insert(at, text)
        out.added.extend(s for s in split_sentences(text) if s not in a_sentences)
    out.paragraphs = kept
    return out


__all__ = ["Edited", "edit", "rewrap"]
