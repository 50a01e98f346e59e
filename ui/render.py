"""Pure HTML rendering for the web chat: answers, citation chips, term highlighting, the report view.

No gradio here, so every function is unit-testable. **Document text and questions are data**: every piece of
text that comes from a document or a user goes through :func:`esc` before it is put into HTML. :func:`esc`
also turns Markdown punctuation into character references, so even a renderer that parsed Markdown would
see no link, emphasis or code syntax in it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportqa.index.records import Citation, Document, Paragraph
from reportqa.qa.records import Answer, ComparisonRow, Hit, Language, PeriodAnswer

ABSTAIN_ZH = "报告中没有找到直接回答这个问题的内容"
ABSTAIN_EN = "The report does not appear to answer this question."

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ENTITIES.update({c: f"&#{ord(c)};" for c in "[]()*_`~#|\\{}!$="})
_ESC_RE = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")



# ---------------------------------------------------------------------------------------------- text basics


def esc(text: str) -> str:
    """HTML-escape ``text`` (quotes included) and neutralise Markdown punctuation."""
    return _ESC_RE.sub(lambda m: _ENTITIES[m.group(0)], text)


def abstain_message(language: Language) -> str:
    """The abstain sentence in the question's language (``Answer.language``: qa read it once)."""
    return ABSTAIN_EN if language == "en" else ABSTAIN_ZH


def _merged_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    lower = text.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        t = term.lower()
        if not t:
            continue
        start = lower.find(t)
        while start >= 0:
            spans.append((start, start + len(t)))
            start = lower.find(t, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def highlight(text: str, terms: Iterable[str]) -> str:
    """``text`` escaped, with every occurrence of any term wrapped in ``<mark>`` (overlaps merged)."""
    out: list[str] = []
    pos = 0
    for a, b in _merged_spans(text, terms):
        out.append(esc(text[pos:a]))
        out.append(f"<mark>{esc(text[a:b])}</mark>")
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out)


def emphasise(sentence: str, figure: str | None) -> str:
    """The answer sentence escaped, with the first occurrence of ``figure`` in ``<strong>``."""
    if figure:
        i = sentence.find(figure)
        if i >= 0:
            j = i + len(figure)
            return f"{esc(sentence[:i])}<strong class=\"rq-figure\">{esc(figure)}</strong>{esc(sentence[j:])}"
    return esc(sentence)


# ---------------------------------------------------------------------------------------------- citations


def doc_slug(document: str) -> str:
    """A stable, id-safe slug for a document name (a short hash when the name has no ASCII letters/digits)."""
    slug = re.sub(r"[^a-z0-9]+", "-", document.lower()).strip("-")
    if not slug:
        slug = "doc-" + hashlib.sha1(document.encode("utf-8")).hexdigest()[:8]
    return slug


def anchor_id(document: str, n: int) -> str:
    """The element id of paragraph ``n`` of ``document`` in the report view: ``p-<doc-slug>-<n>``."""
    return f"p-{doc_slug(document)}-{n}"


def chip_text(rank: int, citation: Citation) -> str:
    """``[n] document · section path · ¶ paragraph · lines a–b`` (plain text)."""
    return f"[{rank}] {citation.label()}"


def citation_chip(rank: int, citation: Citation, score: float | None = None) -> str:
    """A clickable chip that opens the cited paragraph in the report view, plus a copy-citation button."""
    doc = esc(citation.document)
    target = anchor_id(citation.document, citation.paragraph)
    score_html = f' <span class="rq-score">score {score:.3f}</span>' if score is not None else ""
    uncertain = " rq-uncertain" if citation.uncertain else ""  # read by OCR with a low score: marked
    return (
        f'<span class="rq-chip-row">'
        f'<a class="rq-cite{uncertain}" href="#{target}" data-target="{target}" '
        f'data-doc="{doc}" data-n="{citation.paragraph}" title="在报告中查看 / show in the report">'
        f"{esc(chip_text(rank, citation))}</a>{score_html}"
        f'<button type="button" class="rq-copy" data-copy="{esc(citation.label())}" '
        f'title="复制引用 / copy citation">复制引用</button></span>'
    )


# ---------------------------------------------------------------------------------------------- answers


