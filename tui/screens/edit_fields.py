"""The edit form's own fields: the hidden layers typed as ``4-4`` and changed with keys
(a neuron more or fewer, a layer added or removed), a choice and a flag that answer only
their own keys."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.widgets import Checkbox, Input, Select

# the hidden layers, edited with keys ---------------------------------------------------

def _layer_tokens(text: str) -> list[re.Match] | None:
    """The layer sizes in ``text`` with their places, or None if it is not plain sizes."""
    if re.search(r"[^\d\s,-]", text):
        return None
    return list(re.finditer(r"\d+", text))


def change_layers(text: str, cursor: int, neurons: int = 0,
                  layers: int = 0) -> tuple[str, int] | None:
    """``text`` with the layer at ``cursor`` given ``neurons`` more (or fewer), or a layer
    added after it (``layers`` = 1, same size) or removed (``layers`` = -1); returns the
    new text and cursor, or None when there is nothing to change."""
    tokens = _layer_tokens(text)
    if tokens is None:
        return None
    sizes = [int(t.group()) for t in tokens]
    at = max([i for i, t in enumerate(tokens) if t.start() <= cursor] or [0])
    if layers > 0:
        at = at + 1 if sizes else 0
        sizes.insert(at, sizes[at - 1] if sizes else 4)
    elif layers < 0:
        if not sizes:
            return None
        del sizes[at]
        at = min(at, len(sizes) - 1)
    elif not sizes:
        if neurons <= 0:
            return None
        sizes, at = [neurons], 0
    else:
        if sizes[at] + neurons < 1:
            return None
        sizes[at] += neurons
    new = "-".join(str(size) for size in sizes)
    end = sum(len(str(size)) + 1 for size in sizes[:at + 1]) - 1 if sizes else 0
    return new, max(end, 0)


class LayersInput(Input):
    """The hidden layers as text; ↑/↓ give the layer under the cursor a neuron more or
    fewer, ] adds a layer after it and [ removes it."""

    BINDINGS = [
        Binding("up", "layers(1, 0)", "a neuron more", show=False),
        Binding("down", "layers(-1, 0)", "a neuron fewer", show=False),
        Binding("right_square_bracket", "layers(0, 1)", "add a layer", show=False,
                priority=True),
        Binding("left_square_bracket", "layers(0, -1)", "remove a layer", show=False,
                priority=True),
    ]

    def action_layers(self, neurons: int, layers: int) -> None:
        """↑/↓ and ] [: change the layer under the cursor, or add or remove one (a bell when
        there is nothing to change)."""
        changed = change_layers(self.value, self.cursor_position, neurons, layers)
        if changed is None:
            self.app.bell()
            return
        self.value, self.cursor_position = changed


class Choice(Select[str], inherit_bindings=False):
    """A drop-down that space, ↑ or ↓ opens and enter leaves to the form (which applies)."""

    BINDINGS = [Binding("down,space,up", "show_overlay", "Show menu", show=False)]


class Flag(Checkbox, inherit_bindings=False):
    """A checkbox that space toggles and enter leaves to the form (which applies); ticked
    when on, empty when off, so it reads the same without colour."""

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]

    @property
    def BUTTON_INNER(self) -> str:  # the name Textual draws the box with
        """The box's inside: a tick when on."""
        return "✓" if self.value else " "


