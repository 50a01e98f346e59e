"""The server's library: reports added and removed one at a time while the index keeps being served.

A library is a folder of uploaded originals (never inside the index directory)::

    <folder>/<name>                 an indexed report, byte for byte as uploaded (its SHA-256 is recorded)
    <folder>/<name>.meta.json       its record as corrected before indexing (sidecar, :mod:`.metaoverride`)
    <folder>/.incoming/<id>/<name>  an upload waiting to be indexed (queued, or failed and kept for a retry)
    <folder>/.removed/<stamp>-<name> a removed report's source, moved aside (never deleted)
    <folder>/.library.json          the journal: uploads and jobs (queued, running, done, failed), fsync'd

:meth:`Library.add` checks an upload (type sniffed from the bytes, size, pages, characters, zip members and
their expanded size, a readable report with enough text) and stages it; a refused file raises
:class:`~reportqa.index.errors.UploadRefusedError` with the reason and nothing changes. :meth:`Library.enqueue`
and :meth:`Library.remove` queue jobs; one worker thread runs them one at a time, each build in a child
process (kill-safe: a killed build leaves the served index as it was, the swap being atomic) unless an
:class:`~reportqa.index.embedding.embedders.Embedder` object is given (tests: the build then runs in the thread).
A build is incremental: the documents already indexed are reused, only the new report is embedded.

A failed job restores the folder as it was and keeps its reason (:meth:`Library.retry`). A restart finds the
running job in the journal: a build that landed is marked done, one that did not is queued again (and
failed after :data:`MAX_ATTEMPTS` interrupted attempts). Create the :class:`Library` before the server opens
its index: recovery puts an interrupted job's file back where the served index expects it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from reportqa.index.embedding.embedders import Embedder, Kind, load_embedder
from reportqa.index.errors import (
    BuildLockedError,
    IndexMissingError,
    ReportQAError,
    SourceError,
    UnreadableSourceError,
    UploadRefusedError,
    UsageError,
)
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.reading.formats import Unreadable, decode_text, docx_to_text, html_to_text, image_read, pdf_read
from reportqa.index.reading.metaoverride import MetaOverride, apply_override, parse_fields, read_sidecar, sidecar_path
from reportqa.index.reading.ocr import PageReader
from reportqa.index.reading.paragraphs import rebuild
from reportqa.index.reading.readers import read_source
from reportqa.index.records import Paragraph
from reportqa.index.storage import store

JOURNAL = ".library.json"
INCOMING = ".incoming"
REMOVED = ".removed"
LOCK = ".library.lock"
MAX_ATTEMPTS = 3
"""A job interrupted (server killed) this many times is marked failed instead of being run again."""

Format = Literal["txt", "md", "pdf", "docx", "html", "png", "jpg", "tif"]
JobKind = Literal["add", "remove"]
JobState = Literal["queued", "running", "done", "failed"]
SUFFIX: dict[str, str] = {"txt": ".txt", "md": ".md", "pdf": ".pdf", "docx": ".docx", "html": ".html",
                          "png": ".png", "jpg": ".jpg", "tif": ".tif"}
_IMAGE_MAGIC: tuple[tuple[bytes, Format], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"II*\x00", "tif"), (b"MM\x00*", "tif"),
)


@dataclass(frozen=True)
class Limits:
    """What an upload may be. Each refusal names the limit and the value found."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2_000
    """PDF pages."""
    max_chars: int = 3_000_000
    """Characters of extracted text (the longest corpus report has about 60,000)."""
    min_chars: int = 200
    """Fewer readable characters than this is not a report."""
    max_zip_members: int = 1_000
    """Files inside a .docx (a zip)."""
    max_zip_bytes: int = 200 * 1024 * 1024
    """Their total size once expanded (a zip bomb is refused before anything is decompressed)."""
    min_text_share: float = 0.6
    """At least this share of the non-space characters must be letters, digits, CJK or punctuation (garbled
    text is refused)."""
    max_scanned_pages: int = 60
    """Pages read by OCR in one upload (a scanned PDF, a multi-page TIFF): seconds each on a small machine."""
    max_image_pixels: int = 40_000_000
    """Pixels of one scanned page (an A4 page at 600 dpi is ~35 million)."""


