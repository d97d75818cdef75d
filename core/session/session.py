"""The training session: one thread-safe object that the app and the CLI drive.

A ``Session`` drives a ``Trainer`` (the network, data, optimizer, counters and history)
with commands that may come from any thread; its ``Runner`` holds the lock that training
hands over between two batches, trains in the session's own thread (``run()``) or the
caller's (``step()``), and hands immutable ``Snapshot``s to subscribers.

The edit form's commands (``EditCommands``), the file menu's (``FileCommands``) and the math
views' (``MathViews``) are parts the session holds, as ``editing``, ``files`` and
``views``; each of their commands is also a method of the session.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from ..engine.optimizers import check_learning_rate, make_optimizer
from ..presets.editing import edit_choices
from ..presets.from_csv import columns, preset_from_csv
from ..presets.schema import Preset, builtin_presets, load_preset
from .editing import EditCommands
from .file_menu import FileCommands, restored, write_preset_for_csv
from .pace import Clock, check_pace
from .runner import Runner, SessionError
from .saved import SavedSession
from .snapshot import Snapshot
from .trainer import TEST_EVERY, Trainer
from .undo import UNDO_STEPS, UndoSteps, check_value, set_parameter, undo
from .views import GRADCHECK_SAMPLES, MathViews

__all__ = ["GRADCHECK_SAMPLES", "TEST_EVERY", "Session", "SessionError"]


def _count(argument: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{argument}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


def _part(name: str, method: Callable) -> Callable:
    """A session method that calls ``method`` on the session's part ``name``."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return method(getattr(self, name), *args, **kwargs)
    return call


