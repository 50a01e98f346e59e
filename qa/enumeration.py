"""Enumerations: which value of a list belongs to which item, and the value of the item a question names.

Reports state several quantities in one clause. Four shapes are read (values are found by the caller, so the
asked unit and the one number grammar, :mod:`reportqa.index.text.numbers`, decide what a value is):

* **分别-lists**: "A、B、C产量分别达x、y、z" — items before 分别 (split at 、, then 和/及/与 when the counts
  differ: "金融业、软件和信息服务业增加值" is two items), values after it, paired by position. A clause that goes
  on with another 分别 and no items of its own ("分别新增12项和44项，累计分别达到64项和288项") gives a second
  value list for the same items; the question's words pick the list (累计), and so does a clause of changes with no
  分别 ("支出分别为774亿元、536亿元，比上年增长29.2%、39.4%": the asked unit picks it).
* **Lists without 分别**: items then as many values in a row ("改造老旧供热、燃气、排水管网800公里、600公里、300公里").
* **Value-item runs**: "6个世界级、7个国家级、9个区域级产业集群" (each value before its item).
* **Item-value runs**: "粮食产量108万吨、蔬菜95万吨" / "其中出口x、进口y" (each item before its value).

Items written as single characters share the rest of the last item ("一、二、三产业增加值" → 一产业增加值,
二产业增加值…; "中、高等职业教育" → 中等职业教育, 高等职业教育). The asked item is the one whose own words (the
last item without the tail the list shares, the first without a lead longer than the other items) the question's
two-character runs cover most; no item covered, or two covered alike, is no answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]

_DUN = re.compile(r"、")
_ANY_SEP = re.compile(r"、|以及|和|及|与")
_CONTIGUOUS = re.compile(r"^\s*(?:、|和|及|与|以及|，|,)?\s*$")
_BETWEEN_VALUES = re.compile(r"^\s*(?:、|和|及|与|以及)?\s*$")
"""What stands between two values of one value list (``x、y和z``)."""
_CONTINUATION = re.compile(r"^\s*([^、，,；;。\d０-９]{0,8}?)分别")
"""A clause that gives another value list for the items of the clause before ("累计分别达到…")."""
_CHANGES = re.compile(
    r"^\s*(?:比上年|比去年|同比|比[^、，,；;。\d０-９]{1,10}?)\s*(?:实际)?(?:增长|下降|增加|减少|提高|降低|上升|上涨)了?\s*"
    r"[\d０-９][^、，,；;。]*(?:、|和|及)\s*[\d０-９]"
)
"""A clause after a 分别-list that gives the items' changes in a list of its own, without 分别 ("支出分别为774亿元、
536亿元…，比上年增长29.2%、39.4%…")."""
_AFTER_VALUE_ITEM = re.compile(r"^([^\d０-９、，,；;。]{1,12}?)(?:、|以及|和|及|与)$")
"""The text between two values of a value-item run: the first value's item, then a separator."""
_BEFORE_VALUE_ITEM = re.compile(r"^(?:、|，|,|；|以及|和|及|与)([^\d０-９、，,；;。]{1,12})$")
"""The text between two values of an item-value run: a separator, then the second value's item."""
_VERBISH = re.compile(
    r"^(?:同比|比上年|年均|累计|分别)?(?:增长|增加|下降|减少|提高|降低|达到?|为|超过?|占|实现|突破|新增)"
)
"""Words that go on about the value before (增长5.5%), not a next item of a run."""
_WHEN = r"(?:年初|年末|年底|上年|去年|今年|[\d０-９]{4}年(?:初|末|底)?)的?"
"""When a value left or reached stood (由年初的400多万人, 到2002年的7703元)."""
FROM_VALUE = re.compile(rf"(?:由|从)\s*(?:{_WHEN})?\s*$")
TO_VALUE = re.compile(
    r"^\s*(?:年(?:的)?)?\s*(?:增加|增长|提高|提升|上升|扩大|跃升|下降|减少|降低|压减|缩小|发展|增|升|降|减)?\s*(?:到|至)"
    rf"\s*(?:{_WHEN})?\s*$"
)
""""由x增加到y" / "从x提高至y" (also "分别从x1、x2增加到y1、y2", "由年初的x扩大到年末的y"): a value left (after
由/从) and the value reached."""
_FROM_AHEAD = re.compile(r"(?:由|从)[^，,；;、\d０-９]{0,6}$")
"""由/从 naming where the values start before 分别 ("二氧化硫排放量由上年分别增长5.6％和13.1％，减为增长…")."""
_REACH = r"^\s*[，,]?\s*(?:减为|降为|降到|降至|减至|增至|升至|升为|提高到|提高至|上升到|上升为|增加到|扩大到|变为|转为)"
_REACHED = re.compile(_REACH + r"\s*(?:增长|下降)?\s*$")
"""The words of the next clause reaching the new values after a 由…分别 list ("，减为增长1.2%和1.8%")."""
_REACHES = re.compile(_REACH)
"""A clause opening with the words reaching new values (减为增长1.2%和1.8%)."""
_NOISE = re.compile(r"[\s“”\"‘’《》〈〉（）()]")
_LEAD_NOISE = re.compile(r"^(?:其中|包括|对|共|累计|全年|[\d０-９]+年)+")
_SINGLE = re.compile(r"^[\u4e00-\u9fff]$")
_NAMED_FIRST = re.compile(r"^[^\d０-９]*[\u4e00-\u9fff]{2}")
"""A list part naming its item (two characters at least) before any figure."""
_FIGURE = re.compile(r"[\d０-９]|[一二三四五六七八九十两][十百千万亿]")
"""A figure in a clause (digits, or a Chinese numeral with its order of magnitude: 五百万吨)."""
ASIDE = 8
"""How long a clause with no figure may be that stands between the clauses naming a list's items and the clause
opening with 分别 ("扣除价格因素", "按可比价格计算"): an aside on how the values are counted, no item."""


