"""Which split (dev or test) each report of the corpus belongs to, for the trust sets (issue 23).

The 52 reports the figure labels cover keep their split from ``check_figures.split_of`` (so a report is dev or
test in every set); the other national reports (1954–2004) are shuffled with ``random.Random(SEED)`` and the
first 40% are dev. Names are library names (``provincial-2026/beijing-2026.txt``, ``national/national-1999.txt``,
the seed ``tibet-2024-government-work-report.txt``).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_figures import SEED_DOCUMENT, split_of
from check_library import manifest

SEED = 23
SEED_NAME = "tibet-2024-government-work-report.txt"


def library_name(figures_name: str) -> str:
    """``seeds/tibet-…`` (figure labels) as the library sets name it (the bare seed name)."""
    return SEED_NAME if figures_name == SEED_DOCUMENT else figures_name


def report_splits() -> dict[str, str]:
    """Every report of the corpus and the seed → ``dev`` or ``test``."""
    meta = manifest()
    out = {library_name(d): s for d, s in split_of(meta).items()}
    rest = sorted(d for d in meta if d not in out)
    random.Random(SEED).shuffle(rest)
    n_dev = round(0.4 * len(rest))
    out.update({d: ("dev" if i < n_dev else "test") for i, d in enumerate(rest)})
    return out


if __name__ == "__main__":
    for doc, split in sorted(report_splits().items(), key=lambda x: (x[1], x[0])):
        print(split, doc)
