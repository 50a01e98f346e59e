"""The JSON of ``reportqa diff --json`` and ``reportqa trend --json``, built in one place for the command line,
the REST API (``/api/v1/diff``, ``/api/v1/trend``) and the MCP tools ``diff`` and ``trend``.

Over HTTP and MCP only documents of the served index are diffed (``files=False``): a name is never read as a
path on the server's disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportqa.index.errors import UnknownDocumentError, UsageError
from reportqa.index.storage.store import LoadedIndex
from reportqa.qa.reports import find_document, indexed_reports
from reportqa.qa.yoy import EmbedderLoader, diff_named, trend_in


def _indexed(name: str, index: LoadedIndex) -> str:
    """The index's name of document ``name``; :class:`UnknownDocumentError` (404 over HTTP) when there is none."""
    doc = find_document(name.strip(), index.documents)
    if doc is None:
        shown = ", ".join(d.name for d in index.documents[:3])
        raise UnknownDocumentError(f"no document {name!r} in the index; give a name as `reportqa status` or "
                                   f"/api/v1/documents lists it (e.g. {shown})")  # fmt: skip
    return doc.name


def diff_json(a: str, b: str, index: LoadedIndex | None, load: EmbedderLoader, files: bool = True) -> dict[str, Any]:
    """The diff of report B against report A as ``reportqa diff --json`` prints it. With ``files=False`` both
    must be documents of ``index`` and must differ (:class:`UsageError` otherwise)."""
    if not files:
        if index is None:
            raise UsageError("there is no index to diff documents of; build one with reportqa build")
        if not a.strip() or not b.strip():
            raise UsageError("give two documents, a (the earlier report) and b (the later one), as "
                             "/api/v1/documents lists them")  # fmt: skip
        a, b = _indexed(a, index), _indexed(b, index)
        if a == b:
            raise UsageError(f"a and b are the same document ({a}); give two different reports, e.g. the same "
                             "region's reports of two years")  # fmt: skip
    return diff_named(a, b, index, load).to_json()


def trend_json(term: str, index: LoadedIndex, regions: Sequence[str] = ()) -> dict[str, Any]:
    """``term`` across every report of ``index`` (only ``regions`` when given) as ``reportqa trend --json``
    prints it; :class:`UsageError` for an empty or overlong term or an unknown region."""
    return trend_in(term, indexed_reports(index), regions).to_json()


__all__ = ["diff_json", "trend_json"]
