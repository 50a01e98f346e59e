"""What a document is, read from the document itself: title, region, report year, date delivered, speaker.

Government work reports open with a front matter block before the salutation (``各位代表：``)::

    2026年安徽省政府工作报告                                   ← title line (year, region optional)
    ——2026年2月5日在安徽省第十四届人民代表大会第四次会议上       ← dateline (date delivered, region)
    省人民政府省长 王清宪                                       ← speaker line (office, name)
    各位代表：

Rules (in order; the first that gives a value wins):

* **title**: a front-matter line ``[年份年][地名][年份年][人民]政府工作报告[（摘要）]`` (a line split in two, as
  ``政府工作报`` / ``告``, is joined). A bare ``政府工作报告`` is completed from the year and region found.
* **region**: the title line, the dateline (``在西藏自治区第十二届…``, ``在第十四届全国人民代表大会…``), the
  speaker's office (``北京市市长``, ``国务院总理``), the opening's self-reference (``我代表国务院``,
  ``我代表海南省人民政府``), the region the text names most (at least 3 mentions and twice the next), the file
  name in pinyin or English (``xizang-2026.txt``, ``national-1979.txt``). Cities: ``<名>市`` in the title,
  dateline or office. Region names come from :mod:`.regions`.
* **year**: the dateline, the title, the file name, the first ``YYYY年M月`` of the front matter, the years
  and words of the headings (:func:`.sections.year_from_headings`: ``2024年工作回顾`` → 2025).
* **date**: the dateline (Arabic or Chinese numerals: ``一九七九年六月十八日``), ISO ``YYYY-MM-DD``.
* **speaker**: ``<office> <name>`` from a speaker line (``国务院总理 李强``; office and name may be on two
  lines), a caption (``省长赵刚作政府工作报告``), or a bare name line just before the salutation.

The user can override any field (:mod:`.metaoverride`); :attr:`DocMeta.how` says where each value came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportqa.index.records import Document, Paragraph, SourceText
from reportqa.index.text.places import county_in
from reportqa.index.text.regions import NATION, NATIONAL, Region, city_in, find_regions, region_mentions
from reportqa.index.text.years import YEAR_PATTERN, explicit_years, find_dates, year_of_first_month

from .sections import year_from_headings
from .sentences import Sentence

FRONT_MATTER_LINES = 60
"""At most this many non-empty lines are read as front matter when no salutation ends it sooner."""
FRONT_MATTER_MAX_CHARS = 80
"""A longer line is body text: the front matter ends before it."""

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
SALUTATION = re.compile(r"^各位代表|^各位委员|^同志们")
"""The opening address that ends a report's front matter (matched at a stripped line's start)."""
_CN_YEAR4 = "[〇○零一二三四五六七八九]{4}"
_TITLE = re.compile(
    rf"^(?:(?:{YEAR_PATTERN}|{_CN_YEAR4})\s*年)?(?P<pre>[\u4e00-\u9fff]{{0,16}}?)"
    rf"(?:(?:{YEAR_PATTERN}|{_CN_YEAR4})\s*年)?(?:人民)?政府工作[报報]告(?:[（(]摘要[)）])?$"
)
_TITLE_PREFIX_END = (
    "省", "市", "自治区", "特别行政区", "国务院", "國務院", "中华人民共和国", "州", "县", "区", "盟", "旗",
)  # fmt: skip
_OFFICE = r"[\u4e00-\u9fff]{0,14}?(?:总理|總理|省长|省長|市长|市長|主席|州长|县长|区长|盟长|旗长|行政长官)"
_NAME = r"[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}|[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,12})+"
_SPEAKER_LINE = re.compile(rf"^(?P<office>{_OFFICE})[ \u3000]*(?P<name>{_NAME})$")
_OFFICE_LINE = re.compile(rf"^(?P<office>{_OFFICE})$")
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME})$")
_CAPTION = re.compile(r"(?P<office>总理|省长|市长|主席)(?P<name>[\u4e00-\u9fff]{2,3}?)(?:代表|作|在)")
# The opening paragraph after the salutation says who reports to whom: the State Council (or the Central
# People's Government of 1954) to the National People's Congress, or a region's government to its congress.
_SELF_NATIONAL = re.compile(r"国务院|國務院|中央人民政府|全国人民代表大会|全國人民代表大會")
_SELF_REGION = re.compile(r"代表([\u4e00-\u9fff]{2,10}?)人民政府")
_SALUTATION_IN_TEXT = re.compile(r"^[ \u3000\u200b\ufeff]*(?:各位代表|各位委员)[^\n]*\n?", re.M)
_FILE_SPLIT = re.compile(r"[\s_\-.]+")


@dataclass(frozen=True)
class DocMeta:
    """A document's description as read (see the module docstring for the rules)."""

    title: str
    region: Region | None
    year: int | None
    date: str | None
    speaker: str | None
    how: dict[str, str] = field(default_factory=dict, compare=False)
    """Where each found value came from (``{"region": "dateline", "year": "file name", …}``)."""
    title_line: str | None = None
    """The title as the document writes it, when it has one."""
    overridden: tuple[str, ...] = ()


