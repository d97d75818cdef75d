"""The chain rule with live numbers: a neuron's forward equation, a parameter's gradient.

Layers are counted as in the notes: a(0) = x and layer l = 1..L computes a(l) (1.6.1).
Units, inputs and samples are 0-based indices into the arrays, as in ``w(2)[:,1]``. Every
number is one the engine uses: z, a, delta and the gradients from the engine's own record of
the pass (``core.engine.network.Pass``), the cost from ``net.loss``.

With delta(l) = dC/dz(l) for z(l) = a(l-1) w(l) + b(l), the gradient is

    dC/dw(l)_ij = sum_k delta(l)_kj a(l-1)_ki,   delta(l)_kj = dC/da(l)_kj sigma'(z(l)_kj)

which is 1.5.4 for the chain's last layer; the notes' 1.5.12 and 1.7.2 omit the sigma' factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine.finite_differences import relative_error
from ..engine.network import Network, Pass
from .cost_landscape import cost_curve, locate

MAX_TERMS = 6
"""Sums with more terms than this are shown with an ellipsis."""
TERMS_SHOWN = 5
"""How many samples' terms of dC/dw a report lists, largest first."""


def _num(x: float) -> str:
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0


def _factor(x: float) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _shown(result: float, compute, *operands: float) -> tuple[str, ...]:
    """``operands`` printed with the fewest significant digits (at least 4) at which
    ``compute`` of the printed operands rounds to the printed ``result`` (4 digits), so a
    line like ``(a - y)/n = delta`` checks out when a is almost y; negative operands in
    parentheses. Returns the operands' texts, then the result's."""
    result_text = _num(result)
    for digits in range(4, 18):
        texts = [f"{x + 0.0:.{digits}g}" for x in operands]
        if _num(compute(*map(float, texts))) == result_text:
            break
    return (*(f"({t})" if t.startswith("-") else t for t in texts), result_text)


def _sum_text(terms: list[str]) -> str:
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS - 1] + [f"... ({len(terms)} terms)"]
    return " + ".join(terms)


def _list_text(values: list[str]) -> str:
    """Values of a list, shortened like ``_sum_text`` when there are more than MAX_TERMS."""
    if len(values) > MAX_TERMS:
        values = values[:MAX_TERMS - 1] + [f"... ({len(values)} values)"]
    return ", ".join(values)


def _sigma_prime_text(activation: str, z: str, a: float, sigma_prime: float) -> str:
    """sigma'(``z``) written out for one neuron, labelled with the notes' number if it has one."""
    if activation == "sigmoid":
        a_text, result = _shown(sigma_prime, lambda x: x * (1 - x), a)
        return f"(1.2.3) sigma'({z}) = a(1 - a) = {a_text}*(1 - {a_text}) = {result}"
    if activation == "tanh":
        a_text, result = _shown(sigma_prime, lambda x: 1 - x * x, a)
        return f"sigma'({z}) = 1 - a^2 = 1 - {a_text}^2 = {result}"
    if activation == "relu":
        return f"sigma'({z}) = 1 if {z} > 0 else 0 = {_num(sigma_prime)}"
    return f"sigma'({z}) = 1 (linear)"


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
    """dC/da(l) before the sigma' factor, as the engine forms it; None at a cross-entropy
    output, whose delta (a - y)/n skips it."""
    net, Y = record.net, record.Y
    if l < net.n_layers:
        return np.dot(record.delta[l + 1], net.weights[l].T)           # 1.5.6, 1.7.4
    if net.loss_name != "mse":
        return None
    a_out = record.a[-1]
    dC_da = a_out - np.asarray(Y, dtype=np.float64)
    dC_da *= 2.0 / a_out.shape[0]                                    # 1.5.3
    return dC_da


def _sigma_prime(net: Network, l: int, a: np.ndarray) -> np.ndarray | None:
    """sigma'(z(l)) through a = sigma(z); None for softmax."""
    sigma = net.sigmas[l - 1]
    return None if sigma.name == "softmax" else sigma.derivative(a)