@dataclass(frozen=True)
class Listing:
    """One enumeration of a sentence: its items and one or more value lists, paired by position."""

    items: tuple[str, ...]
    """The items as written (the first may carry the clause's lead, the last the shared tail)."""
    values: tuple[tuple[Span, ...], ...]
    """Value lists (sentence offsets), each as long as ``items``."""
    leads: tuple[str, ...]
    """The words before each value list (分别新增 / 累计分别达到): what the question's words choose a list by."""


@dataclass(frozen=True)
class Pick:
    """The asked item's value in a listing."""

    item: int
    """The asked item's position (0-based)."""
    start: int
    end: int
    """The value's span in the sentence."""
    reading: str
    """The asked item read in full (:func:`readings`): what the question's words are checked against."""


def _items(head: str, n: int) -> list[str] | None:
    """``head`` split into ``n`` items: at 、, then also at the last 和/及/与, then at every separator."""
    dun = [p for p in _DUN.split(head)]
    candidates = [dun]
    last = dun[-1]
    m = None
    for m in _ANY_SEP.finditer(last):  # noqa: B007 - the last separator
        pass
    if m is not None:
        candidates.append([*dun[:-1], last[: m.start()], last[m.end() :]])
    candidates.append(_ANY_SEP.split(head))
    for c in candidates:
        if len(c) == n and all(x.strip() for x in c):
            return c
    return None


def _runs(spans: Sequence[Span], text: str) -> list[list[Span]]:
    """``spans`` (sorted) grouped into runs with only a list separator between neighbours."""
    runs: list[list[Span]] = []
    for s in spans:
        if runs and _BETWEEN_VALUES.match(text[runs[-1][-1][1] : s[0]]):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def continuation_end(sentence: str, spans: Sequence[Span], i: int) -> int:
    """The end of clause ``i`` of ``spans`` joined with the clauses after it that give another value list for its
    items (a clause opening with a few words and 分别, or, after a 分别-list, a list of changes: "，比上年增长x、y":
    :data:`_CHANGES`)."""
    end = spans[i][1]
    listed = "分别" in sentence[spans[i][0] : end]
    for a, b in spans[i + 1 :]:
        clause = sentence[a:b]
        if not (_CONTINUATION.match(clause) or (listed and _CHANGES.match(clause)) or (
            _REACHES.match(clause) and _FROM_AHEAD.search(sentence[spans[i][0] : end].split("分别")[0])
        )):  # fmt: skip
            break
        end = b
    return end


