"""The question is understood once (issue 24): only qa/query.py (and the terms it reads, qa/terms.py) parse a
question's text; everything below takes the typed ``Query`` and its ``Searched`` terms. Held with ``ast`` as
tests/test_layering.py holds the layers' imports: every call of a question parser (the language rule, the
question tokenizer, the year, region, period, intent and asked-thing readers) anywhere in qa/ and ui/ must be
inside the understanding modules or listed in :data:`ALLOWED` with its reason; and the steps after
understanding take no question string. Each rule is also run on a planted violation, so the test can fail."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PARSERS = frozenset({
    "understand", "clean_question", "is_latin_query", "is_mostly_latin", "explicit_years", "named_years",
    "named_regions", "question_period", "question_intent", "question_term", "question_attainment", "year_periods",
    "asked", "asked_thing", "chinese_keywords", "glossary_tokens", "topic_tokens", "without_region_names",
    "searched", "marked_terms",
})  # fmt: skip
"""Functions that read a question's text (``tokenize`` counts when called with ``question=True``,
``has_asked_figure`` when not given the asked thing already read)."""

UNDERSTANDING = {"qa/query.py", "qa/terms.py"}
"""Where the question is read: :func:`reportqa.qa.query.understand` and the :class:`Searched` terms."""

ALLOWED: dict[tuple[str, str], str] = {
    ("qa/engine.py", "Engine._understand"): "the entry (Engine.ask, and Engine.understand for a caller that "
    "searches by itself): the user's question is read here, once",
    ("qa/engine.py", "Engine.run"): "a script's or test's one search given as a string (an ask passes the Query)",
    ("qa/engine.py", "Engine.query_vector"): "a script's searched text (bench/topic); an ask embeds Searched",
    ("qa/answerable.py", "calibrate"): "calibration questions, not the user's: their subject words",
    ("qa/verify.py", "verify"): "the language model's reply sentences, not the question",
    ("qa/verify.py", "_quantity_of"): "the quantity a reply clause names, not the question's",
}
"""(module, function) → why it may read a question string. Parsers calling each other on their own parameters
(the definitions in answer.py, support.py, scope.py, glossary.py, yoy_intent.py) are the understanding's
helpers and are listed by :data:`HELPERS`."""

HELPERS: dict[str, set[str]] = {
    "qa/answer.py": {"has_asked_figure", "indicator_figure", "locate", "highlight", "_highlight"},
    "qa/support.py": {"asked_thing"},
    "qa/scope.py": {"named_regions", "_names_a_report", "without_region_names", "named_years"},
    "qa/glossary.py": {"chinese_keywords", "chinese_groups"},
    "qa/yoy_intent.py": {"question_intent", "question_term"},
    "qa/question.py": {"clean_question"},
}
"""Functions that are themselves question parsers (called by :mod:`reportqa.qa.query` on the question)."""

STEPS = ["qa/ask.py", "qa/compare.py", "qa/by_period.py", "qa/mixed_period.py", "qa/search.py", "qa/retrieval.py",
         "qa/table.py", "qa/stored.py", "qa/abstain.py"]  # fmt: skip
"""The steps after understanding: none takes a ``question`` string."""


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _parses(call: ast.Call) -> str | None:
    name = _name(call)
    if name in PARSERS:
        return name
    if name == "tokenize" and any(k.arg == "question" for k in call.keywords):
        return "tokenize(question=True)"
    if name == "has_asked_figure" and len(call.args) < 3 and not any(k.arg == "kind" for k in call.keywords):
        return name
    return None


def parser_calls(source: str) -> list[tuple[str, str, int]]:
    """``(enclosing function, parser, line)`` for every question-parser call in ``source``."""
    out: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, where: str, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef) and not in_function:
                visit(child, child.name, False)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = where if in_function else f"{where}.{child.name}" if where else child.name
                visit(child, name, True)  # a nested function counts as its outermost function
            else:
                if isinstance(child, ast.Call) and (p := _parses(child)):
                    out.append((where, p, child.lineno))
                visit(child, where, in_function)

    visit(ast.parse(source), "", False)
    return out


def violations(rel: str, source: str) -> list[str]:
    """The question-parser calls of module ``rel`` (a path under the repository) that nothing allows."""
    if rel in UNDERSTANDING:
        return []
    helpers = HELPERS.get(rel, set())
    return [
        f"{rel}:{line} {where or '<module>'} calls {parser}"
        for where, parser, line in parser_calls(source)
        if (rel, where) not in ALLOWED and where.split(".")[0] not in helpers
    ]


def question_parameters(source: str) -> list[str]:
    """Functions of ``source`` that take a ``question`` argument annotated ``str``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                if a.arg == "question" and a.annotation is not None and "str" in ast.unparse(a.annotation):
                    out.append(f"{node.name}:{node.lineno}")
    return out


def _modules() -> list[Path]:
    return sorted([*(ROOT / "qa").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def test_nothing_below_query_parses_the_question() -> None:
    bad = [v for p in _modules() for v in violations(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))]
    assert not bad, "re-reads the question's text (put it on Query / Searched instead):\n" + "\n".join(bad)


def test_the_steps_after_understanding_take_no_question_string() -> None:
    bad = [f"{rel}: {f}" for rel in STEPS for f in question_parameters((ROOT / rel).read_text(encoding="utf-8"))]
    assert not bad, "\n".join(bad)


def test_every_allowance_is_still_used() -> None:
    found = {(str(p.relative_to(ROOT)), w) for p in _modules() for w, _, _ in parser_calls(p.read_text("utf-8"))}
    stale = sorted(f"{m} {f}" for m, f in ALLOWED if (m, f) not in found)
    assert not stale, f"allowed but no longer parsing the question (remove from ALLOWED): {stale}"


# ------------------------------------------------------------------------------ the rules can fail

PLANTED = '''
from reportqa.index.text.tokens import is_latin_query, tokenize


class Retriever:
    def search(self, query, qvec):
        latin = is_latin_query(query.text)
        return tokenize(query.text, question=True), latin


def compare(query, question: str):
    return [t for t in tokenize(question)]
'''


def test_a_planted_reparse_is_caught() -> None:
    got = violations("qa/retrieval.py", PLANTED)
    assert len(got) == 2 and all("Retriever.search" in v for v in got), got
    assert any("is_latin_query" in v for v in got) and any("tokenize(question=True)" in v for v in got)
    assert violations("qa/query.py", PLANTED) == []  # understanding itself may
    assert question_parameters(PLANTED) == ["compare:11"]


def test_the_real_tree_with_a_planted_reparse_fails() -> None:
    """The retrieval module as it is, with one line of the old kind added back: the rule catches it."""
    src = (ROOT / "qa" / "retrieval.py").read_text(encoding="utf-8")
    assert violations("qa/retrieval.py", src) == []
    planted = src.replace("        latin = s.latin\n", "        latin = is_latin_query(query.text)\n", 1)
    assert planted != src
    assert [v.split(" ", 1)[1] for v in violations("qa/retrieval.py", planted)] == [
        "Retriever.search calls is_latin_query"
    ]