def render_passage(hit: Hit, terms: Sequence[str], show_score: bool, low_confidence: bool) -> str:
    cls = "rq-passage rq-low" if low_confidence else "rq-passage"
    low = '<span class="rq-lowtag">低置信度 low confidence</span>' if low_confidence else ""
    return (
        f'<div class="{cls}" data-rank="{hit.rank}">'
        f'<div class="rq-ptext">{highlight(hit.text, terms)}</div>'
        f'<div class="rq-pmeta">{citation_chip(hit.rank, hit.citation, hit.score if show_score else None)}'
        f"{low}</div></div>"
    )


def period_label(p: PeriodAnswer, en: bool) -> str:
    """``目标 5%左右 · 2025年报告`` / ``target 5% · 2025 report``: one side of a target/result answer."""
    what = p.highlight or p.clause or p.sentence
    if en:
        side = "target" if p.period == "target" else "actual"
        side = f"{p.fact_year} {side}" if p.fact_year is not None else side
        where = f"{p.year} report" if p.year is not None else p.hit.citation.document
    else:
        side = f"{p.fact_year}年{p.label_zh}" if p.fact_year is not None else p.label_zh
        where = f"{p.year}年报告" if p.year is not None else p.hit.citation.document
    return f"{side} {what} · {where}"


def period_summary(by_period: Sequence[PeriodAnswer], en: bool) -> str:
    """Both readings of a question that may ask for a target or a result, labelled, target first:
    ``目标 5%左右 · 2025年报告 / 实际 5.0% · 2026年报告``."""
    return " / ".join(period_label(p, en) for p in by_period)


def render_clause(clause: str | None, figure: str | None) -> str:
    """The clause carrying the asked figure, shown before the whole sentence (empty when there is none)."""
    if not clause:
        return ""
    return f'<div class="rq-clause">{emphasise(clause, figure)}</div>'


def render_by_period(by_period: Sequence[PeriodAnswer], en: bool) -> str:
    """The target and the result of an either-period question, each with its sentence and citation."""
    if not by_period:
        return ""
    head = "Target and result:" if en else "目标与实际："
    out = [f'<div class="rq-periods"><div class="rq-phead">{head} {esc(period_summary(by_period, en))}</div><ul>']
    for i, p in enumerate(by_period, 1):
        side = ("target" if p.period == "target" else "actual") if en else p.label_zh
        out.append(
            f'<li data-period="{p.period}"><span class="rq-period">{esc(side)}</span> '
            f"{render_clause(p.clause, p.highlight)}{emphasise(p.sentence, p.highlight)} "
            f"{citation_chip(i, p.hit.citation)}</li>"
        )
    out.append("</ul></div>")
    return "".join(out)


