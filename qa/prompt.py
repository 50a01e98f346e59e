"""The prompt for the written answer, made for small models (1–3 B parameters) as much as large ones.

One system message with the rules; then a worked example of an answered and of a refused question (as
user/assistant turns, which small chat models follow better than rules); then the real question with its
numbered passages. Each passage is ``[n] (citation) text``: the model cites with ``[n]``, and
:mod:`.verify` checks each sentence against passage n. The model answers in the question's language and
refuses with a fixed phrase (:data:`reportqa.qa.verify.REFUSAL_ZH` / ``REFUSAL_EN``), which the
verifier recognises.
"""

from __future__ import annotations

from collections.abc import Sequence

from .records import Hit, Language
from .verify import REFUSAL_EN, REFUSAL_ZH

Message = dict[str, str]
"""One chat message: ``{"role": "system" | "user" | "assistant", "content": …}``."""

MAX_PASSAGE_CHARS = 500
"""Longer passages are cut (a small model's context is short and the answer is usually near the start)."""

SYSTEM_ZH = (
    "你是政府工作报告问答助手。只根据下面编号的资料回答问题，不要使用资料以外的知识。\n"
    "规则：\n"
    "1. 用问题的语言回答，一到三句话，简短。\n"
    "2. 每句话末尾用 [编号] 注明依据的资料，例如 [1]。\n"
    "3. 数字、百分比、金额和项目名称必须与资料原文完全一致，不得编造或换算。\n"
    f"4. 如果资料中没有答案，只回答：{REFUSAL_ZH}\n"
)
SYSTEM_EN = (
    "You answer questions about government work reports using ONLY the numbered passages below.\n"
    "Rules:\n"
    "1. Answer in English, in one to three short sentences.\n"
    "2. End every sentence with the number of the passage it comes from, e.g. [1].\n"
    "3. Copy numbers, percentages, amounts and project names exactly as the passage writes them.\n"
    f"4. If the passages do not contain the answer, reply only: {REFUSAL_EN}\n"
)

_EXAMPLE_PASSAGES = (
    ("某省2025年政府工作报告 · 一、2024年工作回顾", "全年地区生产总值增长6.1%，粮食产量达到120万吨。"),
    ("某省2025年政府工作报告 · 二、2025年主要目标", "城镇新增就业5万人以上，居民消费价格涨幅控制在2%左右。"),
)
_EXAMPLES_ZH = (("去年粮食产量是多少？", "粮食产量达到120万吨 [1]。"), ("今年计划新建几个机场？", REFUSAL_ZH))
_EXAMPLES_EN = (
    ("How much did grain output reach last year?", "Grain output reached 1.2 million tonnes (120万吨) [1]."),
    ("How many new airports are planned this year?", REFUSAL_EN),
)


def format_passages(passages: Sequence[tuple[str, str]]) -> str:
    """``[n] (citation)\\ntext`` blocks, numbered from 1 in the given order."""
    blocks = []
    for n, (label, text) in enumerate(passages, start=1):
        t = text if len(text) <= MAX_PASSAGE_CHARS else text[:MAX_PASSAGE_CHARS] + "…"
        blocks.append(f"[{n}] ({label})\n{t}")
    return "\n\n".join(blocks)


def _user(question: str, passages: str, latin: bool) -> str:
    if latin:
        return f"Passages:\n{passages}\n\nQuestion: {question}\nAnswer (cite with [n]):"
    return f"资料：\n{passages}\n\n问题：{question}\n回答（用 [编号] 注明出处）："


def build_messages(question: str, hits: Sequence[Hit], language: Language) -> list[Message]:
    """The chat messages for ``question`` over ``hits`` (passage n is ``hits[n-1]``), in ``language`` (the
    question's as :mod:`.query` read it, so the written answer and the page's messages agree)."""
    latin = language == "en"
    examples = _EXAMPLES_EN if latin else _EXAMPLES_ZH
    shots = format_passages(_EXAMPLE_PASSAGES)
    messages: list[Message] = [{"role": "system", "content": SYSTEM_EN if latin else SYSTEM_ZH}]
    for q, a in examples:
        messages.append({"role": "user", "content": _user(q, shots, latin)})
        messages.append({"role": "assistant", "content": a})
    passages = format_passages([(h.citation.label(), h.text) for h in hits])
    messages.append({"role": "user", "content": _user(question, passages, latin)})
    return messages
