"""A worksheet: one section of the notes with the live network's numbers in every equation.

``Equation`` is one numbered equation: the formula as the notes write it, the same formula
with the numbers substituted, its value, and, where the notes err, the notes' version
evaluated beside the true value and the finite-difference referee. ``Worksheet`` gathers a
section's equations and renders them as JSON (``python -m core explain --json``) or as a
Markdown handout. Values are plain floats or nested lists: per-sample quantities follow the
rows of the data, weight-shaped ones follow the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..numbers import MAX_TERMS, RESULT_DIGITS, factor, num, vec

NETWORK = "network"
"""The live value holding the network itself (parameters, rows, η), for formula answers."""


class ExplainError(ValueError):
    """A section that cannot be shown for this network or these arguments (one line)."""


def plain(value: Any) -> Any:
    """A float or nested lists of floats (numpy arrays and scalars converted)."""
    if value is None:
        return None
    array = np.asarray(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array.tolist()


def _finite(value: Any) -> bool:
    return value is None or bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))


def show_value(value: Any) -> str:
    """A value as text: a number, or nested brackets."""
    return num(value, RESULT_DIGITS) if isinstance(value, float) else vec(value, RESULT_DIGITS)


# --- the data ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Equation:
    """One numbered equation of the notes, evaluated on the live network.

    ``formula`` is the equation as the notes write it (plain-text math); ``substituted`` the
    same with the numbers in (several lines: each term of a sum, then the total). ``value``
    is the true quantity. Where the notes err, ``notes_as_written`` is their formula
    evaluated, ``wrong`` says in one line what is wrong and ``corrected`` gives the right
    formula. ``finite_difference`` is the referee's estimate (central differences, 1.0.1)
    of a derivative. ``layer`` is l for the general sections 1.6 and 1.7, else None.
    """

    number: str
    formula: str
    substituted: str
    value: Any
    layer: int | None = None
    notes_as_written: Any = None
    wrong: str | None = None
    corrected: str | None = None
    finite_difference: Any = None

    def __post_init__(self) -> None:
        for name in ("value", "notes_as_written", "finite_difference"):
            object.__setattr__(self, name, plain(getattr(self, name)))
            if not _finite(getattr(self, name)):
                raise ExplainError(f"{self.number}: {name} is not finite (has training "
                                   f"diverged?)")
        if self.value is None:
            raise ExplainError(f"{self.number}: no value")

    @property
    def key(self) -> str:
        """How live values and questions name it: ``1.1.6``, or ``1.7.2 l=1`` per layer."""
        return self.number if self.layer is None else f"{self.number} l={self.layer}"

    @property
    def notes_err(self) -> bool:
        """True where the notes' formula differs from the true quantity."""
        return self.notes_as_written is not None

    def as_json(self) -> dict[str, Any]:
        """The object ``explain --json`` prints for this equation."""
        return {"number": self.number, "formula": self.formula, "value": self.value,
                "layer": self.layer, "notes_as_written": self.notes_as_written}


@dataclass(frozen=True)
class Named:
    """A parameter in the section's own notation (``w``, ``w1``, ``b(2)``, ``w(1)[1,2]``),
    its value and dC/d(it) from backprop."""

    name: str
    value: float
    gradient: float
    is_weight: bool


@dataclass(frozen=True)
class LiveValue:
    """A value a question can ask for, and the working that shows how it is computed.
    For a choice, ``options`` gives each option's deciding size (a step, an error), so the
    grader can tell a near tie; ``settles`` the other values that give the answer away (the
    gradient behind a step), which a lesson holds back with it (``held.held_values``)."""

    value: Any
    working: str
    options: tuple[tuple[str, float], ...] = ()
    settles: tuple[float, ...] = ()


@dataclass(frozen=True)
class EpsilonPoint:
    """Both finite-difference estimates at one epsilon and their errors against backprop."""

    epsilon: float
    one_sided: float
    central: float
    one_sided_error: float
    central_error: float


@dataclass(frozen=True)
class EpsilonStudy:
    """Section 1.0 live: the estimates of C'(w) at ``epsilon``, and a series over epsilon
    for a log-log plot of |error| against epsilon (errors may be exactly 0)."""

    parameter: str
    w: float
    exact: float
    at: EpsilonPoint
    series: tuple[EpsilonPoint, ...]


