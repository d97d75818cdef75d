"""A number where one is asked for (``core.checks``): True and False are refused with the
field's own message, though Python counts True as 1; numpy's ints and floats count as numbers."""

import numpy as np
import pytest

from core.data.datasets import DataError, spiral
from core.engine import Network, check_learning_rate
from core.explain.notes import ExplainError
from core.explain.notes.sections import explain
from core.presets import PresetError, parse_preset

PRESET = """\
name = "mine"
[data]
generator = "moons"
[model]
layers = [2, 2, 1]
[training]
epochs = 10
"""


def section_1_0(epsilon):
    """Section 1.0's worksheet of a one-weight network at ``epsilon``."""
    X = Y = np.array([[0.0], [1.0]])
    return explain("1.0", Network([1, 1], seed=0), X, Y, epsilon=epsilon)


@pytest.mark.parametrize("call, error, message", [
    (lambda: check_learning_rate(True), ValueError,
     "learning_rate: expected a finite number > 0, got True"),
    (lambda: spiral(samples=True), DataError, "samples: expected an integer >= 2, got True"),
    (lambda: spiral(turns=True), DataError, "turns: expected a number in (0, 10], got True"),
    (lambda: Network([2, True, 1]), ValueError,
     "sizes: expected at least two positive integers, got [2, True, 1]"),
    (lambda: section_1_0(True), ExplainError, "epsilon: expected a number in (0, 1], got True"),
    (lambda: parse_preset(PRESET.replace("[2, 2, 1]", "[2, true, 1]"), "mine.toml"),
     PresetError, "mine.toml: [model].layers: expected a list of at least two positive integers"),
    (lambda: parse_preset(PRESET.replace("epochs = 10", "epochs = true"), "mine.toml"),
     PresetError, "mine.toml: [training].epochs: expected an integer from 1 to"),
], ids=["learning rate", "samples", "turns", "sizes", "epsilon", "layers", "epochs"])
def test_a_bool_is_not_a_number(call, error, message):
    """True where a number or a count belongs is refused, naming the field."""
    with pytest.raises(error) as raised:
        call()
    field = getattr(raised.value, "field", None)
    assert message in (f"{field}: {raised.value}" if field else str(raised.value))


def test_numpy_numbers_count():
    """numpy's scalars are taken where Python's are."""
    assert check_learning_rate(np.float32(0.5)) == 0.5
    data = spiral(samples=np.int64(20), turns=np.float64(1.5))
    assert len(data.X_train) + len(data.X_test) == 20
    sizes = Network([np.int64(2), 3, 1]).sizes
    assert sizes == (2, 3, 1) and all(type(size) is int for size in sizes)
    assert section_1_0(np.float64(1e-2)).epsilon.at.epsilon == 1e-2
