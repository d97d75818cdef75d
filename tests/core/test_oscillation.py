"""The oscillation notice: a loss that stopped falling and swings is told, with a lower
learning rate to try; a loss that falls, settles or creeps is not."""

import json

import numpy as np
import pytest

from core.cli import main
from core.presets.schema import builtin_presets
from core.session import Session
from core.session.oscillation import WINDOW, calmer_learning_rate, oscillating


def test_xor_at_learning_rate_50_is_told_to_oscillate_and_given_a_lower_rate(capsys):
    """The issue's case: it neither diverges nor learns, and said nothing."""
    assert main(["train", "xor", "--lr", "50", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["oscillating"] is True and report["diverged"] is False
    assert report["suggested_learning_rate"] == 10
    assert "try learning rate 10" in report["message"]


def test_the_notice_goes_once_the_suggested_rate_brings_a_new_low():
    with Session("xor", learning_rate=50, undo_steps=0) as session:
        swinging = session.step(2000)
        assert swinging.oscillating and swinging.state == "paused"
        session.set_learning_rate(swinging.suggested_learning_rate)
        calmer = session.step(20)
    assert not calmer.oscillating and calmer.suggested_learning_rate is None
    assert calmer.loss < swinging.history_loss.min()


@pytest.mark.parametrize("preset", [p.name for p in builtin_presets()])
def test_no_built_in_preset_oscillates_at_its_own_rate_anywhere_in_its_budget(preset):
    with Session(preset, undo_steps=0) as session:
        snapshot = session.step(session.preset.epochs)
    losses = snapshot.history_loss
    assert len(losses) == session.preset.epochs and not snapshot.oscillating
    assert not any(oscillating(losses[:end]) for end in range(WINDOW, len(losses) + 1))


def test_a_swing_without_a_new_low_is_an_oscillation_and_nothing_else_is():
    epochs = np.arange(300)
    falling = np.exp(-epochs / 100)
    swinging = np.concatenate([falling[:200], 0.2 + 0.03 * (-1) ** epochs[:100]])
    assert oscillating(swinging)
    assert not oscillating(falling + 0.05 * falling * (-1) ** epochs)    # swings, new lows
    settled = np.concatenate([falling[:200], np.full(100, 0.2) + 1e-12 * (-1) ** epochs[:100]])
    assert not oscillating(settled)                  # a rounding error is no swing
    stuck = np.concatenate([falling[:200], np.full(100, 0.5)])
    assert not oscillating(stuck)                    # stuck is not swinging
    assert not oscillating(swinging[:WINDOW])        # too short to tell


@pytest.mark.parametrize("rate, calmer", [(50, 10), (30, 10), (10, 3), (1, 0.3), (0.02, 0.003)])
def test_the_rate_suggested_is_a_round_third_or_less(rate, calmer):
    assert calmer_learning_rate(rate) == pytest.approx(calmer)
