"""Sections 2.1-2.4, ours beyond the notes: every worksheet value against the engine (its
forward pass, per-row and whole-batch gradients, other activations and costs on the same
weights) and against finite differences; the JSON a script reads, recomputed from the JSON
alone; 2.2 and 2.3 on digits; and every question's answer key graded on the engine's value."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import Network, numerical_gradients
from core.cli import main
from core.engine import Pass
from core.explain.formula import formula_key
from core.explain.notes import SECTIONS, ExplainError, explain, grade, load_lesson, section
from core.presets.schema import load_preset

from .test_explain_notes import close, fd_close, trained

BEYOND = ("2.1", "2.2", "2.3", "2.4")
EPOCHS = (0, 200)


def worksheet(number: str, epoch: int = 0, preset: str | None = None):
    preset = preset or SECTIONS[number].preset
    net, X, Y, snapshot = trained(preset, epoch)
    return explain(number, net, X, Y, preset=preset, epoch=epoch,
                   learning_rate=snapshot.learning_rate), net, X, Y


def row_gradients(net, X, Y, referee=False):
    """(dC_i/dW, dC_i/db) of each row's own cost, by backprop or by finite differences."""
    method = numerical_gradients if referee else Network.gradients
    return [method(net, X[i:i + 1], Y[i:i + 1]) for i in range(len(X))]


def twin(net: Network, hidden: str, loss: str = "mse") -> Network:
    """deep-chain with ``hidden`` activations and ``loss``, built by the preset, carrying
    ``net``'s weights."""
    other = load_preset("deep-chain").replace(activation=hidden, loss=loss).build_network()
    for mine, value in zip(other.weights + other.biases, net.weights + net.biases):
        mine[...] = value
    return other


# --- every value against the engine and the referee -------------------------------------------

@pytest.mark.parametrize("epoch", EPOCHS)
def test_2_1_each_hidden_error_sums_what_every_output_sends_back(epoch):
    ws, net, X, Y = worksheet("2.1", epoch)
    rows, referee = row_gradients(net, X, Y), row_gradients(net, X, Y, referee=True)
    W2 = net.weights[1]
    for number, layer in (("2.1.1", 1), ("2.1.3", 0)):
        close(ws.equation(number).value, [db[layer] for _, db in rows])
        fd_close(ws.equation(number).value, [db[layer] for _, db in referee])
    close(ws.equation("2.1.2").value, [db[1] @ W2.T for _, db in rows])
    fd_close(ws.equation("2.1.2").value, [db[1] @ W2.T for _, db in referee])
    outputs = net.forward(X)
    shares = []
    for k in range(2):                     # only output k's error: the other target is met
        Yk = outputs.copy()
        Yk[:, k] = Y[:, k]
        shares.append(net.gradients(X, Yk)[0][0][0, 0])
        fd_close(ws.equation("2.1.4").value[k], numerical_gradients(net, X, Yk)[0][0][0, 0])
    close(ws.equation("2.1.4").value, shares)
    dW, db = net.gradients(X, Y)
    nW, nb = numerical_gradients(net, X, Y)
    close(sum(shares), dW[0][0, 0])
    for number, value, estimate in (("2.1.5", dW[0], nW[0]), ("2.1.6", dW[1], nW[1])):
        close(ws.equation(number).value, value)
        fd_close(ws.equation(number).value, estimate)
    for l in (1, 2):
        close(ws.equation("2.1.7", l).value, db[l - 1])
        fd_close(ws.equation("2.1.7", l).value, nb[l - 1])


