"""Deciding that the library does not answer a question: the checks of :mod:`.answerable`, in order.

The scope check (a report the library lacks) runs before retrieval, where the question's reports are
resolved (:mod:`.compare`); :func:`decide` runs the other two on one retrieval's result (the topic check, which
reads the question's evidence and not the passage, once per question: :func:`judge_topic`):

1. ``topic`` — does the library discuss the subject at all (dense and lexical evidence against what
   unrelated questions score on this index);
2. ``no_figure`` — a question asking for a number, date or name: does the answer sentence give it.

The first failing check decides, with its reason and a message in the question's language; :func:`decide`
also gives the answer's ``confidence`` (a score that ranks answers, not a fitted probability). This replaces
the former threshold rule fitted on the seed's dev questions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .answerable import (
    PASS,
    TopicCalibration,
    TopicEvidence,
    Verdict,
    check_asked,
    check_topic,
    confidence,
)
from .query import Query
from .rarity import WordCounts


@dataclass(frozen=True)
class Decision:
    """The outcome of the checks for one retrieval."""

    verdict: Verdict
    """The first failing check's verdict, or a passed one."""
    topic: Verdict
    """The topic check's verdict (its evidence feeds the confidence)."""
    confidence: float
    supported: bool = False
    """The asked figure, date or name was found by the clause-level check itself (:func:`~.support.support`)
    with every defining word of the question, not by a fallback for paraphrases, without the words the passage
    never uses, or a value alone where nothing in the question binds (what lets a lower passage take the first
    one's place: :data:`~.engine.SUPPORT_DEPTH`)."""

    keyed: bool = False
    """Passed without some of the question's words the passage never uses, but with the whole phrase naming the
    quantity and every narrowing word (evidence ``keyed``): a paraphrase stated in this passage, which may take
    the place of a first passage that does not state it (:data:`~.engine.KEYED_RESCUES`)."""

    @property
    def abstained(self) -> bool:
        return not self.verdict.passed


def judge_topic(
    query: Query, topic_evidence: TopicEvidence, calibration: TopicCalibration, dense_available: bool = True
) -> Verdict:
    """The topic check (:func:`~.answerable.check_topic`): it reads the question's library-wide evidence, not a
    passage, so one verdict serves every passage :func:`decide` is run on."""
    return check_topic(query, topic_evidence, calibration, dense_available)


def decide(
    query: Query,
    topic: Verdict,
    sentence: str | None,
    passage: str,
    idf: dict[str, float],
    sentence_coverage: float,
    df: WordCounts | None = None,
) -> Decision:
    """Run the checks in order on one passage (see the module docstring), ``topic`` being the question's topic
    verdict (:func:`judge_topic`); ``df``: word counts for the search's scope (a word of the asked quantity the
    named report never uses, :func:`check_asked`)."""
    verdict = topic if not topic.passed else check_asked(query, sentence, passage, idf, df=df)
    supported = verdict.passed and verdict.sentence is not None and not set(verdict.evidence) & _LENIENT
    keyed = verdict.passed and verdict.sentence is not None and set(verdict.evidence) & _LENIENT == {"narrowed"} \
        and "keyed" in verdict.evidence
    if verdict.passed:
        verdict = replace(PASS, sentence=verdict.sentence)
    return Decision(verdict, topic, confidence(verdict, topic, sentence_coverage), supported, keyed)


_LENIENT = frozenset(["fallback", "mentioned", "unbound", "narrowed"])
"""Evidence keys of a pass :func:`check_asked` grants without the clause-level check of every defining word
(``narrowed``: checked without the words the passage never uses, a paraphrase's)."""


__all__ = ["Decision", "decide", "judge_topic"]
