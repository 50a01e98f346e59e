"""Attainment rows (:mod:`reportqa.qa.attainment`) for people: a terminal table and CSV for ``reportqa targets
--attainment``, and HTML for the web chat — the table (target, result, verdict, gap, a citation chip for each
half), a chart of target against result, and what cannot be judged because a report is missing.

The chart is an inline SVG like :mod:`.render_table`'s (no library, nothing fetched): per region (or year) a
hollow bar for the target — a whisker over a range, a dashed band for 左右's tolerance is not drawn — and a
filled bar for the result, coloured by verdict; every bar is an ``<a class="rq-cite">`` to the paragraph that
states it, so a click opens the report there. All text goes through :func:`~reportqa.ui.render.esc`.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from reportqa.index.text.indicators import Vocabulary, builtin
from reportqa.qa.attainment import missing_summary
from reportqa.qa.records import Answer, Attainment, MissingCell

from .render import anchor_id, esc
from .render_table import CHART_H, _nice_max, cell_chip, indicator_label, point_value, short_region

VERDICT_LABEL = {"met": ("完成", "met"), "missed": ("未完成", "missed"), "not_judged": ("不判断", "not judged")}
VERDICT_COLOR = {"met": "#239b56", "missed": "#c0392b", "not_judged": "#7f8c8d"}
CSV_COLUMNS = (
    "region", "year", "indicator", "indicator_zh", "target", "actual", "verdict", "gap", "unit", "rule", "reason",
    "target_document", "target_paragraph", "target_lines", "actual_document", "actual_paragraph", "actual_lines",
)  # fmt: skip
"""Columns of ``reportqa targets --attainment --csv`` (plain names for pandas, Excel and Stata)."""


def verdict_label(verdict: str, en: bool) -> str:
    zh, e = VERDICT_LABEL.get(verdict, (verdict, verdict))
    return e if en else zh


def _gap(r: Attainment) -> str:
    if r.gap is None:
        return ""
    unit = "pp" if r.unit == "%" else r.unit
    return f"{r.gap:+g}{unit}" if unit == "pp" else f"{r.gap:+g} {unit}"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def attainment_lines(rows: Sequence[Attainment], vocabulary: Vocabulary | None = None) -> list[str]:
    """A terminal table: region, year, indicator, target, result, verdict, gap, both sources."""
    vocab = vocabulary or builtin()
    table = [("region", "year", "indicator", "target", "actual", "verdict", "gap", "target ¶ / actual ¶")]
    for r in rows:
        ind = vocab.by_id.get(r.indicator)
        table.append((r.region or "?", str(r.year), ind.name_zh if ind else r.indicator, r.target.value,
                      r.actual.value, r.verdict, _gap(r),
                      f"{r.target.document} ¶{r.target.citation.paragraph} / "
                      f"{r.actual.document} ¶{r.actual.citation.paragraph}"))  # fmt: skip
    widths = [max(_width(t[i]) for t in table) for i in range(len(table[0]) - 1)]
    out = []
    for t in table:
        cells = [c + " " * (widths[i] - _width(c)) for i, c in enumerate(t[:-1])]
        out.append("  ".join([*cells, t[-1]]).rstrip())
    return out


def csv_row(r: Attainment, vocabulary: Vocabulary | None = None) -> dict[str, str | int | float | None]:
    ind = (vocabulary or builtin()).by_id.get(r.indicator)
    t, a = r.target.citation, r.actual.citation
    return {
        "region": r.region, "year": r.year, "indicator": r.indicator, "indicator_zh": ind.name_zh if ind else "",
        "target": r.target.value, "actual": r.actual.value, "verdict": r.verdict, "gap": r.gap, "unit": r.unit,
        "rule": r.rule, "reason": r.reason, "target_document": t.document, "target_paragraph": t.paragraph,
        "target_lines": f"{t.lines[0]}-{t.lines[1]}", "actual_document": a.document, "actual_paragraph": a.paragraph,
        "actual_lines": f"{a.lines[0]}-{a.lines[1]}",
    }  # fmt: skip


def write_attainment_csv(rows: Iterable[Attainment], out: IO[str], vocabulary: Vocabulary | None = None) -> None:
    """The rows as CSV, UTF-8 with a byte-order mark (Excel reads the Chinese right), one row each."""
    import csv

    out.write("\ufeff")
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow(csv_row(r, vocabulary))


# ---------------------------------------------------------------------------------------------- HTML


def attainment_table_html(rows: Sequence[Attainment], en: bool) -> str:
    head = (["Region", "Year", "Indicator", "Target", "Result", "Verdict", "Gap", "Sources"] if en
            else ["地区", "年份", "指标", "目标", "实际", "结论", "差距", "出处"])  # fmt: skip
    out = ['<table class="rq-figtable rq-atttable"><thead><tr>', *(f"<th>{h}</th>" for h in head),
           "</tr></thead><tbody>"]  # fmt: skip
    for i, r in enumerate(rows, 1):
        color = VERDICT_COLOR.get(r.verdict, "#333")
        out.append(
            f'<tr class="rq-attrow rq-{esc(r.verdict)}" data-row="{i}"><th scope="row">{esc(r.region or "?")}</th>'
            f"<td>{r.year}</td><td>{esc(indicator_label(r.indicator, en))}</td>"
            f'<td class="rq-figval">{esc(r.target.value)}</td><td class="rq-figval">{esc(r.actual.value)}</td>'
            f'<td class="rq-verdict" style="color:{color};font-weight:600" title="{esc(r.reason)}">'
            f"{esc(verdict_label(r.verdict, en))}</td><td>{esc(_gap(r))}</td>"
            f'<td><span class="rq-att-src">{"target" if en else "目标"} {cell_chip(r.target)}</span> '
            f'<span class="rq-att-src">{"result" if en else "实际"} {cell_chip(r.actual)}</span></td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def _bar(x: float, y0: float, y: float, w: float, fill: str, stroke: str, cls: str, href: str, tip: str) -> str:
    top, h = min(y, y0), abs(y0 - y)
    return (f'<a class="rq-cite rq-pt-link" href="#{href}"><rect class="rq-pt rq-bar {cls}" x="{x:.1f}" '
            f'y="{top:.1f}" width="{w:.1f}" height="{max(h, 1.0):.1f}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.5"><title>{esc(tip)}</title></rect></a>')  # fmt: skip


def render_attainment_chart(rows: Sequence[Attainment], en: bool) -> str:
    """Bars of target (hollow) against result (filled, coloured by verdict) for the first indicator's judged
    rows, one pair per region or year; ``""`` when none can be drawn."""
    if not rows:
        return ""
    first = rows[0].indicator
    pts = [r for r in rows if r.indicator == first and r.verdict != "not_judged"
           and point_value(r.target) is not None and point_value(r.actual) is not None]  # fmt: skip
    if not pts:
        return ""
    by_year = len({r.region for r in pts}) == 1
    values = [v for r in pts for v in (r.target.low, r.target.high, r.actual.low, r.actual.high) if v is not None]
    vmax, vmin = max(0.0, *values), min(0.0, *values)
    pad = (vmax - vmin) * 0.1 or 1.0
    hi, lo = (_nice_max(vmax * 1.05), 0.0) if vmin >= 0 else (vmax + pad, vmin - pad)
    top, bottom, left = 14, 64, 52
    plot_h = CHART_H - top - bottom

    def ypos(v: float) -> float:
        return top + plot_h * (hi - v) / (hi - lo)

    slot = 44.0
    width = int(max(420, left + 20 + slot * len(pts)))
    cat_w = (width - left - 20) / len(pts)
    bar_w = min(16.0, cat_w * 0.4)
    body: list[str] = []
    unit = "%" if pts[0].unit == "%" else ""
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        y = ypos(v)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">'
                    f"{v:.4g}{esc(unit)}</text>")  # fmt: skip
    for i, r in enumerate(pts):
        cx = left + 10 + cat_w * (i + 0.5)
        label = str(r.year) if by_year else short_region(r.region)
        body.append(f'<text transform="translate({cx:.1f},{CHART_H - bottom + 12}) rotate(-50)" font-size="11" '
                    f'text-anchor="end" fill="#333">{esc(label)}</text>')  # fmt: skip
        color = VERDICT_COLOR.get(r.verdict, "#333")
        tv, av = point_value(r.target) or 0.0, point_value(r.actual) or 0.0
        t_tip = f"{r.region} {r.year} {'target' if en else '目标'} {r.target.value} — {r.target.citation.label()}"
        a_tip = (f"{r.region} {r.year} {'result' if en else '实际'} {r.actual.value} "
                 f"({verdict_label(r.verdict, en)}) — {r.actual.citation.label()}")  # fmt: skip
        t_href = anchor_id(r.target.citation.document, r.target.citation.paragraph)
        a_href = anchor_id(r.actual.citation.document, r.actual.citation.paragraph)
        body.append(_bar(cx - bar_w, ypos(0), ypos(tv), bar_w, "#ffffff", "#555", "rq-att-target", t_href, t_tip))
        t = r.target
        if t.low is not None and t.high is not None and t.high > t.low:
            body.append(f'<line x1="{cx - bar_w / 2:.1f}" y1="{ypos(t.low):.1f}" x2="{cx - bar_w / 2:.1f}" '
                        f'y2="{ypos(t.high):.1f}" stroke="#333" stroke-width="1.5"/>')  # fmt: skip
        body.append(_bar(cx, ypos(0), ypos(av), bar_w, color, color, f"rq-att-actual rq-{r.verdict}", a_href, a_tip))
    title = indicator_label(first, en) + (": target vs result" if en else "：目标与实际")
    axis = f'<line x1="{left}" y1="{ypos(0):.1f}" x2="{width - 8}" y2="{ypos(0):.1f}" stroke="#888"/>'
    legend = (f'<span class="rq-legend-item"><span class="rq-swatch rq-swatch-bar" style="background:#fff;'
              f'border:1.5px solid #555"></span>{"target" if en else "目标"}</span>'
              + "".join(f'<span class="rq-legend-item"><span class="rq-swatch rq-swatch-bar" '
                        f'style="background:{VERDICT_COLOR[v]}"></span>{esc(verdict_label(v, en))}</span>'
                        for v in ("met", "missed")))  # fmt: skip
    hint = "Click a bar to read its source." if en else "点击柱形，查看原文出处。"
    return (f'<div class="rq-chart-box rq-att-chart"><div class="rq-chart-title">{esc(title)}</div>'
            f'<div class="rq-chart-scroll"><svg class="rq-chart" width="{width}" height="{CHART_H}" role="img">'
            f"<title>{esc(title)}</title>{''.join(body)}{axis}</svg></div>"
            f'<div class="rq-legend">{legend}</div><div class="rq-chart-hint">{hint}</div></div>')  # fmt: skip


def missing_lines(missing: Sequence[MissingCell], en: bool) -> list[str]:
    """What cannot be judged because a report is missing (grouped), then the other unpaired cells."""
    lines = missing_summary(missing, en)
    for c in missing:
        if "report of" not in c.reason:
            lines.append(f"{c.region} {c.year} {indicator_label(c.indicator, en)}: {c.reason}")
    return lines


def render_attainment_answer(answer: Answer) -> str:
    """An attainment answer: the missing-report notes, the chart and the table; ``""`` for other answers."""
    if answer.attainment is None:
        return ""
    en = answer.language == "en"
    rows = answer.attainment
    notes = "".join(f'<div class="rq-att-note">{esc(s)}</div>' for s in missing_lines(answer.attainment_missing, en))
    if not rows:
        empty = ("No target in this index can be paired with its result for this question." if en
                 else "本库中没有可以与实际结果配对的目标。")  # fmt: skip
        return f'<div class="rq-att-answer"><div class="rq-abstain">{empty}</div>{notes}</div>'
    counts = {v: sum(1 for r in rows if r.verdict == v) for v in ("met", "missed", "not_judged")}
    if en:
        head = f"Targets against results ({counts['met']} met, {counts['missed']} missed, " \
               f"{counts['not_judged']} not judged):"  # fmt: skip
    else:
        head = f"目标完成情况（完成 {counts['met']}，未完成 {counts['missed']}，不判断 {counts['not_judged']}）："
    return (f'<div class="rq-att-answer"><div class="rq-phead">{head}</div>{notes}'
            f"{render_attainment_chart(rows, en)}"
            f'<div class="rq-figtable-box">{attainment_table_html(rows, en)}</div></div>')  # fmt: skip


def render_attainment_view(rows: Sequence[Attainment]) -> str:
    """The figures view with kind "完成情况 attainment": every paired target (already filtered), a chart of the
    first indicator's target against result and the table."""
    if not rows:
        none = ("没有可与实际结果配对的目标 No target here can be paired with its result "
                "(a target for Y needs report Y+1).")
        return f'<div class="rq-figview"><p class="rq-empty">{none}</p></div>'
    return (f'<div class="rq-figview rq-att-answer"><div class="rq-figcount">{len(rows)}</div>'
            f"{render_attainment_chart(rows, False)}{attainment_table_html(rows, False)}</div>")  # fmt: skip


def write_attainment_file(rows: Sequence[Attainment], directory: Path) -> Path:
    """``rows`` as the ``reportqa targets --attainment --csv`` file in ``directory``, named by content."""
    buf = io.StringIO()
    write_attainment_csv(rows, buf)
    data = buf.getvalue()
    path = directory / ("attainment-" + hashlib.sha256(data.encode("utf-8")).hexdigest()[:12] + ".csv")
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8", newline="")
        tmp.replace(path)
    return path


__all__ = [
    "CSV_COLUMNS", "attainment_lines", "attainment_table_html", "missing_lines", "render_attainment_answer",
    "render_attainment_chart", "render_attainment_view", "verdict_label", "write_attainment_csv",
    "write_attainment_file",
]  # fmt: skip
