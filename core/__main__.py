"""``python -m core``: the engine headless (list, show, train, check, bench)."""

import sys

from .cli import main

sys.exit(main())
