"""reportqa.index: reading documents, rebuilding their paragraphs, chunking, embedding and the on-disk index.

The bottom layer: it imports nothing from ``reportqa.qa`` or ``reportqa.ui``.
"""
