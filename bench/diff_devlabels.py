"""Score ``reportqa diff`` on the items already hand-checked (the labelled dev data of the diff branches).

Every judged added/dropped item of the hand-check tables (bench/results/{yoy2,diff3,…,diff9}-handcheck.md — in
diff9's, the ten held-back ``unsure_*`` items of its supplement too — and sample 5 of RESULTS-yoy.md §3) is
looked up in the diff the current code gives on its pair: is it still listed?
A rule that helps hides judged-wrong items (missed counterparts) and keeps judged-right ones.

    python bench/diff_devlabels.py --src /work/libsrc/national [--cache /tmp/diffvec.npz] [-v]

Vectors are cached by text (``--cache``) so the runs of one study compare the rules, not the embedder's noise.
Only the pairs hand-checked before (never a fresh pair) are read.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from reportqa.index.embedding.embedders import load_embedder
from reportqa.qa.diff import Diff, diff_sides, key
from reportqa.qa.reports import report_from_file, side_from_report

RESULTS = Path(__file__).resolve().parent / "results"
FILES = ("yoy2-handcheck.md", "diff3-handcheck.md", "diff4-handcheck.md", "diff5-handcheck.md",
         "diff6-handcheck.md", "diff7-handcheck.md", "diff8-handcheck.md", "diff9-handcheck.md")  # fmt: skip
SAMPLE5 = Path(__file__).resolve().parent / "RESULTS-yoy.md"
_ROW = re.compile(r"^\| (u?\d+) \| (?:unsure_)?(added|dropped) \| (?:(\d{4}) )?¶(\d+) (.*) \| ([✓✗])(.*)\|\s*$")
"""A judged row: number (``u1``… for a supplement's held-back item), kind, year, paragraph, text, mark, note."""


@dataclass(frozen=True)
class Label:
    source: str
    pair: tuple[int, int]
    kind: str
    paragraph: int
    text: str
    right: bool
    note: str


def _labels_of(path: Path, default_pairs: Sequence[tuple[int, int]] = ()) -> list[Label]:
    out: list[Label] = []
    table = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("| # |"):
            table += 1
        m = _ROW.match(line)
        if not m:
            continue
        n, kind, year, par, text, mark, note = m.groups()
        if year:
            y = int(year)
            pair = (y - 1, y) if kind == "added" else (y, y + 1)
        else:  # sample 5: items 1-15 the first pair, 16-30 the second
            pair = default_pairs[0 if int(n) <= 15 else 1]
        out.append(Label(f"{path.name}#{table}", pair, kind, int(par), text.strip(), mark == "✓", note.strip()))
    return out


def labels() -> list[Label]:
    out = [x for f in FILES for x in _labels_of(RESULTS / f)]
    out += _labels_of(SAMPLE5, [(2006, 2007), (2013, 2014)])
    return out


def _fragments(text: str) -> list[str]:
    """The pieces of a label's text between its ellipses (the tables cut long items), keyed."""
    text = re.sub(r"\(paragraph[^)]*\)", "", text)
    return [key(f) for f in re.split(r"…|\.\.\.", text) if len(key(f)) >= 4]


def listed(label: Label, diff: Diff) -> bool:
    """Whether the diff still lists the item (or a sentence of it, for a paragraph item)."""
    items = diff.added if label.kind == "added" else diff.dropped
    frags = _fragments(label.text)
    if not frags:
        return False
    for it in items:
        if it.citation.paragraph != label.paragraph:
            continue
        k = key(it.text)
        if all(f in k for f in frags) or any(k in f or (len(k) > 12 and k[:12] in f) for f in frags):
            return True
    return False


class CachedEmbed:
    """The default embedder, its vectors cached by text in an .npz file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        self._model = None
        if path is not None and path.exists():
            z = np.load(path, allow_pickle=True)
            self.cache = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
        self.dirty = False

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            if self._model is None:
                self._model = load_embedder(None)
            vs = self._model.embed(missing, "passage")
            for t, v in zip(missing, vs, strict=True):
                self.cache[t] = np.asarray(v, np.float32)
            self.dirty = True
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        if self.path is not None and self.dirty:
            texts = list(self.cache)
            np.savez(self.path, texts=np.array(texts, dtype=object), vectors=np.stack([self.cache[t] for t in texts]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", type=Path, default=Path("/work/libsrc/national"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/diff8-vectors.npz"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    embed = CachedEmbed(args.cache)
    ls = labels()
    diffs: dict[tuple[int, int], Diff] = {}
    for pair in sorted({x.pair for x in ls}):
        a = side_from_report(report_from_file(args.src / f"national-{pair[0]}.txt"))
        b = side_from_report(report_from_file(args.src / f"national-{pair[1]}.txt"))
        diffs[pair] = diff_sides(a, b, embed)
    embed.save()
    counts = {True: [0, 0], False: [0, 0]}  # right/wrong → [listed, total]
    for x in ls:
        still = listed(x, diffs[x.pair])
        counts[x.right][1] += 1
        counts[x.right][0] += still
        if args.verbose:
            mark = "listed" if still else "hidden"
            print(f"{'✓' if x.right else '✗'} {mark:6} {x.pair[0]}→{x.pair[1]} {x.kind:7} ¶{x.paragraph} {x.text[:60]}")
    sizes = {p: (len(d.added), len(d.dropped), len(d.changed)) for p, d in diffs.items()}
    print(f"labelled added/dropped items: {len(ls)} (right {counts[True][1]}, wrong {counts[False][1]})")
    print(f"still listed: right {counts[True][0]}/{counts[True][1]}, wrong {counts[False][0]}/{counts[False][1]}")
    print("items listed (added, dropped, changed) over the pairs:", tuple(map(sum, zip(*sizes.values(), strict=True))))


if __name__ == "__main__":
    main()
