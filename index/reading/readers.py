"""Find source files and decode them to :class:`~reportqa.index.records.SourceText`.

* :func:`discover` turns the files and folders a user named into ``(path, display name)`` pairs.
* :func:`read_source` decodes one file (plain text with encoding detection, Markdown, HTML, DOCX, PDF) or
  raises :class:`~reportqa.index.errors.UnreadableSourceError` with a one-line message that names the file,
  says why, and what to do.
* :func:`read_sources` does both and turns unreadable files into :class:`SkippedSource` entries.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from reportqa.index.errors import SourceError, UnreadableSourceError
from reportqa.index.records import SkippedSource, SourceText

from .formats import ReadText, Unreadable, decode_text, docx_to_text, html_to_text, image_read, pdf_read
from .ocr import PageReader

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
"""Page images, read by OCR (:mod:`.ocr`)."""
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm", *IMAGE_SUFFIXES)

_FORMATS: dict[str, str] = {
    ".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html",
    **{suffix: "image" for suffix in IMAGE_SUFFIXES},
}
_EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "docx": docx_to_text, "html": html_to_text,
}
_OCR_READERS: dict[str, Callable[[bytes, PageReader | None], ReadText]] = {
    "pdf": pdf_read, "image": image_read,
}


def _unsupported(path: Path) -> str:
    suffix = path.suffix or "(no extension)"
    return (f"{path} is not a supported file type ({suffix}) — convert it to one of "
            f"{', '.join(SUPPORTED_SUFFIXES)} or leave it out")


def read_source(path: Path, name: str | None = None, ocr: PageReader | None = None) -> SourceText:
    """Decode one file. ``name`` is its display name (default: the file name). Scanned pages and page
    images are recognised by ``ocr`` (default: the shared engine with the user's page cache)."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableSourceError(_unsupported(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableSourceError(f"{path} was not found (moved or deleted?) — check the path") from None
    except IsADirectoryError:
        raise UnreadableSourceError(f"{path} is a folder, not a file — name the folder as a source "
                                    "to index the files in it") from None
    except OSError as e:
        raise UnreadableSourceError(f"{path} cannot be read ({e.strerror or e}) — check that it is a "
                                    "readable file") from None
    confidence: tuple[float, ...] = ()
    try:
        if fmt in _OCR_READERS:
            read = _OCR_READERS[fmt](raw, ocr)
            text, encoding, confidence = read.text, fmt, read.confidence
        elif fmt in _EXTRACTORS:
            text, encoding = _EXTRACTORS[fmt](raw), fmt
        else:
            text, encoding = decode_text(raw)
    except Unreadable as e:
        raise UnreadableSourceError(f"{path} {e.reason} — {e.hint}") from None
    return SourceText(
        path=str(path.absolute()),
        name=name if name is not None else path.name,
        text=text.removeprefix("\ufeff").replace("\x00", ""),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        format=fmt,
        confidence=confidence,
    )


def _hidden(name: str) -> bool:
    """Dot-files and -folders (.git, .reportqa) and Office lock files (~$report.docx)."""
    return name.startswith((".", "~$"))


def _walk(root: Path, skipped: list[SkippedSource]) -> list[tuple[Path, str]]:
    """Supported files under ``root``, recursively, following symlinks but never entering a folder twice."""
    found: list[tuple[Path, str]] = []
    visited: set[str] = set()

    def visit(folder: Path, rel: tuple[str, ...]) -> None:
        real = os.path.realpath(folder)
        if real in visited:
            return
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            reason = f"cannot be listed ({e.strerror or e}) — check its permissions"
            skipped.append(SkippedSource(str(folder), reason))
            return
        for entry in entries:
            if _hidden(entry.name):
                continue
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()  # both follow symlinks
            except OSError:
                continue
            if is_dir:
                visit(Path(entry.path), (*rel, entry.name))
            elif is_file and Path(entry.name).suffix.lower() in _FORMATS:
                found.append((Path(entry.path), "/".join((*rel, entry.name))))
            # broken symlinks, sockets, FIFOs and unsupported suffixes are ignored silently

    visit(root, ())
    found.sort(key=lambda pair: pair[1].split("/"))
    return found


def discover(sources: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[SkippedSource]]:
    """Expand files and folders into ``(absolute path, display name)`` pairs.

    Sources keep the order given; the files of a folder come sorted by their path within it. A folder's
    files are named by their path relative to it (``sub/report.txt``), a file named directly by its file
    name. The same file reached twice (repeated argument, symlink, overlapping folders) is listed once.
    Raises :class:`SourceError` for a path that does not exist.
    """
    files: list[tuple[Path, str]] = []
    skipped: list[SkippedSource] = []
    seen: set[str] = set()
    for source in sources:
        path = Path(source).expanduser().absolute()
        if not path.exists():
            raise SourceError(f"{source} not found — check the path (a file or a folder of "
                              f"{', '.join(SUPPORTED_SUFFIXES)} files)")
        if path.is_dir():
            candidates = _walk(path, skipped)
        elif not path.is_file():
            skipped.append(SkippedSource(str(path), "is not a regular file — name a file or a folder"))
            continue
        elif path.suffix.lower() not in _FORMATS:
            skipped.append(SkippedSource(str(path), _unsupported(path).removeprefix(f"{path} ")))
            continue
        else:
            candidates = [(path, path.name)]
        for file, name in candidates:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                files.append((file, name))
    return files, skipped


def read_sources(sources: Sequence[Path]) -> tuple[list[SourceText], list[SkippedSource]]:
    """:func:`discover` the sources and :func:`read_source` each file. Files that cannot be used become
    :class:`SkippedSource` entries; their ``reason`` is the error message without the leading path (it is
    shown as ``f"{path}: {reason}"``). A missing *source argument* still raises :class:`SourceError`."""
    files, skipped = discover(sources)
    texts: list[SourceText] = []
    for path, name in files:
        try:
            texts.append(read_source(path, name))
        except UnreadableSourceError as e:
            skipped.append(SkippedSource(str(path), str(e).removeprefix(f"{path} ")))
        except OSError as e:  # defensive: read_source converts these, but a race must never abort a build
            skipped.append(SkippedSource(str(path), f"cannot be read ({e.strerror or e}) — check the file"))
    return texts, skipped
