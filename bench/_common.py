"""Shared helpers for the benchmarks: machine facts, medians, peak memory, result files, a constant-cost embedder."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
WORK = Path(os.environ.get("REPORTQA_BENCH_WORK", "/tmp/reportqa-bench"))
"""Scratch space for generated corpora and indexes (large at 100K+ chunks; not in the repo)."""
SEED_DIR = ROOT / "seeds"
PY = sys.executable

sys.path.insert(0, str(BENCH))


def machine() -> dict[str, Any]:
    model = platform.processor() or "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "mem_gib": round(mem_gib, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


def median(xs: Sequence[float]) -> float:
    return float(statistics.median(xs)) if xs else float("nan")


def pct(xs: Sequence[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs, dtype=float), p)) if len(xs) else float("nan")


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def vm_hwm_mib() -> float:
    """Peak resident memory of this process (VmHWM), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def vm_rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def cli(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> tuple[float, str, str]:
    """Run ``python -m reportqa.ui ARGS`` and return (wall seconds, stdout, stderr); raises on failure."""
    t = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "reportqa.ui", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"reportqa {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, proc.stdout, proc.stderr


def hash_embedder(dim: int = 384) -> Any:
    """A constant-cost stand-in for the model (≈ 10 µs per text): a unit vector seeded by the text's CRC.

    Used only where the model's speed is beside the point (peak memory and bookkeeping of builds at 10K+
    chunks, which would take hours to embed for real); the vectors have the model's shape and dtype.
    """
    from reportqa.index.embedding.embedders import Embedder

    class HashEmbedder(Embedder):
        def __init__(self) -> None:
            self.id = f"bench-hash:{dim}"
            self.dim = dim

        def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:  # type: ignore[override]
            out = np.empty((len(texts), dim), dtype=np.float32)
            for i, t in enumerate(texts):
                rng = np.random.default_rng(zlib.crc32(t.encode("utf-8")))
                v = rng.standard_normal(dim).astype(np.float32)
                out[i] = v / np.linalg.norm(v)
            return out

    return HashEmbedder()


SEED_QA: list[tuple[str, str]] = [
    # (question, a substring the answering passage must contain) — facts stated once in the seed
    ("2024年地区生产总值预期增长多少？", "地区生产总值增长 8%左右"),
    ("2023年地区生产总值是多少？", "地区生产总值超 2300 亿元"),
    ("固定资产投资预期增长多少？", "固定资产投资增长 13%左右"),
    ("群众安全感满意度是多少？", "群众安全感满意度保持 99%以上"),
    ("粮食产量达到多少？", "粮食、蔬菜、肉蛋奶产量分别达 108 万吨"),
    ("高原炊具销售了多少件？", "高原炊具首年销售 67 万件"),
    ("电力装机突破了多少？", "电力装机突破 700 万千瓦"),
    ("外送电量增长了多少？", "外送电量"),
    ("恢复了多少个传统边贸点？", "15 个传统边贸点获批恢复"),
    ("促消费政策有多少条？", "出台促消费政策“24条”"),
    ("新增多少家国家农民合作社示范社？", "新增国家农民合作社示范社 30家"),
    ("城乡居民人均可支配收入是多少？", "城乡居民人均可支配收入突破 5 万元和 2 万元"),
    ("哪些口岸实现客货双通？", "樟木、里孜口岸全面实现客货双通"),
    ("居民消费价格涨幅控制在多少以内？", "居民消费价格涨幅、城镇调查失业率分别控制在 3%和 5%以内"),
    ("修复治理了多少退化草原？", "修复治理退化草原"),
    ("出台了多少件政府规章？", "出台政府规章"),
    ("环境空气质量优良天数比例是多少？", "环境空气质量优良天数比例"),
    ("依法无偿收回矿业权多少个？", "依法无偿收回矿业权"),
]
"""Seed questions with the exact text that proves a passage answers them (line breaks ignored)."""


def seed_questions(n: int) -> list[str]:
    """``n`` questions about the seed (the known-answer ones, cycled)."""
    qs = [q for q, _ in SEED_QA]
    return [qs[i % len(qs)] for i in range(n)]


def contains(passage: str, needle: str) -> bool:
    squash = lambda s: "".join(s.split())  # noqa: E731
    return squash(needle) in squash(passage)


def free_port(preferred: int = 0) -> int:
    """``preferred`` when it is free on 127.0.0.1, else any free port."""
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(ready: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds until ``ready()`` (a probe of the started server ``proc``) is true; raises when ``proc`` exits
    or ``timeout`` passes first."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"reportqa serve exited with {proc.returncode}")
        try:
            if ready():
                return time.perf_counter() - t0
        except OSError:  # not listening yet (requests' errors are OSErrors too)
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the server did not come up in {timeout} s")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """Terminate ``proc`` (a started server), killing it when it does not exit within 20 s."""
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