@pytest.mark.parametrize("epoch", EPOCHS)
def test_2_2_every_matrix_is_the_engines_pass(epoch):
    ws, net, X, Y = worksheet("2.2", epoch)
    engine = Pass(net, X, Y).forward().backward()
    nW, nb = numerical_gradients(net, X, Y)
    per_row = row_gradients(net, X, Y, referee=True)
    n = len(X)
    for l in (1, 2):
        close(ws.equation("2.2.1", l).value, engine.z[l])
        close(ws.equation("2.2.2", l).value, engine.delta[l])
        fd_close(ws.equation("2.2.2", l).value, [db[l - 1] / n for _, db in per_row])
        close(ws.equation("2.2.3", l).value, engine.dW[l])
        fd_close(ws.equation("2.2.3", l).value, nW[l - 1])
        close(ws.equation("2.2.4", l).value, engine.db[l])
        fd_close(ws.equation("2.2.4", l).value, nb[l - 1])
        close(ws.equation("2.2.5", l).value, engine.dW[l][0, 0])
        fd_close(ws.equation("2.2.5", l).value, nW[l - 1][0, 0])
    assert [e.layer for e in ws.equations if e.number == "2.2.2"] == [2, 1]   # passed down
    assert "A(0) 4×2 · W(1) 2×2 + b(1) 1×2 → Z(1) 4×2" in ws.equation("2.2.1", 1).substituted
    assert "Δ(2) 4×1 · W(2)ᵀ 1×2 → 4×2" in ws.equation("2.2.2", 1).substituted


@pytest.mark.parametrize("epoch", EPOCHS)
def test_2_3_counts_the_parameters_and_times_both_ways(epoch):
    ws, net, *_ = worksheet("2.3", epoch)
    P = sum(p.size for p in net.weights + net.biases)
    assert P == 9
    close([ws.equation(f"2.3.{k}").value for k in (1, 2, 3, 4)], [P, 2 * P, 3, 2 * P / 3])
    t_bp, t_fd, ratio = (ws.equation(f"2.3.{k}").value for k in (5, 6, 7))
    assert t_bp > 0 and t_fd > 0
    close(ratio, t_fd / t_bp)


@pytest.mark.parametrize("epoch", EPOCHS)
def test_2_4_each_gradient_is_a_product_of_slopes_bounded_by_a_quarter_a_layer(epoch):
    ws, net, X, Y = worksheet("2.4", epoch)
    a = net.forward_layers(X)
    dW, _ = net.gradients(X, Y)
    nW, _ = numerical_gradients(net, X, Y)
    twins = [twin(net, hidden) for hidden in ("sigmoid", "tanh", "relu")]
    for l in range(1, 7):
        close(ws.equation("2.4.1", l).value, dW[l - 1][0, 0])
        fd_close(ws.equation("2.4.1", l).value, nW[l - 1][0, 0])
        slopes = np.prod([a[m][:, 0] * (1 - a[m][:, 0]) for m in range(l, 7)], axis=0)
        close(ws.equation("2.4.2", l).value, slopes)
        assert np.all(slopes <= 0.25 ** (7 - l))
        close(ws.equation("2.4.3", l).value, [t.gradients(X, Y)[0][l - 1][0, 0] for t in twins])
        fd_close(ws.equation("2.4.3", l).value,
                 [numerical_gradients(t, X, Y)[0][l - 1][0, 0] for t in twins])
    n = len(X)
    for number, other in (("2.4.4", net), ("2.4.5", twin(net, "sigmoid", "cross_entropy"))):
        close(ws.equation(number).value, other.output_delta(a[-1], Y)[:, 0])
        fd_close(ws.equation(number).value,
                 [db[-1][0] / n for _, db in row_gradients(other, X, Y, referee=True)])
    a6 = a[-1][:, 0]
    close(np.divide(ws.equation("2.4.4").value, ws.equation("2.4.5").value),
          2 * a6 * (1 - a6))                                      # the slope that cancels


def test_2_2_and_2_3_on_digits_show_shapes_one_entry_and_the_predicted_ratio():
    ws, net, X, Y = worksheet("2.2", preset="digits")
    dW, _ = net.gradients(X, Y)
    j, k = np.unravel_index(np.argmax(np.abs(dW[0])), dW[0].shape)
    close(ws.equation("2.2.5", 1).value, dW[0][j, k])
    assert f"[j,k] = [{j + 1},{k + 1}]" in ws.equation("2.2.5", 1).substituted
    assert f"A(0)ᵀ 64×{len(X)} · Δ(1) {len(X)}×32 → 64×32" in ws.equation("2.2.3", 1).substituted
    assert ws.equation("2.2.3", 1).finite_difference is None      # too many to referee
    close(ws.equation("2.2.3", 2).value, dW[1])
    counts, *_ = worksheet("2.3", preset="digits")
    close([counts.equation(f"2.3.{k}").value for k in (1, 2, 4)], [2410, 4820, 4820 / 3])
    assert counts.equation("2.3.5").value > 0 and counts.equation("2.3.6").value > 0
    assert "scaled" in counts.equation("2.3.6").substituted or \
        "all 4,820" in counts.equation("2.3.6").substituted


