"""The app opens every class of hostile file (``tests/hostile_files.py``) without a traceback:
from the command line, one ``error:`` line and exit 2 (in a child process under a memory
limit); from ``ctrl+o``, one error notification, the session kept at its epoch."""

from __future__ import annotations

import pytest

from ..hostile_files import HOSTILE, MAX_RSS_MB, TIMEOUT, run_limited
from .conftest import record_notes, settle
from .test_files_ui import open_path, parameters, same

CSV_READ_ERRORS = ("csv-rows", "csv-bytes", "csv-columns", "csv-duplicate-header",
                   "csv-long-cell", "csv-fifo")
"""The cases whose CSV file itself is refused as it is read (opened with ctrl+o too)."""


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_python_m_tui_refuses_a_hostile_file_in_one_line(tmp_path, hostile):
    path = hostile.make(tmp_path)
    run = run_limited("tui", str(path), cwd=tmp_path)
    lines = run.err.strip().splitlines()
    assert run.code == 2 and "Traceback" not in run.err, run.err
    assert len(lines) == 1 and lines[0].startswith("error: ") and path.name in lines[0]
    assert all(word in lines[0] for word in hostile.words), lines[0]
    assert run.seconds < TIMEOUT and run.rss_mb < MAX_RSS_MB, (run.seconds, run.rss_mb)


async def test_ctrl_o_on_each_hostile_file_notifies_once_and_keeps_the_session(make_app,
                                                                               tmp_path):
    opened = []
    for hostile in HOSTILE:
        folder = tmp_path / hostile.id
        folder.mkdir()
        path = hostile.make(folder)
        opened.append((hostile, path))
        if hostile.id in CSV_READ_ERRORS:
            opened.append((hostile, folder / "cells.csv"))
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        before = app.session.snapshot()
        for hostile, path in opened:
            notes = record_notes(app)
            await open_path(pilot, path)
            assert len(notes) == 1, (hostile.id, path.name, notes)
            message, severity = notes[0]
            assert severity == "error" and path.name in message, (hostile.id, message)
            assert "\n" not in message and len(message) < 400, message
            after = app.session.snapshot()
            assert (after.preset_name, after.epoch) == ("xor", 100), hostile.id
            assert same(parameters(after), parameters(before)), hostile.id
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 101


async def test_a_title_with_escape_sequences_shows_clean(make_app, tmp_path):
    path = tmp_path / "loud.toml"
    path.write_text('title = "\\u001b[2J\\u001b]0;owned\\u0007Quiet [b]title[/b]"\n'
                    '[data]\ngenerator = "circle"\n[model]\nlayers = [2, 1]\n')
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await open_path(pilot, path)
        assert app.session.snapshot().preset_title == "Quiet [b]title[/b]"
        assert notes == [("loud.toml: Quiet [b]title[/b]", "information")]
