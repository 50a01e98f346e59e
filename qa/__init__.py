"""reportqa.qa: retrieval, answer sentences, abstention and evaluation over a built index.

Imports from ``reportqa.index`` only, never from ``reportqa.ui``.
"""
