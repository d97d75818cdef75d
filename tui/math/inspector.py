"""The inspector: the notes' equations for the selected neuron or weight, with live numbers.

For the selected training sample it shows the neuron's forward equation (1.6.1) with its
numbers and σ' (1.2.3, 1.6.2-1.6.4); for a weight (or a neuron's bias) ∂_w C as the chain
rule, each factor with its value, the mean over the samples (the σ' factor that the notes'
1.5.12 and 1.7.2 omit included), with the finite-difference estimate and the relative error
beside it. The lines are the core's, in the notes' notation (``core.explain.equations``).
While a batch is stepped through (``f``/``B``) it first shows the numbers of the layer just
computed. The reports come from the session (``session.views.inspect_*``,
``session.views.step_through``); this module only lays them out. While the lesson last
opened has unanswered questions, the numbers they ask for show as '?' here too
(``tui.lessons.lesson_held``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from core.engine import AGREEMENT_THRESHOLD
from core.explain import GradientReport, NeuronReport, StepThrough
from core.explain.equations import neuron, weight
from core.explain.notes import NOTHING, Held
from core.explain.numbers import num, relative_error_text
from core.session import Snapshot

from ..lessons import lesson_held
from ..widgets.hanging import hang

MAX_ROWS = 4               # rows of a matrix shown in the step-through numbers
MAX_COLUMNS = 8

LABEL = "bold $text-accent"
HEADING = "bold $text-primary"
NOTE = "italic $foreground-muted"
MUTED = "$foreground-muted"
GOOD = "$text-success"
BAD = "bold $text-error"

_LABELLED = re.compile(r"^(\s*)(\([0-9][0-9., a-z-]*\))(.*)$")


@dataclass(frozen=True)
class InspectorData:
    """Everything the inspector shows at one moment.

    ``selection`` is the diagram's (``("node", k, i)`` or ``("weight", l, i, j)``, l 0-based),
    ``neuron`` the report of the neuron selected or fed by the selected weight, ``gradient``
    the report of the selected weight or the selected neuron's bias, ``step`` the batch being
    stepped through. ``error`` replaces the reports when they could not be made; ``pending``
    says they are being computed.
    """

    snapshot: Snapshot
    selection: tuple | None
    sample: int
    neuron: NeuronReport | None = None
    gradient: GradientReport | None = None
    step: StepThrough | None = None
    error: str = ""
    pending: bool = False


def _line(*parts: str | tuple[str, str]) -> Content:
    return Content.assemble(*parts)


def _styled(text: str) -> Content:
    """One of the core's report lines, its equation label ``(1.6.1)`` highlighted and the
    note about the omitted σ' muted."""
    if text.startswith("The notes'"):
        return _line((text, NOTE))
    match = _LABELLED.match(text)
    if match:
        indent, label, rest = match.groups()
        return _line(indent, (label, LABEL), rest)
    return Content(text)


def _agreement(error: float) -> tuple[str, str]:
    if error > AGREEMENT_THRESHOLD:
        return f"✗ above {AGREEMENT_THRESHOLD:g}", BAD
    return "✓", GOOD


def _sample_description(snapshot: Snapshot, sample: int) -> str:
    """``sample 2/4: x1 = 0, x2 = 1 -> y = 1`` (names and values, cut short for wide rows)."""
    n = snapshot.X_train.shape[0]
    x, y = snapshot.X_train[sample], snapshot.Y_train[sample]
    inputs = ", ".join(f"{name} = {num(v)}" for name, v in zip(snapshot.input_names[:4], x))
    if len(x) > 4:
        inputs += f", ... ({len(x)} inputs)"
    targets = ", ".join(f"{num(v)}" for v in y[:4]) + (", ..." if len(y) > 4 else "")
    return f"sample {sample + 1}/{n}: {inputs} -> y = {targets}"


def _matrix_lines(name: str, matrix: np.ndarray | None, rows: list[int] | None = None,
                  row_names: list[str] | None = None, what: str = "rows") -> list[Content]:
    """``name`` = a small matrix, some of its rows (``rows``, named ``row_names``) and
    columns when it is larger."""
    if matrix is None:
        return []
    matrix = np.atleast_2d(matrix)
    rows = list(range(matrix.shape[0]))[:MAX_ROWS] if rows is None else rows
    lines = []
    for k, r in enumerate(rows):
        values = ", ".join(num(v) for v in matrix[r, :MAX_COLUMNS])
        more = f", ... ({matrix.shape[1]} columns)" if matrix.shape[1] > MAX_COLUMNS else ""
        label = row_names[k] if row_names else (f"row {r + 1}" if matrix.shape[0] > 1 else "")
        head = f"{name} {label}".rstrip()
        lines.append(_line(f"  {head} = [", values, more, "]"))
    if matrix.shape[0] > len(rows):
        lines.append(_line((f"  ({len(rows)} of {matrix.shape[0]} {what} shown)", MUTED)))
    return lines


