"""The REST API against Gradio's ``/ask`` on one ``reportqa serve``, side by side in one run.

    python bench/bench_api.py [--index-dir DIR] [--runs 3] [--clients 16] [--per-client 12] [--mixed 1000]

Starts ``reportqa serve --token …`` on the index (default: the seed, built first into ``$REPORTQA_BENCH_WORK``)
on a free local port and waits for it. Each run measures, interleaved: ``/api/v1/ask`` (``requests``) and
Gradio's queued ``/ask`` (``gradio_client``) with 1 client, then both with ``--clients`` clients at once;
while the API's clients run, one more client keeps asking through Gradio's queue (the chat's path) to show
the page still answers; and, with no server, the same ``--clients`` threads calling the API's ``ask_json``
on an engine in the benchmark's own process (what HTTP adds is the difference). Then ``--mixed`` requests
with bad input interleaved (empty question, k out of range, unknown mode/region/document, a body over the
limit, no credentials, broken JSON, an unknown route), from 8 threads: every one must get its expected status
and a JSON body, none lost.
Reports the median over runs of p50/p99 and answers/s, and the API/Gradio ratio. Stops its server by pid.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import PY, ROOT, SEED_DIR, WORK, cli, free_port, median, pct, save, seed_questions, stop, wait_ready

TOKEN = "bench-token-" + "x" * 12


def api_ready(url: str) -> Callable[[], bool]:
    import requests

    return lambda: requests.get(url + "/api/v1/documents", headers={"Authorization": f"Bearer {TOKEN}"},
                                timeout=5).status_code == 200  # fmt: skip


def summary(lat: list[float], errors: list[str], wall: float, clients: int) -> dict[str, Any]:
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "error_samples": errors[:3],
        "p50_ms": 1000 * median(lat) if lat else None,
        "p99_ms": 1000 * pct(lat, 99) if lat else None,
        "answers_per_s": len(lat) / wall if wall else 0.0,
    }


def api_asker(url: str) -> Callable[[], Callable[[str], dict[str, Any]]]:
    import requests

    def make() -> Callable[[str], dict[str, Any]]:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"

        def ask(q: str) -> dict[str, Any]:
            r = session.get(url + "/api/v1/ask", params={"q": q, "k": 5}, timeout=60)
            r.raise_for_status()
            out: dict[str, Any] = r.json()
            return out

        return ask

    return make


def gradio_asker(url: str) -> Callable[[], Callable[[str], dict[str, Any]]]:
    from gradio_client import Client

    def make() -> Callable[[str], dict[str, Any]]:
        client = Client(url, verbose=False, download_files=False, auth=("bench", TOKEN))

        def ask(q: str) -> dict[str, Any]:
            out: dict[str, Any] = client.predict(q, 5, api_name="/ask")
            return out

        return ask

    return make


def run_clients(make: Callable[[], Callable[[str], dict[str, Any]]], n_clients: int, per_client: int,
                questions: list[str], beside: Callable[[threading.Event], dict[str, Any]] | None = None,
                ) -> dict[str, Any]:  # fmt: skip
    """``n_clients`` threads, each with its own client, asking ``per_client`` questions after a barrier."""
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n_clients + 1)
    askers = [make() for _ in range(n_clients)]
    for c, ask in enumerate(askers):
        ask(questions[c % len(questions)])  # warm each connection

    def worker(c: int) -> None:
        ask = askers[c]
        barrier.wait()
        for i in range(per_client):
            q = questions[(c * per_client + i) % len(questions)]
            t = time.perf_counter()
            try:
                out = ask(q)
                if "passages" not in out:
                    raise AssertionError(str(out)[:200])
            except Exception as e:  # report, don't hide
                with lock:
                    errors.append(repr(e)[:200])
                continue
            with lock:
                lat.append(time.perf_counter() - t)

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(n_clients)]
    for th in threads:
        th.start()
    done = threading.Event()
    side: dict[str, Any] = {}
    side_thread = None
    if beside is not None:
        side_thread = threading.Thread(target=lambda: side.update(beside(done)))
        side_thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    done.set()
    if side_thread is not None:
        side_thread.join()
    out = summary(lat, errors, wall, n_clients)
    if beside is not None:
        out["chat_meanwhile"] = side
    return out


def inprocess_asker(idx: Path) -> Callable[[], Callable[[str], dict[str, Any]]]:
    """No server at all: the same ``ask_json`` the API route calls, on an engine in this process (what the
    HTTP layer adds is the difference)."""
    from reportqa.qa.engine import Engine
    from reportqa.ui.queries import ask_json

    engine = Engine.open(idx, check_sources=False)

    def make() -> Callable[[str], dict[str, Any]]:
        return lambda q: ask_json(engine, q, 5, "hybrid")

    return make


def chat_probe(url: str, questions: list[str]) -> Callable[[threading.Event], dict[str, Any]]:
    """One client asking through Gradio's queue (the chat's path) until ``done``."""

    def probe(done: threading.Event) -> dict[str, Any]:
        ask = gradio_asker(url)()
        lat: list[float] = []
        errors = 0
        i = 0
        while not done.is_set():
            t = time.perf_counter()
            try:
                out = ask(questions[i % len(questions)])
                if "passages" not in out:
                    errors += 1
                else:
                    lat.append(time.perf_counter() - t)
            except Exception:
                errors += 1
            i += 1
        return {"answers": len(lat), "errors": errors, "p50_ms": 1000 * median(lat) if lat else None,
                "max_ms": 1000 * max(lat) if lat else None}  # fmt: skip

    return probe


# ---------------------------------------------------------------------------------------------- mixed


def mixed_cases(doc: str) -> list[tuple[str, str, dict[str, Any], int]]:
    """(method, path, request kwargs, expected status): good questions and every kind of bad input."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    good = [("GET", "/api/v1/ask", {"params": {"q": q, "k": 3}, "headers": auth}, 200) for q in seed_questions(8)]
    good += [
        ("POST", "/api/v1/ask", {"json": {"q": "粮食产量", "k": 2, "doc": [doc]}, "headers": auth}, 200),
        ("GET", "/api/v1/search", {"params": {"q": "旅游接待人次"}, "headers": auth}, 200),
        ("GET", "/api/v1/targets", {"params": {"format": "csv"}, "headers": auth}, 200),
        ("GET", "/api/v1/documents", {"headers": auth}, 200),
    ]
    bad = [
        ("GET", "/api/v1/ask", {"params": {"q": "   "}, "headers": auth}, 400),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP", "k": 0}, "headers": auth}, 400),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP", "k": 999}, "headers": auth}, 400),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP", "mode": "fuzzy"}, "headers": auth}, 400),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP", "region": "Atlantis"}, "headers": auth}, 400),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP", "doc": "no-such.txt"}, "headers": auth}, 404),
        ("POST", "/api/v1/ask", {"data": b"{broken", "headers": {**auth, "content-type": "application/json"}}, 400),
        ("POST", "/api/v1/ask", {"json": {"q": "藏" * 40_000}, "headers": auth}, 413),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP"}}, 401),
        ("GET", "/api/v1/ask", {"params": {"q": "GDP"}, "headers": {"Authorization": "Bearer wrong-000000"}}, 401),
        ("GET", "/api/v1/nowhere", {"headers": auth}, 404),
    ]
    return good + bad


