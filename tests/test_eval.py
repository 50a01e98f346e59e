# ruff: noqa: E501
"""Evaluation metrics on a tiny hand-made question file (computed exactly), the CLI, and the regression
guard on the held-out test split with the real model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from reportqa.index.errors import UsageError
from reportqa.qa.evaluate import (
    EvalReport,
    Row,
    evaluate_ranker,
    markdown_table,
    read_questions,
)

from .conftest import ROOT, run_cli

TINY = [
    {"id": "a", "kind": "zh_lexical", "question": "q-a", "evidence": "新增 2 个", "answer": "2 个", "document": "d.txt"},
    {"id": "b", "kind": "zh_lexical", "question": "q-b", "evidence": "增长 8%", "answer": "8%", "document": "d.txt"},
    {"id": "c", "kind": "english", "question": "q-c", "evidence": "建成 3 座", "answer": "3 座", "document": "d.txt"},
    {"id": "d", "kind": "english", "question": "q-d", "evidence": "没有这段", "answer": "无", "document": "d.txt"},
    {"id": "e", "kind": "unanswerable", "question": "q-e", "evidence": None, "answer": None, "document": None},
    {"id": "f", "kind": "unanswerable", "question": "q-f", "evidence": None, "answer": None, "document": None},
]

# passages per question (text, document), plus what the "engine" answered
RANKED: dict[str, tuple[list[tuple[str, str]], dict[str, Any]]] = {
    # hit at rank 1 (spaces differ: "新增2个"), right answer sentence
    "q-a": ([("今年新增2个示范区。", "d.txt"), ("其他", "d.txt")], {"abstained": False, "sentence": "今年新增2个示范区。"}),
    # hit at rank 2; sentence lacks the answer
    "q-b": ([("无关", "d.txt"), ("地区生产总值增长 8%左右。", "d.txt")], {"abstained": False, "sentence": "无关"}),
    # evidence present but in the wrong document → not a hit; then a hit at rank 4; falsely abstained
    "q-c": (
        [("建成 3 座", "other.txt"), ("x", "d.txt"), ("y", "d.txt"), ("去年建成 3 座水库", "d.txt")],
        {"abstained": True, "sentence": None},
    ),
    # never found
    "q-d": ([("x", "d.txt")], {"abstained": False, "sentence": "x"}),
    "q-e": ([("x", "d.txt")], {"abstained": True, "sentence": None}),
    "q-f": ([("x", "d.txt")], {"abstained": False, "sentence": "x"}),
}


def _write(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    p = tmp_path / "q.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return p


def test_metrics_are_computed_exactly(tmp_path: Path) -> None:
    qs = read_questions(_write(tmp_path, TINY))
    rep = evaluate_ranker("toy", qs, lambda q: RANKED[q], with_answers=True)
    ranks = {r.id: r.rank for r in rep.results}
    assert ranks == {"a": 1, "b": 2, "c": 4, "d": None, "e": None, "f": None}
    o = rep.overall
    assert o.n == 6
    assert o.hit1 == pytest.approx(1 / 4) and o.hit5 == pytest.approx(3 / 4)
    assert o.mrr == pytest.approx((1 + 1 / 2 + 1 / 4 + 0) / 4)
    assert o.answer == pytest.approx(1 / 4)  # only "a"
    zl = rep.per_kind["zh_lexical"]
    assert (zl.n, zl.hit1, zl.hit5, zl.mrr, zl.answer, zl.abstain) == (2, 0.5, 1.0, 0.75, 0.5, 0.0)
    en = rep.per_kind["english"]
    assert (en.hit1, en.hit5, en.mrr, en.answer, en.abstain) == (0.0, 0.5, 0.125, 0.0, 0.5)
    un = rep.per_kind["unanswerable"]
    assert un.hit1 is None and un.abstain == 0.5
    assert rep.abstention_recall == 0.5 and rep.false_abstention == pytest.approx(1 / 4)
    table = markdown_table(EvalReport("q.jsonl", "hybrid", (rep,)))
    assert "| toy | zh_lexical | 2 | 0.500 | 1.000 | 0.750 | 0.500 | 0.000 |" in table
    assert "recall on unanswerable 0.500, false abstention on answerable 0.250" in table


LIB = [
    {"id": "r1", "kind": "region_year", "question": "q1", "evidence": "增长 5%", "answer": "5%", "document": "p/bj.txt"},
    {"id": "r2", "kind": "region_year", "question": "q2", "evidence": "增长 4.5%", "answer": "4.5%", "document": "p/tj.txt"},
    {"id": "r3", "kind": "region_year", "question": "q3", "evidence": "新增 6 万人", "answer": "6 万人", "document": "p/qh.txt"},
    {"id": "c1", "kind": "comparison", "question": "q4", "evidence": "增长 5%", "answer": "5%", "document": "p/bj.txt",
     "expected": [{"document": "p/bj.txt", "evidence": "增长 5%", "answer": "5%"},
                  {"document": "p/sh.txt", "evidence": "增长 5%左右", "answer": "5%左右"}]},
    {"id": "c2", "kind": "comparison", "question": "q5", "evidence": "增长 5%", "answer": "5%", "document": "p/bj.txt",
     "expected": [{"document": "p/bj.txt", "evidence": "增长 5%", "answer": "5%"},
                  {"document": "p/sh.txt", "evidence": "增长 5%左右", "answer": "5%左右"}]},
    {"id": "u1", "kind": "unanswerable", "question": "q6", "evidence": None, "answer": None, "document": None},
]
LIB_RANKED: dict[str, tuple[list[tuple[str, str]], dict[str, Any]]] = {
    # right report first (indexed under another root: "bj.txt" is "p/bj.txt"), answered from it
    "q1": ([("目标是增长5%。", "bj.txt")], {"abstained": False, "sentence": "目标是增长5%。", "sentence_document": "bj.txt"}),
    # another report's passage first, answered from it: a wrong-report answer (the evidence is at rank 2)
    "q2": ([("增长4.5%", "p/other.txt"), ("增长4.5%", "p/tj.txt")],
           {"abstained": False, "sentence": "增长4.5%", "sentence_document": "p/other.txt"}),
    # right report, abstained: neither a wrong answer nor doc@1 miss
    "q3": ([("新增6万人", "p/qh.txt")], {"abstained": True, "sentence": None}),
    # a comparison with both rows right, in order
    "q4": ([("增长5%", "p/bj.txt")], {"abstained": False, "sentence": "增长5%", "comparison": [
        Row("p/bj.txt", (("增长5%", "p/bj.txt"),), "增长5%", False),
        Row("p/sh.txt", (("x", "p/sh.txt"), ("增长5%左右", "p/sh.txt")), "增长5%左右", False)]}),
    # rows in the wrong order: not covered, and the sentences come from the wrong reports
    "q5": ([("增长5%", "p/bj.txt")], {"abstained": False, "sentence": "增长5%", "comparison": [
        Row("p/sh.txt", (("增长5%左右", "p/sh.txt"),), "增长5%左右", False),
        Row("p/bj.txt", (("增长5%", "p/bj.txt"),), "增长5%", False)]}),
    "q6": ([("x", "p/bj.txt")], {"abstained": True, "sentence": None}),
}  # fmt: skip


def test_library_metrics_doc_at_1_wrong_report_and_coverage(tmp_path: Path) -> None:
    qs = read_questions(_write(tmp_path, LIB))
    rep = evaluate_ranker("toy", qs, lambda q: LIB_RANKED[q], with_answers=True)
    by = {r.id: r for r in rep.results}
    assert [by[i].doc1 for i in ("r1", "r2", "r3", "c1", "c2")] == [True, False, True, True, False]
    assert [by[i].wrong_report for i in ("r1", "r2", "r3", "c1", "c2")] == [False, True, None, False, True]
    assert by["c1"].covered is True and by["c2"].covered is False and by["r1"].covered is None
    assert by["r1"].rank == 1 and by["r2"].rank == 2 and by["c1"].answer_ok and not by["c2"].answer_ok
    ry = rep.per_kind["region_year"]
    assert ry.doc1 == pytest.approx(2 / 3) and ry.wrong_report == pytest.approx(1 / 3) and ry.coverage is None
    cmp = rep.per_kind["comparison"]
    assert cmp.coverage == 0.5 and cmp.doc1 == 0.5 and cmp.wrong_report == 0.5
    assert rep.overall.wrong_report == pytest.approx(2 / 5) and rep.overall.doc1 == pytest.approx(3 / 5)
    assert rep.abstention_recall == 1.0 and rep.false_abstention == pytest.approx(1 / 5)
    table = markdown_table(EvalReport("q.jsonl", "hybrid", (rep,)))
    assert "| toy | comparison | 2 | 1.000 | 1.000 | 1.000 | 0.500 | 0.000 | 0.500 | 0.500 | 0.500 |" in table


def test_indexed_questions_keep_those_whose_reports_are_all_indexed(tmp_path: Path) -> None:
    from reportqa.qa.evaluate import indexed_questions

    qs = read_questions(_write(tmp_path, LIB))
    kept = [q.id for q in indexed_questions(qs, ["bj.txt", "p/sh.txt", "p/tj.txt"])]
    assert kept == ["r1", "r2", "c1", "c2", "u1"]  # r3 (p/qh.txt) is not indexed; unanswerable ones stay


def test_library_eval_files_are_well_formed() -> None:
    kinds = {"region_year", "review_year", "other_year", "national", "zh_paraphrase", "english", "comparison",
             "unanswerable"}  # fmt: skip
    total = 0
    for split in ("dev", "test"):
        qs = read_questions(ROOT / "bench" / "eval" / f"library.{split}.jsonl")
        total += len(qs)
        assert {q.kind for q in qs} == kinds
        assert all((q.evidence is None) == (q.kind == "unanswerable") for q in qs)
        assert all(len(q.expected) >= 2 for q in qs if q.kind == "comparison")
        assert all(q.document for q in qs if q.kind != "unanswerable")
    assert total >= 150


def test_bad_question_files_are_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="bad.jsonl:1"):
        read_questions(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no questions"):
        read_questions(empty)


def test_eval_set_files_are_well_formed() -> None:
    for split in ("dev", "test"):
        qs = read_questions(ROOT / "bench" / "eval" / f"tibet-2024.{split}.jsonl")
        assert {q.kind for q in qs} == {"zh_lexical", "zh_paraphrase", "english", "unanswerable"}
        assert all((q.evidence is None) == (q.kind == "unanswerable") for q in qs)


# ---------------------------------------------------------------------------------------------- real model


@pytest.mark.slow
def test_eval_through_the_cli(seed_index: Path, tmp_path: Path) -> None:
    rows = [
        {"id": "1", "kind": "zh_lexical", "question": "2024年地区生产总值预期增长多少？",
         "evidence": "地区生产总值增长 8%左右", "answer": "8%左右", "document": "tibet-2024-government-work-report.txt"},
        {"id": "2", "kind": "unanswerable", "question": "2025年西藏地区生产总值的增长目标是多少？",
         "evidence": None, "answer": None, "document": None},
    ]  # fmt: skip
    q = _write(tmp_path, rows)
    proc = run_cli("eval", str(q), "--index-dir", str(seed_index), "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    main = d["systems"][0]
    assert main["overall"]["hit1"] == 1.0 and main["overall"]["answer"] == 1.0
    assert main["abstention_recall"] == 1.0 and main["false_abstention"] == 0.0
    plain = run_cli("eval", str(q), "--index-dir", str(seed_index), "--mode", "keyword")
    assert plain.returncode == 0 and "| reportqa (keyword) | zh_lexical | 1 |" in plain.stdout
    missing = run_cli("eval", str(tmp_path / "nope.jsonl"), "--index-dir", str(seed_index))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


# Regression guard on the held-out test split. The floors are the measured test numbers of this version
# minus a small margin (see bench/RESULTS-retrieval.md); the targets are higher and were missed
# (abstention recall most of all): raise these floors as the numbers improve.
GUARD = {"hit1": 0.70, "hit5": 0.90, "mrr": 0.78, "answer": 0.58, "english_hit5": 0.82}
# The answerability checks (qa/answerable.py) trade false abstentions for recall on the seed: measured
# 2026-12-02 recall 0.500 (was 0.346) at 0.148 false abstentions (was 0.037), then 0.654 at 0.148 with the
# indicators every plan states; both targets still missed. The floors guard that trade-off, not the targets.
# 2026-12-06 (issue 23's clause-level support check and the off-topic model): the seed's false abstentions
# rose 0.139 -> 0.213 (no_figure 12 -> 17, topic 3 -> 6) at the same recall 0.654, while on the whole-corpus
# trust sets answerable questions declined fell 0.316 -> 0.244 and unanswerable declined rose 0.44 -> 0.70
# (bench/RESULTS-trust.md). This is a regression on the seed, recorded, not a target: lower it again as the
# support check stops declining the seed's paraphrases.
GUARD_ABSTAIN_RECALL = 0.58
GUARD_FALSE_ABSTAIN = 0.22


@pytest.mark.slow
def test_test_split_stays_above_the_guard(seed_index: Path) -> None:
    from reportqa.qa.engine import Engine
    from reportqa.qa.evaluate import evaluate

    qs = read_questions(ROOT / "bench" / "eval" / "tibet-2024.test.jsonl")
    rep = evaluate(Engine.open(seed_index), qs).systems[0]
    o = rep.overall
    assert o.hit1 is not None and o.hit1 >= GUARD["hit1"]
    assert o.hit5 is not None and o.hit5 >= GUARD["hit5"]
    assert o.mrr is not None and o.mrr >= GUARD["mrr"]
    assert o.answer is not None and o.answer >= GUARD["answer"]
    en = rep.per_kind["english"].hit5
    assert en is not None and en >= GUARD["english_hit5"]
    assert rep.abstention_recall is not None and rep.abstention_recall >= GUARD_ABSTAIN_RECALL
    assert rep.false_abstention is not None and rep.false_abstention <= GUARD_FALSE_ABSTAIN
