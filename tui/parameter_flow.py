"""Typing a weight (``=``): the selected weight or bias gets the value the learner types.

The layer diagram asks with a ``ParameterWanted`` message; the training screen answers with
one ``@work`` coroutine that asks with ``push_screen_wait``; the session applies the value
between two batches (undoable with ``u``), and the snapshot it publishes redraws the
diagram, the loss plot's edit mark and the inspector.
"""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from core.explain import param_name
from core.session import SessionError, Snapshot

from .math import selection as selecting
from .screens.parameter_value import ParameterScreen

NOTHING_SELECTED = ("Select a weight, or a neuron's bias, first: i opens the inspector, the "
                    "arrow keys or a click select; then = types its value.")


@work(group="dialog")
async def type_parameter(screen: Screen, snapshot: Snapshot | None,
                         selection: tuple | None) -> None:
    """Ask for a new value of the weight or bias that the diagram's ``selection`` is in
    ``snapshot`` and give it to the app's session; say why when nothing settable is selected
    or the session refuses."""
    param = selecting.parameter(selection, snapshot.bias) if snapshot else None
    if param is None:
        screen.notify(NOTHING_SELECTED, title="Set a weight")
        return
    kind, layer, *index = param
    arrays = snapshot.weights if kind == "w" else snapshot.biases
    current = float(arrays[layer - 1][tuple(index)])
    value = await screen.app.push_screen_wait(ParameterScreen(param_name(param), current))
    if value is None:
        return
    try:
        screen.app.session.set_parameter(kind, layer, tuple(index), value)
    except (SessionError, ValueError) as error:
        screen.notify(str(error), title="Set a weight", severity="error")
