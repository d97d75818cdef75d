"""Where the learner's progress (``core.progress``) is kept: one JSON file in the user's
data folder (``$XDG_DATA_HOME/backprop-tui`` on Linux, by ``platformdirs``; the environment
variable ``BACKPROP_TUI_DATA`` names another folder), or, for a served browser tab, in memory
for as long as the tab lives."""

from __future__ import annotations

import os
from pathlib import Path

from core.progress import Progress

APP_NAME = "backprop-tui"
DATA_VARIABLE = "BACKPROP_TUI_DATA"
FILE_NAME = "progress.json"


def progress_file() -> Path:
    """The learner's progress file (it may not exist yet)."""
    folder = os.environ.get(DATA_VARIABLE)
    if not folder:
        from platformdirs import user_data_dir

        folder = user_data_dir(APP_NAME, appauthor=False)
    return Path(folder).expanduser() / FILE_NAME


def progress_store(served: bool) -> Progress:
    """The learner's progress: read from and saved to ``progress_file()``, or for a served
    tab (``served``) kept in memory only, so the server's disk holds none of it."""
    return Progress(None if served else progress_file())
