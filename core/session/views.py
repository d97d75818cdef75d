"""The math views (issue 7), mixed into ``core.session.Session``: the chain-rule inspector,
the cost landscape, stepping through a batch and finite-difference training.

A view copies the network under the session's lock and computes on the copy, so training
goes on meanwhile. ``MathViewsMixin`` keeps the watched parameters' path and the batch being
stepped through; the session's training calls ``_record_path`` at the end of every epoch.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from ..engine.network import Network
from ..explain.chain_rule import (
    GradientReport,
    NeuronReport,
    bias_report,
    neuron_report,
    weight_report,
)
from ..explain.cost_landscape import Param
from ..explain.math_views import (
    GRADIENT_METHODS,
    MAX_LANDSCAPE_SIZE,
    PATH_LENGTH,
    CostLandscape,
    SteppedBatch,
    StepThrough,
    check_parameters,
    cost_landscape,
    default_parameters,
)
from ..explain.step_through import BatchStepper


class MathViewsMixin:
    """The session's math-view commands (see ``core.session.Session``)."""

    _gradient_method = "backprop"       # kept across reset() and load(), like a UI setting
    _apply_stepped = False              # True while advance_step_through applies an update

    @property
    def gradient_method(self) -> str:
        """How training computes dC/dw: "backprop" or "finite_differences"."""
        return self._gradient_method

    def set_gradient_method(self, method: str) -> None:
        """Train with backprop's gradients ("backprop") or, as the notes start, with
        finite-difference estimates ("finite_differences", eq. 1.0.1, four cost evaluations
        per parameter) from the next batch on. Stepping through a batch shows backprop."""
        if method not in GRADIENT_METHODS:
            names = ", ".join(repr(m) for m in GRADIENT_METHODS)
            raise ValueError(f"method: expected one of {names}, got {method!r}")
        with self._command():
            self._check_finite()
            self._gradient_method = method
            self._take_checkpoint()

    def inspect_neuron(self, layer: int, unit: int, sample: int) -> NeuronReport:
        """Neuron ``unit`` of layer ``layer`` (1..L) on training sample ``sample``: the
        forward equation (1.6.1) with its numbers, sigma' and the neuron's delta."""
        net, X, Y = self._view_copy()
        return neuron_report(net, X, Y, layer, unit, sample)

    def inspect_weight(self, layer: int, i: int, j: int,
                       sample: int | None = None) -> GradientReport:
        """dC/dw(layer)[i, j] on the training set as the chain rule per sample, summed over
        the samples, with its finite-difference estimate (``sample`` is spelled out)."""
        net, X, Y = self._view_copy()
        return weight_report(net, X, Y, layer, i, j, sample)

    def inspect_bias(self, layer: int, j: int, sample: int | None = None) -> GradientReport:
        """dC/db(layer)_j on the training set, as ``inspect_weight`` does for a weight."""
        net, X, Y = self._view_copy()
        return bias_report(net, X, Y, layer, j, sample)

    def watch_parameters(self, params) -> None:
        """Record one or two parameters (``("w", l, i, j)`` / ``("b", l, j)``) at the end of
        every epoch from now on, for the cost landscape's path (the last PATH_LENGTH
        epochs). Watching the parameters already watched keeps their path. A new network
        watches ``default_parameters`` from epoch 0."""
        with self._command(changes=False):
            params = check_parameters(self._net, params)
            if params != self._watched:
                self._watched = params
                self._path.clear()
                self._path.append(self._path_point())

    def watched_parameters(self) -> tuple[Param, ...]:
        """The parameters whose path is being recorded."""
        with self._command(changes=False):
            return self._watched

    def cost_landscape(self, params, size: int = 48,
                       span: float | None = None) -> CostLandscape:
        """C along one parameter or over two (``size`` points an axis; current +- ``span``,
        or by default a window holding the current point, the path and the next step),
        the others held at their values now, on the training set. The path is there for
        watched parameters (see ``watch_parameters``)."""
        if (isinstance(size, bool) or not isinstance(size, (int, np.integer))
                or not 2 <= size <= MAX_LANDSCAPE_SIZE):
            raise ValueError(f"size: expected an integer from 2 to {MAX_LANDSCAPE_SIZE}, "
                             f"got {size!r}")
        if span is not None and (isinstance(span, bool) or not isinstance(span, (int, float))
                                 or not math.isfinite(span) or span <= 0):
            raise ValueError(f"span: expected a finite number > 0 or None, got {span!r}")
        with self._command(changes=False):
            net, X, Y = self._net.copy(), self._data.X_train, self._data.Y_train
            params = check_parameters(net, params)
            learning_rate, epoch = self._learning_rate, self._epoch
            points = [(e, values) for e, values in self._path if e <= epoch]
            watched = self._watched
        if points and set(params) <= set(watched):
            columns = [watched.index(p) for p in params]
            path = np.array([[values[c] for c in columns] for _, values in points])
            path_epochs = np.array([e for e, _ in points])
        else:
            path, path_epochs = np.empty((0, len(params))), np.empty(0, dtype=np.int64)
        return cost_landscape(net, X, Y, params, size, span, learning_rate, path,
                              path_epochs, epoch)

    def begin_step_through(self) -> StepThrough:
        """Pause and take the next mini-batch apart (``core.stepper.BatchStepper``):
        forward layer by layer, backward layer by layer, then the update, one phase per
        ``advance_step_through``. Training, editing or resetting meanwhile ends it."""
        with self._command():
            self._begin_stepper()
            return self._stepped.state()

    def advance_step_through(self) -> str:
        """Perform the next phase of the stepped batch (beginning the next batch if none is
        under way or the last one is done) and return what it computed. The update trains
        the batch exactly as ``step_batch()`` would, counters and history included."""
        with self._command():
            if self._step_through_locked() is None or self._stepped.stepper.done:
                self._begin_stepper()
            stepped = self._stepped
            stepper = stepped.stepper
            if stepper.phase != "update":
                return stepper.advance().description
            self._apply_stepped = True
            try:
                self._train_batch()
            finally:
                self._apply_stepped = False
            self._check_finite()
            if stepper.done and self._state() != "diverged":
                stepped.moved_to((self._epoch, self._batch))
            else:
                self._stepped = None
            return stepper.last.description

    def step_through(self) -> StepThrough | None:
        """The batch being stepped through (or just updated), None if there is none."""
        with self._command(changes=False):
            stepped = self._step_through_locked()
            return None if stepped is None else stepped.state()

    def _view_copy(self) -> tuple[Network, np.ndarray, np.ndarray]:
        """A copy of the network, and the training data, taken under the lock."""
        with self._command(changes=False):
            return self._net.copy(), self._data.X_train, self._data.Y_train

    def _reset_math_views(self) -> None:
        """A new network: watch its default parameters from here; no batch is stepped."""
        self._watched = default_parameters(self._net, self._data.X_train, self._data.Y_train)
        self._path: deque[tuple[int, tuple[float, ...]]] = deque(maxlen=PATH_LENGTH)
        self._path.append(self._path_point())
        self._stepped: SteppedBatch | None = None

    def _path_point(self) -> tuple[int, tuple[float, ...]]:
        # The watched parameters were checked when chosen: index them directly, since
        # this runs after every epoch.
        net = self._net
        return self._epoch, tuple(
            float((net.weights if kind == "w" else net.biases)[layer - 1][tuple(index)])
            for kind, layer, *index in self._watched)

    def _record_path(self) -> None:
        """At the end of an epoch: add the watched parameters' values to the path. Points
        of epochs now undone (a divergence went back) are dropped; after a jump (a resumed
        session) the path starts again."""
        while self._path and self._path[-1][0] >= self._epoch:
            self._path.pop()
        if self._path and self._path[-1][0] < self._epoch - 1:
            self._path.clear()
        self._path.append(self._path_point())

    def _begin_stepper(self) -> None:
        """Pause and start stepping the next mini-batch."""
        if self._mode != "idle":
            self._set_mode("idle")
        self._message = ""
        self._check_finite()
        batches = self._batches()
        index = batches[self._batch]
        rows = np.arange(len(self._data.X_train))[index]
        stepper = BatchStepper(self._net, self._optimizer, self._data.X_train[index],
                               self._data.Y_train[index], self._learning_rate)
        params = tuple(p.copy() for p in self._net.parameters())
        self._stepped = SteppedBatch(stepper, self._epoch, self._batch, len(batches), rows,
                                     params, (self._epoch, self._batch), params)

    def _step_through_locked(self) -> SteppedBatch | None:
        """The stepped batch if it still holds (paused, nothing else changed), else None."""
        stepped = self._stepped
        if stepped is not None and not (self._mode == "idle" and stepped.holds(
                self._net, self._optimizer, (self._epoch, self._batch))):
            self._stepped = stepped = None
        return stepped
