"""The Gradio web chat (``reportqa serve``): ask in a browser, read cited passages, jump to them in the report.

The index and the embedder are loaded once, when the server starts; a later ``reportqa build`` into the same
index directory is picked up within seconds, without a restart (:class:`reportqa.qa.live.LiveEngine`:
requests keep being answered from the old index until the new one has loaded). When there is no usable
index the server still starts and shows what is wrong and the command that builds one, with no chat.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry or version check: offline tool

import gradio as gr
from reportqa.index.errors import ReportQAError, UsageError
from reportqa.index.figures.extract import select_figures, sort_figures, write_csv
from reportqa.index.records import Figure
from reportqa.index.storage.milvus_store import StoreSpec
from reportqa.index.storage.store import build_command
from reportqa.index.text.regions import REGIONS
from reportqa.qa.attainment import attainment_rows
from reportqa.qa.engine import DEFAULT_K, DEFAULT_MODE, MODES, Engine
from reportqa.qa.examples import examples_for
from reportqa.qa.live import LiveEngine
from reportqa.qa.records import Answer
from reportqa.qa.scope import Filters, library_documents

from . import render
from .auth import Door
from .feedback import FeedbackLog, feedback_path, feedback_record
from .library_view import MAX_UPLOAD_BYTES, LiveServed, open_library, with_library_tab
from .queries import Asking, ask_answer, ask_json, listed_values, make_filters
from .render_attainment import render_attainment_answer, render_attainment_view, write_attainment_file
from .render_diff import render_yoy_answer
from .render_llm import render_written
from .render_table import indicator_label, render_figures_view, render_table_answer
from .stream_llm import AnswerGenerator, stream_written

log = logging.getLogger("reportqa.ui")

STATIC = Path(__file__).resolve().parent / "static"
TITLE = "reportqa · 报告问答"
MAX_K_UI = 10
MAX_EXAMPLES = 5
PRIVATE: Any = "private"
SHOW_LATEST_JS = "() => { if (window.rqShowLatest) window.rqShowLatest(); }"

Session = dict[str, Any]
"""Per-browser-tab state: ``messages`` (the chat history we render) and ``answers`` (assistant index → Answer)."""


# ---------------------------------------------------------------------------------------------- assets


def _css() -> str:
    return "\n".join((STATIC / f).read_text(encoding="utf-8") for f in ("reportqa.css", "library.css"))


def _head() -> str:
    js = "\n".join((STATIC / f).read_text(encoding="utf-8") for f in ("reportqa.js", "library.js"))
    return f"<script>\n{js}\n</script>"


def _theme() -> Any:
    # Plain font names only: a GoogleFont would make the page fetch fonts from the network.
    return gr.themes.Soft(
        primary_hue="red",
        font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
        font_mono=["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"],
    )


# ---------------------------------------------------------------------------------------------- engine glue


def ask_engine(engine: Asking, question: str, k: int, mode: str | None, filters: Filters | None = None) -> Answer:
    """The answer from ``engine`` (:func:`reportqa.ui.queries.ask_answer` without a written answer)."""
    return ask_answer(engine, question, k, mode, filters)


def api_answer(
    engine: Asking, question: str, k: int | float | None = None, mode: str | None = None,
    doc: Any = None, region: Any = None, year: Any = None, generator: AnswerGenerator | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``/ask`` endpoint: the ``reportqa ask --json`` object, or ``{"question", "error"}``."""
    try:
        kk = DEFAULT_K if k is None else int(k)
        if kk < 1:
            raise UsageError("k must be at least 1")
        return ask_json(engine, question or "", kk, mode, make_filters(doc, region, year), generator)
    except ReportQAError as e:
        return {"question": question, "error": str(e)}
    except (TypeError, ValueError) as e:
        return {"question": question, "error": f"bad request: {e}"}


# ---------------------------------------------------------------------------------------------- figures view


def index_figures(index: Any) -> tuple[Figure, ...]:
    """The figures the index read at build time (:attr:`LoadedIndex.figures`; none for an engine stand-in
    whose index has no figures)."""
    figures: tuple[Figure, ...] = tuple(getattr(index, "figures", ()))
    return figures


