"""HTTP ``/ask`` through ``reportqa serve``: latency under 1 and under 16 concurrent gradio_client clients.

    python bench/bench_serve.py [--clients 16] [--per-client 12] [--port 7871]

Starts ``reportqa serve`` on the seed index (built first if needed) on a free local port, waits for it, then
runs one client alone (baseline) and ``--clients`` clients at once, each with its own ``gradio_client.Client``
asking ``--per-client`` questions in sequence. Reports p50/p99 per request and throughput. Stops the server it
started (by its pid) at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

from _common import PY, ROOT, SEED_DIR, WORK, cli, free_port, median, pct, save, seed_questions, stop, wait_ready


def page_ready(url: str) -> Callable[[], bool]:
    import urllib.request

    def probe() -> bool:
        with urllib.request.urlopen(url + "/config", timeout=2) as r:
            return bool(r.status == 200)

    return probe


def run_clients(url: str, n_clients: int, per_client: int) -> dict[str, Any]:
    from gradio_client import Client

    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n_clients)
    qs = seed_questions(n_clients * per_client)

    def worker(c: int) -> None:
        client = Client(url, verbose=False, download_files=False)
        client.predict(qs[c], 5, api_name="/ask")  # warm this client's connection
        barrier.wait()
        for i in range(per_client):
            q = qs[c * per_client + i]
            t = time.perf_counter()
            try:
                out = client.predict(q, 5, api_name="/ask")
                assert isinstance(out, dict) and "passages" in out, out
            except Exception as e:  # report, don't hide
                with lock:
                    errors.append(repr(e)[:200])
                continue
            with lock:
                lat.append(time.perf_counter() - t)

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(n_clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    return {
        "clients": n_clients,
        "requests": len(lat),
        "errors": len(errors),
        "error_samples": errors[:3],
        "p50_ms": 1000 * median(lat),
        "p90_ms": 1000 * pct(lat, 90),
        "p99_ms": 1000 * pct(lat, 99),
        "throughput_rps": len(lat) / wall if wall else 0.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-client", type=int, default=12)
    ap.add_argument("--port", type=int, default=7871)
    args = ap.parse_args()
    try:
        import reportqa.ui.app  # noqa: F401
    except ImportError as e:
        print(f"reportqa serve is not available yet ({e}); nothing measured")
        save("serve", {"status": "skipped", "reason": str(e)})
        return 0
    idx = WORK / "seed-index" / "index"
    cli("build", str(SEED_DIR), "--index-dir", str(idx), "--quiet")
    port = free_port(args.port)
    url = f"http://127.0.0.1:{port}"
    log = open(WORK / "serve.log", "wb")  # noqa: SIM115 - open for the server's lifetime, closed below
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen(
        [PY, "-m", "reportqa.ui", "serve", "--index-dir", str(idx), "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        ready_s = wait_ready(page_ready(url), proc, 120)
        single = run_clients(url, 1, max(args.per_client * 2, 20))
        concurrent = run_clients(url, args.clients, args.per_client)
    finally:
        stop(proc)
        log.close()
    data = {"status": "ok", "server_ready_s": ready_s, "single": single, "concurrent": concurrent}
    save("serve", data)
    print(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
