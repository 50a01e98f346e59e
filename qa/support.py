"""Support: whether a sentence's clause states the asked quantity, and which span of it is the value.

The question is read once into an :class:`~reportqa.qa.answer.Asked` (:func:`asked_thing`): its kind (a number,
date, person, place, list, yes/no) and, for a quantity, its **defining words** — the indicators it names
(:mod:`reportqa.index.text.indicators`, any synonym counts) and the other words that say *which* quantity (粮食, 乡村,
旅游, 接待…), not how it moves or for when (增长, 目标, 新增: :data:`~reportqa.index.text.indicators.CHANGE_WORDS`). An
English question's words come through the glossary (:mod:`.glossary`), so its defining words are the reports' own.

A sentence **supports** a figure question (:func:`support`) when one of its clauses (between ，；。) holds

* every defining word (an indicator term: a mention of the indicator, or all the words the question names it
  with — "粮食、蔬菜产量分别…" names 粮食产量 though not as one word);
* no narrowing word the question does not name right before them (海洋生产总值 for 地区生产总值, 农村 for 城镇,
  规上工业 for 工业, 进出口 for 出口: :data:`~reportqa.index.text.indicators.QUALIFIERS`);
* a value: in an enumeration "A、B、C产量分别达x、y、z" the item the question names gets the value in its place
  (B → y); otherwise the first figure of the asked unit after the defining words (up to the clause's end, or the
  next clause when that names no other indicator: "地区生产总值67665亿元，增长5.5%"); for an indicator with no
  number, a value stated in words (和经济增长同步, 保持稳定, 稳中有增: :data:`~reportqa.index.figures.extract.
  QUALITATIVE_VALUE`) — only when no clause of the sentence gives the asked thing a number.

The same :func:`support` marks the answer's highlight (:func:`locate_asked`), decides the ``no_figure`` check
(:mod:`.answerable`) and verifies each sentence of a written answer (:mod:`.verify`). A *who* question is
supported by a titled name, a *when* question by a date; neither goes through the figure check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportqa.index.figures.extract import QUALITATIVE_ANSWER, STANDING_CHARS, generic_name_ok
from reportqa.index.reading.sentences import CLAUSE_PUNCT
from reportqa.index.text.indicators import (
    CHANGE_WORDS,
    NARROWED_BY_PREFIX,
    OPPOSED,
    QUALIFIERS,
    Vocabulary,
    builtin,
)  # fmt: skip
from reportqa.index.text.numbers import BIG_COUNT, COUNTERS, NUMERAL_VALUE, UNIT, numeral_unit, shared_units
from reportqa.index.text.regions import english_city_mentions
from reportqa.index.text.tokens import (
    CN_STOPWORDS,
    PERIOD_WORDS,
    QUESTION_WORDS,
    names_thing,
    normalize,
    unglued,
    word_class,
    words,
)
from reportqa.index.text.years import is_year_token, when_spans, year_mentions

from .answer import (
    COUNT,
    DATE,
    Asked,
    Located,
    Term,
    asked,
    figures,
    has_asked_figure,
    highlight_by_words,
    titled_name,
    unit_matches,
)
from .enumeration import FROM_VALUE, TO_VALUE, asked_item, continuation_end, enumerated_value, listings, readings
from .everyday import NOT_DEFINING, SAID_AS, said_plainly
from .glossary import chinese_keywords
from .glossary import entries as glossary_entries
from .glossary_terms import chinese_terms, unmapped_words
from .scope import without_region_names

CLAUSE_MARKS = re.compile(f"[{re.escape(CLAUSE_PUNCT)}\n]")
"""Clause boundaries (an enumeration's 、 stays inside its clause)."""
_ITEM_SEP = re.compile(r"、|和|及|以及|与")
_LEAD_WORDS = re.compile(
    r"^(?:排放|总)?(?:总量|量|率|水平|指数|规模|状况|形势|态势|走势|运行|质量|情况)?(?:的)?(?:实际)?"
    r"(?:占(?:全国|全省|全市)?(?:的)?(?:份额|比重))?"
    r"(?:增长|增速|涨幅|增幅)?(?:目标)?(?:要|是|为|将)?"
)
"""Words between an indicator and a value stated in words (居民收入增长要与经济增长同步; 污染物排放量继续下降)."""
_UNIT_WORD = re.compile(UNIT)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True)
class Support:
    """Where a sentence states the asked thing."""

    value: str
    """The exact substring of the sentence carrying the value (a figure, a value in words, a name, a date)."""
    start: int
    """Offset of ``value`` in the sentence."""
    clause: str
    """The clause (or run of clauses) holding the defining words and the value."""
    item: int | None = None
    """In an enumeration "A、B、C…分别…", the asked item's position (0-based), else None."""
    qualitative: bool = False
    """The value is stated in words (和经济增长同步), not as a number."""
    predicate: bool = False
    """The value is what the clause says of the asked thing, read for a question asking how it stands when no value
    in words is known there (:func:`_predicate`): a sentence with a known one comes first."""


# ---------------------------------------------------------------------------------------------- reading the question


_SCOPE_WORDS = frozenset(
    ["全国", "全省", "全市", "全区", "我国", "我省", "我市", "我区", "本市", "本省", "过去", "五年", "今后",
     "未来", "变化", "表现", "怎么样", "如何", "怎样", "情况", "多少岁", "企业", "有", "政策", "措施", "举措",
     "标准", "数量", "数目", "本地", "当地", "这是", "现在", "目前", "各是", "分别是", "各为", "时期", "期间",
     "走势"]
)  # fmt: skip
"""Words a question adds around a quantity (全国, 过去五年, 有什么变化, 增收政策) that its clause need not repeat."""

_FRAMING = frozenset(["提到", "提出", "说到", "讲到", "写到", "谈到", "明确", "部署", "公布", "披露", "规定", "指出",
                      "显示", "表示", "写道"])  # fmt: skip
"""Verbs that frame a quantity as the report's words before 的 (报告里提到的城镇新增就业目标) or after the report or
plan that says it (1993年报告提到…, 计划规定…): not part of it."""

_FRAMED_BY = re.compile(r"(?:报告|计划|规划|方案)(?:里|中|上|还|曾)?$")
"""What a framing verb follows when it frames what the report or plan says (:data:`_FRAMING`)."""

_PLAN_PERIOD = re.compile(r"^第?十?[一二三四五六七八九十]五(?:计划|规划)?$")
"""A five-year plan's period (六五, 十四五): a period the question names, which the clause stating the figure need
not repeat (the paragraph's lead says "“十四五”时期")."""


SHARE_WORDS: tuple[str, ...] = ("占比", "比重", "份额", "占")
"""How reports say a share (占比, 比重, 占全国份额, 占GDP): a question asking one needs one in the value's clause."""

BOTH_SIDES: dict[str, str] = {"农村": "城乡", "乡村": "城乡", "城镇": "城乡", "城市": "城乡"}
"""A narrowing word and the word naming it together with its counterpart (城乡居民收入 holds 农村居民收入's figure:
"城乡居民人均可支配收入突破5万元和2万元")."""


def _words(phrase: str) -> list[str]:
    """Defining words of ``phrase``: its words (:func:`~reportqa.index.text.tokens.words`) that are not function,
    question, period, change or scope words (好几 of 打好几大 cut by the segmenter too), units, single characters, or a
    compound of other words kept."""
    drop = CN_STOPWORDS | QUESTION_WORDS | PERIOD_WORDS | CHANGE_WORDS | _SCOPE_WORDS | NOT_DEFINING
    out = [t for t in dict.fromkeys(unglued(w) for w in words(_without_years(phrase)))
           if t not in drop and len(t) > 1 and not t.startswith(("多少", "几")) and not t.endswith("几")
           and not is_year_token(t)
           and not _UNIT_WORD.fullmatch(t) and not _PLAN_PERIOD.match(t)]  # fmt: skip
    out = [t for t in out if not (t in _FRAMING and _framing(t, phrase))]
    return [t for t in out if not any(o != t and o in t for o in out)]


def _framing(word: str, phrase: str) -> bool:
    """``word`` (one of :data:`_FRAMING`) frames the quantity in ``phrase``: before 的, or after the report or plan."""
    return any(re.match(r"\s*的", phrase[m.end() :]) or _FRAMED_BY.search(phrase[: m.start()].rstrip())
               for m in re.finditer(re.escape(word), phrase))  # fmt: skip


_EXAMPLES = re.compile(
    r"((?:[\u4e00-\u9fff]{2,}[、和])+[\u4e00-\u9fff]{2,}?)(?:这些|这类|之类的?|等)(?=[\u4e00-\u9fff]{2})"
)
"""A list of examples before the category it gives them for (青稞、牛羊肉这些农牧产品; 汽车、家电等消费品)."""


def _without_examples(phrase: str) -> str:
    """``phrase`` without the examples a question gives before 这些/等/之类 and the category they stand for: the
    category is what is asked (青稞、牛羊肉这些农牧产品 asks for 农牧产品), not each example. Only the last word of the
    first item is an example (今年把青稞: 今年把 stays)."""

    def cut(m: re.Match[str]) -> str:
        first = words(re.split("[、和]", m.group(1))[0])
        return "".join(first[:-1]) + " "

    return _EXAMPLES.sub(cut, phrase)


