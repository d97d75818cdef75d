"""The formula questions' keys: what each asks, its true expression and its referee.

A ``FormulaKey`` is keyed like the worksheet's equations (``1.5.12``, ``1.7.2 l=1[1,1]``),
so the lesson screen holds the equation back while the question is open. It gives the true
expression for one row i in the grammar a learner types (``row``; a cost's gradient is
``(1/n) Σ`` of it, ``summed``), the names it allows, the network it is asked on, and the
referee: the engine's gradient of each row's cost C_i = (a_i − y_i)², or the closed form of
a forward-pass slope. It also lists what the tutor recognises: the σ' factors
(``slopes``), the names a learner may swap (``swaps``), the downstream weight, the
notes' own form where they err (``notes``) and other wrong forms it names (``also``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .beyond_models import DEEP_CHAIN, FORK
from .models import CHAIN, NEURON_1_2, NEURON_1_3, TWICE, XOR, Model, Worked
from .names import FUNCTION_SPELLINGS, Vocabulary
from .parser import parse
from .state import NetworkState
from .tree import Env, Node


@dataclass(frozen=True)
class SlipForm:
    """A wrong answer the tutor recognises: its per-row form in the grammar, the slips it
    shows (keys of ``slips.SLIPS``) and what is particular to it."""

    row: str
    slips: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Case:
    """One network state as a formula sees it: the names' values and the true value on
    every row."""

    env: Env
    truth: np.ndarray


@dataclass(frozen=True)
class FormulaKey:
    """A formula question's key (see the module's docstring)."""

    key: str
    quantity: str
    model: Model
    row: str
    summed: bool
    referee: Callable[[Worked], np.ndarray]
    names: tuple[str, ...]
    slopes: tuple[str, ...] = ()
    swaps: tuple[tuple[str, str], ...] = ()
    downstream: str | None = None
    notes: SlipForm | None = None
    also: tuple[SlipForm, ...] = ()
    functions: tuple[str, ...] = tuple(FUNCTION_SPELLINGS)

    @property
    def section(self) -> str:
        """The notes' section: ``1.5`` for ``1.5.12``."""
        return ".".join(self.key.split(".")[:2])

    @property
    def truth(self) -> str:
        """The true expression as a key prints it: the row's form, or (1/n) Σ of it."""
        return f"(1/n) Σ({self.row})" if self.summed else self.row

    def vocabulary(self, names: Iterable[str] | None = None) -> Vocabulary:
        """The names and functions an answer may use (default: the key's names)."""
        return self.model.vocabulary(self.names if names is None else names, self.functions)

    @functools.cached_property
    def row_tree(self) -> Node:
        """The parsed per-row truth."""
        return parse(self.row, self.model.vocabulary())

    def case(self, state: NetworkState) -> Case:
        """``state``'s bindings and the referee's true value on each row."""
        worked = self.model.work(state)
        return Case(Env(self.model.bind(worked), state.n),
                    np.asarray(self.referee(worked), dtype=np.float64))


def _weight(layer: int, j: int = 1, k: int = 1) -> Callable[[Worked], np.ndarray]:
    return lambda w: w.weight_rows(layer, j, k)


def _slope_times(layer: int, factor: Callable[[Worked], np.ndarray]
                 ) -> Callable[[Worked], np.ndarray]:
    """a(l)(1 − a(l)) of neuron 1 of layer ``layer``, times ``factor``: a forward slope by
    the notes' 1.2.3."""
    return lambda w: w.a[layer][:, 0] * (1.0 - w.a[layer][:, 0]) * factor(w)


CHAIN_NAMES = ("x", "y", "a(1)", "a(2)", "z(1)", "z(2)", "w(1)", "w(2)", "b(1)", "b(2)",
               "n")
XOR_NAMES = ("x1", "x2", "y", "a(1)[1]", "a(1)[2]", "a(2)", "z(1)[1]", "z(2)", "w(1)[1,1]",
             "w(1)[2,1]", "w(2)[1,1]", "w(2)[2,1]", "n")
