"""``reportqa diff`` and ``reportqa trend``: parsing their arguments and printing (the work is in
:mod:`reportqa.qa.yoy`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from reportqa.index.facade import LoadedIndex
    from reportqa.qa.diff import Diff
    from reportqa.qa.records import Answer
    from reportqa.qa.trend import Trend

WithIndex = Callable[[argparse.ArgumentParser], None]


def _index_dir(args: argparse.Namespace) -> Path:
    from reportqa.index.facade import default_index_dir

    return Path(args.index_dir) if args.index_dir else default_index_dir()


def _load(index_dir: Path) -> LoadedIndex:
    from reportqa.index.facade import load_index

    return load_index(index_dir, check_sources=False, deep=False)


def _load_if_usable(index_dir: Path) -> LoadedIndex | None:
    from reportqa.index.errors import ReportQAError

    if not index_dir.exists():
        return None
    try:
        return _load(index_dir)
    except ReportQAError:
        return None


def cmd_diff(args: argparse.Namespace) -> int:
    from reportqa.index.errors import UsageError
    from reportqa.index.facade import SUPPORTED_SUFFIXES, Embedder, load_embedder
    from reportqa.qa.yoy import diff_named

    from .yoy_json import diff_json

    index_dir = _index_dir(args)
    for name in (args.a, args.b):
        path = Path(name)
        if not path.exists() and ("/" in name or path.suffix.lower() in SUPPORTED_SUFFIXES) and not (
            index_dir.exists()
        ):
            raise UsageError(f"{name} does not exist and there is no index at {index_dir}; give the path of a "
                             "report file, or a document as `reportqa status` lists it with --index-dir")  # fmt: skip
    both_files = Path(args.a).is_file() and Path(args.b).is_file()
    # two files need no index, but a file the index was built from is diffed from its stored sentences and
    # vectors (a diff of indexed reports embeds nothing); an unusable index is then simply not used
    index = _load_if_usable(index_dir) if both_files else _load(index_dir)
    # two files not indexed are embedded afresh with the default embedder, as without an index (the meaning
    # pass's bar is set for it); a side from the index brings the index's embedder
    spec = index.embedder_id if index is not None and not both_files else None

    def load() -> Embedder:
        # the diff embeds only sentences without stored vectors, both sides afresh, and compares them among
        # themselves: the kernel that starts fastest will do
        return load_embedder(spec, kernel="q4")

    if args.json:
        sys.stdout.write(json.dumps(diff_json(args.a, args.b, index, load), ensure_ascii=False) + "\n")
    else:
        print_diff(diff_named(args.a, args.b, index, load), sys.stdout)
    return 0


def print_diff(diff: Diff, out: TextIO) -> None:
    out.write(f"A: {diff.a}\nB: {diff.b}\n")
    if diff.empty:
        out.write("no sentence added, dropped or re-figured\n")
    for title, items, unsure in (("added in B", diff.added, diff.unsure_added),
                                 ("dropped from A", diff.dropped, diff.unsure_dropped)):  # fmt: skip
        out.write(f"\n{title} ({len(items)}):\n")
        for i in items:
            out.write(f"  ¶{i.citation.paragraph:<4} {i.text}\n")
        if unsure:
            out.write(f"  (and {len(unsure)} more with no counterpart found, probably said in the other report in "
                      f"other words: --json lists them as unsure_{title.split()[0]})\n")
    out.write(f"\nchanged figures ({len(diff.changed)}):\n")
    for c in diff.changed:
        out.write(f"  {c.before.value} → {c.after.value}   A ¶{c.before.citation.paragraph} {c.before.text}\n"
                  f"  {'':>{len(c.before.value) + len(c.after.value) + 3}}   B ¶{c.after.citation.paragraph} "
                  f"{c.after.text}\n")  # fmt: skip
    out.write(f"\nnew terms ({len(diff.new_terms)}):\n")
    for t in diff.new_terms:
        out.write(f"  {t.term} ×{t.count}   ¶{t.citation.paragraph} {t.sentence}\n")


def cmd_trend(args: argparse.Namespace) -> int:
    from reportqa.qa.reports import indexed_reports
    from reportqa.qa.yoy import trend_in

    from .yoy_json import trend_json

    index = _load(_index_dir(args))
    if args.json:
        sys.stdout.write(json.dumps(trend_json(args.term, index, args.region or ()), ensure_ascii=False) + "\n")
    else:
        print_trend(trend_in(args.term, indexed_reports(index), args.region or ()), sys.stdout)
    return 0


def print_trend(trend: Trend, out: TextIO) -> None:
    first = trend.first
    out.write(f"{trend.term}: {sum(r.count for r in trend.rows)} occurrences in {len(trend.rows)} reports; "
              f"first written in {first.year} ({first.document})\n" if first else
              f"{trend.term}: written in none of {len(trend.rows)} reports\n")  # fmt: skip
    out.write(f"{'region':<12}{'year':>6}{'count':>7}{'per 10k':>9}  first\n")
    for r in trend.rows:
        c = r.first_citation
        where = f"{r.document} ¶{c.paragraph}" if c else ""
        out.write(f"{r.region or '?':<12}{r.year or '?':>6}{r.count:>7}{r.per_10k:>9.2f}  {where}\n")


def print_yoy(answer: Answer, out: TextIO) -> None:
    """The diff or trend of an ``ask`` answer, as ``reportqa diff`` / ``reportqa trend`` print them."""
    if answer.diff is not None:
        print_diff(answer.diff, out)
    if answer.trend is not None:
        print_trend(answer.trend, out)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], with_index: WithIndex) -> None:
    """The ``diff`` and ``trend`` sub-commands."""
    p = sub.add_parser("diff", help="what report B says that report A does not: added, dropped, changed figures")
    p.add_argument("a", help="the earlier report: a document as `reportqa status` lists it, or a file")
    p.add_argument("b", help="the later report: a document as `reportqa status` lists it, or a file")
    with_index(p)
    p.add_argument("--json", action="store_true", help="one JSON object: a, b, added, dropped, changed, new_terms")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("trend", help="how often every report writes a term: count, per 10,000 characters, first year")
    p.add_argument("term", help="the word or phrase, counted exactly as written (新质生产力)")
    with_index(p)
    p.add_argument("--region", action="append", metavar="R", help="only this region (西藏, Tibet, 全国); repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object: term, first_year, rows")
    p.set_defaults(func=cmd_trend)


__all__ = ["add_parsers", "cmd_diff", "cmd_trend", "print_diff", "print_trend", "print_yoy"]
