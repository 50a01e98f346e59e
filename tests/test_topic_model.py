"""The fitted off-topic model (qa/topic_model.py): the shipped JSON loads without scikit-learn or network, a
malformed file is refused with a clear error, the decision follows the coefficients, and the topic check uses
it (issue 23 item 3). No fitted coefficient is asserted: only what any such model must do."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from reportqa.qa.answerable import TopicCalibration, TopicEvidence, check_topic
from reportqa.qa.query import understand
from reportqa.qa.topic_model import FEATURES, TopicModel, builtin_model, read_model, topic_features

CAL = TopicCalibration(
    dense={"zh": np.linspace(0.70, 0.80, 50), "en": np.linspace(0.72, 0.82, 50)},
    lexical={"zh": np.concatenate([np.zeros(40), np.linspace(0.1, 0.5, 10)]), "en": np.zeros(50)},
)


def _model(**coef: float) -> TopicModel:
    """A model whose only weights are ``coef`` (unscaled), declining at probability 0.5."""
    n = len(FEATURES)
    return TopicModel(FEATURES, (0.0,) * n, (1.0,) * n, tuple(coef.get(f, 0.0) for f in FEATURES), 0.0, 0.5)


def test_the_shipped_model_loads_as_plain_json() -> None:
    m = builtin_model()
    assert m is not None
    assert m.features == FEATURES and len(m.coef) == len(FEATURES)
    assert 0.0 < m.threshold < 1.0
    assert TopicModel.from_json(json.loads(json.dumps(m.to_json()))) == m


def test_a_malformed_model_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"features": ["a", "b"], "mean": [0], "scale": [1], "coef": [1],
                               "intercept": 0, "threshold": 0.5}), encoding="utf-8")  # fmt: skip
    with pytest.raises(ValueError, match="differ in length"):
        read_model(bad)
    bad.write_text(json.dumps({"features": ["a"], "mean": [0], "scale": [1], "coef": [1]}), encoding="utf-8")
    with pytest.raises(ValueError, match="intercept"):
        read_model(bad)


def test_probability_follows_the_weights() -> None:
    m = _model(lp_dense=-2.0, personal=3.0)
    q = understand("红烧肉怎么做？")
    x = topic_features(q, 0.7, 0.0, p_dense=0.5, p_lexical=1.0, known=0.0, tokens=2)
    y = dict(x, lp_dense=3.0)  # much stronger dense evidence than an unrelated question's
    assert m.probability(y) < m.probability(x)
    assert m.probability(dict(x, personal=1.0)) > m.probability(x)


def test_features_read_the_question_form() -> None:
    policy = understand("政府怎样稳定就业和提高居民收入？")
    personal = understand("我的孩子发烧了怎么办？")
    fp = topic_features(policy, 0.8, 0.5, 0.01, 0.01, 1.0, 4)
    fo = topic_features(personal, 0.8, 0.5, 0.01, 0.01, 1.0, 4)
    assert fp["policy"] > fo["policy"] and fo["personal"] == 1.0 and fp["personal"] == 0.0
    en = understand("Should I pay off my credit card first?")
    assert topic_features(en, 0.8, 0.0, 0.5, 1.0, 0.0, 0)["en"] == 1.0


def test_check_topic_uses_the_model_and_falls_back_to_the_rule_without_dense_evidence() -> None:
    q = understand("红烧肉怎么做？")
    ev = TopicEvidence(dense=0.9, lexical=0.0)  # dense evidence far above the calibration's: the rule passes it
    declines_all = _model(en=0.0)  # intercept 0 → probability 0.5 ≥ threshold 0.5 for every question
    v = check_topic(q, ev, CAL, model=declines_all)
    assert not v.passed and v.reason == "topic" and v.evidence["p_offtopic"] == pytest.approx(0.5)
    assert check_topic(q, ev, CAL, model=None).passed  # the p-value rule
    # keyword search (no query vector): the rule, whatever the model says
    assert "p_offtopic" not in check_topic(q, ev, CAL, dense_available=False, model=declines_all).evidence


def test_decline_messages_follow_the_question_language() -> None:
    declines_all = _model()
    zh = check_topic(understand("红烧肉怎么做？"), TopicEvidence(0.7, 0.0), CAL, model=declines_all)
    en = check_topic(understand("How do I bake bread?"), TopicEvidence(0.7, 0.0), CAL, model=declines_all)
    assert zh.message is not None and "报告" in zh.message
    assert en.message is not None and en.message.startswith("These reports do not discuss")
