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

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MODEL_FILE = "data/diff_listing.json"


@dataclass(frozen=True)
class ListingModel:
    """A fitted logistic regression: ``P(news) = σ(intercept + Σ coef·(x − mean)/scale)``."""

    features: tuple[str, ...]
    """Input names, in the order of the other vectors."""
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """Listed when the probability is at least this (chosen on the labelled items)."""

    def probability(self, x: Mapping[str, float]) -> float:
        """``P(news)`` of one item's features (a missing feature counts as its mean)."""
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += c * (float(x.get(name, m)) - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def listed(self, x: Mapping[str, float]) -> bool:
        return self.probability(x) >= self.threshold

    def to_json(self) -> dict[str, object]:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold}  # fmt: skip

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> ListingModel:
        """Raises ValueError for a file that is not such a model."""

        def floats(key: str) -> tuple[float, ...]:
            v = d.get(key)
            if not isinstance(v, list):
                raise ValueError(f"listing model: {key!r} must be a list")
            return tuple(float(x) for x in v)

        names = d.get("features")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("listing model: 'features' must be a list of names")
        mean, scale, coef = floats("mean"), floats("scale"), floats("coef")
        if not len(names) == len(mean) == len(scale) == len(coef):
            raise ValueError("listing model: features, mean, scale and coef differ in length")
        intercept, threshold = d.get("intercept"), d.get("threshold")
        if not isinstance(intercept, (int, float)) or not isinstance(threshold, (int, float)):
            raise ValueError("listing model: 'intercept' and 'threshold' must be numbers")
        return cls(tuple(names), mean, scale, coef, float(intercept), float(threshold))


@lru_cache(maxsize=1)
def builtin_listing() -> ListingModel | None:
    """The shipped model (``qa/data/diff_listing.json``), or None when the package has none."""
    try:
        text = resources.files("reportqa.qa").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    except (OSError, FileNotFoundError):
        return None
    return ListingModel.from_json(json.loads(text))


__all__ = ["MODEL_FILE", "ListingModel", "builtin_listing"]
