"""Cleaning what users type before it reaches the retriever."""

from __future__ import annotations

import re

from reportqa.index.errors import UsageError

MAX_QUESTION_CHARS = 500
"""Longer questions are cut to this many characters (and the answer says so)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def clean_question(raw: str) -> tuple[str, str | None]:
    """Return ``(question, notice)``: control characters removed, whitespace collapsed, length limited.

    Raises :class:`UsageError` for an empty question.
    """
    text = _CONTROL.sub(" ", raw or "")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise UsageError("the question is empty; type a question, e.g. reportqa ask \"2024年经济增长目标是多少？\"")
    notice = None
    if len(text) > MAX_QUESTION_CHARS:
        notice = f"question truncated to its first {MAX_QUESTION_CHARS} characters (it had {len(text)})"
        text = text[:MAX_QUESTION_CHARS]
    return text, notice
