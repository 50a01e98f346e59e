"""Sentence splitting for Chinese (and English) passages, keeping exact substrings."""

from __future__ import annotations

import re

# A sentence ends at Chinese or Latin terminal punctuation, with any closing quotes/brackets that follow.
_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|(?<=[A-Za-z0-9\)])\.(?=\s|$)[”’\"]*")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order; each is an exact substring (stripped of surrounding whitespace)."""
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
