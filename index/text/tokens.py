"""Tokens for keyword search (the tokenizer; the BM25 index over them is :mod:`reportqa.index.storage.bm25`).

Tokens are jieba words (search mode, so long compounds also yield their parts), lower-cased Latin words,
and normalised numbers: full-width digits become ASCII, spaces inside a number+unit go away, so the
question's ``2300亿元`` and the report's ``2300 亿元`` both give the token ``2300亿元`` (plus ``2300`` and
``亿元``); a year ``2023 年`` / ``2023年`` / ``2023`` gives ``2023``. Punctuation and function words
(Chinese and English) are dropped, and question words (多少, 什么, how, which …) are dropped from questions.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .numbers import NUMBER_UNIT
from .years import is_year_token

EMPTY_TOKEN = "\x00"
"""Stands for "no token at all" so that a corpus of punctuation still gives a valid (never matching) index."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9\-']*[a-z0-9]|[a-z]")
_NUMBER_UNIT = NUMBER_UNIT  # the one number grammar (:mod:`.numbers`)
_MIXED = re.compile(r"(?<![a-z0-9.])(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]+")

CN_STOPWORDS = frozenset(
    [
        "的", "了", "和", "与", "及", "以及", "或", "或者", "并", "并且", "而", "而且", "也", "都", "又", "还",
        "就", "则", "即", "之", "其", "其中", "此", "这", "那", "这些", "那些", "该", "各", "每", "等", "等等",
        "是", "为", "为了", "在", "于", "从", "自", "向", "对", "对于", "把", "被", "将", "以", "由", "给", "让",
        "使", "得", "地", "着", "过", "上", "下", "中", "内", "外", "里", "后", "前", "时", "个", "之一", "一些",
        "有关", "我们", "你们", "他们", "它们", "我", "你", "他", "她", "它", "大家", "自己", "我区", "要", "会",
        "能", "可", "可以", "应", "应当", "已", "已经", "正", "正在", "更", "最", "很", "较", "不", "没", "没有",
        "无", "非", "着力", "进一步", "不断", "持续", "继续", "切实", "全面", "深入", "扎实", "加快", "推进",
        "加强", "积极", "努力", "大力", "坚持", "同时", "方面", "工作", "一", "一年", "年来",
    ]
)
"""Chinese function words and the most frequent report boilerplate verbs (they carry no topic)."""

GENERIC_WORDS = frozenset(
    [
        "加快", "推进", "推动", "加强", "坚持", "深化", "持续", "全面", "积极", "大力", "着力", "统筹", "不断",
        "进一步", "切实", "扎实", "稳步", "有序", "更加", "促进", "提升", "提高", "完善", "健全", "实施", "开展",
        "落实", "做好", "抓好", "支持", "鼓励", "引导", "发展", "建设", "工作", "方面", "领域", "重点", "分别",
        "主要", "表现", "深入", "强化", "建立", "构建", "继续", "努力", "认真", "充分", "发挥", "充分发挥", "作用",
        "特别", "必须", "坚决", "依法", "改善", "改进", "加大", "力度", "创新", "优化", "增强", "保持", "实现",
        "确保", "进行", "采取", "措施", "有效", "重要", "一批", "各类", "各项", "问题", "水平", "能力", "体系",
        "机制", "制度", "活动", "行动", "工程", "重大", "作为", "同时", "今年", "去年", "我们", "一是", "二是",
        "三是", "四是", "五是", "六是", "七是", "八是", "一要", "二要", "三要", "四要",
    ]
)
"""Words of a government report that say how, not what: verbs of exhortation (加快, 推进, 深化 …), their adverbs
(进一步, 切实 …) and the frame nouns every commitment hangs on (体系, 机制, 工程 …). Together with
:data:`CN_STOPWORDS` they are what is left out when two sentences are compared by content
(:mod:`reportqa.qa.diff`) or a phrase is judged new (:mod:`reportqa.qa.diff_terms`)."""

