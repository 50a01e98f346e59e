"""Sentence splitting for Chinese (and English) passages, keeping exact substrings and their offsets.

Used at build time (every chunk's sentences are embedded and stored) and at question time (the answer
sentence is one of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CLAUSE_PUNCT = "，,；;。！？!?：:"
"""The marks that end a clause (a sentence's own end marks among them): where the answer, support, diff and
rarity checks cut a sentence into clauses."""

# A sentence ends at Chinese or Latin terminal punctuation, with any closing quotes/brackets that follow.
_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|(?<=[A-Za-z0-9\)])\.(?=\s|$)[”’\"]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``, surrounding whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0

    def add(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))

    for m in _END.finditer(text):
        add(start, m.end())
        start = m.end()
    add(start, len(text))
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order; each is an exact substring (stripped of surrounding whitespace)."""
    return [text[a:b] for a, b in sentence_spans(text)]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a chunk: row ``id`` of ``sentence_vectors.npy``."""

    id: int
    chunk: int
    """Id of the chunk (row of ``vectors.npy``) the sentence belongs to."""
    start: int
    end: int
    """Offsets into the chunk's text: ``chunk.text[start:end]`` is the sentence."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "chunk": self.chunk, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Sentence:
        return cls(id=int(d["id"]), chunk=int(d["chunk"]), start=int(d["start"]), end=int(d["end"]))
