"""The math views' commands: the chain-rule inspector, the gradient check, the cost
landscape, stepping through a batch and finite-difference training.

A view copies the network under the runner's lock and computes on the copy, so training
goes on meanwhile. The watched parameters' path is recorded by the trainer at the end of
every epoch; ``MathCommands`` keeps the batch being stepped through.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..checks import is_integer, is_number
from ..engine.finite_differences import LayerCheck, gradient_check
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
    MAX_LANDSCAPE_SIZE,
    CostLandscape,
    SteppedBatch,
    StepThrough,
    check_parameters,
    cost_landscape,
)
from ..explain.step_through import BatchStepper
from .history import ParameterPath
from .runner import Runner
from .trainer import PATH_LENGTH
from .undo import remember

GRADCHECK_SAMPLES = 64
GRADCHECK_ENTRIES = 500  # entries checked per parameter array (seeded sample beyond that)


class MathCommands:
    """The math views' commands on the trainer of ``runner`` (a session's ``views``)."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._stepped: SteppedBatch | None = None

    @property
    def gradient_method(self) -> str:
        """How training computes dC/dw: "backprop" or "finite_differences"."""
        return self._runner.trainer.gradient_method

    def set_gradient_method(self, method: str) -> None:
        """Train with backprop's gradients ("backprop") or, as the notes start, with
        finite-difference estimates ("finite_differences", eq. 1.0.1, four cost evaluations
        per parameter) from the next batch on. Stepping through a batch shows backprop."""
        with self._runner.command():
            self._runner.trainer.set_gradient_method(method)
            self._runner.stop_if_diverged()

    def gradient_check(self, cancelled: Callable[[], bool] | None = None) -> list[LayerCheck]:
        """Per layer, the largest relative error between backprop and finite differences at
        the current weights, on at most 64 evenly spaced training samples and at most 500
        entries of each parameter array. ``cancelled`` is asked between parameters: once it
        answers True the check stops with ``ComputationCancelled``."""
        net, X, Y = self._copy()
        every = -(-len(X) // GRADCHECK_SAMPLES)
        return gradient_check(net, X[::every], Y[::every], per_array=GRADCHECK_ENTRIES,
                              cancelled=cancelled)

    def inspect_neuron(self, layer: int, unit: int, sample: int) -> NeuronReport:
        """Neuron ``unit`` of layer ``layer`` (1..L) on training sample ``sample``: the
        forward equation (1.6.1) with its numbers, sigma' and the neuron's delta."""
        net, X, Y = self._copy()
        return neuron_report(net, X, Y, layer, unit, sample)

    def inspect_weight(self, layer: int, i: int, j: int,
                       sample: int | None = None) -> GradientReport:
        """dC/dw(layer)[i, j] on the training set as the chain rule per sample, summed over
        the samples, with its finite-difference estimate (``sample`` is spelled out)."""
        net, X, Y = self._copy()
        return weight_report(net, X, Y, layer, i, j, sample)

    def inspect_bias(self, layer: int, j: int, sample: int | None = None) -> GradientReport:
        """dC/db(layer)_j on the training set, as ``inspect_weight`` does for a weight."""
        net, X, Y = self._copy()
        return bias_report(net, X, Y, layer, j, sample)

    def watch_parameters(self, params) -> None:
        """Record one or two parameters (``("w", l, i, j)`` / ``("b", l, j)``) at the end of
        every epoch from now on, for the cost landscape's path (the last PATH_LENGTH
        epochs). Watching the parameters already watched keeps their path. A new network
        watches ``default_parameters`` from epoch 0."""
        with self._runner.command(changes=False):
            trainer = self._runner.trainer
            params = check_parameters(trainer.net, params)
            if params != trainer.path.params:
                trainer.path = ParameterPath(params, PATH_LENGTH)
                trainer.path.record(trainer.epoch, trainer.net)

    def watched_parameters(self) -> tuple[Param, ...]:
        """The parameters whose path is being recorded."""
        with self._runner.command(changes=False):
            return self._runner.trainer.path.params

    def cost_landscape(self, params, size: int = 48, span: float | None = None,
                       cancelled: Callable[[], bool] | None = None) -> CostLandscape:
        """C along one parameter or over two (``size`` points an axis; current +- ``span``,
        or by default a window holding the current point, the path and the next step),
        the others held at their values now, on the training set. The path is there for
        watched parameters (see ``watch_parameters``). ``cancelled`` is asked between
        points: once it answers True the landscape stops with ``ComputationCancelled``."""
        if not is_integer(size) or not 2 <= size <= MAX_LANDSCAPE_SIZE:
            raise ValueError(f"size: expected an integer from 2 to {MAX_LANDSCAPE_SIZE}, "
                             f"got {size!r}")
        if span is not None and (not is_number(span) or not math.isfinite(span) or span <= 0):
            raise ValueError(f"span: expected a finite number > 0 or None, got {span!r}")
        with self._runner.command(changes=False):
            trainer = self._runner.trainer
            net, X, Y = trainer.net.copy(), trainer.data.X_train, trainer.data.Y_train
            params = check_parameters(net, params)
            learning_rate, epoch = trainer.learning_rate, trainer.epoch
            points = [(e, values) for e, values in trainer.path.points if e <= epoch]
            watched = trainer.path.params
        if points and set(params) <= set(watched):
            columns = [watched.index(p) for p in params]
            path = np.array([[values[c] for c in columns] for _, values in points])
            path_epochs = np.array([e for e, _ in points])
        else:
            path, path_epochs = np.empty((0, len(params))), np.empty(0, dtype=np.int64)
        return cost_landscape(net, X, Y, params, size, span, learning_rate, path,
                              path_epochs, epoch, cancelled)

    def begin_step_through(self) -> StepThrough:
        """Pause and take the next mini-batch apart (``core.explain.step_through``):
        forward layer by layer, backward layer by layer, then the update, one phase per
        ``advance_step_through``. Training, editing or resetting meanwhile ends it."""
        with self._runner.command():
            self._begin()
            return self._stepped.state()

    def advance_step_through(self) -> str:
        """Perform the next phase of the stepped batch (beginning the next batch if none is
        under way or the last one is done) and return what it computed. The update trains
        the batch exactly as ``step_batch()`` would, counters and history included."""
        with self._runner.command():
            trainer = self._runner.trainer
            if self._current() is None or self._stepped.stepper.done:
                self._begin()
            stepped = self._stepped
            stepper = stepped.stepper
            if stepper.phase != "update":
                return stepper.advance().description

            def stepped_update(net, optimizer, X, Y, learning_rate):
                stepper.learning_rate = learning_rate
                stepper.advance()
                return stepper.cost, stepper.grad_w, stepper.grad_b

            remember(trainer)
            trainer.train_batch(stepped_update)
            trainer.check_finite()
            if stepper.done and not trainer.diverged:
                stepped.moved_to((trainer.epoch, trainer.batch))
            else:
                self._stepped = None
            return stepper.last.description

    def step_through(self) -> StepThrough | None:
        """The batch being stepped through (or just updated), None if there is none."""
        with self._runner.command(changes=False):
            stepped = self._current()
            return None if stepped is None else stepped.state()

    def _copy(self) -> tuple[Network, np.ndarray, np.ndarray]:
        """A copy of the network, and the training data, taken under the lock."""
        with self._runner.command(changes=False):
            trainer = self._runner.trainer
            return trainer.net.copy(), trainer.data.X_train, trainer.data.Y_train

    def _begin(self) -> None:
        """Pause and start stepping the next mini-batch."""
        trainer = self._runner.trainer
        self._runner.pause()
        trainer.message = ""
        trainer.check_finite()
        batches = trainer.batches()
        index = batches[trainer.batch]
        rows = np.arange(len(trainer.data.X_train))[index]
        stepper = BatchStepper(trainer.net, trainer.optimizer, trainer.data.X_train[index],
                               trainer.data.Y_train[index], trainer.learning_rate)
        params = tuple(p.copy() for p in trainer.net.parameters())
        self._stepped = SteppedBatch(stepper, trainer.epoch, trainer.batch, len(batches), rows,
                                     params, (trainer.epoch, trainer.batch), params,
                                     trainer.preset)

    def _current(self) -> SteppedBatch | None:
        """The stepped batch if it still holds (paused, nothing else changed), else None."""
        runner, stepped = self._runner, self._stepped
        trainer = runner.trainer
        if stepped is not None and (runner.running or not stepped.holds(
                trainer.net, trainer.optimizer, trainer.preset, (trainer.epoch, trainer.batch))):
            self._stepped = stepped = None
        return stepped
