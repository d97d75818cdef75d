"""The status bar: one line with the state of training and its numbers."""

from __future__ import annotations

import math

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from core.engine import OPTIMIZER_TITLES
from core.explain.notes import NOTHING, Held
from core.session import Snapshot, pace_label


def running_free(snapshot: Snapshot | None) -> bool:
    """Whether ``snapshot`` shows training that runs on until paused (``space``), not a
    step (``n``, ``N``, ``b``)."""
    return snapshot is not None and snapshot.state == "running" and not snapshot.counted


def format_number(value: float | None) -> str:
    """A loss or rate in at most four significant digits (``nan``/``inf`` as such)."""
    if value is None:
        return "-"
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:.4g}"


def format_percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal (``-`` when there is none)."""
    return "-" if value is None or not math.isfinite(value) else f"{100 * value:.1f}%"


class StatusBar(Widget):
    """``state · epoch N · loss · test loss · accuracy · lr X · optimizer · epochs/s``.

    Epochs per second are shown only while training runs, so a paused screen is
    reproducible. A diverged session turns the bar to the theme's error colour; a loss that
    oscillates adds a lower learning rate to try. A number that shows a value ``held`` back
    (one an open lesson question asks for) is a '?'.
    """

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        width: 1fr;
    }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    held: reactive[Held] = reactive(NOTHING)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Turn the bar to the error colour while the session is diverged, to the running
        colour while training runs on (``space``)."""
        self.set_class(snapshot is not None and snapshot.state == "diverged", "-diverged")
        self.set_class(running_free(snapshot), "-training")

    def fields(self) -> list[tuple[int, str, str]]:
        """The bar's fields in order as (priority, text, style); lower priority numbers are
        kept longest when the bar is too narrow for all of them."""
        snapshot = self.snapshot
        if snapshot is None:
            return [(0, "starting...", "")]
        training = running_free(snapshot)
        diverged = snapshot.state == "diverged"
        if training:
            state = "▶ running"
        elif snapshot.state == "running":
            state = "» stepping"
        elif diverged:
            state = "✖ diverged"
        else:
            state = "‖ paused"
        epoch = f"epoch {snapshot.epoch}"
        if snapshot.batch and snapshot.batches_per_epoch > 1:
            epoch += f" (batch {snapshot.batch}/{snapshot.batches_per_epoch})"
        fields = [(0, state, "bold"), (0, epoch, "bold"),
                  (1, f"loss {format_number(snapshot.loss)}", "")]
        if snapshot.test_loss is not None:
            fields.append((4, f"test {format_number(snapshot.test_loss)}", ""))
        if snapshot.accuracy is not None:
            fields.append((3, f"acc {format_percent(snapshot.accuracy)}", ""))
            if snapshot.test_accuracy is not None:
                fields.append((5, f"test acc {format_percent(snapshot.test_accuracy)}", ""))
        fields.append((1, f"lr {format_number(snapshot.learning_rate)}", "bold"))
        optimizer = OPTIMIZER_TITLES.get(snapshot.optimizer, snapshot.optimizer)
        if snapshot.gradient_method == "backprop":
            fields.append((2, optimizer, ""))
        else:       # training's gradients are not backprop's: say so as long as lr shows
            fields.append((1, f"{optimizer} by finite differences (F)", "bold"))
        if snapshot.target_epoch is not None:
            fields.append((2, f"target ✓ epoch {snapshot.target_epoch}", ""))
        if training:
            fields.append((3, f"{snapshot.epochs_per_second:.0f} epochs/s", ""))
            fields.append((2, f"pace {pace_label(snapshot.pace)} (< >)", ""))
        if diverged and snapshot.message:
            fields.append((1, snapshot.message, "bold"))
        elif snapshot.oscillating:
            rate = format_number(snapshot.suggested_learning_rate)
            fields.append((1, f"loss oscillates: try lr {rate}", "bold"))
        return fields

    def render(self) -> Content:
        """The fields, the least important left out first when the bar is too narrow."""
        fields = [(priority, self.held.mask(text), style)
                  for priority, text, style in self.fields()]
        width = self.size.width or 10_000
        sep = " │ "

        def length(kept):
            return 1 + sum(len(text) for _, text, _ in kept) + len(sep) * (len(kept) - 1)

        while len(fields) > 1 and length(fields) > width:
            worst = max(priority for priority, _, _ in fields)
            if worst == 0:
                break
            last = max(i for i, (priority, _, _) in enumerate(fields) if priority == worst)
            del fields[last]
        parts: list[str | tuple[str, str]] = [" "]
        for i, (_, text, style) in enumerate(fields):
            if i:
                parts.append((sep, "dim"))
            parts.append((text, style) if style else text)
        return Content.assemble(*parts)