def test_a_section_that_does_not_fit_says_why_in_one_line():
    for number, preset, reason in (("2.1", "xor", "at least two outputs"),
                                   ("2.4", "xor", "a chain"),
                                   ("2.1", "digits", "sigmoid")):
        net, X, Y, _ = trained(preset, 0)
        with pytest.raises(ExplainError, match=reason) as error:
            explain(number, net, X[:4], Y[:4], preset=preset)
        assert "\n" not in str(error.value)
    with pytest.raises(ExplainError, match="2.4"):
        section("2.9")


# --- the JSON a script reads -----------------------------------------------------------------

def explain_json(capsys, *argv):
    code = main(["explain", *argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))


@pytest.mark.parametrize("number", BEYOND)
def test_explain_json_has_the_shape_of_1_x_with_finite_values(capsys, number):
    doc = explain_json(capsys, number)
    assert set(doc) == {"section", "preset", "epoch", "parameters", "inputs", "targets",
                        "equations", "formulas"}
    assert (doc["section"], doc["preset"], doc["epoch"]) == (number, SECTIONS[number].preset, 0)
    for e in doc["equations"]:
        assert set(e) == {"number", "formula", "value", "layer", "notes_as_written"}
        assert np.all(np.isfinite(np.asarray(e["value"], dtype=float)))
        assert e["notes_as_written"] is None                       # ours: no erratum
    assert {e["number"] for e in doc["equations"]} == set(SECTIONS[number].numbers)
    asked = [q for q in load_lesson(number).questions if q.kind == "formula"]
    assert [f["truth"] for f in doc["formulas"]] == [formula_key(q.answer).truth for q in asked]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def from_json(doc):
    """Weights, biases, X, Y and the forward pass, from the JSON alone."""
    W = [np.array(doc["parameters"][f"w({l})"]) for l in (1, 2)]
    b = [np.array(doc["parameters"][f"b({l})"]) for l in (1, 2)]
    X, Y = np.array(doc["inputs"]), np.array(doc["targets"])
    a1 = sigmoid(X @ W[0] + b[0])
    a2 = sigmoid(a1 @ W[1] + b[1])
    return W, b, X, Y, a1, a2


def values(doc):
    return {(e["number"], e["layer"]): np.array(e["value"]) for e in doc["equations"]}


@pytest.mark.parametrize("epoch", ["0", "200"])
def test_2_1_recomputed_from_the_json_alone(capsys, epoch):
    doc = explain_json(capsys, "2.1", "--epoch", epoch)
    W, _, X, Y, a1, a2 = from_json(doc)
    got, n = values(doc), len(X)
    out_err = 2 * (a2 - Y) * a2 * (1 - a2)
    hidden = out_err @ W[1].T
    hid_err = hidden * a1 * (1 - a1)
    close(got["2.1.1", None], out_err, rtol=1e-10)
    close(got["2.1.2", None], hidden, rtol=1e-10)
    close(got["2.1.3", None], hid_err, rtol=1e-10)
    shares = [np.mean(out_err[:, k] * W[1][0, k] * a1[:, 0] * (1 - a1[:, 0]) * X[:, 0])
              for k in (0, 1)]
    close(got["2.1.4", None], shares, rtol=1e-10)
    close(got["2.1.5", None], X.T @ hid_err / n, rtol=1e-10)
    close(got["2.1.6", None], a1.T @ out_err / n, rtol=1e-10)
    close(got["2.1.7", 1], hid_err.mean(axis=0), rtol=1e-10)
    close(got["2.1.7", 2], out_err.mean(axis=0), rtol=1e-10)


