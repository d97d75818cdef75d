"""The training session: one thread-safe object that the app and the CLI drive.

A ``Session`` holds a preset's network, data, optimizer, counters and history. Commands may
come from any thread: each takes the session's lock, which training hands over between two
batches whenever a command is waiting, so every command acts before the next batch starts.
``run()`` trains in the session's own thread, ``step()`` in the caller's.

Subscribers get immutable ``Snapshot``s from the session's notifier thread: at a bounded rate
while training, and once after every command. A snapshot is built only when one is due, so
training speed does not depend on the subscribers.

Epoch k's mini-batches are ``batch_slices(n, batch_size, seed, k)`` however the epoch is
trained, so runs are bitwise reproducible and a saved session resumes exactly.

The edit form's and the file menu's commands live in ``core.session_editing``, the math
views' in ``core.session_views``; both are mixed into ``Session``.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.datasets import Dataset
from ..engine.finite_difference_training import numeric_train_batch
from ..engine.finite_differences import LayerCheck, gradient_check
from ..engine.network import Network
from ..engine.optimizers import make_optimizer
from ..engine.training import batch_slices, train_batch
from ..presets.schema import Preset, PresetError, builtin_presets, load_preset, parse_preset
from .editing import EditingMixin
from .history import History
from .saved import SavedSession, SessionFileError, check_fit, data_digest
from .snapshot import Snapshot
from .views import MathViewsMixin

TEST_EVERY = 10          # epochs between two test-loss points in the history
EXPLOSION = 1e4          # a batch cost this many times the starting cost (at least 1) diverged
CHECKPOINT_EVERY = 25    # epochs between two checkpoints (divergence retrains from one)
RATE_MARKS = 11          # epochs/s is measured over the last ~1 s, one mark per 0.1 s
RATE_MARK_INTERVAL = 0.1
GRADCHECK_SAMPLES = 64
GRADCHECK_ENTRIES = 500  # entries checked per parameter array (seeded sample beyond that)
GRID = 48                # the decision map of a 2-input network: GRID x GRID outputs
CURVE_POINTS = 200       # the learned curve of a 1-input network


class SessionError(RuntimeError):
    """A command that the session cannot carry out because it is closed."""


def _learning_rate(value) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating))
            or not math.isfinite(value) or value <= 0):
        raise ValueError(f"learning_rate: expected a finite number > 0, got {value!r}")
    return float(value)


def _count(argument: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{argument}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


def _resolve(preset: Preset | str | Path) -> Preset:
    return preset if isinstance(preset, Preset) else load_preset(preset)


def _finite(arrays) -> bool:
    """True if every entry is finite (magnitudes beyond 1e154 count as diverged too)."""
    return all(math.isfinite(np.vdot(a, a)) for a in arrays)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _accuracy(outputs: np.ndarray, Y: np.ndarray) -> float:
    """The fraction of rows classified right: output >= 0.5 for one 0/1 column, else argmax."""
    if Y.shape[1] == 1:
        return float(np.mean((outputs[:, 0] >= 0.5) == (Y[:, 0] >= 0.5)))
    return float(np.mean(outputs.argmax(axis=1) == Y.argmax(axis=1)))


def _view_inputs(data: Dataset) -> tuple[np.ndarray | None, tuple[float, ...] | None]:
    """Inputs spread over the data for the output view, and the grid's extent: for two inputs
    a GRID x GRID grid (x1 varying fastest) over the data plus a 5% margin, for one input
    CURVE_POINTS values across the data; (None, None) for more inputs."""
    X = np.vstack([data.X_train, data.X_test])
    if X.shape[1] == 1:
        return _frozen(np.linspace(X.min(), X.max(), CURVE_POINTS)[:, None]), None
    if X.shape[1] != 2:
        return None, None
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.where(high > low, 0.05 * (high - low), 0.5)
    low, high = low - pad, high + pad
    xs, ys = np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID)
    points = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])
    return _frozen(points), (float(low[0]), float(high[0]), float(low[1]), float(high[1]))


@dataclass(frozen=True)
class _Checkpoint:
    """Finite training state to go back to when training diverges, with the optimizer and
    learning rate used from there on (changing either takes a new checkpoint)."""

    epoch: int
    batch: int
    epoch_cost: float
    parameters: tuple[np.ndarray, ...]
    optimizer: str
    optimizer_state: dict[str, np.ndarray]
    learning_rate: float

    @property
    def position(self) -> tuple[int, int]:
        """(epoch, batch): where training stood."""
        return self.epoch, self.batch


@dataclass(eq=False)
class _Subscriber:
    """A callback, the least time between two of its snapshots while training, and whether
    a command happened since its last snapshot."""

    callback: Callable[[Snapshot], object]
    interval: float
    due: float = 0.0
    pending: bool = True


class Session(EditingMixin, MathViewsMixin):
    """A network being trained on a preset's data, driven by commands from any thread.

    ``preset`` is a built-in name, a ``.toml`` path or a ``Preset``; the keyword arguments
    override the preset's settings. A session starts paused; ``close()`` it when done (or
    use it as a context manager).
    """

    def __init__(self, preset: Preset | str | Path, *, learning_rate: float | None = None,
                 seed: int | None = None, optimizer: str | None = None,
                 batch_size: int | None = None) -> None:
        changes = {}
        if learning_rate is not None:
            changes["learning_rate"] = _learning_rate(learning_rate)
        if seed is not None:
            changes["seed"] = _count("seed", seed, 0)
        if optimizer is not None:
            changes["optimizer"] = make_optimizer(optimizer).name
        if batch_size is not None:
            changes["batch_size"] = _count("batch_size", batch_size, 0)
        preset = _resolve(preset)
        if changes:
            preset = preset.replace(**changes)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._waiting = threading.Lock()    # guards _waiters
        self._waiters = 0                   # commands waiting for the lock
        self._wake = threading.Event()      # wakes the notifier
        self._worker: threading.Thread | None = None
        self._notifier: threading.Thread | None = None
        self._subscribers: list[_Subscriber] = []
        self._closed = False
        self._mode = "idle"                 # "idle", "run" (worker trains) or "step"
        self._generation = 0                # changes with the mode: ends a step loop
        self._version = 0                   # changes with anything a snapshot shows
        self._cached: tuple[int, Snapshot] | None = None
        self._rate_marks: deque[tuple[float, float]] = deque(maxlen=RATE_MARKS)
        self._checkpoints: deque[_Checkpoint] = deque(maxlen=2)
        self._install(preset, preset.load_data(), preset.build_network(), preset.seed,
                      preset.optimizer, preset.learning_rate)

    # --- what the session is ------------------------------------------------------------

    @staticmethod
    def builtin_presets() -> list[Preset]:
        """The presets a session can ``load`` by name, the notes' first."""
        return builtin_presets()

    @property
    def preset(self) -> Preset:
        """The preset being trained (with the constructor's overrides)."""
        return self._preset

    @property
    def running(self) -> bool:
        """True while training: under ``run()`` or inside a ``step()``."""
        return self._mode != "idle"

    @property
    def epoch(self) -> int:
        """The number of completed epochs."""
        return self._epoch

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- commands -----------------------------------------------------------------------

    def run(self) -> None:
        """Train in the session's own thread until paused, diverged or closed."""
        with self._command():
            if self._mode == "run":
                return
            self._set_mode("run")
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="session-training",
                                                daemon=True)
                self._worker.start()

    def pause(self) -> None:
        """Stop training (a run or a step in another thread) before its next batch."""
        with self._command():
            if self._mode != "idle":
                self._set_mode("idle")

    def step(self, epochs: int = 1) -> Snapshot:
        """Train ``epochs`` more epochs in the calling thread (an unfinished epoch counts as
        the first) and return the snapshot after them. Pauses a run first; ``pause()`` from
        another thread ends the step early."""
        epochs = _count("epochs", epochs, 1)
        with self._command():
            generation = self._set_mode("step")
            target = self._epoch + epochs
            try:
                self._train_while(
                    lambda: self._generation == generation and self._epoch < target)
            finally:
                if self._generation == generation:
                    self._set_mode("idle")
            self._check_finite()
            return self._snapshot_locked()

    def step_batch(self) -> Snapshot:
        """Train on one mini-batch in the calling thread (pausing a run) and return the
        snapshot after it."""
        with self._command():
            if self._mode != "idle":
                self._set_mode("idle")
            self._message = ""
            self._train_batch()
            self._check_finite()
            return self._snapshot_locked()

    def set_learning_rate(self, learning_rate: float) -> None:
        """Use learning rate ``learning_rate`` (finite, > 0) from the next batch on."""
        learning_rate = _learning_rate(learning_rate)
        with self._command():
            self._check_finite()
            self._learning_rate = learning_rate
            self._take_checkpoint()

    def set_optimizer(self, name: str) -> None:
        """Switch to a fresh optimizer ``name`` ("gd", "momentum" or "adam") from the next
        batch on."""
        optimizer = make_optimizer(name)
        with self._command():
            self._check_finite()
            self._optimizer = optimizer
            self._take_checkpoint()

    def reset(self, seed: int | None = None) -> None:
        """Start again from epoch 0 with initial weights drawn from ``seed`` (default: the
        session's seed, so the same weights as at the start); clears the history and pauses.
        The learning rate and optimizer stay as they are."""
        if seed is not None:
            seed = _count("seed", seed, 0)
        with self._command():
            seed = self._seed if seed is None else seed
            self._set_mode("idle")
            self._install(self._preset, self._data, self._preset.build_network(seed), seed,
                          self._optimizer.name, self._learning_rate)

    def load(self, preset: Preset | str | Path) -> None:
        """Switch to another preset (name, path or ``Preset``) with its own settings, from
        epoch 0, paused. A bad preset raises ``PresetError`` and changes nothing."""
        preset = _resolve(preset)
        data, net = preset.load_data(), preset.build_network()
        with self._command():
            self._set_mode("idle")
            self._install(preset, data, net, preset.seed, preset.optimizer, preset.learning_rate)

    def close(self) -> None:
        """Stop training and the session's threads and wait for them; idempotent."""
        with self._command(changes=False):
            if self._closed:
                return
            self._closed = True
            self._set_mode("idle")
            threads = [t for t in (self._worker, self._notifier) if t is not None]
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join()

    def snapshot(self) -> Snapshot:
        """An immutable picture of the session now (see ``Snapshot``)."""
        with self._command(changes=False):
            return self._snapshot_locked()

    def subscribe(self, callback: Callable[[Snapshot], object],
                  max_rate: float = 20.0) -> Callable[[], None]:
        """Call ``callback(snapshot)`` from the session's notifier thread: now, at most
        ``max_rate`` times a second while training, and once after every command (commands
        in a burst may share one snapshot). Returns a function that unsubscribes."""
        if (isinstance(max_rate, bool) or not isinstance(max_rate, (int, float))
                or not math.isfinite(max_rate) or max_rate <= 0):
            raise ValueError(f"max_rate: expected a finite number > 0, got {max_rate!r}")
        subscriber = _Subscriber(callback, 1.0 / max_rate)
        with self._command(changes=False):
            if self._closed:
                raise SessionError("session is closed")
            self._subscribers.append(subscriber)
            if self._notifier is None:
                self._notifier = threading.Thread(target=self._notify, name="session-notifier",
                                                  daemon=True)
                self._notifier.start()
        self._wake.set()

        def unsubscribe() -> None:
            with self._command(changes=False):
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def gradient_check(self) -> list[LayerCheck]:
        """Per layer, the largest relative error between backprop and finite differences at
        the current weights, on at most 64 evenly spaced training samples and at most 500
        entries of each parameter array."""
        net, X, Y = self._view_copy()
        every = -(-len(X) // GRADCHECK_SAMPLES)
        return gradient_check(net, X[::every], Y[::every], per_array=GRADCHECK_ENTRIES)

    # --- saving -------------------------------------------------------------------------

    def save(self, path: Path | str, overwrite: bool = False) -> Path:
        """Save the session to ``path`` atomically (training goes on); returns the path.

        Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false, and
        ``SessionFileError`` if it cannot be written.
        """
        with self._command(changes=False):
            net, preset = self._net, self._preset
            saved = SavedSession(
                preset_toml=preset.to_toml(),
                preset_path=None if preset.path is None else str(preset.path),
                data_digest=data_digest(self._data), seed=self._seed, epoch=self._epoch,
                batch=self._batch, epoch_cost=self._epoch_cost,
                learning_rate=self._learning_rate, optimizer=self._optimizer.name,
                weights=tuple(w.copy() for w in net.weights),
                biases=tuple(b.copy() for b in net.biases),
                optimizer_state=self._optimizer.state(), history=self._history.state(),
                test_history=self._test_history.state())
        return saved.write(path, overwrite)

    @classmethod
    def open(cls, path: Path | str) -> Session:
        """The session saved in ``path``, paused where it was saved. Raises
        ``SessionFileError`` for a missing, truncated, corrupted or mismatched file."""
        return cls._from_saved(SavedSession.read(path), path)

    @classmethod
    def _from_saved(cls, saved: SavedSession, path: Path | str) -> Session:
        """A new session restored from ``saved`` (read from ``path``), every check made."""
        preset_path = None if saved.preset_path is None else Path(saved.preset_path)
        try:
            session = cls(parse_preset(saved.preset_toml, "saved preset", path=preset_path))
        except PresetError as error:
            raise SessionFileError(f"{path}: {error}") from None
        try:
            session._restore(saved, path)
        except SessionFileError:
            session.close()
            raise
        return session

    def resume(self, path: Path | str) -> None:
        """Take over the session saved in ``path``, paused where it was saved (subscribers
        stay). A missing, truncated, corrupted or mismatched file raises
        ``SessionFileError`` and changes nothing."""
        saved = SavedSession.read(path)
        trial = Session._from_saved(saved, path)     # every check, on a session of its own
        trial.close()
        with self._command():
            self._set_mode("idle")
            self._install(trial._preset, trial._data, trial._preset.build_network(),
                          saved.seed, saved.optimizer, saved.learning_rate)
            self._restore(saved, path)

    def _restore(self, saved: SavedSession, path: Path | str) -> None:
        """Take over the saved state after checking that it fits this session's preset."""
        check_fit(saved, path, self._net, self._data, len(self._batches()))
        for name, history, state in (("history", self._history, saved.history),
                                     ("test_history", self._test_history, saved.test_history)):
            try:
                history.load_state(state)
            except ValueError as error:
                raise SessionFileError(f"{path}: {name}: {error}") from None
        for live, stored in zip(self._net.parameters(), saved.weights + saved.biases):
            live[...] = stored
        self._optimizer = make_optimizer(saved.optimizer)
        self._optimizer.load_state(saved.optimizer_state)
        self._seed, self._learning_rate = saved.seed, saved.learning_rate
        self._epoch, self._batch, self._epoch_cost = saved.epoch, saved.batch, saved.epoch_cost
        self._slices = (-1, [])
        test_epochs = self._test_history.arrays()[0]
        self._last_test_epoch = int(test_epochs[-1]) if len(test_epochs) else 0
        self._take_checkpoint()

    # --- training (the lock is held) ----------------------------------------------------

    @contextmanager
    def _command(self, changes: bool = True) -> Iterator[None]:
        """Hold the lock: training hands it over before its next batch. A command that
        ``changes`` the session needs it open and is announced to the subscribers."""
        with self._waiting:
            self._waiters += 1
        self._lock.acquire()
        with self._waiting:
            self._waiters -= 1
        try:
            if changes:
                if self._closed:
                    raise SessionError("session is closed")
                self._version += 1
            yield
            if changes:
                self._publish()
        finally:
            self._cond.notify_all()
            self._lock.release()

    def _install(self, preset: Preset, data: Dataset, net: Network, seed: int, optimizer: str,
                 learning_rate: float) -> None:
        """Start over at epoch 0 with ``net`` on ``data`` and an empty history."""
        self._preset, self._net, self._seed = preset, net, seed
        self._use_data(data)
        self._optimizer = make_optimizer(optimizer)
        self._learning_rate = learning_rate
        self._epoch, self._batch, self._epoch_cost = 0, 0, 0.0
        self._slices: tuple[int, list] = (-1, [])
        self._history = History(1 + net.n_layers)    # training loss, then ||dC/dw(l)||
        self._test_history = History(1)
        self._last_test_epoch = 0
        self._message = ""
        self._explode_at = EXPLOSION * max(net.loss(data.X_train, data.Y_train), 1.0)
        self._checkpoints.clear()
        self._take_checkpoint()
        self._reset_math_views()

    def _use_data(self, data: Dataset) -> None:
        """Train on ``data`` (with its inputs for the output view) from now on."""
        self._data = data
        self._view_inputs, self._grid_extent = _view_inputs(data)

    def _set_mode(self, mode: str) -> int:
        """Switch between idle, run and step; returns the new generation."""
        self._mode = mode
        self._generation += 1
        self._version += 1
        if mode != "idle":
            self._message = ""
            self._rate_marks.clear()
            self._rate_marks.append((time.perf_counter(), self._progress()))
        self._wake.set()
        return self._generation

    def _work(self) -> None:
        """The training thread: trains while the mode is "run", sleeps otherwise. Should it
        fail, the session pauses and the next ``run()`` starts a new thread."""
        with self._lock:
            try:
                while True:
                    self._train_while(lambda: self._mode == "run")
                    if self._closed:
                        return
                    self._cond.wait()
            finally:
                self._worker = None
                if self._mode == "run":
                    self._set_mode("idle")
                    self._publish()

    def _train_while(self, keep_going: Callable[[], bool]) -> None:
        """Train batch after batch while ``keep_going()``, letting waiting commands in
        between two batches."""
        while keep_going():
            if self._waiters:
                self._cond.wait()
            else:
                self._train_batch()

    def _batches(self) -> list:
        """The current epoch's mini-batches (index arrays or one full slice)."""
        if self._slices[0] != self._epoch:
            n = len(self._data.X_train)
            self._slices = (self._epoch, batch_slices(n, self._preset.batch_size, self._seed,
                                                      self._epoch))
        return self._slices[1]

    def _batch_trainer(self) -> Callable:
        """What trains the next batch: ``train_batch``, ``numeric_train_batch`` when
        training with finite differences, or the stepped batch's own update while
        ``advance_step_through`` applies it (its gradients are computed already)."""
        if self._apply_stepped:
            stepper = self._stepped.stepper

            def stepped_update(net, optimizer, X, Y, learning_rate):
                stepper.learning_rate = learning_rate
                stepper.advance()
                return stepper.cost, stepper.grad_w, stepper.grad_b
            return stepped_update
        if self._gradient_method == "finite_differences":
            return numeric_train_batch
        return train_batch

    def _train_batch(self) -> None:
        """One gradient step on the next mini-batch; the epoch's last batch ends the epoch."""
        batches = self._batches()
        index = batches[self._batch]
        cost, grad_w, _ = self._batch_trainer()(self._net, self._optimizer,
                                                self._data.X_train[index],
                                                self._data.Y_train[index], self._learning_rate)
        self._version += 1
        if not cost < self._explode_at:   # NaN fails this test too
            self._diverge()
            return
        self._epoch_cost += cost
        self._batch += 1
        if self._batch == len(batches):
            self._end_epoch(grad_w, len(batches))

    def _end_epoch(self, grad_w: list[np.ndarray], batches: int) -> None:
        """Record the epoch in the history and check the parameters it left."""
        self._epoch += 1
        self._batch = 0
        norms = [math.sqrt(np.vdot(g, g)) for g in grad_w]
        self._history.append(self._epoch, [self._epoch_cost / batches, *norms])
        self._record_path()
        self._epoch_cost = 0.0
        if self._epoch % TEST_EVERY == 0:
            self._record_test_loss()
        if self._epoch % CHECKPOINT_EVERY == 0:
            # Non-finite parameters also show in the next batch's cost; a checkpoint must
            # not wait for that.
            if not _finite(self._net.parameters()):
                self._diverge()
                return
            self._take_checkpoint()
        now = time.perf_counter()
        if self._rate_marks and now - self._rate_marks[-1][0] >= RATE_MARK_INTERVAL:
            self._rate_marks.append((now, float(self._epoch)))

    def _record_test_loss(self) -> None:
        """Add the test loss at this epoch to the history (once per epoch, if there is a
        test split)."""
        if len(self._data.X_test) == 0 or self._epoch <= self._last_test_epoch:
            return
        loss = self._net.loss(self._data.X_test, self._data.Y_test)
        if math.isfinite(loss):
            self._test_history.append(self._epoch, (loss,))
        self._last_test_epoch = self._epoch

    def _take_checkpoint(self) -> None:
        """Remember the current (finite) state; checkpoints ahead of it are forgotten."""
        position = (self._epoch, self._batch)
        while self._checkpoints and self._checkpoints[-1].position >= position:
            self._checkpoints.pop()
        self._checkpoints.append(_Checkpoint(
            self._epoch, self._batch, self._epoch_cost,
            tuple(p.copy() for p in self._net.parameters()), self._optimizer.name,
            self._optimizer.state(), self._learning_rate))

    def _check_finite(self) -> None:
        """Treat parameters that are no longer finite as a divergence."""
        if not _finite(self._net.parameters()):
            self._diverge()

    def _diverge(self) -> None:
        """The state at the current position is not finite: go back to the start of the
        epoch whose updates made it so, stop training and say where it failed.

        A bad state at an epoch's first batch was made by the epoch before, so training goes
        back one epoch (and its history row). The state is rebuilt from a checkpoint by
        training the same batches again with the same settings: bitwise what it was then.
        """
        bad = (self._epoch, self._batch)
        failed = self._epoch if self._batch > 0 else max(self._epoch - 1, 0)
        checkpoint = ([c for c in self._checkpoints if c.position <= (failed, 0)]
                      or [c for c in self._checkpoints if c.position < bad]
                      or list(self._checkpoints))[-1]
        self._rebuild(checkpoint, failed)
        self._history.drop_after(self._epoch)
        self._test_history.drop_after(self._epoch)
        self._last_test_epoch = min(self._last_test_epoch, self._epoch)
        self._take_checkpoint()
        self._set_mode("idle")
        self._message = f"diverged at epoch {failed + 1} with learning rate {self._learning_rate:g}"
        self._publish()

    def _rebuild(self, checkpoint: _Checkpoint, epoch: int) -> None:
        """Restore ``checkpoint`` and train on from it to the start of ``epoch`` (if that
        lies ahead) with its optimizer and learning rate."""
        for live, saved in zip(self._net.parameters(), checkpoint.parameters):
            live[...] = saved
        optimizer = make_optimizer(checkpoint.optimizer)
        optimizer.load_state(checkpoint.optimizer_state)
        X, Y, n = self._data.X_train, self._data.Y_train, len(self._data.X_train)
        first = checkpoint.batch
        for past in range(checkpoint.epoch, epoch):
            for index in batch_slices(n, self._preset.batch_size, self._seed, past)[first:]:
                train_batch(self._net, optimizer, X[index], Y[index], checkpoint.learning_rate)
            first = 0
        if checkpoint.epoch < epoch:
            self._epoch, self._batch, self._epoch_cost = epoch, 0, 0.0
        else:
            self._epoch, self._batch = checkpoint.epoch, checkpoint.batch
            self._epoch_cost = checkpoint.epoch_cost
        if optimizer.name != self._optimizer.name:   # the kind chosen since stays chosen
            optimizer = make_optimizer(self._optimizer.name)
        self._optimizer = optimizer

    def _progress(self) -> float:
        """Completed epochs, counting the current epoch's completed batches as a fraction."""
        return self._epoch + self._batch / len(self._batches())

    # --- snapshots and subscribers (the lock is held) -----------------------------------

    def _publish(self) -> None:
        """Owe every subscriber a snapshot, and wake the notifier."""
        for subscriber in self._subscribers:
            subscriber.pending = True
        self._wake.set()

    def _state(self) -> str:
        if self._mode != "idle":
            return "running"
        return "diverged" if self._message else "paused"

    def _epochs_per_second(self) -> float:
        if self._mode == "idle" or not self._rate_marks:
            return 0.0
        then, progress = self._rate_marks[0]
        elapsed = time.perf_counter() - then
        return (self._progress() - progress) / elapsed if elapsed > 0 else 0.0

    def _snapshot_locked(self) -> Snapshot:
        """The snapshot of the session now, built at most once per change."""
        if self._cached is not None and self._cached[0] == self._version:
            return self._cached[1]
        net, data, preset = self._net, self._data, self._preset
        activations = tuple(_frozen(a) for a in net.forward_layers(data.X_train))
        loss = net.cost_of(activations, data.Y_train)
        grad_w, grad_b = net.backward(activations, data.Y_train)
        classification = data.task == "classification"
        test_loss = test_accuracy = None
        test_outputs = np.zeros((0, net.sizes[-1]))
        if len(data.X_test):
            test_activations = net.forward_layers(data.X_test)
            test_outputs = test_activations[-1]
            test_loss = net.cost_of(test_activations, data.Y_test)
            if classification:
                test_accuracy = _accuracy(test_outputs, data.Y_test)
        view = {}
        if self._view_inputs is not None:
            outputs = _frozen(net.forward(self._view_inputs))
            if self._grid_extent is None:
                view = {"curve_x": self._view_inputs[:, 0], "curve_y": outputs}
            else:
                view = {"decision_grid": outputs.reshape(GRID, GRID, -1),
                        "grid_extent": self._grid_extent}
        epochs, values = self._history.arrays()
        test_epochs, test_values = self._test_history.arrays()
        snapshot = Snapshot(
            preset_name=preset.name, preset_title=preset.title, sizes=net.sizes,
            activation=net.activation, output_activation=net.output_activation,
            loss_name=net.loss_name, task=data.task, input_names=data.input_names,
            target_names=data.target_names, class_names=data.class_names,
            epoch=self._epoch, batch=self._batch, batches_per_epoch=len(self._batches()),
            state=self._state(), message=self._message, learning_rate=self._learning_rate,
            optimizer=self._optimizer.name, batch_size=preset.batch_size, seed=self._seed,
            epochs_per_second=self._epochs_per_second(),
            loss=loss, test_loss=test_loss,
            accuracy=_accuracy(activations[-1], data.Y_train) if classification else None,
            test_accuracy=test_accuracy,
            weights=tuple(_frozen(w.copy()) for w in net.weights),
            biases=tuple(_frozen(b.copy()) for b in net.biases),
            gradients_w=tuple(_frozen(g) for g in grad_w),
            gradients_b=tuple(_frozen(g) for g in grad_b),
            X_train=data.X_train, Y_train=data.Y_train, X_test=data.X_test, Y_test=data.Y_test,
            activations=activations, test_outputs=_frozen(test_outputs),
            history_epochs=epochs, history_loss=values[:, 0],
            history_test_epochs=test_epochs, history_test_loss=test_values[:, 0],
            grad_norm_history=tuple(values[:, 1 + layer] for layer in range(net.n_layers)),
            **view)
        self._cached = (self._version, snapshot)
        return snapshot

    def _notify(self) -> None:
        """The notifier thread: hands snapshots to the subscribers that are due."""
        timeout = None
        while True:
            self._wake.wait(timeout)
            self._wake.clear()
            with self._command(changes=False):
                if self._closed:
                    return
                now = time.monotonic()
                training = self._mode != "idle"
                due = [s for s in self._subscribers if s.pending or (training and now >= s.due)]
                for subscriber in due:
                    subscriber.pending, subscriber.due = False, now + subscriber.interval
                timeout = None
                if training and self._subscribers:
                    timeout = max(0.0, min(s.due for s in self._subscribers) - now)
                snapshot = self._snapshot_locked() if due else None
            for subscriber in due:
                try:
                    subscriber.callback(snapshot)
                except Exception:  # a broken subscriber is dropped, the others go on
                    traceback.print_exc()
                    with self._command(changes=False):
                        if subscriber in self._subscribers:
                            self._subscribers.remove(subscriber)