def _clean(line: str) -> str:
    return _INVISIBLE.sub("", line).strip().strip("\u3000").strip()


def front_matter(text: str) -> list[str]:
    """The non-empty lines before the salutation (``各位代表：``) or the first body-length line, at most
    :data:`FRONT_MATTER_LINES`."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = _clean(raw)
        if not line:
            continue
        if SALUTATION.match(line) or len(line) > FRONT_MATTER_MAX_CHARS:
            break
        out.append(line)
        if len(out) >= FRONT_MATTER_LINES:
            break
    return out


def opening_paragraph(text: str) -> str:
    """The first paragraph after the salutation (``现在，我代表国务院，向大会报告政府工作…``, at most 300
    characters), or ""."""
    m = _SALUTATION_IN_TEXT.search(text[:20000])
    if not m:
        return ""
    rest = text[m.end() : m.end() + 600].lstrip(" \u3000\n\u200b\u200d")
    return rest.split("\n", 1)[0][:300]


def _joined_pairs(lines: Sequence[str]) -> list[str]:
    """Each line, and each short line joined with the next (a title or dateline broken over two lines)."""
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 < len(lines) and len(line) <= 24 and "政府工作" not in lines[i + 1]:
            out.append(line + lines[i + 1])
    return out


def find_title(lines: Sequence[str]) -> str | None:
    """The title line (``2026年安徽省政府工作报告``, ``政府工作报告``); the most specific one wins."""
    best: tuple[int, str] | None = None
    for cand in _joined_pairs(lines):
        s = re.sub(r"[ \u3000]+", "", cand)
        m = _TITLE.match(s)
        if not m:
            continue
        pre = m.group("pre")
        if pre and not pre.endswith(_TITLE_PREFIX_END):
            continue  # "王正谱作政府工作报告" is a caption, not a title
        score = 2 * bool(explicit_years(s)) + bool(pre)
        if best is None or score > best[0]:
            best = (score, s)
    return best[1] if best else None


@dataclass(frozen=True)
class _Dateline:
    iso: str
    year: int
    rest: str
    index: int


def find_dateline(lines: Sequence[str]) -> _Dateline | None:
    """The first front-matter date directly followed by 在 (``2026年1月31日在…会议上``)."""
    for i, line in enumerate(lines):
        joined = line + (lines[i + 1] if i + 1 < len(lines) else "")
        for d in find_dates(joined):
            if d.start >= len(line):
                break
            rest = joined[d.end :].lstrip()
            if rest.startswith("在"):
                return _Dateline(d.iso, d.year, rest[1:], i)
    return None


def find_speaker(lines: Sequence[str], after: int = -1) -> tuple[str, str] | None:
    """``(office, name)`` or ``("", name)`` from the front matter; ``after`` is the dateline's line index."""
    for i, line in enumerate(lines):
        m = _SPEAKER_LINE.match(line)
        if m:
            return m.group("office"), _squash(m.group("name"))
        m2 = _OFFICE_LINE.match(line)
        if m2 and i + 1 < len(lines):
            n = _NAME_LINE.match(lines[i + 1])
            if n:
                return m2.group("office"), _squash(n.group("name"))
    for line in lines:
        m3 = _CAPTION.search(line)
        if m3:
            return m3.group("office"), m3.group("name")
    # a bare name on its own line just before the salutation, after the dateline
    if after >= 0:
        for line in lines[max(after + 1, len(lines) - 2) :]:
            n = _NAME_LINE.match(line)
            if n and " " not in line and "\u3000" not in line:
                return "", _squash(n.group("name"))
    return None


def _squash(name: str) -> str:
    return re.sub(r"[ \u3000]+", "", name)


def _region_of(text: str) -> Region | None:
    """The first province-level or national region named in ``text``, else a ``<名>市`` city, else a county,
    district or banner (:func:`.places.county_in`)."""
    found = find_regions(text)
    if found:
        return found[0]
    return city_in(text) or county_in(text)


