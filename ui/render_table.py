"""Figures as HTML for the web chat: a table answer (a citation chip per cell), its chart, and the figures view.

The chart is a self-contained inline SVG drawn here (no JavaScript library, nothing fetched): a line across
years per region and kind (targets dashed with hollow points, results solid with filled points) for an
across-years answer, bars across regions (or reports) otherwise. Every point and bar is an
``<a class="rq-cite" href="#p-<doc>-<n>">`` like the citation chips, so the chat's one click handler
(``static/reportqa.js``) opens the report view at the paragraph that states it. Gradio's sanitiser keeps SVG
shapes, ``href``, ``class``, ``transform`` and inline ``style`` but drops ``viewBox`` and ``data-*``, so the
chart is drawn at a fixed pixel size inside a horizontally scrollable box. All text goes through
:func:`~reportqa.ui.render.esc`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportqa.index.records import Figure
from reportqa.index.text.indicators import Vocabulary, builtin
from reportqa.index.text.regions import REGIONS
from reportqa.qa.records import Answer, MissingCell

from .render import anchor_id, esc

KIND_LABEL = {"target": ("目标", "target"), "actual": ("实际", "actual")}
PALETTE = ("#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98", "#17a589", "#34495e", "#d35400", "#7f8c8d",
           "#a93226")  # fmt: skip
CHART_H = 260
CHART_W = 660
"""Widest line chart (px): years closer together beyond it; the chat column is about this wide at 1280 px."""
MAX_VIEW_ROWS = 500
"""The figures view shows at most this many rows (the CSV download has them all)."""

_SHORT = {r.name: r.short for r in REGIONS}


def kind_label(kind: str, en: bool) -> str:
    zh, e = KIND_LABEL.get(kind, (kind, kind))
    return e if en else zh


def indicator_label(indicator: str, en: bool, vocabulary: Vocabulary | None = None) -> str:
    ind = (vocabulary or builtin()).by_id.get(indicator)
    if ind is None:
        return indicator
    return ind.name_en if en else ind.name_zh


def short_region(name: str) -> str:
    return _SHORT.get(name, name) or "?"


def cell_chip(f: Figure) -> str:
    """A compact citation chip (``¶ n``) that opens the paragraph stating ``f``; the full label on hover."""
    target = anchor_id(f.citation.document, f.citation.paragraph)
    return (
        f'<a class="rq-cite rq-cell-cite" href="#{target}" title="{esc(f.citation.label())} — {esc(f.quote)}">'
        f"¶{f.citation.paragraph}</a>"
    )


def figure_rows_html(
    rows: Sequence[Figure], en: bool, show_indicator: bool, vocabulary: Vocabulary | None = None
) -> str:
    head = ["Region", "Year", "Kind", "Value", "Source"] if en else ["地区", "年份", "类型", "数值", "出处"]
    if show_indicator:
        head.insert(0, "Indicator" if en else "指标")
    out = ['<table class="rq-figtable"><thead><tr>', *(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for i, f in enumerate(rows, 1):
        ind = f"<td>{esc(indicator_label(f.indicator, en, vocabulary))}</td>" if show_indicator else ""
        doc = esc(f.citation.document)
        out.append(
            f'<tr class="rq-figrow rq-{esc(f.kind)}" data-row="{i}">{ind}<th scope="row">{esc(f.region or "?")}</th>'
            f"<td>{f.year if f.year is not None else '?'}</td><td>{esc(kind_label(f.kind, en))}</td>"
            f'<td class="rq-figval">{esc(f.value)}</td>'
            f'<td>{cell_chip(f)} <span class="rq-figdoc">{doc}</span></td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def missing_html(missing: Sequence[MissingCell], en: bool) -> str:
    if not missing:
        return ""
    items = []
    for c in missing:
        what = f"{c.region} {c.year}" + (f" {kind_label(c.kind, en)}" if c.kind else "")
        items.append(f"<li>{esc(what)} <span class=\"rq-why\">({esc(c.reason)})</span></li>")
    title = f"Not found ({len(missing)}):" if en else f"未找到（{len(missing)}）："
    return f'<details class="rq-missing"><summary>{title}</summary><ul>{"".join(items)}</ul></details>'


# ---------------------------------------------------------------------------------------------- the chart


def point_value(f: Figure) -> float | None:
    """The value a chart draws for ``f``: the stated number, a range's midpoint; None when qualitative."""
    if f.low is not None and f.high is not None:
        return (f.low + f.high) / 2
    return f.low if f.low is not None else f.high


