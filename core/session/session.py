"""The training session: one thread-safe object that the app and the CLI drive.

A ``Session`` drives a ``Trainer`` (the network, data, optimizer, counters and history)
with commands that may come from any thread; its ``Runner`` holds the lock that training
hands over between two batches, trains in the session's own thread (``run()``) or the
caller's (``step()``), and hands immutable ``Snapshot``s to subscribers.

The edit form's commands (``EditCommands``), the file menu's (``FileCommands``) and the math
views' (``MathCommands``) are parts the session holds, as ``editing``, ``files`` and
``views``: each is handed the runner (its lock and its trainer), not the session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..checks import is_integer
from ..constants import UNDO_STEPS
from ..engine.optimizers import check_learning_rate, make_optimizer
from ..presets.schema import Preset, load_preset
from .editing import EditCommands
from .file_menu import FileCommands, saved_preset
from .math_commands import MathCommands
from .pace import Clock, check_pace, check_share
from .runner import Runner, SessionError
from .saved import SavedSession, SessionFileError
from .snapshot import Snapshot
from .trainer import starting_trainer
from .undo import check_value, remember, set_parameter, undo

__all__ = ["Session", "SessionError"]


def _count(argument: str, value, minimum: int) -> int:
    if not is_integer(value) or value < minimum:
        raise ValueError(f"{argument}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


class Session:
    """A network being trained on a preset's data, driven by commands from any thread.

    ``preset`` is a built-in name, a ``.toml`` path or a ``Preset``; the keyword arguments
    override its settings. ``pace``: the epochs a second a free run keeps (``set_pace``; full
    speed by default), ``clock`` the time it is kept by; ``undo_steps``: how many steps ``undo``
    can take back (0: none, and nothing is copied). Starts paused; ``close()`` it when done.

    Its commands: ``open`` (a saved session), ``run``, ``pause``, ``step``, ``step_batch``,
    ``set_pace``, ``set_stop_at_target``, ``undo``, ``set_parameter``,
    ``set_learning_rate``, ``set_optimizer``, ``reset``, ``load``, ``snapshot``,
    ``subscribe`` and ``close``; what it is: ``preset``, ``epoch``, ``running``, ``pace``,
    ``stop_at_target``. Its parts hold the rest: ``editing`` the edit form's commands
    (``EditCommands``: ``edit_values``, ``preview_edit``, ``edit``), ``files`` the file
    menu's (``FileCommands``: ``save``, ``resume``, ``export_*``) and ``views`` the math
    views' (``MathCommands``: ``gradient_method``, ``set_gradient_method``,
    ``gradient_check``, ``inspect_*``, ``watch_parameters``, ``cost_landscape``, the step
    through a batch)."""

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
        self._trainer = starting_trainer(preset, _count("undo_steps", undo_steps, 0))
        self._runner = Runner(self._trainer, clock)
        self._preset_pace = False        # whether each preset loaded brings its own pace
        self.set_pace(pace)
        self.editing = EditCommands(self._runner)
        self.files = FileCommands(self._runner)
        self.views = MathCommands(self._runner)

    # --- what the session is ------------------------------------------------------------

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
        with self._runner.command():
            self._runner.run(epochs, batches, add)

    def pause(self) -> None:
        """Stop training (a run or a step in another thread) before its next batch."""
        with self._runner.command():
            self._runner.pause()

    def step(self, epochs: int = 1) -> Snapshot:
        """Train ``epochs`` more epochs in the calling thread (an unfinished epoch counts as
        the first) and return the snapshot after them. Pauses a run first; ``pause()`` from
        another thread ends the step early."""
        epochs = _count("epochs", epochs, 1)
        with self._runner.command():
            self._runner.step(epochs)
            return self._runner.snapshot()

    def step_batch(self) -> Snapshot:
        """Train on one mini-batch in the calling thread (pausing a run) and return the
        snapshot after it."""
        with self._runner.command():
            self._runner.pause()
            self._trainer.message = ""
            remember(self._trainer)
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
        with self._runner.command():
            self._preset_pace = preset_pace or self._preset_pace
            self._runner.pacer.pace = pace
            self._runner.pacer.restart()

    def set_share(self, share: float) -> None:
        """Let a free run at pace max train at most ``share`` (0 < share <= 1) of wall time,
        resting between epochs (a session sharing the machine with others); paced runs,
        counted runs and steps are not affected."""
        share = check_share(share)
        with self._runner.command(changes=False):
            self._runner.pacer.share = share

    stop_at_target = property(lambda self: self._runner.stop_at_target,
                              doc="Whether runs pause where the loss first reaches the target.")

    def set_stop_at_target(self, stop: bool) -> None:
        """Pause runs (``run()``, counted or not) where the target loss is first reached."""
        with self._runner.command():
            self._runner.stop_at_target = bool(stop)

    def undo(self) -> Snapshot | None:
        """Pause and go back, bit for bit, to before the latest step (epoch, batch or typed
        parameter; ``UNDO_STEPS`` are kept): the snapshot then, or None if none is left."""
        with self._runner.command():
            self._runner.pause()
            if not undo(self._trainer):
                return None
            return self._runner.snapshot()

    def set_parameter(self, kind: str, l: int, index: tuple[int, ...], value) -> None:
        """Set weight ``kind="w"`` (``index`` (i, j): unit i of a(l-1) to unit j) or bias
        ``"b"`` (``index`` (j,)) of layer ``l`` (1..L) to the finite ``value``, undoably."""
        value = check_value(value)
        with self._runner.command():
            set_parameter(self._trainer, kind, l, tuple(index), value)

    def set_learning_rate(self, learning_rate: float) -> None:
        """Use learning rate ``learning_rate`` (finite, > 0) from the next batch on."""
        learning_rate = check_learning_rate(learning_rate)
        with self._runner.command():
            self._trainer.set_learning_rate(learning_rate)
            self._runner.stop_if_diverged()

    def set_optimizer(self, name: str) -> None:
        """Switch to a fresh optimizer ``name`` ("gd", "momentum" or "adam") from the next
        batch on."""
        make_optimizer(name)
        with self._runner.command():
            self._trainer.set_optimizer(name)
            self._runner.stop_if_diverged()

    def reset(self, seed: int | None = None) -> None:
        """Start again from epoch 0 with initial weights drawn from ``seed`` (default: the
        session's seed, so the same weights as at the start); clears the history and pauses.
        The learning rate and optimizer stay as they are."""
        if seed is not None:
            seed = _count("seed", seed, 0)
        with self._runner.command():
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
        with self._runner.command():
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
        return self._runner.snapshot_unlocked()

    def subscribe(self, callback: Callable[[Snapshot], object], max_rate: float = 20.0,
                  watchable_rate: float | None = None) -> Callable[[], None]:
        """Call ``callback(snapshot)`` from the session's notifier thread: now, at most
        ``max_rate`` times a second while training (a free run at a pace of 50 or slower:
        after every epoch, or at most ``watchable_rate`` times a second if given), and once
        after every command (commands in a burst may share one snapshot). Returns a function
        that unsubscribes."""
        with self._runner.command(changes=False):
            if self._runner.closed:
                raise SessionError("session is closed")
            return self._runner.notifier.subscribe(callback, max_rate, watchable_rate)

    @classmethod
    def open(cls, path: Path | str, undo_steps: int = UNDO_STEPS) -> Session:
        """The session saved in ``path``, paused where it was saved (``undo_steps`` as for a
        new one). ``SessionFileError`` for a missing, truncated, corrupted or mismatched file."""
        saved = SavedSession.read(path)
        session = cls(saved_preset(saved, path), undo_steps=undo_steps)
        try:
            with session._runner.command():
                session._trainer.restore(saved, path)
        except SessionFileError:
            session.close()
            raise
        return session
