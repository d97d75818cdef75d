"""The formula grammar: what a person types is read as they mean it, and anything else,
code above all, is refused in one line before anything is computed."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import core.explain.formula as formula
from core.explain.formula import KEYS, FormulaError, NetworkState, Vocabulary, check_formula
from core.explain.formula.models import CHAIN
from core.explain.formula.parser import parse
from core.explain.formula.tree import Env, evaluate

ROWS = {"x": np.array([0.5, -1.0]), "y": np.array([1.0, 0.0]),
        "a(1)": np.array([0.25, 0.75]), "a(2)": np.array([0.6, 0.3]),
        "z(2)": np.array([0.0, 1.0]), "w(2)": 3.0, "n": 2.0, "η": 0.1}


def value(text: str) -> np.ndarray:
    names = {name: CHAIN.spellings[name] for name in ROWS if name in CHAIN.spellings}
    return evaluate(parse(text, Vocabulary(names)), Env(ROWS, 2))


@pytest.mark.parametrize("text, expected", [
    ("2(a2 - y) a2 (1 - a2)", 2 * (ROWS["a(2)"] - 1 * ROWS["y"]) * ROWS["a(2)"]
     * (1 - ROWS["a(2)"])),
    ("2x", 2 * ROWS["x"]),
    ("a_i(2) · a(2) × a2 * a_i^{(2)}", ROWS["a(2)"] ** 4),
    ("w(2) w2 x_i", 9 * ROWS["x"]),
    ("eta η", np.full(2, 0.01)),
    ("2^3^2", np.full(2, 512.0)),
    ("2**3**2", np.full(2, 512.0)),
    ("-x^2", -ROWS["x"] ** 2),
    ("x²−x³", ROWS["x"] ** 2 - ROWS["x"] ** 3),
    ("1/2x", ROWS["x"] / 2),
    ("σ(z2) − sigma(z(2))", np.zeros(2)),
    ("σ'(z2) - sigma'(z2) + σ′(z2)", 0.5 * (1 + np.tanh(ROWS["z(2)"] / 2))
     * (1 - 0.5 * (1 + np.tanh(ROWS["z(2)"] / 2)))),
    ("exp(z2)", np.exp(ROWS["z(2)"])),
    ("(1/n) Σ(x) + sum(y)", np.full(2, -0.25 + 1.0)),
    ("a(1)x", ROWS["a(1)"] * ROWS["x"]),
])
def test_what_a_person_types_means_what_they_mean(text, expected):
    assert np.allclose(value(text), expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "unknown name '__import__' at column 1"),
    ("().__class__", "unexpected '.' at column 3"),
    ("()", "expected a number, a name or '(' at column 2, got ')'"),
    ("a2.real", "unexpected '.' at column 3"),
    ("x" * 10_000, "the formula is 10,000 characters long; at most 500 are read"),
    ("(" * 10_000 + "x" + ")" * 10_000, "the formula is 20,001 characters long"),
    ("(" * 60 + "x" + ")" * 60, "nested more than 50 deep at column 51"),
    ("9**9**9", "the exponent at column 2 is too large (at most 64 in size)"),
    ("2^1e400", "the number at column 3 is too large"),
    ("x2 + 1", "unknown name 'x2' at column 1"),
    ("open(x)", "unknown name 'open' at column 1"),
    ("σ x", "σ at column 1 needs its argument in parentheses"),
    ("2 3", "two numbers in a row at column 3"),
    ("(x + 1", "the '(' at column 1 is not closed (the formula ends)"),
    ("x)", "the ')' at column 2 closes nothing"),
    ("x; y", "unexpected ';' at column 2"),
    ("", "the formula is empty"),
    ("lambda: 0", "unknown name 'lambda' at column 1"),
])
def test_anything_else_is_refused_in_one_line(text, message):
    with pytest.raises(FormulaError) as refused:
        parse(text, CHAIN.vocabulary())
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_name_the_question_does_not_allow_is_refused_with_the_allowed_list():
    key = KEYS["1.2.3"]                      # σ' is what the question asks to write out
    with pytest.raises(FormulaError, match=r"unknown name \"σ'\" at column 1; this answer "
                                           r"may use z, a, σ\( \), exp\( \)$"):
        parse("σ'(z)", key.vocabulary())
    assert str(parse("x", CHAIN.vocabulary(["x"]))) == "x"
    with pytest.raises(FormulaError, match="unknown name 'y'"):
        parse("y", CHAIN.vocabulary(["x"]))


def test_fifty_levels_of_nesting_and_an_exponent_of_64_are_read():
    assert value("(" * 49 + "x" + ")" * 49)[0] == 0.5
    assert value("2^64")[0] == 2.0 ** 64
    assert np.all(np.isinf(value("(2^64)^64")))          # overflow is inf, not a hang


def test_a_refused_formula_computes_nothing(monkeypatch):
    state = NetworkState((np.ones((1, 1)), np.ones((1, 1))), (np.zeros(1), np.zeros(1)),
                         np.zeros((2, 1)), np.zeros((2, 1)))

    def never(*args, **kwargs):
        raise AssertionError("a refused formula reached the network")

    monkeypatch.setattr(formula.check, "random_states", never)
    monkeypatch.setattr(formula.keys.FormulaKey, "case", never)
    for text in ("__import__('os')", "().__class__", "a2.real", "9**9**9"):
        with pytest.raises(FormulaError):
            check_formula(KEYS["1.5.12"], text, state)


def test_the_formula_package_calls_no_eval_exec_compile_or_getattr():
    builtins = {"eval", "exec", "compile", "__import__", "getattr"}
    for path in Path(formula.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                assert not (isinstance(func, ast.Name) and func.id in builtins), path.name
                assert not (isinstance(func, ast.Attribute) and func.attr == "literal_eval")
