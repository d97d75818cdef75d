"""The layer diagram: neurons as boxes showing their activation, weights as braille lines.

Each layer a(k) is a column of boxes; a box shows the unit's activation for the selected
sample (its colour stronger the larger it is) and, where there is room, its bias below.
Weight lines are coloured by sign and faded by |w| relative to the layer's largest, or by
dC/dw when ``color_by`` is "gradients". Layers taller than the panel show their most
connected units, and dense layers only their strongest connections. ``diagram_lines`` draws
the lines, ``diagram_nodes`` the boxes, ``diagram_text`` the titles and the legend.

The diagram takes the keyboard focus: while ``selectable``, the arrow keys move the
selection; a click on a neuron or a weight line selects it. Either way it posts
``LayerDiagram.Selected`` and leaves what follows to the screen; ``=`` posts
``LayerDiagram.ParameterWanted``, for the screen to ask for the selection's new value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from core.session import Snapshot

from ..controls import DIAGRAM_CONTROLS
from ..math import selection as selecting
from .base import SnapshotPanel
from .canvas import Canvas
from .diagram_layout import Layout, layout
from .diagram_lines import draw_lines, draw_weight_lines, label_selected_line
from .diagram_nodes import draw_nodes, output_label
from .diagram_paths import path_weights
from .diagram_text import draw_legend, draw_titles
from .neuron_maps import draw_neuron_maps, toggle_neuron_maps
from .render import Palette
from .weight_labels import label_weights

COLOR_MODES = ("weights", "gradients")


class LayerDiagram(SnapshotPanel, can_focus=True):
    """The network as layers of neurons joined by weight lines.

    Reactives: ``sample_index`` (the training sample whose activations are shown; past the
    last sample, the last one), ``color_by`` ("weights" or "gradients"), ``highlight_layer``
    (an activation layer k, 0..L, drawn emphasised), ``selected``: ``("node", k, i)`` for
    unit i of a(k) or ``("weight", l, i, j)`` for weights[l][i, j], drawn in the accent
    colour, ``selectable``: whether the arrow keys move the selection, and ``held``: the
    values an open lesson question holds back, labelled '?'.
    """

    DEFAULT_CSS = """
    LayerDiagram { width: 1fr; height: 1fr; }
    """

    BINDINGS = [Binding(c.key, c.action, c.footer, key_display=c.display, tooltip=c.help,
                        show=False) for c in DIAGRAM_CONTROLS]

    @dataclass
    class Selected(Message):
        """The user chose a neuron or a weight (``clicked``: with the mouse)."""

        selection: tuple
        clicked: bool = False

    @dataclass
    class ParameterWanted(Message):
        """The user asked to type a new value for the selected weight or bias (``=``)."""

        selection: tuple | None

    sample_index: reactive[int] = reactive(0)
    color_by: reactive[str] = reactive("weights")
    highlight_layer: reactive[int | None] = reactive(None)
    selected: reactive[tuple | None] = reactive(None)
    selectable: reactive[bool] = reactive(False, layout=False, repaint=False)
    neuron_maps: reactive[bool] = reactive(False)
    flagged: reactive[frozenset] = reactive(frozenset())
    """Weights ``(l, i, j)`` drawn marked over the others (the grading view's: their
    gradient is wrong)."""
    paths: reactive[tuple[int, int, int] | None] = reactive(None)
    """A first-layer weight ``(0, i, j)`` whose paths to the outputs are drawn in the accent
    colour: the weight, hidden neuron j and every weight after it (lesson 2.1)."""

    def action_select(self, direction: str) -> None:
        """Arrow keys: the neuron or weight next to the selection, while ``selectable``."""
        if self.selectable and self.snapshot is not None:
            self.post_message(self.Selected(
                selecting.moved(self.selected, direction, self.snapshot.sizes)))

    def action_toggle_neuron_maps(self) -> None:
        """v: show or hide each neuron's map over the input plane (two-input networks)."""
        toggle_neuron_maps(self)

    def action_type_parameter(self) -> None:
        """=: ask to type a new value for the selected weight or bias."""
        self.post_message(self.ParameterWanted(self.selected))

    def on_click(self, event: events.Click) -> None:
        """A click on a neuron or a weight line selects it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        selection = self.at(offset.x, offset.y)
        if selection is not None:
            self.post_message(self.Selected(selection, clicked=True))

    def at(self, x: int, y: int) -> tuple | None:
        """What the diagram shows at cell (x, y) of its content: a neuron's box, or the
        weight line nearest to the point (within a cell), else None."""
        if self.snapshot is None:
            return None
        geometry = self.geometry(self.snapshot, *self.size)
        if geometry is None:
            return None
        node_width = geometry.node_width
        for k, column in enumerate(geometry.columns):
            for unit, row in zip(column.units, column.rows):
                if y == row and column.x <= x < column.x + node_width:
                    return ("node", k, unit)
        best, best_distance = None, 1.0
        for l, (source, target) in enumerate(zip(geometry.columns, geometry.columns[1:])):
            x0, x1 = source.x + node_width, target.x - 1
            if not x0 <= x <= x1 or x1 <= x0:
                continue
            t = (x - x0) / (x1 - x0)
            for a, i in enumerate(source.units):
                for b, j in enumerate(target.units):
                    line_y = source.rows[a] + t * (target.rows[b] - source.rows[a])
                    distance = abs(line_y - y)
                    if distance < best_distance:
                        best, best_distance = ("weight", l, i, j), distance
        return best

    def validate_sample_index(self, index: int) -> int:
        """Sample indices start at 0."""
        return max(0, index)

    def validate_color_by(self, mode: str) -> str:
        """Only "weights" and "gradients" colour the lines."""
        if mode not in COLOR_MODES:
            raise ValueError(f"color_by: expected one of {COLOR_MODES}, got {mode!r}")
        return mode

    def frame_key(self):
        """The frame also depends on the sample, the colouring and what is emphasised."""
        return (*super().frame_key(), self.sample_index, self.color_by,
                self.highlight_layer, self.selected, self.neuron_maps, self.flagged, self.paths)

    def geometry(self, snapshot: Snapshot, width: int, height: int) -> Layout | None:
        """Where ``snapshot``'s neurons go in ``width`` x ``height`` cells (None: no room
        for a diagram); the mouse finds what was clicked with the same geometry."""
        names_in = max((len(name) for name in snapshot.input_names), default=0) + 1
        names_out = max(len(output_label(snapshot, unit, 0))
                        for unit in range(snapshot.sizes[-1])) + 1
        importance = _importance(snapshot.weights)
        importance[-1] = _sample_outputs_first(snapshot, self.sample_index, importance[-1])
        return layout(snapshot.sizes, width, height, importance, names_in, names_out,
                      snapshot.bias)

    def draw(self, canvas: Canvas, palette: Palette, snapshot: Snapshot) -> None:
        """Paint lines, then nodes, titles and the legend."""
        matrices = snapshot.weights if self.color_by == "weights" else snapshot.gradients_w
        geometry = self.geometry(snapshot, canvas.width, canvas.height)
        if geometry is None:
            shape = "-".join(str(size) for size in snapshot.sizes)
            canvas.text(0, 0, shape, fg=palette.foreground)
            return
        sample = min(self.sample_index, max(0, snapshot.X_train.shape[0] - 1))
        shown = draw_lines(canvas, palette, geometry, matrices, self.selected)
        if self.flagged:
            from ..exercise.diagram_marks import draw_flagged

            draw_flagged(canvas, palette, geometry, self.flagged)
        marked = self.selected
        if self.paths is not None:
            draw_weight_lines(canvas, geometry, path_weights(self.paths, snapshot.sizes),
                              palette.accent)
            marked = ("node", 1, self.paths[2])
        draw_nodes(canvas, palette, geometry, snapshot, sample, marked,
                   self.highlight_layer, self.held)
        label_selected_line(canvas, palette, geometry, matrices, self.selected, self.held)
        label_weights(canvas, palette, geometry, matrices, self.selected, self.color_by,
                      self.held)
        if self.neuron_maps:
            draw_neuron_maps(canvas, palette, geometry, snapshot)
        if geometry.header:
            draw_titles(canvas, palette, geometry, snapshot, self.highlight_layer, self.color_by)
        if geometry.legend:
            total = sum(m.size for m in matrices)
            draw_legend(canvas, palette, snapshot, self.color_by, sample, shown, total)


def _importance(weights: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Per layer, the total |w| into and out of each unit."""
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    totals = [np.zeros(size) for size in sizes]
    for l, w in enumerate(weights):
        magnitude = np.abs(np.nan_to_num(w))
        totals[l] += magnitude.sum(axis=1)
        totals[l + 1] += magnitude.sum(axis=0)
    return totals


def _sample_outputs_first(snapshot: Snapshot, sample: int,
                          importance: np.ndarray) -> np.ndarray:
    """The outputs' ``importance`` with the selected sample's target and predicted units
    above every other, so that a diagram without room for every output keeps those two."""
    rows = snapshot.Y_train.shape[0]
    if rows == 0 or importance.size < 2:
        return importance
    row = min(sample, rows - 1)
    first = importance.copy()
    top = float(np.nan_to_num(importance).max()) + 1.0
    for unit in {int(np.argmax(snapshot.Y_train[row])),
                 int(np.argmax(np.nan_to_num(snapshot.activations[-1][row])))}:
        first[unit] = np.nan_to_num(first[unit]) + top
    return first
