"""Training one preset's network, a batch at a time, in a single thread.

A ``Trainer`` holds the network, the data, the optimizer and learning rate, the counters and
what training records (the loss history, the test loss, the watched parameters' path), and
guards against divergence: a batch whose cost explodes, or parameters that stop being
finite, send training back to a finite state and stop it with a message. It knows nothing of
threads; ``core.session.Session`` drives it under its lock.

Epoch k's mini-batches are ``batch_slices(n, batch_size, seed, k)`` however the epoch is
trained, so runs are bitwise reproducible and a saved session resumes exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..constants import UNDO_STEPS
from ..data.datasets import Dataset
from ..engine.network import Network
from ..engine.optimizers import Optimizer, make_optimizer
from ..engine.training import batch_slices, numeric_train_batch, train_batch
from ..explain.math_views import default_parameters
from ..presets.schema import Preset
from .checkpoints import Checkpoints
from .history import History, ParameterPath
from .saved import SavedSession, SessionFileError, check_fit, data_digest
from .undo_steps import UndoSteps

GRADIENT_METHODS = ("backprop", "finite_differences")
"""How training computes dC/dw: backprop, or finite differences (1.0.1) as the notes start."""
PATH_LENGTH = 2000
"""Epochs of a watched parameter's path that the trainer keeps (the most recent)."""
TEST_EVERY = 10          # epochs between two test-loss points in the history
EXPLOSION = 1e4          # a batch cost this many times the starting cost (at least 1) diverged
CHECKPOINT_EVERY = 25    # epochs between two checkpoints (divergence retrains from one)
TRIAL_RATES = 12         # learning rates tried (each ten times lower) to suggest one
TRIAL_STEPS = 10         # full-batch steps that must lower the cost under a suggested rate

BatchUpdate = Callable[..., tuple[float, list[np.ndarray], list[np.ndarray]]]
"""Trains one batch like ``train_batch(net, optimizer, X, Y, learning_rate)`` and returns
(cost before the step, dC/dw, dC/db)."""


def _round_down(rate: float) -> float:
    """``rate`` rounded down to 1 or 3 times a power of ten."""
    exponent = math.floor(math.log10(rate))
    mantissa = 3 if 3 * 10.0 ** exponent <= rate * (1 + 1e-9) else 1
    return float(f"{mantissa}e{exponent}")


def lower_learning_rate(net: Network, optimizer: Optimizer, X: np.ndarray, Y: np.ndarray,
                        failed: float) -> float:
    """A learning rate to suggest after ``failed`` diverged: the first of failed/10,
    failed/100, ... (rounded down to 1 or 3 times a power of ten) under which ``TRIAL_STEPS``
    full-batch steps from ``net`` lower the cost. ``net`` and ``optimizer`` are not changed."""
    start, rate = net.loss(X, Y), failed
    for _ in range(TRIAL_RATES):
        rate = _round_down(rate / 10)
        trial, trial_optimizer = net.copy(), make_optimizer(optimizer.name)
        trial_optimizer.load_state(optimizer.state())
        for _ in range(TRIAL_STEPS):
            train_batch(trial, trial_optimizer, X, Y, rate)
        if trial.loss(X, Y) < start:
            break
    return rate


def first_reached(history: History, target_loss: float) -> int | None:
    """The first epoch in ``history`` whose training loss is at most ``target_loss``."""
    epochs, values = history.arrays()
    reached = np.flatnonzero(values[:, 0] <= target_loss)
    return int(round(epochs[reached[0]])) if len(reached) else None


def _finite(arrays) -> bool:
    """True if every entry is finite (magnitudes beyond 1e154 count as diverged too)."""
    return all(math.isfinite(np.vdot(a, a)) for a in arrays)


