"""The immutable picture of a training session that a view draws from.

A ``Snapshot`` is built by the session's own thread and handed to subscribers; every array
in it is a read-only copy, so a view may keep it while training goes on. It is built in two
parts: a ``PendingSnapshot`` copies what it shows while the session's lock is held (cheap),
and makes the passes and grids from the copies once the lock is free.
"""

from __future__ import annotations

import copy
import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..data.datasets import Dataset
from ..engine.network import Network, Pass
from .oscillation import calmer_learning_rate, oscillating

if TYPE_CHECKING:
    from .trainer import Trainer

GRID = 48                # the decision map of a 2-input network: GRID x GRID outputs
CURVE_POINTS = 200       # the learned curve of a 1-input network


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs about a session at one moment.

    Arrays are read-only. ``activations[l]`` is a(l) on the training inputs (a(0) = X_train),
    ``gradients_w[l]`` / ``gradients_b[l]`` are dC/dw(l), dC/db(l) of the training cost at
    these weights. Histories are downsampled for long runs (the most recent epochs exact).
    """

    # which experiment
    preset_name: str
    preset_title: str
    sizes: tuple[int, ...]
    activation: str
    output_activation: str
    loss_name: str
    task: str                      # "classification" or "regression"
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    class_names: tuple[str, ...] | None
    # progress and state
    epoch: int                     # completed epochs
    batch: int                     # batches completed within the current epoch
    batches_per_epoch: int
    state: str                     # "paused", "running" or "diverged"
    message: str                   # e.g. "diverged at epoch 812 with learning rate 30;
    #   restored epoch 811"
    learning_rate: float
    optimizer: str                 # "gd", "momentum" or "adam"
    batch_size: int                # 0 = full batch
    seed: int
    epochs_per_second: float
    # quality at these weights
    loss: float                    # training cost C at these weights
    test_loss: float | None        # None without a test split
    accuracy: float | None         # training accuracy; None for regression
    test_accuracy: float | None
    # parameters and gradients
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    gradients_w: tuple[np.ndarray, ...]
    gradients_b: tuple[np.ndarray, ...]
    # the data and the network's view of it
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    activations: tuple[np.ndarray, ...]   # a(0..L) on X_train
    test_outputs: np.ndarray              # a(L) on X_test (0 rows without a test split)
    # histories, for plots
    history_epochs: np.ndarray            # epoch numbers (float64, ascending)
    history_loss: np.ndarray              # training loss at those epochs
    history_test_epochs: np.ndarray
    history_test_loss: np.ndarray
    grad_norm_history: tuple[np.ndarray, ...]  # per layer: ||dC/dw(l)|| at history_epochs
    # the network's outputs over the input space, for the output view (None where not drawn)
    decision_grid: np.ndarray | None = None    # 2 inputs: a(L) on a G x G grid, shape (G, G, k);
    #   [i, j] is at x1 = linspace(xmin, xmax, G)[j], x2 = linspace(ymin, ymax, G)[i]
    grid_extent: tuple[float, float, float, float] | None = None  # (xmin, xmax, ymin, ymax)
    curve_x: np.ndarray | None = None          # 1 input: evenly spaced inputs over the data, (m,)
    curve_y: np.ndarray | None = None          # a(L) at curve_x, shape (m, k)
    # watching it learn
    pace: int | None = None                    # epochs/s a free run keeps (None: max)
    target_loss: float = 0.0                   # the preset's target_loss
    target_epoch: int | None = None            # first epoch whose loss reached target_loss
    edit_epochs: tuple[float, ...] = ()        # where a parameter was typed in (epochs)
    undo_steps: int = 0                        # how many steps u can undo
    deltas: tuple[np.ndarray, ...] = ()        # delta(l) = dC/dz(l) on X_train, l = 1..L
    neuron_grids: tuple[np.ndarray, ...] | None = None   # 2 inputs: a(l) on the decision
    #   grid for l = 1..L, shape (G, G, units), laid out as decision_grid
    suggested_learning_rate: float | None = None   # after a divergence: well below the rate;
    #   while the loss oscillates: a third of it or less
    oscillating: bool = False                  # the loss stopped falling and swings
    #   (core.session.oscillation)
    gradient_method: str = "backprop"          # how training computes its gradients
    bias: bool = True                          # False: the network has no biases (b = 0)
    counted: bool = False                      # running a counted number of epochs or
    #   batches (a step: n, N, b), not on until paused
    sequence: int = 0                          # a later snapshot of the session: a larger one

    @property
    def outputs(self) -> np.ndarray:
        """The network's outputs a(L) on the training inputs."""
        return self.activations[-1]

    def gradient_terms(self, param: tuple) -> np.ndarray:
        """Each training sample's term of the sum over samples that makes dC/dw for
        ``param`` (``("w", l, i, j)``: delta(l)_j a(l-1)_i; ``("b", l, j)``: delta(l)_j),
        penalty left out; empty when the snapshot has no deltas."""
        if not self.deltas:
            return np.zeros(0)
        delta = self.deltas[param[1] - 1][:, param[-1]]
        return delta if param[0] == "b" else delta * self.activations[param[1] - 1][:, param[2]]

    @property
    def n_layers(self) -> int:
        """The number of weight layers L."""
        return len(self.weights)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _accuracy(outputs: np.ndarray, Y: np.ndarray) -> float:
    """The fraction of rows classified right: output >= 0.5 for one 0/1 column, else argmax."""
    if Y.shape[1] == 1:
        return float(np.mean((outputs[:, 0] >= 0.5) == (Y[:, 0] >= 0.5)))
    return float(np.mean(outputs.argmax(axis=1) == Y.argmax(axis=1)))


