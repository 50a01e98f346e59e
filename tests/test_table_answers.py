"""Table answers end to end: Engine.ask over real reports (fake embedder) gives the figure rows with the
passages; the CLI's ask --json carries them (real entry point, real model); the chat renders a table with a
chip per row and a chart whose points cite their paragraphs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.records import Citation, Figure
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.records import Answer, MissingCell
from reportqa.qa.scope import library_documents
from reportqa.ui import render
from reportqa.ui.render_table import render_chart, render_table_answer

from .conftest import ROOT, SEED, FakeEmbedder, run_cli

CORPUS = ROOT / "tests" / "data" / "corpus" / "provincial-2026"
NAMES = ("beijing-2026.txt", "shanghai-2026.txt", "hebei-2026.txt", "xizang-2026.txt")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("tbl-docs")
    for name in NAMES:
        shutil.copy(CORPUS / name, docs / name)
    shutil.copy(SEED, docs / SEED.name)
    idx = tmp_path_factory.mktemp("tbl-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def _provinces(engine: Engine) -> list[str]:
    from reportqa.index.text.regions import REGIONS

    held = {d.region for d in library_documents(engine.index)}
    return [r.name for r in REGIONS if r.level == "province" and r.name in held]


def _paragraph_text(engine: Engine, c: Citation) -> str:
    return next(p.text for p in engine.index.paragraphs if p.document == c.document and p.n == c.paragraph)


def test_every_province_question_gets_a_row_or_a_missing_cell_per_province(library: Engine) -> None:
    provinces = _provinces(library)
    zh = library.ask("2026年各省地区生产总值增长目标分别是多少？")
    en = library.ask("What GDP growth targets did the provinces set for 2026?")
    for a in (zh, en):
        assert a.table is not None and a.table, a.question
        regions = [f.region for f in a.table]
        assert regions == [p for p in provinces if p in regions]  # province order, one row each
        assert sorted(regions + [c.region for c in a.table_missing]) == sorted(provinces)
        assert all(f.kind == "target" and f.year == 2026 and f.indicator == "gdp_growth" for f in a.table)
        for f in a.table:  # every value is quoted from the paragraph it cites
            assert f.quote in _paragraph_text(library, f.citation) and f.value in f.quote
        assert a.hits  # the passages still come
    assert [f.to_json() for f in zh.table or ()] == [f.to_json() for f in en.table or ()]
    d = zh.to_json()
    assert d["table"] == [f.to_json() for f in zh.table or ()]
    assert {"region", "document", "citation", "value", "kind", "year"} <= set(d["table"][0])
    assert d["table_missing"] == [c.to_json() for c in zh.table_missing]


def test_threshold_and_comparison_tables_and_none_for_a_single_question(library: Engine) -> None:
    a = library.ask("哪些省份2026年GDP增长目标高于5%？")
    assert a.table is not None
    assert all(f.low is not None and f.low > 5 for f in a.table)
    every = library.ask("2026年各省地区生产总值增长目标分别是多少？").table or ()
    assert len(a.table) == sum(1 for f in every if f.low is not None and f.low > 5)
    c = library.ask("北京和上海2026年地区生产总值增长目标分别是多少？")
    assert c.comparison and c.table is not None
    assert {f.region for f in c.table} <= {"北京市", "上海市"} and c.table
    one = library.ask("北京市2026年地区生产总值预期增长多少？")
    assert one.table is None and "table" not in one.to_json()


def test_cli_ask_json_has_the_table(tmp_path: Path) -> None:
    """The real entry point and model over small excerpts: each report's front matter, headings and the
    paragraphs that state its GDP figures (found by the figure reader, not by line numbers)."""
    from tests.harness import figure_excerpts

    small = tmp_path / "small"
    figure_excerpts([CORPUS / name for name in NAMES[:3]], small)
    idx = tmp_path / "index"
    assert run_cli("build", str(small), "--index-dir", str(idx), "--quiet").returncode == 0
    proc = run_cli("ask", "2026年各省地区生产总值增长目标分别是多少？", "--index-dir", str(idx), "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["passages"] and isinstance(d["table"], list) and d["table"]
    assert {r["region"] for r in d["table"]} <= {"北京市", "上海市", "河北省"}
    assert all(r["kind"] == "target" and r["year"] == 2026 for r in d["table"])
    text = run_cli("ask", "2026年各省地区生产总值增长目标分别是多少？", "--index-dir", str(idx))
    assert text.returncode == 0 and "figures (" in text.stdout
    assert text.stdout.index("figures (") < text.stdout.index("[1] ")  # the table comes before the passages
    assert d["table"][0]["value"] in text.stdout


# ---------------------------------------------------------------------------------------------- rendering


def _fig(region: str, year: int, kind: str, value: str, low: float | None, n: int, doc: str = "r.txt") -> Figure:
    cite = Citation(doc, "工作安排", n, (n, n + 1), region, year if kind == "target" else year + 1)
    high = low
    return Figure("gdp_growth", kind, year, value, low, high, "%" if low is not None else "", "about",
                  f"增长{value}", cite)  # fmt: skip


def test_table_answer_html_has_a_chip_per_row_and_a_chart_point_per_number() -> None:
    rows = (
        _fig("北京市", 2026, "target", "5%左右", 5.0, 10, "bj.txt"),
        _fig("上海市", 2026, "target", "5%<script>", 5.0, 11, "sh.txt"),
        _fig("河北省", 2026, "target", "与全国同步", None, 12, "hb.txt"),
    )
    a = Answer("2026年各省GDP增长目标", False, (), table=rows,
               table_missing=(MissingCell("gdp_growth", "山西省", 2026, "target", "no figure found in the report"),))
    html = render_table_answer(a)
    assert "<script>" not in html and "5%&lt;script&gt;" in html
    for f in rows:
        assert f'href="#{render.anchor_id(f.citation.document, f.citation.paragraph)}"' in html
    table = html.split('class="rq-figtable"')[1]
    assert table.count('class="rq-cite rq-cell-cite"') == 3
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert svg.count('class="rq-pt ') == 2  # the qualitative value is tabled, not drawn
    assert "rq-bar" in svg and "山西省 2026" in html
    assert "rq-chart" in render.render_answer(a, table=html)


def test_across_years_chart_draws_a_line_per_region_and_kind() -> None:
    rows = [_fig("全国", y, k, f"{v}%", v, y - 2000) for y, v in ((2021, 6.0), (2022, 5.5), (2023, 5.0))
            for k in ("target", "actual")]  # fmt: skip
    svg = render_chart(rows, by_year=True, en=False)
    assert svg.count("<polyline") == 2 and svg.count('stroke-dasharray="6 4"') == 1
    assert svg.count('class="rq-pt rq-pt-target"') == 3 and svg.count('class="rq-pt rq-pt-actual"') == 3
    ys = [float(y) for y in re.findall(r'class="rq-pt rq-pt-target" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys == sorted(ys)  # falling targets are drawn lower each year (SVG y grows downwards)
    assert render_chart(rows[:1], by_year=True, en=False) == ""
