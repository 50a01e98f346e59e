"""Checks a written answer sentence by sentence against the passages it cites — mechanically, no model.

A sentence is **verified** when it cites at least one passage (``[n]``, ``[n, m]``, ``【n】``, full-width
digits) and the cited passages support it:

* every figure in it (a number with its unit; 万/亿 multipliers, full-width digits, spaces and thousands
  separators inside numbers and English "million/billion" normalised, so ``2.3万亿元`` matches ``23000亿元``)
  occurs in a cited passage, with the same value and a compatible unit;
* every named thing in it — text in 《》 or quotes, letter-digit codes (G318, 5G), names ending in a
  project word (…铁路, …工程, …机场 …), and figures in Chinese numerals (百分之八, 两千亿元: not converted,
  so they must occur as written) — occurs in a cited passage;
* for a Chinese sentence, at least :data:`MIN_OVERLAP` of its keywords occur in a cited passage (so a sentence
  cannot borrow a citation from a passage about something else).

A sentence whose cited passages do not support it is **re-pointed** when exactly one passage does, and is
otherwise **unverified**. Markers outside 1…n (``[0]``, ``[9]`` with five passages) and malformed ones are not
citations. A refusal (":data:`REFUSAL_ZH`", "资料中未提及…", "not mentioned" …) without citations is no claim:
a reply of refusals only is an abstention. The shown answer (:attr:`Generated.text`) holds the verified
sentences only; the unverified ones are kept in :attr:`Generated.sentences` for the chat to show apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportqa.index.text.indicators import builtin
from reportqa.index.text.numbers import CN_DIGITS, split_multiplier
from reportqa.index.text.tokens import is_latin_query, normalize, number_mentions, tokenize

from .answer import Asked
from .records import GeneratedSentence
from .support import asked_thing, clauses, in_context, support

REFUSAL_ZH = "资料中未提及。"
REFUSAL_EN = "The passages do not say."
_REFUSAL = re.compile(
    r"未提及|没有提及|未提到|没有提到|未涉及|没有涉及|未说明|没有说明|无法回答|无法确定|没有相关|未找到|找不到|"
    r"not (?:mentioned|stated|say|said|given|found|specified)|do(?:es)? not (?:say|mention|state|contain|specify)|"
    r"no (?:information|mention)|cannot (?:answer|be answered|find)",
    re.IGNORECASE,
)
MIN_OVERLAP = 0.5
"""Share of a Chinese sentence's keywords that must occur in a cited passage."""

_MARKER = re.compile(r"[\[【［]\s*\^?\s*(\d+(?:\s*[,，、;；]\s*\^?\d+)*)\s*[\]】］]")
_LOOSE_MARKER = re.compile(r"[\[【［]\s*[^\[\]【】［］]{0,12}?[\]】］]|[\[【［]\s*\d*\s*$")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|(?<=\.)(?=\s)|\n+")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+(?=[。！？；，、,.!?;:：]|$)")
_CLOSING = re.compile(r"[。！？!?；;.]+$")
_LIST_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[-*•·]|[（(]\d{1,2}[)）])\s*")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_EN_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|percent|per cent)\b", re.IGNORECASE)
_EN_FACTOR = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "percent": 1.0, "per cent": 1.0}
_QUOTED = re.compile(r"[《“\"「『]([^《》“”\"「」『』]{2,40})[》”\"」』]")
_CODE = re.compile(r"(?<![a-z0-9])(?=[a-z0-9-]*[a-z])(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]*")
_CN_NUM = CN_DIGITS
_CN_FIGURE = re.compile(f"百分之[{_CN_NUM}]+|[{_CN_NUM}]{{2,}}(?:个百分点|倍|元|吨|人|户|公里|千瓦|亩|家|项|所|个)")
"""A figure written in Chinese numerals (百分之八, 八千亿元): checked as written (it must occur verbatim)."""
_PROJECT = re.compile(
    r"[\u4e00-\u9fff]{2}(?:铁路|公路|高速|机场|工程|项目|水电站|电站|水库|大桥|隧道|园区|计划|行动|枢纽|示范区|口岸)"
)


@dataclass(frozen=True)
class Figure:
    """A number as said (``"2300亿元"``) and its value in base units with the unit left (``2.3e11``, ``"元"``)."""

    said: str
    value: float
    unit: str


