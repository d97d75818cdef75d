"""The dialog flows of the training screen: edit the experiment, save the session, export,
open a file (a session, a preset, or a CSV file whose target columns are asked for).

Each flow takes the screen over the session it was asked from; what it changed shows
through the app's ``SessionController`` (a new network from its start).

Each flow is one ``@work`` coroutine that asks with ``push_screen_wait`` and reports with a
notification; whatever fails, the current session stays. In a served app (``app.files_root``
set) every path opened or written must be inside that folder (``tui.confine``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from core.presets import PresetError, builtin_presets, edit_choices
from core.presets import columns as csv_columns
from core.presets import load_preset as read_preset
from core.session import (
    FolderNotEmpty,
    Session,
    SessionFileError,
    WouldOverwrite,
    export_session_torch,
    write_preset_for_csv,
)

from .confine import OutsideFolder, confine
from .screens.edit_experiment import EditExperimentScreen
from .screens.open_file import OpenFileScreen, TargetScreen
from .screens.paths import current_folder
from .screens.preset_picker import PresetPicker
from .screens.save_session import ConfirmScreen, PathScreen, default_session_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from .screens.session_screen import SessionScreen

FAILURES = (PresetError, SessionFileError, OSError, ValueError)
FOLDER_PRESETS = 50        # .toml files of the current folder the preset picker reads


def confined(screen: SessionScreen, path: str) -> str | None:
    """``path`` as it is; in a served app, the path resolved inside its folder, or None (with
    a notification saying why) when it is outside."""
    root = getattr(screen.app, "files_root", None)
    if root is None:
        return path
    try:
        return str(confine(path, root))
    except OutsideFolder as error:
        screen.notify(str(error),
                      title="Not allowed here", severity="error", timeout=8, markup=False)
        return None


@work(group="dialog")
async def edit(screen: SessionScreen) -> None:
    """The edit form over the experiment as it is now; its changes go to the session."""
    session = screen.session
    try:
        values = session.editing.edit_values()
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="Cannot edit", severity="error", timeout=8, markup=False)
        return
    epoch = screen.snapshot.epoch if screen.snapshot is not None else 0
    changes = await screen.app.push_screen_wait(
        EditExperimentScreen(values, edit_choices(), session.editing.preview_edit, epoch))
    if changes:
        apply_edit(screen, changes)


def apply_edit(screen: SessionScreen, changes: dict) -> None:
    """Give the session the form's changes; say whether the weights were reset."""
    try:
        new_weights = screen.session.editing.edit(**changes)
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="Edit refused", severity="error", timeout=8, markup=False)
        return
    if new_weights:
        screen.app.controller.start_over()
        screen.notify("A new network: new weights, from epoch 0.", title="Experiment edited")
        return
    screen.app.controller.refresh()
    screen.notify("Settings changed; the weights stay.", title="Experiment edited")


def save(screen: SessionScreen) -> None:
    """s: ask where to save the session (default ``<preset>-epoch<N>.npz``)."""
    snapshot = screen.session.snapshot()

    def save_and_keep(path: str, overwrite: bool) -> Path:
        written = screen.session.files.save(path, overwrite)
        screen.app.mark_kept()              # q no longer asks before quitting
        return written

    write_file(screen, "Save session",
               default_session_name(snapshot.preset_name, snapshot.epoch),
               "The whole session (weights, optimizer, history) as one .npz file; "
               "ctrl+o opens it again.", save_and_keep, "Saved the session to")


def export(screen: SessionScreen, kind: str) -> None:
    """Ask where to write an export: "preset", "loss", "data" or "weights"."""
    session = screen.session
    snapshot = session.snapshot()
    name = snapshot.preset_name
    title, default, hint, write = {
        "preset": ("Export preset", f"{name}-preset.toml",
                   "The experiment with its current settings, to share or load with p.",
                   session.files.export_preset),
        "loss": ("Export loss history", f"{name}-loss.csv",
                 "One row per recorded epoch: epoch, loss, test_loss.",
                 session.files.export_loss_csv),
        "data": ("Export data", f"{name}-data.csv",
                 "One row per sample: inputs, targets and train or test.",
                 session.files.export_data_csv),
        "weights": ("Export weights", f"{name}-weights-epoch{snapshot.epoch}.json",
                    "Sizes, activations, loss, weights and biases.",
                    session.files.export_weights_json),
        "torch": ("Export for PyTorch", f"{name}-torch",
                  "A folder for model.safetensors, model.py and sample.json.",
                  partial(export_torch, session)),
    }[kind]
    write_file(screen, title, default, hint, write, "Wrote", folder=kind == "torch")


def export_torch(session: Session, folder: str, replace: bool) -> str:
    """Write the network for PyTorch into ``folder``; says which files went where."""
    files = export_session_torch(session, folder, replace=replace)
    return f"{', '.join(file.name for file in files)} in {folder}"


@work(group="dialog")
async def write_file(screen: SessionScreen, title: str, default: str, hint: str,
                     write: Callable[[str, bool], object], done: str,
                     folder: bool = False) -> None:
    """Ask for a path (of a ``folder`` to write into), then ``write(path, overwrite)``; an
    existing file (a folder holding files) is replaced only when the user says so (else the
    path is asked again)."""
    app = screen.app
    path = default
    while True:
        path = await app.push_screen_wait(PathScreen(title, path, hint, folder=folder))
        if path is None:
            return
        target = confined(screen, path)
        if target is None:
            continue
        try:
            written = write(target, False)
        except WouldOverwrite as error:
            question = (f"{path} holds files. Replace them?" if isinstance(error, FolderNotEmpty)
                        else f"{path} already exists. Overwrite it?")
            if not await app.push_screen_wait(ConfirmScreen(question, no="Another name")):
                continue
            try:
                written = write(target, True)
            except FAILURES as error:
                screen.notify(str(error), title=f"{title}: not written", severity="error",
                              timeout=8, markup=False)
                return
        except FAILURES as error:
            screen.notify(str(error), title=f"{title}: not written", severity="error",
                          timeout=8, markup=False)
            return
        screen.notify(f"{done} {written}", title=title, markup=False)
        return


