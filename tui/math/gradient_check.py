"""The gradient check: backprop against finite differences (1.0.1), layer by layer.

Per weight layer, the largest relative error between the gradients backprop computes and
central finite differences on the current weights (``session.views.gradient_check``), with a
clear mark above the engine's ``AGREEMENT_THRESHOLD`` (1e-5). Below it, which gradients
training uses: backprop, or (``F``) finite differences as the notes start, and what each
costs per batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from core.constants import AGREEMENT_THRESHOLD, FINITE_DIFFERENCE_STEP, in_e_notation
from core.engine import LayerCheck
from core.explain.numbers import relative_error_text
from core.session import GRADCHECK_SAMPLES, Snapshot

METHOD_TITLES = {"backprop": "backprop", "finite_differences": "finite differences (1.0.1)"}

HEADING = "bold $text-primary"
LABEL = "bold $text-accent"
MUTED = "$foreground-muted"
GOOD = "$text-success"
BAD = "bold reverse $text-error"
MODE = "bold reverse $text-warning"


@dataclass(frozen=True)
class GradientCheckData:
    """The checks of one set of weights (None while computing), the training mode and how
    many parameters the network has (finite differences cost 4 evaluations each)."""

    snapshot: Snapshot
    checks: tuple[LayerCheck, ...] | None
    gradient_method: str
    parameters: int
    error: str = ""

    @property
    def worst(self) -> float | None:
        """The largest relative error over all layers."""
        return None if not self.checks else max(c.error for c in self.checks)


def _samples(n: int) -> int:
    """How many training samples the check uses (every k-th, at most GRADCHECK_SAMPLES)."""
    every = max(1, -(-n // GRADCHECK_SAMPLES))
    return len(range(0, n, every))


def _error_cell(error: float) -> tuple[str, str]:
    """A relative error, eight characters wide, marked where it is above the threshold."""
    return f"{relative_error_text(error):>8}", BAD if error > AGREEMENT_THRESHOLD else ""


def check_lines(data: GradientCheckData) -> list[Content]:
    """The panel's text, line by line."""
    snapshot = data.snapshot
    n = snapshot.X_train.shape[0]
    lines = [Content.assemble(
        ("Backprop vs finite differences ", HEADING), ("(1.0.1)", LABEL),
        (f", epoch {snapshot.epoch}: largest relative error per layer", HEADING)),
        Content.assemble((f"  central differences (Richardson, "
                          f"h = {in_e_notation(FINITE_DIFFERENCE_STEP)}) on {_samples(n)} of {n} "
                          f"samples; above {AGREEMENT_THRESHOLD:g} they disagree", MUTED))]
    if data.error:
        lines.append(Content.assemble((data.error, BAD)))
    elif data.checks is None:
        lines.append(Content("  computing..."))
    else:
        for check in data.checks:
            w = snapshot.weights[check.layer]
            name = f"  w({check.layer + 1}) {w.shape[0]}×{w.shape[1]}"
            bad = check.error > AGREEMENT_THRESHOLD
            mark = (f" ✗ ABOVE {AGREEMENT_THRESHOLD:g} ", BAD) if bad else (" ✓ agree", GOOD)
            biases = () if check.bias_error is None else (
                "   biases ", _error_cell(check.bias_error))
            lines.append(Content.assemble(
                f"{name:<14}", "weights ", _error_cell(check.weight_error), *biases, "  ", mark))
    method = data.gradient_method
    params = data.parameters
    lines.append(Content(""))
    lines.append(Content.assemble(
        ("Training uses: ", HEADING),
        (METHOD_TITLES.get(method, method), MODE if method != "backprop" else GOOD),
        ("   F toggles", MUTED)))
    lines.append(Content(
        f"  a batch costs backprop one forward and one backward pass, finite differences "
        f"4 × {params} parameters = {4 * params} forward passes"))
    lines.append(Content.assemble(("  running (space), compare epochs/s in the status bar",
                                   MUTED)))
    return lines


class GradientCheckPanel(VerticalScroll, can_focus=False):
    """The panel titled "Gradient check" (scrolled like the inspector when short)."""

    DEFAULT_CSS = """
    GradientCheckPanel { height: 1fr; width: 1fr; padding: 0 1; }
    GradientCheckPanel > Static { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: GradientCheckData | None = None
        self.border_title = "Gradient check"

    def compose(self) -> ComposeResult:
        """The text of the check."""
        yield Static("computing...", id="gradient-check-text")

    def show(self, data: GradientCheckData) -> None:
        """Lay out ``data``."""
        self.data = data
        self.query_one("#gradient-check-text", Static).update(
            Content("\n").join(check_lines(data)))

    @property
    def text(self) -> str:
        """The plain text shown, for tests."""
        return "" if self.data is None else "\n".join(c.plain for c in check_lines(self.data))
