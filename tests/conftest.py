"""Every test keeps the learner's progress in a folder of its own, never the user's; the
suite runs on three workers a core, each collecting garbage less often than Python would."""

from __future__ import annotations

import gc
import os

import pytest

from tui.answers import DATA_VARIABLE


@pytest.fixture(autouse=True)
def progress_folder(tmp_path_factory, monkeypatch):
    """The data folder ``python -m tui`` keeps progress in, for this test only."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_VARIABLE, str(folder))
    return folder


def pytest_configure(config) -> None:
    """Collect garbage seldom: a worker holds some 200,000 objects once the app is loaded
    (Textual, numpy, the app), and Python's default threshold (700 new objects) made it scan
    them all 60 times in 77 app tests, a fifth of their CPU time; at 10,000, a few times
    (the suite on 6 workers: 387 -> 343 s of CPU, 208 -> 184 s)."""
    gc.set_threshold(10_000, 10, 10)


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: three workers a core, since most app tests wait on the app, not the core
    (on 2 cores the suite took 5.6 minutes on 2 workers, 2.6 on 6)."""
    return 3 * (os.cpu_count() or 1)
