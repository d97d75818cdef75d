"""backprop-tui: train a small neural network and watch backpropagation happen.

``BackpropApp`` drives a ``core.session.Session``. Training runs in the session's own thread
(``space``) or in Textual thread workers (the step keys); both reach the screen as
``SnapshotReady`` messages, so the UI never reads arrays a worker is still writing and a burst
of snapshots costs one redraw. While training is busy the costly panels are fed at most
``PANEL_INTERVAL`` apart; a finished step is drawn at once.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from core.snapshot import Snapshot

from .messages import SnapshotReady
from .screens import HelpScreen, LearningRateScreen, PresetPicker
from .widgets.diagram import LayerDiagram
from .widgets.gradients import GradientPanel
from .widgets.loss_plot import LossPlot
from .widgets.output_view import OutputView
from .widgets.status_bar import OPTIMIZER_TITLES, StatusBar

LEARNING_RATE_NOTCHES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_CYCLE = ("gd", "momentum", "adam")
PANEL_INTERVAL = 0.3       # seconds between panel updates while training is busy
SNAPSHOT_RATE = 10.0       # snapshots per second the session may send
MAX_QUEUED_STEPS = 20      # step keys waiting beyond this are dropped (a held-down N)
_TOLERANCE = 1e-9          # a typed 0.030000000000000002 is the notch 0.03


def notch_up(rate: float) -> float:
    """The next notch strictly above ``rate`` (the top notch stays)."""
    above = [n for n in LEARNING_RATE_NOTCHES if n > rate * (1 + _TOLERANCE)]
    return above[0] if above else LEARNING_RATE_NOTCHES[-1]


def notch_down(rate: float) -> float:
    """The next notch strictly below ``rate`` (the bottom notch stays)."""
    below = [n for n in LEARNING_RATE_NOTCHES if n < rate * (1 - _TOLERANCE)]
    return below[-1] if below else LEARNING_RATE_NOTCHES[0]


def next_optimizer(name: str) -> str:
    """gd -> momentum -> adam -> gd."""
    if name not in OPTIMIZER_CYCLE:
        return OPTIMIZER_CYCLE[0]
    return OPTIMIZER_CYCLE[(OPTIMIZER_CYCLE.index(name) + 1) % len(OPTIMIZER_CYCLE)]


@dataclass(frozen=True)
class Control:
    """One key of the public interface: its binding, footer text, help and palette entry."""

    key: str        # Textual's key name
    display: str    # how the key is written for people
    action: str
    footer: str     # short, for the Footer
    title: str      # command palette title
    help: str       # what it does, for the help screen and the palette


CONTROLS = (
    Control("space", "space", "run_pause", "run", "Run / pause",
            "Run training continuously, or pause it"),
    Control("n", "n", "step(1)", "step", "Step one epoch",
            "Train one epoch: one pass over the training data"),
    Control("N", "N", "step(100)", "×100", "Step 100 epochs", "Train 100 epochs"),
    Control("b", "b", "step_batch", "batch", "Step one mini-batch",
            "Train on one mini-batch: a single gradient step"),
    Control("question_mark", "?", "help", "help", "Help",
            "Help: every key and what each panel shows"),
    Control("plus", "+", "learning_rate_up", "lr+", "Learning rate up",
            "Learning rate one notch up (0.0001, 0.0003, ... 3, 10)"),
    Control("minus", "-", "learning_rate_down", "lr-", "Learning rate down",
            "Learning rate one notch down"),
    Control("l", "l", "type_learning_rate", "set lr", "Type a learning rate",
            "Type an exact learning rate (a positive number)"),
    Control("o", "o", "next_optimizer", "optim", "Next optimizer",
            "Next optimizer: gradient descent, momentum, Adam"),
    Control("r", "r", "reset", "reset", "Reset weights",
            "Reset: new initial weights, same preset"),
    Control("p", "p", "pick_preset", "preset", "Choose a preset",
            "Preset picker: choose a problem; enter loads it"),
    Control("g", "g", "toggle_colors", "colour", "Diagram colours",
            "Colour the diagram's lines by weight or by gradient dC/dw"),
    Control("y", "y", "toggle_log_scale", "log", "Loss plot log scale",
            "Loss plot: toggle a logarithmic y axis"),
    Control("q", "q", "quit", "quit", "Quit", "Quit (stops training first)"),
)

# Actions that change training; they wait while another screen (help, picker) is open.
TRAINING_ACTIONS = frozenset({
    "run_pause", "step", "step_batch", "learning_rate_up", "learning_rate_down",
    "type_learning_rate", "next_optimizer", "reset", "pick_preset", "toggle_colors",
    "toggle_log_scale", "help",
})


class BackpropApp(App[None]):
    """The main screen: layer diagram, output view, loss plot, gradients, status and keys.

    The app owns ``session`` and closes it when it quits.
    """

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    BINDINGS = [
        Binding(c.key, c.action, c.footer, key_display=c.display, tooltip=c.help)
        for c in CONTROLS
    ]

    snapshot: var[Snapshot | None] = var(None, always_update=True, init=False)
    """The latest snapshot of the session shown on screen."""
    learning_rate: var[float] = var(0.0, init=False)
    optimizer: var[str] = var("gd", init=False)
    training: var[bool] = var(False, init=False)
    """Whether the session trains on its own (``space``)."""
    stepping: var[bool] = var(False, init=False)
    """Whether step keys are being worked off in a thread worker."""
    color_by: var[str] = var("weights", init=False)
    """What the diagram's lines show: "weights" or "gradients"."""

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.session_closed = False
        self.unsubscribe_session = None
        self.subscription = 0                       # SnapshotReady.generation now accepted
        self.panel_snapshot: Snapshot | None = None  # waiting for the next panel update
        self.divergence_reported = ""    # the divergence message last notified
        self.diagram_subtitle = ""
        # Step keys queue here and one thread worker works them off in order, so that
        # n n is two epochs (a second concurrent Session.step would cut the first short).
        self.step_lock = threading.Lock()
        self.step_requests: deque[int] = deque()    # epochs to step; 0 = one mini-batch
        self.step_worker_active = False

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield LayerDiagram(id="diagram", classes="panel")
            yield OutputView(id="output", classes="panel")
        with Horizontal(id="bottom"):
            yield LossPlot(id="loss", classes="panel")
            yield GradientPanel(id="gradients", classes="panel")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    @property
    def diagram(self) -> LayerDiagram:
        return self.query_one("#diagram", LayerDiagram)

    @property
    def output_view(self) -> OutputView:
        return self.query_one("#output", OutputView)

    @property
    def loss_plot(self) -> LossPlot:
        return self.query_one("#loss", LossPlot)

    @property
    def gradient_panel(self) -> GradientPanel:
        return self.query_one("#gradients", GradientPanel)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        self.diagram.border_title = "Network"
        self.output_view.border_title = "Output"
        self.loss_plot.border_title = "Loss"
        self.gradient_panel.border_title = "Gradients"
        self.watch_color_by(self.color_by)
        self.watch_training(self.training)
        self.watch_stepping(self.stepping)
        self.start_over()
        self.set_interval(PANEL_INTERVAL, self.update_panels)

    # --- snapshots from the session -----------------------------------------------------

    def start_over(self) -> None:
        """After mounting, a reset or a new preset: subscribe afresh (snapshots from before
        are dropped), follow the session's settings and draw everything now."""
        if self.unsubscribe_session is not None:
            self.unsubscribe_session()
        with self.step_lock:
            self.step_requests.clear()
            self.subscription += 1
        self.training = False
        self.divergence_reported = ""
        snapshot = self.session.snapshot()
        self.learning_rate = snapshot.learning_rate
        self.optimizer = snapshot.optimizer
        self.watch_learning_rate(self.learning_rate)
        self.watch_optimizer(self.optimizer)
        self.accept_snapshot(snapshot, now=True)
        self.unsubscribe_session = self.session.subscribe(
            partial(self.session_snapshot, self.subscription), max_rate=SNAPSHOT_RATE)

    def session_snapshot(self, generation: int, snapshot: Snapshot) -> None:
        """The session's subscriber; runs in the session's thread and never blocks it."""
        self.post_message(SnapshotReady(snapshot, generation))

    @property
    def showing(self) -> bool:
        """Whether the main screen is up (not yet shutting down)."""
        return self.is_running and not self.session_closed

    @on(SnapshotReady)
    def snapshot_ready(self, message: SnapshotReady) -> None:
        if message.generation == self.subscription and self.showing:
            self.accept_snapshot(message.snapshot, now=not self.busy)

    @property
    def busy(self) -> bool:
        """Whether training is producing snapshots faster than panels should redraw."""
        return self.training or self.stepping

    def accept_snapshot(self, snapshot: Snapshot, now: bool) -> None:
        """Show ``snapshot``: the status bar at once, the panels now or at the next tick."""
        self.snapshot = snapshot
        self.panel_snapshot = snapshot
        if now:
            self.update_panels()

    def update_panels(self) -> None:
        """Hand the newest snapshot to the panels (each redraws only if its data changed)."""
        snapshot, self.panel_snapshot = self.panel_snapshot, None
        if snapshot is None or not self.showing:
            return
        for panel in (self.diagram, self.output_view, self.loss_plot, self.gradient_panel):
            panel.show(snapshot)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        if self.training and (self.session_closed or not self.session.running):
            self.training = False       # the run ended by itself (diverged)
        self.status_bar.snapshot = snapshot
        self.update_subtitle()
        if snapshot.state == "diverged":
            if snapshot.message != self.divergence_reported:
                self.divergence_reported = snapshot.message
                lower = notch_down(snapshot.learning_rate)
                self.notify(f"{snapshot.message or 'Training diverged'}. Try a lower learning "
                            f"rate (press - for {lower:g}), then r to reset the weights.",
                            title="Diverged", severity="warning", timeout=8)

    def update_subtitle(self) -> None:
        """Name the preset, seed and line colouring under the diagram (only on a change:
        setting a border title repaints the panel)."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        text = (f"{snapshot.preset_title or snapshot.preset_name} · seed {snapshot.seed} · "
                f"lines: {self.color_by} (g)")
        if text != self.diagram_subtitle:
            self.diagram_subtitle = text
            self.diagram.border_subtitle = Content(text)

    def watch_learning_rate(self, rate: float) -> None:
        self.status_bar.learning_rate = rate

    def watch_optimizer(self, name: str) -> None:
        self.status_bar.optimizer = name

    def watch_training(self, training: bool) -> None:
        if self.showing:
            self.status_bar.training = training

    def watch_stepping(self, stepping: bool) -> None:
        if self.showing:
            self.status_bar.stepping = stepping

    def watch_color_by(self, color_by: str) -> None:
        self.diagram.color_by = color_by
        self.update_subtitle()

    # --- steps in a thread worker -------------------------------------------------------

    def request_step(self, epochs: int) -> None:
        """Queue ``epochs`` epochs (0: one mini-batch); a step stops a free run."""
        with self.step_lock:
            if len(self.step_requests) >= MAX_QUEUED_STEPS:
                return
            self.step_requests.append(epochs)
            start = not self.step_worker_active
            self.step_worker_active = True
        self.training = False
        self.stepping = True
        if start:
            self.work_off_steps()

    def cancel_steps(self) -> None:
        with self.step_lock:
            self.step_requests.clear()

    @work(thread=True, group="step", exit_on_error=False)
    def work_off_steps(self) -> tuple[int, Snapshot] | None:
        """Train the queued steps in order, off the UI thread; returns the last snapshot
        with the subscription it belongs to."""
        last = None
        while True:
            with self.step_lock:
                if not self.step_requests or self.session_closed:
                    self.step_worker_active = False
                    return last
                epochs = self.step_requests.popleft()
                generation = self.subscription
            try:
                if epochs == 0:
                    snapshot = self.session.step_batch()
                else:
                    snapshot = self.session.step(epochs=epochs)
            except BaseException:
                with self.step_lock:
                    self.step_requests.clear()
                    self.step_worker_active = False
                raise
            last = (generation, snapshot)

    @on(Worker.StateChanged)
    def steps_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "step" or not event.worker.is_finished:
            return
        with self.step_lock:
            self.stepping = self.step_worker_active
        if not self.showing:
            return
        result = event.worker.result
        if event.state == WorkerState.SUCCESS and result is not None:
            generation, snapshot = result
            if generation == self.subscription:
                self.accept_snapshot(snapshot, now=True)
        elif event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), title="Step failed", severity="error")

    # --- actions (the keys) -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Training keys act on the main screen only (not under help or the picker)."""
        if action in TRAINING_ACTIONS and (len(self.screen_stack) > 1 or self.session_closed):
            return False
        return True

    def action_run_pause(self) -> None:
        if self.training and self.session.running:
            self.session.pause()
            self.training = False
        else:
            self.cancel_steps()
            self.session.run()
            self.training = True

    def action_step(self, epochs: int) -> None:
        self.request_step(max(1, int(epochs)))

    def action_step_batch(self) -> None:
        self.request_step(0)

    def set_learning_rate(self, rate: float) -> None:
        """Give the session a new learning rate; a refused value keeps the old one."""
        if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0):
            self.notify(f"Learning rate {rate!r} refused: it must be a positive number.",
                        severity="error")
            return
        try:
            self.session.set_learning_rate(rate)
        except ValueError as error:
            self.notify(str(error), title="Learning rate refused", severity="error")
            return
        self.learning_rate = float(rate)

    def action_learning_rate_up(self) -> None:
        self.set_learning_rate(notch_up(self.learning_rate))

    def action_learning_rate_down(self) -> None:
        self.set_learning_rate(notch_down(self.learning_rate))

    def action_type_learning_rate(self) -> None:
        def typed(rate: float | None) -> None:
            if rate is not None:
                self.set_learning_rate(rate)
        self.push_screen(LearningRateScreen(self.learning_rate), typed)

    def action_next_optimizer(self) -> None:
        name = next_optimizer(self.optimizer)
        try:
            self.session.set_optimizer(name)
        except ValueError as error:
            self.notify(str(error), title="Optimizer refused", severity="error")
            return
        self.optimizer = name

    def action_reset(self) -> None:
        """New initial weights (the next seed), same preset, epoch 0, paused."""
        seed = (self.snapshot.seed if self.snapshot is not None else 0) + 1
        self.cancel_steps()
        self.session.reset(seed=seed)
        self.start_over()

    def action_pick_preset(self) -> None:
        from core.presets import PresetError, builtin_presets

        try:
            presets = builtin_presets()
        except PresetError as error:
            self.notify(str(error), title="Presets", severity="error")
            return
        current = self.snapshot.preset_name if self.snapshot else None
        self.push_screen(PresetPicker(presets, current), self.load_preset)

    def load_preset(self, preset) -> None:
        """Load ``preset`` (a name, path or Preset); on failure keep the current session."""
        if preset is None:
            return
        from core.presets import PresetError

        try:
            self.session.load(preset)
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="Preset not loaded", severity="error", timeout=8)
            return
        self.start_over()

    def action_toggle_colors(self) -> None:
        self.color_by = "gradients" if self.color_by == "weights" else "weights"

    def action_toggle_log_scale(self) -> None:
        self.loss_plot.log_scale = not self.loss_plot.log_scale

    def action_help(self) -> None:
        self.push_screen(HelpScreen([(c.display, c.help) for c in CONTROLS]))

    async def action_quit(self) -> None:
        self.close_session()
        self.exit()

    def close_session(self) -> None:
        """Stop training and join the session's threads (idempotent, never waits long: the
        session stops before its next batch)."""
        if self.session_closed:
            return
        with self.step_lock:
            self.session_closed = True
            self.step_requests.clear()
        if self.unsubscribe_session is not None:
            self.unsubscribe_session()
        self.session.close()
        self.training = False

    def on_unmount(self) -> None:
        self.close_session()

    # --- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for control in CONTROLS:
            if control.action != "quit":   # Textual already offers Quit
                yield SystemCommand(f"{control.title} ({control.display})", control.help,
                                    partial(self.run_action, control.action))
