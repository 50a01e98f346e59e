"""The plain, frozen records that flow through reportqa.

A :class:`Citation` is fixed when a :class:`Chunk` is made from a :class:`Paragraph`; nothing downstream
re-derives it. All records convert to and from plain JSON-ready dicts so an index is a directory of plain
files (no pickle).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SECTION_SEP = " › "


LOW_CONFIDENCE = 0.80
"""A passage whose lowest OCR line score is below this is marked as uncertain (chat, CLI, prompts)."""


@dataclass(frozen=True)
class SourceText:
    """A document decoded to text, before paragraph reconstruction."""

    path: str
    """Path of the file as it was found (absolute)."""
    name: str
    """Display name used in citations: the file name relative to the source root it was found under."""
    text: str
    """The decoded text, with line endings normalised to ``\\n``. Physical line *k* (1-based) is
    ``text.split("\\n")[k - 1]``."""
    sha256: str
    """SHA-256 of the raw file bytes: identifies the exact source an index was built from."""
    encoding: str
    """How the bytes were decoded (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``) or the format reader
    used (``pdf``, ``docx``, ``html``)."""
    format: str
    """``txt``, ``md``, ``pdf``, ``docx``, ``html`` or ``image`` (a page image read by OCR)."""
    confidence: tuple[float, ...] = ()
    """Per physical line, how sure the reading is: the OCR score of a recognised line, 1.0 for a line from a
    text layer. Empty when no page was recognised (then every line is certain)."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as the author wrote it, rebuilt from hard-wrapped lines."""

    document: str
    """The :attr:`SourceText.name` of the document it belongs to."""
    n: int
    """1-based ordinal of the paragraph in its document (headings and front matter count)."""
    text: str
    """The paragraph text with line breaks, page markers, running headers and page numbers removed."""
    heading: bool
    """True for a section heading (``一、…``, ``（三）…``, ``2024 年工作安排``)."""
    level: int
    """Heading level (1 = top); 0 for a body or front-matter paragraph."""
    section: tuple[str, ...]
    """Headings this paragraph sits under, outermost first. A heading's path ends with itself."""
    lines: tuple[int, int]
    """1-based, inclusive range of physical source lines the paragraph came from."""
    notes: tuple[int, ...] = ()
    """Paragraph numbers (:attr:`n`) of the endnotes this paragraph cites with markers such as ``［3］`` or
    ``①`` (a note's label paragraph and the definition under it); empty when it cites none."""
    page: int = 0
    """1-based page its first line is on, in a paged source (a PDF, a multi-page scan); 0 when unpaged."""
    confidence: float = 1.0
    """The lowest OCR score of its lines (:attr:`SourceText.confidence`); 1.0 when nothing was recognised."""

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    def to_json(self) -> dict[str, Any]:
        """The ``reportqa paragraphs --json`` object."""
        return {
            "n": self.n,
            "heading": self.heading,
            "section": self.section_path,
            "text": self.text,
            "lines": [self.lines[0], self.lines[1]],
            **({"notes": list(self.notes)} if self.notes else {}),
            **({"page": self.page} if self.page else {}),
            **({"confidence": round(self.confidence, 3)} if self.confidence < 1.0 else {}),
        }


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from, precisely enough to find it in the source file."""

    document: str
    """Document display name (file name relative to its source root)."""
    section: str
    """Section path joined with `` › ``; empty for front matter."""
    paragraph: int
    """1-based paragraph ordinal in the document, as ``reportqa paragraphs`` numbers it."""
    lines: tuple[int, int]
    """1-based inclusive physical line range in the source file."""
    region: str = ""
    """Full name of the document's region (:attr:`Document.region`: ``西藏自治区``, ``全国``); ``""`` unknown."""
    year: int | None = None
    """The document's report year (:attr:`Document.year`), when known."""
    page: int = 0
    """1-based page of the paragraph's first line in a paged source; 0 when unpaged."""
    confidence: float = 1.0
    """The lowest OCR score of the paragraph's lines; 1.0 for text that was not recognised. Below
    :data:`LOW_CONFIDENCE` the passage is marked as uncertain wherever it is shown."""

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "section": self.section,
            "paragraph": self.paragraph,
            "lines": [self.lines[0], self.lines[1]],
            "region": self.region,
            "year": self.year,
            **({"page": self.page} if self.page else {}),
            **({"confidence": round(self.confidence, 3)} if self.confidence < 1.0 else {}),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Citation:
        year = d.get("year")
        return cls(
            document=str(d["document"]),
            section=str(d["section"]),
            paragraph=int(d["paragraph"]),
            lines=(int(d["lines"][0]), int(d["lines"][1])),
            region=str(d.get("region") or ""),
            year=int(year) if year is not None else None,
            page=int(d.get("page") or 0),
            confidence=float(d.get("confidence", 1.0)),
        )

    @property
    def uncertain(self) -> bool:
        """Read by OCR with a low score: shown with a warning."""
        return self.confidence < LOW_CONFIDENCE

    @property
    def report(self) -> str:
        """``西藏自治区 2024`` (what report the passage is from), or ``""`` when neither is known."""
        return " ".join(x for x in (self.region, str(self.year) if self.year is not None else "") if x)

    def label(self) -> str:
        """Human-readable form: ``doc (西藏自治区 2024) · section · ¶ 12 · lines 40–45``."""
        parts = [f"{self.document} ({self.report})" if self.report else self.document]
        if self.section:
            parts.append(self.section)
        parts.append(f"¶ {self.paragraph}")
        if self.page:
            parts.append(f"p. {self.page}")
        a, b = self.lines
        parts.append(f"line {a}" if a == b else f"lines {a}–{b}")
        if self.uncertain:
            parts.append(f"⚠ OCR uncertain ({self.confidence:.2f})")
        return " · ".join(parts)


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded and retrieved: a whole body paragraph, or one part of a long one."""

    id: int
    """Row of this chunk's vector in ``index.faiss`` (0-based, dense)."""
    text: str
    """The passage text shown to the user."""
    citation: Citation
    """Set when the chunk is made; every part of a split paragraph carries its paragraph's citation."""
    part: int = 0
    """0 when the chunk is the whole paragraph; otherwise 1-based part number within the paragraph."""
    parts: int = 1
    """How many chunks the paragraph was split into."""
    heading: bool = False
    """True when the chunk is a heading kept as its own chunk because no body paragraph follows it."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Retriever-specific data stored with the chunk (kept JSON-serialisable)."""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "citation": self.citation.to_json(),
            "part": self.part,
            "parts": self.parts,
            "heading": self.heading,
        }
        if self.extra:
            d["extra"] = self.extra
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Chunk:
        return cls(
            id=int(d["id"]),
            text=str(d["text"]),
            citation=Citation.from_json(d["citation"]),
            part=int(d.get("part", 0)),
            parts=int(d.get("parts", 1)),
            heading=bool(d.get("heading", False)),
            extra=dict(d.get("extra", {})),
        )


