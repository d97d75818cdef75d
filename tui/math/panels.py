"""The math views' panels, one shown at a time: the inspector, the gradient check and the
cost landscape, each computed while it is shown.

A view is computed by the session's ``views`` (on a copy of the network) in a Textual thread
worker, only when what it shows changed: the weights, the selection, the sample, the axes.
While training is busy it follows every snapshot of the status bar, keeps within half a
second of it and computes at most about a quarter of the time (``MathFeed``,
``MathSchedule``). Textual cancels the worker when the panels go or the app quits, and a
gradient check stops at its next parameter then, a landscape at its next point, so
quitting never waits for one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from textual import on, work
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState, get_current_worker

from core.engine import ComputationCancelled
from core.session import Session, SessionError, Snapshot

from .feed import MathFeed
from .gradient_check import GradientCheckData, GradientCheckPanel
from .inspector import Inspector, InspectorData
from .landscape import LandscapePanel
from .requests import Inspected, MathInputs, MathRequest, compute, math_request

PANEL_IDS = {"inspector": "inspector", "gradient_check": "gradient-check",
             "landscape": "landscape"}
KEYS = {"inspector": "←↑↓→ select · [ ] sample · f forward · B backward · pgup pgdn",
        "gradient_check": "F trains with finite differences",
        "landscape": "←↑↓→ select · m marks an axis · [ ] sample"}
FINITE_DIFFERENCES = "TRAINING WITH FINITE DIFFERENCES (F) · "


@dataclass(frozen=True)
class MathAnswer:
    """A computation's numbers for ``request`` on ``snapshot`` (``error``: why there are
    none; ``failure``: the computation crashed), ``number`` its place in the feed."""

    request: MathRequest
    snapshot: Snapshot
    result: object
    error: str
    elapsed: float
    failure: str
    number: int


class MathPanels(ContentSwitcher):
    """The inspector, the gradient check and the cost landscape over ``session``; ``view``
    is the one shown (None: none). ``follow`` hands them what they are drawn from."""

    DEFAULT_CSS = """
    MathPanels { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.feed = MathFeed()
        self.inputs: MathInputs | None = None
        self.method = ""                          # the training mode the subtitles name
        self.inspected: Inspected | None = None
        self.origin: tuple | None = None         # (preset, sizes, seed) of the weights shown

    def compose(self):
        """The three views, hidden until one is chosen."""
        yield Inspector(id="inspector", classes="panel math-view")
        yield GradientCheckPanel(id="gradient-check", classes="panel math-view")
        yield LandscapePanel(id="landscape", classes="panel math-view")

    def on_mount(self) -> None:
        """Say in each view's subtitle which keys it answers."""
        self.show_method(self.session.views.gradient_method)

    def panel(self, view: str):
        """The panel of ``view``."""
        return self.get_child_by_id(PANEL_IDS[view])

    @property
    def view(self) -> str | None:
        """The view shown: "inspector", "gradient_check", "landscape" or None."""
        return next((v for v, i in PANEL_IDS.items() if i == self.current), None)

    def open(self, view: str | None) -> None:
        """Show ``view`` (None: hide them all) from its top, to be computed afresh (a
        computation for the view shown before is dropped)."""
        self.current = None if view is None else PANEL_IDS[view]
        if self.feed.busy:
            self.workers.cancel_group(self, "math")
        self.feed.drop()
        self.scroll_home()

    def scroll_home(self) -> None:
        """The text views back at their top, their headers in sight."""
        for view in ("inspector", "gradient_check"):
            self.panel(view).scroll_home(animate=False, immediate=True)

    def scroll_page(self, pages: int) -> None:
        """Scroll the inspector or the gradient check by ``pages`` pages."""
        if self.view in ("inspector", "gradient_check"):
            panel = self.panel(self.view)
            panel.scroll_relative(y=pages * max(1, panel.size.height - 1), animate=False)

    def show_method(self, method: str) -> None:
        """Each view's subtitle: its keys, after the training mode if training's gradients
        (``method``) are not backprop's; the gradient check says which they are."""
        check = self.panel("gradient_check")
        if check.data is not None and check.data.gradient_method != method:
            check.show(replace(check.data, gradient_method=method))
        if method == self.method:
            return
        self.method = method
        mode = "" if method == "backprop" else FINITE_DIFFERENCES
        for view, keys in KEYS.items():
            self.panel(view).border_subtitle = mode + keys

    # --- computing --------------------------------------------------------------------------

    def follow(self, inputs: MathInputs | None = None) -> None:
        """Recompute the open view if what it shows changed (``inputs``: what it is drawn
        from now); one computation at a time (a change meanwhile is taken up when it
        ends)."""
        inputs = self.inputs = inputs or self.inputs
        view, feed = self.view, self.feed
        if inputs is None or view is None:
            return
        self.show_method(inputs.gradient_method)
        snapshot = inputs.snapshot
        origin = (snapshot.preset_name, snapshot.sizes, snapshot.seed)
        if origin != self.origin:          # another preset, or new weights (r)
            self.origin = origin
            self.scroll_home()
        dims = len(inputs.axes) if view == "landscape" else 0
        size = feed.schedule.grid(self.panel("landscape").wanted_size(dims), dims,
                                  inputs.busy) if dims else 0
        request = math_request(view, inputs, size)
        if feed.fresh(request, snapshot):
            return
        if view == "inspector" and not inputs.busy:   # (while busy: when computed)
            self.show_inspector()
        if feed.busy:
            return
        wait = feed.schedule.wait(inputs.busy)
        if wait > 0:
            if not feed.waiting:
                feed.waiting = True
                self.set_timer(wait, self.waited)
            return
        self.compute(request, snapshot, feed.begin())

    def waited(self) -> None:
        """The wait between two computations while training is busy is over."""
        self.feed.waiting = False
        self.follow()

    @work(thread=True, exclusive=True, group="math", exit_on_error=False)
    def compute(self, request: MathRequest, snapshot: Snapshot,
                number: int) -> MathAnswer | None:
        """The view's numbers from the session, off the UI thread (None once the worker is
        cancelled: a gradient check stops at its next parameter, a landscape at its next
        point)."""
        worker = get_current_worker()
        started = time.perf_counter()
        error, failure, result = "", "", None
        try:
            result = compute(self.session, request, lambda: worker.is_cancelled)
        except ComputationCancelled:
            return None
        except (ValueError, SessionError) as problem:
            error = str(problem)
        except Exception as crash:          # reported on screen, never a dead worker
            failure = str(crash)
        if worker.is_cancelled:
            return None
        return MathAnswer(request, snapshot, result, error, time.perf_counter() - started,
                          failure, number)

    @on(Worker.StateChanged)
    def computed(self, event: Worker.StateChanged) -> None:
        """Show a computation's numbers once its worker is done, and compute again if what
        the view depends on changed meanwhile (a dropped computation's are ignored)."""
        answer = event.worker.result if event.state == WorkerState.SUCCESS else None
        if not isinstance(answer, MathAnswer):
            return
        request, snapshot, result = answer.request, answer.snapshot, answer.result
        if not self.feed.answered(answer.number, request, snapshot):
            return
        if answer.failure:
            self.feed.shown = None
            self.notify(answer.failure, title="Math view failed", severity="error")
            return
        if request.view == "inspector":
            neuron, gradient = result or (None, None)
            self.inspected = Inspected(request.selection, request.sample, neuron, gradient,
                                       answer.error)
            self.show_inspector()
        elif request.view == "gradient_check":
            parameters = sum(w.size for w in snapshot.weights) + (
                sum(b.size for b in snapshot.biases) if snapshot.bias else 0)
            self.panel("gradient_check").show(GradientCheckData(
                snapshot, result, self.method, parameters, answer.error))
        else:
            if result is not None:
                self.feed.schedule.measured(answer.elapsed, result.costs.size)
            self.panel("landscape").show(result, answer.error, snapshot.optimizer)
        self.follow()

    def show_inspector(self, inputs: MathInputs | None = None) -> None:
        """Lay the inspector out (``inputs``: what it is drawn from now): the step-through's
        numbers, then the reports of the selection if they are computed (else it says so)."""
        self.inputs = inputs or self.inputs
        if self.inputs is None:
            return
        snapshot, selection, sample = (self.inputs.snapshot, self.inputs.selection,
                                       self.inputs.sample)
        done = self.inspected
        if done is None or (done.selection, done.sample) != (selection, sample):
            pending = selection is not None and not (selection[0] == "node"
                                                     and selection[1] == 0)
            done = Inspected(selection, sample)
        else:
            pending = False
        self.panel("inspector").show(InspectorData(
            snapshot, selection, min(sample, max(0, snapshot.X_train.shape[0] - 1)),
            done.neuron, done.gradient, self.inputs.step, done.error, pending))