OUTPUT_SLOPE = "a(2) (1 - a(2))"

KEYS: dict[str, FormulaKey] = {k.key: k for k in (
    FormulaKey("1.1.6", "C'(w), the slope of the cost in w", TWICE,
               "2(x w - y) x", True, _weight(1), ("x", "y", "w", "n")),
    FormulaKey("1.2.3", "σ'(z), the neuron's slope, written out", NEURON_1_2,
               "σ(z) (1 - σ(z))", False, lambda w: w.a[1][:, 0] * (1.0 - w.a[1][:, 0]),
               ("z", "a"), functions=("σ", "exp")),
    FormulaKey("1.3.5", "∂_{w1} C, the cost's gradient in w1", NEURON_1_3,
               "2(a - z) a (1 - a) x", True, _weight(1),
               ("x", "y", "z", "a", "w1", "w2", "b", "n"), slopes=("a (1 - a)",)),
    FormulaKey("1.4.2", "∂_{w(1)} a_i(1), how neuron 1's output moves with its weight",
               CHAIN, "a(1) (1 - a(1)) x", False, _slope_times(1, lambda w: w.state.X[:, 0]),
               CHAIN_NAMES, slopes=("a(1) (1 - a(1))",), swaps=(("x", "a(1)"),),
               notes=SlipForm("2 (1/n) Σ(2 (a(2) - y) a(2) (1 - a(2)) w(2)) x",
                              ("sigma_prime",),
                              "as the notes write 1.4.2: the cost's derivative 1.5.6 "
                              "stands where neuron 1's own slope belongs")),
    FormulaKey("1.5.4", "∂C/∂w(2), the cost's gradient in the output weight", CHAIN,
               f"2(a(2) - y) {OUTPUT_SLOPE} a(1)", True, _weight(2), CHAIN_NAMES,
               slopes=(OUTPUT_SLOPE,), swaps=(("a(1)", "x"),)),
    FormulaKey("1.5.12", "∂C/∂w(1), the cost's gradient in the first weight", CHAIN,
               f"2(a(2) - y) {OUTPUT_SLOPE} w(2) a(1) (1 - a(1)) x", True, _weight(1),
               CHAIN_NAMES, slopes=("a(1) (1 - a(1))", OUTPUT_SLOPE),
               swaps=(("x", "a(1)"),), downstream="w(2)",
               notes=SlipForm(f"2 (a(2) - y) {OUTPUT_SLOPE} w(2) x", ("sigma_prime",),
                              "as the notes write 1.5.12: 2 g_i x_i, without neuron 1's "
                              "slope a_i(1)(1 − a_i(1))"),
               also=(SlipForm(f"(1/n) Σ(2(a(2) - y) {OUTPUT_SLOPE} w(2)) a(1) (1 - a(1)) x",
                              ("per_row_vs_summed",), "the summed ∂_{a(1)} C(2) of 1.5.6 "
                              "stands where row i's own error belongs"),)),
    FormulaKey("1.6.2 l=2[1,1]", "∂a_i(2)/∂w(2)[1,1], how the output moves with its "
               "first weight", XOR, f"{OUTPUT_SLOPE} a(1)[1]", False,
               lambda w: w.a[2][:, 0] * (1.0 - w.a[2][:, 0]) * w.a[1][:, 0], XOR_NAMES,
               slopes=(OUTPUT_SLOPE,), swaps=(("a(1)[1]", "x1"),)),
    FormulaKey("1.7.2 l=2[1,1]", "∂C/∂w(2)[1,1], the cost's gradient in an output weight",
               XOR, f"2(a(2) - y) {OUTPUT_SLOPE} a(1)[1]", True, _weight(2), XOR_NAMES,
               slopes=(OUTPUT_SLOPE,), swaps=(("a(1)[1]", "x1"),),
               notes=SlipForm("2 x1 (a(2) - y)", ("sigma_prime", "x_for_a"),
                              "as the notes write 1.7.2 at l = 2")),
    FormulaKey("1.7.2 l=1[1,1]", "∂C/∂w(1)[1,1], the cost's gradient in a first-layer "
               "weight", XOR,
               f"2(a(2) - y) {OUTPUT_SLOPE} w(2)[1,1] a(1)[1] (1 - a(1)[1]) x1", True,
               _weight(1), XOR_NAMES, slopes=("a(1)[1] (1 - a(1)[1])", OUTPUT_SLOPE),
               swaps=(("x1", "a(1)[1]"),), downstream="w(2)[1,1]",
               notes=SlipForm("2 x1 (a(1)[1] - y)",
                              ("sigma_prime", "output_error_at_hidden_layer"),
                              "as the notes write 1.7.2 at l = 1"),
               also=(SlipForm(f"(1/n) Σ(2(a(2) - y) {OUTPUT_SLOPE} w(2)[1,1]) a(1)[1] "
                              f"(1 - a(1)[1]) x1", ("per_row_vs_summed",),
                              "the summed error of 1.7.4 stands where row i's own error "
                              "belongs"),)),
    FormulaKey("1.7.4 l=2[1]", "∂C_i/∂a_i(1)[1], the error row i passes back to hidden "
               "neuron 1", XOR, f"2(a(2) - y) {OUTPUT_SLOPE} w(2)[1,1]", False,
               lambda w: w.bias_rows(2, 1) * w.state.weights[1][0, 0], XOR_NAMES,
               slopes=(OUTPUT_SLOPE,), downstream="w(2)[1,1]",
               notes=SlipForm(f"(1/n) Σ(2(a(2) - y) {OUTPUT_SLOPE} w(2)[1,1])",
                              ("per_row_vs_summed",),
                              "as the notes write 1.7.4: a sum over the rows on the right "
                              "of one row's derivative")),
    FormulaKey("2.1.2[i,1]", "∂C_i/∂a_i(1)[1], the error row i passes back to hidden "
               "neuron 1 along both outputs", FORK,
               "2(a(2)[1] - y[1]) a(2)[1] (1 - a(2)[1]) w(2)[1,1] "
               "+ 2(a(2)[2] - y[2]) a(2)[2] (1 - a(2)[2]) w(2)[1,2]", False,
               lambda w: sum(w.bias_rows(2, k) * w.state.weights[1][0, k - 1] for k in (1, 2)),
               tuple(FORK.spellings)),
    FormulaKey("2.2.2 l=1[i,1]", "Δ(1)[i,1] = ∂C/∂z_i(1)[1], row i's entry of Δ(1) for hidden "
               "neuron 1 (it carries the mean's 1/n)", XOR,
               f"(2/n)(a(2) - y) {OUTPUT_SLOPE} w(2)[1,1] a(1)[1] (1 - a(1)[1])", False,
               lambda w: w.bias_rows(1, 1) / w.state.n, XOR_NAMES,
               slopes=("a(1)[1] (1 - a(1)[1])", OUTPUT_SLOPE), downstream="w(2)[1,1]"),
    FormulaKey("2.4.1 l=5", "∂C/∂w(5), the cost's gradient in the fifth of six weights",
               DEEP_CHAIN, "2(a(6) - y) a(6) (1 - a(6)) w(6) a(5) (1 - a(5)) a(4)", True,
               _weight(5), tuple(DEEP_CHAIN.spellings),
               slopes=("a(6) (1 - a(6))", "a(5) (1 - a(5))"), swaps=(("a(4)", "x"),),
               downstream="w(6)"),
)}
"""Every formula key, by the key a lesson question's ``answer`` names."""


def formula_key(key: str) -> FormulaKey:
    """The formula key ``key``; KeyError naming the known keys if there is none."""
    try:
        return KEYS[key.strip()]
    except KeyError:
        raise KeyError(f"no formula key {key!r} (known: {', '.join(KEYS)})") from None
