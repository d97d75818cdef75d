"""The inspector's numbers are the engine's; on the 1-1-1 chain they are the notes' closed forms."""

import re

import numpy as np
import pytest

from core.engine.finite_differences import numerical_gradients
from core.engine.network import Network
from core.explain.chain_rule import bias_report, neuron_report, weight_report
from core.explain.notes import explain

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def chain_model():
    """The notes' 2-neuron model (1.4-1.5): 1-1-1, sigmoid, mse, non-zero biases."""
    net = Network((1, 1, 1), init="uniform", seed=3)
    X = np.array([[0.5], [1.0], [-1.5], [2.0]])
    Y = np.array([[1.0], [0.0], [1.0], [0.3]])
    return net, X, Y


@pytest.fixture
def chain():
    """The chain model with its rows."""
    return chain_model()


def chain_closed_forms(net, X, Y):
    """a(1), a(2) and the four gradients as the notes write them (1.5.4-1.5.5), with 1.5.12-1.5.13
    corrected by the sigma'(z(1)) factor."""
    w1, b1 = net.weights[0][0, 0], net.biases[0][0]
    w2, b2 = net.weights[1][0, 0], net.biases[1][0]
    x, y, n = X[:, 0], Y[:, 0], X.shape[0]
    a1 = sigmoid(x * w1 + b1)                                   # 1.4.1
    a2 = sigmoid(a1 * w2 + b2)                                  # 1.4.4
    dw2 = np.sum(2 * (a2 - y) * a2 * (1 - a2) * a1) / n         # 1.5.4
    db2 = np.sum(2 * (a2 - y) * a2 * (1 - a2)) / n              # 1.5.5
    dC_da1 = 2 * (a2 - y) * a2 * (1 - a2) * w2 / n              # 1.5.6, per sample
    dw1 = np.sum(dC_da1 * a1 * (1 - a1) * x)                    # 1.5.12 with sigma'(z(1))
    db1 = np.sum(dC_da1 * a1 * (1 - a1))                        # 1.5.13 with sigma'(z(1))
    return a1, a2, dC_da1, dw2, db2, dw1, db1


def test_chain_layer_2_factors_are_1_5_4(chain):
    net, X, Y = chain
    a1, a2, _, dw2, db2, _, _ = chain_closed_forms(net, X, Y)
    report = weight_report(net, X, Y, 2, 0, 0)
    np.testing.assert_allclose(report.dC_da, 2 * (a2 - Y[:, 0]) / 4, rtol=1e-12)   # 1.5.3
    np.testing.assert_allclose(report.sigma_prime, a2 * (1 - a2), rtol=1e-12)      # 1.2.3
    np.testing.assert_allclose(report.a_prev, a1, rtol=1e-12)
    assert report.gradient == pytest.approx(dw2, rel=1e-12)
    assert bias_report(net, X, Y, 2, 0).gradient == pytest.approx(db2, rel=1e-12)


def test_chain_layer_1_factors_are_corrected_1_5_12(chain):
    net, X, Y = chain
    a1, _, dC_da1, _, _, dw1, db1 = chain_closed_forms(net, X, Y)
    report = weight_report(net, X, Y, 1, 0, 0, sample=2)
    np.testing.assert_allclose(report.dC_da, dC_da1, rtol=1e-12)                   # 1.5.6
    np.testing.assert_allclose(report.sigma_prime, a1 * (1 - a1), rtol=1e-12)  # omitted in notes
    np.testing.assert_allclose(report.a_prev, X[:, 0], rtol=0)
    assert report.gradient == pytest.approx(dw1, rel=1e-12)
    assert report.numeric == pytest.approx(dw1, rel=1e-7)
    uncorrected = np.sum(dC_da1 * X[:, 0])                      # 1.5.12 as printed: no sigma'
    assert abs(report.numeric - uncorrected) > 100 * abs(report.numeric - report.gradient)
    assert bias_report(net, X, Y, 1, 0).gradient == pytest.approx(db1, rel=1e-12)


NETS = {
    "sigmoid mse": dict(sizes=(2, 3, 2, 1)),
    "tanh, l2": dict(sizes=(2, 3, 2, 1), activation="tanh", penalty="l2", penalty_rate=0.01),
    "relu, l1": dict(sizes=(2, 3, 2, 1), activation="relu", output_activation="linear",
                     penalty="l1", penalty_rate=0.01),
    "sigmoid cross-entropy": dict(sizes=(2, 3, 2, 1), loss="cross_entropy"),
    "softmax": dict(sizes=(2, 3, 2), output_activation="softmax", loss="cross_entropy"),
    "no bias": dict(sizes=(2, 3, 1), bias=False),
}


