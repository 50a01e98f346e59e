"""What changed between two reports: sentences added, dropped, and the same commitment with another figure.

Each report is a :class:`Side`: its sentences (body and headings, each with its paragraph's citation) and,
when the report is indexed, the stored sentence vectors. :func:`diff_sides` pairs the sentences of A with
those of B in three passes:

1. **Same text.** Sentences equal after removing whitespace and folding full-width forms (a re-wrapped or
   re-formatted copy of the same report pairs every sentence here, so it diffs empty).
2. **Same wording, mostly.** Character-bigram overlap (Dice, numbers masked) of at least :data:`TEXT_MATCH`.
3. **Same meaning.** Cosine of the sentence vectors at least :data:`MEANING_MATCH` *and* some shared wording
   (Dice at least :data:`MEANING_TEXT_FLOOR`); vectors are only computed for the sentences left unpaired.

Pairs are taken best-first; two sentences naming opposed qualifiers (城镇 / 农村, 出口 / 进口 …: :data:`OPPOSED`)
are never paired, however alike their wording (they state two quantities). An unpaired sentence whose wording
(figures included) one sentence of the other report contains is not listed either: its content is still said,
inside a longer sentence (:func:`covered`).
Nor is one said there clause by clause (:func:`clause_covered`): its clauses (cut at ，；：) found in
sentences of the other report — :data:`CLAUSE_COVERED` of its clause bigrams in runs of :data:`CLAUSE_RUN`
characters written there alike, each clause in its own best sentence, so a sentence said in two sentences
or in another order counts — or, when one half is reworded,
:data:`CLAUSE_HALF` of them in clauses found whole; a clause whose figures are not written there keeps the
sentence listed. Unpaired sentences of A and B whose clauses state one quantity with another figure in other
words (:func:`clause_changes`), or whose clauses with figures hold each other's content words with figures of
one unit replaced (:func:`content_changes`: 可再生能源发电装机规模突破10亿千瓦 / 可再生能源装机规模由6.5亿千瓦增至
12亿千瓦以上), are ``changed``, not dropped and added.
Last, a sentence still unpaired that the other report says in other words is no item either
(:func:`content_covered`: its content words, generic verbs and frame nouns aside and each weighted by its rarity
in the two reports, held by one sentence there that is itself unpaired: 深入推进全民阅读 / 深化全民阅读活动), or
half of it said there piece by piece (clauses and list items, each half held by a sentence there that is not a
word-for-word copy of one of this report: 加快制造业数字化转型，… / 实施制造业数字化转型行动), or its first clause —
what it is about — held by an unpaired sentence there of the same period (both reviews, or both not), each the
other's best (:func:`head_candidates`: 推进健康中国建设 / 实施健康中国战略; two reviews of one development), or
half of its pieces, each counted once, written there word for word (:func:`clauses_written`: 加强和改进金融监管，
强化银行资本充足率约束 / 六要切实加强和改进金融监管，…). A plan sentence still listed whose clause with figures
states a target the other report re-figures inside a plan sentence that is paired for the rest — a list of
targets whose counterpart does not name it — is ``changed`` (:func:`listed_changes`: 今年进出口总额预期增长7.5%左右 /
…进出口增长6%左右…).
A changed pair needs one quantity: the words before the replaced figures may not each name what the other
sentence never writes (社会保障支出 / 科技支出), and an increment (比上年增加, 扩大了) is no level (达, 扩大到)
(:func:`figures_agree`). A pair whose figures differ (years aside) and whose wording with the numbers masked
still overlaps by :data:`CHANGED_MASKED` is ``changed``; any other pair is the same commitment.
Unpaired sentences of B are ``added``, of A ``dropped``; a paragraph all of whose sentences are unpaired is
reported once, as the paragraph. Last, each such item is judged by a small fitted model
(:mod:`reportqa.qa.diff_model`, from :func:`listing_features`: how much of its wording, clause by clause, and of its
content, piece by piece, the other report's sentences that are no copy of one of this report say; whether it states
a figure written nowhere there; its size): the items it judges probably said there in other words are not listed
but kept as ``unsure_added`` / ``unsure_dropped`` (the passes above leave a few hundred items a pair of consecutive
reports, about four in ten of them rewordings by the hand-checks, which no rule of shared words separated).
``new_terms`` are words and two-word phrases of B that A never writes
(:func:`new_terms`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from reportqa.index.reading.furniture import is_salutation
from reportqa.index.reading.sections import REVIEW, section_period
from reportqa.index.reading.sentences import CLAUSE_PUNCT
from reportqa.index.records import Citation
from reportqa.index.text.indicators import OPPOSED
from reportqa.index.text.numbers import CN_DIGITS, ValueMatch, find_values, fold
from reportqa.index.text.tokens import CN_STOPWORDS, GENERIC_WORDS, init_jieba

from .diff_model import ListingModel, builtin_listing
from .diff_terms import NewTerm, new_terms

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

TEXT_MATCH = 0.6
"""Dice overlap of character bigrams at which two sentences are the same sentence reworded."""
MEANING_MATCH = 0.95
"""Cosine of the sentence vectors at which two sentences say the same thing (with some shared wording)."""
MEANING_TEXT_FLOOR = 0.45
"""The least bigram overlap a pair found by meaning must still have (vectors of any two sentences of one
report are close; the wording keeps a pair honest)."""
COVERED = 0.85
"""Share of an unpaired sentence's bigrams (numbers as written) that one sentence of the other report holds,
at which its content is still said there (inside a longer sentence) and it is neither added nor dropped."""
CLAUSE_COVERED = 0.7
"""Share of an unpaired sentence's clause bigrams (numbers as written) that the other report holds, each
clause looked up on its own in its best sentence there, at which the sentence is said there in pieces (two
clauses in two sentences, or in another order) and is neither added nor dropped."""
CLAUSE_HELD = 0.8
"""Share of one clause's bigrams that one sentence of the other report holds at which that clause is said
there."""
CLAUSE_HALF = 0.5
"""Share of an unpaired sentence's clause bigrams in clauses said in the other report (:data:`CLAUSE_HELD`)
at which the sentence is still said there, one half of it reworded or cut (a commitment kept, its
companion clause changed)."""
CLAUSE_HALF_MIN = 6
"""The fewest bigrams the clauses held whole must have for :data:`CLAUSE_HALF` (两岸同根 alone is a stock
phrase, not a commitment kept)."""
CLAUSE_RUN = 3
"""Characters a run of a clause must have, written the same in the other sentence, for its bigrams to count
as held there."""
CLAUSE_CANDIDATES = 3
"""Sentences of the other report (those sharing most bigrams) a clause is looked up in."""
CLAUSE_MIN = 4
"""Characters (whitespace and punctuation aside) a clause needs to count: shorter ones (一是, 同时) say
nothing alone."""
CHANGED_MASKED = 0.5
"""Bigram overlap, numbers masked, above which a pair with other figures is the same commitment re-figured."""
CLAUSE_CHANGED = 0.6
"""Bigram overlap, numbers masked, of two clauses with figures (one of an unpaired sentence of A, one of B)
above which they state the same quantity re-figured in other words (补助资金551亿元 / 拟安排补助资金1030亿元)."""
LISTED_CHANGED = 0.5
"""Weighted bigram overlap (:func:`weighted_dice`) of a listed sentence's clause with figures and a clause of a
paired sentence of the other report (a list of targets) at which the two state one target re-figured, the
figures' heads sharing a word (:func:`listed_changes`: 今年进出口总额预期增长7.5%左右 / 进出口增长6%左右 hold 0.56
of each other; the clause there is short, one item of a list, so less of it is held than of two sentences)."""
CLAUSE_CHANGED_MIN = 8
"""Characters besides the figures a clause needs for :data:`CLAUSE_CHANGED` (比上年增长8% says which
quantity only with its sentence)."""

CONTENT_HELD = 0.7
"""Share of a sentence's (or a clause's) content weight that one sentence of the other report holds at which
it is said there in other words (:func:`content_covered`)."""
CONTENT_FLOOR = 1.4
"""The least content weight the held words must have, in key words: a key word is written in one sentence of
each report (weight log((N+1)/3) over the N sentences of both; ≈ 5.8 for two national reports, so the floor
is ≈ 8). One or two common words (社会, 发展) are no evidence of the same commitment."""
CHANGED_CONTENT = 0.6
"""Share of the content weight of a clause with figures that a sentence of the other report holds (and the
reverse, for a clause with figures of that sentence) at which the two state one quantity when figures of one
unit replace each other (:func:`content_changes`: the shared unit is evidence the shared words alone are not)."""
CHANGED_CONTENT_MEAN = 0.65
"""The least mean of the two shares of :data:`CHANGED_CONTENT` (中央财政用于三农的投入 / 中央财政用于科技的投入 hold
0.65 and 0.6 of each other: two quantities of one frame)."""
PIECE_HELD = 0.5
"""Share of a piece's content weight (a clause, or an item of a list cut at 、) that one sentence of the other
report holds at which that piece is said there (:func:`content_covered`): a clause names one or two things, and
half of them with the same words is the same commitment said with another verb (加快制造业数字化转型 /
实施制造业数字化转型行动)."""
PIECE_FLOOR = 0.5
"""The least content weight, in key words (:data:`CONTENT_FLOOR`), the held words of a piece must have."""
HEAD_HELD = 0.8
"""Share of the content weight of a sentence's first clause — what it is about: 推进健康中国建设, 东部地区继续率先
发展 — that one sentence of the other report, of the same period (both reviews, or neither), holds at which the
two say the same thing, when each is the other's best (:func:`heads_said`)."""
REVIEW_HEAD_HELD = 0.6
""":data:`HEAD_HELD` for two reviews: a review's first clause names a development and how it went, and two
reviews of one development name it alike but tell its course in other words (大众创业、万众创新广泛开展 /
大众创业、万众创新蓬勃发展; 加大对就业再就业的政策支持 / 完善和落实就业再就业扶持政策), so less of the clause is
held when the two say the same thing."""
HEAD_FLOOR = 1.0
"""The least content weight, in key words (:data:`CONTENT_FLOOR`), the held words of the first clause must have
(健康中国: two words written twice in each report)."""
HEAD_SHARE = 0.5
"""Share of a plan sentence's content weight its first clause must carry to say alone what the sentence is
about (推进健康中国建设 is all first clause). A first clause carrying less may be the first of a list of
commitments (加快制造业数字化转型，建设国家低空经济示范区，培育具身智能产业集群), and then the sentence of the other
report must also hold :data:`HEAD_WHOLE` of the whole. A review's first clause names the development the rest of
it tells, whatever its share."""
HEAD_WHOLE = 0.3
"""Share of a plan sentence's content weight the other report's sentence must hold when the first clause carries
less than :data:`HEAD_SHARE` of it: some of the rest said too, so the sentence is not a list of new commitments
behind one restated."""
WRITTEN_SHARE = 0.5
"""Share of a sentence's content pieces (clauses, and items of a list cut at 、; each counted once, whatever its
length) that must be written in the other report, each in a sentence of its own, for the sentence to be no item
(:func:`clauses_written`: one of two clauses kept word for word, the other new, is a sentence half said)."""
SUBWORD_CREDIT = 0.8
"""Credit for a content word of three or more characters that the other sentence holds only in parts
(国有企业 in 国有大中型企业), times the share of its parts held."""

