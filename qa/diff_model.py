"""Whether an added or dropped item of a diff is listed: a small fitted model over evidence that generalises.

The passes of :func:`reportqa.qa.diff.diff_sides` leave a few hundred unpaired sentences a pair of consecutive
reports, about four in ten of which the other report says in other words (hand-checks of the diff branches:
五是努力扩大进口 / 积极扩大进口…). Each such item is scored here from its evidence against the other report
(:func:`reportqa.qa.diff.listing_features`: how much of its content words, rarity-weighted, the other report never
writes; how much of its wording, clause by clause, is written there; its length, clauses, figures, period), by a
logistic regression fitted with scikit-learn on the items judged in those hand-checks (``bench/diff_fit.py``,
leave-one-pair-out) and shipped as plain JSON (``qa/data/diff_listing.json``: feature names, scaling,
coefficients, intercept, threshold) — no pickle, no scikit-learn at run time: the probability is one dot product.
An item is listed when ``P(no counterpart)`` is at least the threshold; the others are ``unsure``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from .logistic import Logistic

MODEL_FILE = "data/diff_listing.json"


class ListingModel(Logistic):
    """The fitted listing decision: ``P(news)``, listed when it reaches the threshold."""

    KIND = "listing model"

    def listed(self, x: Mapping[str, float]) -> bool:
        return self.holds(x)


@lru_cache(maxsize=1)
def builtin_listing() -> ListingModel | None:
    """The shipped model (``qa/data/diff_listing.json``), or None when the package has none."""
    return ListingModel.shipped(MODEL_FILE)


__all__ = ["MODEL_FILE", "ListingModel", "builtin_listing"]