_SUM_WORDS = re.compile(r"一共|总共|总计|合计|共计|拢共|加起来|合起来|加在一起|算起来|算下来")
"""How a question asks for a total (一共, 加起来): not a word of the quantity — cut before the segmenter reads the
phrase, which glues it to the next word (一共通了 → 一 / 共通)."""

_MEASURED = re.compile(f"(多少|几)([{''.join(sorted(COUNTERS))}张辆台艘栋位名只头])(?=[\u4e00-\u9fff])")
"""A measure word after the question word (多少家央企, 几栋楼): the segmenter glues it to the counted noun (家央企,
栋楼, 条小) — a word no report writes."""


def _counted_apart(phrase: str) -> str:
    """``phrase`` without the words asking for a total (:data:`_SUM_WORDS`) and with a space after the measure word
    of 多少/几 (:data:`_MEASURED`), so the counted thing is segmented as itself (多少家央企的子公司 → 央企, 子公司)."""
    return _MEASURED.sub(r"\1\2 ", _SUM_WORDS.sub(" ", phrase))


def _without_years(phrase: str) -> str:
    """``phrase`` with its years ("2025年") cut out: a year glued to the next word makes the segmenter cut an
    unknown word apart (2025年电竞 → 年 / 电 / 竞)."""
    for m in reversed(year_mentions(phrase)):
        end = m.end + (phrase[m.end : m.end + 1] == "年")
        phrase = phrase[: m.start] + " " + phrase[end:]
    return phrase


def asked_thing(text: str, latin: bool, indicators: Sequence[str], vocab: Vocabulary | None = None) -> Asked:
    """What ``text`` (the cleaned question) asks: :func:`~reportqa.qa.answer.asked` plus the asked quantity's
    defining words and the narrowing words it names (see the module docstring)."""
    base = asked(text)
    v = vocab or builtin()
    if base.kind not in ("number", "other") and not indicators:
        return base
    if latin:  # the glossary's Chinese words, and any Chinese the question quotes ("案损数")
        subject = " ".join([*chinese_keywords(text, regions=False), *_CJK_RUN.findall(text)])
        said_as = [(v.by_id[i].zh[0], i) for i in indicators if i in v.by_id]
    else:
        subject = _counted_apart(_without_examples(said_plainly(without_region_names(text))))
        framed = _FRAME.match(subject)
        if framed and subject[framed.end() :].strip():  # "按1993年机构改革方案，…": where the figure is read, not what
            subject = subject[framed.end() :]
        said_as = [(m.text, m.indicator.id) for m in v.mentions(subject) if m.indicator.id in indicators]
    terms: list[Term] = []
    covered: set[str] = set()
    heads: set[str] = set()
    # an English question names an indicator specifically by a phrase or an acronym (consumer prices,
    # income-growth, GDP)
    specific = {m.indicator.id for m in v.mentions(text)
                if re.search(r"[ -]", m.text.strip()) or len(m.text.strip()) <= 3}  # fmt: skip
    for ind in dict.fromkeys(indicators):
        said = next((t for t, i in said_as if i == ind), None)
        if said is None:
            if ind not in v.by_id:
                continue
            said = v.by_id[ind].zh[0]
        if latin:  # any of the indicator's names will do; one general English word ("revenue") names none
            names = tuple(v.by_id[ind].zh) if ind in v.by_id else (said,)
            covered |= set(names)
            if ind in specific:
                terms.append(Term(names, ind, alternatives=True))
            continue
        ws = _words(said) or [said]
        terms.append(Term(tuple(ws), ind))
        covered |= set(ws) | {said}
        if not latin and ind in v.by_id:  # a question word heading another of its names (经济 of 经济增长) is its own
            heads |= {n[:k] for n in v.by_id[ind].zh for k in range(2, len(n))}
    rest = subject
    for t, _ in said_as:
        rest = rest.replace(t, " ")
    if latin:  # the glossary's words for the indicator's English name are the indicator's
        for ind in indicators:
            if ind in v.by_id:
                covered |= {w for n in v.by_id[ind].zh for w in words(n)} | set(v.by_id[ind].zh)
    if latin:
        drop = CHANGE_WORDS | _SCOPE_WORDS | QUESTION_WORDS
        named = {w for t in terms for n in t.words for w in (n, *words(n))}  # the indicators named specifically
        for g in chinese_terms(text):
            # a thing reports count (grain, cruise) stays unless an indicator the question names holds it
            if set(g.chinese) & (named if g.bound else covered) or set(g.chinese) <= drop:
                continue
            if any(_PLAN_PERIOD.match(w) for w in g.chinese):  # the 14th Five-Year Plan: a period (_PLAN_PERIOD)
                continue
            terms.append(Term(g.chinese, alternatives=True, bound=g.bound))
        terms += [Term((w,), bound=True) for w in _CJK_RUN.findall(text)]
        # a city named in English is what the figure is of (Lhasa's north and south mountains: 拉萨南北山绿化), as
        # a Chinese question's 拉萨 is; a city naming its own report was declined before (its scope)
        terms += [Term((c,), bound=True) for c in dict.fromkeys(m.region.short for m in english_city_mentions(text))]
    else:
        # words before 的 framing a named indicator (经济社会发展的国内生产总值): the indicator is what is asked
        framing = "".join(m.group(1) for t, _ in said_as if len(t) >= 4
                          for m in re.finditer(r"([\u4e00-\u9fff]+)的" + re.escape(t), subject))  # fmt: skip
        for w in _words(rest):
            if w in framing and not any(q in w for q in QUALIFIERS):
                continue
            if w not in covered and not any(w in c for c in covered) and not (w in heads and w not in QUALIFIERS):
                terms.append(Term((w, *SAID_AS[w]), alternatives=True) if w in SAID_AS else Term((w,)))
        if "占比" in rest and not any(set(t.words) & set(SHARE_WORDS) for t in terms):
            # 占比 cut apart by the segmenter (占 / 比要): a share is asked, and its clause must say one
            terms.append(Term(SHARE_WORDS, alternatives=True))
    flat = normalize(subject).replace(" ", "")
    quals = tuple(q for q in QUALIFIERS if q in flat)
    # an everyday word for a narrowing word names it (乡下的路 → 农村公路, 城里人 → 城镇)
    quals += tuple(q for t in terms if t.words[0] in SAID_AS for q in t.words[1:] if q in QUALIFIERS and q not in quals)
    if latin:
        # narrowing words of the question's own phrases: of an indicator's Chinese names only the first, the one
        # the English phrase translates ("new urban jobs" 城镇新增就业: 城镇; "per capita disposable income"
        # 居民人均可支配收入, not the 城镇/农村 of its other names — they would make any town or country figure "named")
        ind_names = {n for ind in indicators if ind in v.by_id for n in v.by_id[ind].zh}
        groups: list[tuple[str, ...]] = []
        for g in chinese_terms(text):
            if not ind_names & set(g.chinese):
                groups.append(g.chinese)
                continue
            # an indicator's first name says a narrowing word only where the English phrase has a word of its own
            # for it ("new urban jobs": urban 城镇; "new jobs" names no town — 新增就业32.7万人 answers it)
            groups += [g.chinese[:1]] if _says_narrowing(g.english) else []
        groups += [(w,) for w in _CJK_RUN.findall(text)]
        # a narrowing word every rendering of a phrase says (rural: 农村 or its spelling 乡村), not one rendering's
        # (provincial state-owned enterprises: 省属企业 or 省属国有企业 — 国有 is not asked)
        quals = tuple(q for q in quals if any(all(any(x in w for x in (q, *_SAME_NARROWING.get(q, ()))) for w in g)
                                              for g in groups))  # fmt: skip
    # a narrowing word named is named in each of its spellings (规上 = 规模以上, 农村 = 乡村)
    quals = tuple(dict.fromkeys(w for q in quals for w in (q, *_SAME_NARROWING.get(q, ())) if w in QUALIFIERS))
    phrased = _phrases(terms, flat, latin)
    return replace(base, terms=phrased, qualifiers=quals, phrase=flat, key_phrase=_key_of(phrased, flat, latin),
                   english=latin, unmapped=unmapped_words(text) if latin else ())


def _says_narrowing(english: str) -> bool:
    """Some shorter part of the English phrase ``english`` (an indicator's English name) is a glossary phrase of its
    own whose every rendering says a narrowing word (urban of "new urban jobs": 城镇, 城市; "above designated size":
    规模以上)."""
    known = glossary_entries()
    words = english.replace("-", " ").split()
    parts = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)} - {english}
    return any(p in known and all(any(q in z for q in QUALIFIERS) for z in known[p]) for p in parts)


def _reached(sentence: str, lo: int, values: Sequence[tuple[int, int]]) -> bool:
    """The first two of ``values`` (sentence offsets, none before ``lo``) are a level left and the level reached
    (由x增加到y, 由年初的x扩大到年末的y): the second answers."""
    if len(values) < 2:
        return False
    (x, y), (nx, _) = values[0], values[1]
    return bool(FROM_VALUE.search(sentence[max(lo, x - 10) : x])) and bool(TO_VALUE.match(sentence[y:nx]))


_BASE = re.compile(r"比[^，,；;。\d０-９]{0,10}?的?\s*$")
"""Words before a value that is the base of a comparison (比现有的, 比上年的)."""
_BY = re.compile(r"^\s*(?:增加|增长|减少|下降|降低|提高|压缩|精简|多|少)了?\s*$")
"""Words between a comparison's base and the change from it (比现有的86个减少27个)."""


