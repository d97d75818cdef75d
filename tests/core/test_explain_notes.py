"""The notes' equations on the live network (core.explain.notes) against the engine and
the finite-difference referee, and ``python -m core explain`` as a script user meets it."""

import functools
import json

import numpy as np
import pytest

from core import Network, numerical_gradients
from core.cli import main
from core.explain.notes import SECTIONS, ExplainError, explain, explain_snapshot
from core.presets.schema import load_preset
from core.session import Session, explain_preset

EPOCHS = (0, 7, 150)
ERRING = {"1.4.2", "1.4.3", "1.5.7", "1.5.12", "1.5.13",
          "1.7.2 l=1", "1.7.2 l=2", "1.7.3 l=1", "1.7.3 l=2", "1.7.4 l=1"}
ALL_NUMBERS = {"1.0.1", *(f"1.1.{k}" for k in range(1, 7)), *(f"1.2.{k}" for k in range(1, 4)),
               *(f"1.3.{k}" for k in range(1, 8)), *(f"1.4.{k}" for k in range(1, 8)),
               *(f"1.5.{k}" for k in range(1, 14)), *(f"1.6.{k}" for k in range(1, 5)),
               *(f"1.7.{k}" for k in range(1, 5))}


def close(value, expected, rtol=1e-12, atol=1e-15):
    np.testing.assert_allclose(np.asarray(value, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=atol)


def fd_close(value, estimate):
    close(value, estimate, rtol=1e-6, atol=1e-8)


@functools.cache
def trained(preset: str, epoch: int):
    """(network, X, Y, snapshot) of ``preset`` after ``epoch`` epochs, through a Session."""
    preset_ = load_preset(preset)
    with Session(preset_) as session:
        snapshot = session.step(epoch) if epoch else session.snapshot()
    net = preset_.build_network()
    for live, value in zip(net.weights + net.biases, [*snapshot.weights, *snapshot.biases]):
        live[...] = value
    return net, np.array(snapshot.X_train), np.array(snapshot.Y_train), snapshot


def worksheet(section: str, preset: str | None = None, epoch: int = 0, **kw):
    net, X, Y, snapshot = trained(preset or SECTIONS[section].preset, epoch)
    return explain(section, net, X, Y, preset=preset or SECTIONS[section].preset, epoch=epoch,
                   learning_rate=snapshot.learning_rate, **kw), net, X, Y


def moved_forward(net, X, array, index, h):
    """Every layer's activations with one parameter entry moved by h (engine forward)."""
    other = net.copy()
    target = (other.weights + other.biases)[array]
    target[index] += h
    return other.forward_layers(X)


def fd_activation(net, X, array, index, layer, h=1e-6):
    up = moved_forward(net, X, array, index, h)[layer]
    down = moved_forward(net, X, array, index, -h)[layer]
    return (up - down) / (2 * h)


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def cost_from(net, l, a, Y):
    """Plain numpy: the cost with the network run on from a(l)."""
    for w, b in zip(net.weights[l:], net.biases[l:]):
        a = sig(a @ w + b)
    return float(np.sum((a - Y) ** 2)) / len(Y)


# --- every section against the engine ---------------------------------------------------------

@pytest.mark.parametrize("epoch", EPOCHS)
def test_1_0_and_1_1_equal_backprop_and_finite_differences(epoch):
    ws, net, X, Y = worksheet("1.1", epoch=epoch)
    dW, _ = net.gradients(X, Y)
    nW, _ = numerical_gradients(net, X, Y)
    close(ws.equation("1.1.1").value, net.loss(X, Y))
    for k in range(2, 7):
        close(ws.equation(f"1.1.{k}").value, dW[0][0, 0])
        fd_close(ws.equation(f"1.1.{k}").value, nW[0][0, 0])
    ws0, *_ = worksheet("1.0", epoch=epoch)
    close(ws0.equation("1.0.1").value, dW[0][0, 0])
    fd_close(ws0.equation("1.0.1").finite_difference, dW[0][0, 0])


def test_1_1_never_shows_sigma_or_a_bias():
    ws, *_ = worksheet("1.1")
    text = ws.to_markdown()
    assert "σ" not in text and "b(" not in text and "bias" not in text.replace("no bias", "")
    assert ws.parameters.keys() == {"w(1)"}


def test_1_0_epsilon_series_falls_then_rises():
    ws, net, X, Y = worksheet("1.0", epsilon=1e-3)
    study = ws.epsilon
    assert [p.epsilon for p in study.series] == pytest.approx([10.0 ** -k for k in range(1, 13)])
    errors = [p.one_sided_error for p in study.series]
    best = int(np.argmin(errors))
    assert 0 < best < len(errors) - 1 and errors[0] > errors[best] < errors[-1]
    assert study.at.central_error < study.at.one_sided_error
    w = net.weights[0][0, 0]
    C = lambda v: float(np.mean((X[:, 0] * v - Y[:, 0]) ** 2))  # noqa: E731
    close(study.at.one_sided, (C(w + 1e-3) - C(w)) / 1e-3, rtol=1e-9)
    with pytest.raises(ExplainError, match="epsilon"):
        worksheet("1.0", epsilon=0.0)


@pytest.mark.parametrize("epoch", EPOCHS)
@pytest.mark.parametrize("preset", ["or", "nand"])
def test_1_2_and_1_3_equal_the_engine(preset, epoch):
    ws2, net, X, Y = worksheet("1.2", preset, epoch)
    a = net.forward_layers(X)[1][:, 0]
    close(ws2.equation("1.2.1").value, a)
    close(ws2.equation("1.2.2").value, a)
    close(ws2.equation("1.2.3").value, a * (1 - a))
    fd_close(ws2.equation("1.2.3").value, ws2.equation("1.2.3").finite_difference)
    ws, *_ = worksheet("1.3", preset, epoch)
    dW, dB = net.gradients(X, Y)
    nW, nB = numerical_gradients(net, X, Y)
    close(ws.equation("1.3.1").value, a)
    close(ws.equation("1.3.2").value, net.loss(X, Y))
    for number, exact, estimate in (("1.3.3", dW[0][0, 0], nW[0][0, 0]),
                                    ("1.3.4", dW[0][0, 0], nW[0][0, 0]),
                                    ("1.3.5", dW[0][0, 0], nW[0][0, 0]),
                                    ("1.3.6", dW[0][1, 0], nW[0][1, 0]),
                                    ("1.3.7", dB[0][0], nB[0][0])):
        close(ws.equation(number).value, exact)
        fd_close(ws.equation(number).value, estimate)
    assert "x1" in ws.notation[0] and "x2" in ws.notation[0] and "target" in ws.notation[0]


@pytest.mark.parametrize("epoch", EPOCHS)
def test_1_4_equals_the_engine_and_its_finite_differences(epoch):
    ws, net, X, _ = worksheet("1.4", epoch=epoch)
    acts = net.forward_layers(X)
    a1, a2 = acts[1][:, 0], acts[2][:, 0]
    close(ws.equation("1.4.1").value, a1)
    close(ws.equation("1.4.4").value, a2)
    # arrays: 0 = w(1), 1 = w(2), 2 = b(1), 3 = b(2)
    fd_close(ws.equation("1.4.2").value, fd_activation(net, X, 0, (0, 0), 1)[:, 0])
    fd_close(ws.equation("1.4.3").value, fd_activation(net, X, 2, 0, 1)[:, 0])
    fd_close(ws.equation("1.4.5").value, fd_activation(net, X, 1, (0, 0), 2)[:, 0])
    fd_close(ws.equation("1.4.6").value, fd_activation(net, X, 3, 0, 2)[:, 0])
    w2, b2 = net.weights[1][0, 0], net.biases[1][0]
    h = 1e-6
    fd_link = (sig((a1 + h) * w2 + b2) - sig((a1 - h) * w2 + b2)) / (2 * h)
    fd_close(ws.equation("1.4.7").value, fd_link)


@pytest.mark.parametrize("epoch", EPOCHS)
def test_1_5_equals_the_engine_and_its_finite_differences(epoch):
    ws, net, X, Y = worksheet("1.5", epoch=epoch)
    dW, dB = net.gradients(X, Y)
    nW, nB = numerical_gradients(net, X, Y)
    close(ws.equation("1.5.1").value, net.loss(X, Y))
    for number, exact, estimate in (
            *((f"1.5.{k}", dW[1][0, 0], nW[1][0, 0]) for k in (2, 3, 4)),
            ("1.5.5", dB[1][0], nB[1][0]),
            *((f"1.5.{k}", dW[0][0, 0], nW[0][0, 0]) for k in (9, 10, 11, 12)),
            ("1.5.13", dB[0][0], nB[0][0])):
        close(ws.equation(number).value, exact)
        fd_close(ws.equation(number).value, estimate)
    a1 = net.forward_layers(X)[1]
    h = 1e-6
    shift = (cost_from(net, 1, a1 + h, Y) - cost_from(net, 1, a1 - h, Y)) / (2 * h)
    fd_close(ws.equation("1.5.6").value, shift)
    # the target e_i makes C(1)'s gradient, e_i held fixed, the real one (1.5.9)
    e = np.array(ws.equation("1.5.7").value)
    x, w1, b1 = X[:, 0], net.weights[0][0, 0], net.biases[0][0]
    C1 = lambda w: float(np.mean((sig(x * w + b1) - e) ** 2))  # noqa: E731
    close(ws.equation("1.5.8").value, C1(w1))
    fd_close(ws.equation("1.5.9").value, (C1(w1 + h) - C1(w1 - h)) / (2 * h))


@pytest.mark.parametrize("epoch", EPOCHS)
@pytest.mark.parametrize("preset", ["xor", "chain", "or"])
def test_1_6_and_1_7_equal_the_engine_per_layer(preset, epoch):
    ws6, net, X, Y = worksheet("1.6", preset, epoch)
    ws7, *_ = worksheet("1.7", preset, epoch)
    acts = net.forward_layers(X)
    dW, dB = net.gradients(X, Y)
    nW, nB = numerical_gradients(net, X, Y)
    L = len(net.weights)
    assert [e.layer for e in ws6.equations] == [l for _ in range(4) for l in range(1, L + 1)]
    for l in range(1, L + 1):
        a = acts[l]
        close(ws6.equation("1.6.1", l).value, a)
        close(ws6.equation("1.6.3", l).value, a * (1 - a))
        for j in range(net.sizes[l - 1]):
            for k in range(net.sizes[l]):
                fd_close(np.array(ws6.equation("1.6.2", l).value)[:, j, k],
                         fd_activation(net, X, l - 1, (j, k), l)[:, k])
        for k in range(net.sizes[l]):
            fd_close(np.array(ws6.equation("1.6.3", l).value)[:, k],
                     fd_activation(net, X, L + l - 1, k, l)[:, k])
        close(ws7.equation("1.7.2", l).value, dW[l - 1])
        close(ws7.equation("1.7.3", l).value, dB[l - 1])
        fd_close(ws7.equation("1.7.2", l).value, nW[l - 1])
        fd_close(ws7.equation("1.7.3", l).value, nB[l - 1])
        h = 1e-6
        fd_shift = [(cost_from(net, l - 1, acts[l - 1] + h * np.eye(net.sizes[l - 1])[j], Y)
                     - cost_from(net, l - 1, acts[l - 1] - h * np.eye(net.sizes[l - 1])[j], Y))
                    / (2 * h) for j in range(net.sizes[l - 1])]
        fd_close(ws7.equation("1.7.4", l).value, fd_shift)
    close(ws7.equation("1.7.1", L).value, net.loss(X, Y))


# --- where the notes err ---------------------------------------------------------------------

@pytest.mark.parametrize("epoch", EPOCHS)
def test_notes_as_written_differs_exactly_where_the_notes_err(epoch):
    erring = set()
    for number in SECTIONS:
        ws, *_ = worksheet(number, epoch=epoch)
        for e in ws.equations:
            if e.notes_as_written is None:
                continue
            erring.add(e.key)
            assert e.wrong and e.corrected and e.finite_difference is not None
            assert not np.allclose(np.asarray(e.notes_as_written).ravel()[:np.size(e.value)]
                                   if np.shape(e.notes_as_written) != np.shape(e.value)
                                   else e.notes_as_written, e.value, rtol=1e-3, atol=1e-9)
            fd_close(e.value, e.finite_difference)
    assert erring == ERRING


def test_notes_1_5_12_and_1_7_2_as_written_evaluated_independently():
    ws, net, X, Y = worksheet("1.5")
    a1, a2 = (acts := net.forward_layers(X))[1][:, 0], acts[2][:, 0]
    d = (a2 - Y[:, 0]) * a2 * (1 - a2) * net.weights[1][0, 0]
    close(ws.equation("1.5.12").notes_as_written, np.mean(2 * d * X[:, 0]))
    close(ws.equation("1.5.13").notes_as_written, np.mean(2 * d))
    close(ws.equation("1.5.7").notes_as_written, [np.mean(2 * d)] * len(X))
    ws7, net, X, Y = worksheet("1.7")
    a1 = net.forward_layers(X)[1]
    close(ws7.equation("1.7.2", 1).notes_as_written, 2 * X.T @ (a1 - Y) / len(X))


# --- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("section, preset, message", [
    ("1.1", "or", "1-1"), ("1.2", "twice", "sigmoid"), ("1.3", "xor", "single neuron"),
    ("1.4", "xor", "1-1-1"), ("1.5", "or", "1-1-1"), ("1.6", "twice", "sigmoid"),
    ("1.7", "adder", "1 output"), ("1.3", "gaussians", "mean squared error")])
