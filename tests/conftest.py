"""Every test keeps the learner's progress in a folder of its own, never the user's; the
suite runs on three workers a core."""

from __future__ import annotations

import os

import pytest

from tui.answers import DATA_VARIABLE


@pytest.fixture(autouse=True)
def progress_folder(tmp_path_factory, monkeypatch):
    """The data folder ``python -m tui`` keeps progress in, for this test only."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_VARIABLE, str(folder))
    return folder


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: three workers a core, since most app tests wait on the app, not the core
    (on 2 cores the suite took 5.6 minutes on 2 workers, 2.6 on 6)."""
    return 3 * (os.cpu_count() or 1)
