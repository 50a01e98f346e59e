"""How often the asked quantity's words occur: in the library, and in the reports a question names.

A figure the named report never gives is often a quantity no indicator lists (草莓产量, 电竞产业收入, 海水淡化规模):
the question's defining words are rare in the whole library and absent from the named report, and whatever
passage retrieval finds there is about something else. :class:`WordCounts` answers the two questions that
decision needs — how many passages of the library hold a word (the keyword index's document frequency; a
compound word its vocabulary lacks is bounded by its rarest token) and whether the searched reports' text holds
it at all (their passages as written) — and :mod:`.answerable` decides with them
(:data:`~reportqa.qa.answerable.REPORT_WORDS_MISSING`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from reportqa.index.reading.sentences import CLAUSE_PUNCT
from reportqa.index.storage.store import LoadedIndex
from reportqa.index.text.tokens import QUESTION_WORDS, names_thing, normalize, tokenize, unglued

_ASKING = "几哪谁啥吗呢"
"""Characters that only ask (a word holding one is the question's, 第几次, not a quantity's)."""
GAP = 2
"""Characters a word may have between its own where a report writes it as a list (第二产业 in 一、二、三产业) or
shortened (电竞 in 电子竞技): at most this many, within one clause."""


@dataclass(frozen=True)
class WordCounts:
    """Word counts over one index, for one search's scope (see the module docstring)."""

    index: LoadedIndex
    ranges: np.ndarray | None
    """The searched chunk id ranges (rows ``start, end``): the named reports; None when the search was not
    limited to named reports (then no word is "absent from the named report")."""

    @property
    def passages(self) -> int:
        """Passages in the library (the keyword index's document count; 0 without one)."""
        lex = self.index.lexical
        return max(lex.num_docs, 1) if lex is not None else 0

    def df(self, word: str) -> int | None:
        """Passages of the library holding ``word`` (None without a keyword index): its own count when the
        index knows it as a token, else at most its rarest token's."""
        lex = self.index.lexical
        if lex is None:
            return None
        if word in lex.vocab:
            return lex.df(word)
        return min((lex.df(t) for t in tokenize(word) if t), default=0)

    @staticmethod
    def is_word(word: str) -> bool:
        """``word`` names something, not a fragment of the question: nothing glued to it (率要 of 建成率要达到,
        :func:`~reportqa.index.text.tokens.unglued`) and no question word in it (第几次)."""
        return word not in QUESTION_WORDS and not any(c in _ASKING for c in word) and unglued(word) == word

    def rare(self, word: str, share: float) -> bool:
        """At most ``share`` of the library's passages hold ``word``."""
        n = self.df(word)
        return n is not None and self.passages > 0 and n <= share * self.passages

    @cached_property
    def searched_text(self) -> str | None:
        """The searched reports' text, normalised without spaces (read once, when first asked)."""
        if self.ranges is None:
            return None
        chunks = self.index.chunks
        text = "".join(chunks[c].text for a, b in self.ranges.tolist() for c in range(int(a), int(b)))
        return normalize(text).replace(" ", "")

    def in_searched(self, word: str) -> bool | None:
        """The searched reports hold ``word`` (None: no named report to look in)."""
        text = self.searched_text
        if text is None:
            return None
        w = normalize(word).replace(" ", "")
        # a long word the segmenter glued a character to (马拉松赛 for the report's 马拉松) counts by its stem
        if w in text or (len(w) >= 4 and (w[:-1] in text or w[1:] in text)):
            return True
        w = w[1:] if len(w) >= 3 and w[0] == "第" else w  # an ordinal a list drops (第二产业 in 一、二、三产业)
        return len(w) >= 2 and _spread(w).search(text) is not None

    @staticmethod
    def askers(word: str) -> bool:
        """``word`` is how the asker speaks, not a thing a report would count: a verb, pronoun, place word,
        adverb… of the general dictionary (请来, 每人, 手里, 最少), or an unknown word ending in one (楼装, 再多建:
        :func:`~reportqa.index.text.tokens.names_thing`). Another unknown word may name a new thing (电竞) and
        stays."""
        return names_thing(word) is False


def _spread(word: str) -> re.Pattern[str]:
    """``word``'s characters in order with at most :data:`GAP` others of the same clause between each two."""
    gap = f"[^{re.escape(CLAUSE_PUNCT)}]{{0,{GAP}}}"
    return re.compile(gap.join(re.escape(c) for c in word))


__all__ = ["WordCounts"]
