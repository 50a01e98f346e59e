"""Embedders a library build child process can make (``Library(..., embedder_factory="tests.library_helpers:…")``)."""

from __future__ import annotations

from tests.conftest import FakeEmbedder


def fake() -> FakeEmbedder:
    return FakeEmbedder()
