"""The engine against its referees: central finite differences and the notes' closed forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import Network, numerical_gradients
from core.engine.finite_differences import relative_error

HIDDEN = ["sigmoid", "tanh", "relu", "linear"]


def _targets(rng, loss, output_activation, n, k):
    if output_activation == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "cross_entropy":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.normal(size=(n, k))


def test_softmax_gradient_is_exact_for_targets_that_do_not_sum_to_one():
    """Soft or multi-label targets (rows not summing to 1) still get the true gradient."""
    rng = np.random.default_rng(3)
    net = Network([2, 4, 3], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=3)
    X = rng.normal(size=(5, 2))
    Y = rng.uniform(0.0, 1.0, size=(5, 3))
    exact = net.gradients(X, Y)
    estimate = numerical_gradients(net, X, Y)
    for ours, referee in zip(exact[0] + exact[1], estimate[0] + estimate[1]):
        assert relative_error(ours, referee) < 1e-6


def _near_relu_kink(net, X, margin=0.05):
    activations = net.forward_layers(X)
    for layer in range(net.n_layers):
        z = activations[layer] @ net.weights[layer] + net.biases[layer]
        if np.any(np.abs(z) < margin):
            return True
    return False


@settings(max_examples=150, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 8), min_size=1, max_size=4),
    n_in=st.integers(1, 8),
    n_out=st.integers(2, 8),
    activation=st.sampled_from(HIDDEN),
    head=st.sampled_from([("sigmoid", "mse"), ("tanh", "mse"), ("linear", "mse"),
                          ("relu", "mse"), ("sigmoid", "cross_entropy"),
                          ("softmax", "cross_entropy")]),
    batch=st.integers(1, 32),
    seed=st.integers(0, 2**16),
)
def test_backprop_matches_central_differences(hidden, n_in, n_out, activation, head, batch, seed):
    output_activation, loss = head
    rng = np.random.default_rng(seed)
    net = Network([n_in, *hidden, n_out], activation=activation,
                  output_activation=output_activation, loss=loss, seed=seed)
    for b in net.biases:  # non-zero biases so bias gradients are exercised
        b[...] = rng.normal(scale=0.5, size=b.shape)
    X = rng.normal(size=(batch, n_in))
    Y = _targets(rng, loss, output_activation, batch, n_out)
    if "relu" in (activation, output_activation) and _near_relu_kink(net, X):
        return  # finite differences straddle the kink there; the draw proves nothing
    dW, db = net.gradients(X, Y)
    nW, nb = numerical_gradients(net, X, Y)
    for exact, estimate in zip(dW + db, nW + nb):
        assert exact.shape == estimate.shape
        assert relative_error(exact, estimate) < 1e-6


def test_twice_gradient_is_eq_1_1_6():
    """C'(w) = (1/n) sum 2 (x_i w - y_i) x_i for the linear, bias-free "twice" model."""
    net = Network([1, 1], activation="linear", output_activation="linear", bias=False, seed=3)
    x = np.arange(5.0).reshape(-1, 1)
    y = 2 * x
    w = net.weights[0][0, 0]
    expected = np.mean(2 * (x[:, 0] * w - y[:, 0]) * x[:, 0])
    dW, db = net.gradients(x, y)
    assert dW[0][0, 0] == pytest.approx(expected, rel=1e-12)
    assert db[0][0] == 0.0
    assert net.loss(x, y) == pytest.approx(np.mean((x[:, 0] * w - y[:, 0]) ** 2), rel=1e-12)


def test_one_sigmoid_neuron_is_eqs_1_3_5_to_1_3_7():
    net = Network([2, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    net.biases[0][0] = -0.3
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    z = np.array([0.0, 1.0, 1.0, 1.0])  # OR
    w1, w2, b = net.weights[0][0, 0], net.weights[0][1, 0], net.biases[0][0]
    a = 1 / (1 + np.exp(-(X[:, 0] * w1 + X[:, 1] * w2 + b)))
    common = 2 * (a - z) * a * (1 - a)
    dW, db = net.gradients(X, z.reshape(-1, 1))
    assert dW[0][0, 0] == pytest.approx(np.mean(common * X[:, 0]), rel=1e-10)  # 1.3.5
    assert dW[0][1, 0] == pytest.approx(np.mean(common * X[:, 1]), rel=1e-10)  # 1.3.6
    assert db[0][0] == pytest.approx(np.mean(common), rel=1e-10)               # 1.3.7


def test_two_neuron_chain_is_eqs_1_5_4_1_5_5_and_corrected_1_5_12():
    net = Network([1, 1, 1], activation="sigmoid", output_activation="sigmoid", seed=2)
    net.biases[0][0], net.biases[1][0] = 0.2, -0.4
    x = np.array([0.0, 0.5, 1.0, 1.5])
    y = np.array([0.1, 0.3, 0.6, 0.9])
    w1, b1 = net.weights[0][0, 0], net.biases[0][0]
    w2, b2 = net.weights[1][0, 0], net.biases[1][0]
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    a1 = sig(x * w1 + b1)
    a2 = sig(a1 * w2 + b2)
    outer = 2 * (a2 - y) * a2 * (1 - a2)
    dW, db = net.gradients(x.reshape(-1, 1), y.reshape(-1, 1))
    assert dW[1][0, 0] == pytest.approx(np.mean(outer * a1), rel=1e-10)  # 1.5.4
    assert db[1][0] == pytest.approx(np.mean(outer), rel=1e-10)          # 1.5.5
    # 1.5.12 with the sigma' factor a(1)(1 - a(1)) that the notes omit.
    assert dW[0][0, 0] == pytest.approx(np.mean(outer * w2 * a1 * (1 - a1) * x), rel=1e-10)
    assert db[0][0] == pytest.approx(np.mean(outer * w2 * a1 * (1 - a1)), rel=1e-10)
    # ...and the uncorrected 1.5.12 would be measurably wrong.
    assert dW[0][0, 0] != pytest.approx(np.mean(outer * w2 * x), rel=1e-3)


def _train(net, X, Y, lr, epochs):
    for _ in range(epochs):
        dW, db = net.gradients(X, Y)
        for p, g in zip(net.weights + net.biases, dW + db):
            p -= lr * g
    return net.loss(X, Y)


def test_xor_learns_with_plain_gradient_descent():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = Network([2, 2, 1], seed=0)
    assert net.loss(X, Y) > 0.2
    assert _train(net, X, Y, lr=2.0, epochs=5000) < 0.01


def test_or_gate_learns_with_one_neuron():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [1.0]])
    assert _train(Network([2, 1], seed=0), X, Y, lr=2.0, epochs=3000) < 0.01


