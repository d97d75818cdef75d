"""The output view: what the network does with its inputs, drawn the way the problem suits.

- 2 inputs: the decision map (with the truth table beside it when the data is a small table
  and there is room);
- 1 input: the learned curve against the targets;
- a small table (at most 8 inputs and 32 samples): the truth table;
- square images (64 inputs = 8x8) to classify: a few images with predicted labels;
- any other classification: the confusion matrix; other regression: predicted vs target.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from textual.reactive import reactive

from core.explain import TERMS_SHOWN
from core.session import Snapshot

from ..math import selection as selecting
from .base import SnapshotPanel
from .canvas import Canvas
from .output.confusion import draw_confusion
from .output.curve import draw_curve
from .output.decision_map import draw_decision_map, map_width
from .output.digits import draw_digits, image_side
from .output.scatter import draw_scatter
from .output.truth_table import draw_truth_table, table_width
from .render import Palette

Renderer = Callable[[Canvas, Palette, Snapshot, int], None]
SMALL_TABLE_INPUTS = 8
SMALL_TABLE_ROWS = 32
MIN_MAP_ROWS = 6            # below this a gate's decision map under its table is left out


def view_kind(snapshot: Snapshot) -> str:
    """Which view suits the problem: "decision map", "curve", "truth table", "digits",
    "confusion" or "scatter"."""
    n_inputs = snapshot.sizes[0]
    if n_inputs == 2:
        return "decision map"
    if n_inputs == 1:
        return "curve"
    if _small_table(snapshot):
        return "truth table"
    if snapshot.task == "classification":
        return "digits" if image_side(snapshot) else "confusion"
    return "scatter"


RENDERERS: dict[str, Renderer] = {
    "decision map": draw_decision_map,
    "curve": draw_curve,
    "truth table": draw_truth_table,
    "digits": draw_digits,
    "confusion": draw_confusion,
    "scatter": draw_scatter,
}


class OutputView(SnapshotPanel):
    """The network's outputs against the targets, in the view ``view_kind`` picks.

    ``sample_index`` marks the selected training sample (in the map, curve and table);
    ``selected`` is the diagram's selection, whose weight's or bias's largest per-sample
    terms of dC/dw are marked in the map and the table.
    """

    DEFAULT_CSS = """
    OutputView { width: 1fr; height: 1fr; }
    """

    sample_index: reactive[int] = reactive(0)
    selected: reactive[tuple | None] = reactive(None)

    def frame_key(self):
        """The frame also depends on the selected sample and parameter."""
        return (*super().frame_key(), self.sample_index, self.selected)

    def marked(self, snapshot: Snapshot) -> tuple[int, ...]:
        """The samples whose terms of the selected parameter's dC/dw are largest."""
        param = selecting.parameter(self.selected, snapshot.bias) \
            if selecting.valid(self.selected, snapshot.sizes) else None
        if param is None:
            return ()
        terms = snapshot.gradient_terms(param)
        return tuple(int(k) for k in np.argsort(-np.abs(terms), kind="stable")[:TERMS_SHOWN])

    def draw(self, canvas: Canvas, palette: Palette, snapshot: Snapshot) -> None:
        """Paint the chosen view. A 2-input small table (the gates) shows its truth table
        with the decision map beside it, or under it, where there is room."""
        kind = view_kind(snapshot)
        sample, marked = self.sample_index, self.marked(snapshot)
        if kind == "decision map" and _small_table(snapshot):
            table = table_width(snapshot)
            map_cells = min(map_width(snapshot, canvas.height - 1), canvas.width - table - 2)
            if map_cells >= 16:
                draw_decision_map(canvas.view(0, 0, map_cells, canvas.height), palette,
                                  snapshot, sample, marked)
                draw_truth_table(canvas.view(map_cells + 2, 0, table, canvas.height), palette,
                                 snapshot, sample, marked)
                return
            table_rows = snapshot.X_train.shape[0] + 1
            map_rows = canvas.height - table_rows - 1
            draw_truth_table(canvas.view(0, 0, canvas.width, min(table_rows, canvas.height)),
                             palette, snapshot, sample, marked)
            if map_rows >= MIN_MAP_ROWS:
                draw_decision_map(canvas.view(0, table_rows + 1, canvas.width, map_rows),
                                  palette, snapshot, sample, marked)
            return
        if kind in ("decision map", "truth table"):
            RENDERERS[kind](canvas, palette, snapshot, sample, marked)
            return
        RENDERERS[kind](canvas, palette, snapshot, sample)


def _small_table(snapshot: Snapshot) -> bool:
    return (snapshot.sizes[0] <= SMALL_TABLE_INPUTS
            and snapshot.X_train.shape[0] <= SMALL_TABLE_ROWS)
