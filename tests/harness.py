"""Start a real ``reportqa serve`` and a real Chromium, for the end-to-end tests, `docs/screenshots.py` and
`bench/soak.py` (test-only: not part of the installed package).

Nothing here runs in the server itself. Playwright is imported only by :func:`launch_chromium`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FRONT_LINES = 12
"""Lines kept from the top of a report in a figure excerpt (title, dateline, speaker)."""

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
XSS_DOCUMENT = """网页安全测试说明

本文件用于检验网页是否把文档内容当作数据来显示。测试脚本标记<script>window.__xss=1</script>应当原样显示为文字，不能被执行。

图片标记<img src=x onerror="window.__xss=2">在网页上也只能显示为文字，不能触发任何脚本。

链接写法[点我](javascript:window.__xss=3)同样只是普通文字，点击后不会运行脚本。
"""
XSS_QUESTION = "网页安全测试中的脚本标记应当如何显示？"

SEED_QUESTIONS = (
    "2024年地区生产总值预期增长多少？",
    "这份报告是谁作的？",
    "How many border trade points were approved to reopen?",
    "孩子上学今年有什么新举措？",
    "西藏今年的最低工资标准是多少？",
    "飞地种粮的首批新米入藏上市了吗",
    "2023年新增多少家国家农民合作社示范社？",
    "城镇居民收入增长多少？",
    "清洁能源装机容量是多少？",
    "边境小康村建设",
    "What is the target for fixed-asset investment growth?",
    "生态保护 ecological protection 🌄",
    "旅游接待人次",
    "粮食产量",
    "乡村振兴有什么安排？",
)
"""A mix of the four kinds of questions about the seed (and odd ones: no question mark, emoji, mixed
scripts), shared by the load test, the concurrency test and the soak."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_reportqa(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real command line (``python -m reportqa.ui``) in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "reportqa.ui", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd,
    )  # fmt: skip


def build_demo_index(workdir: Path, seed: Path, with_xss: bool = True) -> Path:
    """Index the seed (plus a document full of HTML/Markdown injection) with the real embedder."""
    src = workdir / "docs"
    src.mkdir(parents=True, exist_ok=True)
    (src / seed.name).write_bytes(seed.read_bytes())
    if with_xss:
        (src / "xss-note.txt").write_text(XSS_DOCUMENT, encoding="utf-8")
    index_dir = workdir / "index"
    proc = run_reportqa("build", str(src), "--index-dir", str(index_dir), "--quiet")
    if proc.returncode != 0:
        raise RuntimeError(f"reportqa build failed ({proc.returncode}): {proc.stderr.strip()}")
    return index_dir


def figure_excerpts(sources: Sequence[Path], dest: Path, indicators: Sequence[str] = ("gdp_growth",)) -> list[Path]:
    """Short copies of reports for fast figure demos and tests: each keeps its front matter (title, dateline),
    its headings (they say which part is review and which plan) and the paragraphs that state figures of
    ``indicators`` (found by the figure reader the build uses, never by line numbers)."""
    from reportqa.index.figures.extract import extract_figures
    from reportqa.index.reading.paragraphs import reconstruct
    from reportqa.index.reading.readers import read_source

    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for src in sources:
        source = read_source(src)
        paragraphs = reconstruct(source)
        wanted = {(f.citation.paragraph) for f in extract_figures(paragraphs) if f.indicator in indicators}
        keep: set[int] = set(range(1, FRONT_LINES + 1))
        for p in paragraphs:
            if p.heading or p.n in wanted:
                keep.update(range(p.lines[0], p.lines[1] + 1))
        lines = source.text.split("\n")
        path = dest / src.name
        path.write_text("\n".join(lines[i - 1] for i in sorted(keep) if i <= len(lines)) + "\n", encoding="utf-8")
        out.append(path)
    return out


def build_index_of(src: Path, index_dir: Path, timeout: float = 600) -> Path:
    """``reportqa build SRC --index-dir INDEX_DIR`` with the real embedder, through the CLI."""
    proc = run_reportqa("build", str(src), "--index-dir", str(index_dir), "--quiet", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"reportqa build failed ({proc.returncode}): {proc.stderr.strip()}")
    return index_dir


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    index_dir: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (its own process group)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serve_subprocess(index_dir: Path, log: Path, *extra: str, timeout: float = 180) -> Iterator[Server]:
    """``reportqa serve --index-dir … --port FREE`` on loopback; always stopped on exit."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "reportqa.ui", "serve", "--index-dir", str(index_dir), "--port", str(port), *extra],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log, Path(index_dir))
    try:
        try:
            wait_http(server.url + "/", timeout, process)
        except (RuntimeError, TimeoutError) as e:
            raise RuntimeError(f"{e}\n--- server output ---\n{server.output()}") from e
        yield server
    finally:
        stop(process)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright (Playwright's own browser download cannot work offline)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
