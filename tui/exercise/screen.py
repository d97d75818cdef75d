"""The grading view: the learner's network exercise graded against the live network.

The layer diagram above highlights the weights whose gradient the learner's code gets
wrong; selecting a weight or a neuron (its bias) there, with the arrow keys or a click,
shows its gradient as the learner's code computed it, the engine's and the
finite-difference estimate in the line under it (``core.exercises.LiveGradients``). The
report below lists every layer's arrays (Z, A, Δ, dW, db) with their largest relative
error, the first entry that differs and the slip that explains it. The file is graded in a
child process (``core.exercises``) from a Textual thread worker, again each time it is saved
(its modification time is watched while the view is open) and each time the weights move
while training is paused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from core.exercises import (
    GradeReport,
    Limits,
    exercise_lines,
    grade_snapshot,
    record_passes,
    report_lines,
)
from core.session import Session, Snapshot
from core.text import shown_path

from ..controls import CONTROLS, Control
from ..math.selection import parameter
from ..screens.session_screen import SessionScreen
from ..widgets.diagram import LayerDiagram
from ..widgets.keys_footer import KeysFooter
from ..widgets.status_bar import StatusBar

WATCH_SECONDS = 0.25
"""How often the file's modification time is looked at."""
TRAINING_KEYS = frozenset({"n", "N", "b", "space", "plus", "minus", "r", "u"})
"""The training screen's keys that work the same here."""

GRADING_CONTROLS = (
    Control("escape", "esc", "close", "close", "Close the grading",
            "Back to the training view (x grades again)"),
    Control("enter", "enter", "grade", "grade", "Grade now",
            "Grade the file again now (saving it grades it too)"),
    Control("up", "↑", "select('up')", "select", "Select up",
            "The neuron above, or the previous weight: its gradient, yours and the engine's"),
    Control("down", "↓", "select('down')", "select", "Select down",
            "The neuron below, or the next weight: its gradient, yours and the engine's"),
    Control("left", "←", "select('left')", "select", "Select left",
            "Towards the inputs (neuron, weight, neuron)"),
    Control("right", "→", "select('right')", "select", "Select right",
            "Towards the outputs (neuron, weight, neuron)"),
    Control("pagedown", "pgdn", "scroll(8)", "page", "Page down", "Scroll the report a page"),
    Control("pageup", "pgup", "scroll(-8)", "page", "Page up", "Scroll the report back"),
    *(c for c in CONTROLS if c.key in TRAINING_KEYS),
    Control("question_mark", "?", "help", "help", "Help", "The grading view's keys"),
    Control("q", "q", "app.quit", "quit", "Quit", "Quit (stops training first)"),
)
GRADING_FOOTER = frozenset({"escape", "enter", "n", "space", "question_mark"})


