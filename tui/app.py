"""backprop-tui: train a small neural network and watch backpropagation happen.

``BackpropApp`` drives a ``core.session.session.Session``. Training runs in the session's own thread
(``space``) or in Textual thread workers (the step keys); both reach the screen as
``SnapshotReady`` messages, so the UI never reads arrays a worker is still writing and a burst
of snapshots costs one redraw. While training is busy the costly panels are fed at most
``PANEL_INTERVAL`` apart; a finished step is drawn at once. The keys are listed in
``tui.controls``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from core.files import WouldOverwrite
from core.presets.schema import PresetError
from core.session.saved import SessionFileError
from core.session.session import Session, SessionError
from core.session.snapshot import Snapshot

from . import selection as selecting
from .background import Abandoned, unless_stopped
from .controls import (
    CONTROLS,
    EXPORT_COMMANDS,
    FOOTER_KEYS,
    TRAINING_ACTIONS,
    next_optimizer,
    notch_down,
    notch_up,
)
from .messages import SnapshotReady
from .screens import HelpScreen, LearningRateScreen, PresetPicker
from .screens.edit_experiment import EditExperimentScreen
from .screens.open_file import OpenFileScreen, TargetScreen
from .screens.save_session import ConfirmScreen, PathScreen, default_session_name
from .widgets.base import same_picture
from .widgets.diagram import LayerDiagram
from .widgets.gradient_check import GradientCheckData, GradientCheckPanel
from .widgets.gradients import GradientPanel
from .widgets.inspector import Inspector, InspectorData
from .widgets.landscape import LandscapePanel
from .widgets.loss_plot import LossPlot
from .widgets.output_view import OutputView
from .widgets.status_bar import StatusBar

PANEL_INTERVAL = 0.3       # seconds between panel updates while training is busy
SNAPSHOT_RATE = 10.0       # snapshots per second the session may send
MAX_QUEUED_STEPS = 20      # step keys waiting beyond this are dropped (a held-down N)


class BackpropApp(App[None]):
    """The main screen: layer diagram, output view, loss plot, gradients, status and keys.

    The app owns ``session`` and closes it when it quits.
    """

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    BINDINGS = [
        Binding(c.key, c.action, c.footer, key_display=c.display, tooltip=c.help,
                show=c.key in FOOTER_KEYS)
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
        """The diagram and output view above, the loss plot and gradients (or a math view)
        below, then the status bar and the keys."""
        with Horizontal(id="top"):
            yield LayerDiagram(id="diagram", classes="panel")
            yield OutputView(id="output", classes="panel")
        with Horizontal(id="bottom"):
            yield LossPlot(id="loss", classes="panel")
            yield GradientPanel(id="gradients", classes="panel")
        with Horizontal(id="math"):      # the math views (issue 7), one at a time
            yield Inspector(id="inspector", classes="panel math-view")
            yield GradientCheckPanel(id="gradient-check", classes="panel math-view")
            yield LandscapePanel(id="landscape", classes="panel math-view")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    @property
    def diagram(self) -> LayerDiagram:
        """The layer diagram panel."""
        return self.query_one("#diagram", LayerDiagram)

    @property
    def output_view(self) -> OutputView:
        """The output view panel."""
        return self.query_one("#output", OutputView)

    @property
    def loss_plot(self) -> LossPlot:
        """The loss plot panel."""
        return self.query_one("#loss", LossPlot)

    @property
    def gradient_panel(self) -> GradientPanel:
        """The live gradients panel."""
        return self.query_one("#gradients", GradientPanel)

    @property
    def status_bar(self) -> StatusBar:
        """The status bar."""
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        """Title the panels, draw the session as it is and start the panel timer."""
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
        """Show a snapshot from the current subscription (older ones are stale)."""
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
        self.refresh_math_views(snapshot)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Update the status bar and the diagram's subtitle; say once when training
        diverged."""
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
        """Show the learning rate in the status bar."""
        self.status_bar.learning_rate = rate

    def watch_optimizer(self, name: str) -> None:
        """Show the optimizer in the status bar."""
        self.status_bar.optimizer = name

    def watch_training(self, training: bool) -> None:
        """Show running or paused in the status bar."""
        if self.showing:
            self.status_bar.training = training

    def watch_stepping(self, stepping: bool) -> None:
        """Show stepping in the status bar."""
        if self.showing:
            self.status_bar.stepping = stepping

    def watch_color_by(self, color_by: str) -> None:
        """Colour the diagram's lines by weight or by gradient, and say which."""
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
        """Drop the step keys still waiting (the step being trained finishes)."""
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
        """When the step worker ends: show its last snapshot, or say why it failed."""
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
        """space: run training continuously, or pause it."""
        if self.training and self.session.running:
            self.session.pause()
            self.training = False
        else:
            self.cancel_steps()
            self.session.run()
            self.training = True

    def action_step(self, epochs: int) -> None:
        """n and N: train ``epochs`` epochs."""
        self.request_step(max(1, int(epochs)))

    def action_step_batch(self) -> None:
        """b: train one mini-batch."""
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
        """+: the learning rate one notch up."""
        self.set_learning_rate(notch_up(self.learning_rate))

    def action_learning_rate_down(self) -> None:
        """-: the learning rate one notch down."""
        self.set_learning_rate(notch_down(self.learning_rate))

    def action_type_learning_rate(self) -> None:
        """l: ask for an exact learning rate."""
        def typed(rate: float | None) -> None:
            if rate is not None:
                self.set_learning_rate(rate)
        self.push_screen(LearningRateScreen(self.learning_rate), typed)

    def action_next_optimizer(self) -> None:
        """o: the next optimizer (gradient descent, momentum, Adam)."""
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
        """p: the preset picker over the built-in presets; enter loads the chosen one."""
        try:
            presets = Session.builtin_presets()
        except PresetError as error:
            self.notify(str(error), title="Presets", severity="error")
            return
        current = self.snapshot.preset_name if self.snapshot else None
        self.push_screen(PresetPicker(presets, current), self.load_preset)

    def load_preset(self, preset) -> None:
        """Load ``preset`` (a name, path or Preset); on failure keep the current session."""
        if preset is None:
            return
        try:
            self.session.load(preset)
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="Preset not loaded", severity="error", timeout=8)
            return
        self.start_over()

    def action_toggle_colors(self) -> None:
        """g: colour the diagram's lines by weight or by gradient."""
        self.color_by = "gradients" if self.color_by == "weights" else "weights"

    def action_toggle_log_scale(self) -> None:
        """y: the loss plot's y axis linear or logarithmic."""
        self.loss_plot.log_scale = not self.loss_plot.log_scale

    def action_help(self) -> None:
        """?: every key and what each panel shows."""
        self.push_screen(HelpScreen([(c.display, c.help) for c in CONTROLS]))

    async def action_quit(self) -> None:
        """q: stop training and quit."""
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
        """However the app ends, training stops."""
        self.close_session()

    # --- editing and files (issue 6) ----------------------------------------------------

    def action_edit(self) -> None:
        """The edit form over the experiment as it is now."""
        try:
            values = self.session.edit_values()
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="Cannot edit", severity="error", timeout=8)
            return
        epoch = self.snapshot.epoch if self.snapshot is not None else 0
        self.push_screen(EditExperimentScreen(values, self.session.edit_choices(),
                                              self.session.preview_edit, epoch),
                         self.apply_edit)

    def apply_edit(self, changes: dict | None) -> None:
        """Give the session the form's changes; say whether the weights were reset."""
        if not changes:
            return
        try:
            new_weights = self.session.edit(**changes)
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="Edit refused", severity="error", timeout=8)
            return
        if new_weights:
            self.cancel_steps()
            self.start_over()
            self.notify("A new network: new weights, from epoch 0.", title="Experiment edited")
            return
        snapshot = self.session.snapshot()
        self.learning_rate = snapshot.learning_rate
        self.optimizer = snapshot.optimizer
        self.accept_snapshot(snapshot, now=not self.busy)
        self.notify("Settings changed; the weights stay.", title="Experiment edited")

    def action_save(self) -> None:
        """s: ask where to save the session (default ``<preset>-epoch<N>.npz``)."""
        snapshot = self.session.snapshot()
        self.ask_to_write("Save session", default_session_name(snapshot.preset_name,
                                                               snapshot.epoch),
                          "The whole session (weights, optimizer, history) as one .npz file; "
                          "ctrl+o opens it again.", self.session.save, "Saved the session to")

    def action_export(self, kind: str) -> None:
        """Ask where to write an export: "preset", "loss", "data" or "weights"."""
        snapshot = self.session.snapshot()
        name = snapshot.preset_name
        title, default, hint, write = {
            "preset": ("Export preset", f"{name}-preset.toml",
                       "The experiment with its current settings, to share or load with p.",
                       self.session.export_preset),
            "loss": ("Export loss history", f"{name}-loss.csv",
                     "One row per recorded epoch: epoch, loss, test_loss.",
                     self.session.export_loss_csv),
            "data": ("Export data", f"{name}-data.csv",
                     "One row per sample: inputs, targets and train or test.",
                     self.session.export_data_csv),
            "weights": ("Export weights", f"{name}-weights-epoch{snapshot.epoch}.json",
                        "Sizes, activations, loss, weights and biases.",
                        self.session.export_weights_json),
        }[kind]
        self.ask_to_write(title, default, hint, write, "Wrote")

    def ask_to_write(self, title: str, default: str, hint: str, write, done: str) -> None:
        """Ask for a path, then ``write(path, overwrite)``; an existing file is replaced only
        when the user says so."""
        def chosen(path: str | None) -> None:
            if path is not None:
                self.write_file(path, title, hint, write, done)
        self.push_screen(PathScreen(title, default, hint), chosen)

    def write_file(self, path: str, title: str, hint: str, write, done: str,
                   overwrite: bool = False) -> None:
        """``write(path, overwrite)`` and say so; ask before replacing a file, and report a
        write that failed."""
        try:
            written = write(path, overwrite)
        except WouldOverwrite:
            def answer(yes: bool | None) -> None:
                if yes:
                    self.write_file(path, title, hint, write, done, overwrite=True)
                else:
                    self.ask_to_write(title, path, hint, write, done)
            self.push_screen(ConfirmScreen(f"{path} already exists. Overwrite it?",
                                           no="Another name"), answer)
            return
        except (SessionFileError, PresetError, OSError, ValueError) as error:
            self.notify(str(error), title=f"{title}: not written", severity="error", timeout=8)
            return
        self.notify(f"{done} {written}", title=title)

    def action_open_file(self) -> None:
        """ctrl+o: pick a session, a preset or a CSV file to open."""
        self.push_screen(OpenFileScreen(), self.open_file)

    def open_file(self, path: str | None) -> None:
        """Open a session (.npz), load a preset (.toml) or make a preset for a CSV file;
        whatever fails, the current session stays."""
        if path is None:
            return
        suffix = Path(path).suffix.lower()
        if suffix == ".npz":
            self.open_session(path)
        elif suffix == ".toml":
            self.load_file_preset(Path(path))
        elif suffix == ".csv":
            self.choose_targets(path)
        else:
            self.notify(f"{path}: not a session (.npz), preset (.toml) or CSV file",
                        title="Not opened", severity="error", timeout=8)

    def open_session(self, path: str) -> None:
        """Resume the session saved in ``path``; on failure keep the current one."""
        self.cancel_steps()
        try:
            self.session.resume(path)
        except (SessionFileError, PresetError, ValueError) as error:
            self.notify(str(error), title="Session not opened", severity="error", timeout=8)
            return
        self.start_over()
        snapshot = self.snapshot
        self.notify(f"{Path(path).name}: {snapshot.preset_title or snapshot.preset_name}, "
                    f"epoch {snapshot.epoch}", title="Session opened")

    def load_file_preset(self, path: Path) -> None:
        """Load the preset file ``path``; on failure keep the current session."""
        self.cancel_steps()
        try:
            self.session.load(path)
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="Preset not loaded", severity="error", timeout=8)
            return
        self.start_over()
        self.notify(f"{path.name}: {self.snapshot.preset_title}", title="Preset loaded")

    def choose_targets(self, path: str) -> None:
        """Ask which columns of the CSV file ``path`` to learn, then make its preset."""
        try:
            columns = self.session.csv_columns(path)
        except (PresetError, ValueError) as error:
            self.notify(str(error), title="CSV not opened", severity="error", timeout=8)
            return

        def chosen(targets: list[str] | None) -> None:
            if targets:
                self.preset_for_csv(path, targets)
        self.push_screen(TargetScreen(Path(path).name, columns), chosen)

    def preset_for_csv(self, path: str, targets: list[str], overwrite: bool = False) -> None:
        """Write the CSV file's preset beside it (asking before replacing one) and load it."""
        try:
            toml = self.session.write_preset_for_csv(path, targets, overwrite)
        except WouldOverwrite as error:
            def answer(yes: bool | None) -> None:
                if yes:
                    self.preset_for_csv(path, targets, overwrite=True)
            self.push_screen(ConfirmScreen(f"{error.path} already exists. Replace it with a "
                                           f"new preset for {Path(path).name}?"), answer)
            return
        except (PresetError, SessionFileError, OSError, ValueError) as error:
            self.notify(str(error), title="CSV not opened", severity="error", timeout=8)
            return
        self.load_file_preset(toml)

    # --- the math views (issue 7) -------------------------------------------------------
    # One math view at a time replaces the loss plot and the gradient panel: the inspector,
    # the gradient check or the cost landscape. Each is computed in a thread worker by the
    # session (on a copy of the network), only while open and only when the weights, the
    # selection or the sample changed; while training is busy at most a quarter of the time.

    math_view: var[str | None] = var(None, init=False)
    """The open math view: "inspector", "gradient_check", "landscape" or None."""
    sample_index: var[int] = var(0, init=False)
    """The training sample the diagram, the output view and the inspector show."""
    gradient_method: var[str] = var("backprop", init=False)
    """How training computes gradients: "backprop" or "finite_differences" (F)."""

    # the views' bookkeeping (class defaults; set on the instance as they change)
    math_busy = False          # a computation is running in a thread worker
    math_again = False         # something changed meanwhile: compute again when it ends
    math_shown: tuple | None = None        # (request, snapshot) of the view on screen
    math_not_before = 0.0      # monotonic time before which a busy app does not compute
    math_timer_set = False
    math_shape: tuple | None = None        # (preset, sizes) the selection belongs to
    marked_axes: tuple = ()    # landscape axes marked with m (session parameters)
    inspected: tuple | None = None         # (selection, sample, reports, error)
    kept_selection: tuple | None = None    # the selection while no view uses it
    step_state = None          # the session's StepThrough while a batch is stepped through
    landscape_point_cost: float | None = None   # seconds per cost evaluation, measured

    MATH_VIEWS = {"inspector": "#inspector", "gradient_check": "#gradient-check",
                  "landscape": "#landscape"}
    MATH_DUTY = 3.0            # while busy: wait 3x a computation's duration before the next
    LANDSCAPE_BUDGET = 0.25    # seconds a landscape may take; its grid shrinks to fit

    def math_panel(self, view: str):
        """The panel of the math view ``view``."""
        return self.query_one(self.MATH_VIEWS[view])

    def action_math_view(self, view: str) -> None:
        """Open ``view`` in place of the loss and gradient panels; its own key closes it."""
        self.math_view = None if self.math_view == view else view

    def watch_math_view(self, view: str | None) -> None:
        """Show ``view`` in place of the loss and gradient panels (None: show those again)."""
        if not self.showing:
            return
        if view is not None and not self.math_panel(view).border_subtitle:
            self.watch_gradient_method(self.gradient_method)
        for name in self.MATH_VIEWS:
            self.math_panel(name).display = name == view
        for container in ("#top", "#bottom", "#math"):
            self.query_one(container).set_class(view is not None, "-math")
        sizes = self.snapshot.sizes if self.snapshot else ()
        if view in ("inspector", "landscape"):
            if not selecting.valid(self.diagram.selected, sizes):
                kept = self.kept_selection
                self.diagram.selected = (kept if selecting.valid(kept, sizes)
                                         else self.default_selection(view))
        elif self.diagram.selected is not None:   # the selection shows while it is used
            self.kept_selection, self.diagram.selected = self.diagram.selected, None
        self.math_shown = None
        self.refresh_math_views()

    def default_selection(self, view: str) -> tuple:
        """The landscape's first axis; for the inspector the first weight."""
        if view == "landscape":
            return selecting.selection_of(self.landscape_axes()[0])
        return selecting.DEFAULT_SELECTION

    def landscape_axes(self) -> tuple:
        """The landscape's parameters: the ones marked with m, else the session's watched
        ones (the whole model when it has one or two parameters, chain's two weights, else
        the two weights with the largest gradient at the start)."""
        if self.marked_axes:
            return self.marked_axes
        return self.session.watched_parameters()

    def action_mark_axis(self) -> None:
        """Use the selected parameter as a landscape axis: at most two, the oldest dropped;
        marking a marked one removes it. Opens the landscape."""
        param = selecting.parameter(self.diagram.selected, self.session.preset.bias)
        if param is None:
            self.notify("Select a weight, or a neuron with a bias, to mark it as an axis.",
                        title="Cost landscape")
            return
        axes = list(self.marked_axes or self.landscape_axes())
        if param in axes:
            if len(axes) > 1:
                axes.remove(param)
        else:
            axes = (axes + [param])[-2:]
        self.marked_axes = tuple(axes)
        self.math_view = "landscape"
        self.refresh_math_views()

    def action_select(self, direction: str) -> None:
        """Arrow keys: move the selection in the diagram (inspector or landscape open)."""
        if self.math_view not in ("inspector", "landscape") or self.snapshot is None:
            return
        self.set_selection(selecting.moved(self.diagram.selected, direction,
                                           self.snapshot.sizes))

    def set_selection(self, selection: tuple) -> None:
        """Select a neuron or weight in the diagram; the open math view follows it."""
        self.diagram.selected = selection
        if self.math_view == "landscape" and not self.marked_axes:
            param = selecting.parameter(selection, self.session.preset.bias)
            if param is not None:   # unmarked: the landscape follows the selection
                self.marked_axes = (param,)
        self.refresh_math_views()

    @on(events.Click, "#diagram")
    def diagram_clicked(self, event: events.Click) -> None:
        """A click on a neuron or a weight line selects it and opens the inspector."""
        offset = event.get_content_offset(self.diagram)
        if offset is None:
            return
        selection = selecting.hit(self.diagram, offset.x, offset.y)
        if selection is not None:
            if self.math_view not in ("inspector", "landscape"):
                self.math_view = "inspector"
            self.set_selection(selection)

    def action_cycle_sample(self, step: int) -> None:
        """[ and ]: the previous or next training sample, everywhere at once."""
        if self.snapshot is None:
            return
        n = max(1, self.snapshot.X_train.shape[0])
        self.sample_index = (self.sample_index + step) % n

    def watch_sample_index(self, index: int) -> None:
        """Show the selected sample in the diagram, the output view and the math views."""
        self.diagram.sample_index = index
        self.output_view.sample_index = index
        self.refresh_math_views()

    def action_scroll_math(self, pages: int) -> None:
        """Page up / page down: scroll the inspector or the gradient check."""
        if self.math_view in ("inspector", "gradient_check"):
            panel = self.math_panel(self.math_view)
            panel.scroll_relative(y=pages * max(1, panel.size.height - 1), animate=False)

    def action_toggle_finite_differences(self) -> None:
        """F: train with finite-difference gradients (as the notes start), or with backprop."""
        method = "backprop" if self.gradient_method != "backprop" else "finite_differences"
        try:
            self.session.set_gradient_method(method)
        except ValueError as error:
            self.notify(str(error), title="Gradients", severity="error")
            return
        self.gradient_method = method
        if method == "backprop":
            text = "Training with backprop's gradients again."
        else:
            text = ("Training with finite-difference gradients (1.0.1): four cost evaluations "
                    "per parameter each batch. Press F again for backprop.")
        self.notify(text, title="Gradients")
        if self.math_view is None:
            self.math_view = "gradient_check"

    MATH_KEYS = {"inspector":
                 "←↑↓→ select · [ ] sample · f forward · B backward · pgup pgdn",
                 "gradient_check": "F trains with finite differences",
                 "landscape": "←↑↓→ select · m marks an axis · [ ] sample"}

    def watch_gradient_method(self, method: str) -> None:
        """Every math view says so when training uses finite differences."""
        for name, keys in self.MATH_KEYS.items():
            mode = "" if method == "backprop" else "TRAINING WITH FINITE DIFFERENCES (F) · "
            self.math_panel(name).border_subtitle = mode + keys
        self.refresh_math_views()

    # stepping inside an epoch

    def action_step_through(self, direction: str) -> None:
        """f and B: take a batch apart layer by layer. f computes the next layer forward,
        B the previous layer backward; after the last backward either key updates."""
        if self.training:
            self.session.pause()
            self.training = False
        self.cancel_steps()
        state = self.step_state = self.session.step_through()
        phase = "done" if state is None or state.done else state.phase
        if phase == "backward" and direction == "forward":
            self.notify("The forward pass is done: B goes backward one layer.",
                        title="Step inside an epoch")
            return
        if phase in ("forward", "done") and direction == "backward":
            layer = 1 if state is None or state.done else state.layer
            self.notify(f"Backward comes after the forward pass: f computes a({layer}) next.",
                        title="Step inside an epoch")
            return
        self.session.advance_step_through()
        self.step_state = self.session.step_through()
        if self.math_view != "inspector":
            self.math_view = "inspector"
        self.show_step()

    def show_step(self) -> None:
        """Highlight the layer just computed and lay the inspector out again."""
        state = self.step_state
        last = None if state is None else state.last
        layer = last.layer if last is not None and last.phase in ("forward", "backward") \
            else None
        self.diagram.highlight_layer = layer
        if self.math_view == "inspector":
            self.show_inspector()

    def follow_session(self, snapshot: Snapshot) -> None:
        """Keep the selection, sample, axes and step-through valid for the session's network."""
        shape = (snapshot.preset_name, snapshot.sizes)
        if shape != self.math_shape:
            self.math_shape = shape
            self.marked_axes, self.kept_selection = (), None
            if not selecting.valid(self.diagram.selected, snapshot.sizes):
                self.diagram.selected = (self.default_selection(self.math_view)
                                         if self.math_view in ("inspector", "landscape")
                                         else None)
        n = snapshot.X_train.shape[0]
        if n and self.sample_index >= n:
            self.sample_index = 0
        if self.session.gradient_method != self.gradient_method:    # e.g. a session opened
            self.gradient_method = self.session.gradient_method
        if self.step_state is not None:
            state = self.session.step_through()
            if state is None or state.epoch != self.step_state.epoch \
                    or state.phase != self.step_state.phase:
                self.step_state = state
                self.show_step()

    # computing the views

    def math_request(self, view: str) -> tuple:
        """What the open view depends on besides the weights."""
        if view == "inspector":
            return (view, self.diagram.selected, self.sample_index)
        if view == "gradient_check":
            return (view, self.gradient_method)
        axes = self.landscape_axes()
        panel = self.math_panel("landscape")
        size = panel.wanted_size(len(axes))
        cost = self.landscape_point_cost
        if cost:
            points = self.LANDSCAPE_BUDGET / cost
            size = max(8, min(size, int(points if len(axes) == 1 else math.sqrt(points))))
        elif len(axes) == 2:
            size = min(size, 12)       # a first small map tells how costly a point is
        return (view, axes, size, self.learning_rate)

    def refresh_math_views(self, snapshot: Snapshot | None = None) -> None:
        """Recompute the open math view if what it shows changed; one computation at a
        time (a change meanwhile is taken up when it ends)."""
        snapshot = snapshot or self.snapshot
        view = self.math_view
        if snapshot is None or not self.showing:
            return
        self.follow_session(snapshot)
        if view is None:
            return
        request = self.math_request(view)
        shown = self.math_shown
        if shown is not None and shown[0] == request and same_picture(shown[1], snapshot):
            return
        if view == "inspector":
            self.show_inspector()
        if self.math_busy:
            self.math_again = True
            return
        wait = self.math_not_before - time.monotonic()
        if self.busy and wait > 0:
            if not self.math_timer_set:
                self.math_timer_set = True
                self.set_timer(wait, self.math_timer_done)
            return
        self.math_busy, self.math_again = True, False
        self.compute_math(request, snapshot)

    def math_timer_done(self) -> None:
        """The wait between two computations while training is busy is over."""
        self.math_timer_set = False
        self.refresh_math_views()

    @work(thread=True, group="math", exit_on_error=False)
    def compute_math(self, request: tuple, snapshot: Snapshot) -> tuple | None:
        """The open view's numbers from the session, off the UI thread; None when the app
        quit before they were ready (quitting never waits for them)."""
        started = time.perf_counter()
        error, result = "", None
        try:
            result = unless_stopped(partial(self.math_result, request),
                                    lambda: self.session_closed)
        except Abandoned:
            return None
        except (ValueError, SessionError) as problem:
            error = str(problem)
        return request, snapshot, result, error, time.perf_counter() - started

    def math_result(self, request: tuple):
        """The session's numbers for ``request`` (see ``math_request``)."""
        view = request[0]
        if view == "inspector":
            return self.inspect(request[1], request[2])
        if view == "gradient_check":
            return tuple(self.session.gradient_check())
        axes, size = request[1], request[2]
        self.session.watch_parameters(axes)
        return self.session.cost_landscape(axes, size=size)

    def inspect(self, selection: tuple | None, sample: int) -> tuple:
        """(neuron report, gradient report) for a selection, from the session."""
        session, bias = self.session, self.session.preset.bias
        if selection is None or (selection[0] == "node" and selection[1] == 0):
            return None, None
        if selection[0] == "node":
            _, k, unit = selection
            neuron = session.inspect_neuron(k, unit, sample)
            return neuron, session.inspect_bias(k, unit, sample) if bias else None
        _, l, i, j = selection
        return (session.inspect_neuron(l + 1, j, sample),
                session.inspect_weight(l + 1, i, j, sample))

    @on(Worker.StateChanged)
    def math_done(self, event: Worker.StateChanged) -> None:
        """When a math view's numbers are ready: show them, and compute again if what the view
        depends on changed meanwhile."""
        if event.worker.group != "math" or not event.worker.is_finished:
            return
        self.math_busy = False
        if not self.showing:
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            request, snapshot, result, error, elapsed = event.worker.result
            self.math_not_before = time.monotonic() + self.MATH_DUTY * elapsed
            self.math_shown = (request, snapshot)
            self.show_math(request, snapshot, result, error, elapsed)
        elif event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), title="Math view failed", severity="error")
        if self.math_again or (
                self.math_view is not None and self.math_shown is not None
                and self.math_shown[0] != self.math_request(self.math_view)):
            self.refresh_math_views()

    def show_math(self, request: tuple, snapshot: Snapshot, result, error: str,
                  elapsed: float) -> None:
        """Hand a computed view to its panel."""
        view = request[0]
        if view == "inspector":
            self.inspected = (request[1], request[2], result, error)
            self.show_inspector()
        elif view == "gradient_check":
            parameters = sum(w.size for w in snapshot.weights)
            if self.session.preset.bias:
                parameters += sum(b.size for b in snapshot.biases)
            self.math_panel("gradient_check").show(GradientCheckData(
                snapshot, result, self.gradient_method, parameters, error))
        else:
            if result is not None:
                points = result.costs.size + 2
                self.landscape_point_cost = max(elapsed / points, 1e-7)
            self.math_panel("landscape").show(result, error, self.optimizer)

    def show_inspector(self) -> None:
        """Lay the inspector out: the step-through's numbers, then the reports of the
        selection if they are computed (else it says so)."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        selection, sample = self.diagram.selected, self.sample_index
        inspected = self.inspected
        neuron = gradient = None
        error, pending = "", False
        if inspected is not None and inspected[:2] == (selection, sample):
            (neuron, gradient), error = inspected[2] or (None, None), inspected[3]
        else:
            pending = selection is not None and not (selection[0] == "node" and selection[1] == 0)
        self.math_panel("inspector").show(InspectorData(
            snapshot, selection, min(sample, max(0, snapshot.X_train.shape[0] - 1)), neuron,
            gradient, self.step_state, error, pending))

    # --- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, every key's action and the exports."""
        yield from super().get_system_commands(screen)
        for control in CONTROLS:
            if control.action != "quit":   # Textual already offers Quit
                yield SystemCommand(f"{control.title} ({control.display})", control.help,
                                    partial(self.run_action, control.action))
        for title, text, action in EXPORT_COMMANDS:
            yield SystemCommand(title, text, partial(self.run_action, action))
