"""The user's corrections to what :mod:`.docmeta` reads from a document.

Two ways, both optional (a table row wins over a sidecar file, field by field):

* a **sidecar** ``<file>.meta.json`` beside the source (``report.pdf`` → ``report.pdf.meta.json``)::

      {"region": "西藏自治区", "year": 2024, "date": "2024-01-07", "speaker": "自治区主席 严金海"}

* a **table** given to ``reportqa build --meta TABLE.tsv``: tab-separated, a header row naming the columns,
  ``file`` first (the document's display name as ``status`` shows it, or just its file name), then any of
  ``title region year date speaker``; an empty cell leaves that field as read.

Fields: ``title`` (text), ``region`` (any form :func:`.regions.region_by_name` knows — ``西藏``, ``Tibet``,
``全国`` — or any other name, kept as written), ``year`` (1949–2100), ``date`` (``YYYY-MM-DD``), ``speaker``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportqa.index.errors import SourceError, UsageError
from reportqa.index.text.regions import Region, region_by_name
from reportqa.index.text.years import is_year

from .docmeta import DocMeta, compose_title

FIELDS = ("title", "region", "year", "date", "speaker")
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class MetaOverride:
    """Fields the user set for one document (None: not overridden)."""

    title: str | None = None
    region: str | None = None
    year: int | None = None
    date: str | None = None
    speaker: str | None = None

    def fields_set(self) -> tuple[str, ...]:
        return tuple(f for f in FIELDS if getattr(self, f) is not None)

    def to_json(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.fields_set()}

    def merged(self, over: MetaOverride) -> MetaOverride:
        """This override with ``over``'s fields on top."""
        return replace(self, **{f: getattr(over, f) for f in over.fields_set()})


def _parse(values: Mapping[str, Any], where: str, fix: str) -> MetaOverride:
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise UsageError(f"{where}: unknown field {unknown[0]!r}; use {', '.join(FIELDS)} ({fix})")
    out: dict[str, Any] = {}
    for key, raw in values.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        if key == "year":
            try:
                year = int(value)
            except (TypeError, ValueError):
                raise UsageError(f"{where}: year {raw!r} is not a number; write it like 2024 ({fix})") from None
            if not is_year(year):
                raise UsageError(f"{where}: year {year} is outside 1949–2100 ({fix})")
            out[key] = year
        elif key == "date":
            try:
                out[key] = dt.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise UsageError(f"{where}: date {raw!r} is not YYYY-MM-DD, e.g. 2024-01-07 ({fix})") from None
        else:
            out[key] = str(value)
    return MetaOverride(**out)


def parse_fields(values: Mapping[str, Any], where: str, fix: str = "correct the value") -> MetaOverride:
    """A :class:`MetaOverride` from field values (``None`` or ``""``: not set); :class:`UsageError` names the
    bad field (the library's record editor)."""
    return _parse(values, where, fix)


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + SIDECAR_SUFFIX)


def read_sidecar(source: Path) -> MetaOverride | None:
    """The override in ``<source>.meta.json``, or None when there is no such file."""
    path = sidecar_path(source)
    if not path.is_file():
        return None
    fix = f"fix or delete {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SourceError(f"{path} is not readable JSON ({e}); {fix}") from e
    if not isinstance(data, dict):
        raise SourceError(f"{path} must hold one JSON object like {{\"year\": 2024}}; {fix}")
    return _parse(data, str(path), fix)


def read_table(path: Path) -> dict[str, MetaOverride]:
    """``{file: override}`` from a ``--meta`` table (see the module docstring)."""
    fix = f"fix {path}: a header row 'file<TAB>region<TAB>year…', then one row per document"
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read the --meta table {path} ({e}); {fix}") from e
    rows = [r for r in rows if any(c.strip() for c in r) and not r[0].startswith("#")]
    if not rows:
        raise UsageError(f"the --meta table {path} is empty; {fix}")
    header = [c.strip().lower() for c in rows[0]]
    if header[0] not in ("file", "name", "document"):
        raise UsageError(f"the --meta table {path} must start with a 'file' column, not {rows[0][0]!r}; {fix}")
    out: dict[str, MetaOverride] = {}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise UsageError(f"{path} line {n} has {len(row)} cells for {len(header)} columns; {fix}")
        name = row[0].strip()
        values = {header[i]: row[i] for i in range(1, len(row))}
        out[name] = _parse(values, f"{path} line {n}", fix)
    return out


def table_entry(table: Mapping[str, MetaOverride], name: str) -> MetaOverride | None:
    """The row for a document's display ``name`` (``national/national-1979.txt``) or its bare file name."""
    if name in table:
        return table[name]
    return table.get(name.rsplit("/", 1)[-1])


def unused_rows(table: Mapping[str, MetaOverride], names: Sequence[str]) -> list[str]:
    """Table rows that name no document (reported, so a typo does not pass silently)."""
    known = set(names) | {n.rsplit("/", 1)[-1] for n in names}
    return [k for k in table if k not in known]


def override_for(source: Path, name: str, table: Mapping[str, MetaOverride] | None) -> MetaOverride | None:
    """The sidecar's fields with the table row's on top; None when neither exists."""
    side = read_sidecar(source)
    row = table_entry(table, name) if table else None
    if side is None:
        return row
    return side.merged(row) if row is not None else side


def apply_override(meta: DocMeta, override: MetaOverride | None) -> DocMeta:
    """``meta`` with the user's fields; :attr:`DocMeta.overridden` lists them."""
    if override is None or not override.fields_set():
        return meta
    region = meta.region
    if override.region is not None:
        region = region_by_name(override.region) or Region(override.region, override.region, "")
    year = override.year if override.year is not None else meta.year
    title = override.title
    if title is None:
        # a title read from the document stays; a composed one follows the corrected region and year
        title = meta.title if meta.how.get("title") == "title line" else (compose_title(region, year) or meta.title)
    return replace(
        meta,
        title=title,
        region=region,
        year=year,
        date=override.date if override.date is not None else meta.date,
        speaker=override.speaker if override.speaker is not None else meta.speaker,
        how={**meta.how, **{f: "override" for f in override.fields_set()}},
        overridden=override.fields_set(),
    )
