"""The help screen (``?``): every key, and what each panel shows."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from core.constants import AGREEMENT_THRESHOLD, in_e_notation

from ..widgets.prose import Prose

PANELS = (
    ("Network", "The layer diagram. Each node is a neuron: its fill is its activation for "
                "the selected sample, its label its bias. Each line is a weight, coloured by "
                "sign and brighter the larger |w|. Press `g` to colour the lines by the "
                "gradient dC/dw instead: where backpropagation is pushing hardest."),
    ("Output", "What the network has learned, chosen by the problem: the decision map with "
               "the data points over it (2-D inputs; test points marked differently), the "
               "learned curve against the targets (1-D input), the truth table with "
               "prediction, target and error (small tables), or digits with their predicted "
               "labels."),
    ("Loss", "Training loss and test loss against epoch. A falling curve is learning; a test "
             "curve that rises while training falls is overfitting. `y` toggles a log scale."),
    ("Gradients", "Per layer: the gradient norm ||dC/dW|| over time and the current dC/dW as "
                  "a signed heat grid, with saturated sigmoid/tanh units and dead ReLUs "
                  "counted. Vanishing gradients show up here first."),
    ("Status bar", "State (paused, running, diverged), epoch, training and test loss, "
                   "accuracy, learning rate, optimizer, the pace (`<` `>`), the epoch at which "
                   "the target loss was reached, and epochs per second while running."),
    ("Inspector", "`i`, in place of Loss and Gradients: for the selected neuron or weight "
                  "(arrow keys, or click the diagram) and sample (`[` `]`), the notes' "
                  "equations with their numbers: the forward pass (1.6.1), sigma' (1.2.3, "
                  "1.6.2-1.6.4), and dC/dw as the chain rule summed over the samples "
                  "(1.5.2-1.5.6) beside its finite-difference estimate (1.0.1). `f` and `B` "
                  "take a batch apart layer by layer, forward then backward; the next key "
                  "after the last backward step applies the update."),
    ("Gradient check", "`c`: per layer, the largest relative error between backprop and "
                       "finite differences on the current weights, marked above "
                       f"{in_e_notation(AGREEMENT_THRESHOLD)}. `F` "
                       "trains with finite-difference gradients instead, as the notes start."),
    ("Cost landscape", "`L`: the cost along one parameter (a curve) or two (a heat map with "
                       "contours), the others held fixed, with the current point, the path "
                       "over the epochs and the next step -eta dC/dp. `m` marks the selected "
                       "parameter as an axis. A learning rate that is too large shows as "
                       "zig-zags and overshoot."),
    ("Lessons", "`t`: the course, a lesson per section of the notes (1.0-1.7). A lesson opens "
                "on its own preset, its text beside the network and the worksheet: every "
                "equation of the section with the live numbers, and where the notes err, "
                "their formula beside the true value and finite differences. `←` `→` turn "
                "pages, `,` `.` change lessons, `a` answers the question (enter grades it and "
                "shows the working), `w` swaps lesson and worksheet, `pgup` `pgdn` scroll the "
                "worksheet, `*` `/` change lesson 1.0's epsilon, `n` `b` `f` `B` `space` train, "
                "`escape` returns here. The app starts on lesson 1.0."),
)


def help_markdown(keys: Sequence[tuple[str, str]]) -> str:
    """The help text: a table of (key, what it does), then the panels."""
    lines = ["# backprop-tui", "",
             "Train a small neural network and watch gradient descent and backpropagation "
             "happen. The app starts paused: step with `n`, or run with `space`.", "",
             "## Keys", "", "| key | action |", "| --- | --- |"]
    lines += [f"| `{key}` | {text} |" for key, text in keys]
    lines += ["", "## Panels", ""]
    lines += [f"- **{name}**: {text}" for name, text in PANELS]
    lines += ["", "Press `escape` to close this help."]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key and what each panel shows; escape, ? or enter closes it."""

    BINDINGS = [
        Binding("escape,question_mark,enter", "dismiss", "Close help", key_display="esc"),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = tuple(keys)

    def compose(self) -> ComposeResult:
        """The help text, scrollable."""
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help"
            body.border_subtitle = "esc closes"
            yield Prose(help_markdown(self.keys))
