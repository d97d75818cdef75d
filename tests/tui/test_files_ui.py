"""Pilot tests of the files: save (``s``) and open (``ctrl+o``) round trips, the exports in
the command palette read back, a CSV file made into a preset and overwriting only when
asked (bad files: test_hostile_files.py).

Keys are pressed only on a paused session (see test_app.py).
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input

import tui.__main__ as cli
from core.presets.schema import load_preset
from tui import file_flows
from tui.app import BackpropApp
from tui.screens.open_file import FileTree, OpenFileScreen, TargetScreen, openable
from tui.screens.save_session import ConfirmScreen, PathScreen, default_session_name

from .conftest import record_notes, run_from_palette, settle, status_text, training
from .test_cli import run_cli


def parameters(snapshot):
    return [a.copy() for a in snapshot.weights + snapshot.biases]


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


async def answer_path(pilot, path: Path | str | None = None) -> None:
    """In the path dialog: type ``path`` (or keep the default) and press enter."""
    screen = pilot.app.screen
    assert isinstance(screen, PathScreen)
    if path is not None:
        screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def open_path(pilot, path: Path) -> None:
    """ctrl+o, type ``path`` above the tree, enter."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OpenFileScreen)
    field = screen.query_one("#open-path", Input)
    field.focus()
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


# --- saving and opening ------------------------------------------------------------------

def test_the_default_name_is_preset_and_epoch():
    assert default_session_name("xor", 120) == "xor-epoch120.npz"
    assert default_session_name("my data/1", 0) == "my-data-1-epoch0.npz"


