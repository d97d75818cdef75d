"""The controls' rules without an app: learning-rate notches, the optimizer cycle, typed
learning rates, the loss plot's downsampling and ticks, and a help line for every key."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.engine import parse_learning_rate
from tui.controls import CONTROLS, LEARNING_RATE_NOTCHES, next_optimizer, notch_down, notch_up
from tui.screens.help import help_markdown
from tui.screens.training import TrainingScreen
from tui.widgets.diagram import LayerDiagram
from tui.widgets.loss_plot import downsample, epoch_ticks


def test_notches_step_to_the_next_notch_from_any_value():
    assert notch_up(0.03) == 0.1
    assert notch_down(0.03) == 0.01
    assert notch_up(0.05) == 0.1 and notch_down(0.05) == 0.03
    assert notch_up(0.030000000000000002) == 0.1      # a notch typed with rounding noise
    assert notch_up(2.0) == 3.0 and notch_down(2.0) == 1.0
    assert notch_up(10.0) == 10.0 and notch_up(50.0) == 10.0
    assert notch_down(0.0001) == 0.0001 and notch_down(1e-6) == 0.0001
    assert notch_up(1e-6) == 0.0001
    for low, high in itertools.pairwise(LEARNING_RATE_NOTCHES):
        assert notch_up(low) == high and notch_down(high) == low


def test_optimizers_cycle():
    assert [next_optimizer(n) for n in ("gd", "momentum", "adam")] == ["momentum", "adam", "gd"]
    assert next_optimizer("unknown") == "gd"


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "-inf", "abc", "", "1e400"])
def test_typed_learning_rate_refuses_non_positive_or_non_finite(text):
    with pytest.raises(ValueError):
        parse_learning_rate(text)


def test_typed_learning_rate_accepts_positive_numbers():
    assert parse_learning_rate(" 0.05 ") == 0.05
    assert parse_learning_rate("3e-4") == 3e-4


def test_downsample_keeps_the_ends_and_the_budget():
    x = np.arange(10_000.0)
    xs, ys = downsample(x, x * 2, 200)
    assert len(xs) <= 200 and xs[0] == 0 and xs[-1] == 9999 and np.all(ys == xs * 2)
    xs, _ = downsample(x[:50], x[:50], 200)
    assert len(xs) == 50


def test_epoch_ticks_are_round():
    assert epoch_ticks(0, 4999, 4) == [0, 2000, 4000]
    assert epoch_ticks(0, 0, 5) == [0]


def test_every_key_has_a_description_and_a_help_line():
    keys = {c.display for c in CONTROLS}
    assert {"space", "n", "N", "b", "+", "-", "l", "o", "r", "p", "g", "?", "q", "y"} <= keys
    for binding in TrainingScreen.BINDINGS + LayerDiagram.BINDINGS:
        assert binding.description
    text = help_markdown([(c.display, c.help) for c in CONTROLS])
    for control in CONTROLS:
        assert f"`{control.display}`" in text
    for panel in ("Network", "Output", "Loss", "Gradients", "Status bar"):
        assert panel in text