_FRAME = re.compile(r"^\s*(?:(?:按照?|根据|依据|据)[^，,。？?]{2,30}|[^，,。？?]{2,30}?(?:方案|规划|计划|报告)中)[，,]")
"""A question's opening frame naming where its figure is read (按1993年机构改革方案，… / 1993年机构改革方案中，… /
根据政府工作报告，…): its words are no defining words of the quantity asked after it."""


_ASKING = re.compile(r"多少|几|是什么|什么|怎样|怎么样|如何|哪")


def _key_of(terms: Sequence[Term], flat: str, latin: bool) -> int:
    """The key phrase (:attr:`~reportqa.qa.answer.Asked.key_phrase`) of ``terms`` in the question ``flat``."""
    if not terms:
        return 0
    m = _ASKING.search(flat)
    if latin or m is None:
        return terms[-1].phrase
    at = [(min((i for w in t.words if (i := flat.find(w.replace(" ", ""))) >= 0), default=-1), t) for t in terms]
    before = [(i, t) for i, t in at if 0 <= i < m.start()]
    after = [(i, t) for i, t in at if i >= m.start()]
    if before:
        return max(before, key=lambda x: x[0])[1].phrase
    if not after:
        return terms[-1].phrase
    # the head of X的Y is Y: a phrase after the question word followed by 的 before the next one modifies it
    # (多少个值得一去的好景点 asks for 景点)
    after.sort(key=lambda x: x[0])
    key = after[0]
    key_end = key[0]
    for nxt in after[1:]:
        if nxt[1].phrase == key[1].phrase:
            key_end = max(key_end, nxt[0])
            continue
        gap = flat[key_end : nxt[0]]  # from the key phrase's last word (特色的玩法 is one phrase, not 特色 of 玩法)
        if "的" not in gap or _GAP_BREAK.search(gap):
            break
        key, key_end = nxt, nxt[0]
    return key[1].phrase


_GAP_BREAK = re.compile(r"[，,、；;：:（(]")
"""Punctuation between two phrases: the later one is no head the earlier modifies (特色的玩法，像藏医药…)."""


_JOINER = re.compile(r"^[的\s“”\"]*$")


def _joins(gap: str) -> bool:
    """``gap`` may stand between two words of one phrase: 的, quotes, or one noun character the segmenter cut off
    alone (蔗 of 糖料蔗产量, 菜 of 预制菜产业) or a distinguishing one (总 of 工程总投资) — not a verb (通 of
    村子通水泥路) nor 和/与 between two things."""
    if _JOINER.match(gap):
        return True
    tag = word_class(gap) if len(gap) == 1 else None
    return tag is not None and (tag.startswith("n") or tag == "b")


def _phrases(terms: Sequence[Term], flat: str, latin: bool) -> tuple[Term, ...]:
    """``terms`` numbered by phrase: consecutive in ``flat`` (the question) with only a joiner between
    (:func:`_joins`)."""
    if latin:
        return tuple(terms)
    placed = []
    for t in terms:
        at = min((i for w in t.words if (i := flat.find(w.replace(" ", ""))) >= 0), default=-1)
        end = at + max((len(w) for w in t.words if flat.find(w.replace(" ", "")) == at), default=0)
        placed.append((at, end, t))
    placed.sort(key=lambda x: x[0])
    out: list[Term] = []
    group, prev_end = -1, None
    for at, end, t in placed:
        if prev_end is None or at < 0 or not _joins(flat[prev_end:at]):
            group += 1
        out.append(replace(t, phrase=group))
        prev_end = end if at >= 0 else prev_end
    return tuple(out)


# ---------------------------------------------------------------------------------------------- clauses


def clauses(sentence: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-empty clause of ``sentence``."""
    out, start = [], 0
    for m in CLAUSE_MARKS.finditer(sentence):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(sentence)))
    return [(a, b) for a, b in out if sentence[a:b].strip()]


def _squash(s: str) -> tuple[str, list[int]]:
    """``s`` normalised without spaces, and the offset in ``s`` of each kept character."""
    n = normalize(s)
    keep = [(i, c) for i, c in enumerate(n if len(n) == len(s) else s) if not c.isspace()]
    return "".join(c for _, c in keep), [i for i, _ in keep]


def _occurrences(term: Term, clause: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Spans of ``clause`` naming ``term`` (all its words must be there, else none)."""
    spans: list[tuple[int, int]] = []
    if term.indicator is not None:  # a name too short to say which total only after a neutral character
        spans = [(m.start, m.end) for m in vocab.subjects(clause)
                 if m.indicator.id == term.indicator and _names_total(clause, m.start, m.text)]  # fmt: skip
    flat, pos = _squash(clause)
    word_spans: list[tuple[int, int]] = []
    for k, w in enumerate(term.words):
        found = _find_word(w, flat)
        if term.indicator is not None and term.alternatives:  # an English question's renderings of the indicator
            found = [(x, y) for x, y in found if _names_total(flat, x, w)]
        if not found and not term.alternatives:
            return spans
        if k == 0 or term.alternatives:  # where the term starts (what a narrowing word would stand before)
            word_spans += [(pos[x], pos[y - 1] + 1) for x, y in found]
    return sorted(set(spans + word_spans))


def _starts(spans: Sequence[tuple[int, int]]) -> list[int]:
    """Where each run of overlapping spans starts (一般公共预算收入 and the 预算收入 inside it: one mention)."""
    out: list[int] = []
    end = -1
    for x, y in sorted(spans):
        if x >= end:
            out.append(x)
        end = max(end, y)
    return out


def _names_total(text: str, start: int, name: str) -> bool:
    """``name`` at ``start`` names a quantity of its own (:func:`~reportqa.index.figures.extract.generic_name_ok`),
    or the narrowing word right before it makes one (农村居民收入, 民间投资增长: whether that one is asked is
    :func:`_narrowed`'s and :func:`qualified`'s to say), or it is the whole a share is of (制造业增加值占GDP比重:
    :func:`support` reads that only for a question asking a share)."""
    return (generic_name_ok(text, start, name) or any(text[:start].endswith(q) for q in QUALIFIERS)
            or text[:start].endswith("占"))  # the whole a share is of (占GDP比重): asked only with a share (support)


def _as_read(word: str) -> str:
    """A question's word as a clause is read (:func:`_squash`): normalised (the glossary's PM2.5 as pm2.5, GDP as
    gdp), without spaces."""
    return normalize(word).replace(" ", "")


def _find_word(word: str, flat: str) -> list[tuple[int, int]]:
    """Spans of ``flat`` holding the word ``word`` as a clause is read (:func:`_as_read`; Latin letters in either
    case), or a word of four or more characters by its two halves in order (卫生事业 in 卫生和文化事业)."""
    w = _as_read(word)
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(w), flat, re.IGNORECASE)]
    if not found and w in BOTH_SIDES:
        found = [(m.start(), m.end()) for m in re.finditer(BOTH_SIDES[w], flat)]
    if found or len(w) < 4:
        return found
    i = flat.find(w[:2])
    j = flat.find(w[-2:], i + 2) if i >= 0 else -1
    if j < 0 or j - i > 16 or _opposed(w, flat[i : j + 2]):
        return []
    return [(i, j + 2)]


def _opposed(word: str, span: str) -> bool:
    """``span`` names the other side of an :data:`~reportqa.index.text.indicators.OPPOSED` pair than ``word``
    (一般公共预算支出增长 read by the halves of 一般公共预算收入增长)."""
    for one, two in OPPOSED:
        for mine, other in ((one, two), (two, one)):
            if any(x in word for x in mine) and any(x in span for x in other) and not any(x in span for x in mine):
                return True
    return False


_SAID_NARROWED = frozenset(
    w for ws in SAID_AS.values() for w in ws if any(w.startswith(q) and w != q for q in QUALIFIERS)
)
"""Report words an everyday word stands for that begin with a narrowing word (农民 → 农村居民, 村医 → 乡村医生): the
everyday word names that narrowing word with them."""


def _narrowed(clause: str, spans: Sequence[tuple[int, int]], qualifiers: Sequence[str]) -> bool:
    """A narrowing word the question does not name stands right before every occurrence (农村居民收入 for 城镇
    居民收入 … ; 进出口 for 出口) — or begins it, unless it is the report word of an everyday word asked (农民 for
    农村居民: :data:`_SAID_NARROWED`)."""
    if not spans:
        return False
    for a, b in spans:
        before = clause[max(0, a - 6) : a].replace(" ", "")
        word = clause[a:b]
        own = word in _SAID_NARROWED
        narrowed = any(before.endswith(q) or (word.startswith(q) and not own)
                       for q in QUALIFIERS if q not in qualifiers)  # fmt: skip
        for w, p in NARROWED_BY_PREFIX.items():
            if word.startswith(w) and before.endswith(p):
                narrowed = True
        if not narrowed:
            return False
    return True


