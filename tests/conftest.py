"""Every test keeps the learner's progress in a folder of its own, never the user's."""

from __future__ import annotations

import pytest

from tui.answers import DATA_VARIABLE


@pytest.fixture(autouse=True)
def progress_folder(tmp_path_factory, monkeypatch):
    """The data folder ``python -m tui`` keeps progress in, for this test only."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_VARIABLE, str(folder))
    return folder