FIGURE_FRAME = frozenset(
    [
        "中央财政", "财政", "中央", "地方", "政府", "各级", "全国", "全年", "上年", "年底", "年末", "年均",
        "平均", "每年", "五年", "三年", "累计", "安排", "拟安排", "投入", "资金", "支出", "投资", "专项", "补助",
        "经费", "预算", "规模", "总额", "总量", "总计", "合计", "共计", "其中", "增加", "增长", "减少", "下降",
        "达到", "用于", "新增", "实际", "预计", "超过", "以上", "左右", "以内", "比上年", "比去年", "目标",
        "预期", "预期目标", "下拨", "共", "计划",
    ]
)
"""Words before a figure that say which kind of measure and whose money it is (中央财政安排…支出, 累计投入),
not what it counts: two figures whose heads (:func:`figure_heads`) differ only in these can be one quantity."""
MEASURE_NOUNS = frozenset(
    ["产量", "总产量", "产值", "总产值", "增加值", "总值", "数量", "人数", "余额", "比重", "面积"]
)
"""Nouns a head names for what is measured of a thing (钢产量, 原煤产量, 工业增加值): two heads sharing only these
name two things, not one quantity (:func:`_one_quantity`)."""
_INCREMENT_BEFORE = re.compile(
    r"(?:比[^，；：。]{0,12}?(?:增加|增长|多|少|减少|提高|降低|下降|扩大|上升|缩小|压缩)|"
    r"(?:增加|增长|扩大|减少|提高|降低|下降|上升|缩小|压缩|多|少)了)(?:约|近|超过|逾|达)?$"
)
"""An increment: a figure that says by how much (比上年增加1501亿元, 又扩大了8个省份)."""
_LEVEL_BEFORE = re.compile(r"(?:[增加扩大提高上升下降减少降低增长]+到|增至|达到|达|降至|降到|升至)(?:约|近|超过|逾)?$")
"""A level: a figure that says how much there is (达13380亿元, 扩大到11个省份)."""

Embed = Callable[[Sequence[str]], np.ndarray]
"""Passage vectors (L2-normalised, one row per text) for sentences that have no stored vector."""


@dataclass(frozen=True)
class Unit:
    """One sentence of a report, as the diff compares it."""

    text: str
    """The sentence exactly as reconstructed."""
    citation: Citation
    """Its paragraph's citation."""
    heading: bool = False
    """True for a heading."""


@dataclass(frozen=True)
class Side:
    """One report prepared for a diff."""

    document: str
    """Display name (as ``reportqa status`` lists it, or the file name)."""
    units: tuple[Unit, ...]
    """Sentences in reading order."""
    vectors: np.ndarray | None = None
    """Row i: the stored vector of ``units[i]``, when the report is indexed; None to embed on demand."""


@dataclass(frozen=True)
class Item:
    """A passage of one side with no counterpart in the other: a whole paragraph, or one sentence."""

    text: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citation": self.citation.to_json()}


@dataclass(frozen=True)
class Figured:
    """One side of a change: the sentence, the figure that changed as written, its citation."""

    text: str
    value: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "citation": self.citation.to_json()}


@dataclass(frozen=True)
class Change:
    """The same commitment with another figure."""

    before: Figured
    after: Figured

    def to_json(self) -> dict[str, Any]:
        return {"before": self.before.to_json(), "after": self.after.to_json()}


@dataclass(frozen=True)
class Diff:
    """What B says that A does not, and the reverse (the ``reportqa diff --json`` object)."""

    a: str
    b: str
    added: tuple[Item, ...]
    dropped: tuple[Item, ...]
    changed: tuple[Change, ...]
    new_terms: tuple[NewTerm, ...]
    unsure_added: tuple[Item, ...] = ()
    """Sentences of B with no counterpart found that the listing model (:mod:`reportqa.qa.diff_model`) judges
    probably said in A in other words: not listed as added."""
    unsure_dropped: tuple[Item, ...] = ()
    """The same of A: not listed as dropped."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.dropped or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "added": [i.to_json() for i in self.added],
            "dropped": [i.to_json() for i in self.dropped],
            "changed": [c.to_json() for c in self.changed],
            "new_terms": [t.to_json() for t in self.new_terms],
            "unsure_added": [i.to_json() for i in self.unsure_added],
            "unsure_dropped": [i.to_json() for i in self.unsure_dropped],
        }


_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """What "the same text" compares: NFKC, no whitespace. (Cached: every pass keys the same sentences.)"""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMERAL = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两半]")
"""A character without which a text states no figure (:func:`figures` is skipped)."""


def _masked(text: str) -> str:
    return _DIGITS.sub("0", key(text))


def _is_year(v: ValueMatch) -> bool:
    p = v.parsed
    return p.unit in ("年", "") and p.low is not None and p.low == int(p.low) and 1900 <= p.low <= 2100


def figures(text: str) -> list[str]:
    """The figures of ``text`` as written (folded), years and bare ordinals aside; read without its whitespace
    (a file writing digits spaced, 7 2 ％, states 72%)."""
    return list(_figures(text))


@functools.lru_cache(maxsize=65536)
def _figures(text: str) -> tuple[str, ...]:
    return tuple(fold(v.text) for v in _figure_values(key(text)))


def _figure_values(k: str) -> list[ValueMatch]:
    """The figures (:func:`_is_figure`) of ``k``, a text as :func:`key` writes it (whitespace removed: a file writing
    digits spaced, 7 2 ％, states 72%)."""
    return [v for v in find_values(k) if _is_figure(v)]


_ARTICLE = re.compile("一[个批项部次种条起件轮支届场度位套片头期家份网张站]")
"""一 and a measure word, written as an article or in a set phrase, not a count: 一条和平发展的道路, 进入一个新阶段,
一批重大工程, 一部分, 一站式 (a hand-check's ``changed`` pair 一个 → 12月 — an article and a date — and a
``figure_new`` raised by 一条)."""


def _is_figure(v: ValueMatch) -> bool:
    """A value with a unit that is no year and no article (:data:`_ARTICLE`): what :func:`figures` counts."""
    return not _is_year(v) and bool(v.parsed.unit) and not _ARTICLE.fullmatch(fold(v.text))


_SESSION_OF = {
    "届": ("全国人民代表大会", "全国委员会", "人大", "政协", "中央", "历次", "全会", "中全会", "一中", "二中", "三中",
          "四中", "五中", "六中", "七中"),
    "次": ("会议", "全体会议", "全国代表大会"),
}  # fmt: skip
"""What follows a session number (by its unit): the congress or the party's plenary sessions (a 届 of a games or a
fair, 第12届亚运会, 成功举办2届亚欧博览会, is no session)."""


def _is_session(v: ValueMatch, text: str) -> bool:
    """Whether ``v`` (found in ``text``) says which session of the congress or the party, not how many: 十九届历次全会,
    第十四届全国人民代表大会第二次会议."""
    after = _SESSION_OF.get(v.parsed.unit)
    if after is None or (v.parsed.unit == "次" and not text[: v.start].endswith("第")):
        return False
    return text[v.end :].startswith(after)


@functools.lru_cache(maxsize=65536)
def change_figures(text: str) -> tuple[str, ...]:
    """The figures of ``text`` a change can replace: :func:`figures` without the sessions (:func:`_is_session`) —
    each report names its own session and the party congress it follows, so two sentences differing only there
    (the dateline, 全面贯彻党的二十大和二十届二中全会精神) are the same sentence, not a change."""
    k = key(text)
    return tuple(fold(v.text) for v in _figure_values(k) if not _is_session(v, k))


@functools.lru_cache(maxsize=65536)
def _grams(text: str, masked: bool) -> tuple[str, ...]:
    """The character bigrams ``text`` writes, each once (numbers masked or not); the text itself when it has none.
    (Cached: every pass and the listing features read the same sentences and clauses again.)"""
    k = _masked(text) if masked else key(text)
    return tuple({k[i : i + 2] for i in range(len(k) - 1)} or {k})


def _bigram_matrix(texts: Sequence[str], masked: bool = True) -> csr_matrix:
    """Sparse rows of character-bigram presence (scipy CSR), one per text (numbers masked or not)."""
    return _bigrams_and_vocabulary(texts, masked)[0]


def _bigrams_and_vocabulary(texts: Sequence[str], masked: bool) -> tuple[csr_matrix, dict[str, int]]:
    """:func:`_bigram_matrix` and its columns' bigrams (bigram → column)."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    for t in texts:
        indices += [vocab.setdefault(g, len(vocab)) for g in _grams(t, masked)]
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, indices, indptr), shape=(len(texts), max(len(vocab), 1))), vocab