def _narrowing(thing: Asked, i: int) -> tuple[str, ...]:
    """The narrowing words that do not make term ``i`` another quantity where they stand before or begin it: those
    the question names, and for an English question those beginning one of the term's own renderings (人均 of
    人均预期寿命 for life expectancy, 外资 for foreign direct investment: the glossary's words for the asked thing
    itself, not a narrowing of it)."""
    if not thing.english or i >= len(thing.terms):
        return thing.qualifiers
    own = tuple(q for q in QUALIFIERS if any(w.startswith(q) for w in thing.terms[i].words))
    return thing.qualifiers + tuple(q for q in own if q not in thing.qualifiers)


def _phase(text: str, start: int) -> bool:
    """A numeral and 期 at ``start`` written right after a name (西宁机场三期, 长江存储二期) give the project's phase,
    not a count (举办三期培训班: after a verb, a count)."""
    tag = word_class(text[max(0, start - 2) : start]) or word_class(text[start - 1 : start]) if start else None
    return tag is not None and (tag.startswith("n") or tag == "vn")


def _value_figures(thing: Asked, text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Figures of the asked kind and unit in ``text``: ``(start, end)`` shifted by ``offset``."""
    out = []
    for m, unit in _figure_units(text):
        if not thing.unit or unit_matches(thing.unit, unit) or thing.unit in text[: m.start()]:
            out.append((offset + m.start(), offset + len(m.group(0).rstrip()) + m.start()))
    for m in NUMERAL_VALUE.finditer(text):  # 第二年, 第七届, 三个, Ⅱ类: values the digit grammar does not read
        unit = numeral_unit(m)
        a, b = offset + m.start(), offset + m.end()
        if any(x < b and a < y for x, y in out) or _list_number(text, m.start(), m.end(), unit):
            continue
        if unit == "期" and _phase(text, m.start()):  # 机场三期, 存储二期: a project's phase
            continue
        if not thing.unit or unit_matches(thing.unit, unit) or thing.unit in text[: m.start()]:
            out.append((a, b))
    if "第几" in thing.phrase:  # an ordinal asked (第几届): only an ordinal answers it
        out = [(x, y) for x, y in out if text[x - offset : y - offset].startswith("第")]
    return sorted(out)


def _figure_units(text: str) -> list[tuple[re.Match[str], str]]:
    """Each :func:`~.answer.figures` match of ``text`` with its unit (full-width folded), a list's unit written once
    after its last value read into the values before it (15、22个百分点: 15 is in 个百分点:
    :func:`~reportqa.index.text.numbers.shared_units`)."""
    found = figures(text)
    written = [unicodedata.normalize("NFKC", (m.group(2) or "").strip()) for m in found]
    units = shared_units(text, [(m.start(), m.end(), u) for m, u in zip(found, written, strict=True)])
    return list(zip(found, units, strict=True))


_COUNT_UNITS = (None, COUNT, "个", "项", "大", "条", "类")
"""Asked units a count before 大 answers (几大行动, 有几个, 几项)."""


def _big_count(
    thing: Asked, clause: str, offset: int, hits: dict[int, list[tuple[int, int]]]
) -> tuple[int, int] | None:
    """A count before 大 a few characters before an asked word (七大行动, “十大民生工程”, 十大重点项目): ``(start,
    end)`` shifted by ``offset``, when a count is asked."""
    if thing.kind != "number" or thing.unit not in _COUNT_UNITS or thing.in_words:
        return None
    starts = [x - offset for spans_ in hits.values() for x, _ in spans_]
    for m in BIG_COUNT.finditer(clause):
        if any(x >= m.end() and _COUNTED.fullmatch(clause, m.end(), x) for x in starts):
            return offset + m.start(), offset + m.end()
    return None


_COUNTED = re.compile(r"“?[\u4e00-\u9fff]{0,4}")
"""What may stand between a count before 大 and the asked word it counts: a quote, a few characters of one noun
phrase (“十大重点项目” counts 项目)."""


def _unit_fits(thing: Asked, text: str) -> bool:
    """The value opening ``text`` (the value, then the rest of its clause), when written with a unit of its own or
    one its list shares (:func:`~reportqa.index.text.numbers.shared_units`), has the asked unit (a list's values may
    be of another measure than the one the sentence named before them)."""
    own = _figure_units(text)
    return not thing.unit or not own or not own[0][1] or unit_matches(thing.unit, own[0][1])


def _list_number(text: str, start: int, end: int, unit: str) -> bool:
    """``text[start:end]`` is an ordinal numbering a list item (第八、在保持物价基本稳定的前提下…): no value."""
    return text.startswith("第", start) and not unit and text[end : end + 1] in _LIST_MARK


_LIST_MARK = frozenset("、，,：:．.")
"""What follows an ordinal that numbers an item (第八、, 第一，) rather than counting something (第八届)."""

_CONTIGUOUS = re.compile(r"^\s*(?:、|和|及|与|以及)?\s*$")


_LISTING = re.compile(r"、|和|及|与|分别")
"""What a clause holding an enumeration has."""


ITEMS_AHEAD = 5
"""How many clauses before a clause opening with 分别 may each name one of its items (:func:`_items_ahead`)."""


def _items_ahead(sentence: str, spans: Sequence[tuple[int, int]], ci: int, joined: int) -> int | None:
    """Where the clauses before a clause opening with 分别 (clause ``ci`` or one joined to it, up to ``joined``)
    start, when each of them may name one item of its list ("进口1.2万亿元，出口2.3万亿元，分别增长3.1%和5.2%":
    :func:`~reportqa.qa.enumeration.listings` takes as many as the list has values); None when no clause opens
    with 分别 there. The clauses looked back over hold no 分别 of their own. Read only for a question naming a unit
    (增长多少 asks %): each of those clauses states its item's own figure, which answers "游客花费多少"."""
    opens = [i for i in range(ci, len(spans)) if spans[i][0] < joined and sentence[spans[i][0] : spans[i][1]].lstrip()
             .startswith("分别")]  # fmt: skip
    if not opens:
        return None
    first = opens[0]
    start = first
    while start > 0 and first - start < ITEMS_AHEAD:
        x, y = spans[start - 1]
        if "分别" in sentence[x:y]:
            break
        start -= 1
    return spans[start][0] if start < first else None


def _listed(
    thing: Asked, sentence: str, spans: Sequence[tuple[int, int]], ci: int, a: int, joined: int,
    read: Vocabulary | None = None, borrow: bool = True,
) -> Support | None:  # fmt: skip
    """:func:`_enumerated` over clause ``ci`` (from ``a``, joined with its continuations up to ``joined``), else —
    a question naming a unit — over the clauses before a clause opening with 分别 that each name one of its items
    (:func:`_items_ahead`)."""
    found = _enumerated(thing, sentence, a, joined, read, borrow)
    if found is None and thing.unit and (back := _items_ahead(sentence, spans, ci, joined)) is not None:
        found = _enumerated(thing, sentence, back, joined, read, borrow)
    return found


@dataclass(frozen=True)
class ListedAt:
    """The enumeration a value belongs to (:func:`listing_at`)."""

    items: tuple[str, ...]
    """Its items, each read in full (:func:`~reportqa.qa.enumeration.readings`)."""
    values: tuple[tuple[int, int], ...]
    """The value list holding the value (sentence offsets), one per item."""
    named: bool
    """The question's own words name one of the items (:func:`~reportqa.qa.enumeration.asked_item`)."""


def listing_at(thing: Asked, sentence: str, start: int) -> ListedAt | None:
    """The enumeration of ``sentence`` with a value list (of the asked unit) holding the value that starts at
    ``start`` — read as :func:`support` reads lists: a clause with its continuations, or the clauses naming the items
    before a clause opening with 分别 — or None when that value is in no list."""
    spans = clauses(sentence)
    singles = [w for t in thing.terms for w in t.words if len(w) == 1] if thing.english else []
    for ci, (a, _) in enumerate(spans):
        joined = continuation_end(sentence, spans, ci)
        if not a <= start < joined:
            continue
        back = _items_ahead(sentence, spans, ci, joined)
        for x in (a,) if back is None else (a, back):
            for listing in listings(sentence, x, joined, _value_figures(thing, sentence[x:joined], x), thing.phrase):
                for vs in listing.values:
                    if any(v[0] == start for v in vs):
                        named = asked_item(listing.items, thing.phrase, singles) is not None
                        return ListedAt(tuple(readings(listing.items)), vs, named)
    return None


def _enumerated(
    thing: Asked, sentence: str, a: int, b: int, read: Vocabulary | None = None, borrow: bool = True
) -> Support | None:
    """"A、B、C产量分别达x、y、z" (or "改造A、B、C管网x、y、z", "6个A、7个B", "A x、B y"): the value in the place
    of the item the question names (:mod:`.enumeration`); None when the clause is no such list or names no item.
    With ``read`` (the vocabulary), the clause did not hold the defining words as written: the asked item read in
    full (改造老旧燃气管网) must hold them (:func:`_about`), none behind a narrowing word the question does not name;
    with ``borrow``, a measure named before the list in the sentence counts for its items (产品产量…，A和B分别…)."""
    singles = [w for t in thing.terms for w in t.words if len(w) == 1] if thing.english else []
    found = enumerated_value(sentence, a, b, _value_figures(thing, sentence[a:b], a), thing.phrase, singles)
    if found is None or not qualified(thing, sentence[a:b]):  # 城镇 asked, the list names 农村居民收入 alone
        return None
    if not _unit_fits(thing, sentence[found.start : b]):
        return None  # 接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%: 人次 asked, the growth list is in %
    if read is not None:
        hits = {i: occ for i, t in enumerate(thing.terms) if (occ := _occurrences(t, found.reading, read))}
        for i, t in enumerate(thing.terms if borrow else ()):  # a measure named before the list (产品产量…，A和B分别…)
            before = _occurrences(t, sentence[:a], read)  # not inside another quantity (出口 of 进出口)
            if i not in hits and not any(w in QUALIFIERS for w in t.words) and before and not _narrowed(
                sentence[:a], before, thing.qualifiers
            ):
                hits[i] = [(a, a)]
        if not _about(thing, hits) or any(_narrowed(found.reading, o, _narrowing(thing, i)) for i, o in hits.items()):
            return None
    return Support(sentence[found.start : found.end], found.start, sentence[a:b], item=found.item)


def _qualitative(sentence: str, end: int, stop: int, ends_clause: bool = False) -> tuple[int, int] | None:
    """A value in words right after the defining words (``end``), within the clause (up to ``stop``); with
    ``ends_clause`` (the question asks how the thing stands, not how much) also one ending the clause a few words
    on (:data:`QUALITATIVE_GAP`)."""
    rest = sentence[end:stop]
    lead = _LEAD_WORDS.match(rest)
    skip = lead.end() if lead else 0
    m = QUALITATIVE_ANSWER.match(rest, 0)
    if m is None or not m.group(0):
        m = QUALITATIVE_ANSWER.match(rest, skip)
    if (m is None or not m.group(0)) and _SHARED_WITH.match(rest):
        # another item sharing the value ("事故总量和重特大事故数量继续下降"): the value ending the clause
        m = _ending_value(rest, 2, 16, _CJK_ONLY, 1)
    if (m is None or not m.group(0)) and ends_clause:
        # the value ending the clause a few words on (重点帮扶县数量总体稳定; …等民生保障待遇标准稳步提高): the words
        # between only name what the asked thing's value is of, no figure and no other clause
        m = _ending_value(rest, 1, QUALITATIVE_GAP + 1, _GAP_WORDS, 0)
    if m is None or not m.group(0):
        return None
    return end + m.start(), end + m.end()


_PREDICATE_CUT = re.compile(r"、|的[\u4e00-\u9fff]{1,3}[下中时]$")
"""Where the words saying how a thing stands end inside its clause: another item's turn (物价持续负增长、利率水平较低…)
or the frame the clause sets (物价水平较低的情况下)."""
_PREDICATE = re.compile(r"[\u4e00-\u9fff]{2,16}")
_PREDICATE_CLASSES = ("v", "a", "d", "i", "l", "z")
"""Parts of speech (first letters; verbal and adjectival nouns excluded) of which one word must be there, or a word
the general dictionary does not know (提档 of 提档升级): a predicate moves or qualifies (较低, 持续负增长, 有所下降),
nouns alone name another thing (调控目标, 监测预警)."""


def _predicate(sentence: str, end: int, stop: int, phrase: str) -> tuple[int, int] | None:
    """The rest of the clause after the asked thing's words (``end``; and the words that lead to a value), for a
    question asking how the thing stands: what the clause says of it is the answer (“物价水平较低的情况下” → 较低),
    when it is 2–16 characters of words with no figure, opens with no noun, holds a verb, adjective, adverb or set
    phrase and a character of how a quantity moves or stands (:data:`STANDING_CHARS`). Read only
    where no sentence of the passage has a value in words :data:`QUALITATIVE_ANSWER` knows."""
    rest = sentence[end:stop]
    # more of the question's own words (茶叶 asked, 生产 of 茶叶生产怎么样 follows): not what is said of it
    ahead = next((n for n in range(min(len(rest), 8), 1, -1) if rest[:n] in phrase), 0)
    rest = rest[ahead:]
    end += ahead
    lead_words = _LEAD_WORDS.match(rest)
    skip = lead_words.end() if lead_words else 0
    body = rest[skip:]
    cut = _PREDICATE_CUT.search(body)
    said = body[: cut.start()] if cut else body
    lead = len(said) - len(said.lstrip())
    said = said.strip()
    if not _PREDICATE.fullmatch(said) or NUMERAL_VALUE.search(said):
        return None
    said_words = words(said)
    if not said_words or names_thing(said_words[0]) or not STANDING_CHARS.intersection(said):
        return None  # a noun right after the asked thing names another thing (健康指标监测体系不断完善)
    tags = [word_class(w) for w in said_words]
    if not any(t is None or (t[:1] in _PREDICATE_CLASSES and t not in ("vn", "an")) for t in tags):
        return None
    return end + skip + lead, end + skip + lead + len(said)


def _ending_value(rest: str, first: int, stop: int, words: re.Pattern[str], skip: int) -> re.Match[str] | None:
    """A value in words starting at ``first`` … ``stop - 1`` of ``rest`` and ending it, the text before it (from
    ``skip``) all ``words``."""
    for at in range(first, min(len(rest), stop)):
        m = QUALITATIVE_ANSWER.match(rest, at)
        if m is not None and m.group(0) and not rest[m.end() :].strip() and words.fullmatch(rest[skip:at]):
            return m
    return None


QUALITATIVE_GAP = 12
"""How many characters of words (no figure) may stand between the asked thing's words and a value in words ending
their clause, for a question asking how the thing stands (怎样, what happened): one asking how much prefers a
figure, and the words between may name another thing sharing the value (外贸外资稳量提质 for 外贸增长多少)."""
_GAP_WORDS = re.compile(r"[\u4e00-\u9fff、]+")


_COLONS = ("：", ":")


_NARROWED_PREFIX = re.compile("|".join(NARROWED_BY_PREFIX))
"""Words another quantity holds whole (出口 in 进出口): checked before a list is read, since no item can be them."""


def _colon_lead(sentence: str, spans: Sequence[tuple[int, int]], ci: int) -> tuple[int, int] | None:
    """The clause before clause ``ci`` ending in a colon — the lead introducing the items that follow ("…年产能力如下：
    A为x，B为y") — or None when no clause of the sentence before ``ci`` ends in one."""
    for a, b in reversed(spans[:ci]):
        if sentence[b : b + 1] in _COLONS:
            return a, b
    return None


_CONTINUES = re.compile(
    r"^\s*(?:分别)?\s*(?:比上年|同比|比[^，,；;。]{0,16}?|实际|年均)?\s*"
    r"(?:增长|下降|增加|减少|提高|降低|上涨|回落|达到?|为|占|超过?|由|从)"
)
"""A clause that goes on about the previous clause's subject ("地区生产总值67665亿元，增长5.5%"; "覆盖人数，由年初的
400多万人扩大到年末的1120多万人"; "农业总产值达到了
八百八十亿元，比一九五七年的五百三十七亿元增长了百分之六十四")."""


_SHARED_WITH = re.compile(r"(?:和|与|及|、)(?:[\u4e00-\u9fff]|[A-Za-z])")
_CJK_ONLY = re.compile(r"(?:[\u4e00-\u9fff]|[A-Za-z]+_?(?:\d+(?:\.\d+)?)?)+")
"""Another item named with the asked one before the value they share (和重特大事故数量 …继续下降; 、PM2.5年均浓度
均优于全国: a Latin name with its number is a name, no figure)."""


_SAYS = re.compile(r"\s*(?:一定|必须|务必|还|都|也|仍|应当|应该|应|要|将)*")
"""Words opening a clause that goes on to say how the previous clause's subject shall stand (一定要, 必须)."""


_ELLIPSIS = re.compile(r"^\s*(?:分别|预计|实际)?\s*(?:突破|超过?|达到?|为|增长|提高|实现|接近)")
"""After a narrowing word opening a clause, a verb going straight to the value (人均突破6万元)."""


def _about(thing: Asked, hits: dict[int, list[tuple[int, int]]]) -> bool:
    """A clause holding ``hits`` (term index → spans) is about the asked quantity: every narrowing word and
    indicator is there, and the question's key phrase whole (:attr:`Asked.key_phrase`; the others may stand earlier or
    later in the sentence: "企业上市'格桑花行动'，直接融资135亿元")."""
    if not hits:
        return False
    for i, t in enumerate(thing.terms):
        must = (t.indicator is not None and not t.alternatives) or any(w in QUALIFIERS for w in t.words)
        if i not in hits and must:
            return False
    key = _key_phrase(thing)
    return all(i in hits for i, t in enumerate(thing.terms) if t.phrase == key)


def _key_phrase(thing: Asked) -> int:
    """The phrase naming the quantity itself (:attr:`~reportqa.qa.answer.Asked.key_phrase`)."""
    return thing.key_phrase


_SPELLINGS: tuple[tuple[str, ...], ...] = (("农村", "乡村"), ("城镇", "城市"), ("规上", "规模以上"))
"""Narrowing words spelt two ways for one quantity."""
_SAME_NARROWING: dict[str, tuple[str, ...]] = {
    w: (*group, *((BOTH_SIDES[w],) if w in BOTH_SIDES else ())) for group in _SPELLINGS for w in group
}
"""A narrowing word and the words a clause may say it with: its spellings, and the word naming it together with its
counterpart (:data:`BOTH_SIDES`: 城乡 names town and countryside)."""


def qualified(thing: Asked, clause: str) -> bool:
    """Every narrowing word the question names is in ``clause`` (农村 of 农村居民人均可支配收入: a clause naming the
    indicator without it — 居民人均可支配收入增长4.4%, 全体居民… — is about all residents, another quantity, though the
    indicator's synonyms match it)."""
    flat = normalize(clause).replace(" ", "")
    return all(any(w in flat for w in _SAME_NARROWING.get(q, (q,))) for q in thing.qualifiers if q not in _NOT_CHECKED)


_NOT_CHECKED = ("人均",)
"""Narrowing words an indicator's own names settle (人均GDP is its own indicator; 居民收入 and 居民人均可支配收入
are one)."""


def _rural_of_both(thing: Asked, clause: str) -> bool:
    """The question asks the countryside's figure of a clause naming town and countryside together (城乡)."""
    return "城乡" in clause and any(q in thing.qualifiers for q in ("农村", "乡村")) and not any(
        q in clause for q in ("农村", "乡村")
    )


def _written_together(thing: Asked) -> list[str]:
    """The question's phrases as it writes them, in a row, of two or more words or of a word a clause may hold by its
    halves (:func:`_find_word`): 接待游客 of 接待游客增长了多少, 引进人才. Words naming an indicator are left out: a
    report may name it by any of its names (居民收入 as 居民人均可支配收入)."""
    out = []
    for p in sorted({t.phrase for t in thing.terms}):
        ws = [t.words[0] for t in thing.terms
              if t.phrase == p and len(t.words) == 1 and not t.alternatives and t.indicator is None]  # fmt: skip
        if (len(ws) >= 2 or len("".join(ws)) >= 4) and "".join(ws) in thing.phrase:
            out.append("".join(ws))
    return out


def _apart_here(
    thing: Asked, sentence: str, clause: str, later: Sequence[tuple[int, int]], vocab: Vocabulary
) -> bool:
    """``clause`` holds a phrase of the question only with other words inside it (接待入境过夜游客 for 接待游客:
    another, narrower quantity), and a later clause of the sentence writes it as the question does and names every asked
    word: the later one is asked."""
    apart = [w for w in _written_together(thing) if w not in _squash(clause)[0]]
    return bool(apart) and any(
        all(w in _squash(sentence[x:y])[0] for w in apart) and all(_occurrences(t, sentence[x:y], vocab)
                                                                   for t in thing.terms)
        for x, y in later
    )  # fmt: skip


def support(thing: Asked, sentence: str, vocab: Vocabulary | None = None) -> Support | None:
    """Where ``sentence`` states the asked thing (see the module docstring), or None."""
    v = vocab or builtin()
    if thing.kind == "who" or thing.kind == "date":
        return _named(thing, sentence)
    if not thing.terms:
        return None
    whole = all(_occurrences(t, sentence, v) for t in thing.terms)
    if not whole and not _LISTING.search(sentence):
        return None
    spans = clauses(sentence)
    # a value in words only where the sentence states no number for the asked thing ("主要工业产品产量继续增加，…，
    # 化肥分别达到…1988万吨": the tonnage, not 继续增加)
    in_words: Support | None = None
    said_of: Support | None = None  # what a clause says of the asked thing, when no value in words is known
    how = thing.manner  # how the thing stands is asked (怎样), not how much
    for ci, (a, b) in enumerate(spans):
        joined = continuation_end(sentence, spans, ci)  # "分别新增x、y，累计分别达到z、w": one enumeration
        clause = sentence[a:joined]
        hits: dict[int, list[tuple[int, int]]] = {}
        for ti, term in enumerate(thing.terms):
            occ = _occurrences(term, clause, v)
            if occ:
                hits[ti] = [(a + x, a + y) for x, y in occ]
        lead = _colon_lead(sentence, spans, ci)
        if lead is not None and len(hits) < len(thing.terms):
            # "…将达到的年产能力如下：抚顺…为九百三十万吨，…开滦煤矿为九百六十八万吨": the measure named by the lead
            # before the colon is every item's; the item's own words must all be in the clause
            la, lb = lead
            borrowed = {ti: [(a, a)] for ti, term in enumerate(thing.terms)
                        if ti not in hits and not any(w in QUALIFIERS for w in term.words)
                        and _occurrences(term, sentence[la:lb], v)}  # fmt: skip
            if len(hits) + len(borrowed) == len(thing.terms):
                hits.update(borrowed)
        if ci > 0 and any(_ELLIPSIS.match(clause.lstrip()[len(q) :]) for q in thing.qualifiers
                          if clause.lstrip().startswith(q)) and not v.subjects(clause):  # fmt: skip
            # "地区生产总值超2300亿元，人均突破6万元": a clause opening with the asked narrowing word and naming no
            # indicator of its own speaks of the indicator an earlier clause of the sentence named
            for ti, term in enumerate(thing.terms):
                if ti not in hits and term.indicator is not None and _occurrences(term, sentence[:a], v):
                    hits[ti] = [(a + len(clause) - len(clause.lstrip()),) * 2]
        subject = ""  # the opening clause whose subject this clause shares (its narrowing words count too)
        if ci > 0 and hits and len(hits) < len(thing.terms):
            borrowed, subject = _subject_of_run(thing, sentence, spans, ci, hits, v)
            hits.update(borrowed)
        if whole and hits and len(hits) < len(thing.terms) and (reached := _reach(thing, sentence, spans, ci, hits, v)):
            return reached
        if not whole or not _about(thing, hits):
            # the asked item's words may stand apart in a list (二 of 一、二、三产业; 燃气 of 老旧供热、燃气、排水管网);
            # once a clause has stated the asked thing's value in words, a later list is about other things
            # (城镇居民收入增长与经济增长保持基本同步，…，居民消费价格涨幅、城镇调查失业率分别控制在3%和5%以内)
            listed = (_listed(thing, sentence, spans, ci, a, joined, v, borrow=in_words is None)
                      if _LISTING.search(clause) else None)  # fmt: skip
            if listed is not None:
                return listed
            continue
        if any(_narrowed(sentence, hits[i], ()) for i in hits if _NARROWED_PREFIX.match(thing.terms[i].words[0])):
            continue  # 出口 only inside 进出口: another quantity, listed or not
        later = [(x, y) for x, y in spans[ci + 1 :] if x >= joined]  # the clauses after this one and its continuations
        if len(hits) < len(thing.terms) and any(all(_occurrences(t, sentence[x:y], v) for t in thing.terms)
                                                for x, y in later):  # fmt: skip
            # a later clause names every word of the question, this one not (接待游客人次、旅游总花费…年均分别增长…，
            # 接待省外游客、入境过夜游客人次年均分别增长…: 入境过夜游客人次 asked) — the later one is asked
            continue
        if _apart_here(thing, sentence, clause, later, v):
            continue  # 接待入境过夜游客增长51.8%，接待游客、实现旅游总花费分别增长11.8%、11.5%: 接待游客 asked
        listed = _listed(thing, sentence, spans, ci, a, joined)
        if listed is not None:
            return listed
        narrowed = any(_narrowed(sentence, hits[i], _narrowing(thing, i)) for i in hits)
        if narrowed or not qualified(thing, subject + clause):
            continue
        if not any(w in thing.phrase for w in SHARE_WORDS) and any(
            all(sentence[max(0, x - 1) : x] == "占" for x in _starts(hits[i])) for i in hits
        ):
            continue  # 税收占一般公共预算收入比重超75%: the share of another quantity in the asked one
        # the value follows the last-named defining word's first mention (蔬菜 in 粮食产量…、蔬菜产量95万吨)
        anchor = max(min(x for x, _ in spans_) for spans_ in hits.values())
        last_end = max(y for spans_ in hits.values() for _, y in spans_)
        # a figure inside the question's own words is part of its name, no value (残疾人两项补贴12.4亿元: 两项) —
        # unless an ordinal is asked (第九届亚冬会是第几届: the ordinal it names is the answer)
        named = [(x, y) for spans_ in hits.values() for x, y in spans_] if "第几" not in thing.phrase else []
        values = [f for f in _value_figures(thing, clause, a) if not any(x < f[1] and f[0] < y for x, y in named)]
        big = _big_count(thing, clause, a, hits)
        if big is not None:  # 七大行动 for 几大行动, “十大民生工程” for 民生工程有几个: the count before what it counts
            return Support(sentence[big[0] : big[1]], big[0], clause)
        found = [f for f in values if f[0] >= anchor]
        if not found and sentence[b : b + 1] not in _COLONS:  # a lead's own numbers (其中五个…如下：) are no value
            found = [f for f in values if f[1] <= anchor][-1:]
        if found:
            x, y = found[0]
            if _reached(sentence, a, found):
                x, y = found[1]  # 由4771公里增加到2.52万公里: the level reached, not the one left
            elif len(found) >= 2 and _BASE.search(sentence[max(a, x - 12) : x]) and _BY.match(
                sentence[y : found[1][0]]
            ):  # 比现有的86个减少27个: the change, not the base it is measured from
                x, y = found[1]
            if _rural_of_both(thing, clause) and len(found) >= 2 and _CONTIGUOUS.match(sentence[y : found[1][0]]):
                x, y = found[1]  # 城乡…x和y: the countryside's figure is the second
            return Support(sentence[x:y], x, clause)
        # after the last defining word, else after an earlier end of a mention read across the value (固定资产投资
        # 适度增长 as 固定资产投资…增长): the value after its own words
        ends = [last_end, *sorted({y for spans_ in hits.values() for x, y in spans_ if x >= anchor and y < last_end})]
        q = next((found_q for end in ends if (found_q := _qualitative(sentence, end, b, how)) is not None), None)
        if q is None and ci + 1 < len(spans) and not sentence[last_end:b].strip(" 的"):
            # the clause ends with the asked words, the next one says how it stands ("物价，一定要保持基本稳定")
            na, nb = spans[ci + 1]
            said = _SAYS.match(sentence, na, nb)
            q = _qualitative(sentence, said.end() if said else na, nb, how)
        if q is not None and thing.unit in (None, "%") and thing.in_words and in_words is None:
            in_words = Support(sentence[q[0] : q[1]], q[0], clause, qualitative=True)
        if q is None and how and thing.in_words and said_of is None and (
            p := _predicate(sentence, last_end, b, thing.phrase)
        ):
            said_of = Support(sentence[p[0] : p[1]], p[0], clause, qualitative=True, predicate=True)
        if ci + 1 < len(spans):
            na, nb, words_at = _dated_clause(sentence, spans, ci, thing.year)
            nxt = sentence[na:nb]
            # (a next clause naming the asked words itself is read in its own turn: 为…追回工资2.65亿元)
            if _CONTINUES.match(nxt[words_at:]) and not v.subjects(nxt) and not any(
                _occurrences(t, nxt, v) for t in thing.terms
            ):
                more = _value_figures(thing, nxt, na)
                if more:
                    # 城乡…分别 x 和 y: the town's figure first, the countryside's second — 分别 said in either clause
                    # (城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%)
                    rural = _rural_of_both(thing, clause) and "分别" in nxt + clause and len(more) >= 2
                    x, y = more[1] if rural else more[0]
                    if not rural and _reached(sentence, na, more):  # ，由年初的400多万人扩大到年末的1120多万人
                        x, y = more[1]
                    return Support(sentence[x:y], x, sentence[a:nb])
    return in_words or said_of


_REACHES = re.compile(r"^\s*(?:惠及|覆盖|受益|帮助|带动|使|让)")
"""A clause saying whom the previous clause's measure reached ("落实国家育儿补贴政策，惠及154万户家庭")."""


def _reach(
    thing: Asked, sentence: str, spans: Sequence[tuple[int, int]], ci: int, hits: dict[int, list[tuple[int, int]]],
    v: Vocabulary,
) -> Support | None:  # fmt: skip
    """The value of a measure and whom it reached, said in two clauses: clause ``ci`` names the measure (育儿补贴),
    the next says whom it reached (惠及, 覆盖…) with the count before the rest of the asked words — the people or
    households counted (惠及154万户家庭 for 让多少户人家拿到了育儿补贴). None unless every word the clause lacks is
    there, after the value, and the next clause names no indicator of its own."""
    if ci + 1 >= len(spans) or any(any(w in QUALIFIERS for w in t.words) for i, t in enumerate(thing.terms)
                                   if i not in hits):  # fmt: skip
        return None
    a, _ = spans[ci]
    na, nb = spans[ci + 1]
    nxt = sentence[na:nb]
    if not _REACHES.match(nxt) or v.subjects(nxt):
        return None
    values = _value_figures(thing, nxt, na)
    if not values:
        return None
    x, y = values[0]
    for i, t in enumerate(thing.terms):
        if i not in hits and not any(na + s >= y for s, _ in _occurrences(t, nxt, v)):
            return None
    clause = sentence[a:nb]
    if any(_narrowed(sentence, hits[i], _narrowing(thing, i)) for i in hits) or not qualified(thing, clause):
        return None
    return Support(sentence[x:y], x, clause)


def _year_lead(clause: str) -> tuple[int, int] | None:
    """The year a clause opens with and where the words after it start (１９８７年提高到４６３元 → 1987, 5), or None."""
    body = clause.lstrip()
    found = year_mentions(body)
    if not found or found[0].start != 0 or found[0].relative:
        return None
    after = _AFTER_YEAR.match(body, found[0].end)
    return found[0].year, len(clause) - len(body) + (after.end() if after else found[0].end)


_AFTER_YEAR = re.compile(r"\s*年?(?:底|末|初)?")


def _dated_clause(
    sentence: str, spans: Sequence[tuple[int, int]], ci: int, year: int | None
) -> tuple[int, int, int]:  # fmt: skip
    """The clause after clause ``ci`` that goes on about its subject — the next one, or, when the next ones each
    open with a year (农民人均纯收入，１９８２年为２７０元，１９８７年提高到４６３元), the asked ``year``'s — and where
    its words after an opening year start (0 when it opens with none)."""
    first: tuple[int, int, int] | None = None
    for na, nb in spans[ci + 1 :]:
        lead = _year_lead(sentence[na:nb])
        here = (na, nb, lead[1] if lead else 0)
        first = first or here
        if lead is None or lead[0] == year:
            return here if lead is not None else first
    assert first is not None  # the caller asks only when a clause follows
    return first


_TIME_ONLY = re.compile(r"\s*(?:\d{4}年|[０-９]{4}年|今年|去年|全年|当年|上年)?\s*")
_SCOPE_LEAD = re.compile(r"\s*(?:全国|全省|全市|全区|全自治区)?")
_DIGIT = re.compile(r"[\d０-９]")


def _subject_of_run(
    thing: Asked, sentence: str, spans: Sequence[tuple[int, int]], ci: int, hits: dict[int, list[tuple[int, int]]],
    v: Vocabulary,
) -> tuple[dict[int, list[tuple[int, int]]], str]:  # fmt: skip
    """The defining words clause ``ci`` lacks that open the sentence as the subject of a run of figures ("全国国有
    企业资产总额增长60.98%，实现利润增长2.23倍，税收增长1.05倍": 国有企业 is the 税收's too): the first clause
    (after one naming only a time) starts with them, and it and every clause up to ``ci`` state a figure. Narrowing
    words are never borrowed; a word elsewhere in the opening clause is not its subject (接待冰雪游客…，旅游收入…).
    Returns the borrowed words' hits and the opening clause (empty when nothing is borrowed)."""
    if all(any(w in QUALIFIERS for w in thing.terms[ti].words) for ti in hits):
        return {}, ""  # the clause names the asked thing by a narrowing word alone (人均公共预算支出 for 人均GDP)
    first = next((k for k, (a, b) in enumerate(spans[:ci]) if not _TIME_ONLY.fullmatch(sentence[a:b])), None)
    if first is None or any(not _DIGIT.search(sentence[a:b]) for a, b in spans[first:ci]):
        return {}, ""
    fa, fb = spans[first]
    at = _SCOPE_LEAD.match(sentence, fa)
    start = at.end() if at else fa
    out: dict[int, list[tuple[int, int]]] = {}
    for ti, term in enumerate(thing.terms):
        if ti in hits or any(w in QUALIFIERS for w in term.words):
            continue
        occ = _occurrences(term, sentence[start:fb], v)
        if not occ or occ[0][0] != 0:
            return {}, ""  # every missing word must be the run's subject
        out[ti] = [(spans[ci][0], spans[ci][0])]
    return out, sentence[fa:fb] if out else ""


_PARTY = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:集团|公司|大学|科学院|研究院|研究所|实验室|银行|协会|基金会)"
    r"|[\u4e00-\u9fff]{2,3}(?=同志)"
)
"""A named organisation (中国雅江集团, 清华大学) or a person addressed as 同志: who a *who* question about the body
may be answered with when no titled name is there."""


