"""The store's document table: built from each source, overridable, round-tripped, shown by ``status``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportqa.index.errors import IndexMismatchError, SourceError, UsageError
from reportqa.index.pipeline.build import build_index
from reportqa.index.records import Document
from reportqa.index.storage import store

from .conftest import SEED, FakeEmbedder, run_cli

CITY = """2031年示例市政府工作报告
——2031年1月9日在示例市第十九届人民代表大会第二次会议上
示例市人民政府市长 赵六
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议。
一、2030年工作回顾
全市地区生产总值增长 6%，新建学校 12 所。
二、2031年主要任务
今年地区生产总值预期增长 5.5%左右，新增床位 800 张。
"""


@pytest.fixture
def library(seed_dir: Path) -> Path:
    (seed_dir / "city-report.txt").write_text(CITY, encoding="utf-8")
    return seed_dir


def _docs(idx: Path) -> dict[str, Document]:
    return {d.name: d for d in store.load_index(idx).documents}


def test_documents_are_stored_and_every_citation_carries_its_documents_region_and_year(
    library: Path, tmp_path: Path
) -> None:
    idx = tmp_path / "idx"
    report = build_index([library], idx, embedder=FakeEmbedder())
    loaded = store.load_index(idx)
    assert [d.id for d in loaded.documents] == [0, 1]
    by_name = {d.name: d for d in loaded.documents}
    city, seed = by_name["city-report.txt"], by_name[SEED.name]
    assert (city.region, city.region_short, city.level, city.year) == ("示例市", "示例", "city", 2031)
    assert (city.date, city.speaker) == ("2031-01-09", "示例市人民政府市长 赵六")
    assert city.title == "2031年示例市政府工作报告"
    assert (seed.region, seed.level, seed.year, seed.date) == ("西藏自治区", "province", 2024, "2024-01-07")
    assert sum(d.chunks for d in loaded.documents) == report.chunks == len(loaded.chunks)
    assert sum(d.sentences for d in loaded.documents) == len(loaded.sentences)
    for d in loaded.documents:
        assert {loaded.chunks[i].citation.document for i in d.chunk_ids} == {d.name}
        assert {(loaded.chunks[i].citation.region, loaded.chunks[i].citation.year) for i in d.chunk_ids} == {
            (d.region, d.year)
        }
        assert {loaded.sentences[i].chunk for i in d.sentence_ids} <= set(d.chunk_ids)
        assert Document.from_json(json.loads(json.dumps(d.to_json()))) == d
        assert loaded.document_of_chunk(d.first_chunk + d.chunks - 1) == d
    assert "city-report.txt (示例市 2031)" in loaded.chunks[city.first_chunk].citation.label()


def test_document_table_is_checksummed_and_checked(library: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    build_index([library], idx, embedder=FakeEmbedder())
    path = idx.resolve() / store.DOCUMENTS_FILE
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(reversed(rows)) + "\n", encoding="utf-8")  # same bytes, wrong order
    with pytest.raises(IndexMismatchError, match="checksum"):
        store.load_index(idx)
    with pytest.raises(IndexMismatchError, match="does not start where"):
        store.load_index(idx, deep=False)


def test_sidecar_override_then_removal_reuses_every_vector(library: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    fake = FakeEmbedder()
    build_index([library], idx, embedder=fake)
    sidecar = library / f"{SEED.name}.meta.json"
    sidecar.write_text(json.dumps({"region": "Qinghai", "year": 2030, "speaker": "某某"}), encoding="utf-8")
    report = build_index([library], idx, embedder=fake)
    assert not report.up_to_date and report.embedded == 0  # only the description changed
    seed = _docs(idx)[SEED.name]
    assert (seed.region, seed.region_short, seed.year, seed.speaker) == ("青海省", "青海", 2030, "某某")
    assert seed.overridden == ("region", "year", "speaker") and seed.date == "2024-01-07"
    chunk = store.load_index(idx).chunks[seed.first_chunk]
    assert (chunk.citation.region, chunk.citation.year) == ("青海省", 2030)
    assert build_index([library], idx, embedder=fake).up_to_date
    sidecar.unlink()
    assert not build_index([library], idx, embedder=fake).up_to_date
    seed = _docs(idx)[SEED.name]
    assert (seed.region, seed.year, seed.overridden) == ("西藏自治区", 2024, ())


def test_meta_table_overrides_and_wins_over_the_sidecar(library: Path, tmp_path: Path) -> None:
    (library / "city-report.txt.meta.json").write_text('{"year": 2029, "title": "旁注标题"}', encoding="utf-8")
    table = tmp_path / "meta.tsv"
    table.write_text("file\tregion\tyear\tdate\n# a comment\ncity-report.txt\t成都市\t2032\t\n", encoding="utf-8")
    idx = tmp_path / "idx"
    build_index([library], idx, embedder=FakeEmbedder(), meta=table)
    city = _docs(idx)["city-report.txt"]
    assert (city.region, city.level, city.year, city.title) == ("成都市", "city", 2032, "旁注标题")
    assert city.overridden == ("title", "region", "year") and city.date == "2031-01-09"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file\tyear\nnot-there.txt\t2024\n", "not among the documents"),
        ("file\tyear\ncity-report.txt\tnext\n", "not a number"),
        ("file\tdate\ncity-report.txt\t2024/1/7\n", "YYYY-MM-DD"),
        ("file\tcolour\ncity-report.txt\tred\n", "unknown field"),
        ("region\tyear\n", "must start with a 'file' column"),
    ],
)
def test_bad_meta_tables_are_refused_with_the_fix(library: Path, tmp_path: Path, text: str, message: str) -> None:
    table = tmp_path / "meta.tsv"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        build_index([library], tmp_path / "idx", embedder=FakeEmbedder(), meta=table)


def test_bad_sidecar_is_refused(library: Path, tmp_path: Path) -> None:
    (library / f"{SEED.name}.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match="fix or delete"):
        build_index([library], tmp_path / "idx", embedder=FakeEmbedder())


def test_status_lists_the_documents_through_the_cli(library: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    build_index([library], idx, embedder=FakeEmbedder())
    proc = run_cli("status", "--json", "--index-dir", str(idx))
    assert proc.returncode == 0, proc.stderr
    docs = {d["name"]: d for d in json.loads(proc.stdout)["documents"]}
    assert set(docs) == {SEED.name, "city-report.txt"}
    assert Document.from_json(docs[SEED.name]) == _docs(idx)[SEED.name]
    assert docs["city-report.txt"]["region"] == "示例市" and docs["city-report.txt"]["year"] == 2031
    text = run_cli("status", "--index-dir", str(idx))
    assert text.returncode == 0
    assert f"{SEED.name}  西藏自治区 2024  2024年西藏自治区政府工作报告" in text.stdout


def test_build_meta_errors_through_the_cli(library: Path, tmp_path: Path) -> None:
    table = tmp_path / "meta.tsv"
    table.write_text("file\tyear\nnot-there.txt\t2024\n", encoding="utf-8")
    proc = run_cli("build", str(library), "--index-dir", str(tmp_path / "idx"), "--meta", str(table), "--quiet")
    assert proc.returncode != 0 and "not-there.txt" in proc.stderr and "Traceback" not in proc.stderr