@functools.lru_cache(maxsize=4)
def _document_frequency(background: tuple[str, ...]) -> Counter[str]:
    """In how many of the ``background`` texts each bigram (numbers masked) is written. (Cached: the changes and
    both sides' listing features weigh by the same two reports.)"""
    df: Counter[str] = Counter()
    for t in background:
        df.update(_grams(t, True))
    return df


def dice_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Dice overlap of the character bigrams of every sentence of ``a`` with every one of ``b``, numbers
    masked (two sentences that differ only in a figure overlap fully)."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    m = _bigram_matrix(list(a) + list(b))
    ma, mb = m[: len(a)], m[len(a) :]
    shared = (ma @ mb.T).toarray()
    na = np.asarray(ma.sum(axis=1)).ravel()
    nb = np.asarray(mb.sum(axis=1)).ravel()
    return np.asarray(2.0 * shared / np.maximum(na[:, None] + nb[None, :], 1.0), dtype=np.float32)


def _dice(a: str, b: str) -> float:
    return float(dice_matrix([a], [b])[0, 0])


def _sides_named(texts: Sequence[str]) -> np.ndarray:
    """Row per text, two columns per :data:`OPPOSED` entry: it names the first side only, the second only."""
    if not texts:
        return np.zeros((0, 2 * len(OPPOSED)), dtype=bool)
    return np.array([_sides_of(t) for t in texts], dtype=bool)


@functools.lru_cache(maxsize=65536)
def _sides_of(text: str) -> tuple[bool, ...]:
    """:func:`_sides_named`'s row of one text (cached: the changes test the same sentences and clauses again)."""
    out: list[bool] = []
    for one, two in OPPOSED:
        first, second = any(q in text for q in one), any(q in text for q in two)
        out += [first and not second, second and not first]
    return tuple(out)


def opposed(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """``[x, y]``: text x of ``a`` names one side only of an :data:`OPPOSED` pair, text y of ``b`` the other only."""
    na, nb = _sides_named(a).astype(np.int32), _sides_named(b).astype(np.int32)
    swap = np.arange(nb.shape[1]) ^ 1  # first ↔ second of each entry
    return np.asarray((na @ nb[:, swap].T) > 0)


def _vectors(a: Side, ra: Sequence[int], b: Side, rb: Sequence[int], embed: Embed | None
             ) -> tuple[np.ndarray, np.ndarray] | None:  # fmt: skip
    """Vectors of the unpaired sentences: stored ones when both sides have them (same embedding text),
    else both embedded afresh (so the two sides are comparable); None without either."""
    if a.vectors is not None and b.vectors is not None:
        return np.asarray(a.vectors[list(ra)], np.float32), np.asarray(b.vectors[list(rb)], np.float32)
    if embed is None:
        return None
    vs = np.asarray(embed([a.units[i].text for i in ra] + [b.units[j].text for j in rb]), np.float32)
    return vs[: len(ra)], vs[len(ra) :]


def pair(a: Side, b: Side, embed: Embed | None) -> dict[int, int]:
    """Counterparts: unit index of A → unit index of B (see the module docstring)."""
    pairs: dict[int, int] = {}
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, u in enumerate(b.units):
        by_key[key(u.text)].append(j)
    for i, u in enumerate(a.units):
        js = by_key.get(key(u.text))
        if js:
            pairs[i] = js.pop(0)
    taken = set(pairs.values())
    ra = [i for i in range(len(a.units)) if i not in pairs]
    rb = [j for j in range(len(b.units)) if j not in taken]
    if not ra or not rb:
        return pairs
    dice = dice_matrix([a.units[i].text for i in ra], [b.units[j].text for j in rb])
    # two quantities of one kind (urban and rural income) are no counterparts, however alike the wording
    dice[opposed([a.units[i].text for i in ra], [b.units[j].text for j in rb])] = 0.0
    # nor are two sentences whose replaced figures are two quantities of one frame (社会保障支出 / 科技支出)
    # or an increment and a level (扩大了8个省份 / 扩大到11个省份)
    for x, y in np.argwhere(dice >= MEANING_TEXT_FLOOR):
        ta, tb = a.units[ra[x]].text, b.units[rb[y]].text
        if _NUMERAL.search(ta) and _NUMERAL.search(tb) and not figures_agree(ta, tb):
            dice[x, y] = 0.0
    used_a: set[int] = set()
    used_b: set[int] = set()
    _take(np.where(dice >= TEXT_MATCH, 1.0 + dice, 0.0), ra, rb, pairs, used_a, used_b)
    # Every pair by wording outranks every pair by meaning (1 + Dice > cosine), so taking them first and
    # only then the meaning pairs among the sentences left is the same best-first order; but only those
    # left, with some shared wording and no pair yet, need vectors (consecutive reports of one government
    # pair most sentences by wording: embedding all their 0.45–0.6 candidates was 7 of 9 seconds).
    maybe = (dice >= MEANING_TEXT_FLOOR) & (dice < TEXT_MATCH)
    maybe[sorted(used_a), :] = False
    maybe[:, sorted(used_b)] = False
    xs, ys = np.flatnonzero(maybe.any(axis=1)), np.flatnonzero(maybe.any(axis=0))
    vectors = _vectors(a, [ra[x] for x in xs], b, [rb[y] for y in ys], embed) if len(xs) else None
    if vectors is not None:
        cos = np.zeros_like(dice)
        cos[np.ix_(xs, ys)] = vectors[0] @ vectors[1].T
        _take(np.where(maybe & (cos >= MEANING_MATCH), cos, 0.0), ra, rb, pairs, used_a, used_b)
    return pairs


def _take(score: np.ndarray, ra: Sequence[int], rb: Sequence[int], pairs: dict[int, int],
          used_a: set[int], used_b: set[int]) -> None:  # fmt: skip
    """Pair best-first the rows and columns of ``score`` (> 0) not used yet, into ``pairs`` (unit indexes)."""
    for flat in np.argsort(-score, axis=None, kind="stable"):
        x, y = divmod(int(flat), len(rb))
        if score[x, y] <= 0:
            break
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        pairs[ra[x]] = rb[y]


def _change(ua: Unit, ub: Unit) -> Change | None:
    if key(ua.text) == key(ub.text):  # the same text (a number re-wrapped as "2 000" is still 2000)
        return None
    fa, fb = change_figures(ua.text), change_figures(ub.text)
    if Counter(fa) == Counter(fb) or not fa or not fb:
        return None
    if _dice(ua.text, ub.text) < CHANGED_MASKED:
        return None
    va = [v for v in fa if v not in fb]
    vb = [v for v in fb if v not in fa]
    if not va or not vb:  # a figure only added or only dropped (a clause cut), no figure replaced by another
        return None
    # every figure that differs, in order (one alone could pair the wrong two: 10.37万亿元 → 5.1万亿元 when
    # the sentence also says 11.7万亿元)
    return Change(Figured(ua.text, "、".join(va), ua.citation), Figured(ub.text, "、".join(vb), ub.citation))


@dataclass(frozen=True)
class _Head:
    value: str
    unit: str
    words: frozenset[str]
    kind: str  # "increment", "level" or ""


@functools.lru_cache(maxsize=65536)
def figure_heads(text: str) -> tuple[_Head, ...]:
    """Each figure of ``text`` (years and bare ordinals aside) with its head: the content words written before
    it in its clause, back to the figure before (:data:`FIGURE_FRAME` aside, with their parts; none: the head of
    the figure before, 社会保障支出2019亿元，比去年增加247亿元), and whether it is
    an increment (比上年增加1501亿元, 扩大了8个), a level (达13380亿元, 扩大到11个) or neither said."""
    out: list[_Head] = []
    k = key(text)
    start = 0
    for v in _figure_values(k):
        span = _CLAUSE_BREAK.split(k[start : v.start])[-1]
        start = v.end
        words: set[str] = set()
        for w, parts in content_words(span).items():
            if parts and all(p in FIGURE_FRAME for p in parts):  # 财政预算, 中央财政支出: frame words joined
                continue
            for x in (w, *parts):
                if x not in FIGURE_FRAME and not _NUMERAL_WORD.fullmatch(x):
                    words.add(x)
        kind = "level" if _LEVEL_BEFORE.search(span) else "increment" if _INCREMENT_BEFORE.search(span) else ""
        if not words and out:  # 比去年增加247亿元: the increment of the quantity named before
            words = set(out[-1].words)
        out.append(_Head(fold(v.text), v.parsed.unit, frozenset(words), kind))
    return tuple(out)


def _one_quantity(x: _Head, y: _Head, ka: str, kb: str) -> bool:
    """Two figures of one unit can state one quantity: not an increment against a level, and not two heads
    sharing no word but a measure noun (:data:`MEASURE_NOUNS`) each naming what the other sentence never writes
    (社会保障支出2019亿元 / 科技支出1134亿元; 钢产量 / 原煤产量, which share 产量)."""
    if {x.kind, y.kind} == {"increment", "level"}:
        return False
    if not x.words or not y.words or (x.words & y.words) - MEASURE_NOUNS:
        return True
    return not (any(w not in kb for w in x.words - y.words) and any(w not in ka for w in y.words - x.words))


def _heads_in(text: str, sentence: str | None) -> tuple[_Head, ...]:
    """The heads (:func:`figure_heads`) of the figures of ``text``, a clause, as read in its ``sentence`` when the
    clause names nothing itself: a bare rate (城乡居民储蓄存款…年末存款余额达到14764亿元，增长百分之二十八) is the
    growth of what the sentence named before it. A clause naming what its figure counts after it (为3730万名贫困
    家庭学生免费提供教科书), and a figure the sentence does not write, keep the clause's own head."""
    own = figure_heads(text)
    if sentence is None or any(w not in FIGURE_FRAME and not _NUMERAL_WORD.fullmatch(w) for w in content_words(text)):
        return own
    pool = list(figure_heads(sentence))
    out: list[_Head] = []
    for h in own:
        found = next((x for x in pool if x.value == h.value), None)
        if found is not None:
            pool.remove(found)
        out.append(found or h)
    return tuple(out)


def figures_agree(text_a: str, text_b: str, sentence_a: str | None = None, sentence_b: str | None = None) -> bool:
    """False when every figure of ``text_a`` replaced by one of the same unit in ``text_b`` (and there is one)
    is another quantity (:func:`_one_quantity`): the two sentences' figures can not be one quantity
    re-figured. ``sentence_a`` / ``sentence_b``: the sentences of two clauses (where a head word is looked for
    on the other side; default the texts themselves)."""
    ka, kb = key(sentence_a or text_a), key(sentence_b or text_b)
    ha, hb = _heads_in(text_a, sentence_a), _heads_in(text_b, sentence_b)
    va = {h.value for h in ha} - {h.value for h in hb}
    vb = {h.value for h in hb} - {h.value for h in ha}
    pairs = [(x, y) for x in ha if x.value in va for y in hb if y.value in vb and y.unit == x.unit]
    return not pairs or any(_one_quantity(x, y, ka, kb) for x, y in pairs)


def _counted_items(units: Sequence[Unit], unpaired: set[int]) -> list[tuple[Item, int]]:
    """Unpaired units as items, each with its number of sentences: a paragraph whose sentences are all unpaired
    becomes one item."""
    by_par: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_par[(u.citation.document, u.citation.paragraph)].append(i)
    out: list[tuple[Item, int]] = []
    done: set[tuple[str, int]] = set()
    for i in sorted(unpaired):
        u = units[i]
        par = (u.citation.document, u.citation.paragraph)
        members = by_par[par]
        if len(members) > 1 and all(m in unpaired for m in members):
            if par not in done:
                done.add(par)
                out.append((Item("".join(units[m].text for m in members), u.citation), len(members)))
            continue
        out.append((Item(u.text, u.citation), 1))
    return out


def _front(units: Sequence[Unit]) -> set[int]:
    """Salutations, and the front matter before the first one (none when the report has no salutation)."""
    first = next((i for i, u in enumerate(units) if is_salutation(u.text)), 0)
    return set(range(first)) | {i for i, u in enumerate(units) if is_salutation(u.text)}


def covered(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit]) -> set[int]:
    """Of ``rows`` (unpaired sentences), those whose wording, figures included, the other report writes within
    one of its sentences (:data:`COVERED` of their bigrams): "国内生产总值增长8%左右；" is said by "今年的主要
    预期目标是：国内生产总值增长8%左右，经济结构进一步优化；" even though the two are not one sentence."""
    if not rows or not other:
        return set()
    m = _bigram_matrix([units[i].text for i in rows] + [u.text for u in other], masked=False)
    mine, theirs = m[: len(rows)], m[len(rows) :]
    shared = (mine @ theirs.T).max(axis=1).toarray().ravel()
    sizes = np.asarray(mine.sum(axis=1)).ravel()
    return {rows[int(x)] for x in np.flatnonzero(shared >= COVERED * np.maximum(sizes, 1.0))}


