"""The training screen: layer diagram, output view, loss plot and gradients (or a math view),
the status bar and the keys. The app's ``SessionController`` hands it the session's
snapshots, and the training keys are the app's; the math views and their keys are the math
desk's (``tui.math``), bound here through it. While the lesson last opened has unanswered
questions about this network, every panel shows the values they ask for as '?', as the lesson
does (``tui.lessons.lesson_held``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var

from core.session import Session, Snapshot

from ..controls import CONTROLS, FOOTER_KEYS, MATH_CONTROLS, SCREEN_CONTROLS
from ..lessons import lesson_held
from ..widgets.diagram import LayerDiagram
from ..widgets.keys_footer import KeysFooter
from ..widgets.status_bar import StatusBar
from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from .session_screen import SessionScreen

if TYPE_CHECKING:
    from ..math.desk import MathDesk


class TrainingScreen(SessionScreen):
    """The main screen over the app's session; its keys are ``tui.controls.CONTROLS`` (the
    math views' are the math desk's actions, run through it: ``action_math``)."""

    BINDINGS = [
        Binding(c.key, f"math({c.action!r})" if c in MATH_CONTROLS
                else "app.quit" if c.action == "quit" else c.action, c.footer,
                key_display=c.display, tooltip=c.help, show=c.key in FOOTER_KEYS)
        for c in SCREEN_CONTROLS + MATH_CONTROLS
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-wide-enough")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-tall-enough")]

    color_by: var[str] = var("weights", init=False)
    """What the diagram's lines show: "weights" or "gradients"."""
    sample_index: var[int] = var(0, init=False)
    """The training sample the diagram, the output view and the inspector show."""
    selected: var[tuple | None] = var(None, init=False)
    """The diagram's selection: ``("node", k, i)`` or ``("weight", l, i, j)``."""

    def __init__(self, session: Session, deferred: bool = False) -> None:
        super().__init__(session)
        self.deferred = deferred     # covered by a lesson from the start: composed when shown

    def compose(self) -> ComposeResult:
        """The diagram and output view above, the loss plot and gradients (or a math view)
        below, then the status bar and the keys (nothing while ``deferred``)."""
        if self.deferred:
            return
        # loaded here, not above: a start on a lesson shows none of them (plotext alone
        # takes 30 ms to load)
        from ..math.desk import MathDesk
        from ..widgets.gradients import GradientPanel
        from ..widgets.loss_plot import LossPlot
        from ..widgets.output_view import OutputView

        with Horizontal(id="top"):
            yield LayerDiagram(id="diagram", classes="panel").data_bind(
                TrainingScreen.sample_index, TrainingScreen.color_by, TrainingScreen.selected)
            yield OutputView(id="output", classes="panel").data_bind(
                TrainingScreen.sample_index, TrainingScreen.selected)
        with Horizontal(id="bottom"):
            yield LossPlot(id="loss", classes="panel")
            yield GradientPanel(id="gradients", classes="panel")
        yield MathDesk(self.session, id="math")
        yield StatusBar(id="status").data_bind(SessionScreen.snapshot)
        yield KeysFooter(compact=True)
        yield TooSmall()

    @property
    def diagram(self) -> LayerDiagram:
        """The layer diagram panel."""
        return self.query_one("#diagram", LayerDiagram)

    @property
    def math(self) -> MathDesk:
        """The math views (inspector, gradient check, cost landscape) and their keys."""
        return self.query_one("#math")    # type: ignore[return-value]

    @property
    def panels(self) -> tuple:
        """The panels drawn from a snapshot."""
        return (self.diagram, self.query_one("#output"), self.query_one("#loss"),
                self.query_one("#gradients"))

    def on_mount(self) -> None:
        """Title the panels and draw the session as it is (when first shown, if a lesson
        covers the screen at the start)."""
        if self.deferred:
            return
        for panel, title in zip(self.panels, ("Network", "Output", "Loss", "Gradients")):
            panel.border_title = title
        self.follow_session()

    async def compose_deferred(self) -> None:
        """First shown after a lesson covered it from the start: compose and start now."""
        if self.deferred:
            self.deferred = False
            await self.recompose()
            self.on_mount()

    def draw_panels(self, snapshot: Snapshot) -> None:
        """Hand ``snapshot`` to the panels (each redraws only if its data changed), with
        what the lesson last opened holds back on it."""
        self.hold_back(snapshot)
        for panel in self.panels:
            panel.show(snapshot)
        self.follow_math(snapshot)

    def hold_back(self, snapshot: Snapshot) -> None:
        """Let every panel (the math views' and the status bar too) hold back what the
        lesson last opened holds back on ``snapshot`` (a panel redraws only if that
        changed)."""
        held = lesson_held(self.app, snapshot)
        for panel in self.query("CachedFrame, LossPlot, StatusBar"):  # (none until composed)
            panel.held = held

    def on_screen_resume(self) -> None:
        """Shown again (a lesson closed, maybe with questions answered): hold back what is
        still open (the screen catches up with the session as a ``SessionScreen``)."""
        if self.snapshot is not None:
            self.hold_back(self.snapshot)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Name the preset under the diagram; while training is busy the open math view
        follows the status bar, at its own pace."""
        self.update_subtitle()
        if snapshot is not None and self.busy:
            self.follow_math(snapshot)

    def update_subtitle(self) -> None:
        """Name the preset, seed and line colouring under the diagram (only on a change:
        setting a border title repaints the panel)."""
        snapshot = self.snapshot
        diagrams = self.query("#diagram")     # none until composed (a lesson covered it)
        if snapshot is None or not diagrams:
            return
        diagram = diagrams.first()
        text = (f"{snapshot.preset_title or snapshot.preset_name} · seed {snapshot.seed} · "
                f"lines: {self.color_by} (g)")
        if str(diagram.border_subtitle or "") != text:
            diagram.border_subtitle = Content(text)

    def watch_color_by(self) -> None:
        """The diagram's subtitle says how its lines are coloured."""
        self.update_subtitle()

    def action_toggle_colors(self) -> None:
        """g: colour the diagram's lines by weight or by gradient."""
        self.color_by = "gradients" if self.color_by == "weights" else "weights"

    def action_toggle_log_scale(self) -> None:
        """y: the loss plot's y axis linear or logarithmic."""
        plot = self.query_one("#loss")
        plot.log_scale = not plot.log_scale

    def action_help(self) -> None:
        """?: every key and what each panel shows."""
        from .help import HelpScreen

        self.app.push_screen(HelpScreen([(c.display, c.help) for c in CONTROLS]))

    def action_file_flow(self, flow: str, *args: str) -> None:
        """p, e, s, ctrl+o and the exports: the dialog flow ``tui.file_flows.<flow>`` (loaded
        with its dialogs when first used)."""
        from .. import file_flows

        getattr(file_flows, flow)(self, *args)

    def action_grade_backprop(self) -> None:
        """x: grade the learner's backprop file against the live network (``tui.exercise``)."""
        from ..exercise.flow import grade_backprop

        grade_backprop(self)

    def follow_math(self, snapshot: Snapshot | None = None) -> None:
        """Let the math views follow the session's newest snapshot (while shown)."""
        snapshot = snapshot or self.snapshot
        if snapshot is not None and self.showing and self.query("#math"):   # composed
            self.math.follow(snapshot, self.busy)

    async def action_math(self, action: str) -> None:
        """The math views' keys (i, c, L, m, [, ], f, B, F, pgup, pgdn): the math desk's
        ``action``."""
        await self.math.run_action(action)

    @on(LayerDiagram.Selected)
    def select(self, message: LayerDiagram.Selected) -> None:
        """A neuron or weight chosen in the diagram (a click opens the inspector)."""
        self.math.select(message.selection, message.clicked)

    def on_math_desk_changed(self, message: MathDesk.Changed) -> None:
        """A math view opened or closed, or what it shows moved: lay out the panels and let
        the diagram and the output view show the same selection, sample and layer."""
        for container in ("#top", "#bottom"):
            self.query_one(container).set_class(message.view is not None, "-math")
        diagram = self.diagram
        diagram.selectable = message.selectable
        diagram.highlight_layer = message.highlight_layer
        self.selected, self.sample_index = message.selection, message.sample

    @on(LayerDiagram.ParameterWanted)
    def type_parameter(self, message: LayerDiagram.ParameterWanted) -> None:
        """=: ask for a new value of the selected weight or bias."""
        from ..parameter_flow import type_parameter

        type_parameter(self, self.snapshot, message.selection)