def _party(sentence: str) -> tuple[int, int] | None:
    """A person (after a title: :func:`~reportqa.qa.answer.titled_name`) or a named organisation."""
    span = titled_name(sentence)
    if span is not None:
        return span
    m = _PARTY.search(sentence)
    return (m.start(), m.end()) if m else None


def _dated(sentence: str) -> tuple[int, int] | None:
    """The most precise time ``sentence`` states: a date, else a year and month, a year, a month and day
    (:func:`~reportqa.index.text.years.when_spans`)."""
    m = DATE.search(sentence)
    if m:
        return m.start(), m.start() + len(m.group(0).strip())
    spans = when_spans(sentence)
    return max(spans, key=lambda x: x[1] - x[0]) if spans else None


def _named(thing: Asked, sentence: str) -> Support | None:
    """A name (*who*: a titled person or an organisation) or a time (*when*: a date, a year and month, a year)
    in ``sentence`` — a non-figure question checked for its own kind, never by the figure check."""
    span = _party(sentence) if thing.kind == "who" else _dated(sentence)
    return Support(sentence[span[0] : span[1]], span[0], sentence) if span else None


def locate_asked(thing: Asked, keywords: Sequence[str], sentence: str, vocab: Vocabulary | None = None) -> Located:
    """The highlight of ``sentence`` for what is asked: the supported value and its clause (:func:`support`),
    else the figure of the asked kind nearest after the question's ``keywords`` (:attr:`Query.keywords`)."""
    asked_ = thing if thing.kind != "other" or not thing.terms else replace(thing, kind="number")
    found = support(asked_, sentence, vocab)
    if found is None and thing.english:  # the glossary's words approximate an English question: what binds
        bound = binding(asked_, "")
        for attempt in (bound, things_only(bound)):
            if found is None and attempt.terms:
                found = support(attempt, sentence, vocab)
    if found is None:  # only the asked words the sentence itself uses (a paraphrase's own words left out), as the
        # decision's in_context does with the passage
        held = in_context(asked_, sentence)
        if held.terms and held.terms != asked_.terms:
            found = support(held, sentence, vocab)
        things = named_things(held) if not thing.english and held.terms else held
        if found is None and things.terms != held.terms:  # as the decision reads it (给多少村医上课培训: 村医…培训)
            found = support(things, sentence, vocab)
    if found is not None:
        own = found.clause.strip()
        return Located(found.value, own if own and own != sentence.strip() else None)
    fig = highlight_by_words(keywords, sentence, thing)
    clause: str | None = None
    if fig is not None and thing.kind == "number":
        i = sentence.find(fig)
        if i >= 0:
            a = max((m.end() for m in CLAUSE_MARKS.finditer(sentence, 0, i)), default=0)
            m2 = CLAUSE_MARKS.search(sentence, i + len(fig))
            c = sentence[a : m2.start() if m2 else len(sentence)].strip()
            clause = c if c and c != sentence.strip() else None
    return Located(fig, clause)


