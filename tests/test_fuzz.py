"""Fuzzing the public entry points with Hypothesis: whatever a user types or a folder holds, reportqa either
works or raises a :class:`ReportQAError` with a one-line message — never anything else."""

from __future__ import annotations

import codecs
import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportqa.index.errors import ReportQAError, UnreadableSourceError, UsageError
from reportqa.index.pipeline.build import build_index
from reportqa.index.reading.chunker import ChunkSettings, make_chunks
from reportqa.index.reading.paragraphs import split_paragraphs
from reportqa.index.reading.readers import SUPPORTED_SUFFIXES, read_source
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.question import MAX_QUESTION_CHARS, clean_question
from reportqa.qa.records import Answer
from reportqa.qa.sentences import split_sentences

from .conftest import SEED, FakeEmbedder
from .test_readers import make_pdf

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like reports and like garbage: CJK, punctuation, numbering, page marks, controls, emoji.
report_alphabet = st.sampled_from(
    list("西藏自治区政府工作报告年增长一二三四五六七八九十第章节条、，。；：？！（）()《》“”—…·%0123456789")
    + list(" \t\n\n\n\f\r\u3000\u00a0\u200b\ufeff\x00\x07\x1b")
    + ["- 12 -", "第 3 页", "一、", "（二）", "1.", "# ", "🏔️", "\ud7ff", "\U0001f600", "ABC", "abc "]
)
report_text = st.lists(report_alphabet, max_size=400).map("".join)
any_text = st.one_of(st.text(max_size=2000), report_text)


@FUZZ
@given(raw=st.one_of(st.text(), st.text(max_size=3000).map(lambda s: s * 50), st.none()))
def test_clean_question_is_bounded_or_a_usage_error(raw: str | None) -> None:
    try:
        text, notice = clean_question(raw)  # type: ignore[arg-type,unused-ignore]
    except UsageError as e:
        assert "\n" not in str(e)
        return
    assert text.strip() and text == text.lstrip() and len(text) <= MAX_QUESTION_CHARS
    assert not any(ch in text for ch in "\x00\x1b\x7f\u200b\ufeff\n\t")
    if notice is None:
        assert text == text.rstrip()
        assert clean_question(text) == (text, None)  # idempotent
    else:  # truncated (the cut may leave one trailing space: harmless, the embedder ignores it)
        assert len(text) == MAX_QUESTION_CHARS and str(MAX_QUESTION_CHARS) in notice
        assert clean_question(text)[0] == text.rstrip()


@FUZZ
@given(text=any_text)
def test_split_paragraphs_never_fails_and_cites_real_lines(text: str) -> None:
    paragraphs = split_paragraphs(text, "fuzz.txt")
    n_lines = len(text.split("\n"))
    for i, p in enumerate(paragraphs, 1):
        assert p.n == i and p.document == "fuzz.txt" and p.text.strip()
        a, b = p.lines
        assert 1 <= a <= b <= n_lines
    make_chunks(paragraphs, ChunkSettings(max_chars=50))  # and every paragraph set can be chunked
    for p in paragraphs:
        split_sentences(p.text)


def _encodings(text: str) -> st.SearchStrategy[bytes]:
    out = [st.just(text.encode("utf-8")), st.just(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))]
    for codec in ("gb18030", "big5", "latin-1"):
        with contextlib.suppress(UnicodeEncodeError):
            out.append(st.just(text.encode(codec)))
    return st.one_of(out)


raw_bytes = st.one_of(
    st.binary(max_size=4000),
    any_text.flatmap(_encodings),
    st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=300).map(lambda b: make_pdf(["Report 2024"])[: len(b)] + b),
    st.binary(max_size=300).map(lambda b: b"<html><meta charset=gbk><p>" + b),
)


@FUZZ
@given(raw=raw_bytes, suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_read_source_on_random_bytes_only_raises_reportqa_errors(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"x{suffix}"
        path.write_bytes(raw)
        try:
            src = read_source(path)
        except UnreadableSourceError as e:
            msg = str(e)
            assert str(path) in msg and "\n" not in msg and " — " in msg, msg
            return
        assert isinstance(src.text, str) and "\x00" not in src.text and "\r" not in src.text
        split_paragraphs(src.text, src.name)


@pytest.fixture(scope="module")
def fake_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("fuzz-docs")
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    idx = tmp_path_factory.mktemp("fuzz-index") / "idx"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


@FUZZ
@given(question=st.one_of(st.text(max_size=800), report_text), k=st.integers(-5, 80))
def test_engine_ask_returns_an_answer_or_a_usage_error(fake_engine: Engine, question: str, k: int) -> None:
    try:
        answer = fake_engine.ask(question, k=k)
    except UsageError as e:
        assert "\n" not in str(e)
        with pytest.raises(UsageError):
            clean_question(question)
        return
    assert isinstance(answer, Answer)
    assert 1 <= len(answer.hits) <= max(1, min(k, 50))
    assert [h.rank for h in answer.hits] == list(range(1, len(answer.hits) + 1))
    assert len(answer.question) <= MAX_QUESTION_CHARS
    d = answer.to_json()
    assert d["question"] == answer.question and len(d["passages"]) == len(answer.hits)
    if answer.sentence is not None:
        assert any(answer.sentence in h.text for h in answer.hits)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(files=st.lists(raw_bytes, min_size=1, max_size=4))
def test_build_on_random_files_indexes_or_refuses_cleanly(files: list[bytes], tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as d:
        docs = Path(d) / "docs"
        docs.mkdir()
        for i, raw in enumerate(files):
            (docs / f"f{i}.txt").write_bytes(raw)
        try:
            report = build_index([docs], Path(d) / "idx", embedder=FakeEmbedder(dim=32))
        except ReportQAError as e:
            assert "\n" not in str(e)
            return
        assert report.documents + len(report.skipped) == len(files)
        assert store.load_index(Path(d) / "idx").chunks
