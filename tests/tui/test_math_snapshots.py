"""Snapshot tests of the math views, from a fixed seed on a paused session.

Update the baselines with ``pytest tests/tui/test_math_snapshots.py --snapshot-update`` and
look at them (``snapshot_report.html``).
"""

from __future__ import annotations

from .conftest import SEED, pressing


def test_inspector_on_chain_120x40(snap_compare, make_app):
    """Chain after one epoch, inspector open on w(1)[1,1] (drawn in the accent colour in the
    diagram) for sample 1/2, in the notes' notation: the headline ∂_{w(1)[1,1]} C = -0.01496
    from backprop beside the finite difference -0.01496 and a relative error "< 1e-8" with a
    green check; a_1(1)[1] under 1.6.1's formula with its row and its numbers, σ' under
    1.2.3, and 1.6.2-1.6.4; then the chain rule per row C_i with the note that the notes
    omit σ'."""
    assert snap_compare(make_app("chain", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("n", "i"))


def test_landscape_on_twice_120x40(snap_compare, make_app):
    """Twice at learning rate 0.16 after 6 epochs, cost landscape open: the parabola C(w)
    (1.1.1) with its bottom at w = 2 inside the window, the path of the six epochs zig-zagging
    across the valley (each step overshoots w = 2), the current point, the next step
    -eta dC/dw as a short green segment, and the legend with the numbers."""
    assert snap_compare(make_app("twice", seed=SEED, learning_rate=0.16),
                        terminal_size=(120, 40),
                        run_before=pressing("n", "n", "n", "n", "n", "n", "L"))


def test_step_through_on_xor_120x40(snap_compare, make_app):
    """XOR with a batch taken apart: f f B computed a(1), a(2) and layer 2's backward step.
    The diagram highlights a(2); the inspector shows 'Stepping through epoch 1, batch 1/1',
    the step just done with ∂_{z(2)} C for the four samples (sample 1 marked), ∂_{w(2)} C and
    ∂_{b(2)} C, and the next step (backward through layer 1), above the report of w(2)[1,1];
    the output view marks ✱ the samples whose terms make that weight's dC/dw."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("f", "f", "B"))


def test_chain_map_80x24(snap_compare, make_app):
    """Chain after 200 epochs at 80x24, cost landscape open: a heat map of C(w(1), w(2)) with
    contour lines, the path from the start as a line in the warning colour ending at the
    current point (in the accent colour), and the legend (slice, axes, now, path, next)
    beside it."""
    assert snap_compare(make_app("chain", seed=SEED), terminal_size=(80, 24),
                        run_before=pressing("N", "N", "L"))


def test_gradient_check_on_xor_80x24(snap_compare, make_app):
    """XOR after one epoch at 80x24, gradient check open: per layer the largest relative
    errors of weights and biases (around 1e-11) with a green 'agree' mark, and which
    gradients training uses (backprop) with what finite differences would cost."""
    assert snap_compare(make_app("xor", seed=SEED), terminal_size=(80, 24),
                        run_before=pressing("n", "c"))
