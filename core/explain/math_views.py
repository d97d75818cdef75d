"""What the session's math views hand out: a cost landscape and a batch being stepped through.

The session copies its network under its lock and calls these functions on the copy, so
training goes on while a landscape is computed. Parameters are addressed as in
``core.explain.cost_landscape``: ``("w", l, i, j)`` for w(l)[i, j], ``("b", l, j)`` for
b(l)_j, l = 1..L.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..engine.network import Network
from .cost_landscape import (
    Param,
    cost_curve,
    cost_surface,
    default_range,
    locate,
    partial_derivatives,
    value_of,
)
from .step_through import BatchStepper, Step

if TYPE_CHECKING:
    from ..presets.schema import Preset

MAX_LANDSCAPE_SIZE = 512
"""The most grid points a landscape axis may have."""
EXTENSIONS = 2
"""How many times a default curve's window may widen towards a valley beyond its edge (a
map keeps its window on the path: a sigmoid's valleys go on for ever)."""


def param_name(param: Param) -> str:
    """``w(l)[i,j]`` or ``b(l)_j``."""
    if param[0] == "b":
        return f"b({param[1]})_{param[2]}"
    return f"w({param[1]})[{param[2]},{param[3]}]"


def all_parameters(net: Network) -> list[Param]:
    """Every parameter of ``net``: the weights layer by layer, row by row, then the biases."""
    params: list[Param] = []
    for l, w in enumerate(net.weights, start=1):
        params += [("w", l, i, j) for i in range(w.shape[0]) for j in range(w.shape[1])]
    if net.bias:
        for l, b in enumerate(net.biases, start=1):
            params += [("b", l, j) for j in range(b.shape[0])]
    return params


def default_parameters(net: Network, X=None, Y=None) -> tuple[Param, ...]:
    """The parameters a session watches from the start: all of them when the model has one
    or two (``twice``, ``twice`` with a bias); its two weights when it has two (``chain``:
    w(1) and w(2)); else the two weights with the largest |dC/dw| on (X, Y), the ones
    descent moves most (without data: the first two)."""
    params = all_parameters(net)
    if len(params) <= 2:
        return tuple(params)
    weights = [p for p in params if p[0] == "w"]
    if len(weights) <= 2 or X is None or Y is None:
        return tuple(weights[:2])
    grad_w, _ = net.gradients(X, Y)
    size = np.concatenate([np.abs(g).ravel() for g in grad_w])
    strongest = sorted(np.argsort(-size, kind="stable")[:2])
    return tuple(weights[k] for k in strongest)


def check_parameters(net: Network, params: Sequence[Param]) -> tuple[Param, ...]:
    """``params`` as a tuple of tuples, if there are one or two distinct valid ones."""
    params = tuple(tuple(p) for p in params)
    if not 1 <= len(params) <= 2:
        raise ValueError(f"params: expected one or two parameters, got {len(params)}")
    if len(set(params)) != len(params):
        raise ValueError(f"params: the same parameter twice ({params[0]!r})")
    for param in params:
        locate(net, param)
    return params


