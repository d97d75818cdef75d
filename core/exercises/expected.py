"""What each exercise function should return on a network, from the engine.

A ``GradingCase`` is a network with its data: a built-in preset the exercise fits, a
random network, or the app's live one. ``plan`` turns a case into the calls to make in the
child and, for each call, the ``Quantity``s it should return: the engine's value
(``Network.loss``, ``Network.gradients``, a recorded ``Pass``), where its finite-difference
estimate comes from, and what each known slip (``slips``) would have made of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine import Network, Pass
from . import slips
from .sandbox import ChildCall


@dataclass(frozen=True)
class GradingCase:
    """A network and the data its functions are run on (``name`` says which, in reports)."""

    name: str
    net: Network
    X: np.ndarray
    Y: np.ndarray


@dataclass
class Quantity:
    """One array a function returns: ``label`` as the notes write it, its ``layer`` (None
    for a single neuron's), the engine's value, ``parameter`` (index into
    ``net.parameters()`` and the flat index of its entry 0) if it is a gradient the
    finite differences can estimate, the slips' results, and ``rank``, its place in the
    order the computation makes it (forward, then backward from the output)."""

    label: str
    layer: int | None
    expected: np.ndarray
    rank: int
    parameter: tuple[int, int] | None = None
    slips: dict = field(default_factory=dict)


@dataclass
class Expectation:
    """One call, how its return value is laid out (``layout``: "one", ("tuple", k) or
    ("layers", k, L): k lists of L arrays) and what it should return, in return order."""

    call: ChildCall
    layout: object
    quantities: list[Quantity]


def fits(exercise: str, net: Network) -> str | None:
    """None if ``exercise`` can be graded on ``net``; else why not, in a phrase."""
    sigmas = {sigma.name for sigma in net.sigmas}
    plain = net.loss_name == "mse" and net.penalty is None
    if exercise == "twice":
        ok = net.sizes == (1, 1) and sigmas == {"linear"} and plain and not net.bias
        return None if ok else "one input, one weight, linear, no bias, mean squared error"
    if not (plain and net.bias and sigmas == {"sigmoid"}):
        return "sigmoid neurons with biases and the mean squared error (the notes' network)"
    shape = {"neuron": (2, 1), "chain": (1, 1, 1)}.get(exercise)
    if shape is not None and net.sizes != shape:
        return "-".join(map(str, shape)) + " layers"
    if exercise == "fork" and (net.n_layers != 2 or net.sizes[-1] < 2):
        return "one hidden layer and at least two outputs"
    return None


def plan(exercise: str, case: GradingCase) -> list[Expectation]:
    """The calls of ``exercise`` on ``case`` and what each should return."""
    return {"twice": _twice, "neuron": _neuron, "chain": _chain, "fork": _fork,
            "network": _network}[exercise](case)


def _engine(case: GradingCase) -> tuple[Pass, list, list]:
    """The engine's pass over the case (z, a, Δ by layer) and its gradients."""
    recorded = Pass(case.net, case.X, case.Y).forward().backward()
    grad_w, grad_b = case.net.gradients(case.X, case.Y)
    return recorded, grad_w, grad_b


def _slope(a: np.ndarray) -> np.ndarray:
    """σ'(z) = a(1 − a) for a sigmoid layer's output a (1.2.3)."""
    return a * (1.0 - a)


def _twice(case: GradingCase) -> list[Expectation]:
    net, X, Y = case.net, case.X, case.Y
    w, x, y, n = float(net.weights[0][0, 0]), X[:, 0], Y[:, 0], X.shape[0]
    recorded, grad_w, _ = _engine(case)
    cost = np.array(net.loss(X, Y))
    gradient = grad_w[0].reshape(())
    return [
        Expectation(ChildCall("twice_cost", (w, x, y)), "one",
                    [Quantity("C", None, cost, 0, slips={"one_over_n": [cost * n, cost / n]})]),
        Expectation(ChildCall("twice_gradient", (w, x, y)), "one",
                    [Quantity("C'(w)", None, gradient, 1, (0, 0), slips.weight_gradient(
                        gradient, recorded.delta[1], X, None, matrix=False))]),
    ]


def _neuron(case: GradingCase) -> list[Expectation]:
    net, X = case.net, case.X
    recorded, grad_w, grad_b = _engine(case)
    a, delta = recorded.a[1], recorded.delta[1]
    slope = _slope(a)
    w1, w2, b = (float(net.weights[0][0, 0]), float(net.weights[0][1, 0]),
                 float(net.biases[0][0]))
    gradients = [
        Quantity(f"∂C/∂w{j + 1}", None, grad_w[0][j, 0].reshape(()), 1 + j, (0, j),
                 slips.weight_gradient(grad_w[0][j, 0].reshape(()), delta, X[:, [j]], slope,
                                       matrix=False))
        for j in range(2)
    ]
    gradients.append(Quantity("∂C/∂b", None, grad_b[0].reshape(()), 3, (1, 0),
                              slips.bias_gradient(grad_b[0].reshape(()), delta, slope,
                                                  matrix=False)))
    return [
        Expectation(ChildCall("neuron_forward", (X[:, 0], X[:, 1], w1, w2, b)), "one",
                    [Quantity("a", None, a[:, 0], 0)]),
        Expectation(ChildCall("neuron_gradients", (X[:, 0], X[:, 1], case.Y[:, 0], w1, w2, b)),
                    ("tuple", 3), gradients),
    ]


def _chain(case: GradingCase) -> list[Expectation]:
    net, X = case.net, case.X
    recorded, grad_w, grad_b = _engine(case)
    w1, b1 = float(net.weights[0][0, 0]), float(net.biases[0][0])
    w2, b2 = float(net.weights[1][0, 0]), float(net.biases[1][0])
    a = recorded.a
    gradients = []
    for l, rank in ((1, 4), (2, 2)):
        delta, slope = recorded.delta[l], _slope(a[l])
        dw, db = grad_w[l - 1].reshape(()), grad_b[l - 1].reshape(())
        gradients += [
            Quantity(f"∂C/∂w({l})", l, dw, rank, (l - 1, 0), slips.weight_gradient(
                dw, delta, a[l - 1], slope, inputs=X if l > 1 else None, matrix=False)),
            Quantity(f"∂C/∂b({l})", l, db, rank + 1, (1 + l, 0),
                     slips.bias_gradient(db, delta, slope, matrix=False)),
        ]
    return [
        Expectation(ChildCall("chain_forward", (X[:, 0], w1, b1, w2, b2)), ("tuple", 2),
                    [Quantity(f"a({l})", l, a[l][:, 0], l - 1) for l in (1, 2)]),
        Expectation(ChildCall("chain_gradients", (X[:, 0], case.Y[:, 0], w1, b1, w2, b2)),
                    ("tuple", 4), gradients),
    ]


def _fork(case: GradingCase) -> list[Expectation]:
    net, X = case.net, case.X
    recorded, grad_w, grad_b = _engine(case)
    a, delta, n = recorded.a, recorded.delta, X.shape[0]
    W1, b1, W2, b2 = (p.copy() for p in (net.weights[0], net.biases[0], net.weights[1],
                                         net.biases[1]))
    upstream = n * delta[2]                      # ∂C_i/∂z_i(2), row i's own (2.1.1)
    error = upstream @ W2.T                      # 2.1.2, one term a path
    error_slips = slips.scaled(error, n)
    error_slips["sigma_prime"] = [(upstream / _slope(a[2])) @ W2.T]
    if W2.shape[0] == W2.shape[1]:
        error_slips["transpose"] = [upstream @ W2]
    gradients = []
    for l, rank in ((1, 3), (2, 0)):
        slope = _slope(a[l])
        gradients += [
            Quantity(f"∂C/∂w({l})", l, grad_w[l - 1], rank, (l - 1, 0), slips.weight_gradient(
                grad_w[l - 1], delta[l], a[l - 1], slope, inputs=X if l > 1 else None)),
            Quantity(f"∂C/∂b({l})", l, grad_b[l - 1], rank + 1, (1 + l, 0),
                     slips.bias_gradient(grad_b[l - 1], delta[l], slope)),
        ]
    return [Expectation(ChildCall("fork_gradients", (X, case.Y, W1, b1, W2, b2)),
                        ("tuple", 5),
                        [Quantity("∂C_i/∂a_i(1)", None, error, 2, slips=error_slips),
                         *gradients])]


def _network(case: GradingCase) -> list[Expectation]:
    net, X = case.net, case.X
    L = net.n_layers
    recorded, grad_w, grad_b = _engine(case)
    z, a, delta = recorded.z, recorded.a, recorded.delta
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    forward = ([Quantity(f"Z({l})", l, z[l], 2 * l - 2, slips=slips.pre_activation(
                   a[l - 1], weights[l - 1], biases[l - 1])) for l in range(1, L + 1)]
               + [Quantity(f"A({l})", l, a[l], 2 * l - 1) for l in range(1, L + 1)])

    def rank(l: int, k: int) -> int:           # Δ(L), dW(L), db(L), Δ(L−1), ...
        return 3 * (L - l) + k

    deltas, dws, dbs = [], [], []
    for l in range(1, L + 1):
        slope = _slope(a[l])
        upstream = (delta[l + 1], weights[l]) if l < L else (None, None)
        deltas.append(Quantity(f"Δ({l})", l, delta[l], rank(l, 0),
                               slips=slips.error_signal(delta[l], slope, *upstream)))
        dws.append(Quantity(f"dW({l})", l, grad_w[l - 1], rank(l, 1), (l - 1, 0),
                            slips.weight_gradient(grad_w[l - 1], delta[l], a[l - 1], slope,
                                                  inputs=X if l > 1 else None)))
        dbs.append(Quantity(f"db({l})", l, grad_b[l - 1], rank(l, 2), (L + l - 1, 0),
                            slips.bias_gradient(grad_b[l - 1], delta[l], slope)))
    return [
        Expectation(ChildCall("network_forward", (X, weights, biases)), ("layers", 2, L), forward),
        Expectation(ChildCall("network_backward", (X, [a[l] for l in range(1, L + 1)], case.Y,
                                              weights)), ("layers", 3, L),
                    deltas + dws + dbs),
    ]