def _step_lines(data: InspectorData) -> list[Content]:
    """The batch being stepped through: what was just computed, with its numbers, and what
    the next key computes."""
    step, snapshot = data.step, data.snapshot
    rows = list(step.rows)
    n = len(rows)
    where = f"epoch {step.epoch + 1}, batch {step.batch + 1}/{step.batches} ({n} samples)"
    lines = [_line(("Stepping through ", HEADING), (where, HEADING),
                   ("  f: forward one layer · B: backward one layer", MUTED))]
    if n <= MAX_ROWS:
        shown = list(range(n))
    else:
        shown = [rows.index(data.sample)] if data.sample in rows else [0, 1]
    names = [("▸" if rows[k] == data.sample else " ") + f"sample {rows[k] + 1}" for k in shown]
    last = step.last
    if last is None:
        lines.append(Content("  nothing computed yet: a(0) = x is the batch's inputs"))
    else:
        lines.append(_line(("done: ", LABEL), last.description))
        l = last.layer
        if last.phase == "forward":
            lines += _matrix_lines(f"a({l})", step.activations[l], shown, names, "samples")
            if l == len(step.weights_before) and step.cost is not None:
                lines.append(_line("  C = ", num(step.cost), " on this batch"))
        elif last.phase == "backward":
            lines += _matrix_lines(f"∂_{{z({l})}} C", step.deltas[l - 1], shown, names,
                                   "samples")
            lines += _matrix_lines(f"∂_{{w({l})}} C", step.grad_w[l - 1])
            lines += _matrix_lines(f"∂_{{b({l})}} C", step.grad_b[l - 1])
        elif last.phase == "update":
            for k, (before, after) in enumerate(zip(step.weights_before, snapshot.weights)):
                if before.shape == after.shape:
                    lines += _matrix_lines(f"change of w({k + 1})", after - before)
    if step.done:
        lines.append(_line(("next: ", LABEL), "f starts the next batch"))
    else:
        lines.append(_line(("next: ", LABEL), step.next))
    return lines


def _selection_name(selection: tuple | None) -> str:
    if selection is None:
        return "nothing selected"
    if selection[0] == "node":
        return f"neuron {neuron('a', selection[1], selection[2])}"
    l, i, j = selection[1:]
    return f"weight {weight(l + 1, i, j)}"


def _gradient_header(report: GradientReport) -> Content:
    verdict, style = _agreement(report.relative_error)
    return _line((f"∂_{{{report.name}}} C = {num(report.gradient)}", HEADING),
                 (" backprop", MUTED),
                 f" · finite difference {num(report.numeric)} · relative error ",
                 (f"{relative_error_text(report.relative_error)} {verdict}", style))


def inspector_lines(data: InspectorData) -> list[Content]:
    """The inspector's text, line by line."""
    snapshot, selection, sample = data.snapshot, data.selection, data.sample
    lines: list[Content] = []
    if data.step is not None:
        lines += _step_lines(data)
        lines.append(Content(""))
    lines.append(_line((_selection_name(selection), HEADING), " · ",
                       _sample_description(snapshot, sample), ("  ←↑↓→ [ ]", MUTED)))
    if data.error:
        lines.append(_line((data.error, BAD)))
        return lines
    if data.pending:
        lines.append(_line(("computing...", MUTED)))
        return lines
    if selection is None:
        lines.append(Content("Select a neuron or a weight with the arrow keys."))
        return lines
    if selection[0] == "node" and selection[1] == 0:
        unit = selection[2]
        name = snapshot.input_names[unit] if unit < len(snapshot.input_names) else f"x{unit + 1}"
        lines.append(_line(("a(0) = x", LABEL), f": {neuron('a', 0, unit, sample)} = {name} = "
                           f"{num(snapshot.X_train[sample, unit])}, an input: nothing to "
                           "compute. Move right to the weights it feeds."))
        return lines
    if data.gradient is not None:
        lines.append(_gradient_header(data.gradient))
    if data.neuron is not None:
        lines += [_styled(text) for text in data.neuron.lines()]
    if data.gradient is not None:
        lines.append(Content(""))
        lines += [_styled(text) for text in data.gradient.lines()]
    elif selection[0] == "node":
        lines.append(Content("This network has no biases: select a weight for its gradient."))
    return lines


def masked(line: Content, held: Held = NOTHING) -> Content:
    """``line`` with every number that shows a value ``held`` back replaced by '?'."""
    for start, end in reversed(held.spans(line.plain)):
        line = line[:start] + Content("?") + line[end:]
    return line


class Inspector(VerticalScroll, can_focus=False):
    """The panel titled "Inspector": the equations of the selection, scrolled with the
    mouse wheel or page up / page down (the arrow keys select, so it never takes focus)."""

    DEFAULT_CSS = """
    Inspector { height: 1fr; width: 1fr; padding: 0 1; }
    Inspector > Static { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: InspectorData | None = None
        self.border_title = "Inspector"

    def compose(self) -> ComposeResult:
        """The text of the inspector."""
        yield Static("Select a neuron or a weight with the arrow keys.", id="inspector-text")

    def show(self, data: InspectorData) -> None:
        """Lay out ``data`` (the reports it holds are the engine's numbers)."""
        self.data = data
        self.draw()

    def on_resize(self) -> None:
        """Wrap the lines to the new width."""
        self.draw()

    def draw(self) -> None:
        """The lines of the data shown, long ones wrapped with a hanging indent."""
        if self.data is None:
            return
        width = self.scrollable_content_region.width - 2     # room for the scrollbar
        held = lesson_held(self.app, self.data.snapshot)
        lines = [piece for line in inspector_lines(self.data)
                 for piece in hang(masked(line, held), width)]
        self.query_one("#inspector-text", Static).update(Content("\n").join(lines))

    @property
    def text(self) -> str:
        """The plain text shown, for tests and the clipboard."""
        if self.data is None:
            return ""
        held = lesson_held(self.app, self.data.snapshot)
        return "\n".join(masked(line, held).plain for line in inspector_lines(self.data))