@dataclass(frozen=True)
class Checked:
    """The verifier's view of one reply."""

    sentences: tuple[GeneratedSentence, ...]
    """Every non-refusal sentence, in order."""
    refused: bool
    """The reply is a refusal (nothing but refusal sentences)."""
    invented: tuple[str, ...]
    """Figures of the reply that occur in no passage at all."""

    @property
    def text(self) -> str:
        """The verified sentences, each with its (possibly re-pointed) markers before its full stop."""
        return "".join(with_markers(s.text, s.citations) for s in self.sentences if s.verified)


def with_markers(sentence: str, citations: Sequence[int], marker: str = "[{}]") -> str:
    """``sentence`` with one ``marker`` per citation, before its closing punctuation."""
    m = _CLOSING.search(sentence)
    cut = m.start() if m else len(sentence)
    return sentence[:cut] + "".join(marker.format(n) for n in citations) + sentence[cut:]


# ---------------------------------------------------------------------------------------------- parsing


def _clean(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) without turning 【】 into something else."""
    return unicodedata.normalize("NFKC", text)


def split_sentences(reply: str) -> list[tuple[str, tuple[int, ...]]]:
    """``(sentence without markers, cited numbers)``; markers after the full stop belong to the sentence.
    The sentence keeps the reply's own characters (full-width punctuation stays for display)."""
    text = reply.strip()
    pieces = [p for p in _SENTENCE_END.split(text) if p and p.strip()]
    out: list[tuple[str, list[int]]] = []
    for piece in pieces:
        nums = [int(_clean(n)) for m in _MARKER.finditer(piece) for n in re.findall(r"\d+", m.group(1))]
        bare = _LOOSE_MARKER.sub("", _MARKER.sub("", piece))
        bare = _SPACE_BEFORE_PUNCT.sub("", _LIST_PREFIX.sub("", bare)).strip()
        if not re.search(r"\w", bare):  # only markers/punctuation: they cite for the sentence before
            if out:
                out[-1][1].extend(nums)
            continue
        out.append((bare, nums))
    return [(s, tuple(dict.fromkeys(ns))) for s, ns in out]


def figures(text: str) -> list[Figure]:
    """The figures in ``text`` (see the module docstring for what is normalised)."""
    t = _THOUSANDS.sub("", _clean(text))
    out: list[Figure] = []
    for m in _EN_SCALE.finditer(t):
        word = m.group(2).lower()
        out.append(Figure(m.group(0), float(m.group(1)) * _EN_FACTOR[word], "%" if "cent" in word else ""))
    t = _EN_SCALE.sub(" ", t)
    for num, unit in number_mentions(t):
        factor, rest = split_multiplier(unit)
        out.append(Figure(num + unit, float(num) * factor, rest))
    return out


def names(text: str) -> list[str]:
    """Named things a sentence asserts: quoted titles, letter-digit codes and project names (normalised)."""
    t = normalize(_clean(text))
    found = [m.group(1).strip() for m in _QUOTED.finditer(t)]
    found += _CODE.findall(t)
    found += _PROJECT.findall(t)
    found += _CN_FIGURE.findall(t)
    return [n for n in dict.fromkeys(found) if n]


def is_refusal(sentence: str) -> bool:
    return bool(_REFUSAL.search(sentence))


# ---------------------------------------------------------------------------------------------- checking


class Passage:
    """A passage prepared once for many checks: normalised text (no spaces) and its figures."""

    def __init__(self, text: str, label: str = "") -> None:
        self.text = text
        self.flat = re.sub(r"\s+", "", normalize(_THOUSANDS.sub("", _clean(text))))
        # the citation contributes its years only (its paragraph and line numbers are no figures of the text)
        years = [f for f in figures(label) if not f.unit and f.value.is_integer() and 1800 <= f.value <= 2199]
        self.figures = figures(text) + years

    def has_figure(self, f: Figure) -> bool:
        return any(_same(f, g) for g in self.figures)

    def has_name(self, name: str) -> bool:
        return re.sub(r"\s+", "", name) in self.flat

    def overlap(self, keywords: Sequence[str]) -> float:
        if not keywords:
            return 1.0
        return sum(1 for k in keywords if k in self.flat) / len(keywords)


def _same(a: Figure, b: Figure) -> bool:
    if abs(a.value - b.value) > 1e-9 * max(1.0, abs(a.value), abs(b.value)):
        return False
    return not a.unit or not b.unit or a.unit == b.unit


def _keywords(sentence: str) -> list[str]:
    toks = tokenize(sentence)
    return [t for t in dict.fromkeys(toks) if re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"\d", t)]


