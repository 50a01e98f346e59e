"""One library build in a child process (``python -m reportqa.index.pipeline.libworker JOB``), so that killing it can
never corrupt the server. ``JOB`` is JSON: ``index_dir``, ``files`` (``[path, name]`` pairs), ``embedder``
(a spec) and ``factory`` (``module:callable`` making the embedder, or null). Writes one JSON object per line:
``{"progress": [done, total]}``, then ``{"done": {...}}`` or ``{"error": message, "type": class name}``."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from reportqa.index.embedding.embedders import Embedder
from reportqa.index.errors import ReportQAError


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    from .library import build_in_process

    job = json.loads(argv[0])
    embedder: str | Embedder | None = job.get("embedder")
    if job.get("factory"):
        module, _, attr = str(job["factory"]).partition(":")
        embedder = getattr(importlib.import_module(module), attr)()
    files = [(Path(p), str(n)) for p, n in job["files"]]
    try:
        out = build_in_process(Path(job["index_dir"]), files, embedder, lambda d, t: _emit({"progress": [d, t]}))
    except ReportQAError as e:
        _emit({"error": str(e), "type": type(e).__name__})
        return e.exit_code
    _emit({"done": {"build_id": out.build_id, "documents": out.documents, "passages": out.passages,
                    "seconds": out.seconds}})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
