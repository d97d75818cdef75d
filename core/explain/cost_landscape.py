"""The cost landscape: C as one or two parameters vary and the others stay fixed.

A parameter is addressed as ``("w", l, i, j)`` for the weight w(l)[i, j] or ``("b", l, j)``
for the bias b(l)_j, with the layer l counted as in the notes (a(l) = sigma(a(l-1) w(l) +
b(l)), l = 1..L). Every C here is the engine's own ``net.loss``, so a point of a curve is
exactly the cost that training sees; the network is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager

import numpy as np

from ..engine.finite_differences import ComputationCancelled
from ..engine.network import Network

Param = tuple[str, int, int, int] | tuple[str, int, int]
"""("w", layer, i, j) for w(layer)[i, j] or ("b", layer, j) for b(layer)_j; layer is 1..L."""


def locate(net: Network, param: Param) -> tuple[np.ndarray, tuple[int, ...]]:
    """The live array holding ``param`` and the parameter's index in it (ValueError if invalid)."""
    kind, layer, *index = param
    if kind not in ("w", "b") or len(index) != (2 if kind == "w" else 1):
        raise ValueError(f"param: expected ('w', layer, i, j) or ('b', layer, j), got {param!r}")
    if not 1 <= layer <= net.n_layers:
        raise ValueError(f"param: layer must be 1..{net.n_layers}, got {layer}")
    if kind == "b" and not net.bias:
        raise ValueError("param: this network has no biases")
    array = (net.weights if kind == "w" else net.biases)[layer - 1]
    if not all(0 <= k < size for k, size in zip(index, array.shape)):
        raise ValueError(f"param: index {tuple(index)} outside shape {array.shape} "
                         f"of layer {layer}")
    return array, tuple(index)


def value_of(net: Network, param: Param) -> float:
    """The current value of ``param``."""
    array, index = locate(net, param)
    return float(array[index])


@contextmanager
def _restored(net: Network, params: Sequence[Param]):
    """Yield the located parameters; put their original values back afterwards, whatever happens."""
    places = [locate(net, p) for p in params]
    originals = [array[index] for array, index in places]
    try:
        yield places
    finally:
        for (array, index), original in zip(places, originals):
            array[index] = original


def _check(cancelled: Callable[[], bool] | None) -> None:
    """Raise ``ComputationCancelled`` if ``cancelled`` says so."""
    if cancelled is not None and cancelled():
        raise ComputationCancelled


def cost_curve(net: Network, X, Y, param: Param, values: Iterable[float],
               cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    """C at each of ``values`` for ``param``, every other parameter at its current value
    (``cancelled`` is asked before each point: see ``ComputationCancelled``)."""
    values = np.asarray(list(values), dtype=np.float64)
    costs = np.empty(values.shape)
    with _restored(net, [param]) as [(array, index)]:
        for k, value in enumerate(values):
            _check(cancelled)
            array[index] = value
            costs[k] = net.loss(X, Y)
    return costs


def cost_surface(net: Network, X, Y, param1: Param, param2: Param,
                 values1: Iterable[float], values2: Iterable[float],
                 cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    """C on the grid ``values1 x values2``: entry [r, c] is C at param1 = values1[r],
    param2 = values2[c], every other parameter at its current value (``cancelled`` is asked
    before each row)."""
    if tuple(param1) == tuple(param2):
        raise ValueError(f"param2: the same parameter as param1 ({param1!r})")
    values1 = np.asarray(list(values1), dtype=np.float64)
    values2 = np.asarray(list(values2), dtype=np.float64)
    costs = np.empty((values1.size, values2.size))
    with _restored(net, [param1, param2]) as [(array1, index1), (array2, index2)]:
        for r, v1 in enumerate(values1):
            _check(cancelled)
            array1[index1] = v1
            for c, v2 in enumerate(values2):
                array2[index2] = v2
                costs[r, c] = net.loss(X, Y)
    return costs


def default_range(current: float, path: Iterable[float] = (), margin: float = 0.25,
                  min_width: float = 2.0) -> tuple[float, float]:
    """A window (lo, hi) for one parameter axis holding ``current`` and the finite points of
    ``path``, padded by ``margin`` times its width and at least ``min_width`` wide."""
    points = np.array([current, *path], dtype=np.float64)
    points = points[np.isfinite(points)]
    if points.size == 0:
        raise ValueError(f"current: expected a finite value, got {current!r}")
    lo, hi = float(points.min()), float(points.max())
    pad = margin * (hi - lo)
    lo, hi = lo - pad, hi + pad
    if hi - lo < min_width:
        middle = 0.5 * (lo + hi)
        lo, hi = middle - 0.5 * min_width, middle + 0.5 * min_width
    return lo, hi


def partial_derivatives(net: Network, X, Y, params: Sequence[Param]) -> np.ndarray:
    """dC/dp on (X, Y) for each of ``params``, from the engine's backprop, one value each."""
    grad_w, grad_b = net.gradients(X, Y)
    return np.array([(grad_w if p[0] == "w" else grad_b)[p[1] - 1][locate(net, p)[1]]
                     for p in params], dtype=np.float64)


def contour_levels(surface: np.ndarray, k: int) -> np.ndarray:
    """``k`` increasing cost levels at evenly spaced quantiles of the surface's finite values,
    so contours spread over the picture even when C spans orders of magnitude."""
    finite = np.asarray(surface, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if k < 1 or finite.size == 0:
        return np.empty(0)
    return np.unique(np.quantile(finite, np.arange(1, k + 1) / (k + 1)))


def contour_cells(surface: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Per cell, the index of the highest level that C crosses between the cell and its right
    or lower neighbour, else -1: the cells a contour line passes through. Non-finite cells
    (a diverged region) take part in no crossing."""
    surface = np.asarray(surface, dtype=np.float64)
    finite = np.isfinite(surface)
    band = np.searchsorted(np.asarray(levels, dtype=np.float64), np.where(finite, surface, 0.0),
                           side="right")
    cells = np.full(surface.shape, -1)
    right = _crossing(band[:, :-1], band[:, 1:], finite[:, :-1] & finite[:, 1:])
    down = _crossing(band[:-1, :], band[1:, :], finite[:-1, :] & finite[1:, :])
    cells[:, :-1] = np.maximum(cells[:, :-1], right)
    cells[:-1, :] = np.maximum(cells[:-1, :], down)
    return cells


def _crossing(band1: np.ndarray, band2: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The highest level index between neighbouring bands, -1 where they are equal or invalid."""
    return np.where(valid & (band1 != band2), np.maximum(band1, band2) - 1, -1)