class Session:
    """A network being trained on a preset's data, driven by commands from any thread.

    ``preset`` is a built-in name, a ``.toml`` path or a ``Preset``; the keyword arguments
    override its settings. ``pace``: the epochs a second a free run keeps (``set_pace``; full
    speed by default), ``clock`` the time it is kept by; ``undo_steps``: how many steps ``undo``
    can take back (0: none, and nothing is copied). Starts paused; ``close()`` it when done."""

    def __init__(self, preset: Preset | str | Path, *, learning_rate: float | None = None,
                 seed: int | None = None, optimizer: str | None = None,
                 batch_size: int | None = None, pace: int | str | None = "max",
                 clock: Clock | None = None, undo_steps: int = UNDO_STEPS) -> None:
        changes = {}
        if learning_rate is not None:
            changes["learning_rate"] = check_learning_rate(learning_rate)
        if seed is not None:
            changes["seed"] = _count("seed", seed, 0)
        if optimizer is not None:
            changes["optimizer"] = make_optimizer(optimizer).name
        if batch_size is not None:
            changes["batch_size"] = _count("batch_size", batch_size, 0)
        preset = preset if isinstance(preset, Preset) else load_preset(preset)
        if changes:
            preset = preset.replace(**changes)
        self._trainer = Trainer(preset, preset.load_data(), preset.build_network(),
                                preset.seed, preset.optimizer, preset.learning_rate)
        self._trainer.undo_steps = UndoSteps(_count("undo_steps", undo_steps, 0))
        self._runner = Runner(self._trainer, clock)
        self._preset_pace = False        # whether each preset loaded brings its own pace
        self.set_pace(pace)
        self.editing = EditCommands(self)
        self.files = FileCommands(self)
        self.views = MathViews(self)

    # --- what the session is ------------------------------------------------------------

    builtin_presets = staticmethod(builtin_presets)

    @property
    def preset(self) -> Preset:
        """The preset being trained (with the constructor's overrides and the edits)."""
        return self._trainer.preset

    @property
    def running(self) -> bool:
        """True while training: under ``run()`` or inside a ``step()``."""
        return self._runner.running

    @property
    def epoch(self) -> int:
        """The number of completed epochs."""
        return self._trainer.epoch

    @property
    def trainer(self) -> Trainer:
        """The trainer the session drives; for the session's parts, inside ``command()``."""
        return self._trainer

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- commands -----------------------------------------------------------------------

    def run(self, epochs: int | None = None, batches: int | None = None,
            add: bool = False) -> None:
        """Train in the session's own thread until paused, diverged or closed; with
        ``epochs`` until that many more epochs are complete (an unfinished epoch counts as
        the first), with ``batches`` until that many more mini-batches are trained, then
        pause. ``add``: a run counting epochs (or batches) already goes on that many further
        instead of counting afresh. Snapshots go out as during any run."""
        if epochs is not None and batches is not None:
            raise ValueError(f"run: expected epochs or batches, got both ({epochs}, {batches})")
        if epochs is not None:
            epochs = _count("epochs", epochs, 1)
        if batches is not None:
            batches = _count("batches", batches, 1)
        with self.command():
            self._runner.run(epochs, batches, add)

    def pause(self) -> None:
        """Stop training (a run or a step in another thread) before its next batch."""
        with self.command():
            self._runner.pause()

    def step(self, epochs: int = 1) -> Snapshot:
        """Train ``epochs`` more epochs in the calling thread (an unfinished epoch counts as
        the first) and return the snapshot after them. Pauses a run first; ``pause()`` from
        another thread ends the step early."""
        epochs = _count("epochs", epochs, 1)
        with self.command():
            self._runner.step(epochs)
            return self._runner.snapshot()

    def step_batch(self) -> Snapshot:
        """Train on one mini-batch in the calling thread (pausing a run) and return the
        snapshot after it."""
        with self.command():
            self._runner.pause()
            self._trainer.message = ""
            self._trainer.undo_steps.remember(self._trainer)
            self._trainer.train_batch()
            self._runner.check_finite()
            return self._runner.snapshot()

    @property
    def pace(self) -> int | None:
        """The epochs a second a free ``run()`` trains (None: as fast as it goes)."""
        return self._runner.pacer.pace

    def set_pace(self, pace: int | str | None) -> None:
        """Keep ``pace`` (one of ``PACES``; None or "max": full speed; "preset": the
        preset's ``pace``, and each loaded preset's) in free runs from now on; counted runs
        and steps always go at full speed."""
        preset_pace = pace == "preset"
        pace = self.preset.pace if preset_pace else check_pace(pace)
        with self.command():
            self._preset_pace = preset_pace or self._preset_pace
            self._runner.pacer.pace = pace
            self._runner.pacer.restart()

    stop_at_target = property(lambda self: self._runner.stop_at_target,
                              doc="Whether runs pause where the loss first reaches the target.")

    def set_stop_at_target(self, stop: bool) -> None:
        """Pause runs (``run()``, counted or not) where the target loss is first reached."""
        with self.command():
            self._runner.stop_at_target = bool(stop)

    def undo(self) -> Snapshot | None:
        """Pause and go back, bit for bit, to before the latest step (epoch, batch or typed
        parameter; ``UNDO_STEPS`` are kept): the snapshot then, or None if none is left."""
        with self.command():
            self._runner.pause()
            if not undo(self._trainer):
                return None
            return self._runner.snapshot()

    def set_parameter(self, kind: str, l: int, index: tuple[int, ...], value) -> None:
        """Set weight ``kind="w"`` (``index`` (i, j): unit i of a(l-1) to unit j) or bias
        ``"b"`` (``index`` (j,)) of layer ``l`` (1..L) to the finite ``value``, undoably."""
        value = check_value(value)
        with self.command():
            set_parameter(self._trainer, kind, l, tuple(index), value)

    def set_learning_rate(self, learning_rate: float) -> None:
        """Use learning rate ``learning_rate`` (finite, > 0) from the next batch on."""
        learning_rate = check_learning_rate(learning_rate)
        with self.command():
            self._trainer.set_learning_rate(learning_rate)
            self._runner.stop_if_diverged()

    def set_optimizer(self, name: str) -> None:
        """Switch to a fresh optimizer ``name`` ("gd", "momentum" or "adam") from the next
        batch on."""
        make_optimizer(name)
        with self.command():
            self._trainer.set_optimizer(name)
            self._runner.stop_if_diverged()

    def reset(self, seed: int | None = None) -> None:
        """Start again from epoch 0 with initial weights drawn from ``seed`` (default: the
        session's seed, so the same weights as at the start); clears the history and pauses.
        The learning rate and optimizer stay as they are."""
        if seed is not None:
            seed = _count("seed", seed, 0)
        with self.command():
            trainer = self._trainer
            seed = trainer.seed if seed is None else seed
            self._runner.set_mode("idle")
            trainer.install(trainer.preset, trainer.data, trainer.preset.build_network(seed),
                            seed, trainer.optimizer.name, trainer.learning_rate)

    def load(self, preset: Preset | str | Path) -> None:
        """Switch to another preset (name, path or ``Preset``) with its own settings, from
        epoch 0, paused. A bad preset raises ``PresetError`` and changes nothing."""
        preset = preset if isinstance(preset, Preset) else load_preset(preset)
        data, net = preset.load_data(), preset.build_network()
        with self.command():
            self._runner.set_mode("idle")
            self._trainer.install(preset, data, net, preset.seed, preset.optimizer,
                                  preset.learning_rate)
            if self._preset_pace:
                self._runner.pacer.pace = preset.pace

    def close(self) -> None:
        """Stop training and the session's threads and wait for them; idempotent."""
        self._runner.close()

    def snapshot(self) -> Snapshot:
        """An immutable picture of the session now (see ``Snapshot``), built unlocked."""
        with self.command(changes=False):
            pending = self._runner.capture()
        return pending.snapshot()

    def subscribe(self, callback: Callable[[Snapshot], object],
                  max_rate: float = 20.0) -> Callable[[], None]:
        """Call ``callback(snapshot)`` from the session's notifier thread: now, at most
        ``max_rate`` times a second while training (a free run at a pace of 50 or slower:
        after every epoch), and once after every command (commands in a burst may share one
        snapshot). Returns a function that unsubscribes."""
        with self.command(changes=False):
            if self._runner.closed:
                raise SessionError("session is closed")
            return self._runner.notifier.subscribe(callback, max_rate)

    @classmethod
    def open(cls, path: Path | str, undo_steps: int = UNDO_STEPS) -> Session:
        """The session saved in ``path``, paused where it was saved (``undo_steps`` as for a
        new one). ``SessionFileError`` for a missing, truncated, corrupted or mismatched file."""
        return restored(cls, SavedSession.read(path), path, undo_steps=undo_steps)

    # The parts' commands, reached through the session.
    edit_choices = staticmethod(edit_choices)
    edit_values = _part("editing", EditCommands.edit_values)
    preview_edit = _part("editing", EditCommands.preview_edit)
    edit = _part("editing", EditCommands.edit)
    save = _part("files", FileCommands.save)
    resume = _part("files", FileCommands.resume)
    export_preset = _part("files", FileCommands.export_preset)
    export_loss_csv = _part("files", FileCommands.export_loss_csv)
    export_data_csv = _part("files", FileCommands.export_data_csv)
    export_weights_json = _part("files", FileCommands.export_weights_json)
    csv_columns = staticmethod(columns)
    preset_from_csv = staticmethod(preset_from_csv)
    write_preset_for_csv = staticmethod(write_preset_for_csv)
    gradient_method = property(lambda self: self.views.gradient_method,
                               doc="How training computes dC/dw: backprop or finite_differences.")
    set_gradient_method = _part("views", MathViews.set_gradient_method)
    gradient_check = _part("views", MathViews.gradient_check)
    inspect_neuron = _part("views", MathViews.inspect_neuron)
    inspect_weight = _part("views", MathViews.inspect_weight)
    inspect_bias = _part("views", MathViews.inspect_bias)
    watch_parameters = _part("views", MathViews.watch_parameters)
    watched_parameters = _part("views", MathViews.watched_parameters)
    cost_landscape = _part("views", MathViews.cost_landscape)
    begin_step_through = _part("views", MathViews.begin_step_through)
    advance_step_through = _part("views", MathViews.advance_step_through)
    step_through = _part("views", MathViews.step_through)

    # --- for the parts ----------------------------------------------------------------------

    def command(self, changes: bool = True) -> AbstractContextManager[None]:
        """Hold the session's lock as a command does (training hands it over before its next
        batch); a command that ``changes`` the session needs it open and is announced to
        the subscribers."""
        return self._runner.command(changes)

    def pause_locked(self) -> None:
        """Inside ``command()``: stop training before its next batch."""
        self._runner.pause()

    def stop_if_diverged(self) -> None:
        """Inside ``command()``: stop training if the trainer diverged, and say so."""
        self._runner.stop_if_diverged()
