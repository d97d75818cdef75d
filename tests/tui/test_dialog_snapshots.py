"""Snapshot tests of the dialogs over the training screen: the edit form, the open and save
dialogs, the preset picker and help. Each app starts paused from a fixed seed (see
test_snapshots.py); update the baselines with ``--snapshot-update`` and look at them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import SEED, pressing

FOLDER = Path("/tmp/backprop-tui-open-dialog")      # a fixed path: the dialog shows it


@pytest.fixture
def files_folder(monkeypatch):
    """The current folder is a fixed one holding a session, a preset and a CSV file."""
    shutil.rmtree(FOLDER, ignore_errors=True)
    (FOLDER / "runs").mkdir(parents=True)
    (FOLDER / "xor-epoch100.npz").write_bytes(b"")
    (FOLDER / "my-preset.toml").write_text("name = 'mine'\n")
    (FOLDER / "measurements.csv").write_text("x,y\n1,2\n")
    (FOLDER / "notes.txt").write_text("not openable\n")
    monkeypatch.chdir(FOLDER)
    yield FOLDER
    shutil.rmtree(FOLDER, ignore_errors=True)


def test_edit_form_120x40(snap_compare, make_app):
    """XOR after 100 epochs, e pressed: the edit form over the dimmed screen with the
    network's fields (hidden layer sizes 2, sigmoid, ...), training's (gd, learning rate 2, ...)
    and the data's, each with its hint, "No changes yet." and the Apply and Cancel buttons."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N", "e"))


def test_open_dialog_120x40(snap_compare, make_app, files_folder):
    """ctrl+o: the Open dialog with its hint, the path field and the tree of the current
    folder showing the folder runs, the .csv, .npz and .toml files (not notes.txt)."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("ctrl+o"))


def test_save_dialog_120x40(snap_compare, make_app):
    """XOR after 100 epochs, s pressed: the Save session dialog with its hint and the
    suggested name xor-epoch100.npz in the path field."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N", "s"))


def test_preset_picker_120x40(snap_compare, make_app):
    """p: the preset picker listing the built-in presets with their titles and first
    sentences, XOR (the current one) highlighted."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("p"))


def test_help_120x40(snap_compare, make_app):
    """?: help over the training screen, every key with what it does and what each panel
    shows."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("question_mark"))
