"""HTML of a diff answer (two columns: dropped from A | added in B, then changed figures and new terms) and of
a trend answer (a line chart across years or bars across regions, and a table), every citation a chip that
opens the paragraph in the report view (:func:`reportqa.ui.render.citation_chip`)."""

from __future__ import annotations

from collections.abc import Sequence

from reportqa.qa.diff import Diff, Item
from reportqa.qa.records import Answer
from reportqa.qa.trend import Trend

from .render import anchor_id, citation_chip, esc
from .render_table import CHART_H, short_region

SHOWN = 40
"""Items shown per column (the CLI lists them all)."""
_COL = "flex:1 1 0;min-width:0;"
_NOWRAP = "white-space:nowrap;"


def _column(title: str, items: Sequence[Item], cls: str, en: bool, unsure: int = 0) -> str:
    rows = [
        f'<li class="rq-diff-item">{esc(i.text)}<div class="rq-pmeta">{citation_chip(n, i.citation)}</div></li>'
        for n, i in enumerate(items[:SHOWN], 1)
    ]
    more = ""
    if len(items) > SHOWN:
        rest = len(items) - SHOWN
        more = (f'<div class="rq-diff-more">… {rest} more (reportqa diff lists them all)</div>' if en
                else f'<div class="rq-diff-more">……另有 {rest} 条（reportqa diff 列出全部）</div>')  # fmt: skip
    if unsure:  # items the listing model holds back (qa/diff_model.py)
        more += (f'<div class="rq-diff-unsure">{unsure} more with no counterpart found, probably said in the other '
                 "report in other words (not listed)</div>" if en else
                 f'<div class="rq-diff-unsure">另有 {unsure} 条未找到对应句，'
                 "但很可能在另一份报告中换了说法（未列出）</div>")  # fmt: skip
    return (f'<div class="rq-diff-col {cls}" style="{_COL}"><div class="rq-phead">{esc(title)} ({len(items)})</div>'
            f'<ol class="rq-diff-list">{"".join(rows)}</ol>{more}</div>')  # fmt: skip


def render_diff(diff: Diff, en: bool) -> str:
    """The two columns, the changed figures and the new terms of ``diff``."""
    a, b = esc(diff.a), esc(diff.b)
    head = (f"What {b} says that {a} does not" if en else f"{b} 与 {a} 相比")
    parts = [f'<div class="rq-diff"><div class="rq-diff-head">{head}</div>']
    if diff.empty:
        none = "No sentence added, dropped or re-figured." if en else "两份报告没有新增、删去或改动数字的句子。"
        parts.append(f'<div class="rq-diff-empty">{none}</div>')
    parts.append('<div class="rq-diff-cols" style="display:flex;gap:1rem;align-items:flex-start;">')
    parts.append(_column(f"Dropped from {diff.a}" if en else f"删去（{diff.a} 有，{diff.b} 无）", diff.dropped,
                         "rq-diff-dropped", en, len(diff.unsure_dropped)))  # fmt: skip
    parts.append(_column(f"Added in {diff.b}" if en else f"新增（{diff.b} 有，{diff.a} 无）", diff.added,
                         "rq-diff-added", en, len(diff.unsure_added)))  # fmt: skip
    parts.append("</div>")
    if diff.changed:
        parts.append(f'<div class="rq-phead">{"Figures changed" if en else "数字变化"} ({len(diff.changed)})</div>'
                     '<table class="rq-table rq-diff-changed"><tbody>')  # fmt: skip
        for n, c in enumerate(diff.changed[:SHOWN], 1):
            parts.append(
                f'<tr><td><b>{esc(c.before.value)}</b> → <b>{esc(c.after.value)}</b></td>'
                f"<td>{esc(c.before.text)}<div class=\"rq-pmeta\">{citation_chip(n, c.before.citation)}</div></td>"
                f"<td>{esc(c.after.text)}<div class=\"rq-pmeta\">{citation_chip(n, c.after.citation)}</div></td></tr>"
            )
        parts.append("</tbody></table>")
    if diff.new_terms:
        parts.append(f'<div class="rq-phead">{"New terms" if en else "新提法"}</div><ul class="rq-diff-terms">')
        for t in diff.new_terms:
            target = anchor_id(t.citation.document, t.citation.paragraph)
            parts.append(f'<li><a class="rq-cite rq-term" href="#{target}" data-target="{target}" '
                         f'title="{esc(t.sentence)}">{esc(t.term)}</a> ×{t.count}</li>')  # fmt: skip
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _ymax(v: float) -> float:
    step = 1.0
    while v > 4 * step:
        step *= 2 if str(step)[0] in "15" else 2.5
    return 4 * step


