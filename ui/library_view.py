"""The web chat's 资料库 Library view and the library's web API (``/add_report``, ``/remove_report``,
``/library_status``).

The view lists the reports the chat answers from. With ``serve --manage`` it also takes uploads (several at
once, drag and drop), shows each one as ``reportqa paragraphs`` would with the record read from it (region,
year, title, editable), queues it for indexing, shows the build's progress and the queue, and removes a report
after a confirmation. The work itself is the library's (:class:`reportqa.index.pipeline.library.Library`): one build at
a
time in its worker, the chat answering from the current index until the new one is swapped in and
:class:`reportqa.qa.live.LiveEngine` picks it up.

:func:`with_library_tab` puts the chat page (built by :func:`reportqa.ui.app.build_app`) and this view side by
side in tabs, so the chat's own code is untouched.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import gradio as gr
from reportqa.index.errors import ReportQAError
from reportqa.index.pipeline.library import Job, Library, Upload
from reportqa.index.records import Document

from .render import esc
from .render_library import (
    JobView,
    ReportRow,
    render_preview,
    render_queue,
    render_refusals,
    render_reports,
)

log = logging.getLogger("reportqa.ui.library")

PRIVATE: Any = "private"
UPLOAD_TYPES = [".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff"]
TICK_MANAGE = 1.5
"""Seconds between two refreshes of the queue and the list while ``--manage`` is on."""
TICK_READONLY = 10.0
"""Seconds between two refreshes of the read-only list (a ``reportqa build`` may change it)."""
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
"""Gradio refuses bigger uploads before they reach the library (whose own, smaller limit gives the message)."""
MANAGE_OFF = (
    "adding and removing reports is off on this server; start it with `reportqa serve --manage` "
    "(and --auth USER:PASS when it listens on another address than 127.0.0.1)"
)


class Served(Protocol):
    """What the view needs from the served index: its documents (a :class:`LiveEngine`'s current index)."""

    def documents(self) -> Sequence[Document]: ...

    def build_id(self) -> str: ...


# ---------------------------------------------------------------------------------------------- adapters
# The only place that reads the library's records: everything else works on ReportRow / JobView / dicts.


def job_view(job: Job) -> JobView:
    """A job of the library as the view shows it."""
    p = job.progress
    done = job.state == "done"
    return JobView(
        id=job.id, kind=job.kind, name=job.document, state=job.state,
        documents_done=int(p.documents_done), documents_total=p.documents_total,
        passages_done=p.passages or 0, passages_total=p.passages or 0,
        seconds_left=0.0 if done else p.seconds_left, reason=job.reason or "",
    )  # fmt: skip


def shown_jobs(library: Library, done_kept: int = 5) -> list[JobView]:
    """The queue as the view shows it: running and queued jobs, failed ones (until retried) and the last
    ``done_kept`` finished ones, oldest first."""
    jobs = library.jobs
    done = [j.id for j in jobs if j.state == "done"][-done_kept:]
    return [job_view(j) for j in jobs if j.state != "done" or j.id in done]


def job_json(job: JobView) -> dict[str, Any]:
    return {
        "job_id": job.id,
        "kind": job.kind,
        "name": job.name,
        "state": job.state,
        "progress": {
            "documents": [job.documents_done, job.documents_total],
            "passages": [job.passages_done, job.passages_total],
            "seconds_left": job.seconds_left,
        },
        "reason": job.reason or None,
    }


def report_rows(documents: Sequence[Document], added: Callable[[str], float | None] | None = None) -> list[ReportRow]:
    """The list's rows: region, year, title, size, paragraphs, when added (the library's record of it, else
    the source file's modification time), national first then by region and newest year."""
    rows = [
        ReportRow(
            name=d.name, region=d.region, year=d.year, title=d.title, bytes=d.bytes, paragraphs=d.paragraphs,
            added=(added(d.name) if added else None) or (d.mtime_ns / 1e9 if d.mtime_ns else None),
        )
        for d in documents
    ]
    levels = {d.name: d.level for d in documents}
    return sorted(rows, key=lambda r: (levels.get(r.name) != "national", r.region, -(r.year or 0), r.name))


def row_json(r: ReportRow) -> dict[str, Any]:
    return {
        "name": r.name, "region": r.region, "year": r.year, "title": r.title, "bytes": r.bytes,
        "paragraphs": r.paragraphs, "added": r.added,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------- API bodies


def parse_year(value: Any) -> int | None:
    """A year field from the page or the API: empty → None; else a whole number."""
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(float(str(value).strip()))
    except ValueError as e:
        raise ValueError(f"year must be a number such as 2026, not {value!r}") from e


def _clean(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _upload_json(upload: Upload) -> dict[str, Any]:
    return {"upload_id": upload.id, "name": upload.name, "sha256": upload.sha256, "bytes": upload.bytes}


def add_report(
    library: Library | None, path: str | None, region: Any = None, year: Any = None, title: Any = None,
    name: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Store the file at ``path`` in the library, correct its record (any of region, year, title given) and
    queue it for indexing: ``{"ok", "upload_id", "name", "sha256", "state", "job_id", "message"}``, or
    ``{"ok": false, "error", …}`` when it was refused (nothing changed)."""
    if library is None:
        _discard(path)
        return {"ok": False, "error": MANAGE_OFF}
    if not path:
        return {"ok": False, "error": "no file was sent; pass one with gradio_client.handle_file(PATH)"}
    name = name or Path(path).name
    try:
        yr = parse_year(year)
        data = Path(path).read_bytes()
        upload = library.add(name, data, None)
        if upload.status == "duplicate":
            return {"ok": False, **_upload_json(upload), "state": "duplicate", "error": upload.message}
        out = {"ok": True, **_upload_json(upload)}
        reg, tit = _clean(region), _clean(title)
        if reg is not None or yr is not None or tit is not None:
            library.set_meta(upload.id, reg, yr, tit)
        job = job_view(library.enqueue(upload.id))
    except ReportQAError as e:
        return {"ok": False, "name": name, "state": "refused", "error": str(e)}
    except ValueError as e:
        return {"ok": False, "name": name, "state": "refused", "error": str(e)}
    finally:
        _discard(path)
    out.update(state=job.state, job_id=job.id, message=f"{out['name']} is {job.state}: it is indexed in the "
               "background; poll /library_status until its job is done")  # fmt: skip
    return out


def remove_report(library: Library | None, name: str) -> dict[str, Any]:
    """Queue the removal of the report named ``name`` (as ``status`` shows it): ``{"ok", "name", "job_id",
    "state", "message"}`` or ``{"ok": false, "error"}``."""
    if library is None:
        return {"ok": False, "error": MANAGE_OFF}
    name = (name or "").strip()
    if not name:
        return {"ok": False, "error": "give the report's name as `reportqa status` shows it"}
    try:
        job = job_view(library.remove(name))
    except ReportQAError as e:
        return {"ok": False, "name": name, "error": str(e)}
    return {
        "ok": True, "name": name, "job_id": job.id, "state": job.state,
        "message": f"{name} is queued for removal; its source file is moved aside, not deleted",
    }  # fmt: skip


def library_status(library: Library | None, served: Served) -> dict[str, Any]:
    """What the chat answers from (build id, reports) and, with ``--manage``, the library's jobs (each with
    its state: queued, running, done, failed with the reason)."""
    rows = report_rows(served.documents(), _added_lookup(library))
    jobs = [job_json(j) for j in shown_jobs(library, done_kept=50)] if library is not None else []
    return {
        "manage": library is not None,
        "build_id": served.build_id(),
        "documents": [row_json(r) for r in rows],
        "jobs": jobs,
    }


def _added_lookup(library: Library | None) -> Callable[[str], float | None] | None:
    """``name → when its add job finished`` (the library's record), for the list's "added" column."""
    if library is None:
        return None
    added = {d.name: d.added_at for d in library.documents()}
    return added.get


def _discard(path: str | None) -> None:
    """Drop Gradio's temporary copy of an upload (the library keeps its own)."""
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)


# ---------------------------------------------------------------------------------------------- the tab


@dataclass(frozen=True)
class LibraryPanel:
    """The managed Library view's components (``serve --manage``)."""

    files: gr.File
    refused: gr.HTML
    pending: gr.Radio
    record_box: gr.Group
    region: gr.Textbox
    year: gr.Textbox
    title: gr.Textbox
    index_btn: gr.Button
    preview: gr.HTML
    queue: gr.HTML
    confirm_box: gr.Group
    confirm_text: gr.HTML
    confirm_btn: gr.Button
    cancel_btn: gr.Button
    reports: gr.HTML
    action: gr.Textbox
    action_go: gr.Button
    timer: gr.Timer
    pending_state: gr.State
    """[{"id", "name"}] uploaded in this browser tab, not yet queued."""
    read_state: gr.State
    """The record read from the chosen upload, to write only what the user changed."""
    remove_state: gr.State
    """The report whose removal waits for a confirmation."""

    @property
    def record_out(self) -> list[Any]:
        """What :meth:`LibraryActions.show` fills: the record box, its fields, the preview, the read record."""
        return [self.record_box, self.region, self.year, self.title, self.preview, self.read_state]


def _intro(manage: bool) -> None:
    gr.HTML(
        '<div class="rq-lib-intro">'
        + (
            "上传报告后先预览、核对地区/年份/标题，再建立索引；索引在后台进行，期间对话照常回答。"
            "<br>Upload reports, check the preview and the record, then index them: indexing runs in the "
            "background and the chat keeps answering from the current index until the new one is ready."
            if manage
            else "本页只读。启动服务时加 <code>--manage</code> 即可在此上传和删除报告。<br>Read-only: start the "
            "server with <code>reportqa serve --manage</code> to add and remove reports here."
        )
        + "</div>"
    )


def _upload_column() -> tuple[gr.File, gr.HTML, gr.Radio, gr.Group, gr.Textbox, gr.Textbox, gr.Textbox, gr.Button]:
    """The upload box, the refusals, the pending uploads and the record box with its Index button."""
    files = gr.File(
        file_count="multiple", file_types=UPLOAD_TYPES, type="filepath", elem_id="rq-lib-upload",
        label="上传报告 Upload (.txt .md .pdf .docx .html; 扫描件 scans: .pdf .png .jpg .tif) — 可多选、可拖放 "
              "several at once, drag and drop",
    )  # fmt: skip
    refused = gr.HTML("", elem_id="rq-lib-refused")
    pending = gr.Radio([], label="待索引 Uploaded, not yet indexed", elem_id="rq-lib-pending", visible=False)
    with gr.Group(visible=False, elem_id="rq-lib-record") as record_box:
        with gr.Row():
            region = gr.Textbox(label="地区 Region", elem_id="rq-lib-region", scale=2)
            year = gr.Textbox(label="年份 Year", elem_id="rq-lib-year", scale=1)
            title = gr.Textbox(label="标题 Title", elem_id="rq-lib-title", scale=4)
        index_btn = gr.Button("建立索引 Index it", variant="primary", elem_id="rq-lib-index")
    return files, refused, pending, record_box, region, year, title, index_btn


def library_panel(reports_html: str) -> LibraryPanel:
    """The managed view's components, in page order (inside the current Blocks context)."""
    pending_state = gr.State([])
    read_state = gr.State({})
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            files, refused, pending, record_box, region, year, title, index_btn = _upload_column()
            preview = gr.HTML("", elem_id="rq-lib-preview")
        with gr.Column(scale=2, min_width=300):
            gr.HTML('<div class="rq-phead">队列与进度 Queue and progress</div>')
            queue = gr.HTML(render_queue([]), elem_id="rq-lib-queue")
    with gr.Group(visible=False, elem_id="rq-lib-confirm") as confirm_box:
        confirm_text = gr.HTML("")
        with gr.Row():
            confirm_btn = gr.Button("确认删除 Confirm removal", variant="stop", elem_id="rq-lib-confirm-remove")
            cancel_btn = gr.Button("取消 Cancel", elem_id="rq-lib-cancel")
    remove_state = gr.State("")
    reports = gr.HTML(reports_html, elem_id="rq-lib-reports")
    action = gr.Textbox(visible="hidden", elem_id="rq-lib-action")
    action_go = gr.Button("action", visible="hidden", elem_id="rq-lib-action-go")
    timer = gr.Timer(TICK_MANAGE)
    return LibraryPanel(
        files, refused, pending, record_box, region, year, title, index_btn, preview, queue, confirm_box,
        confirm_text, confirm_btn, cancel_btn, reports, action, action_go, timer, pending_state, read_state,
        remove_state,
    )  # fmt: skip


def _choices(items: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(it["name"], it["id"]) for it in items]


class LibraryActions:
    """The managed Library view's event handlers over ``library`` and the index the chat serves."""

    def __init__(self, library: Library, served: Served) -> None:
        self.library = library
        self.served = served

    def reports_html(self) -> str:
        return render_reports(report_rows(self.served.documents(), _added_lookup(self.library)), True)

    def queue_html(self) -> str:
        jobs = shown_jobs(self.library)
        return render_queue(jobs, f"对话当前使用 The chat answers from build {self.served.build_id()} "
                                  f"({len(self.served.documents())} reports)")  # fmt: skip

    def show(self, upload_id: str | None) -> tuple[Any, ...]:
        """The preview and the record fields of one upload."""
        if not upload_id:
            return gr.update(visible=False), "", "", "", "", {}
        try:
            pv = self.library.preview(upload_id)
        except ReportQAError as e:
            gr.Warning(str(e))
            return gr.update(visible=False), "", "", "", render_refusals([("?", str(e))]), {}
        rec = {"region": pv.region or "", "year": "" if pv.year is None else str(pv.year), "title": pv.title or ""}
        return (
            gr.update(visible=True), rec["region"], rec["year"], rec["title"],
            render_preview(pv.upload.name, pv.paragraphs), rec,
        )  # fmt: skip

    def on_upload(self, paths: list[str] | None, items: list[dict[str, str]]) -> tuple[Any, ...]:
        items = list(items or [])
        bad: list[tuple[str, str]] = []
        first_new: str | None = None
        for path in paths or []:
            name = Path(path).name
            try:
                upload = self.library.add(name, Path(path).read_bytes(), None)
            except ReportQAError as e:
                bad.append((name, str(e)))
                continue
            finally:
                _discard(path)
            if upload.status == "duplicate":
                bad.append((name, upload.message))
                continue
            items.append({"id": str(upload.id), "name": str(upload.name)})
            first_new = first_new or str(upload.id)
        chosen = first_new or (items[0]["id"] if items else None)
        return (
            None, render_refusals(bad), items,
            gr.update(choices=_choices(items), value=chosen, visible=bool(items)),
            *self.show(chosen),
        )  # fmt: skip

    def on_index(
        self, upload_id: str | None, reg: str, yr: str, tit: str, rec: dict[str, str], items: list[dict[str, str]]
    ) -> tuple[Any, ...]:
        items = list(items or [])
        skip_all = (gr.skip(),) * (3 + RECORD_OUTPUTS)
        if not upload_id:
            gr.Warning("先上传一个文件 · Upload a file first.")
            return skip_all
        try:
            new = {"region": reg, "year": yr, "title": tit}
            changed = {k: (v or "").strip() for k, v in new.items() if (v or "").strip() != rec.get(k, "")}
            if changed:  # only what the user changed goes into the sidecar; the rest stays read from the report
                self.library.set_meta(
                    upload_id, changed.get("region") or None, parse_year(changed.get("year")),
                    changed.get("title") or None,
                )  # fmt: skip
            job = job_view(self.library.enqueue(upload_id))
        except (ReportQAError, ValueError) as e:
            gr.Warning(str(e))
            return skip_all
        gr.Info(f"{job.name}: 已加入队列 queued for indexing")
        items = [it for it in items if it["id"] != upload_id]
        chosen = items[0]["id"] if items else None
        return (
            items, gr.update(choices=_choices(items), value=chosen, visible=bool(items)), self.queue_html(),
            *self.show(chosen),
        )  # fmt: skip

    def on_action(self, value: str) -> tuple[Any, ...]:
        """A remove or retry button in the list or the queue (through the hidden action box)."""
        try:
            data = json.loads(value or "")
            op = str(data["op"])
        except (ValueError, KeyError, TypeError):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if op == "remove":
            doc = str(data.get("doc", ""))
            text = (
                f'<div class="rq-lib-confirm-text">删除 Remove <b class="rq-lib-name">{esc(doc)}</b>？'
                "删除后对话不再引用它；原文件会移到一旁，不会被销毁。<br>After the switch no answer cites it; its "
                "source file is moved aside, not destroyed.</div>"
            )
            return gr.update(visible=True), text, doc, gr.skip()
        if op == "retry":
            try:
                self.library.retry(str(data.get("job", "")))
                gr.Info("已重新排队 · Queued again")
            except ReportQAError as e:
                gr.Warning(str(e))
            return gr.skip(), gr.skip(), gr.skip(), self.queue_html()
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()

    def on_confirm(self, doc: str) -> tuple[Any, ...]:
        if doc:
            result = remove_report(self.library, doc)
            if result["ok"]:
                gr.Info(f"{doc}: 已加入删除队列 queued for removal")
            else:
                gr.Warning(str(result["error"]))
        return gr.update(visible=False), "", self.queue_html()

    def tick(self, old_queue: str, old_reports: str) -> tuple[Any, Any]:
        q, r = self.queue_html(), self.reports_html()
        return (gr.skip() if q == old_queue else q), (gr.skip() if r == old_reports else r)


RECORD_OUTPUTS = 6
"""How many components :meth:`LibraryActions.show` fills (:attr:`LibraryPanel.record_out`)."""


def wire_library(a: LibraryActions, p: LibraryPanel) -> None:
    """The managed view's events: upload, pick an upload, index it, remove/retry, confirm, cancel, the timer."""
    record_out = p.record_out
    p.files.upload(
        a.on_upload, [p.files, p.pending_state], [p.files, p.refused, p.pending_state, p.pending, *record_out],
        api_visibility=PRIVATE,
    )  # fmt: skip
    p.pending.input(a.show, [p.pending], record_out, api_visibility=PRIVATE)
    p.index_btn.click(
        a.on_index, [p.pending, p.region, p.year, p.title, p.read_state, p.pending_state],
        [p.pending_state, p.pending, p.queue, *record_out], api_visibility=PRIVATE,
    )  # fmt: skip
    p.action_go.click(
        a.on_action, [p.action], [p.confirm_box, p.confirm_text, p.remove_state, p.queue], api_visibility=PRIVATE,
        show_progress="hidden",
    )  # fmt: skip
    confirm_out = [p.confirm_box, p.remove_state, p.queue]
    p.confirm_btn.click(a.on_confirm, [p.remove_state], confirm_out, api_visibility=PRIVATE)
    p.cancel_btn.click(
        lambda: (gr.update(visible=False), ""), None, [p.confirm_box, p.remove_state], api_visibility=PRIVATE
    )  # fmt: skip
    p.timer.tick(a.tick, [p.queue, p.reports], [p.queue, p.reports], api_visibility=PRIVATE, show_progress="hidden")


def library_tab(library: Library | None, served: Served) -> None:
    """The Library view, inside the current Blocks context (a ``gr.Tab``). ``library`` None: read-only."""
    _intro(library is not None)
    if library is None:

        def reports_html() -> str:
            return render_reports(report_rows(served.documents(), _added_lookup(library)), False)

        reports = gr.HTML(reports_html(), elem_id="rq-lib-reports")
        timer = gr.Timer(TICK_READONLY)
        timer.tick(_unchanged(reports_html), [reports], reports, api_visibility=PRIVATE, show_progress="hidden")
        return
    actions = LibraryActions(library, served)
    wire_library(actions, library_panel(actions.reports_html()))


def _unchanged(make: Callable[[], str]) -> Callable[[str], Any]:
    def run(old: str = "") -> Any:
        new = make()
        return gr.skip() if new == old else new

    return run


# ---------------------------------------------------------------------------------------------- the page


class LiveServed:
    """:class:`Served` over a :class:`reportqa.qa.live.LiveEngine` (or anything with ``current().index``)."""

    def __init__(self, live: Any) -> None:
        self._current: Callable[[], Any] = live.current if hasattr(live, "current") else (lambda: live)

    def documents(self) -> Sequence[Document]:
        return tuple(self._current().index.documents)

    def build_id(self) -> str:
        return str(self._current().index.build_id)


def library_api(library: Library | None, served: Served) -> None:
    """``/add_report``, ``/remove_report`` and ``/library_status`` (inside the current Blocks context). Without
    ``--manage`` (``library`` None) the first two answer with the error saying how to turn them on."""
    with gr.Group(visible=False):
        file_in = gr.File(type="filepath", label="file")
        region_in = gr.Textbox(label="region")
        year_in = gr.Textbox(label="year")
        title_in = gr.Textbox(label="title")
        out = gr.JSON(label="status")
        go = gr.Button("add_report")

    def add(file: str | None, region: str | None = None, year: str | None = None, title: str | None = None) -> Any:
        """Add a report: store the file, correct its record (optional region, year, title) and queue it for
        indexing. Returns the JSON status (upload_id, name, sha256, state, job_id, message, or error)."""
        return add_report(library, file, region, year, title)

    go.click(add, [file_in, region_in, year_in, title_in], out, api_name="add_report", api_visibility="public")

    def remove(name: str) -> dict[str, Any]:
        """Remove the report named as `reportqa status` shows it (its source is moved aside). Returns the JSON
        status (name, job_id, state, message, or error)."""
        return remove_report(library, name)

    gr.api(remove, api_name="remove_report")

    def status() -> dict[str, Any]:
        """The reports the chat answers from (build_id, documents) and the library's queue (jobs)."""
        return library_status(library, served)

    gr.api(status, api_name="library_status")


def open_library(folder: Path, index_dir: Path, on_change: Callable[[], Any] | None = None) -> Library:
    """The library that adds to and removes from ``index_dir``, keeping its files in ``folder`` and building
    with the index's own embedder in a child process, one job at a time (its worker starts here). Open it
    before the index is loaded: it puts back what an interrupted job had moved. ``on_change``: called after
    each job state change (the server looks at the index at once)."""
    return Library(Path(folder), Path(index_dir), on_change=(lambda _job: on_change()) if on_change else None)


def with_library_tab(chat: gr.Blocks, library: Library | None, served: Served, title: str) -> gr.Blocks:
    """The page: the chat (as built) in a first tab, the Library view in a second, and the library API."""
    with gr.Blocks(title=title, analytics_enabled=False) as page:
        with gr.Tabs(elem_id="rq-tabs"):
            with gr.Tab("问答 Ask", id="ask", elem_id="rq-tab-ask"):
                chat.render()
            with gr.Tab("资料库 Library", id="library", elem_id="rq-tab-library"):
                library_tab(library, served)
        library_api(library, served)
    return page
