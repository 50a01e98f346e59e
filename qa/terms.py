"""The terms a search looks for, read once from the text it searches: one :class:`Searched` record.

A question is searched with its own words, or — once the search is restricted to the reports it names — with
those region names left out (:func:`~reportqa.qa.scope.without_region_names`; the filter already says which
reports). :func:`~reportqa.qa.query.understand` builds both records (``Query.searched`` and ``Query.narrowed``),
so retrieval (:mod:`.retrieval`), the answer choice and the abstention checks (:mod:`.engine`) read tokens,
language, the asked kind and the glossary's words from here and never tokenize the question again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.index.text.tokens import is_latin_query, tokenize
from reportqa.index.text.years import explicit_years, is_year_token

from .answer import Asked, asked
from .glossary import chinese_keywords
from .question import clean_question
from .scope import without_region_names


def glossary_tokens(question: str) -> list[str]:
    """Keyword tokens of the Chinese words the glossary gives for an English question's terms.

    Region names are left out: a named region is a scope (which report), not a keyword — as a keyword it only
    favours the passages that repeat the region's name (on the seed's 62 English dev+test questions it cost
    0.03 hit@1 and 0.05 answer accuracy, 2026-11-29)."""
    words = chinese_keywords(question, regions=False)
    return tokenize(" ".join(words)) if words else []


def topic_tokens(text: str, latin: bool) -> list[str]:
    """The question's subject words: keywords without region names, years or bare numbers (English: the
    Chinese words the glossary gives for its terms)."""
    if latin:
        words = chinese_keywords(text, regions=False)
        toks = tokenize(" ".join(words)) if words else []
    else:
        toks = tokenize(without_region_names(text), question=True)
    return [t for t in dict.fromkeys(toks) if not is_year_token(t) and not t[:1].isdigit()]


@dataclass(frozen=True)
class Searched:
    """What one search looks for, read once from the searched text (see the module docstring)."""

    text: str
    """The searched text (the cleaned question, or it without the region names that name its reports)."""
    latin: bool
    """The searched text is written mostly in Latin script (its keywords are then codes, numbers and the
    glossary's Chinese words)."""
    tokens: tuple[str, ...]
    """Its keyword tokens (:func:`~reportqa.index.text.tokens.tokenize` with ``question=True``)."""
    glossary_words: tuple[str, ...]
    """For a Latin-script text, the Chinese words the glossary gives for its terms (regions left out); else
    empty."""
    glossary: tuple[str, ...]
    """Those words' keyword tokens (:func:`glossary_tokens`)."""
    asked: Asked
    """The kind (and unit) of thing it asks for (:func:`~reportqa.qa.answer.asked`)."""
    topic: tuple[str, ...]
    """Its subject words (:func:`topic_tokens`, with the question's language)."""
    first_year: int | None
    """The first year it writes explicitly (:func:`~reportqa.index.text.years.explicit_years`), or None."""

    def dense_text(self, with_glossary: bool) -> str:
        """The text embedded for it: with the glossary's Chinese words appended for a Latin-script text when
        ``with_glossary`` (``RetrievalParams.latin_dense_glossary``), else the text itself."""
        if not with_glossary or not self.latin or not self.glossary_words:
            return self.text
        return f"{self.text} {' '.join(self.glossary_words)}"


def searched(text: str, latin_question: bool) -> Searched:
    """The :class:`Searched` record of ``text``; ``latin_question``: the whole question's language (its subject
    words are read by it)."""
    text = clean_question(text)[0]
    latin = is_latin_query(text)
    words = tuple(chinese_keywords(text, regions=False)) if latin else ()
    years = explicit_years(text)
    return Searched(
        text=text,
        latin=latin,
        tokens=tuple(tokenize(text, question=True)),
        glossary_words=words,
        glossary=tuple(tokenize(" ".join(words))) if words else (),
        asked=asked(text),
        topic=tuple(topic_tokens(text, latin_question)),
        first_year=years[0] if years else None,
    )


__all__ = ["Searched", "glossary_tokens", "marked_terms", "searched", "topic_tokens"]


# Marking (the page's highlight): question words carry no topic and are cut out before the bigrams are taken.
_ZH_QUESTION_WORDS = (
    "是不是", "有没有", "多少", "什么", "哪些", "哪个", "哪里", "怎么", "怎样", "如何", "是否", "为什么",
    "吗", "呢", "谁", "哪", "几",
)  # fmt: skip
_EN_STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "by", "did", "do", "does", "for", "from", "has",
        "have", "how", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were",
        "what", "when", "where", "which", "who", "whom", "why", "will", "with", "many", "much",
    }
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")


def marked_terms(question: str) -> tuple[str, ...]:
    """The words a passage is marked with on the page: the question's CJK bigrams (question words removed), its
    Latin words of three letters or more (not function words) and its numbers."""
    terms: list[str] = []
    for m in _WORD.finditer(question):
        w = m.group(0)
        if w[0].isdigit() or (len(w) >= 3 and w.lower() not in _EN_STOP):
            terms.append(w)
    stripped = question
    for w in _ZH_QUESTION_WORDS:
        stripped = stripped.replace(w, " ")
    cjk = "".join(c if _CJK.match(c) else " " for c in stripped)
    for run in cjk.split():
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    seen: set[str] = set()
    out = []
    for t in terms:
        key = t.lower()
        if key not in seen:
            seen.add(key)
            out.append(t)
    return tuple(out)
