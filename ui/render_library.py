"""Pure HTML for the web chat's 资料库 Library view: the indexed reports, an upload's preview, the build queue.

No gradio here. Everything that comes from a document, a file name or a user goes through :func:`render.esc`.
The view's buttons (remove a report, retry a failed job) carry their target in a ``data-`` attribute; the
page's script (``static/reportqa.js``) hands it to the server through a hidden box, as citation clicks do.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportqa.index.records import Paragraph

from .render import esc

JOB_STATES = ("queued", "running", "done", "failed")
STATE_LABELS = {
    "queued": "排队中 queued",
    "running": "索引中 indexing",
    "done": "完成 done",
    "failed": "失败 failed",
}
PREVIEW_PARAGRAPHS = 400
"""At most this many paragraphs in an upload's preview (the rest are counted, not shown)."""


@dataclass(frozen=True)
class ReportRow:
    """One indexed report as the Library view lists it."""

    name: str
    """The document's name as ``status`` shows it (what ``/remove_report`` takes)."""
    region: str
    year: int | None
    title: str
    bytes: int
    """Size of the source file."""
    paragraphs: int
    added: float | None
    """When it entered the library (seconds since the epoch), when known."""


@dataclass(frozen=True)
class JobView:
    """One job of the library's build queue, as the Library view shows it."""

    id: str
    kind: str
    """``add`` or ``remove``."""
    name: str
    """The report it adds or removes."""
    state: str
    """One of :data:`JOB_STATES`."""
    documents_done: int = 0
    documents_total: int = 0
    passages_done: int = 0
    passages_total: int = 0
    seconds_left: float | None = None
    reason: str = ""
    """Why it failed (``failed`` only)."""


# ---------------------------------------------------------------------------------------------- pieces


