"""How right the figures read at build time are, against a labelled file (``reportqa eval-figures``).

A label is one JSON object per line (``bench/eval/figures.{dev,test}.jsonl``)::

    {"document": "provincial-2026/beijing-2026.txt", "region": "北京市", "indicator": "gdp_growth",
     "kind": "target", "year": 2026, "value": "5%左右", "evidence": "地区生产总值增长5%左右"}

``document`` is the report's file name under the corpus root (matched to an index document by name, or by the
end of its path); ``value`` is as written; ``evidence`` is an exact substring of the report. A report that
gives no such figure has no label.

* **value recall**: labels with an extracted figure of the same document, indicator, kind and year whose value
  is the same after folding full-width characters, dashes and spaces (:func:`~.figures.same_value`); per
  indicator and overall;
* **precision**: of the extracted figures whose (document, indicator, kind) has a label, the share that match
  a label (figures for triples nobody labelled are not judged);
* **quotes found**: the share of extracted figures whose quote occurs in the text of the paragraph they cite;
* **loosely matched** (a diagnostic, not the score): labels matched when a leading verb (``实际增长``, ``上涨``,
  ``下降到`` …) is dropped from both values, which labels and extractor write differently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportqa.index.errors import UsageError
from reportqa.index.records import Figure
from reportqa.index.text.numbers import fold

from .extract import same_value

_LEADING_VERB = re.compile(r"^(?:实际)?(?:增长|上涨|下降到|回落到|下降至|回落至)")


def _loose(a: str, b: str) -> bool:
    return _LEADING_VERB.sub("", fold(a)) == _LEADING_VERB.sub("", fold(b))


@dataclass(frozen=True)
class FigureLabel:
    """One labelled figure."""

    document: str
    indicator: str
    kind: str
    year: int | None
    value: str
    region: str = ""
    evidence: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FigureLabel:
        year = d.get("year")
        return cls(
            document=str(d["document"]), indicator=str(d["indicator"]), kind=str(d["kind"]),
            year=int(year) if year is not None else None, value=str(d["value"]), region=str(d.get("region") or ""),
            evidence=str(d.get("evidence") or ""),
        )  # fmt: skip


def read_labels(path: Path) -> list[FigureLabel]:
    """The labels in ``path``; :class:`UsageError` naming the line to fix when one is malformed."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}; give a .jsonl file of figure labels") from e
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(FigureLabel.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as e:
            raise UsageError(f"{path}:{n}: not a figure label ({e}); each line needs document, indicator, kind, "
                             "year and value") from e  # fmt: skip
    return out


@dataclass
class Tally:
    labels: int = 0
    matched: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else 0.0


@dataclass
class FiguresReport:
    """The accuracy of a set of figures against labels."""

    labels: int = 0
    """Labels whose document the figures cover."""
    skipped_labels: int = 0
    """Labels of documents not among the figures' documents (not indexed)."""
    matched: int = 0
    loosely_matched: int = 0
    """Labels matched when leading verbs are dropped from both values (a diagnostic)."""
    judged: int = 0
    """Extracted figures whose (document, indicator, kind) is labelled."""
    correct: int = 0
    """Of those, the ones matching a label."""
    figures: int = 0
    quotes_found: int = 0
    per_indicator: dict[str, Tally] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    """Labels not matched, with what was extracted for them instead (for tuning on dev)."""
    wrong: list[dict[str, Any]] = field(default_factory=list)
    """Judged figures matching no label."""

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.judged if self.judged else 0.0

    @property
    def quote_rate(self) -> float:
        return self.quotes_found / self.figures if self.figures else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels, "skipped_labels": self.skipped_labels, "matched": self.matched,
            "value_recall": round(self.recall, 4), "loosely_matched": self.loosely_matched,
            "judged": self.judged, "correct": self.correct,
            "precision": round(self.precision, 4), "figures": self.figures, "quotes_found": self.quotes_found,
            "quote_rate": round(self.quote_rate, 4),
            "per_indicator": {
                k: {"labels": t.labels, "matched": t.matched, "recall": round(t.recall, 4)}
                for k, t in sorted(self.per_indicator.items())
            },
            "misses": self.misses, "wrong": self.wrong,
        }  # fmt: skip

    def detail_lines(self) -> list[str]:
        """One line per missed label and per wrong figure (``eval-figures -v``)."""
        out = [f"- miss {m['document']} {m['indicator']} {m['kind']} {m['year']}: label {m['label']!r}, "
               f"extracted {m['extracted']}" for m in self.misses]  # fmt: skip
        out += [f"- wrong {w['document']} {w['indicator']} {w['kind']} {w['year']}: {w['value']!r}, "
                f"labels {w['labels']}" for w in self.wrong]  # fmt: skip
        return out

    def markdown(self) -> str:
        lines = [
            "| indicator · kind | labels | matched | recall |", "|---|---:|---:|---:|",
            *(f"| {k} | {t.labels} | {t.matched} | {t.recall:.3f} |" for k, t in sorted(self.per_indicator.items())),
            f"| **all** | {self.labels} | {self.matched} | {self.recall:.3f} |",
            "",
            f"precision {self.precision:.3f} ({self.correct} of {self.judged} figures of labelled document·indicator·"
            f"kind); quotes found in their paragraph {self.quotes_found} of {self.figures}"
            + (f"; {self.skipped_labels} labels of documents not in the index skipped" if self.skipped_labels else "")
            + f"; {self.loosely_matched} labels matched when a leading verb (实际增长, 上涨, 下降到) is ignored",
        ]  # fmt: skip
        return "\n".join(lines)