def binding(thing: Asked, question: str) -> Asked:
    """For an English question, whose glossary words only approximate it: the terms that still bind — indicators,
    narrowing words (海洋, 农村), things reports count (grain 粮食, cruise 邮轮: :attr:`Term.bound`) and Chinese it
    quotes."""
    keep = [t for t in thing.terms if t.indicator is not None or t.bound or any(w in QUALIFIERS for w in t.words)
            or any(w in question for w in t.words)]  # fmt: skip
    return replace(thing, terms=tuple(keep), key_phrase=keep[-1].phrase if keep else 0)


def things_only(thing: Asked) -> Asked:
    """An English question's things (:attr:`Term.bound`: smartphones 手机) and narrowing words without the
    indicator it names: a report's own name for the indicator may be one the vocabulary lacks (限上零售额 for retail
    sales), the thing asked about is what must be there."""
    keep = [t for t in thing.terms if t.indicator is None and (t.bound or any(w in QUALIFIERS for w in t.words))]
    if not any(t.bound for t in keep) or len(keep) == len(thing.terms):
        return replace(thing, terms=())
    return replace(thing, terms=tuple(keep), key_phrase=keep[-1].phrase)


def named_things(thing: Asked) -> Asked:
    """A Chinese question's words naming things (:func:`~reportqa.index.text.tokens.names_thing`: 物业, 小区, 补贴)
    with its indicators and narrowing words, without the words of how it is asked (请来, 一共, 打算, 每个): an
    everyday question ("给多少个老小区请来物业管事") names the counted thing as the report does and the rest in its own
    words. Unchanged (so no second pass) when every word names a thing or none does."""
    keep = [t for t in thing.terms if t.indicator is not None or t.bound or any(w in QUALIFIERS for w in t.words)
            or any(names_thing(w) is not False for w in t.words)]  # fmt: skip
    if not keep or len(keep) == len(thing.terms):
        return thing
    key = [t for t in keep if t.phrase == thing.key_phrase]
    return replace(thing, terms=tuple(keep), key_phrase=(key or keep)[-1].phrase)


