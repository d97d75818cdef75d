"""Where the layer diagram puts things: one column of node boxes per layer.

Pure geometry: given the layer sizes, the panel size and how important each unit is, choose
the node width, each column's x, which units are shown (the most connected ones when a layer
has more units than rows) and the row of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_GAP = 3


@dataclass(frozen=True)
class Column:
    """One layer: node boxes at ``x``; ``units[i]`` drawn on row ``rows[i]``."""

    x: int
    units: tuple[int, ...]
    rows: tuple[int, ...]
    hidden: int           # units left out for lack of rows
    bias_below: bool      # room for a bias line under each node


@dataclass(frozen=True)
class Layout:
    """The diagram's geometry: node width, columns, and the rows for titles and legend."""

    node_width: int
    columns: tuple[Column, ...]
    left_margin: int
    right_margin: int
    header: bool
    legend: bool
    top: int
    bottom: int           # first row below the nodes


def layout(sizes: Sequence[int], width: int, height: int, importance: Sequence[np.ndarray],
           left_label: int, right_label: int, bias: bool = True) -> Layout | None:
    """The geometry for a network of ``sizes`` in ``width`` x ``height`` cells, or None when
    the panel is too small for a diagram. ``importance[k]`` ranks layer k's units (shown
    first when a layer must be cut); ``left_label`` / ``right_label`` are the widths the
    input and output names would like; without ``bias`` no row is kept for biases."""
    n_columns = len(sizes)
    header, legend = height >= 6, height >= 9
    top = 1 if header else 0
    bottom = height - 1 if legend else height
    if bottom - top < 1:
        return None
    for node_width in (6, 5, 4):
        for margins in (True, False):
            left = min(left_label, width // 7) if margins and left_label else 0
            right = min(right_label, width // 6) if margins and right_label else 0
            usable = width - left - right - node_width
            if usable >= (n_columns - 1) * (node_width + MIN_GAP):
                columns = tuple(
                    _column(left + round(k * usable / (n_columns - 1)), sizes[k], importance[k],
                            top, bottom, with_bias=bias and k > 0)
                    for k in range(n_columns))
                return Layout(node_width, columns, left, right, header, legend, top, bottom)
    return None


def _column(x: int, size: int, importance: np.ndarray, top: int, bottom: int,
            with_bias: bool) -> Column:
    rows_free = bottom - top
    if size <= rows_free:
        units = tuple(range(size))
    else:
        keep = max(0, rows_free - 1)
        strongest = np.argsort(-np.nan_to_num(importance), kind="stable")[:keep]
        units = tuple(sorted(int(u) for u in strongest))
        rows_free = keep
    spacing = rows_free // max(1, len(units))
    bias_below = with_bias and spacing >= 2
    used = 2 if bias_below else 1
    first = top + (rows_free - (len(units) - 1) * spacing - used) // 2
    rows = tuple(first + i * spacing for i in range(len(units)))
    return Column(x, units, rows, size - len(units), bias_below)
