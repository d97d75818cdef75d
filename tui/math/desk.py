"""The math desk: the math views in place of the loss plot and the gradients, and their keys.

``MathDesk`` owns the keys i, c and L (open a view; its own key closes it), m (mark a
landscape axis), [ and ] (the sample), f and B (step inside an epoch), F (train with finite
differences), page up and page down: they are its actions, named in ``tui.controls``'
``MATH_CONTROLS``, which the training screen binds and runs on it. It owns what
the views show besides the weights (the selection, the sample, the batch stepped through)
and tells the screen with ``MathDesk.Changed``, so that the diagram and the output view show
the same. Its ``MathPanels`` compute and draw the view shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message

from core.session import Session, Snapshot

from .focus import SELECTING_VIEWS, MathFocus
from .panels import MathPanels
from .requests import MathInputs
from .step_follow import FollowedStep


class MathDesk(Container):
    """The math views over ``session`` and their keys; ``view`` is the one shown (None:
    none). The screen hands it the session's newest snapshot with ``follow`` and the
    diagram's choices with ``select``."""

    @dataclass
    class Changed(Message):
        """The view shown, the selection, the sample or the layer the step-through just
        computed changed: the diagram and the output view are to show the same (the arrow
        keys move the selection while ``selectable``)."""

        view: str | None
        selection: tuple | None
        sample: int
        highlight_layer: int | None
        selectable: bool

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.focus = MathFocus(session)            # the selection, the sample, the axes
        self.stepped = FollowedStep(session)       # the batch stepped through (f, B)
        self.panels = MathPanels(session)
        self.snapshot: Snapshot | None = None      # the session's newest
        self.training_busy = False
        self.told: tuple | None = None             # what Changed said last

    def compose(self) -> ComposeResult:
        """The panels of the views."""
        yield self.panels

    @property
    def view(self) -> str | None:
        """The view shown: "inspector", "gradient_check", "landscape" or None."""
        return self.panels.view

    @property
    def idle(self) -> bool:
        """Whether no computation is running or waiting."""
        return self.panels.feed.idle

    # --- the keys -------------------------------------------------------------------------

    def action_math_view(self, view: str) -> None:
        """i, c and L: open a math view in place of the loss and gradient panels; its own
        key closes it."""
        self.show_view(None if self.view == view else view)

    def action_mark_axis(self) -> None:
        """m: use the selected parameter as a landscape axis (opens the landscape)."""
        param = self.focus.parameter(self.has_bias)
        if param is None:
            self.notify("Select a weight, or a neuron with a bias, to mark it as an axis.",
                        title="Cost landscape")
            return
        self.focus.axes.mark(param)
        if self.view != "landscape":
            self.show_view("landscape")
        self.follow()

    def action_cycle_sample(self, step: int) -> None:
        """[ and ]: the previous or next training sample, everywhere at once."""
        if self.snapshot is not None:
            self.focus.cycle(step, self.snapshot.X_train.shape[0])
            self.tell()
            self.follow()

    def action_scroll_math(self, pages: int) -> None:
        """Page up / page down: scroll the inspector or the gradient check by pages."""
        self.panels.scroll_page(pages)

    def action_toggle_finite_differences(self) -> None:
        """F: train with finite-difference gradients (as the notes start), or with backprop."""
        views = self.session.views
        method = "backprop" if views.gradient_method != "backprop" else "finite_differences"
        try:
            views.set_gradient_method(method)
        except ValueError as error:
            self.notify(str(error), title="Gradients", severity="error")
            return
        if method == "backprop":
            text = "Training with backprop's gradients again."
        else:
            text = ("Training with finite-difference gradients (1.0.1): four cost evaluations "
                    "per parameter each batch. Press F again for backprop.")
        self.notify(text, title="Gradients")
        if self.view is None and method != "backprop":
            self.show_view("gradient_check")
        else:
            self.follow()

    def action_step_through(self, direction: str) -> None:
        """f and B: take a batch apart layer by layer. f computes the next layer forward,
        B the previous layer backward; after the last backward either key updates."""
        if self.session.running:
            self.session.pause()
        refused = self.stepped.step(direction)
        if refused:
            self.notify(refused, title="Step inside an epoch")
            return
        if self.view != "inspector":
            self.show_view("inspector")
        self.tell()
        self.panels.show_inspector(self.inputs())

    # --- what the views show --------------------------------------------------------------

    def show_view(self, view: str | None) -> None:
        """Show ``view`` (None: the loss and gradient panels again) from its top, computed
        afresh; the diagram's selection shows while the view uses it."""
        self.panels.open(view)
        self.set_class(view is not None, "-math")
        self.focus.open(view, self.snapshot.sizes if self.snapshot else ())
        self.tell()
        self.follow()

    def select(self, selection: tuple, clicked: bool = False) -> None:
        """A neuron or weight chosen in the diagram; a click opens the inspector."""
        if clicked and self.view not in SELECTING_VIEWS:
            self.show_view("inspector")
        self.focus.choose(selection, self.view, self.has_bias)
        self.tell()
        self.follow()

    @property
    def has_bias(self) -> bool:
        """Whether the session's network has biases."""
        return self.snapshot.bias if self.snapshot else self.session.preset.bias

    def tell(self) -> None:
        """Post ``Changed`` if the view, the selection, the sample or the step-through's
        layer changed since the last one."""
        state = (self.view, self.focus.selection, self.focus.sample,
                 self.stepped.highlight_layer, self.view in SELECTING_VIEWS)
        if state != self.told:
            self.told = state
            self.post_message(self.Changed(*state))

    def follow(self, snapshot: Snapshot | None = None, busy: bool = False) -> None:
        """Take up the session's newest ``snapshot`` (if given; ``busy``: training is busy),
        and let the open view follow."""
        if snapshot is not None:
            self.take(snapshot, busy)
        if self.snapshot is not None and self.view is not None:
            self.panels.follow(self.inputs())

    def take(self, snapshot: Snapshot, busy: bool) -> None:
        """Keep the selection, the sample and the step-through valid for ``snapshot``."""
        self.snapshot, self.training_busy = snapshot, busy
        self.focus.take(snapshot, self.view)
        self.stepped.follow()
        self.tell()

    def inputs(self) -> MathInputs:
        """What the open view is drawn from now."""
        axes = self.focus.axes.axes() if self.view == "landscape" else ()
        return MathInputs(self.snapshot, self.focus.selection, self.focus.sample,
                          self.training_busy, self.session.views.gradient_method, axes,
                          self.stepped.state)