@dataclass(frozen=True)
class NeuronReport:
    """One neuron a(l)_unit on one sample: the numbers of 1.6.1 and its local derivatives.

    ``sigma_prime`` is None for a softmax output (no element-wise derivative); ``bias`` is
    None for a network without biases; ``delta`` is dC/dz(l)_unit for this sample.
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

    @property
    def da_dw(self) -> tuple[float, ...] | None:
        """da/dw(l)[i, unit] = sigma'(z) a(l-1)_i for every input i (1.6.2)."""
        if self.sigma_prime is None:
            return None
        return tuple(self.sigma_prime * x for x in self.inputs)

    @property
    def da_da_prev(self) -> tuple[float, ...] | None:
        """da/da(l-1)_i = sigma'(z) w(l)[i, unit] for every input i (1.6.4)."""
        if self.sigma_prime is None:
            return None
        return tuple(self.sigma_prime * w for w in self.weights)

    def lines(self) -> list[str]:
        """Display-ready text lines, each equation labelled with the notes' number."""
        l, u, prev = self.layer, self.unit, self.layer - 1
        name = f"a({l})_{u}"
        terms = [f"{_factor(x)}*{_factor(w)}" for x, w in zip(self.inputs, self.weights)]
        symbolic = f"a({prev}) . w({l})[:,{u}]"
        if self.bias is not None:
            terms.append(_factor(self.bias))
            symbolic += f" + b({l})_{u}"
        lines = [f"{name}, layer {l} ({self.activation}), sample {self.sample}"]
        if self.activation == "softmax":
            lines.append(f"(1.6.1) z({l})_{u} = {symbolic} = {_sum_text(terms)} = {_num(self.z)}; "
                         f"{name} = softmax(z({l}))_{u} = {_num(self.a)}")
            lines.append("softmax has no element-wise sigma'; with cross-entropy "
                         "dC/dz = (a - y)/n")
        else:
            lines.append(f"(1.6.1) {name} = sigma({symbolic}) = sigma({_sum_text(terms)}) "
                         f"= sigma({_num(self.z)}) = {_num(self.a)}")
            lines.append(_sigma_prime_text(self.activation, "z", self.a, self.sigma_prime))
            products = _list_text([_num(d) for d in self.da_dw])
            lines.append(f"(1.6.2) da/dw({l})[i,{u}] = sigma'(z) a({prev})_i = {products}")
            if self.bias is not None:
                lines.append(f"(1.6.3) da/db({l})_{u} = sigma'(z) = {_num(self.sigma_prime)}")
            products = _list_text([_num(d) for d in self.da_da_prev])
            lines.append(f"(1.6.4) da/da({prev})_i = sigma'(z) w({l})[i,{u}] = {products}")
        lines.append(f"delta({l})_{u} = dC/dz({l})_{u} = {_num(self.delta)} "
                     "(backprop, this sample)")
        return lines


def neuron_report(net: Network, X, Y, layer: int, unit: int, sample: int) -> NeuronReport:
    """The forward equation (1.6.1) of neuron ``unit`` of layer ``layer`` (1..L) on row
    ``sample`` of X, with sigma'(z) and the neuron's delta from backprop on (X, Y)."""
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
    )


