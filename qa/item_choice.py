"""Which item of a list an English question asks when the glossary names none of them (issue 23, stop 38).

"How much did value added of the aerospace sector rise?" about
"船舶、电子专用材料、航空航天行业增加值分别增长84.8%、17.5%、12.3%": the glossary maps value added (增加值) but not
aerospace, so the support check (:mod:`.support`) finds the quantity and, naming no item, takes the list's first
value — another item's. The embedder that carries an English question to a Chinese passage also says which item the
question's unmapped words (:attr:`~reportqa.qa.answer.Asked.unmapped`) are nearest to: that item's value is marked when
it is clearly nearer than the next one (:data:`ITEM_MARGIN`); otherwise the highlight stays as the support check found
it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .answer import Asked, Located
from .support import listing_at

Embed = Callable[[Sequence[str]], np.ndarray]
"""Texts → unit vectors, one row each (the engine's embedder, as queries)."""

ITEM_MARGIN = 0.0
"""How much nearer (cosine) the chosen item must be to the unmapped words than the next item. 0: the nearest, since
what it replaces — the list's first value — is a guess knowing less. On the tune half of
bench/eval/enum-en-probe.dev.jsonl read without the glossary words fitted to it, 48/62 right at 0, 46 at 0.002, 45 at
0.02, 42 at 0.03, 41 without the choice; no question right before turned wrong (bench/RESULTS-trust-enum.md, stop
38)."""


def nearest(embed: Embed, words: Sequence[str], items: Sequence[str], margin: float = ITEM_MARGIN) -> int | None:
    """The item of ``items`` nearest ``words`` (joined), when nearer than every other by ``margin`` (the first of
    equally near ones at 0); else None."""
    if len(items) < 2 or not words:
        return None
    vecs = np.asarray(embed([" ".join(words), *items]), dtype=np.float32)
    sims = vecs[1:] @ vecs[0]
    order = np.argsort(-sims)
    return int(order[0]) if sims[order[0]] - sims[order[1]] >= margin else None


def by_meaning(thing: Asked, sentence: str, located: Located, embed: Embed) -> Located:
    """``located`` (the highlight of ``sentence``), or — when it is a value of a list none of whose items the question's
    own words name, and the question has unmapped words — the value of the item nearest them (:func:`nearest`)."""
    if not thing.english or not thing.unmapped or not located.figure:
        return located
    at = sentence.find(located.figure)
    listed = listing_at(thing, sentence, at) if at >= 0 else None
    if listed is None or listed.named:
        return located
    i = nearest(embed, thing.unmapped, listed.items)
    if i is None:
        return located
    x, y = listed.values[i]
    return Located(sentence[x:y], located.clause)


__all__ = ["ITEM_MARGIN", "Embed", "by_meaning", "nearest"]
