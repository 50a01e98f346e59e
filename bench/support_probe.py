"""The support check alone, on the evidence sentences of the trust sets (no index, no retrieval).

    python bench/support_probe.py --eval-dir bench/eval --corpus /path/to/corpus [--split dev] [-v]

For each enumeration, qualitative, who/when and control question of ``trust-<kind>.<split>.jsonl`` (the
evaluation sets of issue 23), the sentence of its report holding the ``evidence`` is checked as the answer
sentence: right when the asked-thing check passes and the highlight holds the expected ``answer``. It isolates
:mod:`reportqa.qa.support` from retrieval (end to end: ``bench/eval_trust.py``).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from reportqa.index.text.tokens import init_jieba
from reportqa.qa.answerable import check_asked
from reportqa.qa.query import understand
from reportqa.qa.support import locate_asked

KINDS = ("enumeration", "qualitative", "who_when", "control")


def _sentences(text: str) -> list[str]:
    return [x for x in re.split(r"(?<=[。！？；])", text.replace("\n", "")) if x.strip()]


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=Path("bench/eval"))
    ap.add_argument("--corpus", type=Path, required=True, help="the folder the sets' document paths are under")
    ap.add_argument("--split", default="dev")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    init_jieba()
    for kind in KINDS:
        path = args.eval_dir / f"trust-{kind}.{args.split}.jsonl"
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        right = 0
        for r in rows:
            q = understand(r["question"])
            doc = args.corpus / r["document"]
            text = doc.read_text(encoding="utf-8") if doc.exists() else r["evidence"]
            sent = next((s for s in _sentences(text) if _flat(r["evidence"]) in _flat(s)), r["evidence"])
            mark = locate_asked(q.asked, q.keywords, sent).figure
            ok = check_asked(q, sent, sent, {}).passed and mark is not None and _flat(r["answer"]) in _flat(mark)
            right += ok
            if args.verbose and not ok:
                print(f"  {r['id']}: {r['question']} | want {r['answer']} | marked {mark}")
        print(f"{kind}: {right}/{len(rows)}")


if __name__ == "__main__":
    main()
