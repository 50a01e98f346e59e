"""A small fitted logistic regression shipped as plain JSON: the one form of the project's learned decisions.

The off-topic decision (:mod:`.topic_model`) and the diff's listing decision (:mod:`.diff_model`) are each fitted
with scikit-learn on labelled evidence (``bench/topic/fit_topic.py``, ``bench/diff_fit.py``) and shipped as a JSON
file of feature names, scaling, coefficients, intercept and threshold — no pickle, no scikit-learn at run time:
the probability is one dot product here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import ClassVar, TypeVar

_M = TypeVar("_M", bound="Logistic")


@dataclass(frozen=True)
class Logistic:
    """``P = σ(intercept + Σ coef·(x − mean)/scale)``, compared with a threshold."""

    KIND: ClassVar[str] = "model"
    """What the model decides, for error messages ("topic model", "listing model")."""

    features: tuple[str, ...]
    """Input names, in the order of the other vectors."""
    mean: tuple[float, ...]
    """Standardisation: subtracted from each input."""
    scale: tuple[float, ...]
    """… then divided by this."""
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """The decision holds when the probability is at least this (chosen on the labelled dev data)."""

    def probability(self, x: Mapping[str, float]) -> float:
        """The probability for one item's features (a missing feature counts as its mean)."""
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += c * (float(x.get(name, m)) - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def holds(self, x: Mapping[str, float]) -> bool:
        """The probability reaches the threshold."""
        return self.probability(x) >= self.threshold

    def to_json(self) -> dict[str, object]:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold}  # fmt: skip

    @classmethod
    def from_json(cls: type[_M], d: Mapping[str, object]) -> _M:
        """Raises ValueError for a file that is not such a model."""

        def floats(key: str) -> tuple[float, ...]:
            v = d.get(key)
            if not isinstance(v, list):
                raise ValueError(f"{cls.KIND}: {key!r} must be a list")
            return tuple(float(x) for x in v)

        names = d.get("features")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{cls.KIND}: 'features' must be a list of names")
        mean, scale, coef = floats("mean"), floats("scale"), floats("coef")
        if not len(names) == len(mean) == len(scale) == len(coef):
            raise ValueError(f"{cls.KIND}: features, mean, scale and coef differ in length")
        intercept, threshold = d.get("intercept"), d.get("threshold")
        if not isinstance(intercept, (int, float)) or not isinstance(threshold, (int, float)):
            raise ValueError(f"{cls.KIND}: 'intercept' and 'threshold' must be numbers")
        return cls(tuple(names), mean, scale, coef, float(intercept), float(threshold))

    @classmethod
    def shipped(cls: type[_M], name: str) -> _M | None:
        """The model the package ships as ``qa/<name>``, or None when it has none."""
        try:
            text = resources.files("reportqa.qa").joinpath(name).read_text(encoding="utf-8")
        except (OSError, FileNotFoundError):
            return None
        return cls.from_json(json.loads(text))


__all__ = ["Logistic"]