def _quantity_of(sentence: str, f: Figure) -> Asked | None:
    """What ``sentence`` says the figure ``f`` is of: the defining words of its clause (or, when that clause
    names nothing — "，增长5.5%" — of the clause before), read as a question's would be
    (:func:`~reportqa.qa.support.asked_thing`); None when the sentence names no quantity for it."""
    t = _THOUSANDS.sub("", _clean(sentence))
    at = t.find(f.said)
    if at < 0:
        return None
    cl = clauses(t)
    for k, (a, b) in enumerate(cl):
        if a <= at < b:
            for lo in (a, cl[k - 1][0] if k else a):
                text = t[lo:at]
                thing = asked_thing(text, False, [i.id for i in builtin().find(text)])
                if thing.terms:
                    return replace(thing, kind="number", unit=f.unit or None)
    return None


def _clause_quoted(f: Figure, sentence: str, ps: Sequence[Passage]) -> bool:
    """The clause of ``sentence`` that holds ``f`` stands word for word in a cited passage (an enumeration
    copied whole, "粮食、蔬菜产量分别达108万吨、95万吨", attributes each value as the passage does)."""
    t = _THOUSANDS.sub("", _clean(sentence))
    at = t.find(f.said)
    if at < 0:
        return False
    for a, b in clauses(t):
        if a <= at < b:
            flat = re.sub(r"\s+", "", normalize(t[a:b])).strip("，,。；;：:")
            return len(flat) > len(re.sub(r"\s+", "", f.said)) and any(flat in p.flat for p in ps)
    return False


def _attributed(f: Figure, sentence: str, ps: Sequence[Passage]) -> bool:
    """A cited clause states ``f`` as the quantity the sentence names (:func:`~reportqa.qa.support.support`):
    海洋生产总值 4.93万亿元 is not verified by "全省生产总值4.93万亿元"."""
    if _clause_quoted(f, sentence, ps):
        return True
    thing = _quantity_of(sentence, f)
    if thing is None:
        return True
    for p in ps:
        named = in_context(thing, p.text)
        if not named.terms:
            return True  # the sentence's words are not the passage's: the figure's presence is all there is
        for s in _PASSAGE_SENTENCE.split(p.text):
            got = support(named, s)
            if got is not None and any(_same(f, g) for g in figures(got.value)):
                return True
    return False


_PASSAGE_SENTENCE = re.compile(r"(?<=[。！？!?；;])")


def _supports(ps: Sequence[Passage], figs: Sequence[Figure], nms: Sequence[str], kws: Sequence[str],
              sentence: str = "") -> str | None:  # fmt: skip
    """None when the passages ``ps`` together support the sentence, else why not."""
    for f in figs:
        if not any(p.has_figure(f) for p in ps):
            return f"the figure {f.said} is not in the cited passage"
        if sentence and f.unit and not _attributed(f, sentence, ps):
            return f"the cited passage does not give {f.said} for what the sentence names"
    for n in nms:
        if not any(p.has_name(n) for p in ps):
            return f"{n} is not in the cited passage"
    if kws and max(p.overlap(kws) for p in ps) < MIN_OVERLAP:
        return "the cited passage does not say this"
    return None


def verify(reply: str, passages: Sequence[str], labels: Sequence[str] = (), question: str = "") -> Checked:
    """Check ``reply`` against ``passages`` (passage n is ``passages[n-1]``; ``labels`` their citations).

    Years named in ``question`` count as supported (the model may repeat the asked year)."""
    prepared = [Passage(t, labels[i] if i < len(labels) else "") for i, t in enumerate(passages)]
    asked = {f.value for f in figures(question) if not f.unit}
    sentences: list[GeneratedSentence] = []
    refusals = 0
    invented: list[str] = []
    for text, cited in split_sentences(reply):
        if not cited and is_refusal(text):
            refusals += 1
            continue
        figs = [f for f in figures(text) if not (not f.unit and f.value in asked)]
        invented += [f.said for f in figs if not any(p.has_figure(f) for p in prepared)]
        nms = names(text)
        kws = [] if is_latin_query(text) else _keywords(text)
        valid = tuple(n for n in cited if 1 <= n <= len(prepared))
        why = "no citation" if not valid else _supports([prepared[n - 1] for n in valid], figs, nms, kws, text)
        if why is None:
            sentences.append(GeneratedSentence(text, valid, True))
            continue
        if figs or nms or kws:
            ok = [i + 1 for i, p in enumerate(prepared) if _supports([p], figs, nms, kws, text) is None]
            if len(ok) == 1:
                sentences.append(GeneratedSentence(text, (ok[0],), True, repointed=True))
                continue
        sentences.append(GeneratedSentence(text, valid, False, reason=why))
    return Checked(tuple(sentences), refusals > 0 and not sentences, tuple(dict.fromkeys(invented)))