@dataclass(frozen=True)
class Worksheet:
    """One section of the notes worked on the live network.

    ``parameters`` uses the notes' general names (``w(1)``, ``b(1)``, 1-based; biases only
    where the model has them); ``named`` lists the parameters in the section's own notation.
    ``notation`` says how the notes' symbols map to the app's names.
    """

    section: str
    title: str
    preset: str
    epoch: int
    learning_rate: float | None
    sizes: tuple[int, ...]
    parameters: dict[str, Any]
    inputs: list
    targets: list
    notation: tuple[str, ...]
    equations: tuple[Equation, ...]
    named: tuple[Named, ...] = ()
    extra: dict[str, LiveValue] = field(default_factory=dict)
    epsilon: EpsilonStudy | None = None

    def equation(self, number: str, layer: int | None = None) -> Equation:
        """The equation ``number`` (and ``layer`` for 1.6.x and 1.7.x)."""
        for equation in self.equations:
            if equation.number == number and (layer is None or equation.layer == layer):
                return equation
        raise KeyError(f"{number}" + ("" if layer is None else f" l={layer}"))

    def giving_away(self, answer: str) -> tuple[str, ...]:
        """The keys of the equations that show the value a question's ``answer`` key
        (``1.4.1[2]``, ``1.7.2 l=1[1,1]``) asks for: its equation and every other one of the
        same value (1.1.2 to 1.1.6 are one derivative); none where it names no equation."""
        key = answer.split("[")[0].strip()
        asked = next((e for e in self.equations if e.key == key), None)
        if asked is None:
            return ()
        value = np.asarray(asked.value, dtype=float)
        return tuple(e.key for e in self.equations
                     if np.shape(e.value) == value.shape
                     and np.allclose(np.asarray(e.value, dtype=float), value, rtol=1e-9, atol=0))

    @property
    def errata(self) -> tuple[Equation, ...]:
        """The equations whose notes' version differs from the true quantity."""
        return tuple(e for e in self.equations if e.notes_err)

    def to_json(self) -> dict[str, Any]:
        """The object of ``python -m core explain --json`` (finite numbers only)."""
        return {"section": self.section, "preset": self.preset, "epoch": self.epoch,
                "parameters": self.parameters, "inputs": self.inputs, "targets": self.targets,
                "equations": [e.as_json() for e in self.equations]}

    def live_values(self) -> dict[str, LiveValue]:
        """Every value a question may ask for, by key, with its working.

        Keys: each equation's ``key`` (``1.1.6``, ``1.7.2 l=1``), ``notes KEY`` and ``fd KEY``
        where those exist; per parameter in the section's notation ``NAME``, ``dC/dNAME`` and
        ``next NAME`` (one step of plain gradient descent, NAME − η dC/dNAME) and ``step NAME``
        (that step, −η dC/dNAME: positive when NAME goes up); ``eta``;
        ``largest step`` / ``largest weight step`` (the name that moves most in that step)
        and the section's extras. A key may end in ``[i]`` or ``[i,j]`` (1-based) to pick an
        entry of a list value (see ``grading.lookup``).
        """
        values: dict[str, LiveValue] = {}
        for e in self.equations:
            working = f"({e.number}) {e.formula}\n{e.substituted}"
            values[e.key] = LiveValue(e.value, working)
            if e.notes_err:
                values[f"notes {e.key}"] = LiveValue(
                    e.notes_as_written, f"as the notes write it: {e.formula}\n"
                    f"= {show_value(e.notes_as_written)}\n{e.wrong}")
            if e.finite_difference is not None:
                values[f"fd {e.key}"] = LiveValue(
                    e.finite_difference, f"central differences (1.0.1) for ({e.number}): "
                    f"{show_value(e.finite_difference)}")
        eta = self.learning_rate
        if eta is not None:
            values["eta"] = LiveValue(eta, f"η = {num(eta, 6)}")
        for p in self.named:
            values[p.name] = LiveValue(p.value, f"{p.name} = {num(p.value, 6)}")
            values[f"dC/d{p.name}"] = LiveValue(
                p.gradient, f"dC/d{p.name} = {num(p.gradient, 6)} (backprop)")
            if eta is not None:
                after = p.value - eta * p.gradient
                values[f"next {p.name}"] = LiveValue(
                    after, f"{p.name} − η·dC/d{p.name} = {num(p.value, 6)} − {num(eta, 6)}·"
                    f"{factor(p.gradient, 6)} = {num(after, 6)}")
                way = "up" if after > p.value else "down" if after < p.value else "nowhere"
                values[f"step {p.name}"] = LiveValue(
                    after - p.value, f"the step −η·dC/d{p.name} = −{num(eta, 6)}·"
                    f"{factor(p.gradient, 6)} = {num(after - p.value, 6)}: {p.name} goes {way}",
                    settles=(p.gradient,))
        for key, pool in (("largest step", self.named),
                          ("largest weight step", [p for p in self.named if p.is_weight])):
            if pool:
                best = max(pool, key=lambda p: abs(p.gradient))
                lines = [f"|dC/d{p.name}| = {num(abs(p.gradient), 6)}" for p in pool]
                values[key] = LiveValue(best.name, "\n".join(
                    lines + [f"each moves by η·|dC/d·|: the largest is {best.name}"]),
                    tuple((p.name, abs(p.gradient)) for p in pool))
                if "(" in best.name:
                    layer = best.name[:best.name.index(")") + 1]
                    largest: dict[str, float] = {}
                    for p in pool:
                        name = p.name[:p.name.index(")") + 1]
                        largest[name] = max(largest.get(name, 0.0), abs(p.gradient))
                    values[f"{key} layer"] = LiveValue(layer, values[key].working
                                                       + f", in layer {layer}",
                                                       tuple(largest.items()))
        values.update(self.extra)
        values[NETWORK] = LiveValue(
            {"parameters": self.parameters, "inputs": self.inputs, "targets": self.targets,
             "eta": self.learning_rate}, "the live network a formula answer is graded on")
        return values

    def to_markdown(self) -> str:
        """The section as a Markdown handout: the data, then every equation with numbers."""
        out = [f"# {self.section} {self.title}", "",
               f"Preset `{self.preset}` after {self.epoch} epochs"
               + (f", learning rate η = {num(self.learning_rate, 6)}."
                  if self.learning_rate is not None else "."), ""]
        out += [f"- {line}" for line in self.notation] + [""]
        out += ["| parameter | value |", "| --- | --- |"]
        for name, value in self.parameters.items():
            array = np.asarray(value)
            shown = vec(value, 6) if array.size <= 16 else \
                f"({' x '.join(map(str, array.shape))} values, see --json)"
            out.append(f"| {name} | {shown} |")
        out += ["", "| row i | inputs | targets |", "| --- | --- | --- |"]
        out += [f"| {i + 1} | {vec(x)} | {vec(y)} |"
                for i, (x, y) in enumerate(zip(self.inputs[:MAX_TERMS], self.targets))]
        if len(self.inputs) > MAX_TERMS:
            out.append(f"| … | {len(self.inputs) - MAX_TERMS} more rows | |")
        out.append("")
        for e in self.equations:
            where = "" if e.layer is None else f", layer l = {e.layer}"
            out += [f"## ({e.number}){where}", "", "```text", e.formula, e.substituted, "```",
                    ""]
            if e.notes_err:
                out += [f"**The notes err here:** {e.wrong}", "",
                        f"- as the notes write it: {show_value(e.notes_as_written)}",
                        f"- correct, `{e.corrected}`: {show_value(e.value)}"]
                if e.finite_difference is not None:
                    out.append(f"- finite differences (the referee): "
                               f"{show_value(e.finite_difference)}")
                out.append("")
            elif e.finite_difference is not None:
                out += [f"Finite differences (central, 1.0.1): "
                        f"{show_value(e.finite_difference)}", ""]
        if self.epsilon is not None:
            out += ["## The error against epsilon", "",
                    "| epsilon | one-sided | error | central | error |",
                    "| --- | --- | --- | --- | --- |"]
            out += [f"| {p.epsilon:.0e} | {num(p.one_sided, 10)} | {p.one_sided_error:.2e} | "
                    f"{num(p.central, 10)} | {p.central_error:.2e} |"
                    for p in self.epsilon.series]
            out.append("")
        return "\n".join(out)


def check_finite_json(document: Any) -> None:
    """Raise ExplainError if a JSON document holds NaN or an infinity anywhere."""
    if isinstance(document, float) and not math.isfinite(document):
        raise ExplainError("a value is not finite (has training diverged?)")
    if isinstance(document, dict):
        for value in document.values():
            check_finite_json(value)
    elif isinstance(document, list):
        for value in document:
            check_finite_json(value)
