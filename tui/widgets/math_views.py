"""The math views, one at a time in place of the loss plot and the gradients: the inspector,
the gradient check and the cost landscape.

Each view is computed by the session (on a copy of the network) in this widget's own thread
worker, only while it is open and only when what it shows changed: the weights, the
selection, the sample, the axes. While training is busy it follows every snapshot of the
status bar, keeps within half a second of it and computes at most about a quarter of the
time (``MathSchedule``). The worker reports with a ``MathViews.Computed`` message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual import on, work
from textual.message import Message
from textual.widgets import ContentSwitcher

from core.session import Session, SessionError, Snapshot

from .. import selection as selecting
from ..background import Abandoned, unless_stopped
from .base import same_picture
from .gradient_check import GradientCheckData, GradientCheckPanel
from .inspector import Inspector, InspectorData
from .landscape import LandscapePanel
from .math_requests import (
    Inspected,
    MathInputs,
    MathRequest,
    compute,
    marked,
    math_request,
)
from .math_schedule import MathSchedule
from .step_follow import FollowedStep

PANEL_IDS = {"inspector": "inspector", "gradient_check": "gradient-check",
             "landscape": "landscape"}
KEYS = {"inspector": "←↑↓→ select · [ ] sample · f forward · B backward · pgup pgdn",
        "gradient_check": "F trains with finite differences",
        "landscape": "←↑↓→ select · m marks an axis · [ ] sample"}
FINITE_DIFFERENCES = "TRAINING WITH FINITE DIFFERENCES (F) · "


class MathViews(ContentSwitcher):
    """The inspector, the gradient check and the cost landscape; ``view`` is the one shown
    (None: none). The screen hands it ``MathInputs`` with ``follow``; ``stopped`` says when
    the app quit (a computation still running is then abandoned)."""

    @dataclass
    class Computed(Message):
        """A view's numbers are ready (``failure``: the computation crashed)."""

        request: MathRequest
        snapshot: Snapshot
        result: object
        error: str
        elapsed: float
        failure: str = ""

    def __init__(self, session: Session, stopped: Callable[[], bool], *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.stopped = stopped             # true once the app no longer wants answers
        self.inputs: MathInputs | None = None
        self.gradient_method = "backprop"
        self.marked_axes: tuple = ()       # landscape axes marked with m
        self.stepped = FollowedStep(session)   # the batch being stepped through (f, B)
        self.shape: tuple | None = None    # (preset, sizes) the axes belong to
        self.busy = False                  # a computation is running
        self.shown: tuple[MathRequest, Snapshot] | None = None
        self.inspected: Inspected | None = None
        self.schedule = MathSchedule()
        self.timer_set = False
        self.origin: tuple | None = None         # (preset, sizes, seed) of the weights shown

    def compose(self):
        """The three views, hidden until one is chosen."""
        yield Inspector(id="inspector", classes="panel math-view")
        yield GradientCheckPanel(id="gradient-check", classes="panel math-view")
        yield LandscapePanel(id="landscape", classes="panel math-view")

    def on_mount(self) -> None:
        """Say in each view's subtitle which keys it answers."""
        self.show_method()

    def panel(self, view: str):
        """The panel of ``view``."""
        return self.get_child_by_id(PANEL_IDS[view])

    @property
    def view(self) -> str | None:
        """The view shown: "inspector", "gradient_check", "landscape" or None."""
        return next((v for v, i in PANEL_IDS.items() if i == self.current), None)

    @property
    def idle(self) -> bool:
        """Whether no computation is running or waiting."""
        return not (self.busy or self.timer_set)

    def open(self, view: str | None) -> None:
        """Show ``view`` (None: hide them all) and compute it afresh, from its top."""
        self.current = None if view is None else PANEL_IDS[view]
        self.shown = None
        self.scroll_home()

    def scroll_home(self) -> None:
        """The text views back at their top, their headers in sight."""
        for view in ("inspector", "gradient_check"):
            self.panel(view).scroll_home(animate=False, immediate=True)

    # --- what the views follow ----------------------------------------------------------

    def set_gradient_method(self, method: str) -> None:
        """Training's gradients are ``method`` ("backprop" or "finite_differences")."""
        self.gradient_method = method
        self.show_method()

    def show_method(self) -> None:
        """Every view says so when training uses finite differences."""
        mode = "" if self.gradient_method == "backprop" else FINITE_DIFFERENCES
        for view, keys in KEYS.items():
            self.panel(view).border_subtitle = mode + keys

    def landscape_axes(self) -> tuple:
        """The landscape's parameters: the ones marked with m, else the session's watched
        ones (the whole model when it has one or two parameters, chain's two weights, else
        the two weights with the largest gradient at the start)."""
        return self.marked_axes or self.session.watched_parameters()

    def default_selection(self, view: str | None) -> tuple:
        """The landscape's first axis; for the inspector the first watched parameter (one
        that matters: the weight with the largest gradient at the start, in general)."""
        if view == "landscape":
            return selecting.selection_of(self.landscape_axes()[0])
        return selecting.selection_of(self.session.watched_parameters()[0])

    def mark(self, param: tuple) -> None:
        """Mark ``param`` as a landscape axis, or unmark it (see ``marked``)."""
        self.marked_axes = marked(self.landscape_axes(), param)

    def follow_selection(self, selection: tuple | None) -> None:
        """An unmarked landscape follows the selected parameter."""
        if self.view == "landscape" and not self.marked_axes:
            param = selecting.parameter(selection, self.session.preset.bias)
            if param is not None:
                self.marked_axes = (param,)

    def new_shape(self, snapshot: Snapshot) -> bool:
        """Whether ``snapshot`` is a network of another shape (marked axes are dropped)."""
        shape = (snapshot.preset_name, snapshot.sizes)
        if shape == self.shape:
            return False
        self.shape, self.marked_axes = shape, ()
        return True

    def scroll_page(self, pages: int) -> None:
        """Scroll the inspector or the gradient check by ``pages`` pages."""
        if self.view in ("inspector", "gradient_check"):
            panel = self.panel(self.view)
            panel.scroll_relative(y=pages * max(1, panel.size.height - 1), animate=False)

    # --- computing ----------------------------------------------------------------------

    def request(self, view: str, inputs: MathInputs) -> MathRequest:
        """What ``view`` depends on besides the weights."""
        axes = self.landscape_axes() if view == "landscape" else ()
        size = self.schedule.grid(self.panel("landscape").wanted_size(len(axes)), len(axes),
                                  inputs.busy) if axes else 0
        return math_request(view, inputs, self.gradient_method, axes, size)

    def follow(self, inputs: MathInputs | None = None) -> None:
        """Recompute the open view if what it shows changed; one computation at a time (a
        change meanwhile is taken up when it ends)."""
        inputs = self.inputs = inputs or self.inputs
        view = self.view
        if inputs is None or view is None or self.stopped():
            return
        snapshot = inputs.snapshot
        origin = (snapshot.preset_name, snapshot.sizes, snapshot.seed)
        if origin != self.origin:          # another preset, or new weights (r)
            self.origin = origin
            self.scroll_home()
        request = self.request(view, inputs)
        if self.shown is not None and self.shown[0] == request \
                and same_picture(self.shown[1], snapshot):
            return
        if view == "inspector" and not inputs.busy:   # (while busy: when computed)
            self.show_inspector()
        if self.busy:
            return
        wait = self.schedule.wait(inputs.busy)
        if wait > 0:
            if not self.timer_set:
                self.timer_set = True
                self.set_timer(wait, self.timer_done)
            return
        self.busy = True
        self.schedule.began()
        self.compute(request, snapshot)

    def timer_done(self) -> None:
        """The wait between two computations while training is busy is over."""
        self.timer_set = False
        self.follow()

    @work(thread=True, group="math", exit_on_error=False)
    def compute(self, request: MathRequest, snapshot: Snapshot) -> None:
        """The view's numbers from the session, off the UI thread, posted as ``Computed``;
        nothing when the app quit before they were ready (quitting never waits)."""
        started = time.perf_counter()
        error, failure, result = "", "", None
        try:
            result = unless_stopped(partial(compute, self.session, request), self.stopped)
        except Abandoned:
            return
        except (ValueError, SessionError) as problem:
            error = str(problem)
        except Exception as crash:          # reported on screen, never a dead worker
            failure = str(crash)
        self.post_message(self.Computed(request, snapshot, result, error,
                                        time.perf_counter() - started, failure))

    @on(Computed)
    def computed(self, message: Computed) -> None:
        """Show a view's numbers, and compute again if what it depends on changed
        meanwhile."""
        self.busy = False
        if self.stopped():
            return
        self.schedule.ended()
        if message.failure:
            self.notify(message.failure, title="Math view failed", severity="error")
            return
        self.shown = (message.request, message.snapshot)
        self.show(message)
        self.follow()

    def show(self, message: Computed) -> None:
        """Hand computed numbers to their panel."""
        request, snapshot, result = message.request, message.snapshot, message.result
        if request.view == "inspector":
            neuron, gradient = result or (None, None)
            self.inspected = Inspected(request.selection, request.sample, neuron, gradient,
                                       message.error)
            self.show_inspector()
        elif request.view == "gradient_check":
            parameters = sum(w.size for w in snapshot.weights) + (
                sum(b.size for b in snapshot.biases) if self.session.preset.bias else 0)
            self.panel("gradient_check").show(GradientCheckData(
                snapshot, result, self.gradient_method, parameters, message.error))
        else:
            if result is not None:
                self.schedule.measured(message.elapsed, result.costs.size)
            self.panel("landscape").show(result, message.error,
                                         self.inputs.optimizer if self.inputs else "gd")

    def show_inspector(self) -> None:
        """Lay the inspector out: the step-through's numbers, then the reports of the
        selection if they are computed (else it says so)."""
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
            done.neuron, done.gradient, self.stepped.state, done.error, pending))
