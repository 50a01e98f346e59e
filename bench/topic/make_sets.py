"""Write bench/eval/offtopic.{dev,test}.jsonl from offtopic_source.py and ontopic_source.py (run from the repo
root: ``python bench/topic/make_sets.py``). Each row: id, question, label (``offtopic`` / ``ontopic``),
language, domain (off-topic) or report (on-topic), split."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import offtopic_source as off
import ontopic_source as on

OUT = Path(__file__).resolve().parents[1] / "eval"


def rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for lang, table in (("zh", off.ZH), ("en", off.EN)):
        for domain, qs in table.items():
            split = "dev" if domain in off.DEV_DOMAINS else "test"
            assert domain in off.DEV_DOMAINS + off.TEST_DOMAINS, domain
            for i, q in enumerate(qs, 1):
                out.append({"id": f"off-{lang}-{domain}-{i:02d}", "question": q, "label": "offtopic",
                            "language": lang, "domain": domain, "split": split})  # fmt: skip
    for lang, items in (("zh", on.ZH), ("en", on.EN)):
        generic = 0
        for i, (report, q) in enumerate(items, 1):
            if report:
                split = "dev" if report in on.DEV_REPORTS else "test"
            else:
                split = "dev" if generic % 2 == 0 else "test"
                generic += 1
            out.append({"id": f"on-{lang}-{report or 'any'}-{i:03d}", "question": q, "label": "ontopic",
                        "language": lang, "report": report or "any", "split": split})  # fmt: skip
    return out


def main() -> None:
    all_rows = rows()
    assert len({r["question"] for r in all_rows}) == len(all_rows), "a question is repeated"
    for split in ("dev", "test"):
        path = OUT / f"offtopic.{split}.jsonl"
        sel = [r for r in all_rows if r["split"] == split]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sel), encoding="utf-8")
        n_off = sum(r["label"] == "offtopic" for r in sel)
        print(f"{path}: {len(sel)} questions ({n_off} off-topic, {len(sel) - n_off} on-topic)")


if __name__ == "__main__":
    main()