@dataclass(frozen=True)
class CostLandscape:
    """C along one parameter (a curve) or two (a surface), every other parameter fixed.

    ``axes[k]`` are the values of ``params[k]`` the grid takes. ``costs`` has shape
    ``(size,)`` for one parameter, ``(size, size)`` for two with ``costs[r, c]`` at
    ``params[0] = axes[0][r]``, ``params[1] = axes[1][c]``. ``current`` is where the
    parameters are now and ``current_cost`` C there (the training cost). ``path`` holds the
    parameters' values at the end of the recorded epochs ``path_epochs`` (oldest first; empty
    if they were not watched). ``next_point`` = ``current`` - eta ``gradient``, the notes'
    gradient-descent step restricted to these parameters, and ``next_cost`` C there.
    """

    params: tuple[Param, ...]
    names: tuple[str, ...]
    axes: tuple[np.ndarray, ...]
    costs: np.ndarray
    current: tuple[float, ...]
    current_cost: float
    gradient: tuple[float, ...]
    learning_rate: float
    next_point: tuple[float, ...]
    next_cost: float
    path: np.ndarray                # shape (k, len(params))
    path_epochs: np.ndarray         # shape (k,)
    epoch: int
    n_parameters: int               # how many parameters the whole model has

    @property
    def dims(self) -> int:
        """1 for a curve, 2 for a surface."""
        return len(self.params)

    @property
    def is_slice(self) -> bool:
        """Whether other parameters are held fixed (a slice through a larger landscape)."""
        return self.n_parameters > len(self.params)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _costs(net: Network, X, Y, params: tuple[Param, ...], axes: list[np.ndarray],
           cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    if len(params) == 1:
        return cost_curve(net, X, Y, params[0], axes[0], cancelled)
    return cost_surface(net, X, Y, params[0], params[1], axes[0], axes[1], cancelled)


def _towards_minimum(costs: np.ndarray, windows: list[tuple[float, float]]
                     ) -> list[tuple[float, float]]:
    """The windows widened by their width on each side where the lowest cost lies on the
    edge (the valley goes on beyond it), so the landscape shows where descent is heading."""
    finite = np.where(np.isfinite(costs), costs, np.inf)
    if not np.isfinite(finite).any():
        return windows
    low = np.unravel_index(np.argmin(finite), costs.shape)
    widened = []
    for k, (lo, hi) in enumerate(windows):
        width = hi - lo
        if low[k] == 0:
            lo -= width
        elif low[k] == costs.shape[k] - 1:
            hi += width
        widened.append((lo, hi))
    return widened


def cost_landscape(net: Network, X, Y, params: Sequence[Param], size: int,
                   span: float | None, learning_rate: float, path: np.ndarray,
                   path_epochs: np.ndarray, epoch: int,
                   cancelled: Callable[[], bool] | None = None) -> CostLandscape:
    """The landscape of ``net`` (left as it was) on (X, Y) around its current parameters.

    Each axis has ``size`` points over current +- ``span``, or with ``span`` None over a
    window holding the current point, the path and the next step (``default_range``),
    for a curve widened (up to EXTENSIONS times) where the lowest cost lies on its edge.
    ``cancelled`` is asked between points (see ``ComputationCancelled``)."""
    params = check_parameters(net, params)
    current = np.array([value_of(net, p) for p in params])
    gradient = partial_derivatives(net, X, Y, params)
    next_point = current - learning_rate * gradient
    if span is None:
        windows = [default_range(current[k], [*path[:, k], next_point[k]])
                   for k in range(len(params))]
    else:
        windows = [(current[k] - span, current[k] + span) for k in range(len(params))]
    for extension in range(EXTENSIONS + 1):
        axes = [_frozen(np.linspace(lo, hi, size)) for lo, hi in windows]
        costs = _costs(net, X, Y, params, axes, cancelled)
        if span is not None or len(params) == 2 or extension == EXTENSIONS:
            break
        widened = _towards_minimum(costs, windows)
        if widened == windows:
            break
        windows = widened
    if len(params) == 1:
        next_cost = float(cost_curve(net, X, Y, params[0], next_point)[0])
    else:
        next_cost = float(cost_surface(net, X, Y, params[0], params[1], next_point[:1],
                                       next_point[1:])[0, 0])
    return CostLandscape(
        params=params, names=tuple(param_name(p) for p in params), axes=tuple(axes),
        costs=_frozen(costs), current=tuple(float(v) for v in current),
        current_cost=float(net.loss(X, Y)), gradient=tuple(float(g) for g in gradient),
        learning_rate=float(learning_rate), next_point=tuple(float(v) for v in next_point),
        next_cost=next_cost, path=_frozen(np.array(path, dtype=np.float64)),
        path_epochs=_frozen(np.array(path_epochs, dtype=np.int64)), epoch=epoch,
        n_parameters=len(all_parameters(net)),
    )


@dataclass(frozen=True)
class StepThrough:
    """A batch of an epoch being taken apart (see ``core.explain.step_through.BatchStepper``).

    ``epoch`` and ``batch`` say which batch (0-based within the epoch) of ``batches`` is
    stepped; ``rows`` are its training rows. ``phase`` and ``layer`` say what the next
    advance computes (``next`` in words), ``last`` is the phase just performed (None before
    the first). ``activations`` holds a(0..l) on the batch computed so far; ``deltas``,
    ``grad_w`` and ``grad_b`` one entry per layer, None until computed. ``weights_before``
    and ``biases_before`` are the parameters before the update.
    """

    epoch: int
    batch: int
    batches: int
    rows: np.ndarray
    phase: str
    layer: int | None
    next: str
    last: Step | None
    activations: tuple[np.ndarray, ...]
    deltas: tuple[np.ndarray | None, ...]
    grad_w: tuple[np.ndarray | None, ...]
    grad_b: tuple[np.ndarray | None, ...]
    cost: float | None
    weights_before: tuple[np.ndarray, ...]
    biases_before: tuple[np.ndarray, ...]
    learning_rate: float
    optimizer: str

    @property
    def done(self) -> bool:
        """True once the batch's update has been applied."""
        return self.phase == "done"


def _copies(arrays) -> tuple:
    return tuple(None if a is None else _frozen(np.array(a, dtype=np.float64)) for a in arrays)


def step_through_state(stepper: BatchStepper, epoch: int, batch: int, batches: int,
                       rows: np.ndarray, before: Sequence[np.ndarray]) -> StepThrough:
    """An immutable picture of ``stepper`` (arrays copied); ``before`` holds the parameters
    as they were when the batch began (weights, then biases)."""
    n_layers = stepper.net.n_layers
    return StepThrough(
        epoch=epoch, batch=batch, batches=batches, rows=_frozen(np.array(rows)),
        phase=stepper.phase, layer=stepper.layer, next=stepper.description, last=stepper.last,
        activations=_copies(stepper.activations), deltas=_copies(stepper.deltas),
        grad_w=_copies(stepper.grad_w), grad_b=_copies(stepper.grad_b), cost=stepper.cost,
        weights_before=_copies(before[:n_layers]), biases_before=_copies(before[n_layers:]),
        learning_rate=stepper.learning_rate, optimizer=stepper.optimizer.name,
    )


@dataclass(eq=False)
class SteppedBatch:
    """The session's record of a batch being stepped through: the stepper, which batch it
    is (``epoch``, ``batch`` of ``batches``; training ``rows``), the parameters before it
    (``before``), and what must still hold for the stepper to be valid: the session at
    ``position`` with parameters equal to ``params``, training ``preset`` (anything else
    that trains or edits the network ends the step-through)."""

    stepper: BatchStepper
    epoch: int
    batch: int
    batches: int
    rows: np.ndarray
    before: tuple[np.ndarray, ...]
    position: tuple[int, int]
    params: tuple[np.ndarray, ...]
    preset: Preset

    def holds(self, net: Network, optimizer, preset: Preset,
              position: tuple[int, int]) -> bool:
        """Whether the session still stands where this batch left it."""
        return (self.stepper.net is net and self.stepper.optimizer is optimizer
                and preset is self.preset and position == self.position
                and all(np.array_equal(live, kept)
                        for live, kept in zip(net.parameters(), self.params)))

    def moved_to(self, position: tuple[int, int]) -> None:
        """After the update: the session stands at ``position`` with the new parameters."""
        self.position = position
        self.params = tuple(p.copy() for p in self.stepper.net.parameters())

    def state(self) -> StepThrough:
        """The immutable picture of this batch for the UI."""
        return step_through_state(self.stepper, self.epoch, self.batch, self.batches,
                                  self.rows, self.before)
