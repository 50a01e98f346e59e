"""Page furniture: the parts of a scraped or transcribed page that are not the author's text.

Web scrapes and wiki transcriptions of a report carry page controls (下载 / 打印 / 【字号：加大 还原 减小】),
site navigation (当前位置：首页 > …), page metadata (来源：…, 发表时间：…, a bare timestamp), photo captions
(…作政府工作报告。本报记者 … 摄), repeated title blocks, and trailing footers (相关报道：, 责任编辑：,
扫一扫在手机打开当前页, 关闭窗口, links to related articles, a licence notice such as Wikisource's
"本作品…属于公有领域" / "Public domain").

They are recognised by general signals, never by a document's line numbers:

* **vocabulary** — the one table :data:`VOCABULARY` of what furniture says, each entry with the region of
  the page where it may stand (anywhere, before the body, after the body);
* **position** — the *front* is everything before the body opens (the salutation 各位代表 …, or the first
  numbered heading); the *tail* starts at the first footer entry after which nothing but furniture-like
  lines follow (vocabulary, repeats of earlier text, lines that are not sentences);
* **structure** — the values of split ``label：`` / ``value`` metadata pairs, the items of a breadcrumb
  after ``>``, the short words inside a bracketed control run ``【字体：`` … ``】``, a front line repeating an
  earlier one.

Front matter proper (title, dateline, speaker) is never furniture. Furniture is reported as
:class:`Furniture` records so that no source line is silently lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .layout import ends_sentence
from .notes import is_appendix_heading, note_label

__all__ = [
    "CAPTION",
    "CONTROL",
    "FOOTER",
    "LICENCE",
    "METADATA",
    "NAVIGATION",
    "RELATED",
    "REPEATED",
    "VOCABULARY",
    "Furniture",
    "classify_furniture",
    "furniture_reason",
    "is_salutation",
]

CONTROL = "page control"
NAVIGATION = "site navigation"
METADATA = "page metadata"
CAPTION = "photo caption"
RELATED = "related links"
FOOTER = "page footer"
LICENCE = "licence notice"
REPEATED = "repeated text"

ANYWHERE = "anywhere"
FRONT = "front"
TAIL = "tail"


@dataclass(frozen=True)
class Furniture:
    """Source lines recognised as page furniture and kept out of the paragraphs."""

    lines: tuple[int, int]
    """1-based, inclusive range of physical source lines."""
    text: str
    """The cleaned text of those lines (as a paragraph would have had it)."""
    reason: str
    """Why it is furniture: one of :data:`CONTROL`, :data:`NAVIGATION`, :data:`METADATA`, :data:`CAPTION`,
    :data:`RELATED`, :data:`FOOTER`, :data:`LICENCE`, :data:`REPEATED`."""

    def to_json(self) -> dict[str, object]:
        """The ``reportqa paragraphs --furniture --json`` object."""
        return {"lines": [self.lines[0], self.lines[1]], "text": self.text, "reason": self.reason}


_CONTROL_WORDS = (
    r"下载|打印|打印本页|打印此页|打印文章|全屏|收藏|收藏本页|加入收藏|关闭|关闭窗口|关闭本页|分享|分享到|"
    r"分享到微信|分享到微博|微信|微博|返回|返回顶部|返回首页|回到顶部|纠错|我要纠错|字号|字体|加大|还原|减小|"
    r"扫一扫在手机打开当前页|扫一扫|手机扫一扫|用手机扫描二维码|在手机上打开|【|】|\||｜|×"
)

VOCABULARY: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    # (reason, where it may stand, what it says)
    (CONTROL, ANYWHERE, re.compile(rf"^[【\[]?\s*(?:{_CONTROL_WORDS})\s*[:：]?\s*[】\]]?$")),
    (CONTROL, ANYWHERE, re.compile(r"^[【\[]\s*(?:字号|字体)\s*[:：].{0,12}[】\]]?$")),
    (CONTROL, TAIL, re.compile(r"^[》>]{2}.{1,20}[《<]{2}$")),
    (NAVIGATION, FRONT, re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|现在位置)\s*[:：].{0,60}$")),
    (NAVIGATION, FRONT, re.compile(r"^(?:首页|主页|网站首页)$")),
    (NAVIGATION, FRONT, re.compile(r"^(?:[>›»/]|>>|＞)$")),
    (NAVIGATION, FRONT, re.compile(r"^(?:首页|主页)\s*[>›»＞].{0,60}$")),
    (
        METADATA,
        FRONT,
        re.compile(
            r"^(?:来源|稿源|信息来源|文章来源|发表时间|发布时间|发布日期|更新时间|时间|日期|阅读量|阅读次数|"
            r"浏览次数|浏览量|点击数|点击量|作者|编辑|责任编辑|索引号|文号|发文机关|主题分类)\s*[:：].{0,30}$"
        ),
    ),
    (
        METADATA,
        ANYWHERE,
        re.compile(
            r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*"
            r"(?:\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?(?:\s*[:：]\s*\d{1,2}\s*秒?)?)$"
        ),
    ),
    (METADATA, ANYWHERE, re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")),
    (CAPTION, FRONT, re.compile(r"(?:记者|通讯员|摄影|供图|图[／/:：]).{0,20}$")),
    (CAPTION, FRONT, re.compile(r"\S\s*摄$")),
    (CAPTION, FRONT, re.compile(r"^[^——（(]{1,40}作(?:政府)?工作报告[。.]?$")),
    (
        RELATED,
        TAIL,
        re.compile(
            r"^(?:相关报道|相关文档|相关附件|相关链接|相关新闻|相关阅读|相关稿件|延伸阅读|推荐阅读|热点推荐|"
            r"更多阅读|猜你喜欢)\s*[:：>》]*$"
        ),
    ),
    (RELATED, TAIL, re.compile(r"^[0-9a-f]{16,}\s*[:：]?$")),
    (FOOTER, TAIL, re.compile(r"^(?:责任编辑|编辑|校对|审核|审校|监制|值班编辑|主办|承办|网站标识码)\s*[:：].{0,30}$")),
    (FOOTER, TAIL, re.compile(r"^[（(]\s*(?:来源|稿源|编辑|责任编辑)\s*[:：].{0,30}[)）]$")),
    (FOOTER, TAIL, re.compile(r"(?:ICP备|公网安备|版权所有|Copyright|©)", re.IGNORECASE)),
    (LICENCE, TAIL, re.compile(r"公有领域|Public domain|维基文库|Wikisource|Creative Commons|著作权法", re.I)),
    (LICENCE, TAIL, re.compile(r"^(?:false|true)$")),
)
"""The one table of furniture vocabulary: ``(reason, region, pattern)``; region is ``anywhere``, ``front``
(before the body opens) or ``tail`` (after the body ends). Patterns match a whole stripped paragraph."""

_SALUTATION = re.compile(r"^(?:各位代表|代表们|同志们|各位委员|委员们)\s*[:：！!，,、]")
_LABEL = re.compile(r"^[^\s:：]{1,8}\s*[:：]$")
_BRACKET_OPEN = re.compile(r"^[【\[][^】\]]{0,8}$")
_SHORT_WORD = 4
_SEPARATORS = (">", "›", "»", ">>", "＞", "/")
_LINK_TITLE = 60


def is_salutation(text: str) -> bool:
    """The opening (or a closing) address to the congress: 各位代表：/ 各位代表！/ 同志们 …"""
    return bool(_SALUTATION.match(text))


def furniture_reason(text: str, region: str) -> str | None:
    """The reason ``text`` (one stripped paragraph) is furniture in ``region`` (front / tail / anywhere), by
    vocabulary alone; None when the vocabulary does not say."""
    for reason, where, pat in VOCABULARY:
        if (where in (ANYWHERE, region)) and pat.search(text):
            return reason
    return None


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_value(text: str, previous: str) -> bool:
    """``text`` is the value standing under a ``label：`` line (来源： / 四川日报, 责任编辑： / 李莎莎)."""
    return bool(_LABEL.match(previous)) and len(text) <= 30 and not ends_sentence(text)


def body_start(texts: Sequence[str], headings: Sequence[bool]) -> int:
    """Index of the first body paragraph: the salutation before the first numbered heading (or in the first
    two thirds of a document without one), else the first numbered heading, else 0."""
    first_heading = next((i for i, h in enumerate(headings) if h), None)
    limit = first_heading if first_heading is not None else max(1, len(texts) * 2 // 3)
    for i, t in enumerate(texts[:limit]):
        if is_salutation(t):
            return i
    return first_heading if first_heading is not None and first_heading * 2 <= len(texts) else 0


def _front(texts: Sequence[str], end: int) -> dict[int, str]:
    out: dict[int, str] = {}
    seen: dict[str, str | None] = {}
    i = 0
    while i < end:
        t = texts[i]
        reason = furniture_reason(t, FRONT)
        if (reason in (None, CONTROL) and _BRACKET_OPEN.match(t)) or t.startswith(("【字", "[字")):
            # a bracketed control run: 【字体： 大 中 小 】
            j = i
            while j + 1 < end and j - i < 8 and not texts[j].endswith(("】", "]")):
                if len(texts[j + 1]) > _SHORT_WORD:
                    break
                j += 1
            if texts[j].endswith(("】", "]")):
                for k in range(i, j + 1):
                    out[k] = CONTROL
                    seen.setdefault(_norm(texts[k]), CONTROL)
                i = j + 1
                continue
        key = _norm(t)
        prev = out.get(i - 1)
        if reason is None and key in seen and (seen[key] or not ends_sentence(t)):
            # a repeated title line; a repeated sentence (ending in 。) is the author's own paragraph
            reason = seen[key] or REPEATED
        if reason is None and prev == NAVIGATION and texts[i - 1] in _SEPARATORS:
            reason = NAVIGATION  # the breadcrumb item after a separator
        if reason is None and prev == NAVIGATION and i + 1 < end and texts[i + 1] in _SEPARATORS:
            reason = NAVIGATION
        if reason is None and prev == METADATA and _is_value(t, texts[i - 1]):
            reason = METADATA  # the value of a split ``来源：`` / ``四川日报`` pair
        if reason is not None:
            out[i] = reason
        seen.setdefault(key, reason)
        i += 1
    return out


def _cut_off_words(text: str) -> bool:
    """A short piece that is neither a sentence nor an appendix heading or note (``本作品是…的`` / ``法律``)."""
    if ends_sentence(text) or len(text) > _LINK_TITLE:
        return False
    return not (is_appendix_heading(text) or note_label(text) is not None)


def _tail_start(texts: Sequence[str], start: int, earlier: str) -> int | None:
    """Index where the trailing footer starts (None when there is none)."""
    n = len(texts)
    ok_after = [False] * (n + 1)
    ok_after[n] = True
    for i in range(n - 1, start - 1, -1):
        t = texts[i]
        furn = furniture_reason(t, TAIL) is not None or (len(_norm(t)) >= 4 and _norm(t) in earlier)
        furn = furn or (not ends_sentence(t) and len(t) <= _LINK_TITLE) or len(_norm(t)) <= _SHORT_WORD
        ok_after[i] = ok_after[i + 1] and furn
    for i in range(max(start, n // 2), n):
        if ok_after[i] and furniture_reason(texts[i], TAIL) in (RELATED, FOOTER, LICENCE, CONTROL):
            # the footer's first words may stand cut off before its first keyword (本作品是… / 法律 / 、)
            while i - 1 > start and _cut_off_words(texts[i - 1]):
                i -= 1
            return i
    return None


def classify_furniture(texts: Sequence[str], headings: Sequence[bool]) -> dict[int, str]:
    """``{index: reason}`` for the paragraphs (candidate texts, in order) that are furniture.

    ``headings`` says which candidates look like numbered headings (used to find where the body opens).
    """
    start = body_start(texts, headings)
    out = _front(texts, start)
    body_text = "".join(_norm(t) for i, t in enumerate(texts) if i not in out)
    tail = _tail_start(texts, start, body_text)
    for i in range(start, len(texts)):
        t = texts[i]
        if tail is not None and i >= tail:
            reason = furniture_reason(t, TAIL)
            if reason is None and i > tail and _is_value(t, texts[i - 1]):
                reason = out[i - 1]
            if reason is None:
                before = "".join(_norm(x) for x in texts[:tail])
                reason = REPEATED if len(_norm(t)) >= 4 and _norm(t) in before else RELATED
            out[i] = reason
            continue
        reason = furniture_reason(t, ANYWHERE)
        if reason is not None:
            out[i] = reason
    return out