def _present(t: Term, flat: str) -> bool:
    have = [bool(_find_word(w, flat)) for w in t.words]
    return any(have) if t.alternatives else all(have)


def _narrowing_term(thing: Asked, t: Term) -> bool:
    """``t`` is an English phrase the glossary renders by a narrowing word (foreign direct investment: 外资): it asks
    that narrower quantity even where the passage never writes it (新设外商投资企业673家 is no foreign investment)."""
    return thing.english and any(w in QUALIFIERS for w in t.words)


def _binds(thing: Asked, t: Term) -> bool:
    """``t`` stays whether or not the passage uses it: an indicator, a thing reports count, a narrowing word the
    question names, or an English phrase rendered by one (:func:`_narrowing_term`)."""
    return (t.indicator is not None or t.bound or any(w in thing.qualifiers for w in t.words)
            or _narrowing_term(thing, t))  # fmt: skip


def in_context(thing: Asked, context: str) -> Asked:
    """``thing`` with only the defining words ``context`` (the passage searched) uses somewhere: a word the
    passage never uses is the question's own ("本地公司" for the report's 企业), not the report's, and cannot be
    checked. Indicators (their synonyms are all known) and narrowing words (海洋, 农村, 乡村: they make another
    quantity) always stay, and so does every word when the passage holds the question's key phrase only in part
    (a Chinese question's: an English one's glossary words are not a phrase the question writes together)."""
    flat = normalize(context).replace(" ", "")
    keep = [t for t in thing.terms if _binds(thing, t) or _present(t, flat)]
    binds = [t for t in keep if _binds(thing, t)]
    if not binds and not any(_present(t, flat) for t in thing.terms):
        return replace(thing, terms=())  # no word in common at all: the question's words are its own (a paraphrase)
    key = [t for t in thing.terms if t.phrase == _key_phrase(thing)]
    # (an English question's glossary words are one phrase only by default — not a name written together)
    if not thing.english and any(_present(t, flat) for t in key) and not all(_present(t, flat) for t in key):
        # the phrase naming the quantity is there only in part (收入 of 冰雪旅游收入, 产量 of 大豆产量): the passage
        # is about another quantity, not a paraphrase of this one — every word stays
        return thing
    return replace(thing, terms=tuple(keep))