@dataclass(frozen=True)
class GradientReport:
    """dC/dw(l)[i, j] (or dC/db(l)_j when ``i`` is None) as the chain-rule product per sample.

    Per sample k: ``dC_da[k]`` = dC/da(l)_kj (2(a - y)/n at an mse output, 1.5.3; the
    backpropagated sum_m delta(l+1)_km w(l+1)[j, m] below it, 1.5.6), ``sigma_prime[k]`` =
    sigma'(z(l)_kj) (both None at a cross-entropy output, where delta = (a - y)/n),
    ``delta[k]`` = delta(l)_kj as the engine computed it, ``a_prev[k]`` = a(l-1)_ki (None
    for a bias) and ``contributions[k]`` = delta[k] a_prev[k]. ``gradient`` is the engine's
    dC/dw: the sum of the contributions plus ``penalty`` (the l1/l2 term). ``numeric`` is
    the central finite difference (1.0.1) with step ``eps``.
    """

    layer: int
    i: int | None
    j: int
    sample: int | None
    n_layers: int
    activation: str
    loss: str
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
    equations: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        """The parameter's name: ``w(l)[i,j]`` or ``b(l)_j``."""
        if self.i is None:
            return f"b({self.layer})_{self.j}"
        return f"w({self.layer})[{self.i},{self.j}]"

    def _sample_lines(self, k: int) -> list[str]:
        l, j = self.layer, self.j
        lines = [f"sample {k}:"]
        n = len(self.a)
        if self.dC_da is None:
            a, y, delta = _shown(self.delta[k], lambda a, y: (a - y) / n, self.a[k], self.y[k])
            lines.append(f"  delta({l})_{j} = (a - y)/n = ({a} - {y})/{n} = {delta}")
        else:
            if self.y is not None:
                a, y, dC_da = _shown(self.dC_da[k], lambda a, y: 2 * (a - y) / n, self.a[k],
                                     self.y[k])
                lines.append(f"  (1.5.3) dC/da({l})_{j} = 2(a - y)/n = 2*({a} - {y})/{n} "
                             f"= {dC_da}")
            else:
                factors = [x for pair in zip(self.upstream_delta, self.upstream_weights)
                           for x in pair]
                *texts, dC_da = _shown(self.dC_da[k], lambda *v: sum(
                    d * w for d, w in zip(v[::2], v[1::2])), *factors)
                terms = [f"{d}*{w}" for d, w in zip(texts[::2], texts[1::2])]
                lines.append(f"  (1.5.6) dC/da({l})_{j} = sum_m delta({l + 1})_m w({l + 1})[{j},m] "
                             f"= {_sum_text(terms)} = {dC_da}")
            lines.append("  " + _sigma_prime_text(self.activation, f"z({l})_{j}", self.a[k],
                                                  self.sigma_prime[k]))
            da, sp, delta = _shown(self.delta[k], lambda d, s: d * s, self.dC_da[k],
                                   self.sigma_prime[k])
            lines.append(f"  delta({l})_{j} = dC/da * sigma'(z) = {da}*{sp} = {delta}")
        if self.a_prev is not None:
            delta, a_prev, product = _shown(self.contributions[k], lambda d, a: d * a,
                                            self.delta[k], self.a_prev[k])
            lines.append(f"  a({l - 1})_{self.i} = {a_prev.strip('()')}")
            lines.append(f"  delta({l})_{j} a({l - 1})_{self.i} = {delta}*{a_prev} = {product}")
        return lines

    def lines(self) -> list[str]:
        """Display-ready text lines: the equations, the selected sample's factors, the sum
        over samples (the engine's gradient) and the finite-difference estimate beside it."""
        lines = [f"dC/d{self.name}, layer {self.layer} of {self.n_layers}, "
                 f"{len(self.delta)} samples"]
        lines += [f"({label}) {text}" if label else text for label, text in self.equations]
        if self.sample is not None:
            lines += self._sample_lines(self.sample)
        terms = [_factor(c) for c in self.contributions]
        if self.penalty:
            terms.append(f"penalty {_factor(self.penalty)}")
        lines.append(f"(1.5.2) sum over samples: {_sum_text(terms)} = {_num(self.gradient)} "
                     f"(backprop)")
        lines.append(f"(1.0.1) finite difference, central, eps {self.eps:g}: {_num(self.numeric)}; "
                     f"relative error {self.relative_error:.2g}")
        return lines + self.term_lines()

    def largest_terms(self, count: int = TERMS_SHOWN) -> tuple[tuple[int, float, float], ...]:
        """The ``count`` samples whose terms of the sum over samples are largest in size, as
        (sample, term, share): the share is |term| over the sum of every term's size (terms
        of opposite signs cancel in dC/dw, so it says how much each pulls), largest first."""
        terms = np.asarray(self.contributions)
        total = float(np.abs(terms).sum())
        order = np.argsort(-np.abs(terms), kind="stable")[:count]
        return tuple((int(k), float(terms[k]),
                      abs(float(terms[k])) / total if total else math.nan) for k in order)

    def term_lines(self) -> list[str]:
        """Which samples make the gradient: the largest terms with their shares."""
        largest = self.largest_terms()
        lines = [f"samples making dC/d{self.name}, largest term first (share of sum |terms|):"]
        lines += [f"  sample {k + 1}: {_num(term)} ({share:.0%})" if math.isfinite(share)
                  else f"  sample {k + 1}: {_num(term)}" for k, term, share in largest]
        if len(self.contributions) > len(largest):
            lines.append(f"  ... and {len(self.contributions) - len(largest)} smaller terms")
        return lines