@functools.lru_cache(maxsize=4)
def output_view_inputs(data: Dataset) -> tuple[np.ndarray | None, tuple[float, ...] | None]:
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


class PendingSnapshot:
    """The picture of a trainer at one moment, not yet built: cheap, consistent copies of
    what it shows (parameters, counters, histories, settings), taken while the session's
    lock is held; ``snapshot()`` then makes the passes and grids from them, once, in any
    thread and with the lock free."""

    def __init__(self, trainer: Trainer, state: str, epochs_per_second: float,
                 pace: int | None = None, counted: bool = False, sequence: int = 0) -> None:
        net, preset = copy.copy(trainer.net), trainer.preset
        net.weights = [_frozen(w.copy(order="K")) for w in net.weights]
        net.biases = [_frozen(b.copy(order="K")) for b in net.biases]
        self._net, self._data = net, trainer.data
        self._histories = trainer.history.arrays() + trainer.test_history.arrays()
        oscillates = not trainer.diverged and oscillating(self._histories[1][:, 0])
        self._fields = dict(
            preset_name=preset.name, preset_title=preset.title, epoch=trainer.epoch,
            batch=trainer.batch, batches_per_epoch=len(trainer.batches()), state=state,
            message=trainer.message, learning_rate=trainer.learning_rate,
            optimizer=trainer.optimizer.name, batch_size=preset.batch_size,
            seed=trainer.seed, epochs_per_second=epochs_per_second, pace=pace,
            target_loss=preset.target_loss, target_epoch=trainer.target_epoch,
            edit_epochs=tuple(trainer.edits), undo_steps=len(trainer.undo_steps),
            suggested_learning_rate=(
                trainer.suggested_learning_rate if trainer.diverged
                else calmer_learning_rate(trainer.learning_rate) if oscillates else None),
            oscillating=oscillates,
            gradient_method=trainer.gradient_method, counted=counted, sequence=sequence)
        self._lock = threading.Lock()
        self._built: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        """The ``Snapshot``: built on the first call, the same object on every later one."""
        with self._lock:
            if self._built is None:
                self._built = _build(self._net, self._data, self._histories, self._fields)
            return self._built


def _build(net: Network, data: Dataset, histories: tuple[np.ndarray, ...],
           fields: dict) -> Snapshot:
    """The ``Snapshot`` of ``net`` (a private copy) on ``data``, with the histories (epochs
    and values of the training, then of the test history) and the other ``fields``."""
    record = Pass(net, data.X_train, data.Y_train, keep_z=False).forward()
    activations = tuple(_frozen(a) for a in record.a)
    loss = record.cost()
    record.backward()
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
    view_inputs, grid_extent = output_view_inputs(data)
    if view_inputs is not None and grid_extent is None:
        view = {"curve_x": view_inputs[:, 0], "curve_y": _frozen(net.forward(view_inputs))}
    elif view_inputs is not None:
        grids = tuple(_frozen(a.reshape(GRID, GRID, -1))
                      for a in net.forward_layers(view_inputs)[1:])
        view = {"decision_grid": grids[-1], "grid_extent": grid_extent, "neuron_grids": grids}
    epochs, values, test_epochs, test_values = histories
    return Snapshot(
        sizes=net.sizes, activation=net.activation, output_activation=net.output_activation,
        loss_name=net.loss_name, task=data.task, input_names=data.input_names,
        target_names=data.target_names, class_names=data.class_names,
        loss=loss, test_loss=test_loss,
        accuracy=_accuracy(activations[-1], data.Y_train) if classification else None,
        test_accuracy=test_accuracy,
        weights=tuple(net.weights), biases=tuple(net.biases), bias=net.bias,
        gradients_w=tuple(_frozen(g) for g in record.dW[1:]),
        gradients_b=tuple(_frozen(g) for g in record.db[1:]),
        deltas=tuple(_frozen(d) for d in record.delta[1:]),
        X_train=data.X_train, Y_train=data.Y_train, X_test=data.X_test, Y_test=data.Y_test,
        activations=activations, test_outputs=_frozen(test_outputs),
        history_epochs=epochs, history_loss=values[:, 0],
        history_test_epochs=test_epochs, history_test_loss=test_values[:, 0],
        grad_norm_history=tuple(values[:, 1 + layer] for layer in range(net.n_layers)),
        **fields, **view)
