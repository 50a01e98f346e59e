"""reportqa.ui: the ``reportqa`` command line and the Gradio web chat.

The top layer. Importing this package is cheap: gradio is imported only by ``reportqa serve``.
"""
