"""``reportqa diff`` and ``reportqa trend`` through the real entry point (an index built with the fake
embedder: a diff of two indexed reports uses their stored vectors and a trend no vectors at all, so neither
loads a model)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from reportqa.index.text.numbers import fold

from .conftest import NATIONAL, ROOT, fake_index, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from yoy_edits import rewrap

FILES = ("national-2023.txt", "national-2024.txt", "national-2025.txt")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_index(tmp_path_factory, "yoycli", [NATIONAL / f for f in FILES])


def _one_error_line(proc) -> str:  # type: ignore[no-untyped-def]
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_diff_json_follows_the_contract(index_dir: Path) -> None:
    proc = run_cli("diff", "national-2024.txt", "national-2025", "--json", "--index-dir", str(index_dir))
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    d = json.loads(line)
    assert set(d) == {"a", "b", "added", "dropped", "changed", "new_terms", "unsure_added", "unsure_dropped"}
    assert (d["a"], d["b"]) == ("national-2024.txt", "national-2025.txt")
    assert d["added"] and d["dropped"] and d["changed"] and d["new_terms"]
    sides = (("added", "national-2025.txt"), ("dropped", "national-2024.txt"), ("unsure_added", "national-2025.txt"),
             ("unsure_dropped", "national-2024.txt"))  # fmt: skip
    for side, doc in sides:
        for item in d[side]:
            assert set(item) == {"text", "citation"} and item["text"]
            assert item["citation"]["document"] == doc and isinstance(item["citation"]["paragraph"], int)
    for c in d["changed"]:
        assert set(c) == {"before", "after"}
        assert set(c["before"]) == set(c["after"]) == {"text", "value", "citation"}
        for side in ("before", "after"):
            assert c[side]["value"] and all(v in fold(c[side]["text"]) for v in c[side]["value"].split("、"))
        assert c["before"]["value"] != c["after"]["value"]
        assert c["before"]["citation"]["year"] == 2024 and c["after"]["citation"]["year"] == 2025
    for t in d["new_terms"]:
        assert {"term", "count", "citation"} <= set(t) and t["term"] in t["sentence"]
    plain = run_cli("diff", "national-2024.txt", "national-2025.txt", "--index-dir", str(index_dir))
    assert plain.returncode == 0 and f"added in B ({len(d['added'])})" in plain.stdout
    assert d["unsure_added"] and f"and {len(d['unsure_added'])} more with no counterpart found" in plain.stdout


def test_diff_of_a_file_and_its_rewrapped_copy_is_empty(tmp_path: Path) -> None:
    from reportqa.qa.reports import report_from_file

    a = NATIONAL / "national-2023.txt"
    b = tmp_path / "national-2023-pdf.txt"
    b.write_text(rewrap([p.text for p in report_from_file(a).paragraphs]), encoding="utf-8")
    proc = run_cli("diff", str(a), str(b), "--json", "--index-dir", str(tmp_path / "none"))
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["added"] == d["dropped"] == d["changed"] == d["new_terms"] == []


def test_diff_bad_document_names_are_clear_errors(index_dir: Path, tmp_path: Path) -> None:
    proc = run_cli("diff", "national-1999.txt", "national-2025.txt", "--index-dir", str(index_dir))
    assert proc.returncode == 2
    line = _one_error_line(proc)
    assert "'national-1999.txt'" in line and "reportqa status" in line
    missing = run_cli("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--index-dir", str(tmp_path / "x"))
    assert missing.returncode == 2 and "does not exist" in _one_error_line(missing)


def test_trend_json_follows_the_contract(index_dir: Path) -> None:
    proc = run_cli("trend", "新质生产力", "--json", "--index-dir", str(index_dir), "--region", "全国")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["term"] == "新质生产力" and d["first_year"] == 2024
    assert [r["year"] for r in d["rows"]] == [2023, 2024, 2025]
    for r in d["rows"]:
        text = (NATIONAL / r["document"]).read_text(encoding="utf-8")
        assert {"document", "region", "year", "count", "per_10k", "first_citation"} <= set(r)
        assert r["count"] >= text.count("新质生产力")  # a break inside the term hides it from the raw file only
        assert (r["first_citation"] is None) == (r["count"] == 0)
    plain = run_cli("trend", "新质生产力", "--index-dir", str(index_dir))
    assert plain.returncode == 0 and "first written in 2024" in plain.stdout


def test_trend_errors(index_dir: Path, tmp_path: Path) -> None:
    bad_region = run_cli("trend", "改革", "--region", "Atlantis", "--index-dir", str(index_dir))
    assert bad_region.returncode == 2 and "unknown region" in _one_error_line(bad_region)
    empty = run_cli("trend", " ", "--index-dir", str(index_dir))
    assert empty.returncode == 2 and "empty" in _one_error_line(empty)
    no_index = run_cli("trend", "改革", "--index-dir", str(tmp_path / "none"))
    assert no_index.returncode == 4 and "reportqa build" in _one_error_line(no_index)