def test_same_seed_same_weights_bitwise():
    a, b = Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=7)
    c = Network([3, 5, 2], seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_cross_entropy_is_finite_for_extreme_logits():
    net = Network([1, 3], output_activation="softmax", loss="cross_entropy")
    net.weights[0][...] = [[1e4, -1e4, 0.0]]
    X, Y = np.array([[1.0], [-1.0]]), np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        cost = net.loss(X, Y)
        dW, _ = net.gradients(X, Y)
    assert np.isfinite(cost) and cost == pytest.approx(1e4, rel=1e-9)
    assert np.all(np.isfinite(dW[0]))
    binary = Network([1, 1], output_activation="sigmoid", loss="cross_entropy")
    binary.weights[0][...] = 1e4
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert binary.loss(np.array([[1.0]]), np.array([[0.0]])) == pytest.approx(1e4)


def test_penalty_is_part_of_the_cost_and_its_gradient():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    for penalty in ("l1", "l2"):
        net = Network([3, 4, 2], activation="tanh", output_activation="linear",
                      penalty=penalty, penalty_rate=0.1, seed=1)
        plain = Network([3, 4, 2], activation="tanh", output_activation="linear", seed=1)
        assert net.loss(X, Y) > plain.loss(X, Y)
        dW, _ = net.gradients(X, Y)
        nW, _ = numerical_gradients(net, X, Y)
        assert max(relative_error(g, n) for g, n in zip(dW, nW)) < 1e-6


@pytest.mark.parametrize("kwargs, names", [
    (dict(sizes=[2, 2, 1], activation="swish"), ["activation", "sigmoid"]),
    (dict(sizes=[2, 3], output_activation="softmax", loss="mse"),
     ["output_activation", "cross_entropy"]),
    (dict(sizes=[2, 0, 1]), ["sizes", "positive", "[2, 0, 1]"]),
    (dict(sizes=[2, 1], loss="hinge"), ["loss", "mse"]),
    (dict(sizes=[2, 1], init="zeros"), ["init", "uniform"]),
    (dict(sizes=[2, 2, 1], activation="softmax"), ["activation", "output layer"]),
])
def test_bad_arguments_name_the_argument(kwargs, names):
    with pytest.raises(ValueError) as error:
        Network(**kwargs)
    for name in names:
        assert name in str(error.value)


def test_inputs_of_the_wrong_width_are_refused():
    net = Network([2, 2, 1])
    with pytest.raises(ValueError,
                       match=r"X: expected an array of shape \(n, 2\), got shape \(4, 3\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="Y"):
        net.gradients(np.zeros((4, 2)), np.zeros((4, 2)))


def test_gradient_check_of_a_large_network_checks_a_bounded_sample(monkeypatch):
    from core.engine.finite_differences import gradient_check

    rng = np.random.default_rng(0)
    net = Network([3, 60, 60, 2], activation="tanh", output_activation="linear", seed=0)
    X, Y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    calls = []
    loss = Network.loss
    monkeypatch.setattr(Network, "loss", lambda self, X, Y: calls.append(1) or loss(self, X, Y))
    checks = gradient_check(net, X, Y, per_array=20)
    assert len(calls) <= 4 * 20 * 6          # 4 costs per entry, 20 entries, 6 arrays
    assert all(check.error < 1e-6 for check in checks)
    # a wrong gradient in a sampled layer is caught:
    exact = Network.gradients
    monkeypatch.setattr(Network, "gradients", lambda self, X, Y: (
        lambda g: ([g[0][0], g[0][1] * 1.01, g[0][2]], g[1]))(exact(self, X, Y)))
    assert gradient_check(net, X, Y, per_array=20)[1].weight_error > 1e-3


def test_a_cancelled_gradient_check_stops_between_parameters_and_leaves_the_network(
        monkeypatch):
    """Cancelled after three parameters, the check stops with ComputationCancelled after exactly
    their 12 cost evaluations, and the network keeps every weight it had."""
    from core.engine.finite_differences import ComputationCancelled, gradient_check

    net = Network([2, 3, 1], seed=0)
    X, Y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]])
    before = [p.copy() for p in net.parameters()]
    asked, calls = [], []
    loss = Network.loss
    monkeypatch.setattr(Network, "loss", lambda self, X, Y: calls.append(1) or loss(self, X, Y))
    with pytest.raises(ComputationCancelled):
        gradient_check(net, X, Y, cancelled=lambda: asked.append(1) or len(asked) > 3)
    assert len(asked) == 4 and len(calls) == 4 * 3
    assert all(np.array_equal(a, b) for a, b in zip(before, net.parameters()))
