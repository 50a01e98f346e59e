"""Choosing the one sentence that answers a question, and the figure in it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .records import Hit
from .sentences import split_sentences

_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")


def _grams(text: str) -> set[str]:
    """Character bigrams of CJK runs plus Latin words and numbers: a cheap overlap measure."""
    grams = {m.group(0).lower() for m in _WORD.finditer(text)}
    cjk = "".join(c if _CJK.match(c) else " " for c in text)
    for run in cjk.split():
        grams.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return grams


def choose_sentence(question: str, hits: Sequence[Hit]) -> tuple[str | None, int | None, str | None]:
    """The sentence (of the given hits) sharing most with the question: ``(sentence, hit rank, highlight)``."""
    q = _grams(question)
    best: tuple[float, str, int] | None = None
    for hit in hits:
        for pos, sent in enumerate(split_sentences(hit.text)):
            overlap = len(q & _grams(sent)) - 0.001 * pos
            if best is None or overlap > best[0]:
                best = (overlap, sent, hit.rank)
    if best is None:
        return None, None, None
    return best[1], best[2], None
