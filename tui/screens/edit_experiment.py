"""The edit form (``e``): shape the network, the training and the data, as in TensorFlow
Playground.

Every field is checked as it is typed, by the session's own rules (``preview``): a value that
cannot be used is marked and its reason shown beside it, and a line under the form says
whether applying keeps the weights or starts a new network. Enter applies; escape leaves
the experiment untouched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from .edit_fields import Choice, Flag, LayersInput


@dataclass(frozen=True)
class Field:
    """One field of the form: the edit's keyword, its label, its kind and a hint."""

    key: str
    label: str
    kind: str        # "text", "int", "float", "choice" or "flag"
    hint: str = ""


NETWORK = (
    Field("hidden", "hidden layer sizes", "text",
          "4-4, empty for none · ↑↓ neuron · ] [ layer"),
    Field("activation", "hidden activation", "choice"),
    Field("output_activation", "output activation", "choice"),
    Field("loss", "loss", "choice"),
    Field("bias", "bias", "flag"),
    Field("init", "initialisation", "choice"),
)
TRAINING = (
    Field("optimizer", "optimizer", "choice"),
    Field("learning_rate", "learning rate", "float", "a number > 0"),
    Field("batch_size", "batch size", "int", "0 = full batch"),
    Field("penalty", "penalty", "choice", "L1 or L2 on the weights"),
    Field("penalty_rate", "penalty rate", "float", "its weight in the cost, >= 0"),
)
DATA = (
    Field("samples", "samples", "int", "points generated"),
    Field("noise", "noise", "float", "standard deviation"),
    Field("test_fraction", "test fraction", "float", "held out, in [0, 1)"),
    Field("data_seed", "data seed", "int", "ctrl+r regenerates"),
)
LABELS = {f.key: f.label for f in (*NETWORK, *TRAINING, *DATA)} | {"features": "features"}

def parse_value(field: Field, text: str) -> Any:
    """The value typed into a text field; ValueError with the reason if it is not one."""
    text = text.strip()
    if field.kind == "int":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"expected a whole number, got {text!r}" if text
                             else "expected a whole number")
        return int(text)
    if field.kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}" if text
                             else "expected a number") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {text!r}")
        return value
    return text


def shown(value: Any) -> str:
    """A number as the form shows it."""
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- the form ------------------------------------------------------------------------------

