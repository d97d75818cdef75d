"""Every formula key, graded as a tutor would: the true expression, rearrangements of it
and its per-row form are right on the live network and 20 random ones; the notes' erring
form and the common slips (the 2 dropped, x and a(1) swapped, the sign flipped, σ' or the
downstream weight missing, the 1/n, a sum where one row is asked) are wrong, each with its
diagnosis. The truth is the engine's own gradient row by row (``Network.gradients``)."""

from __future__ import annotations

import numpy as np
import pytest

from core.explain.formula import KEYS, NetworkState, check_formula
from core.presets.schema import load_preset

PRESET = {"1.1": "twice", "1.2": "or", "1.3": "or", "1.4": "chain", "1.5": "chain",
          "1.6": "xor", "1.7": "xor", "2.1": "fork", "2.2": "xor", "2.4": "deep-chain"}


def live_state(preset: str, seed: int = 0) -> NetworkState:
    """A preset's network from ``seed`` (random biases, as after some training) on its rows."""
    net = load_preset(preset).build_network(seed=seed)
    data = load_preset(preset).load_data()
    rng = np.random.default_rng(seed)
    biases = tuple(rng.normal(0, 1, b.shape) if net.bias else b for b in net.biases)
    return NetworkState(tuple(net.weights), biases, data.X_train, data.Y_train, net.bias, 0.5)


def check(key: str, text: str):
    return check_formula(KEYS[key], text, live_state(PRESET[KEYS[key].section]))


REARRANGED = {
    "1.1.6": ["2x(xw - y)", "(2/n) Σ(x² w) − (2/n)·Σ(x y)"],
    "1.2.3": ["a - a^2", "exp(-z) / (1 + exp(-z))**2"],
    "1.3.5": ["2 x a (1 - a)(a - z)", "(2/n) Σ((a − a²)(a − z) x)"],
    "1.4.2": ["x a1 - x a1^2", "σ'(z(1)) x_i"],
    "1.5.4": ["2 a1 a2 (1 − a2)(a2 − y)", "(2/n)·Σ(a_i(1) σ'(z_i(2)) (a_i(2) − y_i))"],
    "1.5.12": ["2(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) x",
               "2 x w(2) σ'(z(1)) σ'(z(2)) (a(2) − y)"],
    "1.6.2 l=2[1,1]": ["a(1)[1] σ'(z(2))", "a1[1] a2 - a1[1] a2²"],
    "1.7.2 l=2[1,1]": ["2 a1[1] (a2 - y) σ'(z2)",
                       "(2/n) Σ(a(1)[1] a(2) (1 − a(2)) (a(2) − y))"],
    "1.7.2 l=1[1,1]": ["2 x1 w2[1] σ'(z1[1]) σ'(z2) (a2 - y)",
                       "2(a_i(2) − y_i) a_i(2)(1 − a_i(2)) w(2)[1,1] a_i(1)[1](1 − a_i(1)[1]) "
                       "x_i[1]"],
    "1.7.4 l=2[1]": ["2 w2[1] σ'(z2) (a2 - y)", "-2 (y - a2) a2 (1 - a2) w(2)[1]"],
    "2.1.2[i,1]": ["2 w2[1,2] σ'(z2[2]) (a2[2] - y2) + 2 w2[1,1] σ'(z2[1]) (a2[1] - y1)",
                   "2((a2[1] - y[1]) a2[1] (1 - a2[1]) w(2)[1,1] "
                   "+ (a2[2] - y[2]) a2[2] (1 - a2[2]) w(2)[1,2])"],
    "2.2.2 l=1[i,1]": ["2 (a2 - y) σ'(z2) w2[1] σ'(z1[1]) / n",
                       "(2/n) w(2)[1,1] (a2 - y) (a2 - a2²) (a1[1] - a1[1]^2)"],
    "2.4.1 l=5": ["2(a6 - y) σ'(z6) w6 σ'(z5) a4",
                  "(2/n) Σ(a4 w6 a5 (1 - a5) a6 (1 - a6) (a6 - y))"],
}

