"""The layer diagram's weight lines: the strongest connections of each layer as braille lines,
coloured by sign and faded by size, and the selected weight's line with its value."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from textual.color import Color

from core.explain.notes import NOTHING, Held

from .canvas import Braille, Canvas
from .diagram_layout import Layout
from .render import Palette, number

ALL_LINES_UP_TO = 16
"""Layers with at most this many connections draw them all."""


def draw_lines(canvas: Canvas, palette: Palette, geometry: Layout,
               matrices: tuple[np.ndarray, ...], selected: tuple | None) -> int:
    """Draw the strongest connections of each layer, the ``selected`` weight's in the accent
    colour; return how many were drawn."""
    braille = Braille(canvas.width, canvas.height)
    node_width = geometry.node_width
    drawn = 0
    rows = geometry.bottom - geometry.top
    lines: list[tuple[int, int, int, int, Color]] = []   # drawn at once, in this order
    for l, matrix in enumerate(matrices):
        source, target = geometry.columns[l], geometry.columns[l + 1]
        if not source.units or not target.units:
            continue
        values = np.nan_to_num(matrix)
        scale = float(np.abs(values).max())
        strength = np.abs(values[np.ix_(source.units, target.units)])
        order = np.argsort(-strength, axis=None, kind="stable")
        if order.size > ALL_LINES_UP_TO:
            gap = target.x - source.x - node_width
            order = order[:max(len(source.units), len(target.units), min(rows, 2 * gap))]
        roomy = 3 * max(len(source.units), len(target.units)) <= rows
        drawn += order.size
        for flat in order[::-1]:
            a, b = divmod(int(flat), len(target.units))
            i, j = source.units[a], target.units[b]
            start = (2 * (source.x + node_width), 4 * source.rows[a] + 2)
            end = (2 * target.x - 1, 4 * target.rows[b] + 2)
            value = float(values[i, j])
            if selected == ("weight", l, i, j):
                continue
            color = palette.signed(value, scale, 0.2)
            lines.append((*start, *end, color))
            if roomy and abs(value) > 0.5 * scale:
                lines.append((start[0], start[1] + 1, end[0], end[1] + 1, color))
    if lines:
        braille.segments(*zip(*lines))
    line = selected_line(geometry, matrices, selected)
    if line is not None:
        braille.line(*line[:4], palette.accent)
    braille.paint(canvas)
    return drawn


def selected_line(geometry: Layout, matrices: tuple[np.ndarray, ...], selected: tuple | None
                  ) -> tuple[int, int, int, int, float] | None:
    """The dot coordinates and value of the ``selected`` weight, if it is on screen."""
    if not (selected and selected[0] == "weight" and len(selected) == 4):
        return None
    l, i, j = selected[1:]
    if not 0 <= l < len(matrices):
        return None
    source, target = geometry.columns[l], geometry.columns[l + 1]
    if i not in source.units or j not in target.units:
        return None
    return (2 * (source.x + geometry.node_width), 4 * source.rows[source.units.index(i)] + 2,
            2 * target.x - 1, 4 * target.rows[target.units.index(j)] + 2,
            float(matrices[l][i, j]))


def label_selected_line(canvas: Canvas, palette: Palette, geometry: Layout,
                        matrices: tuple[np.ndarray, ...], selected: tuple | None,
                        held: Held = NOTHING) -> None:
    """The ``selected`` weight's value on its line (a value ``held`` back by a lesson as
    '?'), where it touches no other text (nearest the line's middle); left out when the
    line has no such room."""
    line = selected_line(geometry, matrices, selected)
    if line is None:
        return
    x0, y0, x1, y1, value = line
    label = held.shown(value, number(value, tiny=True))
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        x = int((x0 + t * (x1 - x0)) // 2) - len(label) // 2
        y = int((y0 + t * (y1 - y0)) // 4)
        if canvas.free(x - 1, y, len(label) + 2):
            canvas.text(x, y, label, fg=palette.text_on(palette.accent),
                        bg=palette.accent, bold=True)
            return


def draw_weight_lines(canvas: Canvas, geometry: Layout,
                      weights: Iterable[tuple[int, int, int]], color: Color) -> None:
    """Draw each weight ``(l, i, j)`` (weights[l][i, j]) that is on screen in ``color``, over
    the lines already drawn."""
    braille = Braille(canvas.width, canvas.height)
    width = geometry.node_width
    for l, i, j in sorted(weights):
        if l + 1 >= len(geometry.columns):
            continue
        source, target = geometry.columns[l], geometry.columns[l + 1]
        if i in source.units and j in target.units:
            braille.line(2 * (source.x + width), 4 * source.rows[source.units.index(i)] + 2,
                         2 * target.x - 1, 4 * target.rows[target.units.index(j)] + 2, color)
    braille.paint(canvas)
