"""A list item an English question names in words the glossary lacks (qa/item_choice.py): the item nearest the
question's unmapped words gets the highlight, not the list's first value."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from reportqa.qa.item_choice import by_meaning, nearest
from reportqa.qa.query import understand
from reportqa.qa.support import listing_at, locate_asked

SENTENCE = "船舶、电子专用材料、航空航天行业增加值分别增长84.8%、17.5%、12.3%。"

_AXES = (("ship", "船舶"), ("electronic", "电子"), ("aerospace", "航空航天"), ("sector", "行业"))


def _embed(texts: Sequence[str]) -> np.ndarray:
    """A stand-in embedder: one axis per topic (an English word or its Chinese), unit rows."""
    rows = []
    for t in texts:
        v = np.array([1.0 + sum(w in t.lower() for w in pair) for pair in _AXES], dtype=np.float32) - 1.0
        v += 0.01
        rows.append(v / np.linalg.norm(v))
    return np.stack(rows)


def test_an_unmapped_item_word_marks_its_own_item() -> None:
    q = understand("How much did value added of the aerospace sector rise?")
    assert "aerospace" in q.asked.unmapped
    located = locate_asked(q.asked, q.keywords, SENTENCE)
    assert located.figure == "84.8%"  # the support check alone: the first item's value
    assert by_meaning(q.asked, SENTENCE, located, _embed).figure == "12.3%"


def test_an_item_the_glossary_names_is_kept() -> None:
    q = understand("How much did value added of the shipbuilding and aerospace sector rise?")
    located = locate_asked(q.asked, q.keywords, SENTENCE)
    listed = listing_at(q.asked, SENTENCE, SENTENCE.find(str(located.figure)))
    assert listed is not None and listed.named
    assert by_meaning(q.asked, SENTENCE, located, _embed) == located


def test_no_list_no_change() -> None:
    sentence = "航空航天行业增加值增长12.3%。"
    q = understand("How much did value added of the aerospace sector rise?")
    located = locate_asked(q.asked, q.keywords, sentence)
    assert listing_at(q.asked, sentence, sentence.find("12.3%")) is None
    assert by_meaning(q.asked, sentence, located, _embed) == located


def test_nearest_needs_the_margin() -> None:
    items = ["船舶", "航空航天"]
    assert nearest(_embed, ["aerospace"], items) == 1
    assert nearest(_embed, ["aerospace"], items, margin=2.0) is None
    assert nearest(_embed, [], items) is None and nearest(_embed, ["aerospace"], ["船舶"]) is None


def test_chinese_questions_are_left_alone() -> None:
    q = understand("船舶行业增加值增长多少？")
    located = locate_asked(q.asked, q.keywords, SENTENCE)
    assert by_meaning(q.asked, SENTENCE, located, _embed) == located
