"""The keys: backprop-tui's public interface.

Each ``Control`` is one key with its binding, its Footer text, its help line and its command
palette entry; the training screen, the layer diagram (the arrow keys) and the math desk
(``tui.math``: i, c, L ...) bind them, the help screen and the command palette list them, all
from ``CONTROLS``. The learning-rate notches and the optimizer cycle are what ``+``, ``-``
and ``o`` step through.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.constants import UNDO_STEPS
from core.engine import OPTIMIZERS

LEARNING_RATE_NOTCHES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_CYCLE = tuple(OPTIMIZERS)
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
    Control("space", "space", "app.run_pause", "run", "Run / pause",
            "Run training continuously, or pause it"),
    Control("n", "n", "app.step(1)", "step", "Step one epoch",
            "Train one epoch: one pass over the training data"),
    Control("N", "N", "app.step(100)", "×100", "Step 100 epochs", "Train 100 epochs"),
    Control("b", "b", "app.step_batch", "batch", "Step one mini-batch",
            "Train on one mini-batch: a single gradient step"),
    Control("question_mark", "?", "help", "help", "Help",
            "Help: every key and what each panel shows"),
    Control("plus", "+", "app.learning_rate_up", "lr+", "Learning rate up",
            "Learning rate one notch up (0.0001, 0.0003, ... 3, 10)"),
    Control("minus", "-", "app.learning_rate_down", "lr-", "Learning rate down",
            "Learning rate one notch down"),
    Control("l", "l", "app.type_learning_rate", "set lr", "Type a learning rate",
            "Type an exact learning rate (a positive number)"),
    Control("o", "o", "app.next_optimizer", "optim", "Next optimizer",
            "Next optimizer: gradient descent, momentum, Adam"),
    Control("r", "r", "app.reset", "reset", "Reset weights",
            "Reset: new initial weights, same preset"),
    Control("p", "p", "file_flow('pick_preset')", "preset", "Choose a preset",
            "Preset picker: choose a problem; enter loads it"),
    Control("g", "g", "toggle_colors", "colour", "Diagram colours",
            "Colour the diagram's lines by weight or by gradient dC/dw"),
    Control("y", "y", "toggle_log_scale", "log", "Loss plot log scale",
            "Loss plot: toggle a logarithmic y axis"),
    Control("t", "t", "app.lessons", "lessons", "Lessons",
            "The course: a lesson per section of the notes, beside the live equations"),
    Control("x", "x", "grade_backprop", "grade", "Grade my backprop…",
            "Build it yourself: grade your numpy backprop (python -m core exercise writes the "
            "file) against the live network, layer by layer; saving the file grades it again"),
    Control("q", "q", "quit", "quit", "Quit",
            "Quit (stops training first; asks once if a trained network is not saved)"),
    # watching it learn
    Control("less_than_sign", "<", "app.pace(-1)", "slower", "Slower pace",
            "Pace: fewer epochs a second while running (1, 2, 5 ... 1000, max)"),
    Control("greater_than_sign", ">", "app.pace(1)", "faster", "Faster pace",
            "Pace: more epochs a second while running; n, N and b always step at once"),
    Control("u", "u", "app.undo", "undo", "Undo a step",
            "Undo the last epoch (or batch after b, or typed weight), exactly; "
            f"up to {UNDO_STEPS}"),
    Control("T", "T", "app.toggle_stop_at_target", "stop@target", "Stop at the target loss",
            "Pause runs where the training loss first reaches the preset's target loss"),
    Control("equals_sign", "=", "type_parameter", "set w", "Type a weight",
            "Type a new value for the selected weight or bias (select with i and the arrows)"),
    Control("v", "v", "toggle_neuron_maps", "maps", "Neuron maps",
            "Diagram: each neuron's activation over the input plane (two-input networks)"),
    # editing and files
    Control("e", "e", "file_flow('edit')", "edit", "Edit experiment",
            "Edit the experiment: layers, activations, loss, optimizer, penalty, data, "
            "input features"),
    Control("s", "s", "file_flow('save')", "save", "Save session",
            "Save the session (weights, optimizer, history) to a .npz file"),
    Control("ctrl+o", "ctrl+o", "file_flow('open_file')", "open", "Open a file",
            "Open a saved session (.npz), a preset (.toml) or your own data (.csv)"),
    # the math views
    Control("i", "i", "math_view('inspector')", "inspect", "Inspector",
            "Inspector: the notes' equations for the selected neuron or weight, with numbers"),
    Control("c", "c", "math_view('gradient_check')", "check", "Gradient check",
            "Gradient check: backprop against finite differences, per layer"),
    Control("L", "L", "math_view('landscape')", "landscape", "Cost landscape",
            "Cost landscape: C along the selected parameters, the path and the next step"),
    Control("f", "f", "step_through('forward')", "fwd", "Forward one layer",
            "Step inside an epoch: compute the next layer's activations (then B)"),
    Control("B", "B", "step_through('backward')", "back", "Backward one layer",
            "Step inside an epoch: the previous layer's gradients; after the last, the update"),
    Control("left_square_bracket", "[", "cycle_sample(-1)", "sample-", "Previous sample",
            "Show the previous training sample in the diagram, output and inspector"),
    Control("right_square_bracket", "]", "cycle_sample(1)", "sample+", "Next sample",
            "Show the next training sample in the diagram, output and inspector"),
    Control("m", "m", "mark_axis", "mark", "Mark a landscape axis",
            "Cost landscape: use the selected parameter as an axis (two make a map; "
            "m again on a marked one removes it)"),
    Control("F", "F", "toggle_finite_differences", "fd train", "Finite-difference training",
            "Train with finite-difference gradients (1.0.1) instead of backprop, or back"),
    Control("up", "↑", "select('up')", "select", "Select up",
            "Inspector and landscape: the neuron above, or the previous weight"),
    Control("down", "↓", "select('down')", "select", "Select down",
            "Inspector and landscape: the neuron below, or the next weight"),
    Control("left", "←", "select('left')", "select", "Select left",
            "Inspector and landscape: towards the inputs (neuron, weight, neuron)"),
    Control("right", "→", "select('right')", "select", "Select right",
            "Inspector and landscape: towards the outputs (neuron, weight, neuron)"),
    Control("pageup", "pgup", "scroll_math(-1)", "scroll", "Scroll the math view up",
            "Scroll the inspector or the gradient check up a page"),
    Control("pagedown", "pgdn", "scroll_math(1)", "scroll", "Scroll the math view down",
            "Scroll the inspector or the gradient check down a page"),
)

# The keys the Footer has room for at 120 columns; every key is in the help and the palette.
FOOTER_KEYS = frozenset({"space", "n", "N", "b", "question_mark", "plus", "minus", "o", "r",
                         "p", "i", "L", "q"})

# The keys the layer diagram binds itself (it has the focus), the math views' keys (the
# math desk's actions, bound on the training screen through it); the training screen's own.
DIAGRAM_CONTROLS = tuple(c for c in CONTROLS
                         if c.action.startswith("select(")
                         or c.action in ("type_parameter", "toggle_neuron_maps"))
MATH_CONTROLS = tuple(c for c in CONTROLS if c.key in (
    "i", "c", "L", "f", "B", "left_square_bracket", "right_square_bracket", "m", "F", "pageup",
    "pagedown"))
SCREEN_CONTROLS = tuple(c for c in CONTROLS
                        if c not in DIAGRAM_CONTROLS and c not in MATH_CONTROLS)

# Exports in the command palette: (title, help, action).
EXPORT_COMMANDS = (
    ("Export preset (.toml)", "The experiment with its current settings as a preset file",
     "file_flow('export', 'preset')"),
    ("Export loss history (.csv)", "Epoch, training loss and test loss as CSV",
     "file_flow('export', 'loss')"),
    ("Export data (.csv)", "The inputs, targets and train/test split as CSV",
     "file_flow('export', 'data')"),
    ("Export weights (.json)", "Sizes, activations, weights and biases as JSON",
     "file_flow('export', 'weights')"),
    ("Export for PyTorch…", "The network as model.safetensors, model.py and sample.json in "
     "a folder, to load in PyTorch", "file_flow('export', 'torch')"),
)
