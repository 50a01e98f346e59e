"""The library: uploads checked from their bytes, one build at a time, failures and restarts that change
nothing, removal that moves the source aside (fake embedder; builds in the worker thread unless a test
needs a child process to kill)."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from reportqa.index.errors import UploadRefusedError, UsageError
from reportqa.index.pipeline import pausepoint
from reportqa.index.pipeline.build import build_index
from reportqa.index.pipeline.library import (
    INCOMING,
    JOURNAL,
    REMOVED,
    Library,
    Limits,
    check_upload,
    remove_document,
    sanitize_name,
)
from reportqa.index.reading.metaoverride import MetaOverride
from reportqa.index.storage import store

from tests.conftest import FakeEmbedder
from tests.test_readers import make_pdf

CORPUS = Path(__file__).parent / "data" / "corpus" / "provincial-2026"
REPORTS = ["hebei-2026.txt", "xizang-2026.txt", "henan-2026.txt", "hainan-2026.txt"]


def report(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture
def served(tmp_path: Path, fake_embedder: FakeEmbedder) -> tuple[Path, Path]:
    """An index of one report built from a folder of its own, and an empty library folder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / REPORTS[0]).write_bytes(report(REPORTS[0]))
    idx = tmp_path / "idx"
    build_index([docs], idx, fake_embedder)
    return idx, tmp_path / "library"


def names(idx: Path) -> list[str]:
    return [d.name for d in store.read_documents(idx)]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every indexed (non-hidden) file of a library folder with its bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


# ------------------------------------------------------------------------------------------------ checks


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not a readable image"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, "not a readable image"),
        (bytes(range(256)) * 40, "binary"),
        ("短短一句。".encode(), "characters of text"),
        (("\ue000\ue001\ue002§¤¦¨©" * 200).encode(), "garbled"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Word"),
    ],
)
def test_not_a_report_is_refused_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UploadRefusedError, match=reason):
        check_upload(data, "report.txt")


