"""``python -m reportqa.ui`` is the ``reportqa`` command."""

import sys

from reportqa.ui.cli import main

sys.exit(main())