SLIPPED = {     # key: [(wrong answer, the slips its diagnosis names)]
    "1.1.6": [("(x w - y) x", {"factor_two"}), ("2(y - x w) x", {"sign"}),
              ("Σ(2(x w - y) x)", {"one_over_n"})],
    "1.2.3": [("σ(z)(σ(z) - 1)", {"sign"})],
    "1.3.5": [("(a - z) a (1 - a) x", {"factor_two"}), ("2(z - a) a (1 - a) x", {"sign"}),
              ("2(a - z) x", {"sigma_prime"})],
    "1.4.2": [("a(1)(1 - a(1)) a(1)", {"x_for_a"}), ("-a1 (1 - a1) x", {"sign"}),
              ("x", {"sigma_prime"}), ("(1/n) Σ(a1 (1 - a1) x)", {"per_row_vs_summed"})],
    "1.5.4": [("(a2 - y) a2 (1 - a2) a1", {"factor_two"}),
              ("2(a2 - y) a2 (1 - a2) x", {"x_for_a"}), ("2(y - a2) a2 (1 - a2) a1", {"sign"}),
              ("2(a2 - y) a1", {"sigma_prime"})],
    "1.5.12": [("(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) x", {"factor_two"}),
               ("2(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) a1", {"x_for_a"}),
               ("2(y - a2) a2 (1 - a2) w2 a1 (1 - a1) x", {"sign"}),
               ("2(a2 - y) a2 (1 - a2) a1 (1 - a1) x", {"downstream_weight"}),
               ("Σ(2(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) x)", {"one_over_n"}),
               ("2(a2 - y) w2 a1 (1 - a1) x", {"sigma_prime"}),
               ("(1/n) Σ(2(a2 - y) a2 (1 - a2) w2) a1 (1 - a1) x", {"per_row_vs_summed"})],
    "1.6.2 l=2[1,1]": [("a2 (1 - a2) x1", {"x_for_a"}), ("a2 (a2 - 1) a1[1]", {"sign"}),
                       ("a1[1]", {"sigma_prime"})],
    "1.7.2 l=2[1,1]": [("(a2 - y) a2 (1 - a2) a1[1]", {"factor_two"}),
                       ("2(a2 - y) a2 (1 - a2) x1", {"x_for_a"}),
                       ("2(y - a2) a2 (1 - a2) a1[1]", {"sign"})],
    "1.7.2 l=1[1,1]": [("(a2 - y) a2 (1 - a2) w2[1] a1[1] (1 - a1[1]) x1", {"factor_two"}),
                       ("2(a2 - y) a2 (1 - a2) w2[1] a1[1] (1 - a1[1]) a1[1]", {"x_for_a"}),
                       ("-2(a2 - y) a2 (1 - a2) w2[1] a1[1] (1 - a1[1]) x1", {"sign"}),
                       ("2(a2 - y) a2 (1 - a2) a1[1] (1 - a1[1]) x1", {"downstream_weight"}),
                       ("2(a2 - y) a2 (1 - a2) w2[1] x1", {"sigma_prime"}),
                       ("(2/n) Σ((a2 - y) a2 (1 - a2) w2[1]) a1[1] (1 - a1[1]) x1",
                        {"per_row_vs_summed"})],
    "1.7.4 l=2[1]": [("(a2 - y) a2 (1 - a2) w2[1]", {"factor_two"}),
                     ("2(y - a2) a2 (1 - a2) w2[1]", {"sign"}),
                     ("2(a2 - y) a2 (1 - a2)", {"downstream_weight"}),
                     ("2(a2 - y) w2[1]", {"sigma_prime"})],
    "2.1.2[i,1]": [("(a2[1] - y1) σ'(z2[1]) w2[1,1] + (a2[2] - y2) σ'(z2[2]) w2[1,2]",
                    {"factor_two"}),
                   ("2(y1 - a2[1]) σ'(z2[1]) w2[1,1] + 2(y2 - a2[2]) σ'(z2[2]) w2[1,2]",
                    {"sign"})],
    "2.2.2 l=1[i,1]": [("2 (a2 - y) σ'(z2) w2[1] σ'(z1[1])", {"one_over_n"}),
                       ("(2/n)(a2 - y) σ'(z2) w2[1]", {"sigma_prime"}),
                       ("(2/n)(a2 - y) σ'(z2) σ'(z1[1])", {"downstream_weight"})],
    "2.4.1 l=5": [("2(a6 - y) σ'(z6) w6 σ'(z5) x", {"x_for_a"}),
                  ("2(a6 - y) σ'(z6) σ'(z5) a4", {"downstream_weight"}),
                  ("2(a6 - y) w6 σ'(z5) a4", {"sigma_prime"}),
                  ("(a6 - y) σ'(z6) w6 σ'(z5) a4", {"factor_two"})],
}


