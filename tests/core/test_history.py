"""The bounded history: any number of epochs in at most ~10,000 rows, the latest exact."""

import numpy as np
import pytest

from core.session.history import History


def _filled(epochs: int, **sizes) -> History:
    history = History(2, **sizes)
    for epoch in range(1, epochs + 1):
        history.append(epoch, (1.0 / epoch, float(epoch % 7)))
    return history


def test_a_short_history_is_kept_exactly():
    x, y = _filled(500).arrays()
    assert np.array_equal(x, np.arange(1, 501))
    assert np.array_equal(y[:, 0], 1.0 / np.arange(1, 501))


def test_a_long_run_stays_within_the_capacity_with_the_latest_rows_exact():
    x, y = _filled(200_000).arrays()
    assert len(x) <= 10_000
    assert np.array_equal(x[-2_000:], np.arange(198_001, 200_001))
    assert np.array_equal(y[-2_000:, 0], 1.0 / np.arange(198_001, 200_001))
    assert np.all(np.diff(x) > 0)
    assert x[0] < 100, "the start of the run is still on the plot"


def test_older_rows_are_means_of_equal_buckets_that_keep_the_totals():
    history = _filled(50_000, capacity=1_000, recent=200)
    x, y = history.arrays()
    count = history.state()["count"]
    full = count[count > 1]
    assert np.all(full[:-1] == history.width)
    assert np.isclose(np.sum(x * count), np.sum(np.arange(1, 50_001)))
    assert np.isclose(np.sum(y[:, 1] * count), np.sum(np.arange(1, 50_001) % 7))


def test_state_restores_a_history_that_grows_on_identically():
    original = _filled(3_333, capacity=1_000, recent=200)
    copy = History(2, capacity=1_000, recent=200)
    copy.load_state(original.state())
    for epoch in range(3_334, 5_000):
        original.append(epoch, (0.5, 1.0))
        copy.append(epoch, (0.5, 1.0))
    for a, b in zip(original.arrays(), copy.arrays()):
        assert np.array_equal(a, b)


def test_a_state_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="expected at most 10000 rows of 3 values"):
        History(3).load_state(_filled(10).state())


def test_drop_after_forgets_the_latest_rows():
    history = _filled(10)
    history.drop_after(7)
    assert list(history.arrays()[0]) == [1, 2, 3, 4, 5, 6, 7]
