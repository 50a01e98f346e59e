"""One contract for every :class:`~reportqa.index.storage.vectorstore.VectorStore`: FAISS (in-process), Milvus Lite (a
local path) and Milvus over the network (a ``milvus-lite server`` process on 127.0.0.1 started here).

Each store gets the same rows and must give the exact nearest rows (checked against a brute-force inner
product), honour a document filter inside the search, delete by document and survive save + reopen.
Adding a store is one entry in :data:`STORES`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.errors import IndexMismatchError, StorageError
from reportqa.index.storage.vectorstore import VectorStore

from .conftest import ROOT

DIM = 32
DOCS = 6
PER_DOC = 40


@dataclass(frozen=True)
class StoreKind:
    """How to make an empty store of dimension ``dim`` under a temp dir, and reopen one saved into a dir."""

    name: str
    make: Callable[[int, Path], VectorStore]
    reopen: Callable[[VectorStore, Path], VectorStore]
    marks: tuple[pytest.MarkDecorator, ...] = ()


# ---------------------------------------------------------------------------------------------- FAISS


def _faiss_module():  # type: ignore[no-untyped-def]
    from reportqa.index.storage import faiss_store  # FAISS is the default store: never skipped

    return faiss_store


def _faiss_make(dim: int, tmp: Path) -> VectorStore:
    fs = _faiss_module()
    store: VectorStore = fs.FaissStore.build(np.zeros((0, dim), np.float32), np.zeros(0, np.int64))
    return store


def _faiss_reopen(store: VectorStore, tmp: Path) -> VectorStore:
    fs = _faiss_module()
    store.save(tmp)
    reopened: VectorStore = fs.load_faiss_store(tmp, store.stem, store.info)  # type: ignore[attr-defined]
    return reopened


# ---------------------------------------------------------------------------------------------- Milvus

EMBEDDER = "fake:contract"
FIX = "reportqa build --store … --force"


def _milvus_make(uri: Callable[[Path], str]) -> Callable[[int, Path], VectorStore]:
    def make(dim: int, tmp: Path) -> VectorStore:
        from reportqa.index.storage.milvus_store import MilvusStore, parse_store_spec

        spec = parse_store_spec(f"milvus:{uri(tmp)}")
        name = f"contract_{os.urandom(4).hex()}"
        return MilvusStore.open(spec, name, dim, EMBEDDER, keyword=True, create=True, fix=FIX)

    return make


def _milvus_reopen(store: VectorStore, tmp: Path) -> VectorStore:
    from reportqa.index.storage.milvus_store import load_milvus_store, parse_store_spec

    names = store.save(tmp)
    assert names == ["vectors.milvus.json"] and (tmp / names[0]).exists()
    spec = parse_store_spec(f"milvus:{store.uri}")  # type: ignore[attr-defined]
    return load_milvus_store(tmp, "vectors", spec, EMBEDDER, FIX)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``milvus-lite server`` on 127.0.0.1 and a free port (the gRPC path a real Milvus is reached by)."""
    pytest.importorskip("milvus_lite")
    exe = shutil.which("milvus-lite", path=str(Path(sys.executable).parent)) or shutil.which("milvus-lite")
    assert exe, "milvus-lite is installed but its `milvus-lite` command is not on PATH"
    data = tmp_path_factory.mktemp("milvus-server")
    port = _free_port()
    log = open(data / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([exe, "server", "--data-dir", str(data / "db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"milvus-lite server did not start: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


_SERVER: list[str] = []


STORES = [
    StoreKind("faiss", _faiss_make, _faiss_reopen),
    StoreKind("milvus-lite", _milvus_make(lambda tmp: str(tmp / "lib.db")), _milvus_reopen, (pytest.mark.milvus,)),
    StoreKind("milvus-server", _milvus_make(lambda tmp: _SERVER[0]), _milvus_reopen, (pytest.mark.milvus,)),
]


@pytest.fixture(params=[pytest.param(k, id=k.name, marks=k.marks) for k in STORES])
def kind(request: pytest.FixtureRequest) -> StoreKind:
    k: StoreKind = request.param
    if k.name.startswith("milvus"):
        pytest.importorskip("pymilvus")
        pytest.importorskip("milvus_lite")
    if k.name == "milvus-server" and not _SERVER:
        _SERVER.append(request.getfixturevalue("milvus_server"))
    return k


# ---------------------------------------------------------------------------------------------- data


def _data(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clustered unit vectors: document d's rows sit around its own centre (ids contiguous per document)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((DOCS, DIM))
    docs = np.repeat(np.arange(DOCS), PER_DOC).astype(np.int64)
    vecs = centres[docs] + 0.9 * rng.standard_normal((len(docs), DIM))
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    return np.arange(len(docs), dtype=np.int64), vecs, docs


def _queries(n: int = 12, seed: int = 3) -> np.ndarray:
    q = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def _exact(vecs: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int, keep: np.ndarray | None = None) -> list[int]:
    scores = vecs @ q
    rows = np.arange(len(ids)) if keep is None else np.flatnonzero(keep)
    best = rows[np.argsort(-scores[rows], kind="stable")[:k]]
    return [int(i) for i in ids[best]]


@pytest.fixture
def filled(kind: StoreKind, tmp_path: Path) -> tuple[VectorStore, np.ndarray, np.ndarray, np.ndarray]:
    ids, vecs, docs = _data()
    store = kind.make(DIM, tmp_path)
    assert store.dim == DIM and len(store) == 0
    half = len(ids) // 2  # added in two calls: adding grows the store
    store.add(ids[:half], vecs[:half], docs[:half])
    store.add(ids[half:], vecs[half:], docs[half:])
    return store, ids, vecs, docs


# ---------------------------------------------------------------------------------------------- contract


def test_search_returns_the_exact_nearest_rows(filled: tuple[VectorStore, np.ndarray, np.ndarray, np.ndarray]) -> None:
    store, ids, vecs, _ = filled
    assert len(store) == len(ids)
    for q in _queries():
        hits = store.search(q, 10)
        assert [int(i) for i in hits.ids] == _exact(vecs, ids, q, 10)
        np.testing.assert_allclose(hits.scores, np.sort(vecs @ q)[::-1][:10], atol=1e-4)
    # a stored vector finds itself first
    assert int(store.search(vecs[57], 1).ids[0]) == 57


def test_filter_applies_inside_the_search(filled: tuple[VectorStore, np.ndarray, np.ndarray, np.ndarray]) -> None:
    store, ids, vecs, docs = filled
    allowed = frozenset({1, 4})
    keep = np.isin(docs, list(allowed))
    for q in _queries(6):
        hits = store.search(q, 15, allowed)
        assert len(hits.ids) == 15  # the top 15 *among* the allowed documents, not a post-filtered top 15
        assert [int(i) for i in hits.ids] == _exact(vecs, ids, q, 15, keep)
    assert len(store.search(vecs[0], 5, frozenset()).ids) == 0
    assert len(store.search(vecs[0], 5, frozenset({99})).ids) == 0
    few = store.search(vecs[0], 500, frozenset({2}))
    assert sorted(int(i) for i in few.ids) == [int(i) for i in ids[docs == 2]]


def test_delete_documents_removes_their_rows(filled: tuple[VectorStore, np.ndarray, np.ndarray, np.ndarray]) -> None:
    store, ids, vecs, docs = filled
    assert store.delete_documents([2, 3]) == 2 * PER_DOC
    assert len(store) == len(ids) - 2 * PER_DOC
    assert store.delete_documents([2]) == 0
    keep = ~np.isin(docs, [2, 3])
    for q in _queries(6):
        assert [int(i) for i in store.search(q, 10).ids] == _exact(vecs, ids, q, 10, keep)
    # re-adding a document after deleting it (an updated report) makes it searchable again
    rows = docs == 2
    store.add(ids[rows], vecs[rows], docs[rows])
    assert int(store.search(vecs[np.flatnonzero(rows)[5]], 1).ids[0]) == int(ids[rows][5])


def test_save_and_reopen_give_the_same_results(
    filled: tuple[VectorStore, np.ndarray, np.ndarray, np.ndarray], kind: StoreKind, tmp_path: Path
) -> None:
    store, ids, _vecs, _ = filled
    before = [store.search(q, 8, frozenset({0, 5})) for q in _queries(5)]
    saved = tmp_path / "saved"
    saved.mkdir()
    again = kind.reopen(store, saved)
    assert len(again) == len(ids) and again.dim == DIM
    for q, b in zip(_queries(5), before, strict=True):
        a = again.search(q, 8, frozenset({0, 5}))
        assert [int(i) for i in a.ids] == [int(i) for i in b.ids]
        np.testing.assert_allclose(a.scores, b.scores, atol=1e-5)


# ---------------------------------------------------------------------------------------------- Milvus only


@pytest.mark.milvus
def test_milvus_refuses_a_collection_of_another_embedder(tmp_path: Path) -> None:
    pytest.importorskip("milvus_lite")
    from reportqa.index.storage.milvus_store import MilvusStore, parse_store_spec

    spec = parse_store_spec(f"milvus:{tmp_path / 'lib.db'}")
    MilvusStore.open(spec, "refuse", DIM, "fake:a", keyword=False, create=True, fix=FIX)
    with pytest.raises(IndexMismatchError, match=r"embedder=fake:a.*reportqa build --store"):
        MilvusStore.open(spec, "refuse", DIM, "fake:b", keyword=False, create=True, fix=FIX)
    with pytest.raises(IndexMismatchError, match="dim=32"):
        MilvusStore.open(spec, "refuse", 16, "fake:a", keyword=False, create=True, fix=FIX)
    with pytest.raises(IndexMismatchError, match="does not exist"):
        MilvusStore.open(spec, "absent", DIM, "fake:a", keyword=False, create=False, fix=FIX)


@pytest.mark.milvus
def test_milvus_lite_refuses_a_second_process(tmp_path: Path) -> None:
    pytest.importorskip("milvus_lite")
    from reportqa.index.errors import StoreLockedError
    from reportqa.index.storage.milvus_store import MilvusStore, parse_store_spec

    db = tmp_path / "lib.db"
    MilvusStore.open(parse_store_spec(f"milvus:{db}"), "held", DIM, "fake:a", keyword=False, create=True, fix=FIX)
    code = (
        "import sys\n"
        "from reportqa.index.storage.milvus_store import connect, parse_store_spec\n"
        "from reportqa.index.errors import ReportQAError\n"
        f"try:\n    connect(parse_store_spec('milvus:{db}'))\n"
        "except ReportQAError as e:\n    print(type(e).__name__, e.exit_code, e); sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert proc.stdout.startswith(f"{StoreLockedError.__name__} 7 ")
    assert "open in another process" in proc.stdout and str(db) in proc.stdout


@pytest.mark.milvus
def test_milvus_unreachable_server_is_a_clear_error() -> None:
    pytest.importorskip("pymilvus")
    from reportqa.index.storage.milvus_store import connect, parse_store_spec

    with pytest.raises(StorageError, match=r"cannot reach Milvus at http://127\.0\.0\.1:\d+"):
        connect(parse_store_spec(f"milvus:http://127.0.0.1:{_free_port()}"))


def test_store_spec_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportqa.index.errors import UsageError
    from reportqa.index.storage.milvus_store import parse_store_spec

    monkeypatch.delenv("REPORTQA_STORE", raising=False)
    assert parse_store_spec(None).kind == "faiss"
    assert parse_store_spec("milvus:./lib.db").local
    assert not parse_store_spec("milvus:http://host:19530").local
    monkeypatch.setenv("REPORTQA_STORE", "milvus:http://h:19530")
    assert parse_store_spec(None).uri == "http://h:19530"
    assert parse_store_spec("faiss").kind == "faiss"  # the option wins over the environment
    for bad in ("milvus:", "milvus:./lib", "milvus:ftp://x", "elastic:x"):
        with pytest.raises(UsageError, match="--store"):
            parse_store_spec(bad)
    assert parse_store_spec("milvus:./a.db").label() == "milvus:./a.db"


def test_cli_refuses_bad_store_and_ray_options(tmp_path: Path) -> None:
    from .conftest import run_cli

    for args, message in (
        (["--store", "elastic:x"], "unknown store 'elastic:x'"),
        (["--store", "milvus:./lib"], "must end in .db"),
        (["--ray-workers", "0"], "--ray-workers must be at least 1"),
    ):
        proc = run_cli("build", "seeds", "--index-dir", str(tmp_path / "idx"), *args)
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr
        assert not (tmp_path / "idx").exists()  # refused before anything was built
