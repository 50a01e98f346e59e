"""New terms: words and phrases report B writes that report A never does (its 新提法).

Candidates are jieba words of at least :data:`MIN_WORD` characters and phrases of two adjacent words
(:data:`MIN_PHRASE`–:data:`MAX_PHRASE` characters), Chinese characters only. Generic words are filtered out:
stop words (:data:`reportqa.index.text.tokens.CN_STOPWORDS`), candidates that begin or end with a function
character (的, 和, 在 …), and the reports' generic words on their own
(:data:`reportqa.index.text.tokens.GENERIC_WORDS`: verbs of exhortation that begin every other sentence, 加快,
推进 …). A candidate absent from all of A's text (whitespace and full-width forms folded) is new; a shorter
candidate inside a longer new one with as many occurrences is dropped (the longer one says it).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportqa.index.records import Citation
from reportqa.index.text.tokens import CN_STOPWORDS, GENERIC_WORDS, init_jieba

MIN_WORD = 3
MIN_PHRASE = 4
MAX_PHRASE = 8
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
_FUNCTION_EDGE = frozenset("的了和与及或并而也都又还就则即之其此这那该各每等在是为对把将要着从以于向由被给让使有")


@dataclass(frozen=True)
class NewTerm:
    """A phrase of B absent from A, how often B writes it, and the first sentence that does."""

    term: str
    count: int
    sentence: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "count": self.count, "sentence": self.sentence, "citation": self.citation.to_json()}


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _usable(term: str) -> bool:
    return (
        bool(_HAN.match(term))
        and term not in CN_STOPWORDS
        and term not in GENERIC_WORDS
        and term[0] not in _FUNCTION_EDGE
        and term[-1] not in _FUNCTION_EDGE
    )


def candidates(sentence: str) -> list[str]:
    """Words and two-word phrases of ``sentence`` that could be a term, in order."""
    init_jieba()
    import jieba

    words = [w for w in jieba.lcut(_fold(sentence)) if w.strip()]
    out = [w for w in words if len(w) >= MIN_WORD and _usable(w)]
    for x, y in itertools.pairwise(words):
        t = x + y
        if MIN_PHRASE <= len(t) <= MAX_PHRASE and _usable(t) and x not in GENERIC_WORDS and _usable(y):
            out.append(t)
    return out


def new_terms(a_texts: Sequence[str], b_units: Sequence[tuple[str, Citation]], limit: int = 30) -> tuple[NewTerm, ...]:
    """Up to ``limit`` terms of B (sentences with citations) absent from A (sentences), most frequent first."""
    a_all = "\n".join(_fold(t) for t in a_texts)
    b_all = "\n".join(_fold(t) for t, _ in b_units)
    first: dict[str, tuple[str, Citation]] = {}
    in_a: set[str] = set()  # candidates A writes, each searched for once (a stock phrase recurs in every section)
    for text, citation in b_units:
        for c in candidates(text):
            if c in first or c in in_a:
                continue
            if c in a_all:
                in_a.add(c)
            else:
                first[c] = (text, citation)
    counts = {t: b_all.count(t) for t in first}
    # the most occurrences of a longer candidate holding each shorter string (all-pairs `t in u` is quadratic)
    within: dict[str, int] = {}
    for u in first:
        for i in range(len(u)):
            for j in range(i + MIN_WORD, len(u) + 1):
                if j - i < len(u):
                    within[u[i:j]] = max(within.get(u[i:j], 0), counts[u])
    kept = [t for t in first if within.get(t, 0) < counts[t]]
    kept.sort(key=lambda t: (-counts[t], b_all.find(t)))
    return tuple(NewTerm(t, counts[t], first[t][0], first[t][1]) for t in kept[:limit])


__all__ = ["MAX_PHRASE", "MIN_PHRASE", "MIN_WORD", "NewTerm", "candidates", "new_terms"]
