"""The output view drawn from hand-built snapshots, each kind as a user reads it: a truth
table (above the map for a gate in a narrow panel, the error column kept when narrower
still), a decision map with classes and test points told apart, digits with their predicted
labels, a curve, predicted against target, and a confusion matrix."""

from __future__ import annotations

import numpy as np

from tui.widgets.output_view import OutputView, view_kind
from tui.widgets.render import number

from .panel_app import XOR_X, XOR_Y, PanelApp, make_snapshot, rgb, style_at, text


async def test_truth_table_shows_prediction_and_target_of_each_row():
    """Parity: each row shows its inputs, the network's output and the target."""
    X = [[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    Y = [[(a + b + c) % 2] for a, b, c in X]
    snapshot = make_snapshot(X, Y, hidden=(4,), epochs=200, learning_rate=2.0,
                             target_names=["parity"])
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "truth table"
        lines = text(view).splitlines()
        assert "parity" in lines[0] and "err" in lines[0]
        row = lines[1 + 6]   # inputs 1 1 0, target 0
        assert row.split()[:3] == ["1", "1", "0"]
        assert number(float(snapshot.outputs[6, 0])) in row
        assert row.split()[4] == "0"


async def test_decision_map_colours_regions_of_different_class_differently():
    """XOR's map has different colours where the predicted class differs."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=2000, learning_rate=2.0, seed=3)
    assert ((snapshot.outputs >= 0.5) == np.array(XOR_Y, dtype=bool)).all()
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "decision map"
        lines = [line[:40] for line in text(view).splitlines()]
        axis = next(y for y, line in enumerate(lines) if line.startswith("x1 "))
        # xor: class 1 at the top-left corner (0, 1), class 0 at the bottom-left (0, 0)
        top_left, bottom_left = style_at(view, 1, 0), style_at(view, 1, axis - 1)
        assert rgb(top_left) != rgb(bottom_left)
        map_area = "".join(lines[:axis])
        assert map_area.count("●") == 3 and map_area.count("◆") == 1   # sample 1 selected


async def test_a_gate_in_a_narrow_panel_shows_its_truth_table_above_the_map():
    """XOR in a 40-column panel: the truth table first (every row), the map under it."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=10, learning_rate=2.0, seed=3)
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        lines = text(view).splitlines()
        assert "target" in lines[0] or "y" in lines[0]
        assert sum("●" in line for line in lines[5:]) >= 2       # the map's points below
        assert any(line.startswith("x1 ") for line in lines[5:])


async def test_a_truth_table_too_wide_for_its_panel_keeps_the_error_column():
    """XOR named "x1 XOR x2" in a 24-column panel (the output view at 80x24): the output
    column is titled "out" and the error of every row stays in view."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=10, learning_rate=2.0, seed=3,
                             target_names=["x1 XOR x2"])
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(24, 20)) as pilot:
        await pilot.pause()
        lines = text(view).splitlines()
        assert lines[0].split() == ["x1", "x2", "out", "y", "err"]
        for i, row in enumerate(lines[1:5]):
            error = float(np.abs(snapshot.outputs[i] - snapshot.Y_train[i]).max())
            assert row.split()[-1] == number(error)


async def test_decision_map_marks_test_points_differently():
    """Training points are ● and test points ○."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    Y = (X[:, :1] > 0).astype(float)
    snapshot = make_snapshot(X[:40], Y[:40], X_test=X[40:], Y_test=Y[40:], hidden=(3,))
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        shown = text(view)
        assert "●" in shown and "○" in shown and "○ test" in shown


async def test_digits_view_shows_predicted_labels():
    """Under each digit: its predicted label, ✓ or ✗."""
    rng = np.random.default_rng(2)
    X = rng.random((30, 64))
    labels = rng.integers(0, 10, 30)
    names = tuple(str(k) for k in range(10))
    snapshot = make_snapshot(X[:20], np.eye(10)[labels[:20]], X_test=X[20:],
                             Y_test=np.eye(10)[labels[20:]], hidden=(8,),
                             output_activation="softmax", loss="cross_entropy",
                             class_names=names)
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(60, 14)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "digits"
        lines = text(view).splitlines()
        predicted = names[int(snapshot.test_outputs[0].argmax())]
        assert lines[0].startswith("test")
        assert lines[5].startswith(predicted + " ")
        assert "✓" in lines[5] or "✗" in lines[5]


async def test_curve_and_scatter_and_confusion_views():
    """1 input: a curve; regression: predicted vs target; classes: a confusion matrix."""
    x = np.linspace(-1, 1, 20)[:, None]
    curve = make_snapshot(x, np.sin(3 * x), hidden=(4,), activation="tanh",
                          output_activation="linear", task="regression")
    rng = np.random.default_rng(3)
    X4 = rng.normal(size=(50, 4))
    regression = make_snapshot(X4, X4[:, :1], hidden=(3,), output_activation="linear",
                               task="regression")
    classes = make_snapshot(X4, np.eye(3)[rng.integers(0, 3, 50)], hidden=(3,),
                            output_activation="softmax", loss="cross_entropy",
                            class_names=("a", "b", "c"))
    assert [view_kind(s) for s in (curve, regression, classes)] == \
        ["curve", "scatter", "confusion"]
    for snapshot, expected in ((curve, "•"), (regression, "predicted"), (classes, "accuracy")):
        view = OutputView()
        async with PanelApp(view, snapshot).run_test(size=(60, 16)) as pilot:
            await pilot.pause()
            assert expected in text(view)