_CLAUSE_BREAK = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]+")
_MARKS = re.compile(r"[\s“”‘’\"'《》〈〉()「」『』【】\[\]—–·…]+")


def clauses(text: str) -> list[str]:
    """The clauses of a sentence (split at ，；：。！？), folded as :func:`key` folds, quotes, brackets and
    dashes removed (figures kept as written); clauses under :data:`CLAUSE_MIN` characters aside."""
    out = [_MARKS.sub("", c) for c in _CLAUSE_BREAK.split(key(text))]
    return [c for c in out if len(c) >= CLAUSE_MIN]


def _run_bigrams(clause: str, sentence: str) -> float:
    """Bigrams of ``clause`` inside a run of at least :data:`CLAUSE_RUN` characters that
    ``sentence`` also writes (推进…改革 scattered over a long sentence is not 推进农业供给侧结构性改革)."""
    inside = [False] * len(clause)
    i = 0
    while i <= len(clause) - CLAUSE_RUN:
        n = CLAUSE_RUN
        if clause[i : i + n] not in sentence:
            i += 1
            continue
        while i + n < len(clause) and clause[i : i + n + 1] in sentence:
            n += 1
        for j in range(i, i + n):
            inside[j] = True
        i += 1
    return float(sum(1 for j in range(len(clause) - 1) if inside[j] and inside[j + 1]))


def clause_cover(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit]
                 ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """For each of ``rows``: the share of its clause bigrams (figures as written) that the other report holds
    in runs of at least :data:`CLAUSE_RUN` characters, each clause looked up on its own in the one sentence
    there that holds most of it (among the :data:`CLAUSE_CANDIDATES` sharing most bigrams); and the share in
    clauses held whole (:data:`CLAUSE_HELD`; 0 when those are under :data:`CLAUSE_HALF_MIN` bigrams). Both 0
    for a sentence without a clause, or with a clause whose figures are not written in its best sentence
    there."""
    owner: list[int] = []
    texts: list[str] = []
    for x, i in enumerate(rows):
        for c in clauses(units[i].text):
            owner.append(x)
            texts.append(c)
    if not texts or not other:
        return np.zeros(len(rows)), np.zeros(len(rows))
    m = _bigram_matrix(texts + [key(u.text) for u in other], masked=False)
    mine, theirs = m[: len(texts)], m[len(texts) :]
    shared = (mine @ theirs.T).tocsr()
    sizes = np.array([len(c) - 1.0 for c in texts])
    flat = [_MARKS.sub("", key(u.text)) for u in other]
    found = np.zeros(len(texts))
    vetoed = np.zeros(len(rows), dtype=bool)
    theirs_figures: dict[int, set[str]] = {}
    for n, c in enumerate(texts):
        lo, hi = shared.indptr[n], shared.indptr[n + 1]
        cols, counts = shared.indices[lo:hi], shared.data[lo:hi]
        best, held = -1, 0.0
        for k in cols[np.argsort(-counts)[:CLAUSE_CANDIDATES]]:
            h = _run_bigrams(c, flat[int(k)])
            if h > held:
                best, held = int(k), h
        fs = figures(c) if _NUMERAL.search(c) else []
        if fs and best not in theirs_figures:
            theirs_figures[best] = set(figures(other[best].text)) if best >= 0 else set()
        if fs and not set(fs) <= theirs_figures[best]:
            vetoed[owner[n]] = True
            continue
        found[n] = held
    got = np.zeros(len(rows))
    whole = np.zeros(len(rows))
    whole_bigrams = np.zeros(len(rows))
    total = np.zeros(len(rows))
    held_whole = (found >= CLAUSE_HELD * sizes) & (sizes > 0)
    np.add.at(got, owner, found)
    np.add.at(whole, owner, np.where(held_whole, sizes, 0.0))
    np.add.at(whole_bigrams, owner, np.where(held_whole, [len(c) - 1 for c in texts], 0))
    np.add.at(total, owner, sizes)
    share, half = got / np.maximum(total, 1e-9), whole / np.maximum(total, 1e-9)
    # a figure the other report does not write is news: such a sentence is never said there
    share[vetoed] = 0.0
    half[vetoed | (whole_bigrams < CLAUSE_HALF_MIN)] = 0.0
    return share, half


def clause_covered(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit]) -> set[int]:
    """Of ``rows`` (unpaired sentences), those said in the other report clause by clause
    (:func:`clause_cover` at least :data:`CLAUSE_COVERED`): "加强职业技能培训，鼓励自主创业。" is said by
    "继续加强职业技能培训…" and "…鼓励自主创业…", two sentences of the other report."""
    if not rows or not other:
        return set()
    share, whole = clause_cover(units, rows, other)
    return {rows[int(x)] for x in np.flatnonzero((share >= CLAUSE_COVERED) | (whole >= CLAUSE_HALF))}