@dataclass(frozen=True)
class Upload:
    """A file given to :meth:`Library.add`."""

    id: str
    name: str
    """The document name it gets in the index: the sanitised file name with the suffix of its sniffed type,
    made unique (``report (2).pdf``) when another report has that name."""
    original_name: str
    """The name it was uploaded under."""
    sha256: str
    bytes: int
    format: Format
    status: Literal["staged", "duplicate"]
    """``staged``: waiting in the library to be indexed (:meth:`Library.enqueue`); ``duplicate``: the same
    bytes are already in the library or the index (nothing was stored; see ``duplicate_of``)."""
    message: str
    """One line for the user (what happened, what to do next)."""
    added_at: float
    duplicate_of: str | None = None
    """The document (or staged upload's name) with the same bytes."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Upload:
        return cls(**d)


@dataclass(frozen=True)
class Preview:
    """What the index will make of a staged upload: ``reportqa paragraphs``' view and the record read."""

    upload: Upload
    paragraphs: tuple[Paragraph, ...]
    furniture: int
    """Source lines kept out of the paragraphs as page furniture."""
    title: str
    region: str
    """Full region name, ``""`` when none was found."""
    year: int | None
    date: str | None
    speaker: str | None
    overridden: tuple[str, ...] = ()
    """Fields set by :meth:`Library.set_meta` (the sidecar)."""
    chars: int = 0


@dataclass(frozen=True)
class JobProgress:
    """How far a running build is (from the build's progress callback)."""

    documents_done: float = 0.0
    """Grows by fractions while a document is embedded."""
    documents_total: int = 0
    passages: int | None = None
    """Passages in the new index (known when the build lands)."""
    seconds_left: float | None = None
    elapsed: float = 0.0


@dataclass(frozen=True)
class Job:
    """One change to the index: add an upload, or remove a document."""

    id: str
    kind: JobKind
    document: str
    """The document's name (as ``reportqa status`` shows it)."""
    upload_id: str | None
    state: JobState
    reason: str | None = None
    """Why it failed (with what to do next)."""
    progress: JobProgress = field(default_factory=JobProgress)
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    build_id: str | None = None
    """The build that landed (done jobs)."""
    attempts: int = 0
    note: str | None = None
    """E.g. that the job was resumed after a restart."""
    moved_to: str | None = None
    """A removal: where the source was moved aside."""
    source: str | None = None
    """A removal: the source file it moves aside (recorded when it starts, for a restart to finish it)."""

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Job:
        d = dict(d)
        d["progress"] = JobProgress(**d.get("progress", {}))
        return cls(**d)


@dataclass(frozen=True)
class LibraryDocument:
    """One indexed report as the library view lists it."""

    name: str
    title: str
    region: str
    year: int | None
    bytes: int
    paragraphs: int
    passages: int
    added_at: float | None
    """When its add job finished (None for a report indexed before the library knew it)."""
    in_library: bool
    """True when its source is in the library folder (else: indexed from elsewhere, e.g. ``reportqa build``)."""
    sha256: str


# ------------------------------------------------------------------------------------------------ checks


def sanitize_name(name: str, fmt: Format) -> str:
    """A safe file name: the last path component, NFC, no control or reserved characters, no leading dot,
    at most 120 characters, with the suffix of the sniffed type."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip().lstrip(".~$ ").strip()
    stem = base
    for suffix in (".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
                   ".meta.json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = stem.rstrip(". ") or "report"
    stem = stem[:120]
    return stem + SUFFIX[fmt]


def _refuse(reason: str) -> UploadRefusedError:
    return UploadRefusedError(reason)


def _sniff(data: bytes, name: str, limits: Limits) -> Format:
    """The type of ``data`` from its bytes (the name only tells .md from .txt)."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, image in _IMAGE_MAGIC:
        if head.startswith(magic):
            return image
    if head.startswith(b"PK\x03\x04"):
        _check_zip(data, limits)
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("an old Word .doc (or a password-protected document), not a .docx — save it as .docx "
                      "in Word or LibreOffice and upload that")
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body")) or (
        b"<html" in head.lower() and b"</" in data[:65536]
    ):
        return "html"
    return "md" if name.lower().endswith((".md", ".markdown")) else "txt"


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            if len(members) > limits.max_zip_members:
                raise _refuse(f"a .docx with {len(members)} files inside (at most {limits.max_zip_members}) — "
                              "save it again from Word or LibreOffice")
            expanded = sum(m.file_size for m in members)
            if expanded > limits.max_zip_bytes:
                raise _refuse(f"a .docx that expands to {expanded // 2**20} MB (at most "
                              f"{limits.max_zip_bytes // 2**20} MB) — save it again without embedded media")
            names = {m.filename for m in members}
    except zipfile.BadZipFile as e:
        raise _refuse(f"a damaged ZIP/.docx ({e}) — save it again as .docx") from None
    if "word/document.xml" not in names:
        raise _refuse("a ZIP archive that is not a .docx (no word/document.xml) — upload the report itself")


_READABLE = re.compile(r"[\w\u3000-\u303f\uff00-\uffef\u2e80-\u9fff.,;:!?%()\"'“”‘’《》、，。；：！？（）\-—·]")