def paraphrase_support(thing: Asked, named: Asked, text: str, vocab: Vocabulary | None = None) -> bool:
    """The fallback for a paraphrase (:data:`~reportqa.qa.answerable.PARAPHRASE_FALLBACK`): ``named`` (``thing``
    with only the words the passage uses, :func:`in_context`) lost some of the question's words but kept its key
    phrase, and ``text`` holds every kept word (in any clause, none behind a narrowing word) and a value of the
    asked kind. Main's lenient acceptance, for questions naming no listed indicator or narrowing word only."""
    v = vocab or builtin()
    if thing.qualifiers or any(t.indicator is not None for t in thing.terms):
        return False
    if not named.terms or len(named.terms) >= len(thing.terms):
        return False
    if not any(t.phrase == thing.key_phrase for t in named.terms):
        return False
    for t in named.terms:
        occ = _occurrences(t, text, v)
        if not occ or _narrowed(text, occ, thing.qualifiers):
            return False
    return has_value(thing, text)


def partial_key_support(thing: Asked, context: str, text: str, vocab: Vocabulary | None = None) -> bool:
    """The fallback for a key phrase the passage (``context``) holds only in part
    (:data:`~reportqa.qa.answerable.PARTIAL_KEY_FALLBACK`), main's lenient acceptance: no listed indicator or
    narrowing word named, no missing word standing right before a present one in the question (冰雪 of 冰雪旅游收入
    when the passage says 旅游收入: a narrower quantity), and ``text`` holds a present key word (not behind a
    narrowing word) and a value of the asked kind."""
    v = vocab or builtin()
    if thing.qualifiers or any(t.indicator is not None for t in thing.terms):
        return False
    flat = normalize(context).replace(" ", "")
    key = [t for t in thing.terms if t.phrase == thing.key_phrase]
    here = [t for t in key if _present(t, flat)]
    if not here or len(here) == len(key):
        return False
    q = thing.phrase
    for t in key:
        if t in here:
            continue
        for w in t.words:
            at = q.find(w)
            if at >= 0 and any(q.startswith(x, at + len(w)) for h in here for x in h.words):
                return False  # a modifier the passage lacks: another, narrower quantity
    for t in here:
        occ = _occurrences(t, text, v)
        if occ and not _narrowed(text, occ, thing.qualifiers):
            return has_value(thing, text)
    return False


def mentions_asked(thing: Asked, text: str, vocab: Vocabulary | None = None) -> bool:
    """Some clause of ``text`` holds all the defining words (with or without a value)."""
    v = vocab or builtin()
    if not thing.terms:
        return False
    for a, b in clauses(text):
        clause = text[a:b]
        if all(_occurrences(t, clause, v) for t in thing.terms):
            return True
    return False


def any_term_in(thing: Asked, text: str, vocab: Vocabulary | None = None) -> bool:
    """Any defining word (or the indicator) occurs anywhere in ``text``."""
    v = vocab or builtin()
    flat = normalize(text).replace(" ", "")
    for t in thing.terms:
        if t.indicator is not None and any(m.indicator.id == t.indicator for m in v.mentions(text)):
            return True
        if any(_as_read(w) in flat for w in t.words):
            return True
    return False


def has_value(thing: Asked, text: str) -> bool:
    """``text`` holds a value of the asked kind anywhere (a number of the asked unit, a date, a titled name)."""
    if thing.kind == "number":
        return bool(_value_figures(thing, text))
    if thing.kind in ("date", "who"):
        return has_asked_figure("", text, thing)
    return bool(_value_figures(replace(thing, kind="number"), text))


__all__ = [
    "CLAUSE_MARKS",
    "ListedAt",
    "Support",
    "any_term_in",
    "asked_thing",
    "binding",
    "clauses",
    "has_value",
    "in_context",
    "listing_at",
    "locate_asked",
    "mentions_asked",
    "named_things",
    "paraphrase_support",
    "partial_key_support",
    "qualified",
    "support",
    "things_only",
]  # fmt: skip