def test_sections_refuse_networks_their_notation_does_not_fit(section, preset, message):
    with pytest.raises(ExplainError, match=message) as error:
        explain_preset(section, preset)
    assert "\n" not in str(error.value) and preset in str(error.value)


@pytest.mark.parametrize("section", ["1.6", "1.7"])
def test_the_general_sections_refuse_networks_too_large_to_show(section):
    """Every weight of 1.6/1.7 is on screen: a 2-16-16-1 network (337 parameters) is refused
    in one line naming the count, rather than computed (finite differences and all)."""
    net = Network([2, 16, 16, 1], seed=0)
    count = sum(a.size for a in net.parameters())
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(ExplainError, match=f"has {count}") as error:
        explain(section, net, X, Y, preset="big")
    assert "\n" not in str(error.value)
    explain(section, Network([2, 2, 1], seed=0), X, Y)     # a small one is shown


def test_a_snapshot_and_a_trained_preset_give_the_same_worksheet():
    preset = load_preset("chain")
    with Session(preset) as session:
        snapshot = session.step(12)
        from_snapshot = explain_snapshot("1.5", snapshot, session.preset)
    assert from_snapshot.to_json() == explain_preset("1.5", "chain", 12).to_json()


# --- the command line ------------------------------------------------------------------------

def no_constants(name):
    raise AssertionError(f"JSON holds {name}")