def check_upload(data: bytes, name: str, limits: Limits | None = None) -> tuple[Format, str]:
    """The sniffed type and extracted text of an upload, or :class:`UploadRefusedError` with the reason."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise _refuse(f"{len(data) / 2**20:.1f} MB is over the {limits.max_bytes / 2**20:.0f} MB limit — split "
                      "the report or raise the limit")
    if not data.strip():
        raise _refuse("the file is empty — upload the report's text")
    fmt = _sniff(data, name, limits)
    try:
        ocr = PageReader(max_pixels=limits.max_image_pixels)
        if fmt == "pdf":
            text = pdf_read(data, ocr, limits.max_scanned_pages).text
            pages = text.count("\f") + 1
            if pages > limits.max_pages:
                raise _refuse(f"{pages} pages is over the {limits.max_pages}-page limit — split the document")
        elif fmt in ("png", "jpg", "tif"):
            text = image_read(data, ocr, limits.max_scanned_pages).text
        elif fmt == "docx":
            text = docx_to_text(data)
        elif fmt == "html":
            text = html_to_text(data)
        else:
            text, _ = decode_text(data)
    except Unreadable as e:
        raise _refuse(f"the file {e.reason} — {e.hint}") from None
    if len(text) > limits.max_chars:
        raise _refuse(f"{len(text):,} characters is over the {limits.max_chars:,}-character limit — split it")
    visible = re.sub(r"\s", "", text)
    if len(visible) < limits.min_chars:
        raise _refuse(f"only {len(visible)} characters of text (a report has at least {limits.min_chars}) — "
                      "upload the whole report")
    readable = len(_READABLE.findall(visible))
    if readable < limits.min_text_share * len(visible):
        raise _refuse(f"the text looks garbled ({readable * 100 // len(visible)}% readable characters) — check "
                      "its encoding or upload another export")
    return fmt, text


# ------------------------------------------------------------------------------------------------ journal


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    store.fsync_dir(path.parent)


def _now() -> float:
    return time.time()


def _move(src: Path, dst: Path) -> None:
    """Rename ``src`` (and its sidecar) to ``dst``; both in the library folder's file system."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.rename(src, dst)
    side = sidecar_path(src)
    if side.exists():
        os.rename(side, sidecar_path(dst))


# ------------------------------------------------------------------------------------------------ builds


BuildRunner = Callable[[Path, Sequence[tuple[Path, str]], "str | Embedder | None", Callable[[float, int], None]],
                       "BuildOutcome"]


@dataclass(frozen=True)
class BuildOutcome:
    build_id: str
    documents: int
    passages: int
    seconds: float


def current_sources(index_dir: Path) -> list[tuple[Path, str]]:
    """``(path, name)`` of every document of the index at ``index_dir`` (empty when there is none)."""
    try:
        manifest = store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    except IndexMissingError:
        return []
    return [(Path(s.path), s.name) for s in manifest.sources]


def _current_build(index_dir: Path) -> tuple[str | None, dict[str, str]]:
    """The build id and ``name → sha256`` of the index at ``index_dir``."""
    try:
        manifest = store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    except IndexMissingError:
        return None, {}
    return manifest.build_id, {s.name: s.sha256 for s in manifest.sources}


def build_in_process(index_dir: Path, files: Sequence[tuple[Path, str]], embedder: str | Embedder | None,
                     progress: Callable[[float, int], None]) -> BuildOutcome:  # fmt: skip
    from .build import build_index

    report = build_index([], index_dir, embedder, files=files, progress=progress)
    build_id, _ = _current_build(index_dir)
    return BuildOutcome(build_id or "", report.documents, report.chunks, report.seconds)


