"""What the math views compute: the inputs they follow, a request for one view's numbers,
and the computation itself (by the session's ``views``, on a copy of the network)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.explain import StepThrough
from core.session import Session, Snapshot


@dataclass(frozen=True)
class MathInputs:
    """What the open view is drawn from, besides the session: the newest snapshot, the
    diagram's selection, the sample, whether training is busy, how training computes its
    gradients, the landscape's axes and the batch stepped through (None: none)."""

    snapshot: Snapshot
    selection: tuple | None
    sample: int
    busy: bool
    gradient_method: str = "backprop"
    axes: tuple = ()
    step: StepThrough | None = None


@dataclass(frozen=True)
class MathRequest:
    """What a view's numbers depend on besides the weights (equal requests on the same
    picture need no new computation)."""

    view: str
    selection: tuple | None = None
    sample: int = 0
    axes: tuple = ()
    size: int = 0
    learning_rate: float = 0.0


@dataclass(frozen=True)
class Inspected:
    """The inspector's reports for one selection and sample (or why there are none)."""

    selection: tuple | None
    sample: int
    neuron: object = None
    gradient: object = None
    error: str = ""


def math_request(view: str, inputs: MathInputs, size: int) -> MathRequest:
    """The request for ``view``: the inspector's selection and sample, nothing besides the
    weights for the gradient check, or the landscape's axes on a grid of ``size`` points an
    axis."""
    if view == "inspector":
        return MathRequest(view, selection=inputs.selection, sample=inputs.sample)
    if view == "gradient_check":
        return MathRequest(view)
    return MathRequest(view, axes=inputs.axes, size=size,
                       learning_rate=inputs.snapshot.learning_rate)


def compute(session: Session, request: MathRequest, cancelled: Callable[[], bool]):
    """The session's numbers for ``request`` (a gradient check or a landscape stops with
    ``ComputationCancelled`` once ``cancelled()`` is true)."""
    views = session.views
    if request.view == "inspector":
        return inspect(session, request.selection, request.sample)
    if request.view == "gradient_check":
        return tuple(views.gradient_check(cancelled=cancelled))
    views.watch_parameters(request.axes)
    return views.cost_landscape(request.axes, size=request.size, cancelled=cancelled)


def inspect(session: Session, selection: tuple | None, sample: int) -> tuple:
    """(neuron report, gradient report) for a diagram selection, from the session."""
    views, bias = session.views, session.preset.bias
    if selection is None or (selection[0] == "node" and selection[1] == 0):
        return None, None
    if selection[0] == "node":
        _, k, unit = selection
        neuron = views.inspect_neuron(k, unit, sample)
        return neuron, views.inspect_bias(k, unit, sample) if bias else None
    _, l, i, j = selection
    return (views.inspect_neuron(l + 1, j, sample),
            views.inspect_weight(l + 1, i, j, sample))


def step_through(session: Session, direction: str) -> str:
    """Take the session's batch one layer further, "forward" (f) or "backward" (B); returns
    why not (empty when it moved on): backward comes after the whole forward pass."""
    state = session.views.step_through()
    phase = "done" if state is None or state.done else state.phase
    if phase == "backward" and direction == "forward":
        return "The forward pass is done: B goes backward one layer."
    if phase in ("forward", "done") and direction == "backward":
        layer = 1 if state is None or state.done else state.layer
        return f"Backward comes after the forward pass: f computes a({layer}) next."
    session.views.advance_step_through()
    return ""
