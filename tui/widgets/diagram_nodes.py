"""The layer diagram's neuron boxes: each unit's activation for the selected sample (its
colour stronger the larger it is), its bias below where there is room, the inputs' names to
the left and the outputs' names and targets to the right."""

from __future__ import annotations

import numpy as np

from core.explain.notes import NOTHING, Held
from core.session import Snapshot

from .canvas import Canvas, shortened
from .diagram_layout import Layout
from .render import Palette, number

BOUNDED = ("sigmoid", "softmax", "tanh")      # activations that never exceed 1 in size


def draw_nodes(canvas: Canvas, palette: Palette, geometry: Layout, snapshot: Snapshot,
               sample: int, selected: tuple | None, highlight_layer: int | None,
               held: Held = NOTHING) -> None:
    """Each unit's box with its activation for ``sample`` (``selected`` in the accent colour,
    the layer ``highlight_layer`` emphasised), its bias below where there is room, the
    inputs' names and the outputs' labels; a value ``held`` back shows as '?'."""
    width = geometry.node_width
    last = len(geometry.columns) - 1
    input_names = shortened(snapshot.input_names, geometry.left_margin - 1)
    for k, column in enumerate(geometry.columns):
        values = snapshot.activations[k]
        scale = activation_scale(snapshot, k)
        emphasised = highlight_layer == k
        for unit, row in zip(column.units, column.rows):
            value = float(values[sample, unit]) if values.shape[0] else 0.0
            unit_scale = scale[unit] if isinstance(scale, np.ndarray) else scale
            background = palette.signed(value, unit_scale, 0.12)
            if selected == ("node", k, unit):
                background = palette.accent
            text = held.shown(value, number(value, min(5, width - 1))).center(width)
            canvas.text(column.x, row, text, fg=palette.text_on(background),
                        bg=background, bold=emphasised)
            if emphasised:
                canvas.put(column.x - 1, row, "▐", fg=palette.accent)
                canvas.put(column.x + width, row, "▌", fg=palette.accent)
            if column.bias_below:
                bias = float(snapshot.biases[k - 1][unit])
                canvas.text(column.x, row + 1, held.shown(bias, bias_text(bias)),
                            fg=palette.signed(bias, 0.005, 0.0) if abs(bias) >= 0.005
                            else palette.muted)
            if k == 0 and geometry.left_margin:
                name = input_names[unit]
                canvas.text(column.x - 1 - len(name), row, name, fg=palette.muted)
            if k == last and geometry.right_margin:
                label = output_label(snapshot, unit, sample, geometry.right_margin - 1)
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


def activation_scale(snapshot: Snapshot, k: int) -> float | np.ndarray:
    """The value that colours a unit of a(k) fully: 1 for bounded activations, the largest
    |a| seen otherwise (per input for a(0), whose columns differ in range)."""
    values = np.nan_to_num(snapshot.activations[k])
    if k == 0:
        return np.abs(values).max(axis=0) if values.size else np.ones(values.shape[1])
    sigma = snapshot.output_activation if k == snapshot.n_layers else snapshot.activation
    if sigma in BOUNDED:
        return 1.0
    return float(np.abs(values).max()) if values.size else 1.0


def output_label(snapshot: Snapshot, unit: int, sample: int, width: int = 40) -> str:
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
