"""Fit the off-topic model (qa/topic_model.py) on the dev split and report it on the test split.

    python bench/topic/fit_topic.py features --index /tmp/libidx --name library --out bench/results/topic
    python bench/topic/fit_topic.py fit --features bench/results/topic --model qa/data/topic_model.json
    python bench/topic/fit_topic.py report --features bench/results/topic --model qa/data/topic_model.json

``features`` computes each question's topic evidence on one index exactly as the engine does (the question's
text with the names of the reports it names left out, the index's own calibration) and writes
``<out>/<name>.<split>.jsonl``. ``fit`` fits a logistic regression (scikit-learn, standardised inputs,
balanced classes) on every ``*.dev.jsonl`` there (off-topic questions the scope check declines left out) and
picks the threshold on dev: the lowest probability that declines at most :data:`MAX_ONTOPIC_DECLINED` of the
on-topic dev questions. ``report`` prints the decision's rates per index, split and language, and the old
rule's (p-value thresholds) beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETS = {s: ROOT / "bench" / "eval" / f"offtopic.{s}.jsonl" for s in ("dev", "test")}
MAX_ONTOPIC_DECLINED = 0.01
"""The threshold is chosen on dev to decline at most this share of on-topic questions."""


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def answerable_rows(paths: Sequence[Path]) -> list[dict[str, object]]:
    """The answerable questions of other eval sets' dev splits (``tibet-2024.dev.jsonl``, ``library.dev.jsonl``),
    as on-topic rows: the threshold is then chosen on real users' questions too, still only on dev."""
    out: list[dict[str, object]] = []
    for path in paths:
        for r in _read(path):
            if r.get("kind") == "unanswerable" or not r.get("question"):
                continue
            q = str(r["question"])
            lang = "en" if r.get("kind") == "english" or q.isascii() else "zh"
            out.append({"id": f"{path.stem}:{r.get('id')}", "question": q, "label": "ontopic", "language": lang,
                        "report": str(r.get("document") or "any"), "split": "dev"})  # fmt: skip
    return out


def features(index_dir: Path, name: str, out: Path, extra: Sequence[Path] = ()) -> None:
    from reportqa.index.text.places import library_places
    from reportqa.qa.answerable import CalibrationCache, topic_evidence, topic_tokens
    from reportqa.qa.engine import Engine
    from reportqa.qa.query import understand
    from reportqa.qa.question import clean_question
    from reportqa.qa.scope import without_region_names
    from reportqa.qa.topic_model import topic_features

    engine = Engine.open(index_dir, check_sources=False)
    cal = CalibrationCache(engine.index, engine.embedder).get()
    places = library_places(d.region for d in engine.index.documents)
    out.mkdir(parents=True, exist_ok=True)
    write_library(engine.index.documents, out / f"{name}.library.json")
    sets: list[tuple[str, list[dict[str, object]]]] = [(f"{name}.{s}", _read(p)) for s, p in SETS.items()]
    if extra:
        sets.append((f"{name}-answerable.dev", answerable_rows(extra)))
    for stem, questions in sets:
        dest = out / f"{stem}.jsonl"
        done = {str(r["question"]): r for r in _read(dest)} if dest.is_file() else {}
        rows = []
        for r in questions:
            text = str(r["question"])
            if text in done:  # computed by an earlier run (the evidence depends only on the text and the index)
                rows.append({**done[text], **r})
                continue
            q = understand(text, places=places)
            searched = clean_question(without_region_names(q.text, q.regions) if q.regions else q.text)[0]
            qvec = engine.query_vector(searched)
            ev = topic_evidence(engine.index, qvec, topic_tokens(searched, q.latin))
            p_dense, p_lex = cal.p_values(ev, q.language)
            x = topic_features(q, ev.dense, ev.lexical, p_dense, p_lex, ev.known, ev.tokens)
            rows.append({**r, "index": name, "x": x, "p_dense": p_dense, "p_lexical": p_lex})
        dest.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
        print(f"{dest}: {len(rows)} rows")


def write_library(documents: Sequence[object], path: Path) -> None:
    """The index's documents (the scope check needs only these) as JSON."""
    path.write_text(json.dumps([d.to_json() for d in documents], ensure_ascii=False), encoding="utf-8")  # type: ignore[attr-defined]


def scope_declined(question: str, library: Sequence[object]) -> bool:
    """Whether the scope check declines ``question`` on a library of these documents (it names a report the
    library lacks: a region, county or place outside the mainland)."""
    from reportqa.index.records import Document
    from reportqa.index.text.places import library_places
    from reportqa.qa.query import understand
    from reportqa.qa.scope import scope_named

    places = library_places(d.region for d in library)  # type: ignore[attr-defined]
    q = understand(question, places=places)
    docs: Sequence[Document] = library  # type: ignore[assignment]
    s = scope_named(docs, q.regions, q.years, q.report_named, q.relative, q.filters, q.period, places)
    return bool(s.targets) and all(not t.documents for t in s.targets)


def _library(folder: Path, index: str) -> list[object]:
    from reportqa.index.records import Document

    text = (folder / f"{index}.library.json").read_text(encoding="utf-8")
    return [Document.from_json(d) for d in json.loads(text)]