def _dominant_region(text: str) -> Region | None:
    """The region a report names far more than any other: at least 3 times, twice the runner-up, and at
    least half as often as the national level (a national report names 香港 or 西藏 often, 全国 far more)."""
    mentions = region_mentions(text)
    national = sum(1 for m in mentions if m.region.level == NATIONAL)
    ranked = Counter(m.region for m in mentions if m.region.level != NATIONAL).most_common(2)
    if not ranked or ranked[0][1] < 3 or ranked[0][1] < national / 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _from_file_name(name: str) -> tuple[Region | None, int | None]:
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    words = " ".join(w for w in _FILE_SPLIT.split(stem) if w)
    regions = find_regions(words)
    years = explicit_years(words)
    return (regions[0] if regions else None), (years[0] if years else None)


def read_meta(name: str, text: str, paragraphs: Sequence[Paragraph] = ()) -> DocMeta:
    """Read a document's description from its text (``name``: its display / file name, the last resort)."""
    lines = front_matter(text)
    how: dict[str, str] = {}
    title_line = find_title(lines)
    dateline = find_dateline(lines)
    speaker = find_speaker(lines, dateline.index if dateline else -1)
    file_region, file_year = _from_file_name(name)

    region: Region | None = None
    candidates: list[tuple[str, Region | None]] = [
        ("title", _region_of(title_line) if title_line else None),
        ("dateline", _region_of(dateline.rest[:40]) if dateline else None),
        ("speaker", _region_of(speaker[0]) if speaker and speaker[0] else None),
    ]
    for source, r in candidates:
        if r is not None:
            region, how["region"] = r, source
            break
    if region is None:
        opening = opening_paragraph(text)
        m = _SELF_REGION.search(opening)
        self_region = _region_of(m.group(1)) if m else None
        if self_region is None and _SELF_NATIONAL.search(opening):
            self_region = NATION
        for source, r in (("opening", self_region), ("text", _dominant_region(text)), ("file name", file_region)):
            if r is not None:
                region, how["region"] = r, source
                break

    year: int | None = None
    title_years = explicit_years(title_line) if title_line else []
    for source, y in (
        ("dateline", dateline.year if dateline else None),
        ("title", title_years[0] if title_years else None),
        ("file name", file_year),
        ("front matter", year_of_first_month("\n".join(lines))),
        ("headings", year_from_headings(paragraphs) if paragraphs else None),
    ):
        if y is not None:
            year, how["year"] = y, source
            break

    date = dateline.iso if dateline else None
    if date:
        how["date"] = "dateline"
    speaker_text = None
    if speaker:
        office, person = speaker
        speaker_text = f"{office} {person}" if office else person
        how["speaker"] = "speaker line"

    title = title_line or ""
    if title_line:
        how["title"] = "title line"
    if not title or not explicit_years(title) or _region_of(title) is None:
        # a bare 政府工作报告 (the region and year are on the cover) is completed from what was found
        composed = compose_title(region, year)
        if len(composed) > len(title):
            title, how["title"] = composed, ("composed" if not title_line else "title line + composed")
    return DocMeta(title or name, region, year, date, speaker_text, how, title_line)


def compose_title(region: Region | None, year: int | None) -> str:
    """``2026年广东省政府工作报告``; national: ``2025年国务院政府工作报告``; "" when neither is known."""
    if region is None and year is None:
        return ""
    who = "" if region is None else ("国务院" if region.level == NATIONAL else region.name)
    return f"{year}年{who}政府工作报告" if year is not None else f"{who}政府工作报告"



def make_document(
    id: int,
    source: SourceText,
    meta: DocMeta,
    *,
    bytes: int,
    mtime_ns: int,
    paragraphs: int,
    chunks: int,
    first_chunk: int,
) -> Document:
    """The one place a :class:`~.records.Document` is made from a read source and its description (sentence
    ranges are added by :func:`assign_sentences` once the sentences are numbered)."""
    r = meta.region
    return Document(
        id=id, name=source.name, title=meta.title,
        region=r.name if r else "", region_short=r.short if r else "", level=r.level if r else "",
        year=meta.year, date=meta.date, speaker=meta.speaker,
        path=source.path, sha256=source.sha256, bytes=bytes, mtime_ns=mtime_ns,
        encoding=source.encoding, format=source.format,
        paragraphs=paragraphs, chunks=chunks, first_chunk=first_chunk, overridden=meta.overridden,
    )  # fmt: skip


def assign_sentences(documents: Sequence[Document], sentences: Sequence[Sentence]) -> list[Document]:
    """Each document with its contiguous sentence id range (sentences are numbered in chunk order)."""
    out: list[Document] = []
    i = 0
    for d in documents:
        first = i
        end = d.first_chunk + d.chunks
        while i < len(sentences) and sentences[i].chunk < end:
            i += 1
        out.append(replace(d, first_sentence=first, sentences=i - first))
    return out
