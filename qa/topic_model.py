"""The off-topic decision as a small fitted model: a logistic regression over evidence that generalises.

The topic check (:func:`reportqa.qa.answerable.check_topic`) asks whether the library discusses a question's
subject at all. Its evidence, each judged on the question's own index:

* ``lp_dense`` / ``lp_lexical``: how unusual the question's dense and lexical evidence
  (:class:`~reportqa.qa.answerable.TopicEvidence`) is for an unrelated question on *this* index, as
  ``-log10`` of the empirical p-values against the shipped calibration questions
  (:class:`~reportqa.qa.answerable.TopicCalibration`) — the same number means the same on a one-report and an
  84-report library;
* ``dense``, ``lexical``: the raw best sentence cosine and keyword coverage;
* ``known``: the idf-weighted share of the question's subject words that the library's keyword index holds at
  all (cooking and sport words mostly are not in any report), ``tokens``: how many subject words there are
  (an English question about films has few glossary words);
* ``indicator``: the question names a listed indicator (:mod:`reportqa.index.text.indicators`); ``named``: it names
  a region or a year; ``en``: it is in English (its dense evidence separates less);
* ``policy``: how many words of the policy domain it uses (:data:`POLICY_CUES`: 政府, 经济, 就业, growth, fiscal…)
  and ``personal``: whether it is a personal or everyday question (:data:`PERSONAL_CUES`: 我, 孩子, 怎么办,
  "should I", "my") — the form of the question, which holds across subjects.

The weights are fitted with scikit-learn on the dev split of ``bench/eval/offtopic.dev.jsonl`` evaluated on the
whole-corpus library and on the seed (``bench/topic/fit_topic.py``) and shipped as plain JSON
(``qa/data/topic_model.json``: feature names, scaling, coefficients, intercept, threshold) — no pickle, no
scikit-learn at run time: the probability is one dot product here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from .logistic import Logistic
from .query import Query

FEATURES: tuple[str, ...] = (
    "lp_dense", "lp_lexical", "lexical", "known", "tokens", "indicator", "named", "en", "en_lp_dense",
    "policy", "personal",
)  # fmt: skip
"""The model's inputs, in order (module docstring)."""

POLICY_CUES = re.compile(
    r"政府|政策|经济|发展|建设|改革|产业|财政|预算|就业|收入|投资|目标|增长|推进|农业|农村|乡村|城镇|城乡|企业|民生|"
    r"规划|工程|项目|生态|国家|全国|全省|全市|全区|地区|报告|开放|创新|治理|保障|安全|债|税|粮食|基础设施|"
    r"\bgovernments?\b|\bpolic(?:y|ies)\b|\beconom(?:y|ic)\b|\bgrowth\b|\btargets?\b|\bdevelop|"
    r"\bindustr|\breforms?\b|\bfiscal\b|\bemployment\b|\bjobs\b|\bincomes?\b|\binvestment|\brural\b|"
    r"\burban|\binfrastructure\b|\bpoverty\b|\boutput\b|\bGDP\b|\bbudget|\brevenue\b|\breports?\b|"
    r"\bprovinc|\bnational(?:ly|wide)?\b|\bState Council\b|\bplan(?:s|ned)?\b|\bpublic\b|\bbonds?\b|"
    r"\bdeficit\b|\bgrain\b|\bopening-up\b|\binnovation\b|\bmodern|\bregional\b|\bdebt\b",
    re.I,
)
"""Words of the policy domain (any report's subject); how many a question uses is one input."""

PERSONAL_CUES = re.compile(
    r"我|咱|你|自己|孩子|宝宝|女朋友|男朋友|老婆|老公|爸妈|妈妈|爸爸|朋友|邻居|房东|怎么办|好吃|好看|合适吗|"
    r"\b(?:I|I'm|I've|my|me|mine|you|your|we|our)\b|\bshould I\b|\bdo I\b|\bcan I\b",
)
"""Words of a personal or everyday question (me, my child, 怎么办); whether a question uses them is one input."""

MAX_CUES = 3
"""``policy`` counts at most this many cue words, scaled to 0–1."""

MAX_TOKENS = 8
"""``tokens`` is the number of subject words, capped here and scaled to 0–1."""

MODEL_FILE = "data/topic_model.json"


class TopicModel(Logistic):
    """The fitted off-topic decision: ``P(off-topic)``, declined when it reaches the threshold."""

    KIND = "topic model"

    def off_topic(self, x: Mapping[str, float]) -> bool:
        return self.holds(x)


def read_model(path: Path) -> TopicModel:
    """The model in ``path`` (raises OSError, ValueError)."""
    return TopicModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def builtin_model() -> TopicModel | None:
    """The shipped model (``qa/data/topic_model.json``), or None when the package has none."""
    return TopicModel.shipped(MODEL_FILE)


def _lp(p: float) -> float:
    return -math.log10(max(p, 1e-6))


def topic_features(
    query: Query, dense: float, lexical: float, p_dense: float, p_lexical: float, known: float, tokens: int
) -> dict[str, float]:  # fmt: skip
    """The model's inputs for one question (module docstring)."""
    en = 1.0 if query.language == "en" else 0.0
    lp_dense = _lp(p_dense)
    return {
        "lp_dense": lp_dense,
        "lp_lexical": _lp(p_lexical),
        "dense": dense,
        "lexical": lexical,
        "known": known,
        "tokens": min(tokens, MAX_TOKENS) / MAX_TOKENS,
        "indicator": 1.0 if query.indicators else 0.0,
        "named": 1.0 if query.regions or query.years else 0.0,
        "en": en,
        "en_lp_dense": en * lp_dense,
        "policy": min(len(POLICY_CUES.findall(query.text)), MAX_CUES) / MAX_CUES,
        "personal": 1.0 if PERSONAL_CUES.search(query.text) else 0.0,
    }


def feature_matrix(rows: Sequence[Mapping[str, float]]) -> list[list[float]]:
    """Rows of features as lists in :data:`FEATURES` order (for fitting)."""
    return [[float(r[f]) for f in FEATURES] for r in rows]


__all__ = ["FEATURES", "TopicModel", "builtin_model", "feature_matrix", "read_model", "topic_features"]