def _fused(head: str, n: int, phrase: str) -> list[str] | None:
    """``n`` single-character items written together before a shared word (牛羊出栏 → 牛, 羊出栏), found where the
    question (``phrase``) names exactly one of them with the shared word (羊出栏)."""
    if not phrase:
        return None
    found = []
    for p in range(len(head) - n - 1):
        chars, rest = head[p : p + n], head[p + n :]
        if not all(_SINGLE.match(c) for c in chars) or len(rest) < 2:
            continue
        named = [c for c in chars if c + rest[:2] in phrase]
        if len(named) == 1:
            found.append([*chars[:-1], chars[-1] + rest])
    return found[-1] if len(found) == 1 else None


def _own_values(sentence: str, at: int, items: Sequence[str], values: Sequence[Span]) -> tuple[Span, ...]:
    """The first of ``values`` inside each of ``items`` (written in order from ``at``, each naming its item before its
    own figure: "接待游客3.23亿人次、游客花费3700亿元"), or () when an item holds none."""
    out: list[Span] = []
    for item in items:
        x = sentence.find(item, at)
        if x < 0:
            return ()
        at = x + len(item)
        inside = [v for v in values if x <= v[0] and v[1] <= at]
        if not inside:
            return ()
        out.append(inside[0])
    return tuple(out)


def _items_then_values(sentence: str, a: int, values: Sequence[Span]) -> Listing | None:
    """Items, then as many values in one run ("城镇和农村人均住房面积32.9平方米、37.1平方米"), from offset ``a``."""
    runs = _runs(values, sentence) if len(values) >= 2 else []
    if not runs or len(runs[0]) < 2:
        return None
    first = runs[0]
    items = _items(sentence[a : first[0][0]], len(first))
    return Listing(tuple(items), (tuple(first),), ("",)) if items is not None else None


