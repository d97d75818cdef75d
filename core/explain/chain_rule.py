"""The chain rule with live numbers: a neuron's forward equation, a parameter's gradient.

Written in the notes' notation (``core.explain.equations``): layers l = 1..L with a(0) = x,
rows and neurons numbered from 1 on screen (the fields hold 0-based indices into the
arrays). Every number is one the engine uses: z, a, ∂_z C and the gradients from the
engine's own record of the pass (``core.engine.network.Pass``), the cost from ``net.loss``.

The lines write the cost as the notes do, C = (1/n) Σ_i C_i with C_i row i's term, so a
gradient is the mean of its rows' terms (``equations.chain_rule``): 1.5.4 for the chain's
last layer, 1.5.12 and 1.7.2 with the σ' factor the notes omit. An equation's number
labels a line only where the line is that equation of the notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine.finite_differences import relative_error
from ..engine.network import Network, Pass
from .cost_landscape import cost_curve, locate
from .equations import (
    FORMULAS,
    applied,
    bias,
    chain_output_terms,
    chain_rule,
    forward_row,
    mean_rows,
    mean_working,
    neuron,
    slope_row,
    weight,
)
from .numbers import MAX_TERMS, checked, factor, listing, num, relative_error_text, terms

TERMS_SHOWN = 5
"""How many samples' terms of ∂_w C a report lists, largest first."""


def _check_index(name: str, value: int, size: int) -> None:
    if not 0 <= value < size:
        raise ValueError(f"{name}: expected 0..{size - 1}, got {value}")


def _check_layer(net: Network, layer: int) -> None:
    if not 1 <= layer <= net.n_layers:
        raise ValueError(f"layer: expected 1..{net.n_layers}, got {layer}")


def _recorded_pass(net: Network, X, Y) -> Pass:
    """The engine's forward and backward pass on (X, Y), z kept."""
    return Pass(net, X, Y).forward().backward()


def _dC_da(record: Pass, l: int) -> np.ndarray | None:
    """∂_{a(l)} C before the σ' factor, as the engine forms it; None at a cross-entropy
    output, whose ∂_z C = (a − y)/n skips it."""
    net, Y = record.net, record.Y
    if l < net.n_layers:
        return np.dot(record.delta[l + 1], net.weights[l].T)
    if net.loss_name != "mse":
        return None
    a_out = record.a[-1]
    dC_da = a_out - np.asarray(Y, dtype=np.float64)
    dC_da *= 2.0 / a_out.shape[0]
    return dC_da


def _sigma_prime(net: Network, l: int, a: np.ndarray) -> np.ndarray | None:
    """σ'(z(l)) through a = σ(z); None for softmax."""
    sigma = net.sigmas[l - 1]
    return None if sigma.name == "softmax" else sigma.derivative(a)