def weighted_dice(a: Sequence[str], b: Sequence[str], background: Sequence[str]) -> np.ndarray:
    """Dice overlap of character bigrams (numbers masked), each bigram weighted by its rarity among the
    ``background`` sentences (log N/df): two clauses sharing only the reports' stock frame (中央财政安排…亿元)
    overlap little, two naming the same thing (农村危房改造…万户) much."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    m, vocab = _bigrams_and_vocabulary([*a, *b], True)
    n = len(background)
    counts = _document_frequency(tuple(sorted(background)))  # the bigrams of a and b only are looked up
    df = np.array([counts.get(g, 0) for g in vocab] or [0], dtype=np.float32)
    w = np.log((n + 1.0) / (df + 1.0)).astype(np.float32)
    ma, mb = m[: len(a)], m[len(a) :]
    shared = (ma.multiply(w[None, :]) @ mb.T).toarray()
    wa = np.asarray(ma @ w).ravel()
    wb = np.asarray(mb @ w).ravel()
    return np.asarray(2.0 * shared / np.maximum(wa[:, None] + wb[None, :], 1e-9), dtype=np.float32)


def _wording_length(clause: str) -> int:
    """Characters of ``clause`` besides the digits of its numbers, and besides the numerals of a value written in
    Chinese numerals (增长百分之二十八 counts as 增长分之: a bare rate, as 增长28% counts as 增长%)."""
    k = key(clause)
    numerals = sum(sum(c in CN_DIGITS for c in v.text) for v in find_values(k) if not _DIGITS.search(v.text))
    return len(_DIGITS.sub("", k)) - numerals


def _figure_clauses(units: Sequence[Unit], rows: Sequence[int]) -> list[tuple[int, str]]:
    out = []
    for i in rows:
        for c in clauses(units[i].text):
            if figures(c) and _wording_length(c) >= CLAUSE_CHANGED_MIN:
                out.append((i, c))
    return out


def _mutual_best(d: np.ndarray, floor: float) -> Iterator[tuple[int, int]]:
    """Rows and columns of ``d`` each the other's only best, at least ``floor``, best first."""
    if not d.size:
        return
    best_y, best_x = d.argmax(axis=1), d.argmax(axis=0)
    for x in np.argsort(-d.max(axis=1)):
        y = int(best_y[x])
        if d[x, y] >= floor and int(best_x[y]) == x and np.count_nonzero(d[x] == d[x, y]) <= 1:
            yield int(x), y


def clause_changes(a: Sequence[Unit], dropped: Sequence[int], b: Sequence[Unit], added: Sequence[int]
                   ) -> list[tuple[int, int, Change]]:  # fmt: skip
    """Unpaired sentences of A and B that state one quantity with another figure in other words: a clause with
    figures of each whose wording (numbers masked) overlaps by :data:`CLAUSE_CHANGED`, the two clauses each
    other's best, with figures of one unit replaced. (A sentence of A, a sentence of B, the change.)"""
    ca, cb = _figure_clauses(a, dropped), _figure_clauses(b, added)
    if not ca or not cb:
        return []
    d = weighted_dice([c for _, c in ca], [c for _, c in cb], [u.text for u in (*a, *b)])
    return _take_changes(((*ca[x], *cb[y]) for x, y in _mutual_best(d, CLAUSE_CHANGED)), a, b)


def _take_changes(candidates: Iterable[tuple[int, str, int, str]], a: Sequence[Unit], b: Sequence[Unit]
                  ) -> list[tuple[int, int, Change]]:  # fmt: skip
    """The changes among ``candidates`` (sentence of A, its clause, sentence of B, its clause), best first: each
    sentence in one change at most, each pair checked by :func:`_clause_change`."""
    out: list[tuple[int, int, Change]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for i, c_a, j, c_b in candidates:
        change = None if i in used_a or j in used_b else _clause_change(a[i], b[j], c_a, c_b)
        if change is not None:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, change))
    return out


def _clause_change(ua: Unit, ub: Unit, c_a: str, c_b: str) -> Change | None:
    """Clause ``c_a`` of ``ua`` and ``c_b`` of ``ub`` as one quantity re-figured: no opposed sides, one quantity
    (:func:`figures_agree`: not two of one frame, nor an increment and a level), and figures of a unit both write
    replaced; None otherwise."""
    if opposed([ua.text, c_a], [ub.text, c_b]).any() or not figures_agree(c_a, c_b, ua.text, ub.text):
        return None
    fa, fb = change_figures(c_a), change_figures(c_b)
    va = [v for v in fa if v not in fb]
    vb = [v for v in fb if v not in fa]
    units_a = {v.parsed.unit for v in find_values(c_a) if fold(v.text) in va}
    units_b = {v.parsed.unit for v in find_values(c_b) if fold(v.text) in vb}
    if not va or not vb or not units_a & units_b:
        return None
    return Change(Figured(ua.text, "、".join(va), ua.citation), Figured(ub.text, "、".join(vb), ub.citation))


def _refigured_in_paired(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit],
                         partner: dict[int, int]) -> list[tuple[int, str, int, str]]:  # fmt: skip
    """Clauses with figures of ``rows`` (plan sentences of ``units`` still listed) that state one target with a
    clause of a plan sentence of ``other`` which has a counterpart (``partner``: its index → its counterpart's
    in ``units``) that does not state the target (see :func:`listed_changes`): (sentence, clause, sentence
    there, clause)."""
    rows = [i for i in rows if not is_review(units[i])]
    mine = _figure_clauses(units, rows)
    there = _figure_clauses(other, sorted(k for k in partner if not is_review(other[k])))
    if not mine or not there:
        return []
    background = [u.text for u in (*units, *other)]
    # a clause whose counterpart sentence states the quantity too (another clause of it overlapping as much)
    # has its counterpart there
    own = _figure_clauses(units, sorted({partner[k] for k, _ in there}))
    if own:
        restated = weighted_dice([c for _, c in there], [c for _, c in own], background) >= CLAUSE_CHANGED
        there = [(k, c) for y, (k, c) in enumerate(there)
                 if not any(restated[y, z] for z, (i, _) in enumerate(own) if i == partner[k])]  # fmt: skip
    if not there:
        return []
    d = weighted_dice([c for _, c in mine], [c for _, c in there], background)
    out: list[tuple[int, str, int, str]] = []
    for x, y in _mutual_best(d, LISTED_CHANGED):
        (i, c), (k, c2) = mine[x], there[y]
        # the replaced figures named alike, each listed sentence in one change
        if _heads_meet(c, c2) and all(i != o[0] for o in out):
            out.append((i, c, k, c2))
    return out


def _heads_meet(text_a: str, text_b: str) -> bool:
    """A figure of ``text_a`` replaced by one of the same unit in ``text_b`` whose heads (:func:`figure_heads`)
    share a word: 进出口总额预期增长7.5%左右 / 进出口增长6%左右."""
    ha, hb = figure_heads(text_a), figure_heads(text_b)
    va = {h.value for h in ha} - {h.value for h in hb}
    vb = {h.value for h in hb} - {h.value for h in ha}
    return any(x.words & y.words for x in ha if x.value in va for y in hb if y.value in vb and y.unit == x.unit)


_Refigured = tuple[int, int, Change]
"""A sentence of A, a sentence of B, the change."""


def listed_changes(a: Sequence[Unit], dropped: Sequence[int], b: Sequence[Unit], added: Sequence[int],
                   pairs: dict[int, int]) -> tuple[list[_Refigured], list[_Refigured]]:  # fmt: skip
    """Sentences still listed that state, in a clause with figures, a quantity the other report re-figures in a
    clause of a sentence with a counterpart — the quantity absent from that counterpart: "今年进出口总额预期增长
    7.5%左右。" (2014, alone) and 2015's list of targets "…进出口增长6%左右…", whose counterpart, 2014's list,
    names no foreign trade. Plans only (a target and last year's outcome are two quantities); each clause and
    the clause there each the other's best (weighted bigram overlap :data:`LISTED_CHANGED`), the replaced
    figures' heads sharing a word (:func:`_heads_meet`), and one quantity (:func:`_clause_change`). (Sentence of
    A, sentence of B, the change: first those whose sentence of A is listed, then those whose sentence of B is.)"""
    back = {j: i for i, j in pairs.items()}
    gone = [(i, j, _clause_change(a[i], b[j], x, y)) for i, x, j, y in _refigured_in_paired(a, dropped, b, back)]
    new = [(i, j, _clause_change(a[i], b[j], x, y)) for j, y, i, x in _refigured_in_paired(b, added, a, pairs)]
    return [(i, j, c) for i, j, c in gone if c is not None], [(i, j, c) for i, j, c in new if c is not None]


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def content_words(text: str) -> dict[str, tuple[str, ...]]:
    """The content words of ``text``: jieba's words of two or more Chinese characters without function words
    (:data:`~reportqa.index.text.tokens.CN_STOPWORDS`) and the reports' generic words
    (:data:`~reportqa.index.text.tokens.GENERIC_WORDS`: 加强, 深入推进, 体系 …), each with its parts (the
    search-mode words inside a word of three or more characters: 知识产权 → 知识, 产权)."""
    return dict(_content_items(text))


