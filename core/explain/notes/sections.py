"""The eight sections of the notes, and the ways to get a worksheet for one.

- ``explain(section, net, X, Y)``: from a network and the rows its cost is taken over;
- ``explain_snapshot(section, snapshot, preset)``: from a session's ``Snapshot`` (the app,
  and ``core.session.explain_preset``, which trains a preset headless first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...constants import FINITE_DIFFERENCE_STEP
from ...engine.network import Network
from ...presets.schema import Preset
from .beyond import BEYOND
from .chain import TITLE_1_4, TITLE_1_5, section_1_4, section_1_5
from .finite_differences import TITLE as TITLE_1_0
from .finite_differences import section_1_0
from .general import TITLE_1_6, TITLE_1_7, section_1_6, section_1_7
from .live import Live
from .neuron import TITLE_1_2, TITLE_1_3, section_1_2, section_1_3
from .twice import TITLE as TITLE_1_1
from .twice import section_1_1
from .worksheet import ExplainError, Worksheet


@dataclass(frozen=True)
class Section:
    """A section of the notes: its number, title, default preset and equation numbers."""

    number: str
    title: str
    preset: str
    numbers: tuple[str, ...]
    compute: Callable[..., Worksheet]


def _numbers(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}.{k}" for k in range(1, count + 1))


SECTIONS: dict[str, Section] = {s.number: s for s in (
    Section("1.0", TITLE_1_0, "twice", ("1.0.1",), section_1_0),
    Section("1.1", TITLE_1_1, "twice", _numbers("1.1", 6), section_1_1),
    Section("1.2", TITLE_1_2, "or", _numbers("1.2", 3), section_1_2),
    Section("1.3", TITLE_1_3, "or", _numbers("1.3", 7), section_1_3),
    Section("1.4", TITLE_1_4, "chain", _numbers("1.4", 7), section_1_4),
    Section("1.5", TITLE_1_5, "chain", _numbers("1.5", 13), section_1_5),
    Section("1.6", TITLE_1_6, "xor", _numbers("1.6", 4), section_1_6),
    Section("1.7", TITLE_1_7, "xor", _numbers("1.7", 4), section_1_7),
    *(Section(number, title, preset, _numbers(number, count), compute)
      for number, title, preset, count, compute in BEYOND),
)}
"""Sections 1.0-1.7 in order (45 numbered equations in all), then ours, 2.1-2.4."""


def section(number: str) -> Section:
    """The section ``number`` ("1.0" ... "2.4"), or ExplainError naming the choices."""
    try:
        return SECTIONS[str(number).strip()]
    except KeyError:
        raise ExplainError(f"section: expected one of {', '.join(SECTIONS)}, "
                           f"got {number!r}") from None


def explain(number: str, net: Network, X, Y, *, preset: str = "", epoch: int = 0,
            learning_rate: float | None = None,
            epsilon: float = FINITE_DIFFERENCE_STEP) -> Worksheet:
    """The worksheet of section ``number`` for ``net`` on inputs X and targets Y (rows).

    The network is copied; ExplainError (one line) if the section's notation does not fit
    it. ``epsilon`` is section 1.0's finite-difference step.
    """
    info = section(number)
    live = Live(net, X, Y, preset=preset, epoch=epoch, learning_rate=learning_rate)
    if info.number == "1.0":
        return section_1_0(live, epsilon)
    return info.compute(live)


def network_from_snapshot(snapshot: Any, preset: Preset) -> Network:
    """A network built like ``preset`` (activations, loss, bias) with the snapshot's
    weights and biases."""
    net = preset.build_network()
    if tuple(net.sizes) != tuple(snapshot.sizes):
        raise ExplainError(f"snapshot: a {'-'.join(map(str, snapshot.sizes))} network does not "
                           f"match preset {preset.name}")
    for live, value in zip(net.weights + net.biases,
                           list(snapshot.weights) + list(snapshot.biases)):
        live[...] = value
    return net


def explain_snapshot(number: str, snapshot: Any, preset: Preset, *,
                     epsilon: float = FINITE_DIFFERENCE_STEP) -> Worksheet:
    """The worksheet of section ``number`` for a session's ``Snapshot``; ``preset`` is the
    session's preset (it says what the snapshot does not: the bias, the loss)."""
    net = network_from_snapshot(snapshot, preset)
    return explain(number, net, snapshot.X_train, snapshot.Y_train,
                   preset=snapshot.preset_name, epoch=snapshot.epoch,
                   learning_rate=snapshot.learning_rate, epsilon=epsilon)


def fits(number: str, preset: Preset) -> str | None:
    """None if section ``number`` can be shown on ``preset``'s network, else why not."""
    net = preset.build_network()
    data = preset.load_data()
    try:
        explain(number, net, data.X_train[:1], data.Y_train[:1], preset=preset.name)
    except ExplainError as error:
        return str(error)
    return None
