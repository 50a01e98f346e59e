"""The trust measures of bench/eval_trust.py (issue 23) score hand-made ``ask --json`` answer objects as the
issue defines them: a list item answered AND marked, both periods of a mixed question from their reports, every
cell of a comparison, a decline with its reason; and the trust sets hold up against the reports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


et = _load("eval_trust", ROOT / "bench" / "eval_trust.py")

DOC = "provincial-2026/jilin-2026.txt"
ENUM = {"id": "e1", "kind": "enumeration", "lang": "zh", "question": "吉林省石化产业增加值增长了多少？",
        "document": DOC, "evidence": "食品、石化、医药、信息等产业增加值分别增长7.5%、11.5%、17.4%、7.3%",
        "answer": "11.5%"}  # fmt: skip
SENTENCE = "食品、石化、医药、信息等产业增加值分别增长7.5%、11.5%、17.4%、7.3%。"


def answer(text: str | None, highlight: str | None = None, document: str = "jilin-2026.txt",
           **extra: object) -> dict[str, object]:  # fmt: skip
    """An answer object as ``reportqa ask --json`` prints it, its passage cited from ``document``."""
    passages = [{"rank": 1, "score": 1.0, "text": text or "", "citation": {"document": document}}]
    a: dict[str, object] | None = None
    if text is not None:
        a = {"text": text, "passage": 1}
        if highlight:
            a["highlight"] = highlight
    return {"question": "q", "abstained": text is None, "answer": a, "passages": passages, **extra}


def test_enumeration_needs_the_right_item_marked() -> None:
    assert et.score_enumeration(ENUM, answer(SENTENCE, "11.5%")).ok
    assert et.score_enumeration(ENUM, answer(SENTENCE, "11.5")).ok  # the number without its unit still marks it
    wrong_item = et.score_enumeration(ENUM, answer(SENTENCE, "7.5%"))
    assert not wrong_item.ok and "highlight" in wrong_item.why
    assert not et.score_enumeration(ENUM, answer(SENTENCE, None)).ok
    assert not et.score_enumeration(ENUM, answer(SENTENCE, SENTENCE)).ok  # the whole sentence marks nothing
    assert not et.score_enumeration(ENUM, answer(SENTENCE, "11.5%", document="liaoning-2026.txt")).ok
    assert not et.score_enumeration(ENUM, answer(None)).ok


def test_a_bare_number_is_not_found_inside_a_longer_one() -> None:
    assert et.holds("一、二、三产业增加值分别增长4.2%、5%、5.4%", "5%")
    assert not et.holds("二产增长5.4%", "5%")
    assert not et.holds("增长15%", "5%")
    assert et.holds("全市生产总值增长５％左右", "5%左右")  # full-width folded
    assert et.holds("自治区主席 韦 韬", "韦韬")


def test_qualitative_values_are_marked_or_not() -> None:
    row = {**ENUM, "kind": "qualitative", "answer": "与经济增长同步", "evidence": "居民收入增长与经济增长同步"}
    text = "居民收入增长与经济增长同步，城镇调查失业率5.5%左右。"
    assert et.score_qualitative(row, answer(text, "与经济增长同步")).ok
    assert et.score_qualitative(row, answer(text, "居民收入增长与经济增长同步")).ok
    assert not et.score_qualitative(row, answer(text, "5.5%左右")).ok
    assert not et.score_qualitative(row, answer(text, "同步")).ok


MIXED = {
    "id": "m1", "kind": "mixed_period", "lang": "zh", "question": "北京市2025年增长了多少、2026年目标是多少？",
    "document": "provincial-2026/beijing-2026.txt", "evidence": "增长5.4%", "answer": "5.4%",
    "parts": [
        {"year": 2025, "period": "actual", "answer": "5.4%", "evidence": "增长5.4%",
         "document": "provincial-2026/beijing-2026.txt"},
        {"year": 2026, "period": "target", "answer": "5%左右", "evidence": "增长5%左右",
         "document": "provincial-2026/beijing-2026.txt"},
    ],
}  # fmt: skip


def _side(text: str, hl: str, doc: str = "beijing-2026.txt") -> dict[str, object]:
    return {"text": text, "highlight": hl, "citation": {"document": doc}}


def test_mixed_period_needs_both_parts_from_their_report_and_period() -> None:
    both = answer("全市地区生产总值5.2万亿元、增长5.4%。", "5.4%", document="beijing-2026.txt",
                  answers_by_period={"target": _side("地区生产总值增长5%左右。", "5%左右"),
                                     "actual": _side("全市地区生产总值5.2万亿元、增长5.4%。", "5.4%")})  # fmt: skip
    assert et.score_mixed(MIXED, both).ok
    assert et.parts_right(MIXED, both) == (2, 2)
    one = answer("全市地区生产总值5.2万亿元、增长5.4%。", "5.4%", document="beijing-2026.txt")
    s = et.score_mixed(MIXED, one)
    assert not s.ok and "2026 target" in s.why
    assert et.parts_right(MIXED, one) == (1, 2)
    swapped = answer("x", None, document="beijing-2026.txt",
                     answers_by_period={"target": _side("增长5.4%。", "5.4%"),
                                        "actual": _side("增长5%左右。", "5%左右")})  # fmt: skip
    assert et.parts_right(MIXED, swapped) == (0, 2)  # each value under the other period
    other_report = answer(
        "x",
        None,
        answers_by_period={
            "target": _side("增长5%左右。", "5%左右", "shanghai-2026.txt"),
            "actual": _side("增长5.4%。", "5.4%", "shanghai-2026.txt"),
        },
    )
    assert not et.score_mixed(MIXED, other_report).ok


def test_answer_objects_under_a_new_field_are_read() -> None:
    """Another engineer may add a list of labelled answers (``parts``): the measure reads it without a change."""
    new = answer("x", None, document="beijing-2026.txt",
                 parts=[{"period": "actual", "year": 2025, "text": "增长5.4%",
                         "citation": {"document": "beijing-2026.txt"}},
                        {"period": "target", "year": 2026, "answer": {"text": "增长5%左右"},
                         "document": "beijing-2026.txt"}])  # fmt: skip
    assert et.score_mixed(MIXED, new).ok


COMPARISON = {
    "id": "c1", "kind": "comparison", "lang": "zh", "question": "北京和上海2026年GDP目标？",
    "document": "provincial-2026/beijing-2026.txt", "evidence": "e", "answer": "5%左右",
    "expected": [{"document": "provincial-2026/beijing-2026.txt", "answer": "5%左右", "evidence": "e"},
                 {"document": "provincial-2026/shanghai-2026.txt", "answer": "5%以上", "evidence": "e"}],
}  # fmt: skip


def _row(doc: str, text: str | None) -> dict[str, object]:
    return {"label": doc, "document": doc, "abstained": text is None, "answer": {"text": text} if text else None}


def test_comparison_needs_every_cell() -> None:
    rows = [_row("beijing-2026.txt", "增长5%左右"), _row("shanghai-2026.txt", "增长5%以上")]
    assert et.score_comparison(COMPARISON, {"abstained": False, "comparison": rows}).ok
    assert et.score_comparison(COMPARISON, {"abstained": False, "comparison": rows[::-1]}).ok  # matched by report
    half = [rows[0], _row("shanghai-2026.txt", None)]
    s = et.score_comparison(COMPARISON, {"abstained": False, "comparison": half})
    assert not s.ok and "shanghai" in s.why
    assert not et.score_comparison(COMPARISON, answer("增长5%左右", "5%左右", document="beijing-2026.txt")).ok
    table = [{"document": "beijing-2026.txt", "value": "5%左右"}, {"document": "shanghai-2026.txt", "value": "5%以上"}]
    assert et.score_comparison(COMPARISON, {"abstained": False, "table": table}).ok


def test_declines_are_counted_by_reason_and_answerable_declines_apart() -> None:
    missing = {"id": "u1", "kind": "missing_figure", "lang": "en", "question": "q", "evidence": None,
               "answer": None, "reason": "no_figure"}  # fmt: skip
    control = {**ENUM, "id": "c", "kind": "control"}
    rows = [missing, {**missing, "id": "u2"}, {**missing, "id": "u3", "reason": "topic"}, control, ENUM]
    answers = [
        {**answer(None), "reason": "no_figure"},
        answer("另一个数字 8%", "8%"),  # another quantity passed off as the answer
        {**answer(None), "reason": "no_figure"},  # declined, with the wrong reason
        answer(None),  # a right answer declined
        answer(SENTENCE, "11.5%"),
    ]
    m = et.score_all(rows, answers)["measures"]
    assert m["unanswerable_declined.no_figure"]["right"] == 1 and m["unanswerable_declined.no_figure"]["n"] == 2
    assert m["unanswerable_declined.topic"]["right"] == 1
    assert m["unanswerable_declined.set.missing_figure"] == {**m["unanswerable_declined.set.missing_figure"],
                                                             "right": 2, "n": 3}  # fmt: skip
    assert m["unanswerable_declined_with_reason.topic"]["right"] == 0
    assert m["answerable_declined"]["right"] == 1 and m["answerable_declined"]["n"] == 2
    assert m["controls_declined"]["rate"] == 1.0
    assert m["enumeration"]["right"] == 1
    assert m["unanswerable_declined"]["by_lang"]["en"] == {"right": 2, "n": 3}


def test_rescoring_saved_answers_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    rows = et.read_sets("dev", ["enumeration"], False)[:2]
    assert len(rows) == 2
    saved = tmp_path / "answers.jsonl"
    first = answer(f"{rows[0]['evidence']}。", str(rows[0]["answer"]), document=str(rows[0]["document"]))
    saved.write_text(json.dumps({"id": rows[0]["id"], "answer": first}, ensure_ascii=False) + "\n"
                     + json.dumps({"id": rows[1]["id"], "answer": answer(None)}) + "\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "m.json"
    assert et.main(["--answers", str(saved), "--kinds", "enumeration", "--no-library-unanswerable",
                    "--json", str(out)]) == 0  # fmt: skip
    m = json.loads(out.read_text(encoding="utf-8"))["measures"]
    assert m["enumeration"] == {"right": 1, "n": 2, "rate": 0.5, "by_lang": m["enumeration"]["by_lang"]}
    assert "enumeration" in capsys.readouterr().out


def test_the_trust_sets_hold_against_the_reports() -> None:
    """Every evidence string once in its report's reconstruction, missing terms absent, splits by report."""
    ct = _load("check_trust", ROOT / "bench" / "eval" / "check_trust.py")
    assert ct.check(ct.Texts(None)) == []
    for kind in ct.KINDS:
        assert ct.read_rows(ct.EVAL / f"trust-{kind}.dev.jsonl"), kind
