"""The app opens every class of hostile file (``tests/hostile_files.py``) without a traceback:
from the command line, one ``error:`` line and exit 2 (in a child process under a memory
limit); from ``ctrl+o``, one error notification, the session kept at its epoch. Files that
are simply wrong (truncated, ragged, invalid, of another kind) fare the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import file_flows
from tui.screens.open_file import TargetScreen

from ..hostile_files import HOSTILE, MAX_RSS_MB, TIMEOUT, run_limited
from .conftest import record_notes, settle, training
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


# --- files that are simply wrong -------------------------------------------------------

def bad_files(tmp_path: Path, good_npz: Path) -> list[tuple[Path, str]]:
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good_npz.read_bytes()[:400])
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x1,x2,y\n0,0,0\n0,1\n1,1,0\n")
    toml = tmp_path / "broken.toml"
    toml.write_text('name = "broken"\n[data]\ngenerator = "circle"\n[model]\nlayers = [2, 0]\n')
    invalid = tmp_path / "invalid.toml"
    invalid.write_text("name = \n")
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    text_csv = tmp_path / "words.csv"
    text_csv.write_text("word,y\nhello,1\nworld,0\n")
    return [(truncated, "truncated or corrupted"), (ragged, "line 3: ragged row"),
            (toml, "[model].layers"), (invalid, "invalid TOML"), (empty, "empty file"),
            (other, "not a session"), (tmp_path / "gone.npz", "no such file")]


async def test_bad_files_give_one_message_and_keep_the_session(make_app, tmp_path):
    good = make_app("circle").session.save(tmp_path / "good.npz")
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        before = app.session.snapshot()
        for path, reason in bad_files(tmp_path, good):
            notes = record_notes(app)
            await file_flows.open_path(training(app), str(path))   # as the picker hands it over
            await settle(pilot)
            assert len(notes) == 1, (path, notes)
            message, severity = notes[0]
            assert severity == "error" and reason in message and path.name in message, message
            after = app.session.snapshot()
            assert (after.preset_name, after.epoch) == ("xor", 100)
            assert same(parameters(after), parameters(before))
            assert app.session.snapshot().epoch == 100
            assert not isinstance(app.screen, TargetScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 101


async def test_a_text_input_column_is_refused_after_choosing_targets(make_app, tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("word,x,y\nhello,1,1\nworld,2,0\nagain,3,1\n")
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await open_path(pilot, path)
        await pilot.press("enter")
        await settle(pilot)
        assert len(notes) == 1 and notes[0][1] == "error" and "word" in notes[0][0]
        assert app.session.snapshot().preset_name == "xor"
        assert not path.with_suffix(".toml").exists()
