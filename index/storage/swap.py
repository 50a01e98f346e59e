"""Locking, the atomic swap and fsync: how a build becomes the index readers see, all or nothing.

``--index-dir`` is a symlink to a versioned sibling directory (``.index.<build-id>``). A build takes
:func:`build_lock`, writes into :func:`new_build_dir`, fsyncs its files, and :func:`swap_in` replaces the
symlink with one ``rename``: readers see the old build or the new one, never a mixture. :func:`clean_stale_builds`
removes what a crashed build left behind (and puts back a plain index directory moved aside mid-swap).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from reportqa.index.errors import BuildLockedError


def try_flock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another process holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        if e.errno not in (errno.EAGAIN, errno.EACCES):
            raise
        return False
    return True


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Exclusive lock for builds into ``index_dir``; a second build refuses instead of interleaving."""
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    lock_path = parent / f".{index_dir.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not try_flock(fd):
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise BuildLockedError(
                f"another build is writing {index_dir} (pid {holder}); wait for it to finish and run the "
                "command again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def clean_stale_builds(index_dir: Path) -> list[Path]:
    """Remove half-written build directories left by a crashed or interrupted build (call under the lock)."""
    removed: list[Path] = []
    parent = index_dir.parent
    if not parent.exists():
        return removed
    for p in parent.glob(f".{index_dir.name}.tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    # A build killed inside swap_in can leave a renamed build that never became current, a temporary
    # symlink, or (plain-directory layout) the old index moved aside with nothing in its place: put that
    # one back, remove the rest. Only names with this index's exact build-id pattern are touched.
    own = re.compile(rf"\.{re.escape(index_dir.name)}\.(tmp-|link-|old-)?\d{{8}}T\d{{6}}-[0-9a-f]{{8}}")
    current = os.path.realpath(index_dir) if os.path.lexists(index_dir) else None
    for p in sorted(parent.iterdir(), reverse=True):
        m = own.fullmatch(p.name)
        if m is None or m.group(1) == "tmp-" or os.path.realpath(p) == current:
            continue
        if m.group(1) == "old-" and not os.path.lexists(index_dir):
            os.rename(p, index_dir)
            current = os.path.realpath(index_dir)
            continue
        if p.is_symlink():
            p.unlink()
        else:
            shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed




def new_build_dir(index_dir: Path) -> Path:
    """A fresh temporary directory next to ``index_dir`` (same filesystem, so the swap is a rename)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{build_id}"
    tmp.mkdir()
    return tmp


def fsync_dir(path: Path) -> None:
    """Make a rename or new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(tmp: Path, index_dir: Path) -> Path:
    """Atomically make ``index_dir`` point at the completed build in ``tmp``; returns the final directory.

    The previous build stays on disk until the swap has happened, then is removed.
    """
    build_id = tmp.name.split(".tmp-", 1)[1]
    final = index_dir.parent / f".{index_dir.name}.{build_id}"
    os.rename(tmp, final)
    previous: Path | None = None
    moved_aside = False
    link_tmp = index_dir.parent / f".{index_dir.name}.link-{build_id}"
    try:
        if index_dir.is_symlink():
            previous = index_dir.parent / os.readlink(index_dir)
        elif index_dir.exists():
            # A plain directory (made by hand or an older layout): move it aside so the symlink can replace it.
            previous = index_dir.parent / f".{index_dir.name}.old-{build_id}"
            os.rename(index_dir, previous)
            moved_aside = True
        os.symlink(final.name, link_tmp)
        os.replace(link_tmp, index_dir)
    except BaseException:
        # The swap did not happen (disk full, interrupted): leave everything as it was before the build.
        with contextlib.suppress(OSError):
            os.unlink(link_tmp)
        if moved_aside and previous is not None and not os.path.lexists(index_dir):
            with contextlib.suppress(OSError):
                os.rename(previous, index_dir)
        if os.path.realpath(index_dir) != os.path.realpath(final):
            shutil.rmtree(final, ignore_errors=True)
        raise
    fsync_dir(index_dir.parent)
    if previous is not None and previous.resolve() != final.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    return final
