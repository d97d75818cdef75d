"""The dialog flows of the training screen: edit the experiment, save the session, export,
open a file (a session, a preset, or a CSV file whose target columns are asked for).

Each flow is one ``@work`` coroutine that asks with ``push_screen_wait`` and reports with a
notification; whatever fails, the current session stays. In a served app (``app.files_root``
set) every path opened or written must be inside that folder (``tui.confine``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from core.presets import PresetError
from core.session import SessionFileError, WouldOverwrite

from .confine import OutsideFolder, confine
from .screens.edit_experiment import EditExperimentScreen
from .screens.open_file import OpenFileScreen, TargetScreen
from .screens.save_session import ConfirmScreen, PathScreen, default_session_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from .screens.training import TrainingScreen

FAILURES = (PresetError, SessionFileError, OSError, ValueError)


def confined(screen: TrainingScreen, path: str) -> str | None:
    """``path`` as it is; in a served app, the path resolved inside its folder, or None (with
    a notification saying why) when it is outside."""
    root = getattr(screen.app, "files_root", None)
    if root is None:
        return path
    try:
        return str(confine(path, root))
    except OutsideFolder as error:
        screen.notify(str(error), title="Not allowed here", severity="error", timeout=8)
        return None


@work(group="dialog")
async def edit(screen: TrainingScreen) -> None:
    """The edit form over the experiment as it is now; its changes go to the session."""
    session = screen.session
    try:
        values = session.edit_values()
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="Cannot edit", severity="error", timeout=8)
        return
    epoch = screen.snapshot.epoch if screen.snapshot is not None else 0
    changes = await screen.app.push_screen_wait(
        EditExperimentScreen(values, session.edit_choices(), session.preview_edit, epoch))
    if changes:
        apply_edit(screen, changes)


def apply_edit(screen: TrainingScreen, changes: dict) -> None:
    """Give the session the form's changes; say whether the weights were reset."""
    try:
        new_weights = screen.session.edit(**changes)
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="Edit refused", severity="error", timeout=8)
        return
    if new_weights:
        screen.start_over()
        screen.notify("A new network: new weights, from epoch 0.", title="Experiment edited")
        return
    screen.follow_settings(now=not screen.busy)
    screen.notify("Settings changed; the weights stay.", title="Experiment edited")


def save(screen: TrainingScreen) -> None:
    """s: ask where to save the session (default ``<preset>-epoch<N>.npz``)."""
    snapshot = screen.session.snapshot()
    write_file(screen, "Save session",
               default_session_name(snapshot.preset_name, snapshot.epoch),
               "The whole session (weights, optimizer, history) as one .npz file; "
               "ctrl+o opens it again.", screen.session.save, "Saved the session to")


def export(screen: TrainingScreen, kind: str) -> None:
    """Ask where to write an export: "preset", "loss", "data" or "weights"."""
    session = screen.session
    snapshot = session.snapshot()
    name = snapshot.preset_name
    title, default, hint, write = {
        "preset": ("Export preset", f"{name}-preset.toml",
                   "The experiment with its current settings, to share or load with p.",
                   session.export_preset),
        "loss": ("Export loss history", f"{name}-loss.csv",
                 "One row per recorded epoch: epoch, loss, test_loss.",
                 session.export_loss_csv),
        "data": ("Export data", f"{name}-data.csv",
                 "One row per sample: inputs, targets and train or test.",
                 session.export_data_csv),
        "weights": ("Export weights", f"{name}-weights-epoch{snapshot.epoch}.json",
                    "Sizes, activations, loss, weights and biases.",
                    session.export_weights_json),
    }[kind]
    write_file(screen, title, default, hint, write, "Wrote")


@work(group="dialog")
async def write_file(screen: TrainingScreen, title: str, default: str, hint: str,
                     write: Callable[[str, bool], object], done: str) -> None:
    """Ask for a path, then ``write(path, overwrite)``; an existing file is replaced only
    when the user says so (else the path is asked again)."""
    app = screen.app
    path = default
    while True:
        path = await app.push_screen_wait(PathScreen(title, path, hint))
        if path is None:
            return
        target = confined(screen, path)
        if target is None:
            continue
        try:
            written = write(target, False)
        except WouldOverwrite:
            if not await app.push_screen_wait(ConfirmScreen(
                    f"{path} already exists. Overwrite it?", no="Another name")):
                continue
            try:
                written = write(target, True)
            except FAILURES as error:
                screen.notify(str(error), title=f"{title}: not written", severity="error",
                              timeout=8)
                return
        except FAILURES as error:
            screen.notify(str(error), title=f"{title}: not written", severity="error",
                          timeout=8)
            return
        screen.notify(f"{done} {written}", title=title)
        return


@work(group="dialog")
async def open_file(screen: TrainingScreen) -> None:
    """ctrl+o: open a session (.npz), load a preset (.toml) or make a preset for a CSV
    file."""
    root = getattr(screen.app, "files_root", None)
    path = await screen.app.push_screen_wait(OpenFileScreen(root, root=root))
    if path is not None:
        await open_path(screen, path)


async def open_path(screen: TrainingScreen, path: str) -> None:
    """Open ``path`` by its suffix; anything else, or a path outside a served app's folder,
    is refused."""
    path = confined(screen, path)
    if path is None:
        return
    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        open_session(screen, path)
    elif suffix == ".toml":
        load_preset(screen, Path(path))
    elif suffix == ".csv":
        await import_csv(screen, path)
    else:
        screen.notify(f"{path}: not a session (.npz), preset (.toml) or CSV file",
                      title="Not opened", severity="error", timeout=8)


def open_session(screen: TrainingScreen, path: str) -> None:
    """Resume the session saved in ``path``."""
    try:
        screen.session.resume(path)
    except (SessionFileError, PresetError, ValueError) as error:
        screen.notify(str(error), title="Session not opened", severity="error", timeout=8)
        return
    screen.start_over()
    snapshot = screen.snapshot
    screen.notify(f"{Path(path).name}: {snapshot.preset_title or snapshot.preset_name}, "
                  f"epoch {snapshot.epoch}", title="Session opened")


def load_preset(screen: TrainingScreen, preset) -> bool:
    """Load ``preset`` (a built-in's name, a ``.toml`` path or a ``Preset``); a file loaded
    is named in a notification. Returns whether it loaded."""
    try:
        screen.session.load(preset)
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="Preset not loaded", severity="error", timeout=8)
        return False
    screen.start_over()
    if isinstance(preset, Path):
        screen.notify(f"{preset.name}: {screen.snapshot.preset_title}", title="Preset loaded")
    return True


async def import_csv(screen: TrainingScreen, path: str) -> None:
    """Ask which columns of the CSV file ``path`` to learn, write its preset beside it
    (asking before replacing one) and load it."""
    session, app = screen.session, screen.app
    try:
        columns = session.csv_columns(path)
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="CSV not opened", severity="error", timeout=8)
        return
    targets = await app.push_screen_wait(TargetScreen(Path(path).name, columns))
    if not targets:
        return
    try:
        try:
            toml = session.write_preset_for_csv(path, targets, False)
        except WouldOverwrite as error:
            if not await app.push_screen_wait(ConfirmScreen(
                    f"{error.path} already exists. Replace it with a new preset for "
                    f"{Path(path).name}?")):
                return
            toml = session.write_preset_for_csv(path, targets, True)
    except FAILURES as error:
        screen.notify(str(error), title="CSV not opened", severity="error", timeout=8)
        return
    load_preset(screen, Path(toml))
