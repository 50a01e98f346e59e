"""All errors reportqa raises on purpose.

Every message says what went wrong *and what to do next*; the CLI prints the message on one line and exits
with the class's ``exit_code``. Anything that is not a :class:`ReportQAError` is a bug.
"""

from __future__ import annotations


class ReportQAError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is the whole user-facing message."""

    exit_code: int = 1


class UsageError(ReportQAError):
    """Bad arguments: an unknown option value, an empty question, an unknown embedder spec."""

    exit_code = 2


class SourceError(ReportQAError):
    """A source path that does not exist, or a source set with nothing usable in it."""

    exit_code = 3


class IndexMissingError(ReportQAError):
    """No index at the given directory."""

    exit_code = 4


class IndexMismatchError(ReportQAError):
    """The index exists but cannot be used as is: built by another embedder, a newer schema, stale sources,
    or files that fail their checksums."""

    exit_code = 5


class EmbedderError(ReportQAError):
    """The embedding backend cannot be loaded or failed while embedding."""

    exit_code = 6


class BuildLockedError(ReportQAError):
    """Another build holds the lock on the index directory."""

    exit_code = 7


class StoreLockedError(BuildLockedError):
    """A local Milvus Lite database (``--store milvus:PATH.db``) is open in another process: Milvus Lite allows
    one process at a time. Same exit code as a held build lock."""


class StorageError(ReportQAError):
    """The file system refused a read or write of reportqa's own files (disk full, permission denied,
    read-only file system). The CLI also maps any unexpected ``OSError`` to this exit code."""

    exit_code = 8


class UnreadableSourceError(SourceError):
    """One file cannot be used (binary, undecodable, empty, encrypted, no text layer). A build skips it and
    lists it with this message; asked for directly (``reportqa paragraphs FILE``) it is an error."""


class UploadRefusedError(SourceError):
    """A file given to the library (:mod:`.library`) is not a usable report: over a limit, of another type
    than its name says, empty, garbled, or not text at all. Nothing was stored; the message says why."""


class UnknownDocumentError(UsageError):
    """A ``--doc`` filter (or the API's ``doc``) names no document of the index. A usage error on the command
    line; the web API answers it with 404."""