@pytest.mark.parametrize("name", NETS)
def test_every_gradient_equals_the_engine(name):
    settings = dict(NETS[name])
    net = Network(settings.pop("sizes"), init="uniform", seed=1, **settings)
    Y = XOR_Y if net.sizes[-1] == 1 else np.hstack([XOR_Y, 1 - XOR_Y])
    before = [p.copy() for p in net.parameters()]
    grad_w, grad_b = net.gradients(XOR_X, Y)
    num_w, num_b = numerical_gradients(net, XOR_X, Y)
    reports = [(weight_report(net, XOR_X, Y, l + 1, i, j, sample=1), grad_w[l][i, j],
                num_w[l][i, j])
               for l, w in enumerate(net.weights) for i, j in np.ndindex(w.shape)]
    if net.bias:
        reports += [(bias_report(net, XOR_X, Y, l + 1, j, sample=2), grad_b[l][j], num_b[l][j])
                    for l, b in enumerate(net.biases) for j in range(b.size)]
    for report, exact, numeric in reports:
        assert report.gradient == exact                          # the engine's number, bitwise
        assert report.numeric == pytest.approx(numeric, abs=1e-8)   # the referee agrees
        assert sum(report.contributions) + report.penalty == pytest.approx(exact, abs=1e-15)
        if report.dC_da is not None:
            np.testing.assert_allclose(np.multiply(report.dC_da, report.sigma_prime),
                                       report.delta, rtol=1e-12, atol=1e-300)
        assert report.relative_error < 1e-5
        assert any("omit the σ' factor" in line for line in report.lines())
    assert all(np.array_equal(p, q) for p, q in zip(before, net.parameters()))


def test_neuron_report_shows_1_6_1_with_its_numbers():
    net = Network((2, 2, 1))
    net.weights[0][:, 1] = [1.2, -0.5]
    net.biases[0][1] = 0.1
    X, Y = np.array([[0.31, 0.77]]), np.array([[1.0]])
    report = neuron_report(net, X, Y, 1, 1, 0)
    assert report.z == pytest.approx(0.087, abs=1e-15)
    assert report.a == net.forward_layers(X)[1][0, 1]
    assert report.a == pytest.approx(sigmoid(0.087), rel=1e-15)
    assert report.sigma_prime == pytest.approx(report.a * (1 - report.a), rel=1e-15)
    lines = report.lines()
    assert lines[0] == "a_1(1)[2]: neuron 2 of layer 1 (sigmoid), sample 1"
    assert lines[1] == "(1.6.1) a(l) = σ(a(l−1) w(l) + b(l))"
    assert lines[3] == "  a_1(1)[2] = σ(0.31·1.2 + 0.77·(-0.5) + 0.1) = σ(0.087) = 0.5217"
    assert lines[4:6] == ["(1.2.3) σ'(x) = σ(x)(1 − σ(x))",
                          "  i=1: σ'(0.087) = 0.521736·(1 − 0.521736) = 0.2495"]


def test_neuron_report_matches_the_forward_and_backward_pass():
    net = Network((2, 3, 2, 1), init="uniform", seed=4)
    activations = net.forward_layers(XOR_X)
    for layer, unit, sample in [(1, 2, 3), (2, 0, 1), (3, 0, 2)]:
        report = neuron_report(net, XOR_X, XOR_Y, layer, unit, sample)
        assert report.inputs == tuple(activations[layer - 1][sample])
        assert report.a == activations[layer][sample, unit]
        assert report.z == pytest.approx(np.dot(report.inputs, report.weights) + report.bias,
                                         rel=1e-14)
        assert report.da_dw == pytest.approx([report.sigma_prime * x for x in report.inputs])
        delta = weight_report(net, XOR_X, XOR_Y, layer, 0, unit).delta[sample]
        assert report.delta == delta


def test_softmax_neuron_has_no_elementwise_derivative():
    net = Network((2, 3, 2), output_activation="softmax", loss="cross_entropy")
    report = neuron_report(net, XOR_X, np.hstack([XOR_Y, 1 - XOR_Y]), 2, 1, 0)
    assert report.sigma_prime is None and report.da_dw is None
    assert "softmax(z_1(2))[2]" in report.lines()[1]


