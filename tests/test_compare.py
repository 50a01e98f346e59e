"""Comparison answers: one row per named report in the question's order, each answered from its own report
(fake embedder, real reports), the JSON contract, and the CLI's filters and table through the real entry
point (real model, small excerpts)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.scope import Filters, library_documents

from .conftest import ROOT, SEED, FakeEmbedder, run_cli, scope_question

CORPUS = ROOT / "tests" / "data" / "corpus" / "provincial-2026"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("cmp-docs")
    for name in ("beijing-2026.txt", "shanghai-2026.txt", "hebei-2026.txt"):
        shutil.copy(CORPUS / name, docs / name)
    shutil.copy(SEED, docs / SEED.name)
    idx = tmp_path_factory.mktemp("cmp-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def _doc(engine: Engine, region: str, year: int) -> str:
    return next(d.name for d in library_documents(engine.index) if d.region == region and d.year == year)


def test_rows_follow_the_question_order_and_come_from_their_reports(library: Engine) -> None:
    bj, sh = _doc(library, "北京市", 2026), _doc(library, "上海市", 2026)
    for question, order in (
        ("上海和北京2026年地区生产总值增长目标分别是多少？", [sh, bj]),
        ("Compare Beijing's and Shanghai's 2026 GDP growth targets", [bj, sh]),
    ):
        a = library.ask(question, k=5)
        assert [r.document for r in a.comparison] == order, question
        for row in a.comparison:
            assert row.hits and {h.citation.document for h in row.hits} == {row.document}
            assert row.year == 2026 and row.region in ("北京市", "上海市")
        # the answer's own passages start with each row's best passage, in order
        assert [h.citation.document for h in a.hits[:2]] == order


def test_years_of_one_region_and_a_missing_report(library: Engine) -> None:
    a = library.ask("西藏2024年和2026年的地区生产总值增长目标分别是多少？")
    first, second = a.comparison
    assert first.year == 2024 and first.document == SEED.name and first.hits
    assert second.abstained and second.hits == () and second.document is None
    assert second.message == "no 2026 report of 西藏自治区 in this index; it holds 2024"
    d = a.to_json()
    assert [c["year"] for c in d["comparison"]] == [2024, 2026]
    assert d["comparison"][1]["abstained"] is True and d["comparison"][1]["passage"] is None
    assert d["comparison"][0]["passage"]["citation"]["document"] == SEED.name


def test_filters_make_rows_like_named_regions(library: Engine) -> None:
    a = library.ask("地区生产总值增长目标是多少？", filters=Filters(regions=("Hebei", "北京"), years=(2026,)))
    assert [r.region for r in a.comparison] == ["河北省", "北京市"]
    single = library.ask("地区生产总值增长目标是多少？", filters=Filters(documents=("hebei-2026.txt",)))
    assert not single.comparison and {h.citation.document for h in single.hits} == {"hebei-2026.txt"}


def test_plain_questions_have_no_comparison(library: Engine) -> None:
    a = library.ask("地区生产总值增长目标是多少？")
    assert a.comparison == () and "comparison" not in a.to_json()


def _excerpt(src: Path, dst: Path, keep: list[tuple[int, int]]) -> None:
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text("\n".join(line for a, b in keep for line in lines[a - 1 : b]) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_cli_filters_and_comparison_table(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    # excerpts of two real reports: title block and the paragraphs around the year's targets
    _excerpt(CORPUS / "beijing-2026.txt", docs / "beijing-2026.txt", [(1, 12), (44, 52)])
    _excerpt(CORPUS / "shanghai-2026.txt", docs / "shanghai-2026.txt", [(1, 12), (58, 66)])
    idx = tmp_path / "index"
    assert run_cli("build", str(docs), "--index-dir", str(idx), "--quiet").returncode == 0
    q = "地区生产总值增长目标是多少？"
    one = run_cli("ask", q, "--index-dir", str(idx), "--json", "--region", "上海")
    assert one.returncode == 0, one.stderr
    d = json.loads(one.stdout)
    assert {p["citation"]["document"] for p in d["passages"]} == {"shanghai-2026.txt"}
    both = run_cli("ask", q, "--index-dir", str(idx), "--json", "--region", "Beijing", "--region", "上海",
                   "--year", "2026")  # fmt: skip
    rows = json.loads(both.stdout)["comparison"]
    assert [r["document"] for r in rows] == ["beijing-2026.txt", "shanghai-2026.txt"]
    table = run_cli("ask", "北京和上海2026年" + q, "--index-dir", str(idx))
    assert table.returncode == 0 and "| report | answer | source |" in table.stdout
    assert "| 北京市 2026 |" in table.stdout and "| 上海市 2026 |" in table.stdout
    missing = run_cli("ask", "上海市2015年政府工作报告提出的目标", "--index-dir", str(idx))
    assert missing.returncode == 0 and "no 2015 report of 上海市 in this index; it holds 2026" in missing.stdout
    bad = run_cli("ask", q, "--index-dir", str(idx), "--region", "Atlantis")
    assert bad.returncode == 2 and "unknown region" in bad.stderr and "Traceback" not in bad.stderr
    nodoc = run_cli("ask", q, "--index-dir", str(idx), "--doc", "nope.txt")
    assert nodoc.returncode == 2 and "no document 'nope.txt'" in nodoc.stderr


def test_comparison_table_in_the_chat_has_a_citation_chip_per_answered_cell(library: Engine) -> None:
    from reportqa.ui import render

    a = library.ask("北京和香港2026年地区生产总值增长目标分别是多少？")
    html = render.render_answer(a)
    assert html.count('<tr data-row="') == 2 and 'class="rq-compare"' in html
    bj, hk = a.comparison
    assert bj.hits and render.anchor_id(bj.hits[0].citation.document, bj.hits[0].citation.paragraph) in html
    assert hk.abstained and hk.message and render.esc(hk.message) in html
    # one chip per answered row, none for the missing report; the passages list follows
    table = html.split("</table>")[0]
    assert table.count('class="rq-cite"') == 1


def test_examples_come_from_the_indexed_documents(library: Engine) -> None:
    from reportqa.qa.examples import examples_for

    docs = library_documents(library.index)
    ex = examples_for(library.index)
    assert len(ex) >= 4 and {e.language for e in ex} == {"zh", "en"}
    assert any(e.kind == "comparison" for e in ex) and any(e.kind == "heading" for e in ex)
    by_name = {d.name: d for d in docs}
    for e in ex:
        # every example names its report, so asking it is answered from that report
        s = scope_question(e.question, docs)
        assert s.targets and by_name[e.document].id in s.targets[0].documents, e
        assert (len(s.targets) > 1) == (e.kind == "comparison"), e


def test_api_fields_filter_and_compare(library: Engine) -> None:
    from reportqa.ui.app import api_answer

    q = "地区生产总值增长目标是多少？"
    d = api_answer(library, q, 3, "hybrid", None, ["上海", "Beijing"], [2026])
    assert [r["region"] for r in d["comparison"]] == ["上海市", "北京市"]
    one = api_answer(library, q, 2, "hybrid", "hebei-2026.txt")
    assert {p["citation"]["document"] for p in one["passages"]} == {"hebei-2026.txt"}
    # the positional order of older clients still works: question, k, mode
    assert "comparison" not in api_answer(library, q, 2, "keyword") and api_answer(library, q)["passages"]
    assert "unknown region" in api_answer(library, q, 2, "hybrid", None, "Atlantis")["error"]
    assert "year must be a number" in api_answer(library, q, 2, "hybrid", None, None, ["next"])["error"]


def test_a_comparison_embeds_its_question_once(library: Engine) -> None:
    fake = library.embedder
    assert isinstance(fake, FakeEmbedder)
    before = fake.calls
    a = library.ask("北京、上海和河北2026年地区生产总值增长目标分别是多少？", k=5)
    assert len(a.comparison) == 3 and all(r.hits for r in a.comparison)
    assert fake.calls - before == 1  # three reports searched with one query vector
