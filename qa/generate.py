"""The written answer (``--llm``): ask an :class:`~.llm.AnswerGenerator` over the answer's passages, verify.

:func:`generate_answer` takes the engine's (extractive) :class:`Answer` and returns it with
:attr:`Answer.generated` set — the model sees exactly the passages ``ask`` returns, numbered by rank. Any
failure of the model (:class:`~.llm.LLMError`: unreachable, timeout, HTTP error, garbage) leaves the
extractive answer as it was and adds a one-line :attr:`Answer.notice`; the extractive answer is always there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from .llm import AnswerGenerator, LLMError
from .records import Answer, Generated
from .verify import verify

MAX_REPLY_CHARS = 4000
"""A reply longer than this is cut (a runaway model must not fill the page)."""

FALLBACK = "the written answer is unavailable ({reason}); showing the extracted answer"


def add_notice(answer: Answer, message: str) -> Answer:
    notice = f"{answer.notice} · {message}" if answer.notice else message
    return replace(answer, notice=notice)


def generate_answer(
    answer: Answer, generator: AnswerGenerator, on_token: Callable[[str], None] | None = None
) -> Answer:
    """``answer`` with its written answer, or with a notice when the model fails. ``on_token`` receives each
    piece of the reply as it arrives (for streaming); it is called from the caller's thread."""
    if not answer.hits:
        return answer
    start = time.monotonic()
    first: float | None = None
    pieces: list[str] = []
    size = 0
    try:
        for piece in generator.generate(answer.question, answer.hits, answer.language):
            if first is None:
                first = time.monotonic() - start
            pieces.append(piece)
            size += len(piece)
            if on_token is not None:
                on_token(piece)
            if size >= MAX_REPLY_CHARS:
                break
    except LLMError as e:
        return add_notice(answer, FALLBACK.format(reason=str(e)))
    total = time.monotonic() - start
    raw = "".join(pieces)[:MAX_REPLY_CHARS]
    checked = verify(raw, [h.text for h in answer.hits], [h.citation.label() for h in answer.hits], answer.question)
    if not checked.sentences and not checked.refused:
        return add_notice(answer, FALLBACK.format(reason="the model's reply had no sentence to check"))
    generated = Generated(
        text=checked.text,
        sentences=checked.sentences,
        model=generator.model,
        dropped=sum(1 for s in checked.sentences if not s.verified),
        refused=checked.refused,
        raw=raw,
        invented=checked.invented,
        first_token_seconds=first,
        total_seconds=total,
    )
    return replace(answer, generated=generated)
