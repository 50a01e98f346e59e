"""Test-only pause points: a test stops a build at a named point instead of racing it with sleeps.

``REPORTQA_TEST_PAUSE=NAME[@N]:PATH`` — the ``N``-th time (default the first) the process reaches the point
``NAME``, it creates ``PATH.reached`` and waits there until ``PATH`` exists. A test waits for
``PATH.reached``, does what it must while the build is held at that exact point (interrupt it, kill it,
start a second build), and creates ``PATH`` to let it go on. Unset — always, outside tests — a point costs
one environment lookup.

Points: ``embedded-batch`` (:mod:`.build`, after a batch of new vectors is in the vector cache and the
progress bar has moved).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

ENV = "REPORTQA_TEST_PAUSE"
POLL_SECONDS = 0.01

_reached: dict[str, int] = {}
_lock = threading.Lock()


def _parse(spec: str) -> tuple[str, int, Path] | None:
    """``(name, n, release path)`` of a ``NAME[@N]:PATH`` spec; ``None`` when it is not one."""
    point, sep, path = spec.partition(":")
    if not sep or not path:
        return None
    name, _, count = point.partition("@")
    return name, int(count) if count.isdigit() else 1, Path(path)


def pause_point(name: str) -> None:
    """Hold here when ``REPORTQA_TEST_PAUSE`` names this point (see the module's docstring)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    parsed = _parse(spec)
    if parsed is None or parsed[0] != name:
        return
    _, n, release = parsed
    with _lock:
        _reached[name] = _reached.get(name, 0) + 1
        if _reached[name] != n:
            return
    Path(f"{release}.reached").touch()
    while not release.exists():
        time.sleep(POLL_SECONDS)
