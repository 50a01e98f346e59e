"""Moved to :mod:`reportqa.index.reading.sentences` (the build needs it); kept as an alias for old imports."""

from reportqa.index.reading.sentences import sentence_spans, split_sentences

__all__ = ["sentence_spans", "split_sentences"]
