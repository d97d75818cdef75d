"""The paths of a first-layer weight on the layer diagram: the weight, the hidden neuron it
feeds and every weight from there on to the outputs, the roads by which that weight's
gradient reaches the cost (lesson 2.1). Structure only: nothing here shows a value."""

from __future__ import annotations

from collections.abc import Sequence


def path_weights(weight: tuple[int, int, int], sizes: Sequence[int]
                 ) -> frozenset[tuple[int, int, int]]:
    """Every weight ``(l, i, j)`` (weights[l][i, j]) on a path from the first-layer
    ``weight`` to the outputs of a network of layer ``sizes``."""
    _, source, hidden = weight
    found = {(0, source, hidden)}
    units = {hidden}
    for l in range(1, len(sizes) - 1):
        found |= {(l, unit, k) for unit in units for k in range(sizes[l + 1])}
        units = set(range(sizes[l + 1]))
    return frozenset(found)


def next_first_layer_weight(weight: tuple[int, int, int] | None, sizes: Sequence[int]
                            ) -> tuple[int, int, int]:
    """The first-layer weight after ``weight`` (input by input, each input's hidden neurons
    in turn, then round again); the first one after None or a weight this network lacks."""
    inputs, hidden = sizes[0], sizes[1]
    order = [(0, i, j) for i in range(inputs) for j in range(hidden)]
    if weight not in order:
        return order[0]
    return order[(order.index(weight) + 1) % len(order)]


def paths_caption(weight: tuple[int, int, int], sizes: Sequence[int]) -> str:
    """What the highlighted paths are, in the notes' 1-based names: "paths of w(1)[1,1]:
    through output 1 and output 2"."""
    _, i, j = weight
    outputs = [f"output {k + 1}" for k in range(sizes[-1])]
    through = outputs[0] if len(outputs) == 1 else f"{', '.join(outputs[:-1])} and {outputs[-1]}"
    return f"paths of w(1)[{i + 1},{j + 1}]: through {through}"