@dataclass(frozen=True)
class NeuronReport:
    """One neuron a_i(l)[k] (``layer``, ``unit`` k, ``sample`` i) on one sample: the numbers
    of 1.6.1 and its local derivatives.

    ``sigma_prime`` is None for a softmax output (no element-wise derivative); ``bias`` is
    None for a network without biases; ``delta`` is ∂_{z_i(l)[k]} C for this sample as the
    engine computes it (1/n included); ``samples`` is n. ``layer_z`` and ``layer_a`` are the
    whole layer's z and a on this sample.
    """

    layer: int
    unit: int
    sample: int
    activation: str
    inputs: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float | None
    z: float
    a: float
    sigma_prime: float | None
    delta: float
    samples: int
    layer_z: tuple[float, ...]
    layer_a: tuple[float, ...]

    @property
    def da_dw(self) -> tuple[float, ...] | None:
        """∂_{w(l)[j,k]} a_i(l)[k] = σ'(z) a_i(l−1)[j] for every input j (1.6.2)."""
        if self.sigma_prime is None:
            return None
        return tuple(self.sigma_prime * x for x in self.inputs)

    @property
    def da_da_prev(self) -> tuple[float, ...] | None:
        """∂_{a_i(l−1)[j]} a_i(l)[k] = σ'(z) w(l)[j,k] for every input j (1.6.4)."""
        if self.sigma_prime is None:
            return None
        return tuple(self.sigma_prime * w for w in self.weights)

    def _equation(self, number: str, rows: list[str]) -> list[str]:
        """``rows`` under their equation's formula where they are the notes' equation
        ``number`` (a sigmoid layer, b(l) = 0 where it has no biases), else on their own."""
        if self.activation == "sigmoid":
            return [f"({number}) {FORMULAS[number]}"] + ["  " + row for row in rows]
        return rows

    def lines(self) -> list[str]:
        """Display-ready text lines, an equation's number on the lines that are it."""
        l, k, i = self.layer, self.unit, self.sample
        name, z_name = neuron("a", l, k, i), neuron("z", l, k, i)
        products = [f"{factor(x)}·{factor(w)}" for x, w in zip(self.inputs, self.weights)]
        if self.bias is not None:
            products.append(factor(self.bias))
        lines = [f"{name}: neuron {k + 1} of layer {l} ({self.activation}), sample {i + 1}"]
        if self.activation == "softmax":
            lines.append(f"{z_name} = {terms(products)} = {num(self.z)}; "
                         f"{name} = softmax(z_{i + 1}({l}))[{k + 1}] = {num(self.a)}")
            lines.append("softmax has no element-wise σ'; with cross-entropy "
                         f"∂_{{z_i({l})[k]}} C_i = a_i({l})[k] − y_i[k]")
        else:
            rows = []
            if (self.activation == "sigmoid" and self.bias is not None
                    and max(len(self.inputs), len(self.layer_a)) <= MAX_TERMS):
                rows.append(forward_row(l, i, self.inputs, self.layer_z, self.layer_a))
            steps = [applied(self.activation, terms(products)),
                     applied(self.activation, num(self.z)), num(self.a)]
            rows.append(" = ".join([name] + list(dict.fromkeys(steps))))
            lines += self._equation("1.6.1", rows)
            slope = slope_row(self.activation, i, self.z, self.a, self.sigma_prime)
            lines += self._equation("1.2.3", [slope])
            j_inputs = f"a_{i + 1}({l - 1})[j]"
            lines += self._equation("1.6.2", [
                f"∂_{{w({l})[j,{k + 1}]}} {name} = σ'(z) {j_inputs} = "
                f"{listing([num(d) for d in self.da_dw])}"])
            if self.bias is not None:
                lines += self._equation("1.6.3", [
                    f"∂_{{{bias(l, k)}}} {name} = σ'(z) = {num(self.sigma_prime)}"])
            lines += self._equation("1.6.4", [
                f"∂_{{{j_inputs}}} {name} = σ'(z) w({l})[j,{k + 1}] = "
                f"{listing([num(d) for d in self.da_da_prev])}"])
        lines.append(f"∂_{{{z_name}}} C_{i + 1} = {num(self.samples * self.delta)} "
                     "(backprop, this sample's term of C)")
        return lines


def neuron_report(net: Network, X, Y, layer: int, unit: int, sample: int) -> NeuronReport:
    """The forward equation (1.6.1) of neuron ``unit`` (0-based) of layer ``layer`` (1..L)
    on row ``sample`` (0-based) of X, with σ'(z) and the neuron's ∂_z C from backprop on
    (X, Y)."""
    _check_layer(net, layer)
    _check_index("unit", unit, net.sizes[layer])
    record = _recorded_pass(net, X, Y)
    _check_index("sample", sample, record.a[0].shape[0])
    l = layer
    a = record.a[l][sample, unit]
    sigma_prime = _sigma_prime(net, l, a)
    return NeuronReport(
        layer=l, unit=unit, sample=sample, activation=net.sigmas[l - 1].name,
        inputs=tuple(float(x) for x in record.a[l - 1][sample]),
        weights=tuple(float(w) for w in net.weights[l - 1][:, unit]),
        bias=float(net.biases[l - 1][unit]) if net.bias else None,
        z=float(record.z[l][sample, unit]),
        a=float(a),
        sigma_prime=None if sigma_prime is None else float(sigma_prime),
        delta=float(record.delta[l][sample, unit]),
        samples=record.a[0].shape[0],
        layer_z=tuple(float(v) for v in record.z[l][sample]),
        layer_a=tuple(float(v) for v in record.a[l][sample]),
    )