@dataclass(frozen=True)
class SkippedSource:
    """A file that was found but not indexed, and why (shown in the build summary)."""

    path: str
    reason: str


DocFilter = frozenset[int]
"""A retrieval filter: the ids (:attr:`Document.id`) of the documents a search may return passages from.
``None`` where a filter is accepted means every document. A document's chunks (and their sentences) occupy one
contiguous id range, so a filter is cheap to apply inside a vector or keyword search."""

LEVELS = ("national", "province", "city", "")
"""Administrative level of a report's issuing government; ``""`` when it cannot be told."""


@dataclass(frozen=True)
class Document:
    """One indexed report: what it is (read from the document itself, or overridden by the user) and where
    its chunks sit in the index. Owned by the store (``documents.jsonl``); every other module reads these."""

    id: int
    """0-based position in the index's document table; the unit of a :data:`DocFilter`."""
    name: str
    """Display name (file name relative to its source root), as in :attr:`Citation.document`."""
    title: str
    """The report's title (``2024年西藏自治区政府工作报告``), or its first line, or the file name."""
    region: str
    """Full name of the issuing region (``西藏自治区``, ``北京市``); ``全国`` for national reports; ``""`` unknown."""
    region_short: str
    """Short form (``西藏``, ``北京``, ``全国``)."""
    level: str
    """One of :data:`LEVELS`."""
    year: int | None
    """The report's own year (the year it was delivered, whose plan it sets out)."""
    date: str | None
    """ISO date the report was delivered (from the dateline), when given."""
    speaker: str | None
    """Who delivered it (from the speaker line), when given."""
    path: str
    """Absolute path of the source file."""
    sha256: str
    bytes: int
    mtime_ns: int
    encoding: str
    format: str
    paragraphs: int
    chunks: int
    first_chunk: int
    """Chunk ids ``first_chunk … first_chunk + chunks − 1`` belong to this document."""
    sentences: int = 0
    first_sentence: int = 0
    """Sentence ids ``first_sentence … first_sentence + sentences − 1`` belong to this document."""
    overridden: tuple[str, ...] = ()
    """Fields set by the user's metadata override rather than read from the document."""

    def to_json(self) -> dict[str, Any]:
        """One line of ``documents.jsonl``; also the ``status --json`` document object."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["overridden"] = list(self.overridden)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Document:
        def opt_int(v: Any) -> int | None:
            return int(v) if v is not None else None

        def opt_str(v: Any) -> str | None:
            return str(v) if v is not None else None

        return cls(
            id=int(d["id"]),
            name=str(d["name"]),
            title=str(d.get("title") or ""),
            region=str(d.get("region") or ""),
            region_short=str(d.get("region_short") or ""),
            level=str(d.get("level") or ""),
            year=opt_int(d.get("year")),
            date=opt_str(d.get("date")),
            speaker=opt_str(d.get("speaker")),
            path=str(d["path"]),
            sha256=str(d["sha256"]),
            bytes=int(d["bytes"]),
            mtime_ns=int(d["mtime_ns"]),
            encoding=str(d["encoding"]),
            format=str(d["format"]),
            paragraphs=int(d["paragraphs"]),
            chunks=int(d["chunks"]),
            first_chunk=int(d["first_chunk"]),
            sentences=int(d.get("sentences", 0)),
            first_sentence=int(d.get("first_sentence", 0)),
            overridden=tuple(str(x) for x in d.get("overridden", ())),
        )

    @property
    def chunk_ids(self) -> range:
        return range(self.first_chunk, self.first_chunk + self.chunks)

    @property
    def sentence_ids(self) -> range:
        return range(self.first_sentence, self.first_sentence + self.sentences)

    def label(self) -> str:
        """``xizang-2026.txt — 2026年西藏自治区政府工作报告 (西藏自治区, 2026)``."""
        what = ", ".join(x for x in (self.region, str(self.year) if self.year is not None else "") if x)
        return f"{self.name} — {self.title}" + (f" ({what})" if what else "")


FIGURE_KINDS = ("target", "actual")
"""A figure is a ``target`` (this year's plan: 预期目标, 力争, 左右) or an ``actual`` (a result: 去年 …增长)."""

MODIFIERS = ("about", "at_least", "at_most", "range", "exact", "qualitative", "unset", "pair")
"""How a figure's value bounds the quantity: ``5%左右`` about, ``以上`` at least, ``以内/以下`` at most,
``4.5%—5%`` range, a bare number exact, ``与经济增长同步`` qualitative, ``不设具体目标`` unset (an explicitly
unset target, distinct from one that is not found), ``分别增长4.4%、5.9%`` pair (two groups, urban and rural:
``low``/``high`` the smaller and larger). A fall (``下降3.3%``) has negative bounds."""


@dataclass(frozen=True)
class Figure:
    """One target or result a report states, read at build time and stored in ``figures.jsonl``.

    Owned by the store like :class:`Document`; the CLI ``targets`` command, table answers, the chat's figures
    view and answer checks read these records. ``quote`` always occurs in the cited paragraph's text."""

    indicator: str
    """Indicator id from :mod:`reportqa.index.text.indicators` (``gdp_growth``)."""
    kind: str
    """One of :data:`FIGURE_KINDS`."""
    year: int | None
    """The year the figure is about: a target in the 2026 report → 2026; a result in its review → 2025."""
    value: str
    """The value exactly as written: ``5%左右``, ``4.5%—5%``, ``5.5%以内``, ``1.1万亿斤以上``, ``与经济增长同步``."""
    low: float | None
    """Parsed lower bound in ``unit`` (None for qualitative/unset)."""
    high: float | None
    """Parsed upper bound in ``unit`` (equal to ``low`` for an exact or about value)."""
    unit: str
    """The unit of ``low``/``high``: ``%``, ``万人``, ``亿斤``, ``个百分点``…; ``""`` when qualitative."""
    modifier: str
    """One of :data:`MODIFIERS`."""
    quote: str
    """The exact span of the paragraph that states the value (indicator words through the value)."""
    citation: Citation
    """Document, section, paragraph, lines, region and report year of the paragraph stating it."""
    document_id: int = -1
    """The :attr:`Document.id` of the report (its position in the index's document table)."""

    @property
    def region(self) -> str:
        return self.citation.region

    @property
    def document(self) -> str:
        return self.citation.document

    def to_json(self) -> dict[str, Any]:
        """One line of ``figures.jsonl`` and of ``reportqa targets --json``."""
        return {
            "indicator": self.indicator,
            "kind": self.kind,
            "year": self.year,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "modifier": self.modifier,
            "quote": self.quote,
            "region": self.citation.region,
            "document": self.citation.document,
            "document_id": self.document_id,
            "citation": self.citation.to_json(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Figure:
        def opt_float(v: Any) -> float | None:
            return float(v) if v is not None else None

        return cls(
            indicator=str(d["indicator"]),
            kind=str(d["kind"]),
            year=int(d["year"]) if d.get("year") is not None else None,
            value=str(d["value"]),
            low=opt_float(d.get("low")),
            high=opt_float(d.get("high")),
            unit=str(d.get("unit") or ""),
            modifier=str(d["modifier"]),
            quote=str(d["quote"]),
            citation=Citation.from_json(d["citation"]),
            document_id=int(d.get("document_id", -1)),
        )