def explain_json(capsys, *argv):
    code = main(["explain", *argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out, parse_constant=no_constants)


def test_explain_json_covers_all_45_equations_with_finite_values(capsys):
    seen = set()
    for number, info in SECTIONS.items():
        if not number.startswith("1."):    # ours, beyond the notes: test_beyond_the_notes
            continue
        doc = explain_json(capsys, number)
        assert set(doc) == {"section", "preset", "epoch", "parameters", "inputs", "targets",
                            "equations", "formulas"}
        assert (doc["section"], doc["preset"], doc["epoch"]) == (number, info.preset, 0)
        for e in doc["equations"]:
            assert set(e) == {"number", "formula", "value", "layer", "notes_as_written"}
            assert np.all(np.isfinite(np.asarray(e["value"], dtype=float)))
            assert (e["layer"] is not None) == (number in ("1.6", "1.7"))  # general notation
            seen.add(e["number"])
        assert {e["number"] for e in doc["equations"]} == set(info.numbers)
    assert seen == ALL_NUMBERS and len(seen) == 45


def test_twice_json_has_no_bias(capsys):
    doc = explain_json(capsys, "1.1")
    assert list(doc["parameters"]) == ["w(1)"] and doc["inputs"][:2] == [[0.0], [1.0]]


@pytest.mark.parametrize("epoch", ["0", "40"])
def test_json_values_agree_with_an_independent_recomputation(capsys, epoch):
    # 1.1.6 from the reported w and data
    doc = explain_json(capsys, "1.1", "--epoch", epoch)
    x, y = np.array(doc["inputs"])[:, 0], np.array(doc["targets"])[:, 0]
    w = doc["parameters"]["w(1)"][0][0]
    eq = {e["number"]: e for e in doc["equations"]}
    assert eq["1.1.6"]["value"] == pytest.approx(np.mean(2 * (x * w - y) * x), rel=1e-12)
    # 1.3.5-1.3.7 for one neuron: x, y inputs, z target
    doc = explain_json(capsys, "1.3", "--epoch", epoch)
    X, z = np.array(doc["inputs"]), np.array(doc["targets"])[:, 0]
    w1, w2 = (v[0] for v in doc["parameters"]["w(1)"])
    b = doc["parameters"]["b(1)"][0]
    a = 1 / (1 + np.exp(-(w1 * X[:, 0] + w2 * X[:, 1] + b)))
    eq = {e["number"]: e for e in doc["equations"]}
    g = 2 * (a - z) * a * (1 - a)
    for number, factor in (("1.3.5", X[:, 0]), ("1.3.6", X[:, 1]), ("1.3.7", 1.0)):
        assert eq[number]["value"] == pytest.approx(np.mean(g * factor), rel=1e-10, abs=1e-15)
    # 1.5.x for the chain
    doc = explain_json(capsys, "1.5", "--epoch", epoch)
    p = {k: np.array(v, dtype=float).ravel()[0] for k, v in doc["parameters"].items()}
    x, y = np.array(doc["inputs"])[:, 0], np.array(doc["targets"])[:, 0]
    a1 = 1 / (1 + np.exp(-(x * p["w(1)"] + p["b(1)"])))
    a2 = 1 / (1 + np.exp(-(a1 * p["w(2)"] + p["b(2)"])))
    s1, s2 = a1 * (1 - a1), a2 * (1 - a2)
    d = (a2 - y) * s2 * p["w(2)"]
    expected = {"1.5.1": np.mean((a2 - y) ** 2), "1.5.6": np.mean(2 * d),
                "1.5.7": a1 - d, "1.5.8": np.mean(d ** 2),
                "1.5.12": np.mean(2 * d * s1 * x), "1.5.13": np.mean(2 * d * s1)}
    for k in (2, 3, 4):
        expected[f"1.5.{k}"] = np.mean(2 * (a2 - y) * s2 * a1)
    expected["1.5.5"] = np.mean(2 * (a2 - y) * s2)
    for k in (9, 10, 11):
        expected[f"1.5.{k}"] = expected["1.5.12"]
    notes = {"1.5.7": [np.mean(2 * d)] * len(x), "1.5.12": np.mean(2 * d * x),
             "1.5.13": np.mean(2 * d)}
    for e in doc["equations"]:
        close(e["value"], expected[e["number"]], rtol=1e-10, atol=1e-15)
        if e["number"] in notes:
            close(e["notes_as_written"], notes[e["number"]], rtol=1e-10, atol=1e-15)
        else:
            assert e["notes_as_written"] is None
    # 1.7.x for xor, layer by layer
    doc = explain_json(capsys, "1.7", "--epoch", epoch)
    X, Y = np.array(doc["inputs"]), np.array(doc["targets"])
    Ws = [np.array(doc["parameters"][f"w({l})"]) for l in (1, 2)]
    Bs = [np.array(doc["parameters"][f"b({l})"]) for l in (1, 2)]
    acts = [X]
    for W, B in zip(Ws, Bs):
        acts.append(1 / (1 + np.exp(-(acts[-1] @ W + B))))
    n = len(X)
    err = {2: acts[2] - Y}
    err[1] = (err[2] * acts[2] * (1 - acts[2])) @ Ws[1].T
    for e in doc["equations"]:
        l = e["layer"]
        s = acts[l] * (1 - acts[l])
        delta = err[l] * s
        want = {"1.7.1": np.sum(err[l] ** 2) / n, "1.7.2": 2 * acts[l - 1].T @ delta / n,
                "1.7.3": 2 * delta.sum(axis=0) / n,
                "1.7.4": 2 * (delta @ Ws[l - 1].T).sum(axis=0) / n}[e["number"]]
        close(e["value"], want, rtol=1e-10, atol=1e-15)


def test_explain_markdown_is_a_handout(capsys):
    assert main(["explain", "1.5", "chain", "--epoch", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 1.5 ") and "after 3 epochs" in out
    assert out.count("## (1.5.") == 13 and out.count("**The notes err here:**") == 3


@pytest.mark.parametrize("argv, message", [
    (["1.9"], "section"), (["1.4", "xor"], "1-1-1"), (["1.1", "nope"], "unknown preset"),
    (["1.1", "--epoch", "-2"], "--epoch"), (["1.1", "--epoch", "x"], "--epoch"),
    (["1.0", "--epsilon", "0"], "epsilon"), (["1.0", "--epsilon", "tiny"], "got 'tiny'")])
def test_explain_bad_input_is_one_error_line_and_exit_2(capsys, argv, message):
    code = main(["explain", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith("error:") and message in err
    assert len(err.strip().splitlines()) == 1
