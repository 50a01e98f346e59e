"""index/reading/, a room of the index layer. Reading a document: readers and formats, page layout and furniture,
paragraph reconstruction, sections, chunking, sentences, notes, the document's own metadata and its overrides.
"""