class Trainer:
    """A network trained on a preset's data, one batch per ``train_batch``.

    ``epoch`` counts completed epochs and ``batch`` the batches done in the current one.
    ``message`` says why training stopped when it diverged ("" otherwise). ``changes``
    counts every change to what a snapshot shows. ``target_epoch`` is the first epoch whose
    training loss reached the preset's ``target_loss`` (None before), ``edits`` the
    progress (epochs, as a fraction) at which a parameter was typed in; ``undo_steps`` the
    states before the latest ``undo_steps`` steps (``core.session.undo``).
    """

    def __init__(self, preset: Preset, data: Dataset, net: Network, seed: int,
                 optimizer: str, learning_rate: float, undo_steps: int = UNDO_STEPS) -> None:
        self.gradient_method = "backprop"   # kept across new networks, like a UI setting
        self.changes = 0
        self.checkpoints = Checkpoints()
        self.undo_steps = UndoSteps(undo_steps)
        self.install(preset, data, net, seed, optimizer, learning_rate)

    def install(self, preset: Preset, data: Dataset, net: Network, seed: int, optimizer: str,
                learning_rate: float) -> None:
        """Start over at epoch 0 with ``net`` on ``data``, an empty history, the network's
        default parameters watched."""
        self.preset, self.net, self.seed, self.data = preset, net, seed, data
        self.optimizer = make_optimizer(optimizer)
        self.learning_rate = learning_rate
        self.epoch, self.batch, self.epoch_cost = 0, 0, 0.0
        self._slices: tuple[int, list] = (-1, [])
        self.history = History(1 + net.n_layers)    # training loss, then ||dC/dw(l)||
        self.test_history = History(1)
        self.last_test_epoch = 0
        self.target_epoch: int | None = None
        self.edits: list[float] = []
        self.undo_steps.clear()
        self.message = ""
        self.suggested_learning_rate: float | None = None   # after a divergence
        self._explode_at = EXPLOSION * max(net.loss(data.X_train, data.Y_train), 1.0)
        self.path = ParameterPath(default_parameters(net, data.X_train, data.Y_train),
                                  PATH_LENGTH)
        self.path.record(0, net)
        self.checkpoints.clear()
        self.take_checkpoint()
        self.changes += 1

    @property
    def diverged(self) -> bool:
        """True when training stopped because it diverged (and nothing restarted it)."""
        return bool(self.message)

    def batches(self) -> list:
        """The current epoch's mini-batches (index arrays or one full slice)."""
        if self._slices[0] != self.epoch:
            n = len(self.data.X_train)
            self._slices = (self.epoch, batch_slices(n, self.preset.batch_size, self.seed,
                                                     self.epoch))
        return self._slices[1]

    def progress(self) -> float:
        """Completed epochs, counting the current epoch's completed batches as a fraction."""
        return self.epoch + self.batch / len(self.batches())

    def train_batch(self, update: BatchUpdate | None = None) -> None:
        """One gradient step on the next mini-batch (by ``update`` if given, else by the
        gradient method); the epoch's last batch ends the epoch."""
        if update is None:
            backprop = self.gradient_method == "backprop"
            update = train_batch if backprop else numeric_train_batch
        batches = self.batches()
        index = batches[self.batch]
        cost, grad_w, _ = update(self.net, self.optimizer, self.data.X_train[index],
                                 self.data.Y_train[index], self.learning_rate)
        self.changes += 1
        if not cost < self._explode_at:   # NaN fails this test too
            self._diverge()
            return
        self.epoch_cost += cost
        self.batch += 1
        if self.batch == len(batches):
            self._end_epoch(grad_w, len(batches))

    def _end_epoch(self, grad_w: list[np.ndarray], batches: int) -> None:
        """Record the epoch in the history and check the parameters it left."""
        self.epoch += 1
        self.batch = 0
        norms = [math.sqrt(np.vdot(g, g)) for g in grad_w]
        self.history.append(self.epoch, [self.epoch_cost / batches, *norms])
        if self.target_epoch is None and self.epoch_cost / batches <= self.preset.target_loss:
            self.target_epoch = self.epoch
        self.path.record(self.epoch, self.net)
        self.epoch_cost = 0.0
        if self.epoch % TEST_EVERY == 0:
            self._record_test_loss()
        if self.epoch % CHECKPOINT_EVERY == 0:
            # Non-finite parameters also show in the next batch's cost; a checkpoint must
            # not wait for that.
            if not _finite(self.net.parameters()):
                self._diverge()
                return
            self.take_checkpoint()

    def _record_test_loss(self) -> None:
        """Add the test loss at this epoch to the history (once per epoch, if there is a
        test split)."""
        if len(self.data.X_test) == 0 or self.epoch <= self.last_test_epoch:
            return
        loss = self.net.loss(self.data.X_test, self.data.Y_test)
        if math.isfinite(loss):
            self.test_history.append(self.epoch, (loss,))
        self.last_test_epoch = self.epoch

    def take_checkpoint(self) -> None:
        """Remember the current (finite) state to go back to."""
        self.checkpoints.take(self.epoch, self.batch, self.epoch_cost, self.net,
                              self.optimizer, self.learning_rate)

    def check_finite(self) -> None:
        """Treat parameters that are no longer finite as a divergence."""
        if not _finite(self.net.parameters()):
            self._diverge()

    def check_cost(self) -> None:
        """Treat a training cost that exploded (or parameters that are not finite) as a
        divergence, so a step that ends on a diverged state says so at once."""
        self.check_finite()
        if not self.diverged and not self.net.loss(self.data.X_train,
                                                   self.data.Y_train) < self._explode_at:
            self._diverge()

    def _diverge(self) -> None:
        """The state at the current position is not finite: go back to the start of the
        epoch whose updates made it so and say where it failed.

        A bad state at an epoch's first batch was made by the epoch before, so training goes
        back one epoch (and its history row).
        """
        failed = self.epoch if self.batch > 0 else max(self.epoch - 1, 0)
        back = self.checkpoints.rewind(self.net, self.data, self.preset.batch_size, self.seed,
                                       (self.epoch, self.batch), failed)
        self.epoch, self.batch, self.epoch_cost = back.epoch, back.batch, back.epoch_cost
        if back.optimizer.name == self.optimizer.name:   # the kind chosen since stays chosen
            self.optimizer = back.optimizer
        else:
            self.optimizer = make_optimizer(self.optimizer.name)
        self.history.drop_after(self.epoch)
        self.test_history.drop_after(self.epoch)
        self.last_test_epoch = min(self.last_test_epoch, self.epoch)
        self.take_checkpoint()
        self.undo_steps.clear()
        self.target_epoch = first_reached(self.history, self.preset.target_loss)
        self.message = (f"diverged at epoch {failed + 1} with learning rate "
                        f"{self.learning_rate:g}; restored epoch {self.epoch}")
        self.suggested_learning_rate = lower_learning_rate(
            self.net, self.optimizer, self.data.X_train, self.data.Y_train, self.learning_rate)
        self.changes += 1

    # --- settings -------------------------------------------------------------------------

    def set_learning_rate(self, learning_rate: float) -> None:
        """Use ``learning_rate`` (checked) from the next batch on."""
        self.check_finite()
        self.learning_rate = learning_rate
        self.take_checkpoint()

    def set_optimizer(self, name: str) -> None:
        """Switch to a fresh optimizer ``name`` from the next batch on."""
        optimizer = make_optimizer(name)
        self.check_finite()
        self.optimizer = optimizer
        self.take_checkpoint()

    def set_gradient_method(self, method: str) -> None:
        """Compute training's gradients by ``method`` (see ``GRADIENT_METHODS``)."""
        if method not in GRADIENT_METHODS:
            names = ", ".join(repr(m) for m in GRADIENT_METHODS)
            raise ValueError(f"method: expected one of {names}, got {method!r}")
        self.check_finite()
        self.gradient_method = method
        self.take_checkpoint()

    def edited_base(self) -> Preset:
        """The preset being trained, with the learning rate and optimizer in use."""
        preset, rate, optimizer = self.preset, self.learning_rate, self.optimizer.name
        if (rate, optimizer) == (preset.learning_rate, preset.optimizer):
            return preset
        return preset.replace(learning_rate=rate, optimizer=optimizer)

    def keep_weights_for(self, edited: Preset, data: Dataset, fields) -> None:
        """Train on as ``edited`` (which needs no new weights) with ``data``: new data or a
        new batch size start the current epoch over; an optimizer or learning rate among
        the edited ``fields`` takes effect."""
        self.check_finite()
        restart_epoch = data is not self.data or edited.batch_size != self.preset.batch_size
        self.preset, self.data = edited, data
        if restart_epoch:
            self.batch, self.epoch_cost, self._slices = 0, 0.0, (-1, [])
        self.net.penalty, self.net.penalty_rate = edited.penalty, edited.penalty_rate
        if "optimizer" in fields and edited.optimizer != self.optimizer.name:
            self.optimizer = make_optimizer(edited.optimizer)
        if "learning_rate" in fields:
            self.learning_rate = edited.learning_rate
        self.checkpoints.clear()      # replays from before would use other settings
        self.take_checkpoint()
        self.undo_steps.clear()
        self.target_epoch = first_reached(self.history, self.preset.target_loss)

    # --- session files --------------------------------------------------------------------

    def saved(self) -> SavedSession:
        """Everything a session file holds, copied."""
        net, preset = self.net, self.preset
        return SavedSession(
            preset_toml=preset.to_toml(),
            preset_path=None if preset.path is None else str(preset.path),
            data_digest=data_digest(self.data), seed=self.seed, epoch=self.epoch,
            batch=self.batch, epoch_cost=self.epoch_cost, learning_rate=self.learning_rate,
            optimizer=self.optimizer.name, weights=tuple(w.copy() for w in net.weights),
            biases=tuple(b.copy() for b in net.biases),
            optimizer_state=self.optimizer.state(), history=self.history.state(),
            test_history=self.test_history.state())

    def restore(self, saved: SavedSession, path: Path | str) -> None:
        """Take over the saved state after checking that it fits this trainer's preset
        (``SessionFileError`` naming ``path`` if not)."""
        check_fit(saved, path, self.net, self.data, len(self.batches()))
        for name, history, state in (("history", self.history, saved.history),
                                     ("test_history", self.test_history, saved.test_history)):
            try:
                history.load_state(state)
            except ValueError as error:
                raise SessionFileError(f"{path}: {name}: {error}") from None
        for live, stored in zip(self.net.parameters(), saved.weights + saved.biases):
            live[...] = stored
        self.optimizer = make_optimizer(saved.optimizer)
        self.optimizer.load_state(saved.optimizer_state)
        self.seed, self.learning_rate = saved.seed, saved.learning_rate
        self.epoch, self.batch, self.epoch_cost = saved.epoch, saved.batch, saved.epoch_cost
        self._slices = (-1, [])
        test_epochs = self.test_history.arrays()[0]
        self.last_test_epoch = int(test_epochs[-1]) if len(test_epochs) else 0
        self.checkpoints.clear()     # epoch 0's weights did not lead here: never replay them
        self.take_checkpoint()
        self.undo_steps.clear()
        self.edits.clear()
        self.target_epoch = first_reached(self.history, self.preset.target_loss)
        self.changes += 1


def starting_trainer(preset: Preset, undo_steps: int = UNDO_STEPS) -> Trainer:
    """A trainer at epoch 0 of ``preset``: its data, its network from its seed, its optimizer
    and learning rate."""
    return Trainer(preset, preset.load_data(), preset.build_network(), preset.seed,
                   preset.optimizer, preset.learning_rate, undo_steps)