def _doc_key(names: Iterable[str]) -> Callable[[str], str | None]:
    """Maps a label's document to a figure document name: the same name, else the one whose path ends the same."""
    known = set(names)

    def key(doc: str) -> str | None:
        if doc in known:
            return doc
        hits = [n for n in known if n.endswith("/" + doc) or doc.endswith("/" + n)]
        return hits[0] if len(hits) == 1 else None

    return key


def evaluate_figures(
    figures: Sequence[Figure],
    labels: Sequence[FigureLabel],
    documents: Iterable[str],
    paragraph_text: Callable[[str, int], str | None],
) -> FiguresReport:
    """Score ``figures`` (of the reports named in ``documents``) against ``labels``; ``paragraph_text(document,
    n)`` gives a cited paragraph's text (None when there is none)."""
    rep = FiguresReport()
    key = _doc_key(documents)
    by_triple: dict[tuple[str, str, str], list[Figure]] = {}
    for f in figures:
        by_triple.setdefault((f.document, f.indicator, f.kind), []).append(f)
        rep.figures += 1
        text = paragraph_text(f.document, f.citation.paragraph)
        if text is not None and f.quote in text and f.value in f.quote:
            rep.quotes_found += 1
    labelled: dict[tuple[str, str, str], list[FigureLabel]] = {}
    for lab in labels:
        doc = key(lab.document)
        if doc is None:
            rep.skipped_labels += 1
            continue
        rep.labels += 1
        labelled.setdefault((doc, lab.indicator, lab.kind), []).append(lab)
        tally = rep.per_indicator.setdefault(f"{lab.indicator} · {lab.kind}", Tally())
        tally.labels += 1
        got = by_triple.get((doc, lab.indicator, lab.kind), [])
        if any(f.year == lab.year and _loose(f.value, lab.value) for f in got):
            rep.loosely_matched += 1
        if any(f.year == lab.year and same_value(f.value, lab.value) for f in got):
            rep.matched += 1
            tally.matched += 1
        else:
            rep.misses.append({"document": lab.document, "indicator": lab.indicator, "kind": lab.kind,
                               "year": lab.year, "label": lab.value,
                               "extracted": [(f.year, f.value) for f in got]})  # fmt: skip
    for triple, figs in by_triple.items():
        labs = labelled.get(triple)
        if not labs:
            continue
        for f in figs:
            rep.judged += 1
            if any(f.year == lab.year and same_value(f.value, lab.value) for lab in labs):
                rep.correct += 1
            else:
                rep.wrong.append({"document": f.document, "indicator": f.indicator, "kind": f.kind, "year": f.year,
                                  "value": f.value, "labels": [(lab.year, lab.value) for lab in labs]})  # fmt: skip
    return rep


__all__ = ["FigureLabel", "FiguresReport", "evaluate_figures", "read_labels"]