class BuildProcess:
    """Runs one build in a child process (``python -m reportqa.index.pipeline.libworker``), reading its progress
    lines; :meth:`kill` ends it (the served index is untouched: nothing is swapped in before the end)."""

    def __init__(self, factory: str | None = None) -> None:
        self.factory = factory
        """``module:callable`` returning the :class:`Embedder` to build with (tests: the fake embedder)."""
        self.proc: subprocess.Popen[str] | None = None

    def __call__(self, index_dir: Path, files: Sequence[tuple[Path, str]], embedder: str | Embedder | None,
                 progress: Callable[[float, int], None]) -> BuildOutcome:  # fmt: skip
        spec = embedder if isinstance(embedder, str) or embedder is None else embedder.id
        job = {"index_dir": str(index_dir), "files": [[str(p), n] for p, n in files], "embedder": spec,
               "factory": self.factory}  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reportqa.index.pipeline.libworker", json.dumps(job, ensure_ascii=False)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        result: dict[str, Any] | None = None
        error: dict[str, Any] | None = None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "progress" in msg:
                progress(float(msg["progress"][0]), int(msg["progress"][1]))
            elif "done" in msg:
                result = msg["done"]
            elif "error" in msg:
                error = msg
        stderr = self.proc.stderr.read() if self.proc.stderr is not None else ""
        code = self.proc.wait()
        if error is not None:
            raise _error_of(error)
        if result is None or code != 0:
            tail = stderr.strip().splitlines()[-1:] if stderr else []
            raise ReportQAError(f"the build process ended with code {code}"
                                + (f" ({tail[0]})" if tail else "") + "; retry the job")
        return BuildOutcome(str(result["build_id"]), int(result["documents"]), int(result["passages"]),
                            float(result["seconds"]))  # fmt: skip

    def kill(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()


def _error_of(msg: dict[str, Any]) -> ReportQAError:
    from reportqa.index import errors

    cls = getattr(errors, str(msg.get("type")), ReportQAError)
    if not (isinstance(cls, type) and issubclass(cls, ReportQAError)):
        cls = ReportQAError
    return cls(str(msg["error"]))


# ------------------------------------------------------------------------------------------------ removal


@dataclass(frozen=True)
class Removal:
    """What :func:`remove_document` did."""

    document: str
    moved_to: str | None
    """Where the source went (None when it was already gone)."""
    build_id: str
    documents: int
    """Documents left in the index."""
    seconds: float


class IndexEmbedder(Embedder):
    """The embedder that built an index, loaded only when something must be embedded (a removal embeds
    nothing, so it works even where that model cannot be loaded)."""

    def __init__(self, embedder_id: str, dim: int) -> None:
        self.id = embedder_id
        self.dim = dim
        self._model: Embedder | None = None

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if self._model is None:
            self._model = load_embedder(self.id)
        return self._model.embed(texts, kind)


def removed_path(source: Path, when: float | None = None) -> Path:
    """Where a removed source is moved: ``.removed/<stamp>-<name>`` beside it (hidden from builds)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(when or _now()))
    return source.parent / REMOVED / f"{stamp}-{source.name}"


def remove_document(
    index_dir: Path,
    name: str,
    embedder: str | Embedder | None = None,
    progress: Callable[[float, int], None] | None = None,
    runner: BuildRunner | None = None,
) -> Removal:
    """Rebuild the index at ``index_dir`` without document ``name`` (nothing is embedded: the other documents
    are reused), then move its source into ``.removed/`` beside it. Raises :class:`UsageError` for a name the
    index does not hold. A failed build leaves the index and the source as they were."""
    index_dir = Path(index_dir)
    t0 = time.perf_counter()
    manifest = store.read_manifest(index_dir.resolve() if index_dir.exists() else index_dir)
    sources = [(Path(s.path), s.name) for s in manifest.sources]
    names = [n for _, n in sources]
    if name not in names:
        near = ", ".join(n for n in names if name.lower() in n.lower())[:200] or ", ".join(names[:5])
        raise UsageError(f"the index holds no document named {name!r} (names as `reportqa status` lists them: "
                         f"{near}{' …' if len(names) > 5 else ''})")
    keep = [(p, n) for p, n in sources if n != name]
    if not keep:
        raise UsageError(f"{name!r} is the only document of {index_dir}; delete the index folder instead")
    spec = embedder if embedder is not None else IndexEmbedder(manifest.embedder.id, manifest.embedder.dim)
    outcome = (runner or build_in_process)(index_dir, keep, spec, progress or (lambda d, t: None))
    source = Path(dict((n, p) for p, n in sources)[name])
    moved: str | None = None
    if source.exists():
        dst = removed_path(source)
        _move(source, dst)
        moved = str(dst)
    return Removal(name, moved, outcome.build_id, outcome.documents, time.perf_counter() - t0)


# ------------------------------------------------------------------------------------------------ library


class Library:
    """The library folder of one served index. Thread-safe; see the module docstring."""

    def __init__(
        self,
        folder: Path,
        index_dir: Path,
        embedder_spec: str | Embedder | None = None,
        limits: Limits | None = None,
        *,
        in_process: bool | None = None,
        embedder_factory: str | None = None,
        on_change: Callable[[Job], None] | None = None,
        start: bool = True,
    ) -> None:
        """``embedder_spec``: what builds use (default: the index's own embedder). Builds run in a child
        process unless ``in_process`` (default: only when an :class:`Embedder` object is given);
        ``embedder_factory`` (``module:callable``) makes the child's embedder. ``on_change(job)`` is called
        after every job state change (a server: look at the index now)."""
        self.folder = Path(folder).absolute()
        self.index_dir = Path(index_dir).absolute()
        if self._inside(self.folder, self.index_dir.resolve()) or self._inside(self.folder, self.index_dir):
            raise UsageError(f"the library folder {folder} is inside the index directory {index_dir}; choose a "
                             "folder outside it (a rebuild replaces the index directory)")
        self.embedder = embedder_spec
        self.limits = limits or Limits()
        self.on_change = on_change
        in_process = isinstance(embedder_spec, Embedder) if in_process is None else in_process
        self._process: BuildProcess | None = None if in_process else BuildProcess(embedder_factory)
        self._runner: BuildRunner = build_in_process if in_process else self._process  # type: ignore[assignment]
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / INCOMING).mkdir(exist_ok=True)
        self._lock_fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        if not store.try_flock(self._lock_fd):
            os.close(self._lock_fd)
            raise BuildLockedError(f"another server manages the library {self.folder}; stop it or give this "
                                   "one another library folder")
        self._mutex = threading.RLock()
        self._wake = threading.Condition(self._mutex)
        self._uploads: dict[str, Upload] = {}
        self._jobs: list[Job] = []
        self._added: dict[str, float] = {}
        self._closed = False
        self._load()
        self._recover()
        self._worker: threading.Thread | None = None
        if start:
            self.start()

    @staticmethod
    def _inside(path: Path, parent: Path) -> bool:
        try:
            path.resolve().relative_to(parent.resolve())
        except ValueError:
            return False
        return True

    # -------------------------------------------------------------------------------------- journal

    def _load(self) -> None:
        path = self.folder / JOURNAL
        if not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self._uploads = {k: Upload.from_json(v) for k, v in data.get("uploads", {}).items()}
            self._jobs = [Job.from_json(j) for j in data.get("jobs", [])]
            self._added = {str(k): float(v) for k, v in data.get("added", {}).items()}
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise SourceError(f"the library journal {path} cannot be read ({e}); move it away to start an empty "
                              "journal (the indexed reports stay indexed)") from e

    def _save(self) -> None:
        data = {
            "version": 1,
            "uploads": {k: u.to_json() for k, u in self._uploads.items()},
            "jobs": [j.to_json() for j in self._jobs],
            "added": self._added,
        }
        _write_json_atomic(self.folder / JOURNAL, data)

    def _set(self, job: Job, notify: bool = True, save: bool = True, **changes: Any) -> Job:
        with self._mutex:
            new = replace(job, **changes)
            self._jobs = [new if j.id == job.id else j for j in self._jobs]
            if save:
                self._save()
        if notify and self.on_change is not None:
            with contextlib.suppress(Exception):
                self.on_change(new)
        return new

    def _recover(self) -> None:
        """Put an interrupted job back in the queue (or mark it done when its build landed)."""
        build_id, indexed = _current_build(self.index_dir)
        for job in [j for j in self._jobs if j.state == "running"]:
            if job.kind == "add":
                up = self._uploads.get(job.upload_id or "")
                landed = up is not None and indexed.get(job.document) == up.sha256
                if landed:
                    self._added[job.document] = _now()
                    self._set(job, notify=False, state="done", finished_at=_now(), build_id=build_id,
                              note="finished before a restart")  # fmt: skip
                    continue
                if up is not None and (self.folder / job.document).exists():
                    _move(self.folder / job.document, self._staged_path(up))
            else:
                if job.document not in indexed:
                    path = Path(job.source) if job.source else self.folder / job.document
                    moved = self._move_aside(job.document, [(path, job.document)])
                    self._set(job, notify=False, state="done", finished_at=_now(), build_id=build_id,
                              moved_to=moved, note="finished before a restart")  # fmt: skip
                    continue
            if job.attempts >= MAX_ATTEMPTS:
                self._set(job, notify=False, state="failed", finished_at=_now(),
                          reason=f"interrupted {job.attempts} times (the server stopped during the build); "
                          "retry it, or check the file with `reportqa paragraphs`")  # fmt: skip
            else:
                self._set(job, notify=False, state="queued", note="resumed after the server restarted",
                          progress=JobProgress())  # fmt: skip

    # -------------------------------------------------------------------------------------- uploads

    def _staged_path(self, upload: Upload) -> Path:
        return self.folder / INCOMING / upload.id / upload.name

    def _taken_names(self) -> set[str]:
        names = {n for _, n in current_sources(self.index_dir)}
        names |= {p.name for p in self.folder.iterdir() if not p.name.startswith(".")}
        names |= {u.name for u in self._uploads.values() if u.status == "staged"}
        return names

    def _known_shas(self) -> dict[str, str]:
        try:
            manifest = store.read_manifest(self.index_dir.resolve() if self.index_dir.exists() else self.index_dir)
            out = {s.sha256: s.name for s in manifest.sources}
        except ReportQAError:
            out = {}
        for u in self._uploads.values():
            if u.status == "staged" and not self._upload_removed(u):
                out.setdefault(u.sha256, u.name)
        return out

    def _indexed(self, upload: Upload) -> bool:
        """Whether an add job of ``upload`` has landed (the staged record then names an indexed report)."""
        return any(j.upload_id == upload.id and j.kind == "add" and j.state == "done" for j in self._jobs)

    def _upload_removed(self, upload: Upload) -> bool:
        return any(j.upload_id == upload.id and j.kind == "add" and j.state == "done" for j in self._jobs) and not (
            (self.folder / upload.name).exists()
        )

    def add(self, filename: str, data: bytes, meta: MetaOverride | None = None) -> Upload:
        """Check and stage an upload (not yet indexed: :meth:`enqueue`). Raises :class:`UploadRefusedError`
        (nothing stored) for a file that is not a usable report; returns a ``duplicate`` upload (nothing
        stored) when the same bytes are already in the library or the index."""
        fmt, _ = check_upload(data, filename, self.limits)
        sha = hashlib.sha256(data).hexdigest()
        with self._mutex:
            same = self._known_shas().get(sha)
            if same is not None:
                return Upload(uuid.uuid4().hex[:12], same, filename, sha, len(data), fmt, "duplicate",
                              f"already uploaded as {same}" if any(
                                  u.name == same and u.status == "staged" and not self._indexed(u)
                                  for u in self._uploads.values())
                              else f"already indexed as {same}", _now(), duplicate_of=same)  # fmt: skip
            name = self._unique(sanitize_name(filename, fmt))
            up = Upload(uuid.uuid4().hex[:12], name, filename, sha, len(data), fmt, "staged",
                        f"ready to index as {name}", _now())  # fmt: skip
            path = self._staged_path(up)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.part")
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
            try:
                if meta is not None and meta.fields_set():
                    _write_json_atomic(sidecar_path(path), meta.to_json())
                read_source(path, name)  # the file as stored reads like the upload did
            except (UnreadableSourceError, OSError) as e:
                shutil.rmtree(path.parent, ignore_errors=True)
                raise _refuse(f"the stored file cannot be read back ({e})") from e
            self._uploads[up.id] = up
            self._save()
            return up

    def _unique(self, name: str) -> str:
        taken = {n.lower() for n in self._taken_names()}
        if name.lower() not in taken:
            return name
        stem, dot, suffix = name.rpartition(".")
        for i in range(2, 10_000):
            candidate = f"{stem} ({i}).{suffix}" if dot else f"{name} ({i})"
            if candidate.lower() not in taken:
                return candidate
        raise _refuse(f"too many versions of {name}; rename the file")

    def upload(self, upload_id: str) -> Upload:
        with self._mutex:
            up = self._uploads.get(upload_id)
        if up is None:
            raise UsageError(f"no upload {upload_id!r} in the library; upload the file again")
        return up

    def uploads(self) -> list[Upload]:
        """Staged uploads not yet indexed (oldest first)."""
        with self._mutex:
            done = {j.upload_id for j in self._jobs if j.kind == "add" and j.state == "done"}
            return [u for u in self._uploads.values() if u.status == "staged" and u.id not in done]

    def discard(self, upload_id: str) -> None:
        """Forget a staged upload that is not queued or running (its file is deleted)."""
        with self._mutex:
            up = self.upload(upload_id)
            if any(j.upload_id == upload_id and j.state in ("queued", "running") for j in self._jobs):
                raise UsageError(f"{up.name} is queued for indexing; wait for the job to finish")
            shutil.rmtree(self.folder / INCOMING / upload_id, ignore_errors=True)
            del self._uploads[upload_id]
            self._save()

    def preview(self, upload_id: str) -> Preview:
        """``reportqa paragraphs``' view of a staged upload and the record read from it (with the sidecar)."""
        up = self.upload(upload_id)
        path = self._staged_path(up)
        if not path.exists():
            path = self.folder / up.name
        try:
            source = read_source(path, up.name)
        except UnreadableSourceError as e:
            raise _refuse(str(e)) from e
        rebuilt = rebuild(source)
        meta = apply_override(read_meta(up.name, source.text, rebuilt.paragraphs), read_sidecar(path))
        return Preview(
            up, tuple(rebuilt.paragraphs), len(rebuilt.furniture), meta.title,
            meta.region.name if meta.region else "", meta.year, meta.date, meta.speaker, meta.overridden,
            len(source.text),
        )  # fmt: skip

    def set_meta(self, upload_id: str, region: str | None = None, year: int | str | None = None,
                 title: str | None = None) -> Preview:  # fmt: skip
        """Correct the record of a staged upload (written as its sidecar ``<file>.meta.json``); None or ``""``
        keeps what is read from the report. Raises :class:`UsageError` for a bad value."""
        up = self.upload(upload_id)
        with self._mutex:
            if any(j.upload_id == upload_id and j.state == "running" for j in self._jobs):
                raise UsageError(f"{up.name} is being indexed; wait for the job to finish")
            path = self._staged_path(up)
            if not path.exists():
                raise UsageError(f"{up.name} is already indexed; remove it and upload it again to change its record")
            old = read_sidecar(path) or MetaOverride()
            values: dict[str, Any] = {**old.to_json(), "region": region, "year": year, "title": title}
            over = parse_fields(values, f"the record of {up.name}", "correct the value")
            side = sidecar_path(path)
            if over.fields_set():
                _write_json_atomic(side, over.to_json())
            elif side.exists():
                side.unlink()
        return self.preview(upload_id)

    # -------------------------------------------------------------------------------------- jobs

    def enqueue(self, upload_id: str) -> Job:
        """Queue a staged upload for indexing (returns the existing job when it is queued or running)."""
        with self._wake:
            up = self.upload(upload_id)
            if up.status != "staged":
                raise UsageError(f"{up.original_name} is already indexed as {up.duplicate_of}")
            for j in self._jobs:
                if j.upload_id == upload_id and j.state in ("queued", "running", "done"):
                    return j
            job = Job(uuid.uuid4().hex[:12], "add", up.name, up.id, "queued", created_at=_now())
            self._jobs.append(job)
            self._save()
            self._wake.notify_all()
            return job

    def remove(self, document_name: str) -> Job:
        """Queue the removal of an indexed document (by the name ``reportqa status`` shows)."""
        with self._wake:
            names = {n for _, n in current_sources(self.index_dir)}
            pending = {j.document for j in self._jobs if j.kind == "add" and j.state in ("queued", "running")}
            if document_name not in names and document_name not in pending:
                raise UsageError(f"the index holds no document named {document_name!r}; use a name from the list")
            for j in self._jobs:
                if j.kind == "remove" and j.document == document_name and j.state in ("queued", "running"):
                    return j
            job = Job(uuid.uuid4().hex[:12], "remove", document_name, None, "queued", created_at=_now())
            self._jobs.append(job)
            self._save()
            self._wake.notify_all()
            return job

    def retry(self, job_id: str) -> Job:
        """Queue a failed job again."""
        with self._wake:
            job = self.job(job_id)
            if job.state != "failed":
                raise UsageError(f"job {job_id} is {job.state}, not failed; only a failed job can be retried")
            job = self._set(job, state="queued", reason=None, attempts=0, progress=JobProgress(),
                            note="retried")  # fmt: skip
            self._wake.notify_all()
            return job

    def job(self, job_id: str) -> Job:
        with self._mutex:
            for j in self._jobs:
                if j.id == job_id:
                    return j
        raise UsageError(f"no job {job_id!r} in the library")

    @property
    def jobs(self) -> list[Job]:
        """Every job, oldest first."""
        with self._mutex:
            return list(self._jobs)

    def queue(self) -> list[Job]:
        """Jobs waiting or running, in the order they will run."""
        with self._mutex:
            return [j for j in self._jobs if j.state in ("running", "queued")]

    def documents(self) -> list[LibraryDocument]:
        """The indexed reports (from the index's document table)."""
        try:
            docs = store.read_documents(self.index_dir)
        except ReportQAError:
            return []
        with self._mutex:
            added = dict(self._added)
        return [
            LibraryDocument(d.name, d.title, d.region, d.year, d.bytes, d.paragraphs, d.chunks, added.get(d.name),
                            Path(d.path).parent.resolve() == self.folder.resolve(), d.sha256)
            for d in docs
        ]

    # -------------------------------------------------------------------------------------- worker

    def start(self) -> None:
        with self._mutex:
            if self._worker is None or not self._worker.is_alive():
                self._closed = False
                self._worker = threading.Thread(target=self._work, name="reportqa-library", daemon=True)
                self._worker.start()

    def close(self, kill: bool = False) -> None:
        """Stop the worker after the running job (``kill``: end the running build now; it is run again on the
        next start) and release the folder."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        if kill and self._process is not None:
            self._process.kill()
        if self._worker is not None:
            self._worker.join()
        with contextlib.suppress(OSError):
            os.close(self._lock_fd)
            self._lock_fd = -1

    def kill_running(self) -> None:
        """End the running build's child process now (tests of kill-safety; the job is marked failed)."""
        if self._process is not None:
            self._process.kill()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running; True when idle."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.queue():
            if end is not None and time.monotonic() > end:
                return False
            time.sleep(0.02)
        return True

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._closed and not any(j.state == "queued" for j in self._jobs):
                    self._wake.wait(1.0)
                if self._closed:
                    return
                job = next(j for j in self._jobs if j.state == "queued")
                job = self._set(job, state="running", started_at=_now(), attempts=job.attempts + 1, reason=None,
                                progress=JobProgress())  # fmt: skip
            try:
                self._run(job)
            except BaseException as e:  # a job must never take the worker down
                with self._mutex:
                    closing = self._closed
                current = self.job(job.id)
                if closing and isinstance(e, ReportQAError) and "ended with code" in str(e):
                    return  # killed at shutdown: the journal says running, the next start resumes it
                self._set(current, state="failed", finished_at=_now(), reason=_reason(e))

    def _files_now(self) -> list[tuple[Path, str]]:
        return current_sources(self.index_dir)

    def _embedder(self) -> str | Embedder | None:
        """What builds use: the given embedder, else the one that built the served index."""
        if self.embedder is not None:
            return self.embedder
        try:
            return store.read_manifest(self.index_dir.resolve()).embedder.id
        except ReportQAError:
            return None

    def _run(self, job: Job) -> None:
        t0 = time.monotonic()
        last = [0.0]
        samples: list[tuple[float, float]] = []

        def progress(done: float, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 0.2 and done < total:
                return
            last[0] = now
            elapsed = now - t0
            # time left from the recent rate: reused reports go by at once, the new one is embedded slowly
            samples.append((now, done))
            while len(samples) > 2 and now - samples[0][0] > 10.0:
                samples.pop(0)
            (t_a, d_a), rate = samples[0], 0.0
            if now > t_a and done > d_a:
                rate = (done - d_a) / (now - t_a)
            left = (total - done) / rate if rate > 0 else None
            self._set(self.job(job.id), notify=False, save=False,
                      progress=JobProgress(done, total, None, left, elapsed))  # fmt: skip

        if job.kind == "add":
            self._run_add(job, progress)
        else:
            self._run_remove(job, progress)

    def _run_add(self, job: Job, progress: Callable[[float, int], None]) -> None:
        up = self.upload(job.upload_id or "")
        staged = self._staged_path(up)
        final = self.folder / up.name
        if not staged.exists():
            raise SourceError(f"the upload {up.name} is gone from {staged.parent}; upload it again")
        if final.exists():
            raise SourceError(f"{final} exists already; remove that report first or rename the upload")
        files = [(p, n) for p, n in self._files_now() if n != up.name]
        _move(staged, final)
        try:
            outcome = self._runner(self.index_dir, [*files, (final, up.name)], self._embedder(), progress)
        except BaseException:
            _, indexed = _current_build(self.index_dir)
            if indexed.get(up.name) != up.sha256:  # the build did not land: put the file back
                _move(final, staged)
            raise
        with contextlib.suppress(OSError):
            (self.folder / INCOMING / up.id).rmdir()
        with self._mutex:
            self._added[up.name] = _now()
        self._set(self.job(job.id), state="done", finished_at=_now(), build_id=outcome.build_id,
                  progress=JobProgress(outcome.documents, outcome.documents, outcome.passages, 0.0,
                                       outcome.seconds))  # fmt: skip

    def _run_remove(self, job: Job, progress: Callable[[float, int], None]) -> None:
        files = self._files_now()
        if job.document not in {n for _, n in files}:
            raise UsageError(f"the index holds no document named {job.document!r} any more")
        keep = [(p, n) for p, n in files if n != job.document]
        if not keep:
            raise UsageError(f"{job.document} is the only report in the index; add another one first")
        source = dict((n, str(p)) for p, n in files)[job.document]
        self._set(self.job(job.id), notify=False, source=source)
        outcome = self._runner(self.index_dir, keep, self._embedder(), progress)
        moved = self._move_aside(job.document, files)
        with self._mutex:
            self._added.pop(job.document, None)
        self._set(self.job(job.id), state="done", finished_at=_now(), build_id=outcome.build_id, moved_to=moved,
                  progress=JobProgress(outcome.documents, outcome.documents, outcome.passages, 0.0,
                                       outcome.seconds))  # fmt: skip

    def _move_aside(self, name: str, files: Sequence[tuple[Path, str]] | None = None) -> str | None:
        source = dict((n, p) for p, n in files).get(name) if files is not None else None
        if source is None:
            source = self.folder / name
        if not source.exists():
            return None
        dst = removed_path(source)
        _move(source, dst)
        return str(dst)


def _reason(e: BaseException) -> str:
    if isinstance(e, ReportQAError):
        return str(e)
    if isinstance(e, OSError):
        return f"{e.strerror or e} ({getattr(e, 'filename', '') or ''}) — check the disk and retry"
    return f"{type(e).__name__}: {e} — this is a bug; retry, and report it if it happens again"
