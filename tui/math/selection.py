"""Selecting a neuron or a weight of the diagram: with the arrow keys, or with the mouse.

A selection is the diagram's: ``("node", k, i)`` for unit i of a(k) (k = 0..L) or
``("weight", l, i, j)`` for weights[l][i, j] (l = 0..L-1, i.e. w(l+1) in the notes). A
parameter is the session's: ``("w", l, i, j)`` / ``("b", l, j)`` with l = 1..L.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_SELECTION = ("weight", 0, 0, 0)


def valid(selection: tuple | None, sizes: Sequence[int]) -> bool:
    """Whether ``selection`` addresses a unit or weight of a network of ``sizes``."""
    if not selection:
        return False
    if selection[0] == "node" and len(selection) == 3:
        _, k, i = selection
        return 0 <= k < len(sizes) and 0 <= i < sizes[k]
    if selection[0] == "weight" and len(selection) == 4:
        _, l, i, j = selection
        return 0 <= l < len(sizes) - 1 and 0 <= i < sizes[l] and 0 <= j < sizes[l + 1]
    return False


def moved(selection: tuple | None, direction: str, sizes: Sequence[int]) -> tuple:
    """The selection after an arrow key. Left and right walk along the network: a neuron,
    the weights it feeds (right) or that feed it (left), the next neuron. Up and down go
    through a layer's neurons, or through a weight layer's weights row by row."""
    if not valid(selection, sizes):
        return DEFAULT_SELECTION
    last = len(sizes) - 1
    step = {"up": -1, "down": 1}.get(direction, 0)
    if selection[0] == "node":
        _, k, i = selection
        if step:
            return ("node", k, (i + step) % sizes[k])
        if direction == "right":
            return ("weight", k, i, 0) if k < last else selection
        return ("weight", k - 1, 0, i) if k > 0 else selection
    _, l, i, j = selection
    if step:
        count = sizes[l] * sizes[l + 1]
        i, j = divmod((i * sizes[l + 1] + j + step) % count, sizes[l + 1])
        return ("weight", l, i, j)
    if direction == "right":
        return ("node", l + 1, j)
    return ("node", l, i)


def parameter(selection: tuple | None, has_bias: bool) -> tuple | None:
    """The session's parameter for a selection: a weight, or a neuron's bias (None for an
    input, or a neuron of a network without biases)."""
    if not selection:
        return None
    if selection[0] == "weight":
        _, l, i, j = selection
        return ("w", l + 1, i, j)
    _, k, i = selection
    return ("b", k, i) if k > 0 and has_bias else None


def selection_of(param: tuple) -> tuple:
    """The diagram's selection for a session parameter."""
    if param[0] == "w":
        return ("weight", param[1] - 1, param[2], param[3])
    return ("node", param[1], param[2])