@dataclass(frozen=True)
class _Point:
    x: float
    y: float
    figure: Figure


def _nice_max(v: float) -> float:
    """The top of the value axis: four equal ticks of a round step (1, 2, 2.5, 3, 5 × 10^k) reaching ``v``."""
    scale = 1.0
    while v > 4 * 10 * scale:
        scale *= 10
    while v <= 4 * scale / 10 and scale > 1e-6:
        scale /= 10
    for step in (0.1, 0.2, 0.25, 0.3, 0.5, 1, 2, 2.5, 3, 5, 10):
        if 4 * step * scale >= v:
            return 4 * step * scale
    return v


def _tip(f: Figure, en: bool) -> str:
    return f"{f.region} {f.year} {kind_label(f.kind, en)}: {f.value} — {f.citation.document} ¶{f.citation.paragraph}"


def _marker(p: _Point, color: str, kind: str, en: bool) -> str:
    target = anchor_id(p.figure.citation.document, p.figure.citation.paragraph)
    fill = "#ffffff" if kind == "target" else color
    return (
        f'<a class="rq-cite rq-pt-link" href="#{target}"><circle class="rq-pt rq-pt-{esc(kind)}" cx="{p.x:.1f}" '
        f'cy="{p.y:.1f}" r="5" fill="{fill}" stroke="{color}" stroke-width="2"><title>{esc(_tip(p.figure, en))}'
        "</title></circle></a>"
    )


def _axes(width: int, left: int, top: int, bottom: int, ymax: float, unit: str) -> list[str]:
    out = []
    plot_h = CHART_H - top - bottom
    for i in range(5):
        v = ymax * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#e5e7eb" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">'
                   f"{v:g}{esc(unit)}</text>")  # fmt: skip
    return out


def _chart_points(rows: Sequence[Figure]) -> list[Figure]:
    """The figures a chart draws: the first indicator's numeric values with a year, in the commonest unit."""
    first = rows[0].indicator
    pts = [f for f in rows if f.indicator == first and point_value(f) is not None and f.year is not None]
    units = {f.unit for f in pts}
    if len(units) > 1:  # one axis: keep the commonest unit
        common = max(units, key=lambda u: sum(1 for f in pts if f.unit == u))
        pts = [f for f in pts if f.unit == common]
    return pts


_Chart = tuple[int, list[str], list[str]]
"""A chart's width, its SVG elements and its legend items."""


def _line_chart(pts: list[Figure], years: list[int], ypos: Callable[[float], float], axes: Callable[[int], list[str]],
                en: bool) -> _Chart:  # fmt: skip
    """One line per (region, kind) over the years; targets dashed."""
    left = _LEFT
    width = max(420, min(CHART_W, 60 * len(years) + left + 30))
    step = (width - left - 30) / max(1, len(years) - 1)
    xpos = {y: left + 15 + i * step for i, y in enumerate(years)}
    body = axes(width)
    legend: list[str] = []
    label_every = max(1, len(years) // 12)
    for i, y in enumerate(years):
        if i % label_every == 0 or i == len(years) - 1:
            body.append(f'<text x="{xpos[y]:.1f}" y="{CHART_H - _BOTTOM + 16}" font-size="11" '
                        f'text-anchor="middle" fill="#555">{y}</text>')  # fmt: skip
    regions = list(dict.fromkeys(f.region for f in pts))
    color = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(regions)}
    for region, kind in dict.fromkeys((f.region, f.kind) for f in pts):
        ps = [_Point(xpos[f.year], ypos(point_value(f) or 0.0), f) for f in pts
              if f.region == region and f.kind == kind and f.year is not None]  # fmt: skip
        ps.sort(key=lambda p: p.x)
        c = color[region]
        dash = ' stroke-dasharray="6 4"' if kind == "target" else ""
        if len(ps) > 1:
            pts_attr = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in ps)
            body.append(f'<polyline class="rq-series" points="{pts_attr}" fill="none" stroke="{c}" '
                        f'stroke-width="2"{dash}/>')  # fmt: skip
        body += [_marker(p, c, kind, en) for p in ps]
        swatch = "border-top:2px dashed" if kind == "target" else "border-top:2px solid"
        legend.append(f'<span class="rq-legend-item"><span class="rq-swatch" style="{swatch} {c}"></span>'
                      f"{esc(short_region(region))} {esc(kind_label(kind, en))}</span>")  # fmt: skip
    return width, body, legend


