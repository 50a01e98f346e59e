"""jieba's dictionary, loaded from reportqa's faster cache, gives exactly jieba's own segmentation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import jieba\n"
    "from reportqa.index.text.tokens import init_jieba, tokenize\n"
    "init_jieba()\n"
    "print(jieba.dt.total, len(jieba.dt.FREQ))\n"
    "print(tokenize('去年西藏城里人平均一年到手能有多少钱？预计地区生产总值超 2300 亿元'))\n"
)


def _run(cache: Path) -> str:
    env = {**os.environ, "REPORTQA_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_cache_is_written_reused_and_ignored_when_damaged(tmp_path: Path) -> None:
    first = _run(tmp_path)  # jieba's own loading, then the cache is written
    words = list(tmp_path.glob("*.words.txt"))
    freqs = list(tmp_path.glob("*.freq.npy"))
    assert len(words) == 1 and len(freqs) == 1 and not list(tmp_path.glob("*.tmp-*"))
    assert "2300亿元" in first and "去年" in first
    assert _run(tmp_path) == first  # from the cache
    words[0].write_text("只有\n两个", encoding="utf-8")  # damaged: lengths disagree → jieba's own loading
    assert _run(tmp_path) == first
    freqs[0].write_bytes(b"not numpy")
    assert _run(tmp_path) == first
