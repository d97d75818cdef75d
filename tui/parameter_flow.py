"""Typing a weight (``=``): the selected weight or bias gets the value the learner types.

One ``@work`` coroutine asks with ``push_screen_wait``; the session applies the value
between two batches (undoable with ``u``), and the snapshot it publishes redraws the
diagram, the loss plot's edit mark and the inspector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from core.explain import param_name
from core.session import SessionError

from . import selection as selecting
from .screens.parameter_value import ParameterScreen

if TYPE_CHECKING:
    from .widgets.diagram import LayerDiagram

NOTHING_SELECTED = ("Select a weight, or a neuron's bias, first: i opens the inspector, the "
                    "arrow keys or a click select; then = types its value.")


@work(group="dialog")
async def type_parameter(diagram: LayerDiagram) -> None:
    """Ask for a new value of the diagram's selected weight or bias and give it to the
    session; say why when nothing settable is selected or the session refuses."""
    snapshot = diagram.snapshot
    param = selecting.parameter(diagram.selected, snapshot.bias) if snapshot else None
    if param is None:
        diagram.notify(NOTHING_SELECTED, title="Set a weight")
        return
    kind, layer, *index = param
    arrays = snapshot.weights if kind == "w" else snapshot.biases
    current = float(arrays[layer - 1][tuple(index)])
    value = await diagram.app.push_screen_wait(ParameterScreen(param_name(param), current))
    if value is None:
        return
    try:
        diagram.app.session.set_parameter(kind, layer, tuple(index), value)
    except (SessionError, ValueError) as error:
        diagram.notify(str(error), title="Set a weight", severity="error")
