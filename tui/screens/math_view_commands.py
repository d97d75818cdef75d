"""The math views' keys on the training screen: open the inspector, gradient check or cost
landscape in place of the loss and gradient panels, keep them following the session, mark a
landscape axis, cycle the sample, train with finite differences and step inside an epoch.
``MathViewCommands`` is a part of ``TrainingScreen``, whose diagram, selection and sample it
uses.
"""

from __future__ import annotations

from core.session import Snapshot

from .. import selection as selecting
from ..widgets.math_requests import MathInputs

SELECTING_VIEWS = ("inspector", "landscape")
"""The views that show the diagram's selection."""


class MathViewCommands:
    """The math views' actions and following, mixed into ``TrainingScreen``."""

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
