"""The labelled figure set (bench/eval/figures.*.jsonl) holds up against the report texts, and its checker catches
the mistakes it is meant to catch."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_figures", ROOT / "bench" / "eval" / "check_figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


cf = _checker()
FILES = [ROOT / "bench" / "eval" / f"figures.{s}.jsonl" for s in cf.SPLITS]


Rows = list[dict[str, object]]


@pytest.fixture(scope="module")
def checked() -> tuple[Rows, list[str]]:
    result = cf.check_rows(FILES)
    return result.rows, result.problems


def test_every_label_row_is_found_in_its_report(checked: tuple[Rows, list[str]]) -> None:
    rows, problems = checked
    assert problems == []
    assert len(rows) >= 300


def test_documents_are_split_by_the_seeded_shuffle_and_all_are_labelled() -> None:
    files = {json.loads(line)["document"]: p.name.split(".")[1]
             for p in FILES for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}  # fmt: skip
    assert cf.check_split(files) == []
    assert 0.3 < sum(s == "dev" for s in files.values()) / len(files) < 0.5


def test_every_report_has_its_gdp_growth_target(checked: tuple[Rows, list[str]]) -> None:
    rows, _ = checked
    with_target = {r["document"] for r in rows if r["indicator"] == "gdp_growth" and r["kind"] == "target"}
    assert with_target == {r["document"] for r in rows}


def test_table_questions_expect_label_rows(checked: tuple[Rows, list[str]]) -> None:
    path = ROOT / "bench" / "eval" / "figures.questions.jsonl"
    assert cf.check_questions(path, checked[0]) == []
    assert len(path.read_text(encoding="utf-8").splitlines()) >= 30


def test_the_checker_reports_bad_rows_by_line(tmp_path: Path) -> None:
    good = json.loads(FILES[0].read_text(encoding="utf-8").splitlines()[0])
    bad = [
        good,
        {**good, "evidence": good["evidence"] + "（并无此句）"},
        {**good, "indicator": "gdp_growth" if good["indicator"] != "gdp_growth" else "cpi", "value": "99.9%"},
        {**good, "indicator": "no_such_indicator"},
        {**good, "indicator": "deficit_ratio", "kind": "target", "year": good["report_year"] + 1},
        {**good, "indicator": "grain_output", "kind": "actual", "year": good["report_year"]},
        good,
    ]
    f = tmp_path / "figures.bad.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bad), encoding="utf-8")
    problems = cf.check_rows([f]).problems
    for ln, what in [(2, "evidence not in"), (3, "not in its evidence"), (4, "unknown indicator"),
                     (5, "a target is about"), (6, "a result is about"), (7, "duplicate of")]:  # fmt: skip
        assert any(p.startswith(f"figures.bad.jsonl:{ln}:") and what in p for p in problems), (ln, problems)
    assert not any(p.startswith("figures.bad.jsonl:1:") for p in problems)