def figure_choices(figures: Sequence[Figure]) -> dict[str, list[Any]]:
    """The figures view's filter choices: indicators (label, id), regions (national first, then the official
    order) and years (newest first) that occur in ``figures``."""
    order = {r.name: i for i, r in enumerate(REGIONS)}
    inds = list(dict.fromkeys(f.indicator for f in figures))
    regions = sorted({f.region for f in figures if f.region}, key=lambda r: (order.get(r, len(order)), r))
    years = sorted({f.year for f in figures if f.year is not None}, reverse=True)
    return {
        "indicators": [(f"{indicator_label(i, False)} {i}", i) for i in inds],
        "regions": regions,
        "years": [str(y) for y in years],
    }


def filter_figures(
    figures: Sequence[Figure], indicators: Any = None, regions: Any = None, years: Any = None, kinds: Any = None
) -> list[Figure]:  # fmt: skip
    """The figures matching every non-empty filter (picker values: None, one value or a list), in the order of
    ``reportqa targets`` (region, year, kind, indicator)."""
    yrs = [int(float(y)) for y in listed_values(years)]
    chosen = select_figures(figures, listed_values(indicators), listed_values(regions), yrs, listed_values(kinds))
    return sort_figures(chosen)


def write_figures_csv(figures: Sequence[Figure], directory: Path) -> Path:
    """``figures`` as the ``reportqa targets --csv`` file (UTF-8 with BOM) in ``directory``, named by content."""


    buf = io.StringIO()
    write_csv(figures, buf)
    data = "\ufeff" + buf.getvalue() if not buf.getvalue().startswith("\ufeff") else buf.getvalue()
    name = "figures-" + hashlib.sha256(data.encode("utf-8")).hexdigest()[:12] + ".csv"
    path = directory / name
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8", newline="")
        tmp.replace(path)
    return path