@dataclass(frozen=True)
class GradientReport:
    """∂_{w(l)[i,j]} C (or ∂_{b(l)[j]} C when ``i`` is None; i, j 0-based) as the chain-rule
    product per sample.

    Per sample s, as the engine computed them (1/n included): ``dC_da[s]`` = ∂_{a_s(l)[j]} C
    (2(a − y)/n at an mse output; the backpropagated Σ_m ∂_{z_s(l+1)[m]} C · w(l+1)[j,m]
    below it), ``sigma_prime[s]`` = σ'(z_s(l)[j]) (both None at a cross-entropy output,
    where ∂_z C = (a − y)/n), ``delta[s]`` = ∂_{z_s(l)[j]} C, ``a_prev[s]`` = a_s(l−1)[i]
    (None for a bias) and ``contributions[s]`` = delta[s] a_prev[s]. ``gradient`` is the
    engine's: the sum of the contributions plus ``penalty`` (the l1/l2 term). ``numeric``
    is the central finite difference with step ``eps``. The lines show each sample's term
    n times larger, as ∂ C_s of the notes' C = (1/n) Σ_s C_s. ``notes_equation`` names the
    notes' equation the mean over samples is, where it is one (1.5.4 and 1.5.5 on the chain).
    """

    layer: int
    i: int | None
    j: int
    sample: int | None
    n_layers: int
    activation: str
    loss: str
    z: tuple[float, ...]
    a: tuple[float, ...]
    y: tuple[float, ...] | None
    dC_da: tuple[float, ...] | None
    sigma_prime: tuple[float, ...] | None
    delta: tuple[float, ...]
    a_prev: tuple[float, ...] | None
    contributions: tuple[float, ...]
    upstream_delta: tuple[float, ...] | None
    upstream_weights: tuple[float, ...] | None
    penalty: float
    gradient: float
    numeric: float
    eps: float
    relative_error: float
    notes_equation: str | None = None

    @property
    def name(self) -> str:
        """The parameter's name: ``w(l)[i,j]`` or ``b(l)[j]``, numbered from 1."""
        if self.i is None:
            return bias(self.layer, self.j)
        return weight(self.layer, self.i, self.j)

    @property
    def samples(self) -> int:
        """n, the number of samples the cost is the mean over."""
        return len(self.delta)

    def _sample_lines(self, s: int) -> list[str]:
        """The factors of sample ``s``'s term, each line checking out by hand."""
        l, k, n = self.layer, self.j, self.samples
        z_s, a_s = neuron("z", l, k, s), neuron("a", l, k, s)
        lines = [f"sample {s + 1}:"]
        d_z = n * self.delta[s]
        if self.dC_da is None:
            a, y, result = checked(d_z, lambda a, y: a - y, self.a[s], self.y[s])
            lines.append(f"  ∂_{{{z_s}}} C_{s + 1} = a − y = {a} − {y} = {result}")
        else:
            d_a = n * self.dC_da[s]
            if self.y is not None:
                a, y, result = checked(d_a, lambda a, y: 2 * (a - y), self.a[s], self.y[s])
                lines.append(f"  ∂_{{{a_s}}} C_{s + 1} = 2(a − y) = 2·({a} − {y}) = {result}")
            else:
                pairs = [(n * d, w) for d, w in zip(self.upstream_delta, self.upstream_weights)]
                *texts, result = checked(d_a, lambda *v: sum(
                    d * w for d, w in zip(v[::2], v[1::2])), *[x for p in pairs for x in p])
                products = [f"{d}·{w}" for d, w in zip(texts[::2], texts[1::2])]
                lines.append(f"  ∂_{{{a_s}}} C_{s + 1} = Σ_m ∂_{{z_{s + 1}({l + 1})[m]}} "
                             f"C_{s + 1} · w({l + 1})[{k + 1},m] = {terms(products)} = {result}")
            slope = slope_row(self.activation, s, self.z[s], self.a[s], self.sigma_prime[s])
            if self.activation == "sigmoid":
                lines += [f"  (1.2.3) {FORMULAS['1.2.3']}", f"    {slope}"]
            else:
                lines.append(f"  {slope}")
            da, sp, result = checked(d_z, lambda d, s: d * s, d_a, self.sigma_prime[s])
            lines.append(f"  ∂_{{{z_s}}} C_{s + 1} = ∂_a C_{s + 1} · σ'(z) = {da}·{sp} = {result}")
        if self.a_prev is not None:
            a_prev_s = neuron("a", l - 1, self.i, s)
            d, a, result = checked(n * self.contributions[s], lambda d, a: d * a, d_z,
                                   self.a_prev[s])
            lines.append(f"  {a_prev_s} = {a.strip('()')}")
            lines.append(f"  ∂_{{{self.name}}} C_{s + 1} = ∂_{{{z_s}}} C_{s + 1} · {a_prev_s} "
                         f"= {d}·{a} = {result}")
        return lines

    def sum_lines(self) -> list[str]:
        """The gradient as the mean of the samples' terms (plus the penalty), written as
        the notes' 1.5.4 sums: ``= (1/n)[t1 + t2 + ...]``, then the engine's total; on the
        chain, under 1.5.4's (or 1.5.5's) formula with its rows' terms written out."""
        penalty = f" + {factor(self.penalty)} (penalty)" if self.penalty else ""
        values = [self.samples * c for c in self.contributions]
        lines = [f"∂_{{{self.name}}} C = (1/n) Σ_{{i=1}}^{{n}} ∂_{{{self.name}}} C_i" + penalty]
        if self.notes_equation is None:
            *working, total = mean_rows(self.samples, values, self.gradient)
            working[0] += penalty
        else:
            lines.append(f"({self.notes_equation}) {FORMULAS[self.notes_equation]}")
            *working, total = mean_working(chain_output_terms(self.a, self.y, self.a_prev),
                                           values, self.gradient)
        return lines + [f"  {line}" for line in working] + [f"  {total} (backprop)"]

    def lines(self) -> list[str]:
        """Display-ready text lines: the chain rule, the selected sample's factors, the mean
        over samples (the engine's gradient) and the finite-difference estimate beside it."""
        lines = [f"∂_{{{self.name}}} C, layer {self.layer} of {self.n_layers}, "
                 f"{self.samples} samples",
                 *chain_rule(self.name, self.layer, self.j, self.i,
                             "cross-entropy" if self.dC_da is None
                             else "output" if self.y is not None else "hidden")]
        if self.sample is not None:
            lines += self._sample_lines(self.sample)
        lines += self.sum_lines()
        lines.append(f"central difference (C(w + ε) − C(w − ε)) / 2ε, ε = {self.eps:g}: "
                     f"{num(self.numeric)}; relative error "
                     f"{relative_error_text(self.relative_error)}")
        return lines + self.term_lines()

    def largest_terms(self, count: int = TERMS_SHOWN) -> tuple[tuple[int, float, float], ...]:
        """The ``count`` samples whose terms of the sum over samples are largest in size, as
        (sample, term, share): the share is |term| over the sum of every term's size (terms
        of opposite signs cancel in ∂_w C, so it says how much each pulls), largest first."""
        terms_ = np.asarray(self.contributions)
        total = float(np.abs(terms_).sum())
        order = np.argsort(-np.abs(terms_), kind="stable")[:count]
        return tuple((int(k), float(terms_[k]),
                      abs(float(terms_[k])) / total if total else math.nan) for k in order)

    def term_lines(self) -> list[str]:
        """Which samples make the gradient: the largest terms ∂ C_i with their shares."""
        largest = self.largest_terms()
        n = self.samples
        lines = [f"samples making ∂_{{{self.name}}} C, largest term first "
                 "(share of Σ |terms|):"]
        for s, term, share in largest:
            text = f"  sample {s + 1}: ∂_{{{self.name}}} C_{s + 1} = {num(n * term)}"
            lines.append(f"{text} ({share:.0%})" if math.isfinite(share) else text)
        if len(self.contributions) > len(largest):
            lines.append(f"  ... and {len(self.contributions) - len(largest)} smaller terms")
        return lines


