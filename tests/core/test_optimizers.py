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