@functools.lru_cache(maxsize=65536)
def _content_items(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`content_words` of ``text`` as pairs (cached: the passes and the listing features read the same
    sentences and clauses again)."""
    init_jieba()
    out: dict[str, tuple[str, ...]] = {}
    for piece in _HAN_RUN.findall(key(text)):
        for w in _cut(piece):
            if w not in out:
                out[w] = _parts(w)
    return tuple(out.items())


@functools.lru_cache(maxsize=65536)
def _cut(piece: str) -> tuple[str, ...]:
    """jieba's words of one run of Chinese characters that can be content words (cached: stock phrases recur
    in both reports)."""
    import jieba

    return tuple(w for w in jieba.cut(piece) if len(w) >= 2 and w not in CN_STOPWORDS and w not in GENERIC_WORDS)


@functools.lru_cache(maxsize=65536)
def _parts(word: str) -> tuple[str, ...]:
    if len(word) < 3:
        return ()
    import jieba

    return tuple(
        p
        for p in jieba.cut_for_search(word)
        if len(p) >= 2 and p != word and p not in CN_STOPWORDS and p not in GENERIC_WORDS
    )


class _Holders:
    """Which sentences of a report hold a string, and in how many sentences of both reports it is written
    (its document frequency, for the rarity weight log((N+1)/(df+1)))."""

    def __init__(self, other: Sequence[Unit], own: Sequence[Unit], usable: set[int] | None = None) -> None:
        self.other = [_MARKS.sub("", key(u.text)) for u in other]
        self._usable = usable
        self._own = [key(u.text) for u in own]
        self._in_other = _bigram_rows(tuple(self.other))
        self._in_own = _bigram_rows(tuple(self._own))
        self._n = len(other) + len(own)
        self.key_weight = float(np.log((self._n + 1.0) / 3.0))
        """The weight of a word written once in each report (the unit of :data:`CONTENT_FLOOR`)."""
        self._cache: dict[str, tuple[frozenset[int], float]] = {}

    def get(self, w: str) -> tuple[frozenset[int], float]:
        """The sentences of the other report holding ``w`` (of the ``usable`` ones), and ``w``'s rarity weight
        (counted over every sentence)."""
        hit = self._cache.get(w)
        if hit is None:
            # a sentence holding w writes each of its bigrams: only those writing the rarest are looked in
            in_other = _rows_with(w, self._in_other) if len(w) >= 2 else range(len(self.other))
            in_own = _rows_with(w, self._in_own) if len(w) >= 2 else range(len(self._own))
            found = {k for k in in_other if w in self.other[k]}
            # own side: occurrences, a close upper bound of sentences
            df = len(found) + sum(self._own[k].count(w) for k in in_own)
            if self._usable is not None:
                found &= self._usable
            hit = self._cache[w] = (frozenset(found), float(np.log((self._n + 1.0) / (df + 1.0))))
        return hit


@functools.lru_cache(maxsize=8)
def _bigram_rows(texts: tuple[str, ...]) -> dict[str, list[int]]:
    """Bigram → the texts writing it (in order): a word of two or more characters is only in those of its
    rarest bigram. (Cached: the content pass and the content changes look in the same two reports.)"""
    rows: dict[str, list[int]] = defaultdict(list)
    for k, t in enumerate(texts):
        for g in {t[i : i + 2] for i in range(len(t) - 1)}:
            rows[g].append(k)
    return rows


_NO_ROWS: list[int] = []


def _rows_with(w: str, rows: dict[str, list[int]]) -> list[int]:
    """Texts that may hold ``w`` (two or more characters): those writing its rarest bigram."""
    best = _NO_ROWS
    for i in range(len(w) - 1):
        r = rows.get(w[i : i + 2], _NO_ROWS)
        if i == 0 or len(r) < len(best):
            best = r
        if not best:
            break
    return best


def _content_best(words: dict[str, tuple[str, ...]], holders: _Holders, bar: float = CONTENT_HELD
                  ) -> tuple[float, float, float, int]:  # fmt: skip
    """(share of the words' weight held, weight held, total weight, sentence) for the sentence of the other
    report that holds most of ``words``' weight, among those that can hold ``bar`` of it (-1 and 0 when none
    can)."""
    found = {w: holders.get(w) for w in words}
    total = sum(weight for _, weight in found.values())
    if total <= 0:
        return 0.0, 0.0, total, -1
    # a sentence holding CONTENT_HELD of the weight holds one of the heaviest words that carry the rest (or a
    # part of one): only those sentences are scored
    candidates: set[int] = set()
    rest = 0.0
    for w in sorted(words, key=lambda x: -found[x][1]):
        candidates |= found[w][0]
        for p in words[w]:
            candidates |= holders.get(p)[0]
        rest += found[w][1]
        if rest > (1.0 - bar) * total:
            break
    if not candidates:
        return 0.0, 0.0, total, -1
    score = dict.fromkeys(candidates, 0.0)
    for w, parts in words.items():
        where, weight = found[w]
        for k in where & candidates:
            score[k] += weight
        if not parts:
            continue
        size = sum(len(p) for p in parts)
        partial: dict[int, float] = defaultdict(float)
        for p in parts:
            for k in (holders.get(p)[0] & candidates) - where:
                partial[k] += len(p) / size
        for k, share in partial.items():
            score[k] += weight * SUBWORD_CREDIT * share
    k = max(score, key=lambda x: (score[x], -x))
    return score[k] / total, score[k], total, k


_NUMERAL_WORD = re.compile(r"[〇零一二三四五六七八九十百千万亿两半点分之几多余倍]+")


def _not_figures(words: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``words`` without those written in numerals only (三百三十九, 百分之四十四): a figure, not what it counts."""
    return {w: p for w, p in words.items() if not _NUMERAL_WORD.fullmatch(w)}


def content_changes(a: Sequence[Unit], dropped: Sequence[int], b: Sequence[Unit], added: Sequence[int]
                    ) -> list[tuple[int, int, Change]]:  # fmt: skip
    """Unpaired sentences of A and B that state one quantity with another figure in other words the bigrams miss
    (可再生能源发电装机规模突破10亿千瓦 / 可再生能源装机规模由6.5亿千瓦增至12亿千瓦以上): a clause with figures of
    A whose content words (:func:`content_words`, numerals aside, weighted by rarity) one sentence of B holds —
    :data:`CHANGED_CONTENT` of their weight and at least :data:`CONTENT_FLOOR` key words —, a clause with figures
    of that sentence whose content words A's sentence holds best of all (:data:`CHANGED_CONTENT` of their weight),
    and figures of one unit replaced, the two naming no :data:`OPPOSED` sides. (A sentence of A, a sentence of B,
    the change.)"""
    ca, cb = _figure_clauses(a, dropped), _figure_clauses(b, added)
    if not ca or not cb:
        return []
    in_b = _Holders(b, a, {j for j, _ in cb})
    in_a = _Holders(a, b, {i for i, _ in ca})
    floor = CONTENT_FLOOR * in_b.key_weight
    by_b: dict[int, list[str]] = defaultdict(list)
    for j, c in cb:
        by_b[j].append(c)
    found: list[tuple[float, int, int, str, str]] = []
    backs: dict[str, tuple[float, int]] = {}  # a clause of B's best sentence of A, whatever clause of A asks

    def back_of(c_b: str) -> tuple[float, int]:
        if c_b not in backs:
            share_b, _, _, back = _content_best(_not_figures(content_words(c_b)), in_a, CHANGED_CONTENT)
            backs[c_b] = (share_b, back)
        return backs[c_b]

    for i, c_a in ca:
        share, held, _, k = _content_best(_not_figures(content_words(c_a)), in_b, CHANGED_CONTENT)
        if share < CHANGED_CONTENT or held < floor:
            continue
        best: tuple[float, str] | None = None
        for c_b in by_b[k]:
            share_b, back = back_of(c_b)
            if back != i or share_b < CHANGED_CONTENT or share + share_b < 2 * CHANGED_CONTENT_MEAN:
                continue
            if best is None or share_b > best[0]:
                best = (share_b, c_b)
        if best is not None:
            found.append((share + best[0], i, k, c_a, best[1]))
    ranked = sorted(found, key=lambda f: (-f[0], f[1], f[2]))
    return _take_changes(((i, c_a, j, c_b) for _, i, j, c_a, c_b in ranked), a, b)


def _figures_written(text: str, there: str) -> bool:
    return not _NUMERAL.search(text) or set(figures(text)) <= set(figures(there))


def _piece_said(piece: str, there: str) -> bool:
    """A piece whose content a sentence holds is said there unless that sentence names the opposed side
    (城镇居民…收入 / 农村居民…收入: :data:`OPPOSED`) or does not write its figures and numbers (4300多元 is news
    even where the figures parser reads no figure)."""
    if not _figures_written(piece, there) or opposed([piece], [there]).any():
        return False
    written = key(there)
    return all(d in written for d in _DIGITS.findall(piece))


