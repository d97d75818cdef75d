"""The grading view's mark on the layer diagram: the weights whose gradient the learner's
code gets wrong, drawn over the other lines in the theme's warning colour."""

from __future__ import annotations

from collections.abc import Iterable

from ..widgets.canvas import Braille, Canvas
from ..widgets.diagram_layout import Layout
from ..widgets.render import Palette


def draw_flagged(canvas: Canvas, palette: Palette, geometry: Layout,
                 flagged: Iterable[tuple[int, int, int]]) -> None:
    """Draw each flagged weight ``(l, i, j)`` (weights[l][i, j]) that is on screen."""
    braille = Braille(canvas.width, canvas.height)
    width = geometry.node_width
    for l, i, j in sorted(flagged):
        if l + 1 >= len(geometry.columns):
            continue
        source, target = geometry.columns[l], geometry.columns[l + 1]
        if i in source.units and j in target.units:
            braille.line(2 * (source.x + width), 4 * source.rows[source.units.index(i)] + 2,
                         2 * target.x - 1, 4 * target.rows[target.units.index(j)] + 2,
                         palette.warn)
    braille.paint(canvas)
