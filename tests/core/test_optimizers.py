"""Optimizers by name and title, and the one rule for a learning rate."""

import numpy as np
import pytest

from core.engine import (
    OPTIMIZER_TITLES,
    OPTIMIZERS,
    check_learning_rate,
    make_optimizer,
    parse_learning_rate,
)


def test_optimizers_in_the_order_a_learner_meets_them():
    assert list(OPTIMIZERS) == ["gd", "momentum", "adam"]
    assert OPTIMIZER_TITLES == {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
    assert all(make_optimizer(name).rule for name in OPTIMIZERS)
    assert make_optimizer("sgd").name == "gd"


@pytest.mark.parametrize("good", [0.5, 3, np.float64(0.1), 1e-9])
def test_a_learning_rate_is_a_finite_number_above_zero(good):
    assert check_learning_rate(good) == float(good)
    assert parse_learning_rate(f" {good} ") == float(good)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), "0.1", True, None])
def test_anything_else_is_refused(bad):
    with pytest.raises(ValueError, match="^learning_rate: expected a finite number > 0"):
        check_learning_rate(bad)


@pytest.mark.parametrize("text", ["", "fast", "0", "-2", "nan", "inf"])
def test_typed_learning_rates_are_refused_the_same_way(text):
    with pytest.raises(ValueError, match="^learning_rate: expected a finite number > 0"):
        parse_learning_rate(text)


def _referee(name, w, grads, eta):
    """The update rules written out entry by entry, as the papers state them: w after each
    step on ``grads`` (Adam in Kingma and Ba's efficient form, eps added to sqrt(v))."""
    w, m, v = [float(x) for x in w], [0.0] * len(w), [0.0] * len(w)
    for t, g in enumerate(grads, start=1):
        for k, gk in enumerate(g):
            if name == "gd":
                w[k] -= eta * gk
            elif name == "momentum":
                m[k] = 0.9 * m[k] + gk
                w[k] -= eta * m[k]
            else:
                m[k] = 0.9 * m[k] + 0.1 * gk
                v[k] = 0.999 * v[k] + 0.001 * gk * gk
                step = eta * (1 - 0.999 ** t) ** 0.5 / (1 - 0.9 ** t)
                w[k] -= step * m[k] / (v[k] ** 0.5 + 1e-8)
    return w


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_each_optimizer_follows_its_update_rule(name):
    rng = np.random.default_rng(7)
    w0 = rng.normal(size=5)
    grads = [rng.normal(scale=10.0 ** -k, size=5) for k in range(4)]
    optimizer, w = make_optimizer(name), w0.copy()
    for g in grads:
        optimizer.step([w], [g.copy()], 0.05)
    np.testing.assert_allclose(w, _referee(name, w0, grads, 0.05), rtol=1e-12, atol=1e-15)


def test_a_long_typed_learning_rate_is_quoted_in_short():
    with pytest.raises(ValueError) as error:
        parse_learning_rate("9" * 100_000 + "x")
    assert len(str(error.value)) < 100 and "…" in str(error.value)
