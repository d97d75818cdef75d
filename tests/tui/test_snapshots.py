"""Snapshot tests of the main screen (pytest-textual-snapshot).

Each app starts paused from a fixed seed and is stepped a fixed number of epochs with the
step keys, so the picture is the same on every run (epochs per second show only while
running). Update the baselines with ``pytest tests/tui --snapshot-update`` and look at them.
"""

from __future__ import annotations

from .conftest import SEED, pressing


def test_xor_120x40(snap_compare, make_app):
    """XOR after 300 epochs: the 2-2-1 diagram with its two hidden sigmoid units, the truth
    table with predictions moving towards 0 1 1 0, a falling loss curve, the gradient
    panels, and `epoch 300` paused in the status bar."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N", "N", "N"))


def test_spiral_120x40(snap_compare, make_app):
    """Spiral after 200 epochs of Adam: a 2-16-16-1 diagram (wide layers drawn without a
    blob), the decision map beginning to curl around the two arms with test points marked,
    training and test loss falling, and accuracy above chance in the status bar."""
    assert snap_compare(make_app("spiral", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N", "N"))


def test_twice_120x40(snap_compare, make_app):
    """Twice (y = 2x) after 100 epochs: a single weight approaching 2 in the diagram, the
    learned line against the targets in the output view, and a loss dropping to near 0."""
    assert snap_compare(make_app("twice", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N"))


def test_digits_120x40(snap_compare, make_app):
    """Digits after 3 epochs of mini-batches: a 64-32-10 network too wide to draw line by
    line (shown as its strongest connections or a heat map), a few 8x8 digits in
    half-blocks with predicted labels, and training and test loss in the plot."""
    assert snap_compare(make_app("digits", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("n", "n", "n"))


def test_xor_80x24(snap_compare, make_app):
    """XOR after 300 epochs at 80x24: every panel still present and readable, smaller; the
    status bar still shows the epoch, loss, accuracy and learning rate."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(80, 24),
                        run_before=pressing("N", "N", "N"))
