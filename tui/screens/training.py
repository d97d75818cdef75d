"""The training screen: layer diagram, output view, loss plot and gradients (or a math view),
the status bar and the keys. How it follows the session is ``SessionScreen``'s part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var

from core.session import Session, Snapshot

from .. import selection as selecting
from ..controls import CONTROLS, FOOTER_KEYS, SCREEN_CONTROLS
from ..widgets.diagram import LayerDiagram
from ..widgets.keys_footer import KeysFooter
from ..widgets.math_requests import MathInputs
from ..widgets.status_bar import StatusBar
from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from .session_screen import SessionScreen

if TYPE_CHECKING:
    from ..widgets.math_views import MathViews

SELECTING_VIEWS = ("inspector", "landscape")


class TrainingScreen(SessionScreen):
    """The main screen over the app's session; its keys are ``tui.controls.CONTROLS``."""

    BINDINGS = [
        Binding(c.key, c.action if c.action != "quit" else "app.quit", c.footer,
                key_display=c.display, tooltip=c.help, show=c.key in FOOTER_KEYS)
        for c in SCREEN_CONTROLS
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
        self.kept_selection: tuple | None = None   # the selection while no view uses it
        self.deferred = deferred     # covered by a lesson from the start: composed when shown

    def compose(self) -> ComposeResult:
        """The diagram and output view above, the loss plot and gradients (or a math view)
        below, then the status bar and the keys (nothing while ``deferred``)."""
        if self.deferred:
            return
        # loaded here, not above: a start on a lesson shows none of them (plotext alone
        # takes 30 ms to load)
        from ..widgets.gradients import GradientPanel
        from ..widgets.loss_plot import LossPlot
        from ..widgets.math_views import MathViews
        from ..widgets.output_view import OutputView

        with Horizontal(id="top"):
            yield LayerDiagram(id="diagram", classes="panel").data_bind(
                TrainingScreen.sample_index, TrainingScreen.color_by, TrainingScreen.selected)
            yield OutputView(id="output", classes="panel").data_bind(
                TrainingScreen.sample_index, TrainingScreen.selected)
        with Horizontal(id="bottom"):
            yield LossPlot(id="loss", classes="panel")
            yield GradientPanel(id="gradients", classes="panel")
        app = self.app
        yield MathViews(self.session, stopped=lambda: app.session_closed, id="math")
        yield StatusBar(id="status").data_bind(
            SessionScreen.snapshot, SessionScreen.learning_rate, SessionScreen.optimizer,
            SessionScreen.training, SessionScreen.stepping)
        yield KeysFooter(compact=True)
        yield TooSmall()

    @property
    def diagram(self) -> LayerDiagram:
        """The layer diagram panel."""
        return self.query_one("#diagram", LayerDiagram)

    @property
    def math(self) -> MathViews:
        """The math views (inspector, gradient check, cost landscape)."""
        return self.query_one("#math")    # type: ignore[return-value]

    @property
    def panels(self) -> tuple:
        """The panels drawn from a snapshot."""
        return (self.diagram, self.query_one("#output"), self.query_one("#loss"),
                self.query_one("#gradients"))

    def on_mount(self) -> None:
        """Title the panels, draw the session as it is and start the panel timer (when first
        shown, if a lesson covers the screen at the start)."""
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

    def update_panels(self) -> None:
        """Hand the newest snapshot to the panels (each redraws only if its data changed)."""
        snapshot, self.panel_snapshot = self.panel_snapshot, None
        if snapshot is None or not self.showing:
            return
        for panel in self.panels:
            panel.show(snapshot)
        self.follow_math(snapshot)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Name the preset under the diagram; say once when training diverged; while
        training is busy the open math view follows the status bar, at its own pace."""
        self.update_subtitle()
        super().watch_snapshot(snapshot)
        if snapshot is not None and self.busy:
            self.follow_math(snapshot)

    def update_subtitle(self) -> None:
        """Name the preset, seed and line colouring under the diagram (only on a change:
        setting a border title repaints the panel)."""
        snapshot = self.snapshot
        if snapshot is None or self.deferred:
            return
        text = (f"{snapshot.preset_title or snapshot.preset_name} · seed {snapshot.seed} · "
                f"lines: {self.color_by} (g)")
        if str(self.diagram.border_subtitle or "") != text:
            self.diagram.border_subtitle = Content(text)

    def watch_color_by(self) -> None:
        """The diagram's subtitle says how its lines are coloured."""
        self.update_subtitle()

    def watch_sample_index(self) -> None:
        """The math views show the selected sample too."""
        self.follow_math()

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

    # --- the math views -----------------------------------------------------------------

    def math_inputs(self, snapshot: Snapshot) -> MathInputs:
        """What the math views are drawn from now."""
        return MathInputs(snapshot, self.selected, self.sample_index, self.busy,
                          self.learning_rate, self.optimizer)

    def follow_math(self, snapshot: Snapshot | None = None) -> None:
        """Keep the selection, sample and step-through valid for the session's network, and
        let the open math view follow."""
        snapshot = snapshot or self.snapshot
        if snapshot is None or not self.showing:
            return
        math = self.math
        if math.new_shape(snapshot):
            self.kept_selection = None
            if not selecting.valid(self.selected, snapshot.sizes):
                self.selected = (math.default_selection(math.view)
                                 if math.view in SELECTING_VIEWS else None)
        n = snapshot.X_train.shape[0]
        if n and self.sample_index >= n:
            self.sample_index = 0
        if self.session.gradient_method != math.gradient_method:   # e.g. a session opened
            math.set_gradient_method(self.session.gradient_method)
        if math.stepped.follow():
            self.diagram.highlight_layer = math.stepped.highlight_layer
        math.follow(self.math_inputs(snapshot))

    def action_math_view(self, view: str) -> None:
        """i, c and L: open a math view in place of the loss and gradient panels; its own
        key closes it."""
        self.show_math_view(None if self.math.view == view else view)

    def show_math_view(self, view: str | None) -> None:
        """Show ``view`` (None: the loss and gradient panels again); the diagram's
        selection shows while the view uses it."""
        math = self.math
        math.open(view)
        for container in ("#top", "#bottom", "#math"):
            self.query_one(container).set_class(view is not None, "-math")
        self.diagram.selectable = view in SELECTING_VIEWS
        sizes = self.snapshot.sizes if self.snapshot else ()
        if view in SELECTING_VIEWS:
            if not selecting.valid(self.selected, sizes):
                kept = self.kept_selection
                self.selected = kept if selecting.valid(kept, sizes) \
                    else math.default_selection(view)
        elif self.selected is not None:
            self.kept_selection, self.selected = self.selected, None
        self.follow_math()

    @on(LayerDiagram.Selected)
    def select(self, message: LayerDiagram.Selected) -> None:
        """A neuron or weight chosen in the diagram; a click opens the inspector."""
        if message.clicked and self.math.view not in SELECTING_VIEWS:
            self.show_math_view("inspector")
        self.selected = message.selection
        self.math.follow_selection(message.selection)
        self.follow_math()

    def action_mark_axis(self) -> None:
        """m: use the selected parameter as a landscape axis (opens the landscape)."""
        param = selecting.parameter(self.selected, self.session.preset.bias)
        if param is None:
            self.notify("Select a weight, or a neuron with a bias, to mark it as an axis.",
                        title="Cost landscape")
            return
        self.math.mark(param)
        if self.math.view != "landscape":
            self.show_math_view("landscape")
        self.follow_math()

    def action_cycle_sample(self, step: int) -> None:
        """[ and ]: the previous or next training sample, everywhere at once."""
        if self.snapshot is not None:
            self.sample_index = (self.sample_index + step) % max(1, self.snapshot.X_train.shape[0])

    def action_scroll_math(self, pages: int) -> None:
        """Page up / page down: scroll the inspector or the gradient check."""
        self.math.scroll_page(pages)

    def action_toggle_finite_differences(self) -> None:
        """F: train with finite-difference gradients (as the notes start), or with backprop."""
        method = "backprop" if self.math.gradient_method != "backprop" else "finite_differences"
        try:
            self.session.set_gradient_method(method)
        except ValueError as error:
            self.notify(str(error), title="Gradients", severity="error")
            return
        self.math.set_gradient_method(method)
        if method == "backprop":
            text = "Training with backprop's gradients again."
        else:
            text = ("Training with finite-difference gradients (1.0.1): four cost evaluations "
                    "per parameter each batch. Press F again for backprop.")
        self.notify(text, title="Gradients")
        if self.math.view is None and method != "backprop":
            self.show_math_view("gradient_check")
        else:
            self.follow_math()

    def action_step_through(self, direction: str) -> None:
        """f and B: take a batch apart layer by layer. f computes the next layer forward,
        B the previous layer backward; after the last backward either key updates."""
        if self.training:
            self.session.pause()
            self.training = False
        refused = self.math.stepped.step(direction)
        if refused:
            self.notify(refused, title="Step inside an epoch")
            return
        if self.math.view != "inspector":
            self.show_math_view("inspector")
        self.diagram.highlight_layer = self.math.stepped.highlight_layer
        self.math.show_inspector()
