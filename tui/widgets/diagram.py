"""The layer diagram: neurons as boxes showing their activation, weights as braille lines.

Each layer a(k) is a column of boxes; a box shows the unit's activation for the selected
sample (its colour stronger the larger it is) and, where there is room, its bias below.
Weight lines are coloured by sign and faded by |w| relative to the layer's largest, or by
dC/dw when ``color_by`` is "gradients". Layers taller than the panel show their most
connected units, and dense layers only their strongest connections.

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
from textual.color import Color
from textual.message import Message
from textual.reactive import reactive

from core.session import Snapshot

from ..controls import DIAGRAM_CONTROLS
from ..math import selection as selecting
from .base import SnapshotPanel
from .canvas import Braille, Canvas, shortened
from .diagram_layout import Layout, layout
from .diagram_text import draw_legend, draw_titles
from .neuron_maps import draw_neuron_maps, toggle_neuron_maps
from .render import Palette, number
from .weight_labels import label_weights

COLOR_MODES = ("weights", "gradients")
BOUNDED = ("sigmoid", "softmax", "tanh")      # activations that never exceed 1 in size
ALL_LINES_UP_TO = 16


class LayerDiagram(SnapshotPanel, can_focus=True):
    """The network as layers of neurons joined by weight lines.

    Reactives: ``sample_index`` (the training sample whose activations are shown; past the
    last sample, the last one), ``color_by`` ("weights" or "gradients"), ``highlight_layer``
    (an activation layer k, 0..L, drawn emphasised), ``selected``: ``("node", k, i)`` for
    unit i of a(k) or ``("weight", l, i, j)`` for weights[l][i, j], drawn in the accent
    colour, and ``selectable``: whether the arrow keys move the selection.
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
                self.highlight_layer, self.selected, self.neuron_maps)

    def geometry(self, snapshot: Snapshot, width: int, height: int) -> Layout | None:
        """Where ``snapshot``'s neurons go in ``width`` x ``height`` cells (None: no room
        for a diagram); the mouse finds what was clicked with the same geometry."""
        names_in = max((len(name) for name in snapshot.input_names), default=0) + 1
        names_out = max(len(_output_label(snapshot, unit, 0))
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
        shown = self._draw_lines(canvas, palette, geometry, matrices)
        self._draw_nodes(canvas, palette, geometry, snapshot, sample)
        self._label_selected_line(canvas, palette, geometry, matrices)
        label_weights(canvas, palette, geometry, matrices, self.selected, self.color_by)
        if self.neuron_maps:
            draw_neuron_maps(canvas, palette, geometry, snapshot)
        if geometry.header:
            draw_titles(canvas, palette, geometry, snapshot, self.highlight_layer, self.color_by)
        if geometry.legend:
            total = sum(m.size for m in matrices)
            draw_legend(canvas, palette, snapshot, self.color_by, sample, shown, total)

    def _draw_lines(self, canvas: Canvas, palette: Palette, geometry: Layout,
                    matrices: tuple[np.ndarray, ...]) -> int:
        """Draw the strongest connections of each layer; return how many were drawn."""
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
                if self.selected == ("weight", l, i, j):
                    continue
                color = palette.signed(value, scale, 0.2)
                lines.append((*start, *end, color))
                if roomy and abs(value) > 0.5 * scale:
                    lines.append((start[0], start[1] + 1, end[0], end[1] + 1, color))
        if lines:
            braille.segments(*zip(*lines))
        selected_line = self._selected_line(geometry, matrices)
        if selected_line is not None:
            braille.line(*selected_line[:4], palette.accent)
        braille.paint(canvas)
        return drawn

    def _label_selected_line(self, canvas: Canvas, palette: Palette, geometry: Layout,
                             matrices: tuple[np.ndarray, ...]) -> None:
        """The selected weight's value on its line, where it touches no other text (nearest
        the line's middle); left out when the line has no such room."""
        selected_line = self._selected_line(geometry, matrices)
        if selected_line is None:
            return
        x0, y0, x1, y1, value = selected_line
        label = number(value, tiny=True)
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            x = int((x0 + t * (x1 - x0)) // 2) - len(label) // 2
            y = int((y0 + t * (y1 - y0)) // 4)
            if canvas.free(x - 1, y, len(label) + 2):
                canvas.text(x, y, label, fg=palette.text_on(palette.accent),
                            bg=palette.accent, bold=True)
                return

    def _selected_line(self, geometry: Layout, matrices: tuple[np.ndarray, ...]
                       ) -> tuple[int, int, int, int, float] | None:
        """The dot coordinates and value of the selected weight, if it is on screen."""
        if not (self.selected and self.selected[0] == "weight" and len(self.selected) == 4):
            return None
        l, i, j = self.selected[1:]
        if not 0 <= l < len(matrices):
            return None
        source, target = geometry.columns[l], geometry.columns[l + 1]
        if i not in source.units or j not in target.units:
            return None
        return (2 * (source.x + geometry.node_width), 4 * source.rows[source.units.index(i)] + 2,
                2 * target.x - 1, 4 * target.rows[target.units.index(j)] + 2,
                float(matrices[l][i, j]))

    def _draw_nodes(self, canvas: Canvas, palette: Palette, geometry: Layout,
                    snapshot: Snapshot, sample: int) -> None:
        width = geometry.node_width
        last = len(geometry.columns) - 1
        input_names = shortened(snapshot.input_names, geometry.left_margin - 1)
        for k, column in enumerate(geometry.columns):
            values = snapshot.activations[k]
            scale = _activation_scale(snapshot, k)
            emphasised = self.highlight_layer == k
            for unit, row in zip(column.units, column.rows):
                value = float(values[sample, unit]) if values.shape[0] else 0.0
                unit_scale = scale[unit] if isinstance(scale, np.ndarray) else scale
                background = palette.signed(value, unit_scale, 0.12)
                if self.selected == ("node", k, unit):
                    background = palette.accent
                text = number(value, min(5, width - 1)).center(width)
                canvas.text(column.x, row, text, fg=palette.text_on(background),
                            bg=background, bold=emphasised)
                if emphasised:
                    canvas.put(column.x - 1, row, "▐", fg=palette.accent)
                    canvas.put(column.x + width, row, "▌", fg=palette.accent)
                if column.bias_below:
                    bias = float(snapshot.biases[k - 1][unit])
                    canvas.text(column.x, row + 1, bias_text(bias),
                                fg=palette.signed(bias, 0.005, 0.0) if abs(bias) >= 0.005
                                else palette.muted)
                if k == 0 and geometry.left_margin:
                    name = input_names[unit]
                    canvas.text(column.x - 1 - len(name), row, name, fg=palette.muted)
                if k == last and geometry.right_margin:
                    label = _output_label(snapshot, unit, sample, geometry.right_margin - 1)
                    canvas.text(column.x + width + 1, row, label, fg=palette.muted)
            if column.hidden:
                more = f"+{column.hidden}"
                canvas.text(column.x + (width - len(more)) // 2, geometry.bottom - 1, more,
                            fg=palette.muted)


def bias_text(value: float) -> str:
    """A bias as the diagram labels it, in one format: ``b``, a sign and three significant
    digits (``b-0.02``, ``b+1.10``, ``b-15.0``, ``b+150``), then a power of ten (``b+2e4``)."""
    if not np.isfinite(value):
        return f"b{value:+}"
    for digits, below in ((2, 9.995), (1, 99.95), (0, 999.5)):
        if abs(value) < below:
            text = f"{abs(value):.{digits}f}"
            break
    else:
        text = f"{abs(value):.0e}".replace("e+0", "e").replace("e+", "e")
    return "b" + ("-" if value < 0 and text.strip("0.") else "+") + text


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


def _activation_scale(snapshot: Snapshot, k: int) -> float | np.ndarray:
    """The value that colours a unit of a(k) fully: 1 for bounded activations, the largest
    |a| seen otherwise (per input for a(0), whose columns differ in range)."""
    values = np.nan_to_num(snapshot.activations[k])
    if k == 0:
        return np.abs(values).max(axis=0) if values.size else np.ones(values.shape[1])
    sigma = snapshot.output_activation if k == snapshot.n_layers else snapshot.activation
    if sigma in BOUNDED:
        return 1.0
    return float(np.abs(values).max()) if values.size else 1.0


def _output_label(snapshot: Snapshot, unit: int, sample: int, width: int = 40) -> str:
    """The name of output ``unit`` and the selected sample's target for it, the name cut
    short (``…``) to fit ``width``."""
    names = snapshot.target_names
    if snapshot.class_names and len(snapshot.class_names) == snapshot.sizes[-1]:
        names = snapshot.class_names
    name = names[unit] if unit < len(names) else f"y{unit + 1}"
    if snapshot.Y_train.shape[0] == 0:
        return name[:width]
    target = f" y={float(snapshot.Y_train[min(sample, snapshot.Y_train.shape[0] - 1), unit]):.3g}"
    if len(name) + len(target) > width:
        room = width - len(target)
        if room < 3:
            return shortened([name], width)[0]
        name = shortened(names, room)[unit] if unit < len(names) else name[:room]
    return name + target