@pytest.mark.parametrize("epoch", ["0", "200"])
def test_2_2_recomputed_from_the_json_alone(capsys, epoch):
    doc = explain_json(capsys, "2.2", "--epoch", epoch)
    W, b, X, Y, a1, a2 = from_json(doc)
    got, n = values(doc), len(X)
    D2 = 2 / n * (a2 - Y) * a2 * (1 - a2)
    D1 = (D2 @ W[1].T) * a1 * (1 - a1)
    for l, A0, Z, D in ((1, X, X @ W[0] + b[0], D1), (2, a1, a1 @ W[1] + b[1], D2)):
        close(got["2.2.1", l], Z, rtol=1e-10)
        close(got["2.2.2", l], D, rtol=1e-10)
        close(got["2.2.3", l], A0.T @ D, rtol=1e-10)
        close(got["2.2.4", l], D.sum(axis=0), rtol=1e-10)
        close(got["2.2.5", l], sum(A0[i, 0] * D[i, 0] for i in range(n)), rtol=1e-10)


# --- the questions ---------------------------------------------------------------------------

def questions():
    return [(number, q) for number in BEYOND for q in load_lesson(number).questions]


def engine_answers(net, X, Y, eta):
    """What every non-formula question of 2.1-2.4 asks for, from the engine's own API."""
    a, (dW, _) = net.forward_layers(X), net.gradients(X, Y)
    P, n = sum(p.size for p in net.weights + net.biases), len(X)

    def through_output(k):
        Yk = net.forward(X).copy()
        Yk[:, k] = Y[:, k]
        return net.gradients(X, Yk)[0][0][0, 0]

    return {
        "2.1.2[4,1]": lambda: net.gradients(X[3:4], Y[3:4])[1][1] @ net.weights[1][0],
        "2.1.4[1]": lambda: through_output(0),
        "larger path": lambda: "output 1" if abs(through_output(0)) > abs(through_output(1))
        else "output 2",
        "2.2.2 l=1[1,1]": lambda: Pass(net, X, Y).forward().backward().delta[1][0, 0],
        "2.2.3 l=1[2,1]": lambda: dW[0][1, 0],
        "multiplications 2.2.3 l=1": lambda: net.sizes[0] * n * net.sizes[1],
        "2.3.1": lambda: P, "2.3.2": lambda: 2 * P, "2.3.4": lambda: 2 * P / 3,
        "reused": lambda: "the error from the layer above",
        "2.4.2 l=1[1]": lambda: np.prod([a[m][0, 0] * (1 - a[m][0, 0])
                                         for m in range(1, len(a))]),
        "largest weight step": lambda: f"w({int(np.argmax([abs(g[0, 0]) for g in dW])) + 1})",
        "step w(1)": lambda: -eta * dW[0][0, 0],
        "2.4.5[2]": lambda: twin(net, "sigmoid", "cross_entropy").output_delta(a[-1], Y)[1, 0],
    }


@pytest.mark.parametrize("epoch", EPOCHS)
@pytest.mark.parametrize("number, question", questions(),
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_each_answer_key_grades_the_engines_value_right_and_0_and_double_wrong(number,
                                                                               question, epoch):
    ws, net, X, Y = worksheet(number, epoch)
    live = ws.live_values()

    def right(text: str) -> bool:
        return grade(question, text, live).correct

    if question.kind == "formula":
        truth = formula_key(question.answer).row
        assert right(truth) and right(f"2 ({truth}) / 2")
        assert not right("0") and not right(f"2 ({truth})")
        return
    expected = engine_answers(net, X, Y, ws.learning_rate)[question.answer]()
    if question.kind == "number":
        assert float(expected) != 0
        assert right(repr(float(expected)))
        assert not right("0") and not right(repr(2 * float(expected)))
    elif question.kind == "sign":
        assert float(expected) != 0
        assert right("+" if expected > 0 else "-") and not right("-" if expected > 0 else "+")
        assert not right("0")
    else:
        assert right(expected)
        wrong = [c for c in question.choices if c != expected]
        assert not all(right(c) for c in wrong)
        assert not any(right(c) for c in wrong) or grade(question, wrong[0], live).note