def long_docx() -> bytes:
    import docx

    document = docx.Document()
    for i in range(20):
        document.add_paragraph(f"第{i}段：经济运行稳中有进，地区生产总值增长百分之五左右。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_type_comes_from_the_bytes_not_the_name() -> None:
    pdf = make_pdf(["Government Work Report " * 20, "The economy grew steadily in 2023. " * 20])
    assert check_upload(pdf, "report.txt")[0] == "pdf"
    assert check_upload(long_docx(), "report.pdf")[0] == "docx"
    html = ("<!DOCTYPE html><html><body>" + "<p>政府工作报告，经济平稳增长。</p>" * 30 + "</body></html>").encode()
    assert check_upload(html, "report.txt")[0] == "html"
    assert check_upload(report(REPORTS[0]), "r.pdf")[0] == "txt"
    assert check_upload(report(REPORTS[0]), "r.md")[0] == "md"


def test_limits_are_enforced_with_the_numbers() -> None:
    data = report(REPORTS[0])
    with pytest.raises(UploadRefusedError, match="MB limit"):
        check_upload(data, "r.txt", Limits(max_bytes=1000))
    with pytest.raises(UploadRefusedError, match="character limit"):
        check_upload(data, "r.txt", Limits(max_chars=1000))
    pdf = make_pdf(["Government Work Report page text " * 10] * 3)
    with pytest.raises(UploadRefusedError, match="3 pages"):
        check_upload(pdf, "r.pdf", Limits(max_pages=2, min_chars=10))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_members_and_expanded_size_are_bounded_before_decompression() -> None:
    bomb = _zip({"word/document.xml": b"<w/>", "pad.bin": bytes(5_000_000)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefusedError, match="expands to"):
        check_upload(bomb, "r.docx", Limits(max_zip_bytes=1_000_000))
    many = _zip({"word/document.xml": b"<w/>", **{f"m{i}.xml": b"x" for i in range(30)}})
    with pytest.raises(UploadRefusedError, match="31 files inside"):
        check_upload(many, "r.docx", Limits(max_zip_members=20))
    with pytest.raises(UploadRefusedError, match="not a .docx"):
        check_upload(_zip({"a.txt": b"hello"}), "r.docx")


@pytest.mark.parametrize(
    ("given", "fmt", "expected"),
    [
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("..\\..\\boot.ini", "txt", "boot.ini.txt"),
        (".hidden.txt", "txt", "hidden.txt"),
        ("a<b>:c|d?.pdf", "pdf", "a_b__c_d_.pdf"),
        ("report.txt", "pdf", "report.pdf"),
        ("", "md", "report.md"),
        ("x" * 300 + ".txt", "txt", "x" * 120 + ".txt"),
        ("西藏 2024.docx", "docx", "西藏 2024.docx"),
    ],
)
def test_names_are_sanitised(given: str, fmt: str, expected: str) -> None:
    assert sanitize_name(given, fmt) == expected  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ adding


def test_add_preview_edit_and_index_one_report(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder)
    try:
        up = lib.add("../" + REPORTS[1], report(REPORTS[1]))
        assert up.status == "staged" and up.name == REPORTS[1]
        assert not (folder / up.name).exists()  # staged, not yet in the library
        pv = lib.preview(up.id)
        assert pv.region == "西藏自治区" and pv.year == 2026 and len(pv.paragraphs) > 20
        pv = lib.set_meta(up.id, region="Tibet", year=2025, title="改过的标题")
        assert (pv.region, pv.year, pv.title) == ("西藏自治区", 2025, "改过的标题")
        with pytest.raises(UsageError, match="1949"):
            lib.set_meta(up.id, year=1800)
        calls = fake_embedder.calls
        job = lib.enqueue(up.id)
        assert lib.wait_idle(60)
        job = lib.job(job.id)
        assert job.state == "done", job.reason
        assert job.build_id == store.read_manifest(idx.resolve())["build_id"]
        assert names(idx) == [REPORTS[0], REPORTS[1]]
        assert (folder / up.name).read_bytes() == report(REPORTS[1])
        assert json.loads((folder / f"{up.name}.meta.json").read_text())["year"] == 2025
        doc = next(d for d in lib.documents() if d.name == up.name)
        assert doc.in_library and doc.year == 2025 and doc.added_at is not None and doc.sha256 == up.sha256
        # only the new report was embedded: the first one's texts came from the cache / previous build
        first = store.read_documents(idx)[0]
        assert fake_embedder.calls - calls <= doc.passages + store.read_documents(idx)[1].sentences
        assert first.name == REPORTS[0]
    finally:
        lib.close()


def test_same_bytes_are_already_indexed_and_same_name_is_a_new_version(
    served: tuple[Path, Path], fake_embedder: FakeEmbedder
) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder)
    try:
        dup = lib.add("copy.txt", report(REPORTS[0]))
        assert dup.status == "duplicate" and dup.duplicate_of == REPORTS[0] and "already indexed" in dup.message
        assert not list((folder / INCOMING).iterdir())
        other = lib.add(REPORTS[0], report(REPORTS[1]))
        assert other.status == "staged" and other.name == "hebei-2026 (2).txt"
        again = lib.add("again.txt", report(REPORTS[1]))
        assert again.status == "duplicate" and again.duplicate_of == other.name
        assert "already uploaded" in again.message  # staged, not yet indexed
        lib.enqueue(other.id)
        assert lib.wait_idle(60)
        third = lib.add("third.txt", report(REPORTS[1]))
        assert third.status == "duplicate" and "already indexed" in third.message  # landed now
    finally:
        lib.close()


def test_a_refused_upload_changes_nothing(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder)
    try:
        journal = (folder / JOURNAL).read_bytes() if (folder / JOURNAL).exists() else None
        with pytest.raises(UploadRefusedError):
            lib.add("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(5000))
        assert not list((folder / INCOMING).iterdir()) and lib.uploads() == []
        assert ((folder / JOURNAL).read_bytes() if (folder / JOURNAL).exists() else None) == journal
    finally:
        lib.close()


def test_library_folder_inside_the_index_is_refused(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, _ = served
    with pytest.raises(UsageError, match="inside the index"):
        Library(idx / "lib", idx, fake_embedder, start=False)


def test_one_library_per_folder(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        with pytest.raises(Exception, match="another server manages"):
            Library(folder, idx, fake_embedder, start=False)
    finally:
        lib.close()


# ------------------------------------------------------------------------------------------------ queue


def test_jobs_run_one_at_a_time_in_order(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    running: list[int] = []
    overlap: list[int] = []

    def watch(job: object) -> None:
        n = sum(1 for j in lib.jobs if j.state == "running")
        running.append(n)
        if n > 1:
            overlap.append(n)

    lib = Library(folder, idx, fake_embedder, on_change=watch, start=False)
    try:
        jobs = [lib.enqueue(lib.add(n, report(n)).id) for n in REPORTS[1:]]
        assert [j.state for j in lib.queue()] == ["queued"] * 3
        lib.start()
        assert lib.wait_idle(120)
        assert [lib.job(j.id).state for j in jobs] == ["done"] * 3
        starts = [lib.job(j.id).started_at or 0 for j in jobs]
        ends = [lib.job(j.id).finished_at or 0 for j in jobs]
        assert starts == sorted(starts) and all(ends[i] <= starts[i + 1] for i in range(2))
        assert not overlap and max(running) == 1
        assert names(idx) == REPORTS
    finally:
        lib.close()


# ------------------------------------------------------------------------------------------------ faults


def test_a_build_that_fails_changes_nothing_and_can_be_retried(
    served: tuple[Path, Path], fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        up = lib.add(REPORTS[1], report(REPORTS[1]))
        before_build = store.read_manifest(idx.resolve())["build_id"]
        before_files = snapshot(folder)
        import reportqa.index.pipeline.build as build_mod

        real = build_mod.write_and_swap

        def broken(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device", str(idx))

        monkeypatch.setattr(build_mod, "write_and_swap", broken)
        job = lib.enqueue(up.id)
        lib.start()
        assert lib.wait_idle(60)
        job = lib.job(job.id)
        assert job.state == "failed" and "No space left" in (job.reason or "")
        assert store.read_manifest(idx.resolve())["build_id"] == before_build
        assert snapshot(folder) == before_files
        assert (folder / INCOMING / up.id / up.name).read_bytes() == report(REPORTS[1])
        assert not [p for p in idx.parent.iterdir() if ".tmp-" in p.name]
        monkeypatch.setattr(build_mod, "write_and_swap", real)
        lib.retry(job.id)
        assert lib.wait_idle(60)
        assert lib.job(job.id).state == "done"
        assert names(idx) == REPORTS[:2]
    finally:
        lib.close()


def test_a_killed_build_process_leaves_the_index_and_folder_as_they_were(
    served: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    idx, folder = served
    hold = idx.parent / "release"
    # the build process holds after its first batch of new vectors (index/pipeline/pausepoint.py): the first report
    # is reused, the new one is being embedded, on any machine
    monkeypatch.setenv(pausepoint.ENV, f"embedded-batch:{hold}")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    lib = Library(folder, idx, "fake", in_process=False, embedder_factory="tests.library_helpers:fake",
                  start=False)  # fmt: skip
    try:
        up = lib.add(REPORTS[2], report(REPORTS[2]))
        before = store.read_manifest(idx.resolve())["build_id"]
        job = lib.enqueue(up.id)
        lib.start()
        deadline = time.monotonic() + 120  # only ends a hung test
        while not Path(f"{hold}.reached").exists():
            assert lib.job(job.id).state in ("queued", "running"), lib.job(job.id).reason
            assert time.monotonic() < deadline, "the build never reached its first batch of vectors"
            time.sleep(0.05)
        assert lib.job(job.id).state == "running"
        lib.kill_running()
        assert lib.wait_idle(30)
        job = lib.job(job.id)
        assert job.state == "failed" and "ended with code" in (job.reason or "")
        assert store.read_manifest(idx.resolve())["build_id"] == before
        assert names(idx) == [REPORTS[0]]
        assert store.load_index(idx, deep=True) is not None  # still healthy, sources unchanged
        assert snapshot(folder) == {} and (folder / INCOMING / up.id / up.name).exists()
        monkeypatch.delenv(pausepoint.ENV)
        lib.retry(job.id)
        assert lib.wait_idle(60)
        assert lib.job(job.id).state == "done", lib.job(job.id).reason
        assert names(idx) == [REPORTS[0], REPORTS[2]]
    finally:
        lib.close()


def _crash_mid_add(folder: Path, lib: Library, job_id: str, upload_id: str, name: str) -> None:
    """What a server killed during an add build leaves: the journal says running, the file is in place."""
    lib.close()
    journal = json.loads((folder / JOURNAL).read_text())
    for j in journal["jobs"]:
        if j["id"] == job_id:
            j["state"], j["attempts"] = "running", 1
    (folder / JOURNAL).write_text(json.dumps(journal))
    os.rename(folder / INCOMING / upload_id / name, folder / name)


def test_restart_mid_build_resumes_the_job(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder, start=False)
    up = lib.add(REPORTS[1], report(REPORTS[1]))
    job = lib.enqueue(up.id)
    queued = lib.enqueue(lib.add(REPORTS[2], report(REPORTS[2])).id)
    _crash_mid_add(folder, lib, job.id, up.id, up.name)
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        resumed = lib.job(job.id)
        assert resumed.state == "queued" and "restarted" in (resumed.note or "")
        assert not (folder / up.name).exists()  # put back until its build runs
        assert store.load_index(idx) is not None  # the served index's sources are as it expects
        assert [j.id for j in lib.queue()] == [job.id, queued.id]
        lib.start()
        assert lib.wait_idle(60)
        assert lib.job(job.id).state == "done" and lib.job(queued.id).state == "done"
        assert names(idx) == REPORTS[:3]
    finally:
        lib.close()


def test_restart_after_the_build_landed_marks_it_done(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder, start=False)
    up = lib.add(REPORTS[1], report(REPORTS[1]))
    job = lib.enqueue(up.id)
    _crash_mid_add(folder, lib, job.id, up.id, up.name)
    build_index([], idx, fake_embedder, files=[(idx.parent / "docs" / REPORTS[0], REPORTS[0]),
                                               (folder / up.name, up.name)])  # fmt: skip
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        assert lib.job(job.id).state == "done" and (folder / up.name).exists()
        assert lib.queue() == []
    finally:
        lib.close()


def test_a_job_interrupted_too_often_fails(served: tuple[Path, Path], fake_embedder: FakeEmbedder) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder, start=False)
    up = lib.add(REPORTS[1], report(REPORTS[1]))
    job = lib.enqueue(up.id)
    _crash_mid_add(folder, lib, job.id, up.id, up.name)
    journal = json.loads((folder / JOURNAL).read_text())
    journal["jobs"][0]["attempts"] = 3
    (folder / JOURNAL).write_text(json.dumps(journal))
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        assert lib.job(job.id).state == "failed" and "interrupted 3 times" in (lib.job(job.id).reason or "")
        assert (folder / INCOMING / up.id / up.name).exists()
    finally:
        lib.close()


# ------------------------------------------------------------------------------------------------ removal


def test_remove_moves_the_source_aside_and_rebuilds_without_embedding(
    served: tuple[Path, Path], fake_embedder: FakeEmbedder
) -> None:
    idx, folder = served
    lib = Library(folder, idx, fake_embedder)
    try:
        up = lib.add(REPORTS[1], report(REPORTS[1]), MetaOverride(year=2026))
        lib.enqueue(up.id)
        assert lib.wait_idle(60)
        calls = fake_embedder.calls
        job = lib.remove(up.name)
        assert lib.wait_idle(60)
        job = lib.job(job.id)
        assert job.state == "done" and names(idx) == [REPORTS[0]]
        assert fake_embedder.calls == calls
        moved = Path(job.moved_to or "")
        assert moved.parent == folder / REMOVED and moved.read_bytes() == report(REPORTS[1])
        assert Path(f"{moved}.meta.json").exists() and not (folder / up.name).exists()
        with pytest.raises(UsageError, match="no document named"):
            lib.remove("nothing.txt")
        with pytest.raises(UsageError, match="only report"):
            lib.wait_idle(1)
            j = lib.remove(REPORTS[0])
            lib.wait_idle(30)
            raise UsageError(lib.job(j.id).reason or "")
    finally:
        lib.close()


def test_remove_document_keeps_names_of_a_folder_build(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for n in REPORTS[:2]:
        (docs / n).write_bytes(report(n))
    (docs / "sub" / REPORTS[2]).write_bytes(report(REPORTS[2]))
    idx = tmp_path / "idx"
    build_index([docs], idx, fake_embedder)
    gone = remove_document(idx, REPORTS[0], fake_embedder)
    assert sorted(names(idx)) == sorted([REPORTS[1], f"sub/{REPORTS[2]}"]) and gone.documents == 2
    assert Path(gone.moved_to or "").parent == docs / REMOVED
    assert store.load_index(idx) is not None  # not stale
    # a later build of the folder does not bring it back (.removed is hidden)
    assert build_index([docs], idx, fake_embedder).up_to_date
    with pytest.raises(UsageError, match="no document named"):
        remove_document(idx, REPORTS[0], fake_embedder)
    shutil.rmtree(docs / REMOVED)


def test_cli_remove(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    from tests.conftest import run_cli

    docs = tmp_path / "docs"
    docs.mkdir()
    for n in REPORTS[:2]:
        (docs / n).write_bytes(report(n))
    idx = tmp_path / "idx"
    build_index([docs], idx, fake_embedder)  # an embedder the CLI cannot load: a removal never needs it
    proc = run_cli("remove", REPORTS[0], "--index-dir", str(idx))
    assert proc.returncode == 0, proc.stderr
    assert "removed hebei-2026.txt" in proc.stdout and ".removed" in proc.stdout
    assert names(idx) == [REPORTS[1]] and not (docs / REPORTS[0]).exists()
    proc = run_cli("remove", "nope.txt", "--index-dir", str(idx))
    assert proc.returncode == 2 and "no document named 'nope.txt'" in proc.stderr
    proc = run_cli("remove", REPORTS[1], "--index-dir", str(idx))
    assert proc.returncode == 2 and "only document" in proc.stderr
    assert run_cli("remove", "x.txt", "--index-dir", str(tmp_path / "none")).returncode == 4


def test_restart_after_a_removal_landed_moves_the_source_aside(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in REPORTS[:2]:
        (docs / n).write_bytes(report(n))
    idx = tmp_path / "idx"
    build_index([docs], idx, fake_embedder)
    folder = tmp_path / "library"
    lib = Library(folder, idx, fake_embedder, start=False)
    job = lib.remove(REPORTS[0])
    lib.close()
    # killed after the swap, before the move: the index lacks it, the file is still there
    build_index([], idx, fake_embedder, files=[(docs / REPORTS[1], REPORTS[1])])
    journal = json.loads((folder / JOURNAL).read_text())
    journal["jobs"][0].update(state="running", attempts=1, source=str(docs / REPORTS[0]))
    (folder / JOURNAL).write_text(json.dumps(journal))
    lib = Library(folder, idx, fake_embedder, start=False)
    try:
        done = lib.job(job.id)
        assert done.state == "done" and Path(done.moved_to or "").parent == docs / REMOVED
        assert not (docs / REPORTS[0]).exists() and store.load_index(idx) is not None
    finally:
        lib.close()