QUESTION_WORDS = frozenset(
    [
        "多少", "几", "几个", "几项", "几家", "几次", "多大", "多快", "多高", "多长", "多久", "什么", "啥", "哪",
        "哪些", "哪个", "哪里", "哪儿", "哪次", "哪年", "哪一年", "哪条", "哪项", "哪家", "谁", "怎么", "怎样",
        "如何", "是否", "吗", "呢", "么", "有没有", "是不是", "能否", "打算", "想", "准备", "具体", "情况",
        "方面", "有何", "何", "为何", "为什么", "怎么样", "达到", "多", "请问", "一下", "问",
    ]
)
"""Words that ask rather than describe: dropped from questions before keyword search."""

PERIOD_WORDS = frozenset(["今年", "去年", "明年", "本年", "上年", "当年", "全年", "年内", "有", "没有", "新"])
"""Dropped from questions too: relative years, which the retriever's period adjustment (review vs plan)
already uses — as keywords they favour any short passage that says 今年 — and 有/没有/新, which a question
adds to almost any topic ("有什么新举措")."""

EN_STOPWORDS = frozenset(
    [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "as", "into",
        "over", "under", "between", "and", "or", "but", "not", "no", "nor", "so", "than", "then", "is", "are",
        "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "have", "has", "had", "having",
        "will", "would", "shall", "should", "can", "could", "may", "might", "must", "it", "its", "this", "that",
        "these", "those", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why",
        "how", "much", "many", "much", "per", "year", "years", "last", "this", "next", "i", "we", "you", "he",
        "she", "they", "them", "our", "your", "their", "his", "her", "me", "us", "my", "government", "report",
        "total", "number",
    ]
)
"""English function and question words; also the words any English question about a government report
uses (they do not distinguish passages of a Chinese report). Place names are never stop words: English and
pinyin region names map to the Chinese names the reports use (:mod:`.regions`, ``qa.glossary``)."""

_jieba_lock = threading.Lock()
_jieba_ready = False


def init_jieba() -> None:
    """Load jieba's dictionary once per process, quietly (call at engine/build start).

    jieba's own cache (a marshal dump in the temp folder) takes ≈ 0.8 s to load on the reference machine,
    most of a ``reportqa ask`` process's start. The same prefix dictionary saved as a word list and a numpy
    array of frequencies loads in ≈ 0.25 s, so that copy is kept in the user's cache folder
    (:func:`jieba_cache_dir`) and used when it matches the installed jieba; anything wrong with it falls
    back to jieba's own loading.
    """
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if not _load_jieba_cache(jieba):
            jieba.initialize()
            _save_jieba_cache(jieba)
        _jieba_ready = True


