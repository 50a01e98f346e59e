"""Streaming the written answer (``--llm``) into a chat reply that is already shown.

The extractive answer and its passages are in the chat before the model is asked. :func:`stream_written`
runs :func:`reportqa.qa.generate.generate_answer` in a worker thread and yields each time the growing reply
should be re-drawn (at most every :data:`REDRAW_SECONDS`), keeping the partial text in
``session["partial"][i]``. The client's own time limits end a silent or slow model; :data:`GUARD_SECONDS`
is a last guard so that nothing can keep a chat reply open forever. At the end the reply's
:class:`~reportqa.qa.records.Answer` is replaced by the one with the checked written answer (or a notice).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from reportqa.qa.generate import FALLBACK, add_notice, generate_answer
from reportqa.qa.llm import AnswerGenerator
from reportqa.qa.records import Answer

__all__ = ["AnswerGenerator", "stream_written"]

log = logging.getLogger("reportqa.ui")

REDRAW_SECONDS = 0.15
GUARD_SECONDS = 300.0


def stream_written(
    session: dict[str, Any], index: int, generator: AnswerGenerator, guard: float = GUARD_SECONDS,
    redraw: float = REDRAW_SECONDS,
) -> Iterator[None]:
    """Write ``session["answers"][index]``'s written answer, yielding whenever the chat should be re-drawn
    (after a piece, at most every ``redraw`` seconds; 0 re-draws after every piece)."""
    answer: Answer = session["answers"][index]
    partial: dict[int, str] = session.setdefault("partial", {})
    partial[index] = ""
    pieces: queue.Queue[str | None] = queue.Queue()
    result: list[Answer] = []

    def work() -> None:
        try:
            result.append(generate_answer(answer, generator, on_token=pieces.put))
        except Exception:  # a bug must not leave the reply open: log it, fall back
            log.exception("writing the answer to %r failed", answer.question)
        finally:
            pieces.put(None)

    threading.Thread(target=work, name="reportqa-llm", daemon=True).start()
    deadline = time.monotonic() + guard
    last = 0.0
    text = ""
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        try:
            piece = pieces.get(timeout=min(left, 0.5))
        except queue.Empty:
            continue
        if piece is None:
            break
        text += piece
        if time.monotonic() - last >= redraw:
            partial[index] = text
            last = time.monotonic()
            yield None
    partial.pop(index, None)
    if result:
        session["answers"][index] = result[0]
    else:
        reason = "the model took too long" if timed_out else "internal error"
        session["answers"][index] = add_notice(answer, FALLBACK.format(reason=reason))
    yield None