def parse_jump(value: str) -> str | None:
    """The hidden jump box holds ``{"target": "p-<doc-slug>-<n>", "t": …}``, set by a click on a citation."""
    try:
        data = json.loads(value or "")
        return str(data["target"])
    except (ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------------------------- the chat app


@dataclass(frozen=True)
class ChatState:
    """What the chat page's tabs and handlers read, computed once when the page is built."""

    current: Callable[[], Engine]
    """The engine answering now (a :class:`LiveEngine`'s ``current``, or the one engine)."""
    manifest: dict[str, Any]
    """The served index's manifest when the page was built (the header's status line)."""
    documents: list[str]
    """Report names, for the report picker."""
    modes: tuple[str, ...]
    """Search modes the engine offers (empty: no mode choice)."""
    default_mode: str | None
    """The mode selected at first."""
    records: list[Any]
    """The library's documents (:func:`library_documents`)."""
    groups: Any
    """The documents grouped for the report placeholder (:func:`render.document_groups`)."""
    examples: list[str]
    """Example questions shown as buttons."""
    regions: list[str]
    """Regions in the library, national first."""
    years: list[int]
    """Years in the library, newest first."""
    doc_choices: list[tuple[str, str]]
    """The scope's report picker: (label, name)."""
    feedback: FeedbackLog
    """Where likes and dislikes are written."""
    anchors: dict[str, Any]
    """Cache of the served index's paragraphs by anchor (filled by :meth:`ChatActions.report_index`)."""
    fig_choices: dict[str, list[Any]]
    """The figures view's filter choices."""
    csv_dir: Path
    """Where the figures view writes its CSV downloads."""
    generator: AnswerGenerator | None
    """The written-answer model (``--llm``), or None."""


def chat_state(engine: Engine | LiveEngine, index_dir: Path, generator: AnswerGenerator | None) -> ChatState:
    """The :class:`ChatState` over ``engine`` (an :class:`Engine` or a :class:`LiveEngine`)."""
    current: Callable[[], Engine] = engine.current if isinstance(engine, LiveEngine) else (lambda: engine)
    first = current()
    records = library_documents(first.index)
    modes, default_mode = MODES, DEFAULT_MODE
    national_first = sorted(records, key=lambda d: d.level != "national")
    regions = list(dict.fromkeys(d.region for d in national_first if d.region))
    return ChatState(
        current=current,
        manifest=first.index.manifest,
        documents=[d.name for d in first.index.documents] or sorted({p.document for p in first.index.paragraphs}),
        modes=modes,
        default_mode=default_mode,
        records=list(records),
        groups=render.document_groups(records),
        examples=[e.question for e in examples_for(first.index, MAX_EXAMPLES)],
        regions=regions,
        years=sorted({d.year for d in records if d.year is not None}, reverse=True),
        doc_choices=[(f"{d.region} {d.year} · {d.name}" if d.region and d.year else d.name, d.name) for d in records],
        feedback=FeedbackLog(feedback_path(index_dir)),
        anchors={},
        fig_choices=figure_choices(index_figures(first.index)),
        csv_dir=Path(tempfile.mkdtemp(prefix="reportqa-figures-")),
        generator=generator,
    )


class ChatActions:
    """The chat page's event handlers over one :class:`ChatState`."""

    def __init__(self, state: ChatState) -> None:
        self.s = state

    def report_index(self) -> tuple[list[Any], dict[str, Any]]:
        """The served index's paragraphs and their anchors (recomputed once per build)."""
        index = self.s.current().index
        anchors = self.s.anchors
        if anchors.get("build_id") != index.build_id:
            by_anchor = {render.anchor_id(p.document, p.n): p for p in index.paragraphs}
            anchors.update(build_id=index.build_id, paragraphs=index.paragraphs, by_anchor=by_anchor)
        return anchors["paragraphs"], anchors["by_anchor"]

    def chat_messages(self, session: Session, show_scores: bool) -> list[dict[str, str]]:
        out = []
        for i, m in enumerate(session["messages"]):
            answer = session["answers"].get(i)
            written = render_written(answer, session.get("partial", {}).get(i)) if answer is not None else ""
            table = (
                render_attainment_answer(answer) + render_table_answer(answer) + render_yoy_answer(answer)
                if answer is not None else ""
            )
            content = render.render_answer(answer, show_scores, written, table) if answer is not None else m["content"]
            out.append({"role": m["role"], "content": content})
        return out

    def respond(
        self, question: str, k: float, show_scores: bool, mode: str | None, f_region: Any, f_year: Any, f_doc: Any,
        session: Session | None,
    ) -> tuple[str, list[dict[str, str]], Session]:  # fmt: skip
        session = session or {"messages": [], "answers": {}}
        question = question or ""
        if not question.strip():
            gr.Warning("请先输入问题 · Type a question first.")
            return question, self.chat_messages(session, show_scores), session
        try:
            filters = make_filters(f_doc, f_region, f_year)
            answer = ask_engine(self.s.current(), question, int(k), mode if self.s.modes else None, filters)
        except UsageError as e:
            gr.Warning(str(e))
            return question, self.chat_messages(session, show_scores), session
        except ReportQAError as e:
            session["messages"].append({"role": "user", "content": render.render_question(question)})
            session["messages"].append({"role": "assistant", "content": render.render_notice(str(e))})
            gr.Warning(str(e))
            return "", self.chat_messages(session, show_scores), session
        except Exception:  # a bug: log it, keep the page alive
            log.exception("answering %r failed", question)
            gr.Warning("internal error while answering; see the server log")
            return question, self.chat_messages(session, show_scores), session
        session["messages"].append({"role": "user", "content": render.render_question(answer.question)})
        session["answers"][len(session["messages"])] = answer
        session["messages"].append({"role": "assistant", "content": ""})
        return "", self.chat_messages(session, show_scores), session

    def respond_llm(
        self, question: str, k: float, show_scores: bool, mode: str | None, f_region: Any, f_year: Any, f_doc: Any,
        session: Session | None,
    ) -> Iterator[tuple[str, list[dict[str, str]], Session]]:  # fmt: skip
        """:meth:`respond`, then (``--llm``) the written answer streamed into the new reply."""
        before = len((session or {}).get("messages", []))
        text, _, session = self.respond(question, k, show_scores, mode, f_region, f_year, f_doc, session)
        yield text, self.chat_messages(session, show_scores), session
        idx = len(session["messages"]) - 1
        if self.s.generator is None or idx < before or idx not in session["answers"]:
            return
        for _ in stream_written(session, idx, self.s.generator):
            yield text, self.chat_messages(session, show_scores), session

    def example_handler(self, q: str) -> Callable[..., Iterator[tuple[str, list[dict[str, str]], Session]]]:
        """The click handler of the example button asking ``q``."""

        def run(kv: float, scores: bool, m: str | None, r: Any, y: Any, d: Any, s: Session | None) -> Any:
            yield from self.respond_llm(q, kv, scores, m, r, y, d, s)

        return run

    def rerender(self, show_scores: bool, session: Session | None) -> list[dict[str, str]]:
        return self.chat_messages(session or {"messages": [], "answers": {}}, show_scores)

    def on_like(self, session: Session | None, data: gr.LikeData) -> None:
        index_ = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        answer = (session or {}).get("answers", {}).get(int(index_))
        if answer is None:
            return
        self.s.feedback.append(feedback_record(answer, data.liked, self.s.current().index.build_id))
        gr.Info("谢谢反馈 · Thanks for the feedback")

    def show_report(self, value: str) -> tuple[str, Any]:
        paragraphs, by_anchor = self.report_index()
        target = parse_jump(value)
        para = by_anchor.get(target) if target else None
        if para is None:
            return render.report_placeholder(self.s.documents, self.s.groups), gr.update()
        html = render.render_report(paragraphs, para.document, para.n, para.lines)
        return html, gr.update(value=para.document)

    def figures_view(self, ind: Any, reg: Any, yr: Any, kind: Any) -> tuple[str, Any]:
        """The figures view: the filtered table and the CSV of the same rows."""
        index = self.s.current().index
        every = index_figures(index)
        if "attainment" in listed_values(kind):  # targets paired with their results (qa/attainment.py)
            pairs = attainment_rows(
                every, index.documents, indicators=listed_values(ind), regions=listed_values(reg),
                years=[int(float(y)) for y in listed_values(yr)], report_missing=False,
            ).rows  # fmt: skip
            path = write_attainment_file(pairs, self.s.csv_dir) if pairs else None
            return render_attainment_view(pairs), gr.update(value=str(path) if path else None)
        chosen = filter_figures(every, ind, reg, yr, kind)
        csv_path = write_figures_csv(chosen, self.s.csv_dir) if chosen else None
        return render_figures_view(chosen, len(every)), gr.update(value=str(csv_path) if csv_path else None)

    def pick_document(self, doc: str) -> str:
        if doc:
            return render.render_report(self.report_index()[0], doc)
        return render.report_placeholder(self.s.documents, self.s.groups)


@dataclass(frozen=True)
class ChatTab:
    """The chat tab's components other parts of the page wire to."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    ask_btn: gr.Button
    example_btns: list[gr.Button]
    f_region: gr.Dropdown
    f_year: gr.Dropdown
    f_doc: gr.Dropdown
    k: gr.Slider
    mode: gr.Radio
    show_scores: gr.Checkbox


@dataclass(frozen=True)
class FiguresTab:
    """The figures tab's pickers (indicator, region, year, kind), its CSV download and its table."""

    v_ind: gr.Dropdown
    v_region: gr.Dropdown
    v_year: gr.Dropdown
    v_kind: gr.Dropdown
    fig_csv: gr.DownloadButton
    fig_html: gr.HTML


@dataclass(frozen=True)
class ReportView:
    """The right-hand column: the report picker and the reconstructed report."""

    doc_pick: gr.Dropdown
    report: gr.HTML


def chat_box(s: ChatState) -> tuple[gr.Chatbot, gr.Textbox, gr.Button, list[gr.Button]]:
    """The conversation, the question box, the Ask button and the example buttons."""
    chatbot = gr.Chatbot(
        label="对话 Chat",
        show_label=False,
        elem_id="rq-chat",
        autoscroll=False,
        # the question box stays above the fold at desktop sizes (1280×800: header + chat + box)
        height="calc(100vh - 340px)",
        min_height=340,
        max_height=620,
        render_markdown=False,
        sanitize_html=True,
        latex_delimiters=[],
        allow_tags=False,
        buttons=[],
        layout="panel",
        placeholder=render.empty_state(len(s.records), s.regions, s.years, s.examples),
    )
    with gr.Row():
        question = gr.Textbox(
            show_label=False, placeholder=f"例如：{s.examples[0]}" if s.examples else "输入问题",
            elem_id="rq-question", scale=5, lines=1, max_lines=4, autofocus=True,
        )  # fmt: skip
        ask_btn = gr.Button("提问 Ask", variant="primary", scale=1, min_width=90, elem_id="rq-ask")
    gr.HTML('<div class="rq-phead">示例问题 Examples — 点击即问 click to ask</div>')
    with gr.Row(elem_classes="rq-examples"):
        example_btns = [gr.Button(q, size="sm", variant="secondary") for q in s.examples]
    return chatbot, question, ask_btn, example_btns


def chat_tab(s: ChatState) -> ChatTab:
    """The chat tab: conversation, question, examples, scope pickers and settings."""
    with gr.Tab("对话 Chat", id="chat", elem_id="rq-tab-chat"):
        chatbot, question, ask_btn, example_btns = chat_box(s)
        with gr.Accordion("范围 Scope — 地区 / 年份 / 报告 region / year / report", open=False):
            with gr.Row():
                f_region = gr.Dropdown(
                    s.regions, value=[], multiselect=True, label="地区 Region", elem_id="rq-pick-region",
                )  # fmt: skip
                f_year = gr.Dropdown(
                    [str(y) for y in s.years], value=[], multiselect=True, label="年份 Year",
                    elem_id="rq-pick-year",
                )  # fmt: skip
            f_doc = gr.Dropdown(
                s.doc_choices, value=[], multiselect=True, label="报告 Report (several: compare)",
                elem_id="rq-pick-doc",
            )  # fmt: skip
        with gr.Accordion("设置 Settings", open=False):
            k = gr.Slider(1, MAX_K_UI, value=DEFAULT_K, step=1, label="段落数 Passages")
            mode = gr.Radio(
                list(s.modes) or ["-"], value=s.default_mode or "-", label="检索方式 Search mode",
                visible=bool(s.modes),
            )  # fmt: skip
            show_scores = gr.Checkbox(False, label="显示分数 Show scores", elem_id="rq-show-scores")
    return ChatTab(chatbot, question, ask_btn, example_btns, f_region, f_year, f_doc, k, mode, show_scores)


def figures_tab(s: ChatState) -> FiguresTab:
    """The figures tab: targets and results of every report, filtered, with a CSV download."""
    with gr.Tab("指标 Figures", id="figures", elem_id="rq-tab-figures"):
        gr.HTML(
            '<div class="rq-phead">各报告的目标与实际数据，每行附出处；点击 ¶ 查看原文。'
            "Targets and results of every report, each with its source; click ¶ to read it.</div>"
        )
        with gr.Row():
            v_ind = gr.Dropdown(
                s.fig_choices["indicators"], value=[], multiselect=True, label="指标 Indicator",
                elem_id="rq-fig-indicator",
            )  # fmt: skip
            v_kind = gr.Dropdown(
                [("目标 target", "target"), ("实际 actual", "actual"),
                 ("完成情况 attainment", "attainment")], value=[], multiselect=True,
                label="类型 Kind", elem_id="rq-fig-kind",
            )  # fmt: skip
        with gr.Row():
            v_region = gr.Dropdown(
                s.fig_choices["regions"], value=[], multiselect=True, label="地区 Region",
                elem_id="rq-fig-region",
            )  # fmt: skip
            v_year = gr.Dropdown(
                s.fig_choices["years"], value=[], multiselect=True, label="年份 Year",
                elem_id="rq-fig-year",
            )  # fmt: skip
        fig_csv = gr.DownloadButton(
            "下载 CSV download", value=None, elem_id="rq-fig-csv", size="sm", variant="secondary",
        )  # fmt: skip
        fig_html = gr.HTML(elem_id="rq-fig-view")
    return FiguresTab(v_ind, v_region, v_year, v_kind, fig_csv, fig_html)


def report_view(s: ChatState) -> ReportView:
    """The right-hand column: pick a report, read it reconstructed."""
    with gr.Column(scale=2, min_width=320):
        doc_pick = gr.Dropdown(
            s.documents, value=None, label="报告原文 Report", elem_id="rq-doc-pick",
            allow_custom_value=False, interactive=True,
        )  # fmt: skip
        report = gr.HTML(render.report_placeholder(s.documents, s.groups), elem_id="rq-report-panel")
    return ReportView(doc_pick, report)


def wire_chat(actions: ChatActions, chat: ChatTab, session: gr.State) -> None:
    """The chat tab's events: ask (box, button, examples), show scores, like/dislike."""
    chat_in = [chat.k, chat.show_scores, chat.mode, chat.f_region, chat.f_year, chat.f_doc, session]
    chat_out = [chat.question, chat.chatbot, session]
    # --llm: a reply stays open while the model writes; no limit, so no one's extractive answer waits for it
    streams: Any = None if actions.s.generator is not None else "default"
    for trigger in (chat.question.submit, chat.ask_btn.click):
        ask_in = [chat.question, *chat_in]
        trigger(actions.respond_llm, ask_in, chat_out, api_visibility=PRIVATE, concurrency_limit=streams).then(
            None, None, None, js=SHOW_LATEST_JS, api_visibility=PRIVATE
        )
    for q, btn in zip(actions.s.examples, chat.example_btns, strict=True):
        btn.click(
            actions.example_handler(q), chat_in, chat_out, api_visibility=PRIVATE, concurrency_limit=streams
        ).then(None, None, None, js=SHOW_LATEST_JS, api_visibility=PRIVATE)
    chat.show_scores.change(actions.rerender, [chat.show_scores, session], chat.chatbot, api_visibility=PRIVATE)
    chat.chatbot.like(actions.on_like, [session], None, api_visibility=PRIVATE)


def wire_report(actions: ChatActions, view: ReportView, jump: gr.Textbox, jump_go: gr.Button) -> None:
    """A click on a citation (the hidden jump box) or the report picker shows a report."""
    jump_go.click(
        actions.show_report, [jump], [view.report, view.doc_pick], api_visibility=PRIVATE, show_progress="hidden"
    )
    view.doc_pick.input(actions.pick_document, [view.doc_pick], [view.report], api_visibility=PRIVATE)


def wire_figures(demo: gr.Blocks, actions: ChatActions, figs: FiguresTab) -> None:
    """Every figures picker refreshes the table and the CSV; so does loading the page."""
    view_in = [figs.v_ind, figs.v_region, figs.v_year, figs.v_kind]
    for picker in view_in:
        picker.change(actions.figures_view, view_in, [figs.fig_html, figs.fig_csv], api_visibility=PRIVATE)
    demo.load(actions.figures_view, view_in, [figs.fig_html, figs.fig_csv], api_visibility=PRIVATE)


def ask_api(s: ChatState) -> None:
    """The ``/ask`` API endpoint of the page."""

    def ask(
        question: str, k: int = DEFAULT_K, mode: str = DEFAULT_MODE, doc: list[str] | None = None,
        region: list[str] | None = None, year: list[int] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Answer a question: the same JSON object as ``reportqa ask --json``. ``mode``: hybrid, semantic
        or keyword. ``doc``, ``region``, ``year``: optional filters (lists; several values compare)."""
        return api_answer(s.current(), question, k, mode if s.modes else None, doc, region, year, s.generator)

    gr.api(ask, api_name="ask")


def build_app(engine: Engine | LiveEngine, index_dir: Path, generator: AnswerGenerator | None = None) -> gr.Blocks:
    """The chat page over ``engine``: an :class:`Engine`, or a :class:`LiveEngine` whose ``current()`` engine
    answers each request (so a rebuilt index is picked up without a restart)."""
    s = chat_state(engine, index_dir, generator)
    actions = ChatActions(s)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(
            '<div id="rq-header"><h1>reportqa · 报告问答</h1>'
            '<p class="rq-sub">用中文或英文提问，答案附带可点击的原文引用。'
            "Ask in Chinese or English; every answer cites the report.</p>"
            f"{render.render_status(s.manifest, s.current().index.documents)}</div>"
        )
        session = gr.State({"messages": [], "answers": {}})
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340), gr.Tabs(elem_id="rq-tabs"):
                chat = chat_tab(s)
                figs = figures_tab(s)
            view = report_view(s)
        jump = gr.Textbox(visible="hidden", elem_id="rq-jump")
        jump_go = gr.Button("jump", visible="hidden", elem_id="rq-jump-go")
        wire_chat(actions, chat, session)
        wire_report(actions, view, jump, jump_go)
        wire_figures(demo, actions, figs)
        ask_api(s)
    return demo


def build_error_app(message: str, command: str) -> gr.Blocks:
    """The page served when no index can be loaded: the problem and the command that fixes it, no chat."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(render.render_error_page(message, command))

        def ask(question: str, k: int = DEFAULT_K) -> dict[str, Any]:
            """No index is loaded: every question gets the error."""
            return {"question": question, "error": message}

        gr.api(ask, api_name="ask")
    return demo


def load_app(
    index_dir: Path, generator: AnswerGenerator | None = None, store: StoreSpec | None = None,
    library_folder: Path | None = None,
) -> tuple[gr.Blocks, LiveEngine | None]:  # fmt: skip
    """The chat over a :class:`LiveEngine` (follows rebuilds of ``index_dir``; vectors searched in ``store``)
    beside the Library view (adding and removing reports in ``library_folder`` with ``serve --manage``,
    read-only without it), or the no-index page."""
    index_dir = Path(index_dir)
    live: list[LiveEngine] = []
    # the library first: it puts back what a job interrupted by a restart had moved, before the index loads
    library = open_library(library_folder, index_dir, lambda: live and live[0].check_now()) if library_folder else None
    try:
        engine = LiveEngine(index_dir, store=store)
    except ReportQAError as e:
        log.warning("no usable index: %s", e)
        if library is not None:
            library.close()
        return build_error_app(str(e), build_command(index_dir)), None
    live.append(engine)
    chat = build_app(engine, index_dir, generator)
    return with_library_tab(chat, library, LiveServed(engine), TITLE), engine


def serve(
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7860,
    door: Door | None = None,
    generator: AnswerGenerator | None = None,
    store: StoreSpec | None = None,
    library_folder: Path | None = None,
) -> None:
    """Load the index once and serve the chat, the REST API (``/api/v1``) and MCP (``/mcp``) until interrupted
    (binds ``host``, never shares publicly). ``door``: the credentials all three require (none: open, which
    only loopback allows). ``library_folder`` (``serve --manage``): reports can be added and removed from the
    page and the API."""
    import uvicorn

    from .auth import check_exposure
    from .queries import ServedIndex
    from .server import build_server_app

    door = door or Door()
    check_exposure(host, door)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    demo, engine = load_app(Path(index_dir), generator, store, library_folder)
    problem = None
    if engine is not None:
        m = engine.current().index.manifest
        print(f"reportqa: serving {index_dir} ({m.get('counts', {}).get('chunks')} passages) on http://{host}:{port}"
              f" — chat at /, API at /api/v1 (docs /api/v1/docs), MCP at /mcp", flush=True)  # fmt: skip
    else:
        from reportqa.index.storage.status import index_status

        problem = "; ".join(index_status(Path(index_dir)).problems) or "no usable index"
    served = ServedIndex(Path(index_dir), engine, problem, store=store, generator=generator)
    demo.queue(default_concurrency_limit=4, max_size=64)
    app = build_server_app(demo, served, door, host, port, {
        "footer_links": ["api"],
        "show_error": False,
        "max_file_size": MAX_UPLOAD_BYTES if library_folder is not None else None,
        "ssr_mode": False,
        "mcp_server": False,
        "pwa": False,
        "theme": _theme(),
        "css": _css(),
        "head": _head(),
    })  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