def listings(sentence: str, a: int, b: int, values: Sequence[Span], phrase: str = "") -> list[Listing]:
    """The enumerations of ``sentence[a:b]`` (a clause, perhaps joined with its continuations:
    :func:`continuation_end`) whose values are ``values`` (sentence offsets, sorted, inside ``[a, b)``); items
    written together without separators only where the question (``phrase``) names one (:func:`_fused`)."""
    values = sorted(v for v in values if a <= v[0] and v[1] <= b)
    if len(values) < 2:
        return []
    clause = sentence[a:b]
    out: list[Listing] = []
    at = clause.find("分别")
    if at >= 0:
        # the items are the words before 分别 in its clause, or the clause before when 分别 opens its own and each
        # of that clause's parts names its item before its value ("接待游客3.23亿人次、游客花费3700亿元，分别增长
        # 8%、8.4%"; not "城乡居民收入突破4万元和1万元，分别增长…": 1万元 names nothing)
        pieces = re.split(r"[，,；;：:]", clause[:at])
        head = pieces[-1]
        before = pieces[-2] if not head.strip() and len(pieces) >= 2 else ""
        lists: list[tuple[Span, ...]] = []
        leads: list[str] = []
        marks = [a + m.start() for m in re.finditer("分别", clause)]
        for k, mark in enumerate(marks):
            stop = marks[k + 1] if k + 1 < len(marks) else b
            after = [v for v in values if mark <= v[0] and v[1] <= stop]
            runs = _runs(after, sentence)
            if not runs:
                continue
            run = runs[0]
            if k == 0:
                lead = sentence[mark : run[0][0]]
            else:  # a continuation: its own clause's words before the values (累计分别达到)
                cut = max((a + m.end() for m in re.finditer(r"[，,；;]", sentence[a:mark])), default=a)
                lead = sentence[cut : run[0][0]]
            from_ahead = k == 0 and _FROM_AHEAD.search(clause[:at]) is not None  # 由上年分别增长x和y，减为增长z和w
            if len(runs) >= 2 and len(runs[1]) == len(run) and (FROM_VALUE.search(lead) or from_ahead):
                gap = sentence[run[-1][1] : runs[1][0][0]]
                if TO_VALUE.match(gap) or _REACHED.match(gap):  # 分别从771家、481家增加到1076家、636家
                    lists.append(tuple(runs[1]))
                    leads.append(gap)
            lists.append(tuple(run))
            leads.append(lead)
        if lists and len(lists[0]) >= 2:
            n = len(lists[0])
            items = _items(head, n) or _fused(head, n, phrase)
            starts = [a, *(a + m.end() for m in re.finditer(r"[，,；;：:]", clause[:at]))]  # where each piece starts
            levels: tuple[Span, ...] = ()
            if items is None and before:
                parts_ = _items(before, n)
                items = parts_ if parts_ is not None and all(_NAMED_FIRST.match(x.strip()) for x in parts_) else None
                levels = _own_values(sentence, starts[-2], items or [], values)
            last = len(pieces) - 1  # the clauses before the one 分别 opens, a short aside with no figure left out
            while last > n and len(pieces[last - 1].strip()) <= ASIDE and not _FIGURE.search(pieces[last - 1]):
                last -= 1
            if items is None and not head.strip() and last >= n:
                # one clause per item, each naming it before its own figure ("进口1.2万亿元，出口2.3万亿元，分别增长
                # 3.1%和5.2%"; "…纯收入2936元，扣除价格因素，分别实际增长…"): the n clauses before the one 分别 opens
                own = [x.strip() for x in pieces[last - n : last]]
                named = all(_NAMED_FIRST.match(_LEAD_NOISE.sub("", x)) and _FIGURE.search(x) for x in own)
                items = own if named else None
                levels = _own_values(sentence, starts[last - n], items or [], values)
            if items is not None:
                # each item's own figure, stated where it is named, is a value list too (its lead empty): the one a
                # question asking no words of the 分别 list's lead gets ("接待游客3.23亿人次、游客花费3700亿元，分别
                # 增长8%、8.4%": 游客花费是多少 → 3700亿元, 游客花费增长多少 → 8.4%)
                keep = [(v, ld) for v, ld in zip(lists, leads, strict=True) if len(v) == n]
                if levels:
                    keep.insert(0, (levels, ""))
                out.append(Listing(tuple(items), tuple(v for v, _ in keep), tuple(ld for _, ld in keep)))
        # items and their values before 分别, which then lists the changes ("城镇和农村人均住房面积x、y，分别比…增加")
        ahead = _items_then_values(sentence, a, [v for v in values if v[1] <= a + at])
        return ([ahead] if ahead is not None else []) + out
    listing = _items_then_values(sentence, a, values)
    if listing is not None:
        return [listing]
    gaps = [sentence[x[1] : y[0]] for x, y in itertools.pairwise(values)]
    if gaps and all(_AFTER_VALUE_ITEM.match(g) for g in gaps):  # 6个世界级、7个国家级、9个区域级产业集群
        tail = re.split(r"[，,；;。、]", sentence[values[-1][1] : b])[0]
        its = [m.group(1) for g in gaps if (m := _AFTER_VALUE_ITEM.match(g))] + [tail]
        if all(its) and not any(_VERBISH.match(x) for x in its):
            out.append(Listing(tuple(its), (tuple(values),), ("",)))
            return out
    if gaps and all(_BEFORE_VALUE_ITEM.match(g) for g in gaps):  # 粮食产量108万吨、蔬菜95万吨
        lead = re.split(r"[，,；;、]", sentence[a : values[0][0]])[-1]
        its = [lead] + [m.group(1) for g in gaps if (m := _BEFORE_VALUE_ITEM.match(g))]
        if all(x.strip() for x in its) and not any(_VERBISH.match(x) for x in its[1:]):
            out.append(Listing(tuple(its), (tuple(values),), ("",)))
    return out


def _clean(item: str) -> str:
    return _NOISE.sub("", item)


_ORDINALS = "一二三四五六七八九"


def parts(items: Sequence[str]) -> tuple[str, list[str], str]:
    """``(prefix, cores, tail)``: each item's own words (single-character items completed by the last item's first
    character — 一、二、三产业 → 第一, 第二, 第三 with the tail 产业), the first item's lead longer than the others
    (the prefix all items share) and the last item's rest past its own words (the tail all items share)."""
    its = [_clean(x) for x in items]
    first = _LEAD_NOISE.sub("", its[0]) or its[0]
    its[0] = first
    if len(its) >= 2 and len(its[-1]) > 1 and all(_SINGLE.match(x) for x in its[:-1]):
        singles = [*its[:-1], its[-1][0]]
        rest = its[-1][1:]
        ordinal = "第" if all(c in _ORDINALS for c in singles) and rest.startswith("产") else ""
        return "", [ordinal + c for c in singles], rest
    prefix = ""
    if len(its) >= 3:
        width = max(len(x) for x in its[1:-1])
        if len(its[0]) > width:
            prefix, its[0] = its[0][:-width], its[0][-width:]
    others = max(max(len(x) for x in its[:-1]), 2)
    tail = ""
    if len(its[-1]) > others:
        its[-1], tail = its[-1][:others], its[-1][others:]
    return prefix, its, tail