def human_size(n: int) -> str:
    """``812 B``, ``14.2 KB``, ``3.1 MB``."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def human_time(ts: float | None) -> str:
    """A local ``YYYY-MM-DD HH:MM``, or ``–``."""
    if ts is None:
        return "–"
    return _dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def human_duration(seconds: float | None) -> str:
    """``剩余 time left`` figure: ``45 s``, ``3 min 10 s``, or ``–`` when not known yet."""
    if seconds is None or seconds < 0:
        return "–"
    s = round(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s"


# ---------------------------------------------------------------------------------------------- the list


def render_reports(rows: Sequence[ReportRow], manage: bool) -> str:
    """The indexed reports, one table row each; with ``manage`` a remove button per report."""
    if not rows:
        return '<div class="rq-lib-empty">索引中还没有报告 · The index holds no reports yet.</div>'
    head = ["地区 Region", "年份 Year", "标题 Title", "文件 File", "大小 Size", "段落 Paragraphs", "加入 Added"]
    if manage:
        head.append("")
    out = [
        f'<div class="rq-lib-count">{len(rows)} 份报告 reports</div>',
        '<table class="rq-lib-table"><thead><tr>',
        *(f"<th>{h}</th>" for h in head),
        "</tr></thead><tbody>",
    ]
    for r in rows:
        cells = [
            esc(r.region or "–"),
            esc(str(r.year) if r.year is not None else "–"),
            esc(r.title),
            f'<span class="rq-lib-name">{esc(r.name)}</span>',
            esc(human_size(r.bytes)),
            str(r.paragraphs),
            esc(human_time(r.added)),
        ]
        if manage:
            cells.append(
                f'<button type="button" class="rq-lib-remove" data-doc="{esc(r.name)}" '
                f'title="从索引中删除 / remove from the index">删除 Remove</button>'
            )
        out.append(f'<tr data-doc="{esc(r.name)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------- previews


def render_preview(name: str, paragraphs: Sequence[Paragraph], limit: int = PREVIEW_PARAGRAPHS) -> str:
    """An upload as ``reportqa paragraphs`` shows it: number, heading level, source lines, text."""
    if not paragraphs:
        return f'<div class="rq-error">{esc(name)}: 没有读到段落 · no paragraphs were read.</div>'
    out = [
        f'<div class="rq-lib-preview"><div class="rq-lib-phead">{esc(name)} · {len(paragraphs)} 段 paragraphs'
        "（即 <code>reportqa paragraphs</code> 的结果 · as <code>reportqa paragraphs</code> shows it）</div>",
        '<table class="rq-lib-paras"><tbody>',
    ]
    for p in paragraphs[:limit]:
        a, b = p.lines
        where = f"L{a}" if a == b else f"L{a}-{b}"
        kind = f"H{p.level}" if p.heading else ""
        cls = ' class="rq-lib-h"' if p.heading else ""
        out.append(
            f"<tr{cls}><td>{p.n}</td><td>{kind}</td><td>{where}</td><td>{esc(p.text)}</td></tr>"
        )
    out.append("</tbody></table>")
    if len(paragraphs) > limit:
        out.append(f'<div class="rq-lib-more">… {len(paragraphs) - limit} more paragraphs</div>')
    out.append("</div>")
    return "".join(out)


def render_refusals(refused: Sequence[tuple[str, str]]) -> str:
    """Files that were not taken, each with the reason (nothing changed for them)."""
    if not refused:
        return ""
    items = "".join(
        f'<li><span class="rq-lib-name">{esc(name)}</span>: {esc(reason)}</li>' for name, reason in refused
    )
    return f'<div class="rq-lib-refused" role="alert"><b>未接收 Not taken:</b><ul>{items}</ul></div>'


# ---------------------------------------------------------------------------------------------- the queue


def _bar(job: JobView) -> str:
    if job.state == "done":
        frac = 1.0
    elif job.documents_total and job.passages_total:
        frac = min(1.0, job.passages_done / job.passages_total)
    elif job.documents_total:
        frac = min(1.0, job.documents_done / job.documents_total)
    else:
        frac = 0.0
    pct = round(frac * 100)
    return (
        f'<div class="rq-lib-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{pct}">'
        f'<div class="rq-lib-fill" style="width:{pct}%"></div></div>'
    )


def render_job(job: JobView) -> str:
    """One queue entry: what it does, its state, a progress bar (documents, passages, time left) while it
    runs, the reason and a retry button when it failed."""
    verb = "加入 add" if job.kind == "add" else "删除 remove"
    state = STATE_LABELS.get(job.state, job.state)
    parts = [
        f'<div class="rq-lib-job rq-job-{esc(job.state)}" data-job="{esc(job.id)}" data-state="{esc(job.state)}">',
        f'<div class="rq-lib-jhead"><span class="rq-lib-state">{esc(state)}</span> {esc(verb)} '
        f'<span class="rq-lib-name">{esc(job.name)}</span></div>',
    ]
    if job.state in ("running", "done") and job.kind == "add":
        parts.append(_bar(job))
        docs = f"{job.documents_done}/{job.documents_total}" if job.documents_total else f"{job.documents_done}"
        passages = f"{job.passages_done}/{job.passages_total}" if job.passages_total else f"{job.passages_done}"
        left = human_duration(job.seconds_left) if job.state == "running" else "0 s"
        parts.append(
            f'<div class="rq-lib-progress">文档 documents {docs} · 段落 passages {passages} · '
            f"剩余 time left {esc(left)}</div>"
        )
    elif job.state == "running":
        parts.append(_bar(job))
    if job.state == "failed":
        parts.append(
            f'<div class="rq-error">{esc(job.reason or "failed")}</div>'
            f'<button type="button" class="rq-lib-retry" data-job="{esc(job.id)}">重试 Retry</button>'
        )
    parts.append("</div>")
    return "".join(parts)


def render_queue(jobs: Sequence[JobView], serving: str = "") -> str:
    """The build queue, newest last; ``serving``: a line about the index the chat answers from."""
    head = f'<div class="rq-lib-serving">{esc(serving)}</div>' if serving else ""
    if not jobs:
        return f'{head}<div class="rq-lib-empty">队列为空 · Nothing queued.</div>'
    return head + '<div class="rq-lib-queue">' + "".join(render_job(j) for j in jobs) + "</div>"
