"""index/figures/, a room of the index layer. Figures (targets and results) as data: extraction from paragraphs,
and its evaluation.
"""