def _equations(net: Network, l: int, is_bias: bool) -> tuple[tuple[str, str], ...]:
    """The labelled equations behind a gradient report of layer ``l``."""
    if is_bias:
        general = ("1.7.3, corrected", "dC/db(l)_j = sum_k delta(l)_kj,  "
                   "delta(l)_kj = dC/dz(l)_kj = dC/da(l)_kj sigma'(z(l)_kj)")
        note = "The notes' 1.5.13 and 1.7.3 omit the sigma' factor; it is included here."
    else:
        general = ("1.7.2, corrected", "dC/dw(l)_ij = sum_k delta(l)_kj a(l-1)_ki,  "
                   "delta(l)_kj = dC/dz(l)_kj = dC/da(l)_kj sigma'(z(l)_kj)")
        note = ("The notes' 1.5.12 and 1.7.2 omit the sigma' factor (and write x_i where "
                "a(l-1)_i is meant); it is included here.")
    if l < net.n_layers:
        upstream = ("1.5.6, 1.7.4", f"dC/da({l})_kj = sum_m delta({l + 1})_km w({l + 1})[j,m]")
    elif net.loss_name == "mse":
        upstream = ("1.5.3", f"dC/da({l})_kj = 2(a({l})_kj - y_kj)/n")
    else:
        upstream = ("", f"delta({l})_kj = (a({l})_kj - y_kj)/n (cross-entropy: sigma' cancels)")
    return general, upstream, ("", note)


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
        a=floats(a),
        y=floats(np.asarray(Y, dtype=np.float64)[:, j]) if l == net.n_layers else None,
        dC_da=floats(None if dC_da is None else dC_da[:, j]),
        sigma_prime=floats(sigma_prime),
        delta=floats(delta), a_prev=floats(a_prev), contributions=floats(contributions),
        upstream_delta=floats(record.delta[l + 1][sample]) if upstream else None,
        upstream_weights=floats(net.weights[l][j]) if upstream else None,
        penalty=0.0 if is_bias else float(net.penalty_gradient(float(value))),
        gradient=gradient, numeric=numeric, eps=eps,
        relative_error=relative_error(np.array([gradient]), np.array([numeric])),
        equations=_equations(net, l, is_bias),
    )


def weight_report(net: Network, X, Y, layer: int, i: int, j: int, sample: int | None = None,
                  eps: float = 1e-6) -> GradientReport:
    """dC/dw(l)[i, j] on (X, Y) as the chain rule per sample, summed over samples (1.5.2-1.5.6,
    1.7.2 corrected), with its central finite-difference estimate (1.0.1); ``sample`` selects
    the sample whose factors ``lines()`` spells out."""
    return _gradient_report(net, X, Y, ("w", layer, i, j), sample, eps)


def bias_report(net: Network, X, Y, layer: int, j: int, sample: int | None = None,
                eps: float = 1e-6) -> GradientReport:
    """dC/db(l)_j on (X, Y) as the chain rule per sample (1.5.5, 1.7.3 corrected), with its
    central finite-difference estimate (1.0.1)."""
    return _gradient_report(net, X, Y, ("b", layer, j), sample, eps)
