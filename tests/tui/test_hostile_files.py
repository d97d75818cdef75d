"""The app opens every class of hostile file (``tests/hostile_files.py``) without a traceback:
from the command line, one ``error:`` line and exit 2 (in a child process under a memory
limit); from ``ctrl+o``, one error notification, the session kept at its epoch. Files that
are simply wrong (truncated, ragged, invalid, of another kind) fare the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import file_flows
from tui.screens.open_file import TargetScreen

from ..hostile_files import (
    HOSTILE,
    MAX_RSS_MB,
    REACHING_OUT,
    TIMEOUT,
    run_limited,
    served_folder,
)
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


GROUPS = 4
"""The hostile files are opened with ctrl+o in this many groups, each on an app of its own
(one app for them all was the suite's longest test)."""


@pytest.mark.parametrize("group", range(GROUPS), ids=lambda g: f"group{g + 1}")
async def test_ctrl_o_on_each_hostile_file_notifies_once_and_keeps_the_session(make_app,
                                                                               tmp_path, group):
    opened = []
    for hostile in HOSTILE[group::GROUPS]:
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
    good = make_app("circle").session.files.save(tmp_path / "good.npz")
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


# --- a served tab's folder ---------------------------------------------------------------

def tree_names(tree) -> set[str]:
    """The names the open dialog's tree lists at its top level."""
    return {node.data.path.name for node in tree.root.children}


async def test_a_served_tab_reaches_nothing_outside_its_folder(tmp_path):
    """In an app kept to a folder: opening a preset or session that names a CSV file outside,
    or a preset that is a link out, is one error and the session stays; the picker lists
    only the folder's preset whose data are inside; the ctrl+o tree neither lists nor
    expands a link out; the save dialog answers the same for an outside folder that exists
    and a path that does not."""
    from textual.widgets import Input, Label

    from core.session import Session
    from tui.app import BackpropApp
    from tui.screens.open_file import FileTree, OpenFileScreen
    from tui.screens.preset_picker import PresetPicker
    from tui.screens.save_session import PathScreen

    root = served_folder(tmp_path)
    app = BackpropApp(Session("xor", seed=3), files_root=root)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            notes = record_notes(app)
            for name in REACHING_OUT:
                await file_flows.open_path(training(app), str(root / name))
                await settle(pilot)
                message, severity = notes[-1]
                assert severity == "error" and "outside the folder" in message, (name, message)
                assert app.session.snapshot().preset_name == "xor", name

            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, PresetPicker)
            listed = {preset.name for preset in app.screen.presets}
            assert "good" in listed and "xor" in listed
            assert not listed & {"dotdot", "absent", "absolute", "via-link", "out"}
            await pilot.press("escape")

            await pilot.press("ctrl+o")
            await settle(pilot)
            assert isinstance(app.screen, OpenFileScreen)
            tree = app.screen.query_one(FileTree)
            for _ in range(200):        # the tree lists the folder in a thread of its own
                if tree.root.children:
                    break
                await pilot.pause(0.05)
            names = tree_names(tree)
            assert {"good.toml", "dotdot.toml", "outside-data.npz"} <= names
            assert not names & {"linked.toml", "link.csv", "elsewhere"}
            await pilot.press("escape")

            await pilot.press("s")
            await pilot.pause()
            answers = []
            for typed in (tmp_path / "outside", tmp_path / "nothing-here"):
                assert isinstance(app.screen, PathScreen)
                app.screen.query_one(Input).value = str(typed)
                await pilot.press("enter")
                await pilot.pause()
                answers.append(str(app.screen.query_one("#path-error", Label).render())
                               .replace(str(typed), "PATH"))
            assert answers[0] == answers[1] and "outside the folder" in answers[0]
    finally:
        app.close_session()