def _bar(f: Figure, kind: str, x: float, bar_w: float, ypos: Callable[[float], float], en: bool) -> str:
    """One bar (a link to its source), with a whisker over a range."""
    v = point_value(f) or 0.0
    y = ypos(v)
    fill = "#e8a49c" if kind == "target" else "#c0392b"
    target = anchor_id(f.citation.document, f.citation.paragraph)
    whisker = ""
    if f.low is not None and f.high is not None and f.high > f.low:
        whisker = (f'<line x1="{x + bar_w / 2:.1f}" y1="{ypos(f.low):.1f}" x2="{x + bar_w / 2:.1f}" '
                   f'y2="{ypos(f.high):.1f}" stroke="#333" stroke-width="1.5"/>')  # fmt: skip
    return (
        f'<a class="rq-cite rq-pt-link" href="#{target}"><rect class="rq-pt rq-bar rq-pt-{esc(kind)}" '
        f'x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{ypos(0) - y:.1f}" fill="{fill}" '
        f'stroke="#c0392b" stroke-width="1"><title>{esc(_tip(f, en))}</title></rect>{whisker}</a>'
    )


def _bar_chart(pts: list[Figure], years: list[int], ypos: Callable[[float], float], axes: Callable[[int], list[str]],
               en: bool) -> _Chart:  # fmt: skip
    """Bars per region (and year when there are several), target beside actual."""
    left = _LEFT
    multi_year = len(years) > 1
    cats = list(dict.fromkeys((f.region, f.year if multi_year else None) for f in pts))
    kinds = [k for k in ("target", "actual") if any(f.kind == k for f in pts)]
    slot = max(14.0, 26.0 if len(cats) < 12 else 18.0)
    width = int(max(420, left + 20 + slot * len(cats) * (1 + 0.4 * (len(kinds) - 1))))
    cat_w = (width - left - 20) / len(cats)
    bar_w = min(28.0, cat_w * 0.8 / len(kinds))
    body = axes(width)
    legend: list[str] = []
    for i, (region, year) in enumerate(cats):
        cx = left + 10 + cat_w * (i + 0.5)
        label = short_region(region) + (f" {year}" if year is not None else "")
        body.append(f'<text transform="translate({cx:.1f},{CHART_H - _BOTTOM + 12}) rotate(-50)" font-size="11" '
                    f'text-anchor="end" fill="#333">{esc(label)}</text>')  # fmt: skip
        for j, kind in enumerate(kinds):
            f = next((g for g in pts if g.region == region and g.kind == kind
                      and (year is None or g.year == year)), None)  # fmt: skip
            if f is not None:
                body.append(_bar(f, kind, cx - bar_w * len(kinds) / 2 + j * bar_w, bar_w, ypos, en))
    for kind in kinds:
        fill = "#e8a49c" if kind == "target" else "#c0392b"
        legend.append(f'<span class="rq-legend-item"><span class="rq-swatch rq-swatch-bar" '
                      f'style="background:{fill}"></span>{esc(kind_label(kind, en))}</span>')  # fmt: skip
    return width, body, legend


_TOP, _BOTTOM, _LEFT = 14, 64, 46
"""The chart's margins (pixels) above, below and left of the plot."""