def cores(items: Sequence[str]) -> list[str]:
    """Each item's own words (:func:`parts`)."""
    return parts(items)[1]


def readings(items: Sequence[str]) -> list[str]:
    """Each item read in full, with the prefix and the tail the list shares
    (改造老旧供热、燃气、排水管网 → 改造老旧燃气管网)."""
    prefix, own, tail = parts(items)
    return [prefix + c + tail for c in own]


def covered(item: str, phrase: str) -> int:
    """How many of ``item``'s characters stand in a two-character run that ``phrase`` holds too."""
    flat = _clean(item)
    hit = [False] * len(flat)
    for i in range(len(flat) - 1):
        if flat[i : i + 2] in phrase:
            hit[i] = hit[i + 1] = True
    return sum(hit)


def _covered_singles(item: str, singles: Sequence[str]) -> int:
    """How many of ``item``'s characters are one of ``singles`` (single-character words: 铝 of 电解铝)."""
    return sum(1 for ch in _clean(item) if ch in singles)


TAIL_NAMED = 3
"""How many characters of the last item's tail, read from its start, the question must hold for the tail to be the
last item's own words when no item's own words are named (共建"一带一路"国家 of 对东盟、共建"一带一路"国家进出口总额:
the other items' length cut the last one short)."""


def _tail_named(items: Sequence[str], tail: str, phrase: str) -> bool:
    """The question names a run of at least :data:`TAIL_NAMED` characters opening the last item's tail but not the
    whole tail (what it leaves is the tail all items share: 进出口总额; a question naming only that names no item)."""
    if len(items) < 2 or len(tail) < TAIL_NAMED:
        return False
    n = 0
    while n < len(tail) and tail[: n + 1] in phrase:
        n += 1
    return TAIL_NAMED <= n < len(tail)


def asked_item(items: Sequence[str], phrase: str, singles: Sequence[str] = ()) -> int | None:
    """The item ``phrase`` (the question, flattened) names: the best-covered own words (share, then count);
    None when none is covered or two are covered alike. ``singles``: single-character words the question names
    (an English question's glossary words: aluminium 铝), each counted where an item holds it. When no item's own
    words are named, a question naming the opening of the last item's tail names the last item
    (:func:`_tail_named`)."""
    _, own, tail = parts(items)
    own = [c if len(c) >= 2 else c + tail[:1] for c in own]  # 牛 of 牛羊出栏 → 牛出
    # a single character is counted in the item as written (电解铝: the last item's own words were cut to the
    # others' length, 电解)
    counts = [covered(c, phrase) + _covered_singles(x, singles) for c, x in zip(own, items, strict=True)]
    scores = [(n / max(len(c), 1), n) for c, n in zip(own, counts, strict=True)]
    best = max(range(len(own)), key=lambda i: scores[i])
    if scores[best][1] == 0:
        return len(own) - 1 if _tail_named(own, tail, phrase) else None
    if sum(1 for s in scores if s == scores[best]) > 1:
        return None
    return best


def pick(listing: Listing, phrase: str, singles: Sequence[str] = ()) -> Pick | None:
    """The value of the item ``phrase`` names (:func:`asked_item`), from the value list whose lead its words
    cover most."""
    i = asked_item(listing.items, phrase, singles)
    if i is None or not listing.values:
        return None
    k = max(range(len(listing.values)), key=lambda j: (covered(listing.leads[j], phrase), -j))
    x, y = listing.values[k][i]
    return Pick(i, x, y, readings(listing.items)[i])


def enumerated_value(
    sentence: str, a: int, b: int, values: Sequence[Span], phrase: str, singles: Sequence[str] = ()
) -> Pick | None:
    """The value of the item ``phrase`` (and ``singles``: :func:`asked_item`) names in an enumeration of
    ``sentence[a:b]``, or None (no enumeration, or no item named)."""
    for listing in listings(sentence, a, b, values, phrase):
        found = pick(listing, phrase, singles)
        if found is not None:
            return found
    return None


__all__ = ["FROM_VALUE", "TO_VALUE", "Listing", "Pick", "asked_item", "continuation_end", "cores", "covered",
           "enumerated_value", "listings", "parts", "pick", "readings"]  # fmt: skip
