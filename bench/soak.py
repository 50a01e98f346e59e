"""Soak test: N minutes of mixed questions against ``reportqa serve`` over loopback.

Starts ``python -m reportqa.ui serve`` on a free port (or uses ``--url``), runs ``--clients`` gradio_client
clients that ask a mix of normal, long (200 000 characters), empty, markup and emoji questions until the time
is up, and reports errors, p50/p99 latency and the server's RSS growth (sampled from /proc). Bounded: every
request has a timeout and the run stops at ``--minutes`` (at most 24 h) plus a short drain.

    .venv/bin/python bench/soak.py --index-dir .reportqa/index --minutes 10 --clients 8

Exit status 0 when there were no errors, 1 otherwise. ``--json`` prints the summary as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests/harness.py
from _common import free_port, stop

from tests import harness

ROOT = Path(__file__).resolve().parents[1]

NORMAL = harness.SEED_QUESTIONS
ODD = [
    "西藏" * 100_000,  # cut to the question limit, with a notice
    "<script>alert(1)</script> 西藏 **粗体**",
    "🏔️🌾🚄 今年粮食产量是多少？👍🏽",
    "Tibet 西藏 Тибет التبت 티베트 GDP?",
    "a\x00b\x1b[31m 控制字符\u202e",
]
EMPTY = ["", "   ", "\x00\x01"]  # answered with {"error": ...}: expected, not counted as errors


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def start_server(index_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reportqa.ui", "serve", "--index-dir", str(index_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; run it by hand to see why")
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start within 180 s")


def soak(url: str, minutes: float, clients: int, seed: int, server_pid: int | None) -> dict[str, Any]:
    from gradio_client import Client

    stop_at = time.monotonic() + minutes * 60
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    expected_errors = 0
    rss: list[tuple[float, int]] = []

    def worker(i: int) -> None:
        nonlocal expected_errors
        rng = random.Random(seed + i)
        c = Client(url, verbose=False, download_files=False)
        while time.monotonic() < stop_at:
            roll = rng.random()
            q = rng.choice(NORMAL if roll < 0.8 else ODD if roll < 0.95 else EMPTY)
            k = rng.choice((1, 3, 5, 10))
            t0 = time.perf_counter()
            try:
                job = c.submit(q, k, api_name="/ask")
                r = job.result(timeout=60)
                if q in EMPTY:
                    ok = isinstance(r, dict) and "error" in r
                    if ok:
                        with lock:
                            expected_errors += 1
                else:
                    ok = isinstance(r, dict) and "error" not in r and len(r.get("passages", [])) == k
            except Exception as e:  # counted and reported
                ok, r = False, repr(e)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if not ok:
                    errors.append(f"{q[:40]!r}: {str(r)[:200]}")

    def sampler() -> None:
        t0 = time.monotonic()
        while time.monotonic() < stop_at + 1:
            if server_pid is not None and (kib := rss_kib(server_pid)) is not None:
                rss.append((time.monotonic() - t0, kib))
            time.sleep(5)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    threads.append(threading.Thread(target=sampler, daemon=True))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(minutes * 60 + 120)  # bounded even if a request hangs
    wall = time.perf_counter() - t0
    lat = sorted(latencies)

    def pct(p: float) -> float | None:
        return round(lat[min(len(lat) - 1, max(0, round(p * len(lat)) - 1))] * 1000, 1) if lat else None

    first_rss = statistics.median(k for _, k in rss[:3]) if rss else None
    last_rss = statistics.median(k for _, k in rss[-3:]) if rss else None
    return {
        "url": url,
        "minutes": minutes,
        "clients": clients,
        "requests": len(lat),
        "req_per_s": round(len(lat) / wall, 2) if wall else None,
        "errors": len(errors),
        "error_samples": errors[:10],
        "expected_error_replies": expected_errors,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "rss_start_mib": round(first_rss / 1024, 1) if first_rss else None,
        "rss_end_mib": round(last_rss / 1024, 1) if last_rss else None,
        "rss_growth_mib": round((last_rss - first_rss) / 1024, 1) if first_rss and last_rss else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-dir", default=".reportqa/index", help="index to serve (ignored with --url)")
    ap.add_argument("--url", help="an already running server (RSS is then not sampled unless --pid)")
    ap.add_argument("--pid", type=int, help="server process id for RSS sampling with --url")
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not 0 < args.minutes <= 24 * 60 or not 1 <= args.clients <= 256:
        ap.error("--minutes must be in (0, 1440] and --clients in [1, 256]")
    proc = None
    if args.url:
        url, pid = args.url.rstrip("/"), args.pid
    else:
        proc, url = start_server(Path(args.index_dir))
        pid = proc.pid
    try:
        summary = soak(url, args.minutes, args.clients, args.seed, pid)
    finally:
        stop(proc)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        s = summary
        print(
            f"soak {s['minutes']} min, {s['clients']} clients: {s['requests']} requests ({s['req_per_s']} req/s), "
            f"errors {s['errors']}, p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms, "
            f"RSS {s['rss_start_mib']} → {s['rss_end_mib']} MiB (growth {s['rss_growth_mib']} MiB)"
        )
        for e in s["error_samples"]:
            print("  error:", e)
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