def content_covered(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit],
                    unpaired: set[int] | None = None, reworded: set[int] | None = None) -> set[int]:  # fmt: skip
    """Of ``rows`` (unpaired sentences), those the other report says in other words: their content words
    (:func:`content_words`, weighted by rarity in the two reports, so 全民阅读 weighs and 发展 is no content)
    held in one sentence there — :data:`CONTENT_HELD` of their weight and at least :data:`CONTENT_FLOOR` key
    words —, or piece by piece: pieces (clauses, and the items of a list cut at 、) each held in a sentence there
    (:data:`PIECE_HELD` of their weight, :data:`PIECE_FLOOR` key words, their figures written there and no
    opposed side named: :func:`_piece_said`) carrying
    :data:`CLAUSE_HALF` of the weight. "深入推进全民阅读。" is said by "深化全民阅读活动。", "加强知识产权的保护和
    管理。" by "依法保护知识产权。", "加快制造业数字化转型，培育一批…服务商，加大对中小企业数字化转型的支持。" by
    "实施制造业数字化转型行动" and "深入开展中小企业数字化赋能专项行动" (one half said in other words is no news);
    a figure the sentences there do not write keeps the sentence listed (it is news) unless the pieces without it
    are said. Only the ``unpaired`` sentences of the other report (those with no counterpart of the same
    wording; None: all) can say the whole sentence: a commitment reworded leaves both of its wordings unpaired,
    while a sentence that merely repeats a topic the other report shares word for word with this one is no
    rewording. A piece can be said by any sentence of the other report but those ``reworded`` excludes (None: all
    can): the sentences it has word for word in this report too (a piece found only there is this report saying
    it twice, and the other once)."""
    if not rows or not other:
        return set()
    holders = _Holders(other, units, unpaired)
    piece_holders = _Holders(other, units, reworded)
    floor = CONTENT_FLOOR * holders.key_weight
    piece_floor = PIECE_FLOOR * piece_holders.key_weight
    out: set[int] = set()
    for i in rows:
        text = units[i].text
        # each piece cut once; the sentence's words are theirs together (a clause under CLAUSE_MIN
        # characters, 一是 or 同时, holds no content word anyway)
        pieces = [p for c in clauses(text) for p in c.split("、")]
        parts = [content_words(p) for p in pieces]
        share, held, _, k = _content_best({w: p for ws in parts for w, p in ws.items()}, holders)
        if share >= CONTENT_HELD and held >= floor and _figures_written(text, other[k].text):
            out.add(i)
            continue
        if len(parts) < 2:  # one piece: the sentence, just judged
            continue
        total = said = 0.0
        for piece, words in zip(pieces, parts, strict=True):
            share, held, weight, k = _content_best(words, piece_holders, PIECE_HELD)
            total += weight
            if share >= PIECE_HELD and held >= piece_floor and _piece_said(piece, other[k].text):
                said += weight
        if total > 0 and said >= CLAUSE_HALF * total:
            out.add(i)
    return out


@functools.lru_cache(maxsize=1024)
def _review(section: str, year: int | None) -> bool:
    return section_period(section.split(" › ") if section else [], year) == REVIEW


def is_review(unit: Unit) -> bool:
    """Whether a sentence is in the report's review of the past (its section's headings say so: 一、2023年工作回顾);
    any other sentence — the plan, or a section no heading dates — is not."""
    return _review(unit.citation.section, unit.citation.year)


_ANY = 1e-6
"""A bar of :func:`_content_best` every sentence holding a word passes (the best of all is wanted)."""


def head_candidates(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit], unpaired: set[int]
                    ) -> list[tuple[int, int]]:  # fmt: skip
    """Of ``rows`` (sentences still listed), those whose first clause — what the sentence is about — one unpaired
    sentence of the other report of the same period holds (:data:`HEAD_HELD` of its content weight — two reviews
    :data:`REVIEW_HEAD_HELD` —, at least :data:`HEAD_FLOOR` key words), each with that sentence: a commitment or
    a development restated in other words, "推进健康中国建设。" / "实施健康中国战略。", "东部地区继续率先发展，
    经济实力和整体素质显著提升。" / "西部大开发扎实推进，…东部地区率先发展取得新成绩。" The rest of such a sentence
    says more of the same thing, and a sentence half said is no news (the rule of the hand-checks). A review and
    a plan are never counterparts here (a review of what the other report planned is news), nor are sentences
    naming opposed sides (:data:`OPPOSED`), nor one stating a figure the other does not write; and the two must
    be each other's best: of ``rows`` (same period), the one holding most of that sentence's content is this one
    (a sentence naming the clause's words beside others may be about something else: 加快发展现代物流业，完善县乡
    村三级物流配送体系… is about the delivery network when the other report has a sentence on that too). A plan
    whose first clause carries less than :data:`HEAD_SHARE` of it may be a list of commitments, the first one
    restated and the others new: that sentence there must hold :data:`HEAD_WHOLE` of the whole too."""
    holders: dict[bool, tuple[_Holders, _Holders]] = {}
    found: list[tuple[int, int]] = []
    for i in rows:
        heads = clauses(units[i].text)
        if not heads:
            continue
        review = is_review(units[i])
        if review not in holders:
            holders[review] = (
                _Holders(other, units, {k for k in unpaired if is_review(other[k]) == review}),
                _Holders(units, other, {r for r in rows if is_review(units[r]) == review}),
            )
        there_h, back_h = holders[review]
        bar = REVIEW_HEAD_HELD if review else HEAD_HELD
        share, held, head, k = _content_best(content_words(heads[0]), there_h, bar)
        if k < 0 or share < bar or held < HEAD_FLOOR * there_h.key_weight:
            continue
        text, there = units[i].text, other[k].text
        if not _figures_written(text, there) or opposed([text], [there]).any():
            continue
        # each the other's best: of this report's unpaired sentences, the one holding most of that sentence
        if _content_best(content_words(there), back_h, _ANY)[3] != i:
            continue
        words = content_words(text)
        whole = sum(there_h.get(w)[1] for w in words)
        alone = review or head >= HEAD_SHARE * whole  # the first clause says what the sentence is about
        if alone or sum(there_h.get(w)[1] for w in words if w in there_h.other[k]) >= HEAD_WHOLE * whole:
            found.append((i, k))
    return found


def heads_said(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit], unpaired: set[int]) -> set[int]:
    """Of ``rows`` (sentences still listed), those said in the other report by their first clause
    (:func:`head_candidates`, against its ``unpaired`` sentences: those with no counterpart of the same wording)."""
    return {i for i, _ in head_candidates(units, rows, other, unpaired)}


def _pieces(text: str) -> list[str]:
    """The content pieces of a sentence: its clauses cut at 、, those naming a content word."""
    return [p for c in clauses(text) for p in c.split("、") if content_words(p)]


def clauses_written(units: Sequence[Unit], rows: Sequence[int], other: Sequence[Unit], usable: set[int]
                    ) -> set[int]:  # fmt: skip
    """Of ``rows`` (sentences still listed), those of two or more content pieces (:func:`_pieces`) at least
    :data:`WRITTEN_SHARE` of which are each written in a ``usable`` sentence of the other report (those that are
    no word-for-word copy of one of this report): a sentence judged clause by clause is news only when most of
    its clauses are. "加强和改进金融监管，强化银行资本充足率约束。" against "六要切实加强和改进金融监管，健全监管
    协调机制…": one of two clauses kept word for word. :func:`clause_cover` weighs clauses by their length, so a
    long new clause beside a short one written word for word left the sentence listed; here each piece counts
    once. A piece is
    written in a sentence when that sentence holds :data:`CLAUSE_HELD` of its bigrams in runs of
    :data:`CLAUSE_RUN` characters (the piece has :data:`CLAUSE_HALF_MIN` bigrams or more), writes its figures and
    names no opposed side (:func:`_piece_said`); a piece with a figure written nowhere there keeps its sentence
    listed (加快发展服务业，服务业增加值…比重提高4个百分点: the figure is news)."""
    owner: list[int] = []
    texts: list[str] = []
    for i in rows:
        pieces = _pieces(units[i].text)
        if len(pieces) >= 2:
            owner += [i] * len(pieces)
            texts += pieces
    cols = sorted(usable)
    if not texts or not cols:
        return set()
    m = _bigram_matrix(texts + [key(other[k].text) for k in cols], masked=False)
    shared = (m[: len(texts)] @ m[len(texts) :].T).tocsr()
    flat = {k: _MARKS.sub("", key(other[k].text)) for k in cols}
    total: Counter[int] = Counter(owner)
    written: Counter[int] = Counter()
    news: set[int] = set()
    for n, piece in enumerate(texts):
        i = owner[n]
        if _written(piece, shared, n, cols, flat, other):
            written[i] += 1
        elif _NUMERAL.search(piece):
            news.add(i)
    return {i for i, n in written.items() if n >= WRITTEN_SHARE * total[i] and i not in news}


def _written(piece: str, shared: csr_matrix, n: int, cols: Sequence[int], flat: dict[int, str],
             other: Sequence[Unit]) -> bool:  # fmt: skip
    """Whether ``piece`` (row ``n`` of ``shared``: its bigrams shared with the sentences ``cols`` of ``other``) is
    written in one of the :data:`CLAUSE_CANDIDATES` sentences sharing most of them (:func:`clauses_written`)."""
    size = len(piece) - 1
    if size < CLAUSE_HALF_MIN:
        return False
    lo, hi = shared.indptr[n], shared.indptr[n + 1]
    found, counts = shared.indices[lo:hi], shared.data[lo:hi]
    for x in found[np.argsort(-counts, kind="stable")[:CLAUSE_CANDIDATES]]:
        k = cols[int(x)]
        if _run_bigrams(piece, flat[k]) >= CLAUSE_HELD * size and _piece_said(piece, other[k].text):
            return True
    return False


LISTING_FEATURES: tuple[str, ...] = ("clause_mean", "piece_mean", "figure_new", "sentences", "length")
"""The evidence of :func:`listing_features`, the inputs of the listing model (:mod:`reportqa.qa.diff_model`)."""