async def test_s_saves_with_the_default_name_in_the_current_folder(make_app, tmp_path,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        notes = record_notes(app)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "xor-epoch100.npz"
        await answer_path(pilot)
        assert (tmp_path / "xor-epoch100.npz").is_file()
        assert notes and "xor-epoch100.npz" in notes[-1][0] and notes[-1][1] == "information"


async def test_save_and_open_round_trip_resumes_at_the_same_epoch_and_weights(make_app,
                                                                               tmp_path):
    app = make_app("spiral", batch_size=64)
    path = tmp_path / "spiral.npz"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N", "b")
        await settle(pilot)
        saved = app.session.snapshot()
        assert (saved.epoch, saved.batch) == (100, 1)
        await pilot.press("s")
        await answer_path(pilot, path)
        await pilot.press("N")
        await settle(pilot)
        assert app.session.snapshot().epoch == 200
        await pilot.press("p", "escape")                # something else in between
        file_flows.load_preset(training(app), "xor")
        await settle(pilot)
        notes = record_notes(app)
        await open_path(pilot, path)
        opened = app.session.snapshot()
        assert (opened.preset_name, opened.epoch, opened.batch) == ("spiral", 100, 1)
        assert same(parameters(opened), parameters(saved))
        assert np.array_equal(opened.history_loss, saved.history_loss)
        assert app.session.snapshot().epoch == 100 and "epoch 100 " in status_text(app)
        assert app.session.snapshot().learning_rate == saved.learning_rate
        assert app.session.snapshot().optimizer == saved.optimizer
        assert "epoch 100" in notes[-1][0]
        await pilot.press("n")                          # and training goes on from there
        await settle(pilot)
        assert app.session.snapshot().epoch == 101


def test_the_picker_lists_the_files_the_app_opens(tmp_path):
    for name in ("a.npz", "b.toml", "c.csv", "d.txt", ".hidden.npz"):
        (tmp_path / name).write_text("")
    (tmp_path / "folder").mkdir()
    listed = sorted(p.name for p in openable(tmp_path.iterdir()))
    assert listed == ["a.npz", "b.toml", "c.csv", "folder"]


async def test_a_file_picked_in_the_tree_opens(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        app.session.files.save(tmp_path / "xor-100.npz")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        tree = app.screen.query_one(FileTree)
        for _ in range(50):
            if tree.root.children:
                break
            await pilot.pause(0.05)
        names = [str(node.label) for node in tree.root.children]
        assert names == ["xor-100.npz"]
        tree.move_cursor(tree.root.children[0])
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, OpenFileScreen)
        assert app.session.snapshot().epoch == 100


async def test_an_existing_file_is_overwritten_only_when_asked(make_app, tmp_path):
    app = make_app("xor")
    path = tmp_path / "s.npz"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await answer_path(pilot, path)
        first = path.read_bytes()
        await pilot.press("N")
        await settle(pilot)
        await pilot.press("s")
        await answer_path(pilot, path)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                         # no: back to the name, then cancel
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one(Input).value == str(path)
        await pilot.press("escape")
        await pilot.pause()
        assert path.read_bytes() == first
        await pilot.press("s")
        await answer_path(pilot, path)
        await pilot.press("y")
        await settle(pilot)
        assert path.read_bytes() != first
        assert app.session.snapshot().epoch == 100
        await pilot.press("N")
        await settle(pilot)
        await open_path(pilot, path)
        assert app.session.snapshot().epoch == 100


async def test_save_refuses_an_empty_name_and_a_folder_inline(make_app, tmp_path):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await answer_path(pilot, "")
        assert isinstance(app.screen, PathScreen)
        assert "file name" in str(app.screen.query_one("#path-error").render())
        await answer_path(pilot, tmp_path)
        assert "is a folder" in str(app.screen.query_one("#path-error").render())
        await pilot.press("escape")


@pytest.mark.parametrize("typed, reason", [
    ("x" * 300 + ".npz", "cannot be used"), ("~no-such-user-here/x.npz", "No home folder"),
], ids=["name too long", "unknown user"])
async def test_a_path_the_system_cannot_use_is_refused_inline(make_app, typed, reason):
    """A name too long for the system or an unknown ~user: the save and open dialogs say so
    under the path and stay; the session goes on."""
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("s")
        await answer_path(pilot, typed)
        assert isinstance(app.screen, PathScreen)
        assert reason in str(app.screen.query_one("#path-error").render())
        await pilot.press("escape", "ctrl+o")
        await pilot.pause()
        field = app.screen.query_one("#open-path", Input)
        field.focus()
        field.value = typed
        await pilot.press("enter")
        await pilot.pause()                      # (settle would wait for the tree's loader)
        assert isinstance(app.screen, OpenFileScreen)
        assert reason in str(app.screen.query_one("#open-error").render())
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 2


# --- exports -----------------------------------------------------------------------------

async def test_each_export_reads_back(make_app, tmp_path):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.editing.edit(test_fraction=0.25)
        app.controller.set_learning_rate(0.3)
        await pilot.press("N")
        await settle(pilot)
        snapshot = app.session.snapshot()
        notes = record_notes(app)

        await run_from_palette(pilot, "Export preset")
        assert app.screen.query_one(Input).value == "circle-preset.toml"
        await answer_path(pilot, tmp_path / "tuned.toml")
        preset = load_preset(tmp_path / "tuned.toml")
        assert preset.learning_rate == 0.3 and preset.test_fraction == 0.25
        assert preset.layers == snapshot.sizes

        await run_from_palette(pilot, "Export loss history")
        await answer_path(pilot, tmp_path / "loss.csv")
        rows = list(csv.DictReader((tmp_path / "loss.csv").open()))
        assert [int(r["epoch"]) for r in rows] == snapshot.history_epochs.astype(int).tolist()
        assert [float(r["loss"]) for r in rows] == snapshot.history_loss.tolist()
        assert any(r["test_loss"] for r in rows)

        await run_from_palette(pilot, "Export data")
        await answer_path(pilot, tmp_path / "data.csv")
        rows = list(csv.reader((tmp_path / "data.csv").open()))
        assert rows[0] == [*snapshot.input_names, *snapshot.target_names, "split"]
        assert len(rows) - 1 == len(snapshot.X_train) + len(snapshot.X_test)
        assert np.array_equal(np.array([[float(v) for v in r[:2]] for r in rows[1:]]),
                              np.vstack([snapshot.X_train, snapshot.X_test]))

        await run_from_palette(pilot, "Export weights")
        assert app.screen.query_one(Input).value == "circle-weights-epoch100.json"
        await answer_path(pilot, tmp_path / "w.json")
        document = json.loads((tmp_path / "w.json").read_text())
        assert document["sizes"] == list(snapshot.sizes)
        for stored, live in zip(document["weights"], snapshot.weights):
            assert np.array_equal(np.array(stored), live)

        assert [severity for _, severity in notes] == ["information"] * 4
        assert app.session.snapshot().epoch == 100


async def test_an_export_that_cannot_be_written_gives_one_message(make_app, tmp_path):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        training(app).action_file_flow("export", "data")
        await pilot.pause()
        await answer_path(pilot, tmp_path / "no" / "such" / "data.csv")
        assert len(notes) == 1 and notes[0][1] == "error" and "no folder" in notes[0][0]


# --- your own CSV ------------------------------------------------------------------------

async def test_a_csv_file_becomes_a_preset_beside_it_and_loads(make_app, tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "flowers.csv"
    rows = [[f"{a:.2f}", f"{b:.2f}", "big" if a + b > 1 else "small"]
            for a, b in rng.random((60, 2))]
    path.write_text("petal,sepal,kind\n" + "\n".join(",".join(r) for r in rows) + "\n")
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_path(pilot, path)
        screen = app.screen
        assert isinstance(screen, TargetScreen)
        assert screen.query_one("#target-list").selected == ["kind"]   # the last column
        await pilot.press("enter")
        await settle(pilot)
        toml = tmp_path / "flowers.toml"
        assert toml.is_file() and tomllib.loads(toml.read_text())["name"] == "flowers"
        snapshot = app.session.snapshot()
        assert snapshot.preset_name == "flowers" and snapshot.sizes[0] == 2
        assert snapshot.task == "classification" and snapshot.epoch == 0
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 1

        await open_path(pilot, path)                    # again: the .toml exists -> ask
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n", "escape")                # another name? none after all
        await settle(pilot)
        assert app.session.snapshot().epoch == 1       # nothing replaced, nothing loaded


async def test_the_target_chooser_needs_a_target_and_an_input(make_app, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,0\n2,1\n3,0\n4,1\n")
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_path(pilot, path)
        screen = app.screen
        await pilot.press("space")                       # unmark b: no target
        await pilot.press("enter")
        assert app.screen is screen
        assert "at least one target" in str(screen.query_one("#target-error").render())
        await pilot.press("space", "up", "space", "enter")   # both: no input left
        assert app.screen is screen
        assert "input" in str(screen.query_one("#target-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.session.snapshot().preset_name == "xor"


# --- the command line --------------------------------------------------------------------

def test_python_m_tui_opens_a_saved_session(tmp_path, monkeypatch):
    from core.session.session import Session

    with Session("spiral") as session:
        session.step(12)
        saved = session.snapshot()
        path = session.files.save(tmp_path / "spiral.npz")
    seen = {}

    def run(app: BackpropApp) -> None:
        seen["snapshot"] = app.session.snapshot()

    monkeypatch.setattr(BackpropApp, "run", run)
    assert cli.main([str(path), "--lr", "0.5"]) == 0
    opened = seen["snapshot"]
    assert (opened.preset_name, opened.epoch) == ("spiral", 12)
    assert same(parameters(opened), parameters(saved)) and opened.learning_rate == 0.5


@pytest.mark.parametrize("args, reason", [
    (["missing.npz"], "no such file"), (["missing.npz", "--seed", "1"], "--seed"),
])
def test_a_bad_session_file_on_the_command_line_is_one_error_line(args, reason):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0]


async def test_the_keys_are_in_help_and_the_exports_in_the_palette(make_app):
    from tui.controls import CONTROLS
    from tui.screens.help import help_markdown

    keys = {c.display: c for c in CONTROLS}
    assert {"e", "s", "ctrl+o"} <= set(keys)
    text = help_markdown([(c.display, c.help) for c in CONTROLS])
    assert "`ctrl+o`" in text and "`e`" in text and "`s`" in text
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Edit experiment (e)", "Save session (s)", "Open a file (ctrl+o)",
                       "Export preset (.toml)", "Export loss history (.csv)",
                       "Export data (.csv)", "Export weights (.json)"):
            assert wanted in titles
        await pilot.press("question_mark")
        await pilot.press("s", "e", "ctrl+o")          # file keys wait while help is open
        await pilot.pause()
        from tui.screens.help import HelpScreen
        assert isinstance(app.screen, HelpScreen)