def render_comparison(rows: Sequence[ComparisonRow], en: bool) -> str:
    """A comparison answer's table: one row per named report (question order), its answer sentence and a
    citation chip for the passage it comes from, or why the report has no answer."""
    head = ("Report", "Answer", "Source") if en else ("报告", "回答", "出处")
    out = ['<table class="rq-compare"><thead><tr>', *(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for i, r in enumerate(rows, 1):
        label = r.label or r.document or "?"
        if r.year is not None and str(r.year) not in label:
            label = f"{label} {r.year}"
        if r.abstained or not r.sentence:
            why = r.message or ("Not found in this report." if en else "该报告中没有找到。")
            cell = f'<span class="rq-abstain">{esc(why)}</span>'
        else:
            cell = render_clause(r.clause, r.highlight) + emphasise(r.sentence, r.highlight)
        chip = citation_chip(i, r.hits[0].citation) if r.hits else "–"
        out.append(f'<tr data-row="{i}"><th scope="row">{esc(label)}</th><td>{cell}</td><td>{chip}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def render_answer(answer: Answer, show_scores: bool = False, written: str = "", table: str = "") -> str:
    """The whole assistant reply as one HTML block (no blank lines, no Markdown, all text escaped).
    ``written``: the written answer's HTML (``--llm``, :mod:`.render_llm`), shown before the passages;
    ``table``: a table answer's figures, chart and missing cells (:mod:`.render_table`), shown first."""
    en = answer.language == "en"
    terms = answer.marked
    parts = ['<div class="rq-answer">']
    if answer.notice:
        parts.append(f'<div class="rq-notice">{esc(answer.notice)}</div>')
    parts.append(table)
    figures = answer.table or answer.attainment is not None  # attainment: its rows, or why it cannot be judged
    if table and figures and not answer.comparison:  # the figures answer it; passages back them up
        parts.append(written)
        if answer.hits:
            parts.append(f'<div class="rq-phead">{"Passages:" if en else "相关段落："}</div>')
    elif answer.comparison:
        parts.append(render_comparison(answer.comparison, en))
        parts.append(written)
        if answer.hits:
            parts.append(f'<div class="rq-phead">{"Passages:" if en else "相关段落："}</div>')
    elif answer.abstained:
        parts.append(f'<div class="rq-abstain">{esc(abstain_message(answer.language))}</div>')
        if answer.message:  # why (answerability checks): a missing report, another subject, no figure given
            reason = "".join(c for c in (answer.reason or "") if c.isascii() and (c.isalpha() or c == "_"))
            parts.append(f'<div class="rq-reason" data-reason="{reason}">{esc(answer.message)}</div>')
        if answer.reason == "no_figure" and answer.sentence:  # the sentence that mentions what was asked about
            ref = f' <sup class="rq-ref">[{answer.sentence_rank}]</sup>' if answer.sentence_rank else ""
            parts.append(f'<div class="rq-sentence rq-nofigure">{esc(answer.sentence)}{ref}</div>')
        parts.append(written)
        if answer.hits:
            nearest = "Nearest passages (low confidence):" if en else "最接近的段落（低置信度）："
            parts.append(f'<div class="rq-phead">{nearest}</div>')
    else:
        if answer.sentence:
            ref = f' <sup class="rq-ref">[{answer.sentence_rank}]</sup>' if answer.sentence_rank else ""
            parts.append(render_clause(answer.clause, answer.highlight))
            parts.append(f'<div class="rq-sentence">{emphasise(answer.sentence, answer.highlight)}{ref}</div>')
        parts.append(render_by_period(answer.by_period, en))
        parts.append(written)
        if answer.hits:
            parts.append(f'<div class="rq-phead">{"Passages:" if en else "相关段落："}</div>')
    parts.append('<ol class="rq-passages">')
    for hit in answer.hits:
        parts.append(f"<li>{render_passage(hit, terms, show_scores, answer.abstained)}</li>")
    parts.append("</ol></div>")
    return "".join(parts)


def render_question(question: str) -> str:
    """The user's message, escaped (the chat renders HTML)."""
    return f'<div class="rq-question">{esc(question)}</div>'


def render_notice(message: str) -> str:
    """An error or notice shown in the chat instead of an answer."""
    return f'<div class="rq-error" role="alert">⚠ {esc(message)}</div>'


# ---------------------------------------------------------------------------------------------- report view


def render_report(
    paragraphs: Sequence[Paragraph],
    document: str,
    cited: int | None = None,
    lines: tuple[int, int] | None = None,
) -> str:
    """The whole reconstructed ``document``: headings as headings, one anchored element per paragraph.

    The ``cited`` paragraph gets class ``rq-cited`` (and ``aria-current``); the caller scrolls to it.
    """
    own = [p for p in paragraphs if p.document == document]
    head = f'<div class="rq-doc-title">{esc(document)}</div>'
    if cited is not None:
        where = f"¶ {cited}"
        if lines:
            where += f" · lines {lines[0]}–{lines[1]}" if lines[0] != lines[1] else f" · line {lines[0]}"
        head += f'<div class="rq-doc-where">{esc(where)}</div>'
    if not own:
        return f'<div class="rq-report">{head}<p class="rq-empty">{esc("(no paragraphs)")}</p></div>'
    body = []
    for p in own:
        pid = anchor_id(p.document, p.n)
        mark = ' rq-cited" aria-current="true' if p.n == cited else ""
        num = f'<span class="rq-pn">¶{p.n}</span>'
        if p.heading:
            level = min(max(p.level, 1), 4) + 2
            body.append(f'<h{level} id="{pid}" class="rq-para rq-heading{mark}" data-n="{p.n}">'
                        f"{num}{esc(p.text)}</h{level}>")  # fmt: skip
        else:
            body.append(f'<p id="{pid}" class="rq-para{mark}" data-n="{p.n}">{num}{esc(p.text)}</p>')
    cited_attr = f' data-cited="{anchor_id(document, cited)}"' if cited is not None else ""
    return f'<div class="rq-report" data-doc="{esc(document)}"{cited_attr}>{head}{"".join(body)}</div>'


def report_placeholder(documents: Sequence[str], groups: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """The report panel before a citation is opened: the documents, grouped (by region and year) when
    ``groups`` (``[(heading, [document, …]), …]``) is given."""
    if groups:
        items = "".join(
            f'<li><span class="rq-docgroup">{esc(h)}</span><ul>{"".join(f"<li>{esc(d)}</li>" for d in ds)}</ul></li>'
            for h, ds in groups
        )
    else:
        items = "".join(f"<li>{esc(d)}</li>" for d in documents)
    return (
        '<div class="rq-report rq-report-empty"><p>点击回答中的引用，在这里查看原文上下文。<br>'
        "Click a citation in an answer to read it in context here.</p>"
        f'<ul class="rq-doclist">{items}</ul></div>'
    )


def document_groups(documents: Sequence[Any]) -> list[tuple[str, list[str]]]:
    """``[("北京市 · 2026", [name]), …]``: documents (records with ``region``, ``year``, ``name``) grouped by
    region, national first, then by year, newest first; documents without a region last."""

    def key(d: Any) -> tuple[int, str, int]:
        level = 0 if d.level == "national" else (1 if d.region else 2)
        return (level, d.region or "", -(d.year or 0))

    groups: dict[str, list[str]] = {}
    for d in sorted(documents, key=key):
        head = " · ".join(x for x in (d.region or "", str(d.year) if d.year else "") if x) or "其他 other"
        groups.setdefault(head, []).append(d.name)
    return list(groups.items())


# ---------------------------------------------------------------------------------------------- status pages


def render_status(manifest: Mapping[str, Any], documents: Sequence[Document] = ()) -> str:
    """One line of index facts for the page header (the documents' names, regions and years on hover)."""
    counts = manifest.get("counts", {})
    emb = manifest.get("embedder", {})
    built = str(manifest.get("built_at", "?")).replace("T", " ")
    docs = "; ".join(d.label() for d in documents)
    items = [
        f"{counts.get('documents', '?')} documents",
        f"{counts.get('paragraphs', '?')} paragraphs",
        f"{counts.get('chunks', '?')} passages",
        f"embedder {emb.get('id', '?')}",
        f"built {built}",
    ]
    spans = "".join(f'<span class="rq-stat">{esc(i)}</span>' for i in items)
    return f'<div class="rq-status" title="{esc(docs)}">索引 Index: {spans}</div>'


def empty_state(documents: int, regions: Sequence[str], years: Sequence[int], examples: Sequence[str]) -> str:
    """The chat's empty state: what the index holds and what to ask (the examples come from its documents)."""
    held = f"{documents} 份报告 reports"
    if regions:
        shown = "、".join(regions[:6]) + (f" 等 {len(regions)} 个地区" if len(regions) > 6 else "")
        held += f" · {shown}"
    if years:
        held += f" · {min(years)}–{max(years)}" if len(years) > 1 else f" · {years[0]}"
    tries = "".join(f"<li>{esc(q)}</li>" for q in examples[:3])
    return (
        f"<div class='rq-report-empty'><p>本索引收录 This index holds: {esc(held)}</p>"
        "<p>输入问题，或点击下面的示例问题；问题中写明地区和年份（或用“范围”选择）即从该报告回答，"
        "写出几个地区或年份即并列比较。<br>Type a question or click an example; name a region and year (or pick "
        "them under Scope) to answer from that report, name several to compare.</p>"
        f"<ul class='rq-doclist'>{tries}</ul></div>"
    )


def render_error_page(message: str, command: str) -> str:
    """The page shown instead of the chat when there is no usable index."""
    return (
        '<div class="rq-nopage"><h2>没有可用的索引 · No index available</h2>'
        f'<p class="rq-error" role="alert">{esc(message)}</p>'
        "<p>构建索引后重新启动服务 / Build the index, then restart the server:</p>"
        f"<pre><code>{esc(command)}</code></pre></div>"
    )