def listing_features(items: Sequence[Unit], sentences: Sequence[int], own: Sequence[Unit], other: Sequence[Unit],
                     usable: set[int]) -> list[dict[str, float]]:  # fmt: skip
    """The evidence of each added or dropped item (a sentence, or a paragraph's sentences joined: ``sentences``
    of them) that the other report says it in other words, for :mod:`reportqa.qa.diff_model`. Only the ``usable``
    sentences of the other report are looked in — those that are no word-for-word copy of one of this report (a
    copy there says its own original here) —; rarity weights count every sentence of both reports.

    * ``clause_mean``: each clause's best overlap with one clause there — character bigrams, numbers masked,
      each weighted by its rarity (:func:`weighted_dice`) —, averaged by the clauses' lengths: the share of its
      wording said there clause by clause, in the reports' rarer words;
    * ``piece_mean``: each piece's (:func:`_pieces`: clauses, and list items cut at 、) share of content-word weight
      (:func:`content_words`, numerals aside, weighted by rarity) that one sentence there holds at best
      (:func:`_content_best`, a word's parts counting :data:`SUBWORD_CREDIT`), averaged by the pieces' weights:
      the share of its content said there piece by piece, in other words too;
    * ``figure_new``: 1 when one of its figures is written in no usable sentence there (news by the other passes'
      rule too);
    * ``sentences``, ``length``: ``log1p`` of its sentences and characters.

    (Tried on the labelled items and left out, no better leave-one-pair-out: the share of content words or
    trigrams written nowhere there, the best whole-sentence content share and bigram overlap, :func:`clause_cover`,
    the least clause or piece, the number of clauses, review or plan; bench/RESULTS-yoy2.md § Stop 36.)"""
    if not items:
        return []
    there_units = [other[k] for k in sorted(usable)]
    holders = _Holders(other, own, usable)
    written = {f for u in there_units for f in figures(u.text)}
    owner: list[int] = []
    mine: list[str] = []
    for x, u in enumerate(items):
        for c in clauses(u.text):
            owner.append(x)
            mine.append(c)
    theirs = [c for u in there_units for c in clauses(u.text)]
    best_clause = np.zeros(len(mine))
    if mine and theirs:
        best_clause = weighted_dice(mine, theirs, [u.text for u in other] + [u.text for u in own]).max(axis=1)
    said = np.zeros(len(items))
    size = np.zeros(len(items))
    np.add.at(said, owner, best_clause * np.array([len(c) for c in mine], dtype=float))
    np.add.at(size, owner, [float(len(c)) for c in mine])
    out: list[dict[str, float]] = []
    for x, u in enumerate(items):
        held = weight = 0.0
        for piece in _pieces(u.text):
            share, _, total, _ = _content_best(_not_figures(content_words(piece)), holders, _ANY)
            held += share * total
            weight += total
        out.append({
            "clause_mean": float(said[x] / size[x]) if size[x] > 0 else 0.0,
            "piece_mean": held / weight if weight > 0 else 0.0,
            "figure_new": 1.0 if set(figures(u.text)) - written else 0.0,
            "sentences": float(np.log1p(sentences[x])),
            "length": float(np.log1p(len(_MARKS.sub("", key(u.text))))),
        })  # fmt: skip
    return out


def listed_items(units: Sequence[Unit], rows: set[int], other: Sequence[Unit], usable: set[int],
                 model: ListingModel | None) -> tuple[tuple[Item, ...], tuple[Item, ...]]:  # fmt: skip
    """The items of ``rows`` (sentences still unpaired) the listing ``model`` lists, and those it judges probably
    said in the other report in other words (its evidence: :func:`listing_features`, against the ``usable``
    sentences of the other report: those that are no word-for-word copy of one of this report); all listed
    without a model."""
    counted = _counted_items(units, rows)
    if model is None:
        return tuple(i for i, _ in counted), ()
    feats = listing_features([Unit(i.text, i.citation) for i, _ in counted], [n for _, n in counted], units, other,
                             usable)  # fmt: skip
    keep: list[Item] = []
    unsure: list[Item] = []
    for (item, _), f in zip(counted, feats, strict=True):
        (keep if model.listed(f) else unsure).append(item)
    return tuple(keep), tuple(unsure)


def diff_sides(a: Side, b: Side, embed: Embed | None = None, terms: int = 30, judge: bool = True) -> Diff:
    """The diff of report ``b`` against report ``a`` (``embed`` for sides without stored vectors). With ``judge``,
    added and dropped items the shipped listing model (:mod:`reportqa.qa.diff_model`) judges probably said in the
    other report in other words are ``unsure_added`` / ``unsure_dropped``, not listed; without it every unpaired
    sentence is listed."""
    pairs = pair(a, b, embed)
    # a salutation (各位代表！) said once more or once less is no change of content, nor is the front matter
    # (title, dateline, speaker) before the first salutation
    skip_a, skip_b = _front(a.units), _front(b.units)
    dropped = {i for i in range(len(a.units)) if i not in pairs and i not in skip_a}
    added = {j for j in set(range(len(b.units))) - set(pairs.values()) if j not in skip_b}
    dropped -= covered(a.units, sorted(dropped), b.units)
    added -= covered(b.units, sorted(added), a.units)
    dropped -= clause_covered(a.units, sorted(dropped), b.units)
    added -= clause_covered(b.units, sorted(added), a.units)
    found: list[tuple[int, Change]] = []
    for i, j in pairs.items():
        c = _change(a.units[i], b.units[j])
        if c is not None:
            found.append((j, c))
    for i, j, c in clause_changes(a.units, sorted(dropped), b.units, sorted(added)):
        dropped.discard(i)
        added.discard(j)
        found.append((j, c))
    for i, j, c in content_changes(a.units, sorted(dropped), b.units, sorted(added)):
        dropped.discard(i)
        added.discard(j)
        found.append((j, c))
    # last, what is still unpaired but said in other words (after the changes, which need both sides)
    open_a = set(range(len(a.units))) - set(pairs)
    open_b = set(range(len(b.units))) - set(pairs.values())
    same_a = {i for i, j in pairs.items() if key(a.units[i].text) == key(b.units[j].text)}
    # the sentences of each side that are no word-for-word copy of one of the other: the evidence looked in
    usable_a = set(range(len(a.units))) - same_a
    usable_b = set(range(len(b.units))) - {pairs[i] for i in same_a}
    dropped -= content_covered(a.units, sorted(dropped), b.units, open_b, usable_b)
    added -= content_covered(b.units, sorted(added), a.units, open_a, usable_a)
    said_a = heads_said(a.units, sorted(dropped), b.units, open_b)
    added -= heads_said(b.units, sorted(added), a.units, open_a)
    dropped -= said_a
    # and, judged clause by clause, half written there (against the sentences not copied word for word)
    written_a = clauses_written(a.units, sorted(dropped), b.units, usable_b)
    added -= clauses_written(b.units, sorted(added), a.units, usable_a)
    dropped -= written_a
    # a quantity re-figured inside a sentence of the other report that is paired for the rest (a list of targets)
    gone, new = listed_changes(a.units, sorted(dropped), b.units, sorted(added), pairs)
    for i, j, c in gone:
        dropped.discard(i)
        found.append((j, c))
    for _, j, c in new:
        added.discard(j)
        found.append((j, c))
    changed = [c for _, c in sorted(found, key=lambda jc: jc[0])]
    model = builtin_listing() if judge else None
    listed_b, unsure_b = listed_items(b.units, added, a.units, usable_a, model)
    listed_a, unsure_a = listed_items(a.units, dropped, b.units, usable_b, model)
    return Diff(
        a=a.document,
        b=b.document,
        added=listed_b,
        dropped=listed_a,
        changed=tuple(changed),
        new_terms=new_terms([u.text for u in a.units], [(u.text, u.citation) for u in b.units], terms),
        unsure_added=unsure_b,
        unsure_dropped=unsure_a,
    )


__all__ = [
    "CHANGED_CONTENT",
    "CHANGED_CONTENT_MEAN",
    "CHANGED_MASKED",
    "CLAUSE_CANDIDATES",
    "CLAUSE_CHANGED",
    "CLAUSE_CHANGED_MIN",
    "CLAUSE_COVERED",
    "CLAUSE_HALF",
    "CLAUSE_HALF_MIN",
    "CLAUSE_HELD",
    "CLAUSE_MIN",
    "CLAUSE_RUN",
    "CONTENT_FLOOR",
    "CONTENT_HELD",
    "COVERED",
    "HEAD_FLOOR",
    "HEAD_HELD",
    "HEAD_SHARE",
    "HEAD_WHOLE",
    "LISTED_CHANGED",
    "LISTING_FEATURES",
    "MEANING_MATCH",
    "MEANING_TEXT_FLOOR",
    "MEASURE_NOUNS",
    "OPPOSED",
    "PIECE_FLOOR",
    "PIECE_HELD",
    "REVIEW_HEAD_HELD",
    "SUBWORD_CREDIT",
    "TEXT_MATCH",
    "WRITTEN_SHARE",
    "Change",
    "Diff",
    "Embed",
    "Figured",
    "Item",
    "NewTerm",
    "Side",
    "Unit",
    "change_figures",
    "clause_changes",
    "clause_cover",
    "clause_covered",
    "clauses",
    "clauses_written",
    "content_changes",
    "content_covered",
    "content_words",
    "covered",
    "dice_matrix",
    "diff_sides",
    "figure_heads",
    "figures",
    "figures_agree",
    "head_candidates",
    "heads_said",
    "is_review",
    "key",
    "listed_changes",
    "listed_items",
    "listing_features",
    "opposed",
    "pair",
    "weighted_dice",
    ]  # fmt: skip