class EditExperimentScreen(ModalScreen[dict[str, Any] | None]):
    """The form. Dismisses with the changed fields (keyword arguments for
    ``session.editing.edit``), or None on escape.

    ``values`` are the fields as they are (``session.editing.edit_values``), ``choices`` the values
    of the choice fields, ``preview(**changes)`` returns ``(preset, new_weights)`` or raises
    ``ValueError`` (``PresetError``) with the reason.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "apply", "Apply", show=False),
        Binding("ctrl+r", "regenerate", "New data seed", show=False),
    ]

    def __init__(self, values: Mapping[str, Any], choices: Mapping[str, Sequence[str]],
                 preview: Callable[..., tuple[Any, bool]], epoch: int = 0) -> None:
        super().__init__()
        self.values = dict(values)
        self.choices = {key: tuple(names) for key, names in choices.items()}
        self.preview = preview
        self.epoch = epoch
        self.changes: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.new_weights = False
        self.refused = ""
        self.notes_shown: dict[str, str] = {}     # the reason under each field on screen

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The Network, Training and Data sections, then the status line and the buttons."""
        with Vertical(id="edit-body") as body:
            body.border_title = "Edit experiment"
            body.border_subtitle = ("enter applies · esc cancels · tab next field · "
                                    "space opens a list")
            with VerticalScroll(id="edit-fields"):
                yield Static("Network", classes="edit-section")
                yield from self.rows(NETWORK)
                yield Static("Training", classes="edit-section")
                yield from self.rows(TRAINING)
                yield Static("Data", classes="edit-section")
                yield from self.rows([f for f in DATA
                                      if f.key in self.values])
                if "features" in self.values:
                    with Horizontal(classes="edit-row", id="row-features"):
                        yield Label("input features", classes="edit-label")
                        with Grid(id="edit-features"):
                            for i, name in enumerate(self.choices.get("features", ())):
                                yield Flag(name, name in self.values["features"],
                                           compact=True, id=f"feature-{i}",
                                           classes="feature")
                    yield Label("", classes="edit-note", id="note-features")
            with Vertical(id="edit-footer"):
                yield Static("", id="edit-status")
                with Horizontal(id="edit-buttons"):
                    yield Button("Apply", id="edit-apply", variant="primary", compact=True)
                    if "data_seed" in self.values:
                        yield Button("Regenerate data", id="edit-regenerate", compact=True)
                    yield Button("Cancel", id="edit-cancel", compact=True)

    def rows(self, fields: Sequence[Field]) -> ComposeResult:
        """One row a field: label, input, hint, and a line for the reason it is refused."""
        for field in fields:
            with Horizontal(classes="edit-row", id=f"row-{field.key}"):
                yield Label(field.label, classes="edit-label")
                yield self.widget(field)
                yield Label(field.hint, classes="edit-hint", id=f"hint-{field.key}")
            yield Label("", classes="edit-note", id=f"note-{field.key}")

    def widget(self, field: Field) -> Widget:
        """The input for ``field``, holding its value now."""
        value = self.values[field.key]
        if field.kind == "choice":
            names = self.choices[field.key]
            return Choice([(name, name) for name in names], value=value, allow_blank=False,
                          compact=True, id=f"field-{field.key}", classes="edit-field")
        if field.kind == "flag":
            return Flag("on", bool(value), compact=True, id=f"field-{field.key}",
                        classes="edit-field")
        kind = LayersInput if field.key == "hidden" else Input
        return kind(value=shown(value), compact=True, id=f"field-{field.key}",
                    classes="edit-field")

    def on_mount(self) -> None:
        """Start in the hidden layers and say what applying would do."""
        self.query_one("#field-hidden", Input).focus()
        self.check()

    def on_resize(self) -> None:
        """Let the fields scroll when the terminal is too short for the whole form (the
        status line and the buttons stay in view)."""
        footer = self.query_one("#edit-footer").outer_size.height or 4
        self.query_one("#edit-fields").styles.max_height = max(3, self.size.height - footer - 3)

    # --- reading and checking -------------------------------------------------------------

    def fields(self) -> list[Field]:
        """The fields this experiment has (generated data has more)."""
        return [f for f in (*NETWORK, *TRAINING, *DATA) if f.key in self.values]

    def typed(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Every field's value as typed, and the fields that cannot be read."""
        values, errors = {}, {}
        for field in self.fields():
            widget = self.query_one(f"#field-{field.key}")
            if isinstance(widget, Input):
                try:
                    values[field.key] = parse_value(field, widget.value)
                except ValueError as error:
                    errors[field.key] = str(error)
            else:
                values[field.key] = widget.value
        if "features" in self.values:
            values["features"] = tuple(box.label.plain for box in self.query(".feature")
                                       if box.value)
        return values, errors

    def check(self) -> None:
        """Check the form as it stands: mark each refused field with its reason and say
        what applying would do."""
        values, errors = self.typed()
        changes = {key: value for key, value in values.items()
                   if key not in errors and value != self.values[key]}
        general, new_weights = self.refusals(changes, errors)
        order = [*(f.key for f in self.fields()), "features"]
        errors = {key: errors[key] for key in order if key in errors}
        self.changes, self.errors, self.new_weights = changes, errors, new_weights
        self.refused = general or "; ".join(errors.values())
        for field in [*self.fields(), Field("features", "features", "")]:
            self.show_note(field.key, errors.get(field.key, ""))
        status = self.query_one("#edit-status", Static)
        status.set_class(bool(errors or general), "-refused")
        status.set_class(not (errors or general) and new_weights, "-resets")
        if errors or general:
            names = ", ".join(LABELS[key] for key in errors)
            status.update(f"Refused: {general or names}. The experiment stays as it is.")
        elif not changes:
            status.update("No changes yet.")
        elif new_weights:
            status.update("Applying starts a new network: new weights, epoch 0.")
        else:
            status.update(f"Applying keeps the weights; training goes on from epoch "
                          f"{self.epoch}.")

    def refusals(self, changes: dict[str, Any], errors: dict[str, str]) -> tuple[str, bool]:
        """Preview the readable changes, adding to ``errors`` each field the session refuses
        (one reason at a time, so every refused field gets its own; fields that only work
        together, like softmax with cross-entropy, are previewed together). Returns a
        refusal no field can be named for, and whether applying needs new weights."""
        remaining = {key: value for key, value in changes.items() if key not in errors}
        while remaining:
            try:
                return "", self.preview(**remaining)[1]
            except ValueError as error:
                message = str(error)
                key = getattr(error, "field", None)       # PresetError names its field
                if key is None or key not in self.values or key in errors:
                    return message, False
                errors[key] = message.split(":", 1)[1].strip()
                if key not in remaining:      # an unchanged field the changes clash with
                    return "", False
                del remaining[key]
        return "", False

    def show_note(self, key: str, reason: str) -> None:
        """Show ``reason`` under field ``key`` in place of its hint (empty: the hint again)."""
        if self.notes_shown.get(key) == reason:
            return
        notes = self.query(f"#note-{key}")
        if not notes:
            return
        self.notes_shown[key] = reason
        note = notes.first(Label)
        note.update(reason)
        note.display = bool(reason)
        for widget in self.query(f"#field-{key}"):
            widget.set_class(bool(reason), "-refused")
        for hint in self.query(f"#hint-{key}"):
            hint.display = not reason

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def changed(self) -> None:
        """Check the form again after every change."""
        if self.is_mounted:
            self.check()

    # --- actions --------------------------------------------------------------------------

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        """Enter in a text field applies."""
        event.stop()
        self.action_apply()

    @on(Button.Pressed, "#edit-apply")
    def apply_pressed(self) -> None:
        """The Apply button applies."""
        self.action_apply()

    @on(Button.Pressed, "#edit-cancel")
    def cancel_pressed(self) -> None:
        """The Cancel button leaves everything as it was."""
        self.action_cancel()

    @on(Button.Pressed, "#edit-regenerate")
    def regenerate_pressed(self) -> None:
        """The Regenerate button draws a new data seed."""
        self.action_regenerate()

    def action_apply(self) -> None:
        """Apply the changes, or stay with the reasons shown when one is refused."""
        self.check()
        if self.refused:
            first = next(iter(self.errors), None)
            if first is not None:
                for widget in self.query(f"#field-{first}"):
                    widget.focus()
            self.app.bell()
            return
        self.dismiss(dict(self.changes))

    def action_regenerate(self) -> None:
        """A new data seed: the same kind of data, drawn afresh."""
        seeds = self.query("#field-data_seed")
        if not seeds:
            return
        field = seeds.first(Input)
        try:
            seed = int(field.value.strip())
        except ValueError:
            seed = -1
        if seed < 0:
            seed = int(self.values["data_seed"])
        field.value = str(seed + 1)

    def action_cancel(self) -> None:
        """Escape: leave the experiment untouched."""
        self.dismiss(None)