def _is_chain(net: Network) -> bool:
    """Whether ``net`` is the notes' chain of 1.4-1.5: 1-1-1, sigmoid, biases, their cost."""
    return (tuple(net.sizes) == (1, 1, 1) and net.bias and net.loss_name == "mse"
            and all(sigma.name == "sigmoid" for sigma in net.sigmas)
            and not (net.penalty is not None and net.penalty_rate > 0))


def _gradient_report(net: Network, X, Y, param: tuple, sample: int | None,
                     eps: float) -> GradientReport:
    array, index = locate(net, param)
    is_bias = param[0] == "b"
    l, i, j = param[1], (None if is_bias else param[2]), param[-1]
    record = _recorded_pass(net, X, Y)
    n = record.a[0].shape[0]
    if sample is not None:
        _check_index("sample", sample, n)
    a = record.a[l][:, j]
    dC_da = _dC_da(record, l)
    sigma_prime = None if dC_da is None else _sigma_prime(net, l, a)
    delta = record.delta[l][:, j]
    a_prev = None if is_bias else record.a[l - 1][:, i]
    contributions = delta if is_bias else delta * a_prev
    gradient = float((record.db if is_bias else record.dW)[l][index])
    upstream = sample is not None and l < net.n_layers
    value = array[index]
    up, down = cost_curve(net, X, Y, param, [value + eps, value - eps])
    numeric = float((up - down) / (2.0 * eps))

    def floats(column):
        return None if column is None else tuple(float(x) for x in column)

    return GradientReport(
        layer=l, i=i, j=j, sample=sample, n_layers=net.n_layers,
        activation=net.sigmas[l - 1].name, loss=net.loss_name,
        z=floats(record.z[l][:, j]), a=floats(a),
        y=floats(np.asarray(Y, dtype=np.float64)[:, j]) if l == net.n_layers else None,
        dC_da=floats(None if dC_da is None else dC_da[:, j]),
        sigma_prime=floats(sigma_prime),
        delta=floats(delta), a_prev=floats(a_prev), contributions=floats(contributions),
        upstream_delta=floats(record.delta[l + 1][sample]) if upstream else None,
        upstream_weights=floats(net.weights[l][j]) if upstream else None,
        penalty=0.0 if is_bias else float(net.penalty_gradient(float(value))),
        gradient=gradient, numeric=numeric, eps=eps,
        relative_error=relative_error(np.array([gradient]), np.array([numeric])),
        notes_equation=("1.5.5" if is_bias else "1.5.4") if l == 2 and _is_chain(net) else None,
    )


def weight_report(net: Network, X, Y, layer: int, i: int, j: int, sample: int | None = None,
                  eps: float = 1e-6) -> GradientReport:
    """∂_{w(l)[i,j]} C on (X, Y) (i, j 0-based) as the chain rule per sample, the mean over
    samples (1.5.4 for the chain's last layer; 1.7.2 with the σ' factor the notes omit), with
    its central finite-difference estimate; ``sample`` selects the sample whose factors
    ``lines()`` spells out."""
    return _gradient_report(net, X, Y, ("w", layer, i, j), sample, eps)


def bias_report(net: Network, X, Y, layer: int, j: int, sample: int | None = None,
                eps: float = 1e-6) -> GradientReport:
    """∂_{b(l)[j]} C on (X, Y) (j 0-based) as the chain rule per sample (1.5.5 for the
    chain's last layer; 1.7.3 with the σ' factor), with its central finite-difference
    estimate."""
    return _gradient_report(net, X, Y, ("b", layer, j), sample, eps)