def trend_chart(trend: Trend, en: bool) -> str:
    """Occurrences per report: a line across years (one region) or bars across reports."""
    rows = [r for r in trend.rows if r.year is not None]
    if len(rows) < 2:
        return ""
    top, bottom, left = 14, 64, 40
    ymax = _ymax(max(r.count for r in rows) or 1)
    plot_h = CHART_H - top - bottom

    def ypos(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    by_year = trend.by_year
    width = max(420, min(960, left + 30 + (22 if by_year else 26) * len(rows)))
    step = (width - left - 30) / max(1, len(rows) - (1 if by_year else 0))
    body: list[str] = []
    for i in range(5):
        v, y = ymax * i / 4, ypos(ymax * i / 4)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{v:g}</text>')
    label_every = max(1, len(rows) // 14)
    points = []
    for i, r in enumerate(rows):
        x = left + 15 + i * step if by_year else left + 10 + step * (i + 0.5)
        label = str(r.year) if by_year else f"{short_region(r.region)} {r.year}"
        if i % label_every == 0 or i == len(rows) - 1:
            body.append(f'<text transform="translate({x:.1f},{CHART_H - bottom + 12}) rotate(-50)" font-size="11" '
                        f'text-anchor="end" fill="#333">{esc(label)}</text>')  # fmt: skip
        c = r.first_citation
        tip = f"{r.region} {r.year}: {r.count} ({r.per_10k:g} / 10k)"
        href = anchor_id(c.document, c.paragraph) if c else ""
        if by_year:
            points.append(f"{x:.1f},{ypos(r.count):.1f}")
            mark = (f'<circle class="rq-pt" cx="{x:.1f}" cy="{ypos(r.count):.1f}" r="4" fill="#c0392b">'
                    f"<title>{esc(tip)}</title></circle>")  # fmt: skip
        else:
            w = min(22.0, step * 0.7)
            mark = (f'<rect class="rq-pt rq-bar" x="{x - w / 2:.1f}" y="{ypos(r.count):.1f}" width="{w:.1f}" '
                    f'height="{ypos(0) - ypos(r.count):.1f}" fill="#c0392b"><title>{esc(tip)}</title></rect>')
        body.append(f'<a class="rq-cite rq-pt-link" href="#{href}">{mark}</a>' if c else mark)
    if by_year:
        body.insert(0, f'<polyline points="{" ".join(points)}" fill="none" stroke="#c0392b" stroke-width="2"/>')
    title = (f"“{trend.term}”: occurrences per report" if en else f"“{trend.term}”出现次数")
    svg = (f'<svg class="rq-chart rq-trend-chart" width="{width}" height="{CHART_H}" role="img"><title>{esc(title)}'
           f'</title>{"".join(body)}<line x1="{left}" y1="{ypos(0):.1f}" x2="{width - 8}" y2="{ypos(0):.1f}" '
           'stroke="#888"/></svg>')  # fmt: skip
    return (f'<div class="rq-chart-box"><div class="rq-chart-title">{esc(title)}</div>'
            f'<div class="rq-chart-scroll">{svg}</div></div>')  # fmt: skip


def render_trend(trend: Trend, en: bool) -> str:
    """The chart, the first year and a table of the reports that write the term (with their first sentence)."""
    first = trend.first
    total = sum(r.count for r in trend.rows)
    if en:
        summary = (f"“{esc(trend.term)}” occurs {total} times in {len(trend.rows)} reports; first in {first.year}."
                   if first else f"“{esc(trend.term)}” occurs in none of {len(trend.rows)} reports.")  # fmt: skip
    else:
        summary = (f"“{esc(trend.term)}”在 {len(trend.rows)} 份报告中共出现 {total} 次，最早见于 {first.year} 年。"
                   if first else f"“{esc(trend.term)}”在 {len(trend.rows)} 份报告中均未出现。")  # fmt: skip
    cols = ("Report", "Count", "per 10k chars", "First sentence") if en else (
        "报告", "次数", "每万字", "首次出现的句子")  # fmt: skip
    head = "<tr>" + "".join(f'<th style="{_NOWRAP}">{c}</th>' for c in cols) + "</tr>"
    rows = []
    for n, r in enumerate((r for r in trend.rows if r.count), 1):
        s = r.sentences[0]
        rows.append(f'<tr><td style="{_NOWRAP}">{esc(short_region(r.region))} {r.year or ""}</td>'
                    f'<td style="{_NOWRAP}">{r.count}</td><td style="{_NOWRAP}">{r.per_10k:g}</td>'
                    f"<td>{esc(s.text)}<div class=\"rq-pmeta\">{citation_chip(n, s.citation)}"
                    "</div></td></tr>")  # fmt: skip
    return (f'<div class="rq-trend"><div class="rq-sentence">{summary}</div>{trend_chart(trend, en)}'
            f'<table class="rq-table rq-trend-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>')


def render_yoy_answer(answer: Answer) -> str:
    """The diff or trend part of a chat answer; ``""`` for other answers."""
    en = answer.language == "en"
    if answer.diff is not None:
        return render_diff(answer.diff, en)
    if answer.trend is not None:
        return render_trend(answer.trend, en)
    return ""


__all__ = ["SHOWN", "render_diff", "render_trend", "render_yoy_answer", "trend_chart"]