def render_chart(rows: Sequence[Figure], by_year: bool, en: bool) -> str:
    """The chart of a table answer's rows (first indicator, numeric values only); ``""`` when fewer than two
    values can be drawn."""
    if not rows:
        return ""
    pts = _chart_points(rows)
    if len(pts) < 2:
        return ""
    unit = pts[0].unit if pts[0].unit in ("%", "‰") else ""
    ymax = _nice_max(max(max(point_value(f) or 0.0, f.high or 0.0) for f in pts) * 1.1 or 1.0)
    years = sorted({f.year for f in pts if f.year is not None})
    plot_h = CHART_H - _TOP - _BOTTOM

    def ypos(v: float) -> float:
        return _TOP + plot_h - plot_h * max(0.0, v) / ymax

    def axes(width: int) -> list[str]:
        return _axes(width, _LEFT, _TOP, _BOTTOM, ymax, unit)

    draw = _line_chart if by_year and len(years) > 1 else _bar_chart
    width, body, legend = draw(pts, years, ypos, axes, en)
    title = indicator_label(rows[0].indicator, en)
    axis = f'<line x1="{_LEFT}" y1="{ypos(0):.1f}" x2="{width - 8}" y2="{ypos(0):.1f}" stroke="#888" stroke-width="1"/>'
    svg = (f'<svg class="rq-chart" width="{width}" height="{CHART_H}" role="img"><title>{esc(title)}</title>'
           f"{''.join(body)}{axis}</svg>")  # fmt: skip
    hint = "Click a point to read its source." if en else "点击图中的点或柱，查看原文出处。"
    return (
        f'<div class="rq-chart-box"><div class="rq-chart-title">{esc(title)}</div>'
        f'<div class="rq-chart-scroll">{svg}</div><div class="rq-legend">{"".join(legend)}</div>'
        f'<div class="rq-chart-hint">{hint}</div></div>'
    )


# ---------------------------------------------------------------------------------------------- answers, view


def render_table_answer(answer: Answer) -> str:
    """A table answer's figures: the chart, the table (a chip per row) and the cells not found; ``""`` when the
    answer has no table."""
    if answer.table is None:
        return ""
    en = answer.language == "en"
    rows = answer.table
    if not rows:
        empty = "No figure in this index answers this." if en else "索引中没有找到回答这个问题的数据。"
        return f'<div class="rq-table-answer"><div class="rq-abstain">{empty}</div>' \
               f"{missing_html(answer.table_missing, en)}</div>"  # fmt: skip
    many = len({f.indicator for f in rows}) > 1
    head = f"{len(rows)} figures from the reports:" if en else f"报告中的数据（{len(rows)} 条）："
    return (
        f'<div class="rq-table-answer"><div class="rq-phead">{head}</div>'
        f"{render_chart(rows, answer.table_by_year, en)}"
        f'<div class="rq-figtable-box">{figure_rows_html(rows, en, many)}</div>'
        f"{missing_html(answer.table_missing, en)}</div>"
    )


def render_figures_view(figures: Sequence[Figure], total: int, vocabulary: Vocabulary | None = None) -> str:
    """The figures view's table: ``figures`` (already filtered) out of ``total`` in the index."""
    if not figures:
        none = "没有符合条件的数据 No figure matches these filters."
        return f'<div class="rq-figview"><p class="rq-empty">{none}</p></div>'
    shown = figures[:MAX_VIEW_ROWS]
    note = f"{len(figures)} / {total}"
    if len(figures) > len(shown):
        note += f" — 显示前 {len(shown)} 条 showing the first {len(shown)}; 下载 CSV 得到全部 download the CSV for all"
    return (
        f'<div class="rq-figview"><div class="rq-figcount">{esc(note)}</div>'
        f"{figure_rows_html(shown, False, True, vocabulary)}</div>"
    )


__all__ = [
    "cell_chip", "figure_rows_html", "indicator_label", "kind_label", "missing_html", "point_value",
    "render_chart", "render_figures_view", "render_table_answer",
]  # fmt: skip
