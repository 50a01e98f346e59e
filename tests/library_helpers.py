"""Embedders a library build child process can make (``Library(..., embedder_factory="tests.library_helpers:…")``)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import numpy as np
from reportqa.index.embedders import Kind

from tests.conftest import FakeEmbedder


def fake() -> FakeEmbedder:
    return FakeEmbedder()


class SlowFakeEmbedder(FakeEmbedder):
    """The fake embedder, slowed down (``REPORTQA_TEST_EMBED_DELAY`` seconds per call), so that a test can
    kill a build while it embeds."""

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        time.sleep(float(os.environ.get("REPORTQA_TEST_EMBED_DELAY", "0.2")))
        return super().embed(texts, kind)


def slow_fake() -> FakeEmbedder:
    return SlowFakeEmbedder()