class GradingScreen(SessionScreen):
    """The learner's file at ``path`` graded against the live network of ``session``;
    its keys are ``GRADING_CONTROLS``."""

    BINDINGS = [Binding(c.key, c.action, c.footer, key_display=c.display, tooltip=c.help,
                        show=c.key in GRADING_FOOTER) for c in GRADING_CONTROLS]
    AUTO_FOCUS = ""
    announces = False
    DEFAULT_CSS = """
    #grading-diagram { height: 2fr; min-height: 6; }
    #grading-selected { height: auto; padding: 0 1; }
    #grading-selected.-wrong { color: $text-error; }
    #grading-report { height: 3fr; padding: 0 1; }
    """

    @dataclass
    class Graded(Message):
        """A grade is done: the report, or why there is none (``refused``), for the file
        as it was at ``stamp`` and the network at ``epoch``."""

        report: GradeReport | None
        refused: str
        stamp: tuple | None
        epoch: int

    def __init__(self, session: Session, path: str) -> None:
        super().__init__(session)
        self.path = Path(path)
        self.report: GradeReport | None = None
        self.refused = ""
        self.graded_stamp: tuple | None = None     # the file's (mtime, size) last graded
        self.graded_weights: tuple | None = None   # the snapshot's (epoch, batch) last graded
        self.grading = False
        self.again = False                        # asked to grade while a grade ran

    def compose(self) -> ComposeResult:
        """The diagram above, the selected parameter's gradients, the report below, the
        status bar and the keys."""
        diagram = LayerDiagram(id="grading-diagram", classes="panel")
        diagram.can_focus = False         # the screen's arrow keys select in it
        diagram.selectable = True
        yield diagram
        yield Static("", id="grading-selected", markup=False)
        with VerticalScroll(id="grading-report", classes="panel", can_focus=False):
            yield Static("", id="grading-text", markup=False)
        yield StatusBar(id="status").data_bind(SessionScreen.snapshot)
        yield KeysFooter(compact=True)

    @property
    def diagram(self) -> LayerDiagram:
        """The layer diagram."""
        return self.query_one(LayerDiagram)

    def on_mount(self) -> None:
        """Title the panels, follow the session, grade, and watch the file."""
        self.diagram.border_title = "Network: gradients your code gets wrong highlighted"
        panel = self.query_one("#grading-report")
        panel.border_title = f"Grading {shown_path(self.path.name, 40)}: the network exercise"
        panel.border_subtitle = "grading…"
        self.follow_session()
        self.grade()
        self.set_interval(WATCH_SECONDS, self.watch_file)

    def draw_panels(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``; grade again once the weights moved and training paused."""
        self.diagram.show(snapshot)
        if snapshot.state != "running" and self.graded_weights is not None \
                and (snapshot.epoch, snapshot.batch, snapshot.sequence) != self.graded_weights:
            self.grade()

    def stamp(self) -> tuple | None:
        """The file's modification time and size (None if it cannot be read)."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return (status.st_mtime_ns, status.st_size)

    def watch_file(self) -> None:
        """Grade again when the file was saved since the last grade."""
        if not self.grading and self.stamp() != self.graded_stamp:
            self.grade()

    def grade(self) -> None:
        """Grade the file on the session's newest snapshot (once the grade running ends,
        if one runs)."""
        if self.grading:
            self.again = True
            return
        snapshot = self.snapshot or self.session.snapshot()
        self.grading, self.again = True, False
        self.graded_weights = (snapshot.epoch, snapshot.batch, snapshot.sequence)
        self.query_one("#grading-report").border_subtitle = "grading…"
        self.run_grade(snapshot, self.stamp())

    @work(thread=True, exclusive=True, group="grading")
    def run_grade(self, snapshot: Snapshot, stamp: tuple | None) -> None:
        """Grade in a thread (the child process does the learner's work) and post it."""
        worker = get_current_worker()
        report, refused = None, ""
        try:
            report = grade_snapshot(self.path, snapshot, self.session.preset,
                                    Limits(cancelled=lambda: worker.is_cancelled))
        except (ValueError, OSError) as error:       # GradeError: this file, this network
            refused = str(error)
        if not worker.is_cancelled:
            self.post_message(self.Graded(report, refused, stamp, snapshot.epoch))

    def on_grading_screen_graded(self, message: Graded) -> None:
        """Show a grade that came back; grade again if asked meanwhile."""
        self.grading = False
        self.graded_stamp = message.stamp
        self.report, self.refused = message.report, message.refused
        if message.report is not None:
            record_passes(message.report, self.app.answers)
        self.show_report(message.epoch)
        if self.again:
            self.grade()

    def show_report(self, epoch: int) -> None:
        """The report as text, fitted to the panel, and the wrong weights in the diagram."""
        panel = self.query_one("#grading-report")
        width = max(30, panel.size.width - 2)
        if self.report is None:
            lines = [self.refused]
            verdict = "not graded"
        elif self.report.failure:
            lines = report_lines(self.report, width)
            verdict = "not graded"
        else:
            lines = exercise_lines(self.report.exercises[0], width, first_on_top=True)
            verdict = "right" if self.report.exit_code == 0 else "not right yet"
            if self.report.printed:
                lines += ["", "your code printed:", *self.report.printed.splitlines()]
        panel.border_subtitle = f"{verdict} at epoch {epoch} · saving the file grades it again"
        self.query_one("#grading-text", Static).update("\n".join(lines))
        self.diagram.flagged = frozenset(flagged_weights(self.report, self.snapshot))
        self.show_selected()

    def show_selected(self) -> None:
        """The selected weight's or bias's gradient: yours, the engine's and the finite
        difference (nothing while there is no grade of the live network)."""
        line = self.query_one("#grading-selected", Static)
        live = self.report.live if self.report is not None else None
        selection = self.diagram.selected
        compared = None
        if live is None:
            text = ""
        elif selection is None:
            text = ("Select a weight or a neuron (its bias), ←→↑↓ or a click: your "
                    "gradient beside the engine's.")
        else:
            param = parameter(selection, self.session.preset.bias)
            compared = live.compared(param) if param is not None else None
            text = (compared.line() if compared is not None else
                    "An input has no parameter: select a weight or a neuron (its bias).")
        line.update(text)
        line.display = bool(text)
        line.set_class(compared is not None and not compared.right, "-wrong")

    def on_layer_diagram_selected(self, message: LayerDiagram.Selected) -> None:
        """A weight or neuron chosen in the diagram: show its gradients."""
        self.diagram.selected = message.selection
        self.show_selected()

    def action_select(self, direction: str) -> None:
        """Arrow keys: move the diagram's selection."""
        self.diagram.action_select(direction)

    def on_resize(self) -> None:
        """Wrap the report to the new width."""
        if self.report is not None or self.refused:
            self.show_report(self.snapshot.epoch if self.snapshot else 0)

    def action_grade(self) -> None:
        """enter: grade now."""
        self.grade()

    def action_scroll(self, lines: int) -> None:
        """pgup pgdn: scroll the report."""
        self.query_one("#grading-report").scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """escape: back to the training view."""
        self.app.pop_screen()

    def action_help(self) -> None:
        """?: the grading view's keys."""
        from ..screens.help import HelpScreen

        self.app.push_screen(HelpScreen([(c.display, c.help) for c in GRADING_CONTROLS]))


def flagged_weights(report: GradeReport | None,
                    snapshot: Snapshot | None) -> set[tuple[int, int, int]]:
    """The weights ``(l - 1, i, j)`` whose gradient dW(l) the report finds wrong: its
    wrong entries, or every weight of a layer whose dW has the wrong shape."""
    if report is None or not report.exercises or snapshot is None:
        return set()
    backward = report.exercises[0].functions[-1]
    found = set()
    for quantity in backward.quantities:
        if not quantity.label.startswith("dW(") or quantity.right:
            continue
        layer = quantity.layer - 1
        if quantity.shape_problem:
            rows, columns = snapshot.weights[layer].shape
            found |= {(layer, i, j) for i in range(rows) for j in range(columns)}
        found |= {(layer, *entry) for entry in quantity.wrong_entries}
    return found