def jieba_cache_dir() -> Path:
    """``$REPORTQA_CACHE_DIR``, else ``$XDG_CACHE_HOME/reportqa``, else ``~/.cache/reportqa``."""
    if os.environ.get("REPORTQA_CACHE_DIR"):
        return Path(os.environ["REPORTQA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportqa"


def _jieba_cache_paths(jieba: Any) -> tuple[Path, Path] | None:
    try:
        st = os.stat(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
    except OSError:
        return None
    key = f"jieba-v2-{getattr(jieba, '__version__', 'x')}-{st.st_size}-{st.st_mtime_ns}"
    d = jieba_cache_dir()
    return d / f"{key}.words.txt", d / f"{key}.freq.npy"


def _load_jieba_cache(jieba: Any) -> bool:
    paths = _jieba_cache_paths(jieba)
    if paths is None or jieba.dt.initialized:
        return bool(jieba.dt.initialized)
    try:
        words = paths[0].read_text(encoding="utf-8").split("\n")
        freqs = np.load(paths[1], allow_pickle=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    if freqs.ndim != 1 or len(words) + 1 != len(freqs) or not len(words):
        return False
    with jieba.dt.lock:
        jieba.dt.FREQ = dict(zip(words, freqs[:-1].tolist(), strict=True))
        jieba.dt.total = int(freqs[-1])  # jieba's total (duplicate dictionary lines count twice)
        jieba.dt.initialized = True
    return True


def _save_jieba_cache(jieba: Any) -> None:
    paths = _jieba_cache_paths(jieba)
    freq: dict[str, int] = jieba.dt.FREQ
    if paths is None or any("\n" in w for w in freq):
        return
    words_path, freq_path = paths
    tag = f".tmp-{os.getpid()}-{threading.get_ident()}"
    try:
        words_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_words = words_path.with_name(words_path.name + tag)
        tmp_freq = freq_path.with_name(freq_path.name + tag + ".npy")
        tmp_words.write_text("\n".join(freq), encoding="utf-8")
        values = np.fromiter([*freq.values(), int(jieba.dt.total)], dtype=np.int64, count=len(freq) + 1)
        np.save(tmp_freq, values, allow_pickle=False)
        os.replace(tmp_freq, freq_path)  # the frequencies first: a reader needs both, and checks their lengths
        os.replace(tmp_words, words_path)
    except OSError:  # a read-only home or a full disk only costs speed
        for t in (words_path.with_name(words_path.name + tag), freq_path.with_name(freq_path.name + tag + ".npy")):
            with contextlib.suppress(OSError):
                t.unlink()


def normalize(text: str) -> str:
    """NFKC (full-width digits, letters and % to ASCII), lower case, no spaces inside number+unit or year."""
    t = unicodedata.normalize("NFKC", text).lower()
    # "2300 亿元" → "2300亿元", "2024 年 1 月" → "2024年1月"; "超 2300" keeps its space (harmless)
    t = re.sub(r"(\d)\s+(?=[\u4e00-\u9fff%‰])", r"\1", t)
    t = re.sub(r"(\d)\s+(?=\.\d)", r"\1", t)
    return t


def _number_tokens(num: str, unit: str | None) -> list[str]:
    if unit in (None, "") and is_year_token(num):
        return [num]
    if unit == "年" and is_year_token(num):
        return [num]
    if not unit:
        return [num]
    toks = [num + unit] + ([unit] if unit not in ("%", "‰") else [])
    if len(num) >= 2 or "." in num:
        toks.append(num)
    return toks


def number_mentions(text: str) -> list[tuple[str, str]]:
    """Each number of ``text`` (after :func:`normalize`) with the unit or 万/亿 multiplier right after it, or "":
    ``"投资 2300 亿元，增长 8%"`` → ``[("2300", "亿元"), ("8", "%")]`` (used to check a written answer's figures)."""
    return [(m.group(1), m.group(2) or "") for m in _NUMBER_UNIT.finditer(normalize(text))]


GLUE = "要的了是将在把上作"
"""Function characters the segmenter glues to a neighbour it does not know (建成率要达到 → 率要, 会议上作的 → 上作)."""


def in_dictionary(word: str) -> bool:
    """jieba's dictionary holds ``word``."""
    init_jieba()
    import jieba

    return jieba.dt.FREQ.get(word, 0) > 0


@functools.lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    init_jieba()
    import jieba.posseg

    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab  # read from jieba's dictionary on first import (≈ 0.3 s)
    return tags


def word_class(word: str) -> str | None:
    """The part of speech jieba's general dictionary gives ``word`` (``n`` noun, ``vn`` verbal noun, ``v`` verb,
    ``r`` pronoun, ``s`` place word, ``d`` adverb…), None when the dictionary does not know it."""
    return _word_tags().get(word)


SPEECH_CLASSES = frozenset("vrsfdatilmqcpuyz")
"""First letters of jieba's parts of speech that say how a thing is asked about, not what it is: verbs (v; not
the verbal nouns vn that name activities, 消费), pronouns (r: 每人), place and direction words (s, f: 手里, 城里),
adverbs (d), adjectives (a; not an), time words (t), idioms and set phrases (i, l: 头一回), numerals and measure
words (m, q), conjunctions, prepositions, particles (c, p, u, y) and status words (z)."""


def names_thing(word: str) -> bool | None:
    """``word`` names a thing (a noun, a verbal noun: 物业, 消费) — False for a word of
    :data:`SPEECH_CLASSES` (请来, 每人, 手里, 最少), and for a word the general dictionary does not know that ends in
    such a character (钱涨, 再多建, 新盖: characters of everyday speech the segmenter glued together — a Chinese
    name of a thing ends in its noun, 电竞, 研学, 预制菜); None for another unknown word."""
    tag = word_class(word)
    if tag is None:
        last = word_class(word[-1:]) if len(word) > 1 else None
        return False if last is not None and _speech(last) else None
    return not _speech(tag)


def _speech(tag: str) -> bool:
    return tag[0] in SPEECH_CLASSES and tag not in ("vn", "an")


def unglued(word: str) -> str:
    """``word`` without the function characters (:data:`GLUE`) the segmenter glued to its ends, when the dictionary
    does not know it (率要 → 率); a word it knows, or one with nothing glued (电竞), as it is."""
    if len(word) < 2 or in_dictionary(word):
        return word
    return word.strip(GLUE)


def tokenize(text: str, *, question: bool = False) -> list[str]:
    """Keyword tokens of ``text`` (see the module docstring); ``question`` also drops question words."""
    init_jieba()
    import jieba

    t = normalize(text)
    out: list[str] = []
    # letter+digit codes (g318, 5g) are one token
    out.extend(_MIXED.findall(t))
    t = _MIXED.sub(" ", t)
    # numbers first (with their unit), replaced by spaces so jieba does not cut them differently
    pieces: list[str] = []
    last = 0
    for m in _NUMBER_UNIT.finditer(t):
        num, unit = m.group(1), m.group(2)
        # a year followed by 年 is a year (2023年), whatever the units say
        if t[m.end() : m.end() + 1] == "年" and is_year_token(num) and not unit:
            out.append(num)
            pieces.append(t[last : m.start()])
            last = m.end() + 1
            continue
        out.extend(_number_tokens(num, unit))
        pieces.append(t[last : m.start()])
        last = m.end()
    pieces.append(t[last:])
    rest = " ".join(pieces)
    for piece in re.split(r"[^\u3400-\u4dbf\u4e00-\u9fffa-z0-9\-']+", rest):
        if not piece:
            continue
        if _CJK.search(piece):
            for w in jieba.cut_for_search(piece):
                w = w.strip()
                if not w or w in CN_STOPWORDS or (question and (w in QUESTION_WORDS or w in PERIOD_WORDS)):
                    continue
                if _CJK.search(w):
                    out.append(w)
                else:
                    out.extend(x for x in _LATIN_WORD.findall(w) if x not in EN_STOPWORDS)
        else:
            for w in _LATIN_WORD.findall(piece):
                if w not in EN_STOPWORDS:
                    out.append(_stem(w))
            out.extend(re.findall(r"(?<![a-z])\d+(?:\.\d+)?", piece))
    return out


def words(text: str) -> list[str]:
    """The Chinese words of ``text`` as jieba cuts them in its precise mode (no overlapping pieces: 增加值, not
    增加 + 加值), without function words; what a phrase names, word by word (:mod:`reportqa.qa.support`)."""
    init_jieba()
    import jieba

    out = []
    for piece in re.split(r"[^\u3400-\u4dbf\u4e00-\u9fff]+", normalize(text)):
        if piece:
            out += [w for w in jieba.cut(piece) if w.strip() and w not in CN_STOPWORDS]
    return out


def _stem(w: str) -> str:
    """A very light English stemmer (plural -s), enough to match 'points'/'point'."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def cjk_ratio(text: str) -> float:
    """Share of letters that are CJK characters (0 for an English question)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK.match(c)) / len(letters)


def is_latin_query(text: str) -> bool:
    """True for a question written (mostly) in English or another Latin-script language."""
    return cjk_ratio(text) < 0.2


def latin_or_digit(tokens: Iterable[str]) -> list[str]:
    """The tokens without Chinese characters (what an English question can match in a Chinese text)."""
    return [t for t in tokens if not _CJK.search(t)]
