"""Soak: 16 clients ask through a live engine while 10 reports are added to the library and 3 removed, one
after another. Every answer must come from an index holding exactly the reports it should at that moment
(one of the states the jobs passed through, never going back), a present report's own passage must be
found first, a removed report never appears after its switch, and no upload is lost."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.pipeline.library import Library
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.live import LiveEngine
from reportqa.qa.scope import named_regions, named_years

from tests.conftest import FakeEmbedder

CORPUS = Path(__file__).parent / "data" / "corpus" / "provincial-2026"
ALL = sorted(p.name for p in CORPUS.glob("*.txt"))
START = ALL[:3]
ADDED = ALL[3:13]
REMOVE_AFTER = {3: START[0], 6: ADDED[0], 9: START[1]}
"""After the n-th add (1-based), remove this report."""
CLIENTS = 16


def _questions(tmp: Path, fake: FakeEmbedder) -> dict[str, str]:
    """One question per report: a passage of it that names no region or year and finds it first."""
    docs = tmp / "all"
    docs.mkdir()
    for n in [*START, *ADDED]:
        (docs / n).write_bytes((CORPUS / n).read_bytes())
    engine = Engine(store.load_index(build_index([docs], tmp / "all-idx", fake).index_dir), fake)
    out: dict[str, str] = {}
    for d in engine.index.documents:
        ids = list(d.chunk_ids)
        for i in ids[len(ids) // 3 :] + ids[: len(ids) // 3]:
            q = engine.index.chunks[i].text[:50]
            if len(q) < 40 or named_regions(q) or named_years(q)[0]:
                continue
            hits = engine.ask(q, k=3).hits
            if hits and hits[0].chunk.citation.document == d.name:
                out[d.name] = q
                break
    assert set(out) == set(START) | set(ADDED)
    return out


@pytest.mark.slow
def test_soak_add_and_remove_while_sixteen_clients_ask(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    questions = _questions(tmp_path, fake)
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in START:
        (docs / n).write_bytes((CORPUS / n).read_bytes())
    idx = tmp_path / "idx"
    build_index([docs], idx, fake)
    live = LiveEngine(idx, engine=Engine(store.load_index(idx), fake), check_every=0.05)
    lib = Library(tmp_path / "library", idx, fake, on_change=lambda job: live.check_now())

    states: list[frozenset[str]] = [frozenset(START)]
    build_docs: dict[str, frozenset[str]] = {}
    problems: list[str] = []
    asked = [0] * CLIENTS
    last_held: list[frozenset[str]] = [frozenset()] * CLIENTS
    stop = threading.Event()
    order = list(questions.items())

    def client(c: int) -> None:
        seen = 0
        i = c
        while not stop.is_set():
            engine = live.current()
            held = frozenset(d.name for d in engine.index.documents)
            bid = engine.index.build_id
            if build_docs.setdefault(bid, held) != held:
                problems.append(f"build {bid} changed its documents")
            if held not in states:
                problems.append(f"client {c}: build {bid} holds {sorted(held)}, not a state the jobs passed through")
            else:
                at = states.index(held)
                if at < seen:
                    problems.append(f"client {c}: went back from state {seen} to {at}")
                seen = max(seen, at)
            name, q = order[i % len(order)]
            i += 1
            try:
                answer = engine.ask(q, k=5)
            except Exception as e:  # any failure is a finding
                problems.append(f"client {c}: {type(e).__name__}: {e}")
                continue
            got = {h.chunk.citation.document for h in answer.hits}
            if not got <= held:
                problems.append(f"client {c}: passages of {sorted(got - held)} from build {bid}")
            if name in held and (not answer.hits or answer.hits[0].chunk.citation.document != name):
                problems.append(f"client {c}: {name}'s own passage not found first in build {bid}")
            asked[c] += 1
            last_held[c] = held
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(CLIENTS)]
    for t in threads:
        t.start()
    uploads = {}
    t0 = time.monotonic()
    try:
        current = set(START)
        for n, name in enumerate(ADDED, 1):
            data = (CORPUS / name).read_bytes()
            up = lib.add(name, data)
            uploads[up.id] = (up, hashlib.sha256(data).hexdigest())
            current.add(name)
            states.append(frozenset(current))
            job = lib.enqueue(up.id)
            assert lib.wait_idle(120) and lib.job(job.id).state == "done", lib.job(job.id).reason
            if n in REMOVE_AFTER:
                gone = REMOVE_AFTER[n]
                current.discard(gone)
                states.append(frozenset(current))
                job = lib.remove(gone)
                assert lib.wait_idle(120) and lib.job(job.id).state == "done", lib.job(job.id).reason
        deadline = time.monotonic() + 30
        while frozenset(d.name for d in live.current().index.documents) != states[-1]:
            assert time.monotonic() < deadline, "the server never switched to the last build"
            live.check_now()
            time.sleep(0.05)
        # every client asks the final build, and a fair number of times in all, however fast the jobs ran
        deadline = time.monotonic() + 120  # only ends a hung test
        while min(asked) < 8 or any(h != states[-1] for h in last_held):
            assert time.monotonic() < deadline, f"clients stalled: {asked}"
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        lib.close()
    seconds = time.monotonic() - t0
    assert not problems, problems[:10]
    assert min(asked) > 0 and sum(asked) > 100, asked
    final = live.current()
    assert {d.name for d in final.index.documents} == states[-1] == {d.name for d in store.read_documents(idx)}
    for up, sha in uploads.values():  # no lost upload: every added report is indexed or moved aside, intact
        kept = lib.folder / up.name
        moved = list((lib.folder / ".removed").glob(f"*-{up.name}"))
        path = kept if kept.exists() else moved[0]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
        assert (up.name in states[-1]) == kept.exists()
    for gone in REMOVE_AFTER.values():
        answer = final.ask(questions[gone], k=10)
        assert gone not in {h.chunk.citation.document for h in answer.hits}
    print(f"soak: {sum(asked)} answers by {CLIENTS} clients during 13 library jobs in {seconds:.1f} s")