@work(group="dialog")
async def open_file(screen: SessionScreen) -> None:
    """ctrl+o: open a session (.npz), load a preset (.toml) or make a preset for a CSV
    file."""
    root = getattr(screen.app, "files_root", None)
    path = await screen.app.push_screen_wait(OpenFileScreen(root, root=root))
    if path is not None:
        await open_path(screen, path)


async def open_path(screen: SessionScreen, path: str) -> None:
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
                      title="Not opened", severity="error", timeout=8, markup=False)


def folder_presets(folder: Path, taken: set[str], root: Path | None = None) -> dict:
    """The presets in ``folder`` (its .toml files that load, at most ``FOLDER_PRESETS``) by
    name, their titles naming the file; names in ``taken`` are left out (a built-in's name
    stays the built-in's). With ``root``, files and the CSV files they name outside ``root``
    are left out (a link to a preset elsewhere too)."""
    found = {}
    try:
        files = sorted(folder.glob("*.toml"))[:FOLDER_PRESETS]
    except OSError:
        return found
    for file in files:
        try:
            preset = read_preset(file, root=root)
            if preset.name not in taken and preset.name not in found:
                found[preset.name] = preset.replace(
                    title=f"{preset.title or preset.name} ({file.name})")
        except (PresetError, OSError, ValueError):
            continue
    return found


@work(group="dialog")
async def pick_preset(screen: SessionScreen) -> None:
    """p: the preset picker over the built-in presets, then those in the current folder (a
    served app's folder); enter loads the chosen one."""
    try:
        presets = builtin_presets()
    except PresetError as error:
        screen.notify(str(error), title="Presets", severity="error", markup=False)
        return
    root = getattr(screen.app, "files_root", None)
    local = folder_presets(Path(root or current_folder()), {p.name for p in presets}, root)
    current = screen.snapshot.preset_name if screen.snapshot else None
    name = await screen.app.push_screen_wait(PresetPicker([*presets, *local.values()],
                                                          current))
    if name is not None:
        load_preset(screen, Path(local[name].path) if name in local else name)


def open_session(screen: SessionScreen, path: str) -> None:
    """Resume the session saved in ``path``."""
    try:
        screen.session.files.resume(path, root=getattr(screen.app, "files_root", None))
    except (SessionFileError, PresetError, ValueError) as error:
        screen.notify(str(error),
                      title="Session not opened", severity="error", timeout=8, markup=False)
        return
    screen.app.controller.start_over()
    screen.app.mark_kept()
    snapshot = screen.app.controller.snapshot
    screen.notify(f"{Path(path).name}: {snapshot.preset_title or snapshot.preset_name}, "
                  f"epoch {snapshot.epoch}", title="Session opened", markup=False)


def load_preset(screen: SessionScreen, preset) -> bool:
    """Load ``preset`` (a built-in's name, a ``.toml`` path or a ``Preset``); a file loaded
    is named in a notification, and read inside a served app's folder only. Returns whether
    it loaded."""
    try:
        root = getattr(screen.app, "files_root", None)
        screen.session.load(read_preset(preset, root) if isinstance(preset, Path) else preset)
    except (PresetError, ValueError) as error:
        screen.notify(str(error),
                      title="Preset not loaded", severity="error", timeout=8, markup=False)
        return False
    screen.app.controller.start_over()
    if isinstance(preset, Path):
        screen.notify(f"{preset.name}: {screen.app.controller.snapshot.preset_title}",
                      title="Preset loaded", markup=False)
    return True


async def import_csv(screen: SessionScreen, path: str) -> None:
    """Ask which columns of the CSV file ``path`` to learn, write its preset beside it and
    load it. Where a preset of that name exists the user may replace it or give another
    name; one that cannot be written there (a built-in preset's folder) asks for another."""
    app, name = screen.app, Path(path).name
    try:
        columns = csv_columns(path)
    except (PresetError, ValueError) as error:
        screen.notify(str(error), title="CSV not opened", severity="error", timeout=8, markup=False)
        return
    targets = await app.push_screen_wait(TargetScreen(name, columns))
    if not targets:
        return
    toml, overwrite = str(Path(path).with_suffix(".toml")), False
    while True:
        try:
            written = write_preset_for_csv(path, targets, overwrite, toml)
            break
        except WouldOverwrite as error:
            if await app.push_screen_wait(ConfirmScreen(
                    f"{error.path} already exists. Replace it with a new preset for {name}?",
                    yes="Replace", no="Another name")):
                overwrite = True
                continue
            default = Path(toml).with_name(f"{Path(toml).stem}-2.toml")
        except SessionFileError as error:
            screen.notify(str(error),
                          title="Preset not written", severity="error", timeout=8, markup=False)
            default = Path(current_folder()) / Path(toml).name
        except FAILURES as error:
            screen.notify(str(error),
                          title="CSV not opened", severity="error", timeout=8, markup=False)
            return
        typed = await app.push_screen_wait(PathScreen(
            f"Preset for {name}", str(default), "Where to write the preset made for the CSV "
            "file (ctrl+o opens it later)."))
        toml = None if typed is None else confined(screen, typed)
        if toml is None:
            return
        overwrite = False
    load_preset(screen, Path(written))