def _rows(folder: Path, split: str) -> list[dict[str, object]]:
    """The rows of every index, their features recomputed from the stored evidence (so a feature read from the
    question alone can be added without embedding again)."""
    from reportqa.qa.query import understand
    from reportqa.qa.topic_model import MAX_TOKENS, topic_features

    rows = [r for p in sorted(folder.glob(f"*.{split}.jsonl")) for r in _read(p)]
    for r in rows:
        x = r["x"]
        assert isinstance(x, dict)
        q = understand(str(r["question"]))
        r["x"] = topic_features(q, float(r.get("dense", x.get("dense", 0.0))), x["lexical"], float(r["p_dense"]),
                                float(r["p_lexical"]), x["known"], round(x["tokens"] * MAX_TOKENS))  # fmt: skip
    return rows


def fit(folder: Path, model_path: Path) -> None:
    import numpy as np
    from reportqa.qa.topic_model import FEATURES, TopicModel, feature_matrix
    from sklearn.linear_model import LogisticRegression

    # questions the scope check declines (a place outside the mainland: "印度2024年GDP…") are policy questions
    # about a report the library lacks, not off-topic ones: the topic model is not taught that GDP is off-topic
    libraries: dict[str, list[object]] = {}
    dev = [r for r in _rows(folder, "dev") if not (r["label"] == "offtopic" and scope_declined(
        str(r["question"]), libraries.setdefault(str(r["index"]), _library(folder, str(r["index"])))))]  # fmt: skip
    X = np.array(feature_matrix([r["x"] for r in dev]), dtype=np.float64)  # type: ignore[misc]
    y = np.array([1 if r["label"] == "offtopic" else 0 for r in dev])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    clf.fit((X - mean) / scale, y)
    probs = clf.predict_proba((X - mean) / scale)[:, 1]
    on = np.sort(probs[y == 0])[::-1]
    allowed = int(MAX_ONTOPIC_DECLINED * len(on))
    threshold = float(on[allowed]) + 1e-6 if allowed < len(on) else 0.5
    coef = tuple(float(c) for c in clf.coef_[0])
    model = TopicModel(FEATURES, tuple(map(float, mean)), tuple(map(float, scale)), coef,
                       float(clf.intercept_[0]), round(threshold, 6))  # fmt: skip
    model_path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    off_rate = float((probs[y == 1] >= threshold).mean())
    on_rate = float((probs[y == 0] >= threshold).mean())
    print(f"{model_path}: threshold {threshold:.4f}; dev off-topic declined {off_rate:.3f}, on-topic {on_rate:.3f}")


def _old_rule(r: dict[str, object]) -> bool:
    from reportqa.qa.answerable import TOPIC_ALPHA_DENSE, TOPIC_ALPHA_LEXICAL

    lang = str(r["language"])
    return float(r["p_dense"]) >= TOPIC_ALPHA_DENSE[lang] and float(r["p_lexical"]) >= TOPIC_ALPHA_LEXICAL  # type: ignore[arg-type]


def report(folder: Path, model_path: Path) -> None:
    from reportqa.qa.topic_model import read_model

    model = read_model(model_path)
    print("| index | split | lang | off-topic declined: topic model | + scope | on-topic declined: topic model | "
          "off-topic declined: old rule | + scope | on-topic declined: old rule | n off / on |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    libraries: dict[str, list[object]] = {}
    for split in ("dev", "test"):
        rows = _rows(folder, split)
        for index in sorted({str(r["index"]) for r in rows}):
            for lang in ("zh", "en", "all"):
                sel = [r for r in rows if r["index"] == index and (lang == "all" or r["language"] == lang)]
                off = [r for r in sel if r["label"] == "offtopic"]
                on = [r for r in sel if r["label"] == "ontopic"]

                lib = libraries.setdefault(index, _library(folder, index))

                def share(xs: Sequence[dict[str, object]], old: bool, scope: bool = False,
                          lib: list[object] = lib) -> str:  # fmt: skip
                    if not xs:
                        return "–"
                    hits = [(_old_rule(r) if old else model.off_topic(r["x"]))  # type: ignore[arg-type]
                            or (scope and scope_declined(str(r["question"]), lib)) for r in xs]  # fmt: skip
                    return f"{sum(hits) / len(xs):.3f}"

                print(f"| {index} | {split} | {lang} | {share(off, False)} | {share(off, False, True)} | "
                      f"{share(on, False)} | {share(off, True)} | {share(off, True, True)} | {share(on, True)} | "
                      f"{len(off)} / {len(on)} |")  # fmt: skip
    def missed(r: dict[str, object]) -> bool:
        off = model.off_topic(r["x"])  # type: ignore[arg-type]
        if r["label"] == "ontopic":
            return off  # declined as off-topic (a scope decline of another region's question is right)
        return not (off or scope_declined(str(r["question"]), libraries[str(r["index"])]))

    misses = [r for r in _rows(folder, "test") if missed(r)]
    for r in misses:
        print(f"  test miss [{r['index']}] {r['label']}: {r['question']}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("features")
    f.add_argument("--index", type=Path, required=True)
    f.add_argument("--name", required=True)
    f.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "topic")
    f.add_argument("--answerable", type=Path, nargs="*", default=(),
                   help="dev eval sets whose answerable questions are added as on-topic dev rows")
    for name in ("fit", "report"):
        p = sub.add_parser(name)
        p.add_argument("--features", type=Path, default=ROOT / "bench" / "results" / "topic")
        p.add_argument("--model", type=Path, default=ROOT / "qa" / "data" / "topic_model.json")
    a = ap.parse_args(argv)
    if a.cmd == "features":
        features(a.index, a.name, a.out, a.answerable)
    elif a.cmd == "fit":
        fit(a.features, a.model)
    else:
        report(a.features, a.model)


if __name__ == "__main__":
    main()
