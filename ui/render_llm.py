"""Rendering of the written answer (``--llm``) for the web chat (HTML) and the terminal (plain lines).

The written answer shows only **verified** sentences as the answer; each ``[n]`` is a clickable chip that
opens passage n's paragraph in the report view, like the passage chips. Sentences that could not be verified
are shown apart, greyed, under "未能核实 · not verified" with the reason — never mixed into the answer. While
the model is still writing, its raw text streams in a "writing…" box (markers already shown as chips).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportqa.qa.records import Answer, Generated, Hit
from reportqa.qa.verify import with_markers

from .render import anchor_id, esc

_MARKER = re.compile(r"[\[【［]\s*([0-9０-９]+(?:\s*[,，、]\s*[0-9０-９]+)*)\s*[\]】］]")


def inline_chip(n: int, hits: Sequence[Hit]) -> str:
    """``[n]`` as a small clickable citation chip (plain escaped ``[n]`` when n is not a passage)."""
    if not 1 <= n <= len(hits):
        return esc(f"[{n}]")
    c = hits[n - 1].citation
    target = anchor_id(c.document, c.paragraph)
    return (
        f'<a class="rq-cite rq-inline" href="#{target}" data-target="{target}" data-doc="{esc(c.document)}" '
        f'data-n="{c.paragraph}" title="{esc(c.label())}">{esc(f"[{n}]")}</a>'
    )


def chips_in(text: str, hits: Sequence[Hit]) -> str:
    """Escape ``text`` and turn each ``[n]`` / ``[n, m]`` marker into chips."""
    out: list[str] = []
    last = 0
    for m in _MARKER.finditer(text):
        out.append(esc(text[last : m.start()]))
        nums = [int(x.translate(_FULL)) for x in re.findall(r"[0-9０-９]+", m.group(1))]
        out.append("".join(inline_chip(n, hits) for n in nums))
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
_CLOSING = re.compile(r"[。！？!?；;.]+$")


def _sentence(text: str, citations: Sequence[int], hits: Sequence[Hit]) -> str:
    """A checked sentence with its chips before its closing punctuation."""
    m = _CLOSING.search(text)
    cut = m.start() if m else len(text)
    return esc(text[:cut]) + "".join(inline_chip(n, hits) for n in citations) + esc(text[cut:])


def render_written(answer: Answer, partial: str | None = None) -> str:
    """The written-answer block: the streaming text (``partial``) while the model writes, then the checked
    answer; "" when no model was asked."""
    en = answer.language == "en"
    g = answer.generated
    if g is None:
        if partial is None:
            return ""
        head = "Written answer (writing…)" if en else "模型撰写中…"
        return (
            f'<div class="rq-written rq-streaming"><div class="rq-whead">{head}</div>'
            f'<div class="rq-wtext">{chips_in(partial, answer.hits)}<span class="rq-caret">▍</span></div></div>'
        )
    return render_generated(g, answer.hits, en)


def render_generated(g: Generated, hits: Sequence[Hit], en: bool = False) -> str:
    head = f"Written answer · {g.model}" if en else f"模型撰写的回答 · {g.model}"
    parts = [f'<div class="rq-written"><div class="rq-whead">{esc(head)}</div>']
    if g.refused:
        msg = "The model found no answer in these passages." if en else "模型认为这些段落中没有答案。"
        parts.append(f'<div class="rq-wtext rq-wrefused">{msg}</div>')
    verified = [s for s in g.sentences if s.verified]
    if verified:
        body = "".join(_sentence(s.text, s.citations, hits) for s in verified)
        tag = "每句均已与所引段落核对 · every sentence checked against its cited passage"
        parts.append(f'<div class="rq-wtext">{body}</div><div class="rq-wtag">{tag}</div>')
    unverified = [s for s in g.sentences if not s.verified]
    if unverified:
        parts.append('<div class="rq-unverified"><div class="rq-uhead">未能核实 · not verified</div><ul>')
        for s in unverified:
            why = f' <span class="rq-why">({esc(s.reason)})</span>' if s.reason else ""
            parts.append(f"<li>{_sentence(s.text, s.citations, hits)}{why}</li>")
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def generated_lines(g: Generated) -> list[str]:
    """The written answer for the terminal: ``W:`` verified text, then ``?:`` lines for unverified sentences."""
    lines = []
    if g.refused:
        lines.append(f"W: (the model found no answer in the passages)  — {g.model}")
    elif g.text:
        lines.append(f"W: {g.text}  — {g.model}, every sentence checked")
    for s in g.sentences:
        if not s.verified:
            lines.append(f"?: {with_markers(s.text, s.citations)}  (not verified: {s.reason})")
    return lines
