"""An English question's quantity in the reports' Chinese terms, and the words of it the glossary cannot map.

The glossary (:mod:`.glossary`) maps English phrases to the Chinese words reports use. Two kinds of phrase bind
differently when the support check (:mod:`.support`) looks for the asked quantity's clause:

* a **thing** reports count (:data:`~reportqa.qa.glossary.ITEMS`: grain 粮食, tourists 游客, cruise 邮轮, the EU
  欧盟…) is what the question asks about: the clause carrying the value must name it ("What was Tibet's grain
  output?" is answered by the grain item of "粮食、蔬菜、肉蛋奶产量分别达108万吨、95万吨…", and not by another
  figure of a report that never gives one for grain);
* a **general** word (income 收入, investment 投资, economy 经济…) only approximates how a report names the
  quantity: it helps find and rank the clause but never makes the answer a decline.

English content words the glossary does not know (:func:`unmapped_words`) never decline a question either: they
make the answer less certain (:attr:`~reportqa.qa.answer.Asked.unmapped`, the confidence score), nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.index.text.regions import region_mentions
from reportqa.index.text.tokens import EN_STOPWORDS

from .glossary import english_phrases, entries, is_item


@dataclass(frozen=True)
class EnglishTerm:
    """One glossary phrase of an English question and its Chinese words."""

    english: str
    """The phrase as matched (lower case)."""
    chinese: tuple[str, ...]
    """The reports' words for it (alternatives)."""
    bound: bool
    """It names a thing reports count (:func:`~reportqa.qa.glossary.is_item`): the answer's clause must name it."""


def chinese_terms(question: str) -> list[EnglishTerm]:
    """The glossary phrases of ``question`` in order, each with its Chinese words and whether it binds."""
    return [EnglishTerm(p, entries()[p], is_item(p)) for _, _, p in english_phrases(question)]


QUESTION_WORDS_EN = frozenset(
    ["according", "achieve", "achieved", "amount", "annual", "average", "become", "china", "chinese", "country",
     "cut", "decline", "declined", "drop", "dropped", "exceed", "exceeded", "expand", "expanded", "expected",
     "fall", "fell", "figure", "first", "five-year", "get", "give", "given", "go", "goal", "grew", "grow",
     "growth", "handle", "handled", "harvest", "harvested", "high", "higher", "increase", "increased", "large",
     "level", "low", "lower", "made", "make", "national", "nationwide", "output", "percent", "percentage", "plan",
     "previous", "produce", "produced", "production", "province", "provincial", "raise", "raised", "rate",
     "reach", "reached", "receive", "received", "reduce", "reduced", "region", "rise", "rose", "set", "share",
     "size", "state", "stated", "target", "targets", "time", "value", "volume", "whole", "work"]
)  # fmt: skip
"""English words any quantity question uses (how a figure moves, what kind of figure, where the question comes
from): not part of the quantity's name, so never "unmapped"."""

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def unmapped_words(question: str) -> tuple[str, ...]:
    """English content words of ``question`` that no glossary phrase, region name, stop word or question word
    covers ("smartphone" when the glossary lacks it): what the support check cannot bind."""
    low = question.lower()
    covered = [(a, b) for a, b, _ in english_phrases(question)]
    covered += [(r.start, r.end) for r in region_mentions(question)]
    out = []
    for m in _WORD.finditer(low):
        w = m.group(0).removesuffix("'s")
        if any(a <= m.start() < b for a, b in covered):
            continue
        if w in EN_STOPWORDS or w in QUESTION_WORDS_EN or len(w) <= 2:
            continue
        out.append(w)
    return tuple(dict.fromkeys(out))


__all__ = ["QUESTION_WORDS_EN", "EnglishTerm", "chinese_terms", "unmapped_words"]