def test_every_key_has_its_cases():
    assert set(REARRANGED) == set(SLIPPED) == set(KEYS)
    assert {k.section for k in KEYS.values()} == set(PRESET)
    for number in ("1.4.2", "1.5.12", "1.7.2 l=1[1,1]", "1.7.4 l=2[1]"):
        assert KEYS[number].notes is not None


@pytest.mark.parametrize("key", list(KEYS))
def test_the_truth_its_per_row_form_and_rearrangements_are_right(key):
    for text in (KEYS[key].truth, KEYS[key].row, *REARRANGED[key]):
        verdict = check(key, text)
        assert verdict.correct and verdict.diagnosis is None, (key, text)
        assert "20 random networks" in verdict.working


@pytest.mark.parametrize("key", list(KEYS))
def test_slips_are_wrong_and_named(key):
    for text, slips in SLIPPED[key]:
        verdict = check(key, text)
        assert not verdict.correct, (key, text)
        assert set(verdict.diagnosis.slips) == slips, (key, text, verdict.diagnosis.text)


@pytest.mark.parametrize("key", [k for k in KEYS if KEYS[k].notes is not None])
def test_the_notes_form_is_wrong_with_its_diagnosis(key):
    notes = KEYS[key].notes
    verdict = check(key, notes.row)
    assert not verdict.correct
    assert set(verdict.diagnosis.slips) == set(notes.slips)
    assert notes.note in verdict.diagnosis.text
    if key != "1.7.4 l=2[1]":                 # the notes' 1.7.4 sums where one row is asked
        assert "sigma_prime" in verdict.diagnosis.slips and "σ' missing" in \
            verdict.diagnosis.text


def test_summed_answers_are_the_engines_gradient():
    state = live_state("chain")
    net = load_preset("chain").build_network()
    for live, value in zip(net.weights + net.biases, [*state.weights, *state.biases]):
        live[...] = value
    dW, _ = net.gradients(state.X, state.Y)
    exact = float(dW[0][0, 0])
    key = KEYS["1.5.12"]
    assert check_formula(key, f"{exact!r}", state).working.count(f"{exact:.6g}") >= 1
    # a number equal to today's gradient is right on no other network
    assert not check_formula(key, repr(exact), state).correct


def test_a_constant_for_sigma_prime_is_wrong_even_where_it_is_right_now():
    state = live_state("or")
    state = NetworkState(state.weights, tuple(np.zeros_like(b) for b in state.biases),
                         np.zeros_like(state.X), state.Y, True, 0.5)     # z = 0: σ' = 1/4
    verdict = check_formula(KEYS["1.2.3"], "1/4", state)
    assert not verdict.correct and "truth [0.25, 0.25, 0.25, 0.25]" in verdict.working
    assert "constant 0.25 on every row of every network" in verdict.diagnosis.text
    assert "random network" in verdict.diagnosis.text


def test_an_answer_right_only_on_the_live_data_is_wrong():
    # twice's rows have y = 2x exactly, so 2x²(w − 2) equals the truth there and nowhere else
    verdict = check("1.1.6", "2 x² (w − 2)")
    assert not verdict.correct
    assert "it equals the truth on the live network" in verdict.diagnosis.text


def test_where_no_slip_fits_the_factor_it_misses_is_named():
    quarter = check("1.5.12", "2(a2 - y) a2 (1 - a2) w2 x / 4")
    assert quarter.diagnosis.text == ("Where the true product has a(1) (1 - a(1)), yours has "
                                      "the constant 0.25.")
    other = check("1.5.12", "2(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) b1")
    assert other.diagnosis.text == "Where the true product has x, yours has b(1)."
    lost = check("1.3.5", "2 (a - z) a (1 - a)")
    assert lost.diagnosis.text == "The factor x of the true product is missing."