def test_bad_addresses_are_refused():
    net = Network((2, 3, 1), bias=False)
    with pytest.raises(ValueError, match="layer"):
        neuron_report(net, XOR_X, XOR_Y, 0, 0, 0)
    with pytest.raises(ValueError, match="unit"):
        neuron_report(net, XOR_X, XOR_Y, 1, 3, 0)
    with pytest.raises(ValueError, match="sample"):
        weight_report(net, XOR_X, XOR_Y, 1, 0, 0, sample=4)
    with pytest.raises(ValueError, match="index"):
        weight_report(net, XOR_X, XOR_Y, 2, 3, 0)
    with pytest.raises(ValueError, match="no biases"):
        bias_report(net, XOR_X, XOR_Y, 1, 0)


ARITHMETIC = re.compile(r"= ([-+/().\de ·−²]+) = (-?[\d.]+(?:e[-+]\d+)?)$")
PYTHON_ARITHMETIC = str.maketrans({"·": "*", "−": "-", "²": "**2"})


@pytest.mark.parametrize(("loss", "target"), [("cross_entropy", 1.0), ("mse", 1.0),
                                              ("mse", 0.0)])
def test_every_printed_line_checks_out_when_the_output_almost_equals_the_target(loss, target):
    net = Network((1, 2, 1), loss=loss, seed=1)
    net.weights[1][:] = 12.0 if target else -12.0         # a(2) within 1e-9 of the target
    X, Y = np.array([[1.0], [0.5]]), np.array([[target], [target]])
    lines = [line for report in (weight_report(net, X, Y, 2, 0, 0, sample=0),
                                 weight_report(net, X, Y, 1, 0, 0, sample=1),
                                 bias_report(net, X, Y, 2, 0, sample=0))
             for line in report.lines()]
    checked = 0
    for line in lines:
        match = ARITHMETIC.search(line)
        if match:
            value = eval(match[1].translate(PYTHON_ARITHMETIC))   # printed numbers only
            assert f"{value + 0.0:.4g}" == match[2], line
            checked += 1
    assert checked >= 6


def test_a_neuron_without_bias_shows_no_bias_derivative():
    net = Network((2, 3, 1), bias=False, seed=1)
    text = "\n".join(neuron_report(net, XOR_X, XOR_Y, 1, 0, 0).lines())
    assert "(1.6.2)" in text and "db" not in text and "b(1)" not in text


def _labelled(lines, number):
    """The lines of ``number``'s block in a report: its labelled formula line and the
    indented lines of numbers under it."""
    start = next(k for k, line in enumerate(lines) if line.lstrip().startswith(f"({number}) "))
    indent = len(lines[start]) - len(lines[start].lstrip())
    block = [lines[start].strip()]
    for line in lines[start + 1:]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line.strip())
    return block


def test_the_inspector_prints_an_equation_as_the_worksheet_does():
    """For the same network and rows, the inspector's neuron shows 1.6.1-1.6.4 (xor) and
    1.2.3 (one neuron) with the worksheet's formula text, and its row of 1.6.1 and 1.2.3 is
    the worksheet's line for that row, numbers and all; on the chain, the mean over samples
    of dC/dw(2) and dC/db(2) is 1.5.4 and 1.5.5 as the worksheet writes them, term for term."""
    net = Network((2, 3, 1), init="uniform", seed=5)
    sheet = explain("1.6", net, XOR_X, XOR_Y)
    for layer, unit, row in [(1, 2, 3), (2, 0, 1)]:
        lines = neuron_report(net, XOR_X, XOR_Y, layer, unit, row).lines()
        forward = _labelled(lines, "1.6.1")
        assert forward[0] == f"(1.6.1) {sheet.equation('1.6.1', layer).formula}"
        assert forward[1] == sheet.equation("1.6.1", layer).substituted.splitlines()[row]
        for number in ("1.6.2", "1.6.3", "1.6.4"):
            assert _labelled(lines, number)[0] == \
                f"({number}) {sheet.equation(number, layer).formula}"

    single = Network((2, 1), init="uniform", seed=2)
    sheet = explain("1.2", single, XOR_X, XOR_Y)
    for row in range(4):
        slope = _labelled(neuron_report(single, XOR_X, XOR_Y, 1, 0, row).lines(), "1.2.3")
        assert slope == [f"(1.2.3) {sheet.equation('1.2.3').formula}",
                         sheet.equation("1.2.3").substituted.splitlines()[row]]

    chain_net, X, Y = chain_model()
    sheet = explain("1.5", chain_net, X, Y)
    for number, report in (("1.5.4", weight_report(chain_net, X, Y, 2, 0, 0)),
                           ("1.5.5", bias_report(chain_net, X, Y, 2, 0))):
        *working, total = sheet.equation(number).substituted.splitlines()
        assert _labelled(report.lines(), number) == [
            f"({number}) {sheet.equation(number).formula}", *working, f"{total} (backprop)"]