def run_mixed(url: str, n: int, doc: str, threads: int = 8) -> dict[str, Any]:
    import requests

    cases = mixed_cases(doc)
    rng = random.Random(26)
    plan = [cases[rng.randrange(len(cases))] for _ in range(n)]
    results: list[tuple[int, int, bool]] = [(0, 0, False)] * n  # (expected, got, json body)
    lock = threading.Lock()
    nxt = [0]

    def worker() -> None:
        session = requests.Session()
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= n:
                return
            method, path, kwargs, expected = plan[i]
            try:
                r = session.request(method, url + path, timeout=60, **kwargs)
                ok_body = r.headers.get("content-type", "").startswith(("application/json", "text/csv"))
                if r.headers.get("content-type", "").startswith("application/json"):
                    body = r.json()
                    ok_body = ("passages" in body or "documents" in body) if r.status_code == 200 else (
                        {"error", "code"} <= set(body))  # fmt: skip
                results[i] = (expected, r.status_code, ok_body)
            except Exception:  # a lost request: no answer at all
                results[i] = (expected, -1, False)

    t0 = time.perf_counter()
    ths = [threading.Thread(target=worker) for _ in range(threads)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    wall = time.perf_counter() - t0
    lost = sum(1 for _, got, _ in results if got == -1)
    wrong = sum(1 for exp, got, body in results if got != -1 and (got != exp or not body))
    by_status: dict[str, int] = {}
    for _, got, _ in results:
        by_status[str(got)] = by_status.get(str(got), 0) + 1
    good = sum(1 for exp, _, _ in results if exp == 200)
    return {"requests": n, "good": good, "bad": n - good, "lost": lost, "wrong_status_or_body": wrong,
            "by_status": by_status, "seconds": wall}  # fmt: skip


# ---------------------------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-dir", default=None, help="an index to serve (default: the seed, built first)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-client", type=int, default=12)
    ap.add_argument("--mixed", type=int, default=1000)
    ap.add_argument("--name", default="api", help="result file bench/results/NAME.json")
    args = ap.parse_args()
    if args.index_dir:
        idx = Path(args.index_dir)
    else:
        idx = WORK / "seed-index" / "index"
        cli("build", str(SEED_DIR), "--index-dir", str(idx), "--quiet")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = WORK / "serve-api.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - open for the server's lifetime, closed below
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen(
        [PY, "-m", "reportqa.ui", "serve", "--index-dir", str(idx), "--port", str(port), "--token", TOKEN],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    questions = seed_questions(64)
    runs: list[dict[str, Any]] = []
    try:
        ready_s = wait_ready(api_ready(url), proc, 300)
        import requests

        docs = requests.get(url + "/api/v1/documents", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        doc = docs.json()["documents"][0]["name"]
        inproc = inprocess_asker(idx)
        for r in range(args.runs):
            # interleaved (API, Gradio, API, Gradio) so a burst of load from others hits both sides alike
            run = {"api_1": run_clients(api_asker(url), 1, args.per_client * 2, questions)}
            run["gradio_1"] = run_clients(gradio_asker(url), 1, args.per_client * 2, questions)
            run["api_n"] = run_clients(api_asker(url), args.clients, args.per_client, questions,
                                       beside=chat_probe(url, questions))  # fmt: skip
            run["gradio_n"] = run_clients(gradio_asker(url), args.clients, args.per_client, questions)
            run["inprocess_n"] = run_clients(inproc, args.clients, args.per_client, questions)
            runs.append(run)
            print(f"run {r + 1}: " + json.dumps({k: (v["answers_per_s"], v["p50_ms"], v["p99_ms"], v["errors"])
                                                  for k, v in run.items()}), flush=True)  # fmt: skip
        mixed = run_mixed(url, args.mixed, doc)
        alive = requests.get(url + "/api/v1/ask", params={"q": "粮食产量"},
                             headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).status_code  # fmt: skip
    finally:
        stop(proc)
        log.close()

    def med(key: str, field: str) -> float:
        return median([float(run[key][field]) for run in runs])

    table = {key: {f: med(key, f) for f in ("answers_per_s", "p50_ms", "p99_ms")} | {
        "errors": sum(run[key]["errors"] for run in runs)} for key in runs[0]}  # fmt: skip
    ratio = {
        "answers_per_s_1": table["api_1"]["answers_per_s"] / max(table["gradio_1"]["answers_per_s"], 1e-9),
        "answers_per_s_n": table["api_n"]["answers_per_s"] / max(table["gradio_n"]["answers_per_s"], 1e-9),
    }
    data = {"status": "ok", "index_dir": str(idx), "server_ready_s": ready_s, "clients": args.clients,
            "per_client": args.per_client, "runs": runs, "median": table, "ratio_api_over_gradio": ratio,
            "mixed": mixed, "alive_after_mixed": alive}  # fmt: skip
    save(args.name, data)
    print(json.dumps({"median": table, "ratio": ratio, "mixed": mixed}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
