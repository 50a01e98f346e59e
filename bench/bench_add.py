"""One report added to a built library, as a user runs it (issue 17, item 4: target ≤ 45 s on 2 cores).

Usage::

    python bench/bench_add.py LIBRARY_SRC INDEX_DIR REPORT [RUNS]

``LIBRARY_SRC`` is the folder the library was built from (``REPORT`` among its files), ``INDEX_DIR`` the index
built from it (with its vector cache beside it, as ``reportqa build`` leaves it). The script first makes the
library *without* ``REPORT``: a source folder of links to the other files and a copy of the vector cache from
which every text of ``REPORT`` (its passages and sentences, as the build embeds them) is removed, then builds
that base index (every vector cached: no embedding). Each run copies the base (index and cache), puts
``REPORT`` back among the sources and times ``reportqa build`` on it in a fresh process (``/usr/bin/time``:
wall, user and system CPU, peak RSS) — the user's command, end to end: model load, reading and chunking the
new report, embedding its texts, reusing the other reports, the keyword index, the FAISS stores, writing.
Prints one JSON object (runs and medians).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from reportqa.index.embedding.embedders import embedder_cache_id_for
from reportqa.index.embedding.vcache import cache_dir, text_key
from reportqa.index.pipeline import build as B
from reportqa.index.reading.chunker import ChunkSettings, embed_text

REPORTQA = str(Path(sys.executable).with_name("reportqa"))


def report_keys(report: Path) -> set[bytes]:
    """Cache keys of every text the build embeds for ``report`` (default settings)."""
    settings, build = ChunkSettings(), B.BuildSettings()
    keys: set[bytes] = set()
    for part in B.read_and_chunk([(report, report.name)], {}, settings, build, [], {}, {}):
        c0 = part.chunks[0].id
        keys.update(text_key(embed_text(c, settings)) for c in part.chunks)
        keys.update(text_key(B.sentence_embed_text(part.chunks[s.chunk - c0], s, settings)) for s in part.sentences)
    return keys


def filtered_cache(src: Path, dst: Path, drop: set[bytes]) -> tuple[int, int]:
    """Copy the cache folder ``src`` to ``dst`` without the rows of ``drop``; (rows kept, rows dropped)."""
    dst.mkdir(parents=True)
    shutil.copy2(src / "embedder.txt", dst / "embedder.txt")
    kept = dropped = 0
    for keys_path in sorted(src.glob("*.keys")):
        hexes = keys_path.read_text(encoding="ascii").split("\n")[:-1]
        vecs = np.load(keys_path.with_suffix(".npy"), allow_pickle=False)
        keep = [i for i, h in enumerate(hexes) if bytes.fromhex(h) not in drop]
        dropped += len(hexes) - len(keep)
        if keep:
            kept += len(keep)
            np.save(dst / keys_path.with_suffix(".npy").name, vecs[keep], allow_pickle=False)
            (dst / keys_path.name).write_text("".join(hexes[i] + "\n" for i in keep), encoding="ascii")
    return kept, dropped


def timed(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd`` under ``/usr/bin/time``; wall, user, sys seconds and peak RSS MiB."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], capture_output=True, text=True, check=True)
    wall, user, sys_s, rss_kib = p.stderr.strip().splitlines()[-1].split()
    return {"wall_s": float(wall), "user_s": float(user), "sys_s": float(sys_s),
            "peak_rss_mib": round(int(rss_kib) / 1024, 1)}  # fmt: skip


def main(library: Path, index_dir: Path, report: Path, runs: int = 3) -> dict[str, object]:
    cache = cache_dir(index_dir, embedder_cache_id_for(None))
    work = Path(tempfile.mkdtemp(prefix="bench-add-"))
    try:
        base_src = work / "base-src"
        base_src.mkdir()
        for f in sorted(library.iterdir()):
            if f.is_file() and f.resolve() != report.resolve():
                (base_src / f.name).symlink_to(f.resolve())
        kept, dropped = filtered_cache(cache, cache_dir(work / "base" / "index", embedder_cache_id_for(None)),
                                       report_keys(report))  # fmt: skip
        base_build = timed([REPORTQA, "build", str(base_src), "--index-dir", str(work / "base" / "index"), "--quiet"])
        out: list[dict[str, float]] = []
        for i in range(runs):
            run = work / f"run{i}"
            shutil.copytree(work / "base", run, symlinks=True)
            src = run / "src"
            shutil.copytree(base_src, src, symlinks=True)
            (src / report.name).symlink_to(report.resolve())
            out.append(timed([REPORTQA, "build", str(src), "--index-dir", str(run / "index"), "--quiet"]))
            shutil.rmtree(run)
        return {
            "report": report.name,
            "report_chars": len(report.read_text(encoding="utf-8")),
            "base_documents": sum(1 for _ in base_src.iterdir()),
            "cache_rows_kept": kept,
            "cache_rows_removed": dropped,
            "base_build_from_cache": base_build,
            "runs": out,
            "median_wall_s": statistics.median(r["wall_s"] for r in out),
            "median_user_s": statistics.median(r["user_s"] for r in out),
            "max_peak_rss_mib": max(r["peak_rss_mib"] for r in out),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    res = main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 3)
    print(json.dumps(res, indent=1, ensure_ascii=False))
